"""The explanation sheet, ``Giải trình``: every self-assessed item without complete evidence
(or marked not applicable), with the reason and the unit's explanation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from parindex.scoring.scorecard import NodeScore, Scorecard
from parindex.workbook.cells import (
    _internal_link,
    _print_setup,
    _put,
    _put_text,
    _row_height,
    _Styles,
)
from parindex.workbook.layout import EXPLAIN_SHEET, MAIN_SHEET, Heading
from parindex.workbook.main_sheet import _shown_score, drops

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parindex.workbook.view import EvidenceView

__all__ = ["explanation_rows"]


def explanation_rows(card: Scorecard, evidence: EvidenceView) -> list[tuple[NodeScore, str]]:
    """Self-assessed items whose evidence is not complete, with the reason (Vietnamese)."""
    out: list[tuple[NodeScore, str]] = []
    for n in card.leaves():
        if n.method == "survey":
            continue
        if n.status == "not-applicable":
            reason = "Không áp dụng"
        elif n.code in evidence.incomplete:
            reason = evidence.incomplete[n.code]
        elif not evidence.refs(n.code):
            reason = "Chưa có tài liệu kiểm chứng"
        else:
            continue
        out.append((n, reason))
    return out


def _explain_sheet(wb: Workbook, card: Scorecard, evidence: EvidenceView, heading: Heading,
                   rows: Mapping[str, int]) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(EXPLAIN_SHEET)
    st = _Styles(ws)
    cols = ("STT", "Mã tiêu chí", "Tiêu chí", "Điểm tự đánh giá", "Lý do", "Giải trình")
    last = get_column_letter(len(cols))
    ws.merge_cells(f"A1:{last}1")
    _put_text(ws, 1, 1, "GIẢI TRÌNH CÁC TIÊU CHÍ CHƯA CÓ ĐỦ TÀI LIỆU KIỂM CHỨNG — "
              f"{heading.unit} — năm {heading.year}", st, bold=True, size=13, border=False,
              horizontal="center")
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, title in enumerate(cols, start=1):
        _put(ws, 3, i, title, hdr)
    ws.row_dimensions[3].height = 32
    for i, width in enumerate((6, 10, 50, 10, 28, 70), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    missing = st.get(size=11, fill="FCE4D6", italic=True)
    r = 4
    fw = card.framework
    for i, (n, reason) in enumerate(explanation_rows(card, evidence), start=1):
        _put(ws, r, 1, i, st.get(size=11, horizontal="center"))
        cell = _put_text(ws, r, 2, n.code, st, size=11, horizontal="center")
        _internal_link(cell, MAIN_SHEET, f"A{rows[n.code]}")
        _put_text(ws, r, 3, n.name, st, size=11)
        _put(ws, r, 4, _shown_score(n, drops(fw, n.code)), st.get(size=11, number=True))
        _put_text(ws, r, 5, reason, st, size=11)
        text = n.explanation
        ws.row_dimensions[r].height = _row_height(((n.name, 50), (text, 70), (reason, 28)))
        if text:
            _put_text(ws, r, 6, text, st, size=11)
        else:
            _put(ws, r, 6, "(chưa có giải trình)", missing)
        r += 1
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3")
