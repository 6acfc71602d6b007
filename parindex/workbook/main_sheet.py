"""The main sheet, ``Tự chấm điểm``: heading block, two header rows, one row per area /
criterion / sub-criterion, the total, the index (and the classification, only where
:func:`~parindex.scoring.grade.grade` allows one), the signature blocks.

Two layouts. The **submission** (sent to Sở Nội vụ) has the standard form's columns only
(:data:`~parindex.workbook.layout.SUBMISSION_COLUMNS`, A…H), the "Kèm theo Báo cáo số …" line
and plain evidence text (one document per line, wrapped: a cell hyperlink would make a
spreadsheet print the lines as one). The **working copy** (for the department) has every
column of :data:`~parindex.workbook.layout.MAIN_COLUMNS`: the status, the helper columns
``Điểm tối đa tính chỉ số`` and ``Điểm chờ điều tra XHH`` that make the library's rules
visible, an index per row, and the evidence cell of a single document linked to its file
(several documents stay plain text, one per line, as in the submission).

Leaves hold values (the library's scores); parents, the total and the index are live formulas.
In the working copy the index is ``score / (max − pending)`` over the helper columns; in the
submission the same denominator is the total maximum less the maximum of every leaf whose
``Điểm tự đánh giá`` is not a number (survey points not known yet: empty; items not
applicable under the ``drop`` policy: "Không áp dụng"). The reviewer's ``Điểm thẩm định``
cells accept 0 … max.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.scoring.grade import grade_withheld
from parindex.scoring.scorecard import NodeScore, Scorecard
from parindex.workbook.cells import (
    _file_link,
    _internal_link,
    _lit,
    _print_setup,
    _put,
    _put_formula,
    _put_text,
    _quote,
    _row_height,
    _Styles,
)
from parindex.workbook.extras_rows import write_extras
from parindex.workbook.layout import (
    FIRST_ROW,
    HEADER_ROW,
    MAIN_COLUMNS,
    MAIN_SHEET,
    REGISTER_SHEET,
    STATUS_LABELS,
    SUBMISSION_COLUMNS,
    FormulaCell,
    Heading,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from parindex.framework.model import Framework
    from parindex.workbook.view import EvidenceView

__all__: list[str] = []  # the writer's helpers, imported by name

_COL = {key: chr(ord("A") + i) for i, (key, _) in enumerate(MAIN_COLUMNS)}
_OUTLINE = {"area": 0, "criterion": 1, "sub-criterion": 2}
_MAIN_WIDTHS = (8, 46, 9, 10, 10, 18, 34, 18, 12, 10, 10, 9)
_SUBMISSION_WIDTHS = (7, 46, 9, 10, 10, 24, 40, 20)
_SUMS = ("nominal_max", "score", "appraised", "max", "pending")
"""The columns a parent row or the total sums over the rows below."""
_TOTAL: dict[str, Any] = {"bold": True, "size": 11, "fill": "FFF2CC"}
"""Text style of the total, index and classification rows."""


# -- formulas -----------------------------------------------------------------------------------


def drops(framework: Framework, code: str) -> bool:
    """Is a not-applicable mark on ``code`` removed from the maximum (its own rule, else the
    framework's)?"""
    return framework.na_policy(framework.node(code)) == "drop"


def _shown_score(node: NodeScore, drop: bool) -> Decimal | None:
    """What the ``Điểm tự đánh giá`` cell of a leaf holds (None: left empty)."""
    if node.status == "survey-pending" or (node.status == "not-applicable" and drop):
        return None
    return node.score


def _index_formula(score: str, mx: str, pending: str) -> str:
    return f'=IF({mx}-{pending}<=0,"",ROUND({score}/({mx}-{pending})*100,2))'


def _appraised_index_formula(appraised: str, mx: str, pending: str) -> str:
    return (f'=IF(OR({appraised}="",{mx}-{pending}<=0),"",'
            f'ROUND({appraised}/({mx}-{pending})*100,2))')


def _classify_formula(index_ref: str, card: Scorecard) -> str:
    bands = sorted(card.framework.classification, key=lambda b: b.min_index, reverse=True)
    expr = '""'
    for band in reversed(bands):
        expr = f"IF({index_ref}>={_lit(band.min_index)},{_quote(band.label)},{expr})"
    return f'=IF({index_ref}="","",{expr})'


def _sum_formula(key: str, refs: str) -> str:
    """The sum of column ``key`` over ``refs``; the appraisal stays empty until one is typed."""
    return f'=IF(COUNT({refs})=0,"",SUM({refs}))' if key == "appraised" else f"=SUM({refs})"


def _colno(key: str) -> int:
    return ord(_COL[key]) - ord("A") + 1


def _ref_list(col: str, rows: Sequence[int]) -> str:
    """``C10:C12`` for consecutive rows, else ``C10,C14,C20`` (SUM takes up to 255)."""
    if rows and list(rows) == list(range(rows[0], rows[0] + len(rows))) and len(rows) > 1:
        return f"{col}{rows[0]}:{col}{rows[-1]}"
    return ",".join(f"{col}{r}" for r in rows)


# -- the sheet ----------------------------------------------------------------------------------


def _main_sheet(wb: Workbook, card: Scorecard, heading: Heading, evidence: EvidenceView,
                link_base: Path | None, out_dir: Path, register_rows: Mapping[int, int],
                working: bool = True) -> tuple[dict[str, int], int, list[FormulaCell]]:
    """Write the main sheet (the workbook's first); returns item code → sheet row, the total
    row and the formula cells. ``register_rows`` maps register index → row of the register
    sheet (evidence cells of items with several documents link there, in the working copy)."""
    from openpyxl.utils import get_column_letter

    ws = wb.active
    assert ws is not None
    ws.title = MAIN_SHEET
    st = _Styles(ws)
    columns = MAIN_COLUMNS if working else SUBMISSION_COLUMNS
    last = get_column_letter(len(columns))
    _heading_block(ws, st, heading, card.framework, last, working)
    _header_rows(ws, st, columns, _MAIN_WIDTHS if working else _SUBMISSION_WIDTHS)

    rows = {n.code: FIRST_ROW + i for i, n in enumerate(card.nodes)}
    total_row = FIRST_ROW + len(card.nodes)
    kids: dict[str, list[str]] = {}
    for n in card.nodes:
        if n.parent is not None:
            kids.setdefault(n.parent, []).append(n.code)
    items = _ItemRows(ws, st, card.framework, evidence, link_base, out_dir, register_rows,
                      working)
    for n in card.nodes:
        children = kids.get(n.code)
        items.write(n, rows[n.code], None if children is None else [rows[k] for k in children])

    cells = items.cells
    cells += _total_row(ws, st, [rows[a.code] for a in card.areas], total_row, working)
    index_cells, graded = _index_rows(ws, st, card, total_row, rows, len(columns), working)
    cells += index_cells
    top, left_out = _denominator(card, rows, total_row, working)

    def index(score: str, column: str) -> str:
        make = _index_formula if column == "D" else _appraised_index_formula
        return make(score, top, left_out)

    _, extra_cells, extra_checks, note = write_extras(
        ws, st, card, total_row + (3 if graded else 2), total_row, working, index)
    cells += extra_cells
    for mx, refs in extra_checks.items():
        items.validations.setdefault(mx, []).extend(refs)
    _basis_note(ws, st, card, note, last, working)
    sign = note + 2
    end = _signature(ws, st, heading, sign, last)
    end = _status_note(ws, st, card, end + 2, last)
    _validations(ws, items.validations)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.sheet_properties.outlinePr.summaryBelow = False
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW + 1}")
    ws.print_area = f"A1:{last}{end}"
    return rows, total_row, cells


def _heading_block(ws: Worksheet, st: _Styles, heading: Heading, fw: Framework,
                   last: str, working: bool) -> None:
    """Rows 1–5: the body above the unit and the unit (its province not repeated), the
    national motto, the title, then the "Kèm theo Báo cáo số …" line (submission) or the
    framework, marked when provisional (working copy)."""
    left = "D" if working else "C"
    ws.merge_cells(f"A1:{left}1")
    ws.merge_cells(f"A2:{left}2")
    ws.merge_cells(f"F1:{last}1")
    ws.merge_cells(f"F2:{last}2")
    head: dict[str, Any] = {"border": False, "horizontal": "center"}
    _put_text(ws, 1, 1, (heading.superior or "").upper(), st, size=12, **head)
    _put_text(ws, 2, 1, heading.issuer, st, bold=True, size=12, **head)
    _put_text(ws, 1, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st, bold=True, **head)
    _put_text(ws, 2, 6, "Độc lập - Tự do - Hạnh phúc", st, bold=True, underline=True, **head)
    ws.merge_cells(f"A4:{last}4")
    ws.merge_cells(f"A5:{last}5")
    _put_text(ws, 4, 1, "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM "
              f"{heading.year}", st, bold=True, size=14, **head)
    if working:
        sub = f"Bộ tiêu chí: {fw.title}"
        if fw.status == "provisional":
            sub += " — khung tạm thời, chưa phải bảng chính thức"
    else:
        sub = heading.report_line
    _put_text(ws, 5, 1, sub, st, italic=True, size=12, **head)
    ws.row_dimensions[4].height = 22
    ws.row_dimensions[5].height = 30 if working else 20


def _header_rows(ws: Worksheet, st: _Styles, columns: Sequence[tuple[str, str]],
                 widths: Sequence[float]) -> None:
    """The two header rows (``Giải trình`` and ``Ghi chú`` under one merged heading) and the
    column widths."""
    from openpyxl.utils import get_column_letter

    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, (key, title) in enumerate(columns, start=1):
        col = get_column_letter(i)
        if key == "explanation":
            ws.merge_cells(f"{col}{HEADER_ROW}:{get_column_letter(i + 1)}{HEADER_ROW}")
            _put(ws, HEADER_ROW, i, "Giải trình / Ghi chú", hdr)
            _put(ws, HEADER_ROW, i + 1, None, hdr)
            _put(ws, HEADER_ROW + 1, i, title, hdr)
        elif key == "note":
            _put(ws, HEADER_ROW + 1, i, title, hdr)
        else:
            ws.merge_cells(f"{col}{HEADER_ROW}:{col}{HEADER_ROW + 1}")
            _put(ws, HEADER_ROW, i, title, hdr)
            _put(ws, HEADER_ROW + 1, i, None, hdr)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[HEADER_ROW].height = 20
    ws.row_dimensions[HEADER_ROW + 1].height = 48


class _ItemRows:
    """Writes the row of each area, criterion and sub-criterion; collects the formula cells
    (:attr:`cells`) and the reviewer cells to validate, per maximum (:attr:`validations`)."""

    def __init__(self, ws: Worksheet, st: _Styles, framework: Framework,
                 evidence: EvidenceView, link_base: Path | None, out_dir: Path,
                 register_rows: Mapping[int, int], working: bool = True) -> None:
        self.ws, self.st, self.framework, self.evidence = ws, st, framework, evidence
        self.link_base, self.out_dir, self.register_rows = link_base, out_dir, register_rows
        self.working = working
        self.widths: tuple[float, ...] = _MAIN_WIDTHS if working else _SUBMISSION_WIDTHS
        self.cells: list[FormulaCell] = []
        self.validations: dict[Decimal, list[str]] = {}
        self.evidence_text: dict[str, str] = {}
        """The text of a leaf's evidence cell, for its row height (written, then measured)."""

    def write(self, n: NodeScore, r: int, child_rows: list[int] | None) -> None:
        """Row ``r`` of item ``n``: a leaf when ``child_rows`` is None, else the sums of the
        rows of its children."""
        ws, st, c, w = self.ws, self.st, _COL, self.widths
        level = n.level
        fill = "F2F2F2" if n.method == "survey" else ("FFF2CC" if level == "area" else None)
        txt: dict[str, Any] = {"bold": level == "area", "fill": fill,
                               "italic": n.status == "not-applicable", "size": 11}
        numst = st.get(number=True, **txt)
        _put_text(ws, r, 1, n.code, st, horizontal="center", **txt)
        _put_text(ws, r, 2, n.name, st, indent=_OUTLINE[level] * 2, horizontal="left", **txt)
        if level != "area":
            ws.row_dimensions[r].outlineLevel = _OUTLINE[level]
        status = STATUS_LABELS[n.status] if self.working else None
        if child_rows is None:
            self._leaf(n, r, txt, numst, status)
        else:
            self._parent(n, r, child_rows, txt, numst, status)
        inp = n.input if child_rows is None else None
        evid = self.evidence_text.pop(n.code) if child_rows is None else None
        bold = 0.88 if level == "area" else 1.0  # bold letters are wider
        texts: list[tuple[str | None, float]] = [
            (n.name, (w[1] - _OUTLINE[level] * 2) * bold), (evid, w[5]),
            (inp.explanation if inp else None, w[6]), (inp.note if inp else None, w[7])]
        if self.working:
            texts.append((status, w[8]))
        ws.row_dimensions[r].height = _row_height(texts)
        if self.working:
            _put_formula(ws, r, 12, _index_formula(f"{c['score']}{r}", f"{c['max']}{r}",
                                                   f"{c['pending']}{r}"), numst)
            self.cells.append(FormulaCell(MAIN_SHEET, f"{c['index']}{r}", n.code, "index"))

    def _leaf(self, n: NodeScore, r: int, txt: dict[str, Any], numst: Any,
              status: str | None) -> None:
        """Points, appraisal, evidence, texts (and the helper columns) of a leaf."""
        ws, st, c, cells = self.ws, self.st, _COL, self.cells
        survey = n.method == "survey"
        _put(ws, r, 3, n.nominal_max, numst)
        drop = drops(self.framework, n.code)
        if not self.working and drop and n.status == "not-applicable":
            # the submission says so where the points would be (the index leaves it out:
            # not a number); the working copy has its Tình trạng column
            _put_text(ws, r, 4, STATUS_LABELS["not-applicable"], st, horizontal="center",
                      **txt)
        else:
            _put(ws, r, 4, _shown_score(n, drop), numst)
        e = f"{c['appraised']}{r}"
        if survey:  # survey points are not appraised: the cell mirrors them
            _put_formula(ws, r, 5, f'=IF(ISNUMBER({c["score"]}{r}),{c["score"]}{r},"")', numst)
            cells.append(FormulaCell(MAIN_SHEET, e, n.code, "appraised"))
        else:
            _put(ws, r, 5, None, st.get(number=True, size=11, bold=txt["bold"],
                                        italic=txt["italic"], fill="E2EFDA"))
            self.validations.setdefault(n.nominal_max, []).append(e)
        self._evidence(n, r, txt)
        inp = n.input
        _put_text(ws, r, 7, inp.explanation if inp else None, st, **txt)
        _put_text(ws, r, 8, inp.note if inp else None, st, **txt)
        if status is None:  # the submission: no working columns
            return
        _put_text(ws, r, 9, status, st, horizontal="center", **txt)
        cm, cs, ci = (f"{c[k]}{r}" for k in ("nominal_max", "score", "status"))
        na = STATUS_LABELS["not-applicable"]
        _put_formula(ws, r, 10, f'=IF({ci}={_quote(na)},0,{cm})' if drop else f"={cm}", numst)
        if survey:
            _put_formula(ws, r, 11, f"=IF(ISNUMBER({cs}),0,{cm})", numst)
        else:
            _put(ws, r, 11, Decimal(0), numst)
        cells.append(FormulaCell(MAIN_SHEET, f"{c['max']}{r}", n.code, "max"))
        if survey:
            cells.append(FormulaCell(MAIN_SHEET, f"{c['pending']}{r}", n.code, "pending"))

    def _evidence(self, n: NodeScore, r: int, txt: dict[str, Any]) -> None:
        """The ``Tài liệu kiểm chứng`` cell: one line per document. In the working copy the
        cell of a single document is linked to its file (or, without one, to its row in the
        register sheet). Several documents are plain wrapped text, as in the submission: a
        cell hyperlink makes LibreOffice show and print the lines run together as one
        ("38/BC-SKHCN95/BC-SKHCN"); the register sheet links each file."""
        refs = self.evidence.refs(n.code)
        text = self.evidence_text[n.code] = "\n".join(ref.label for ref in refs)
        if not self.working or len(refs) > 1 or "\n" in text:
            _put_text(self.ws, r, 6, text, self.st, **txt)
            return
        cell = _put_text(self.ws, r, 6, text, self.st,
                         colour="0563C1" if refs else None, underline=bool(refs), **txt)
        target = _file_link(refs[0].path, self.link_base, self.out_dir) \
            if refs and refs[0].path else None
        if target is not None:
            cell.hyperlink = target
        elif refs:
            first = next((i for i, row in enumerate(self.evidence.rows)
                          if n.code in row.items), None)
            if first is not None and first in self.register_rows:
                _internal_link(cell, REGISTER_SHEET, f"B{self.register_rows[first]}")

    def _parent(self, n: NodeScore, r: int, child_rows: list[int], txt: dict[str, Any],
                numst: Any, status: str | None) -> None:
        """The sums of an area or criterion over the rows of its children."""
        ws, st = self.ws, self.st
        for key in _SUMS if self.working else _SUMS[:3]:
            col = _COL[key]
            _put_formula(ws, r, _colno(key), _sum_formula(key, _ref_list(col, child_rows)),
                         numst)
            self.cells.append(FormulaCell(MAIN_SHEET, f"{col}{r}", n.code, key))
        for col_no in (6, 7, 8):
            _put(ws, r, col_no, None, st.get(**txt))
        if status is not None:
            _put_text(ws, r, 9, status, st, horizontal="center", **txt)


def _total_row(ws: Worksheet, st: _Styles, area_rows: list[int], t: int,
               working: bool) -> list[FormulaCell]:
    """Row ``t``: the sums over the areas (and, in the working copy, the index)."""
    cells: list[FormulaCell] = []
    totnum = st.get(number=True, **_TOTAL)
    _put(ws, t, 1, None, st.get(**_TOTAL))
    _put_text(ws, t, 2, "TỔNG CỘNG", st, **_TOTAL)
    for key in _SUMS if working else _SUMS[:3]:
        _put_formula(ws, t, _colno(key), _sum_formula(key, _ref_list(_COL[key], area_rows)),
                     totnum)
        cells.append(FormulaCell(MAIN_SHEET, f"{_COL[key]}{t}", None, key))
    for col_no in (6, 7, 8, 9) if working else (6, 7, 8):
        _put(ws, t, col_no, None, st.get(**_TOTAL))
    if working:
        _put_formula(ws, t, 12, _index_formula(f"D{t}", f"J{t}", f"K{t}"), totnum)
        cells.append(FormulaCell(MAIN_SHEET, f"L{t}", None, "index"))
    return cells


def _excluded(card: Scorecard, rows: Mapping[str, int], t: int) -> str:
    """The submission's points left out of the index's denominator: the maximum of every leaf
    whose ``Điểm tự đánh giá`` is empty (parents always hold a number). Without rescaling,
    pending survey points stay in the denominator: they are added back."""
    expr = f"SUMPRODUCT(1-ISNUMBER(D{FIRST_ROW}:D{t - 1}),C{FIRST_ROW}:C{t - 1})"
    if not card.framework.survey.rescale_when_missing:
        back = [f"IF(ISNUMBER(D{rows[n.code]}),0,C{rows[n.code]})" for n in card.leaves()
                if n.method == "survey"]
        if back:
            expr = f"({expr}-({'+'.join(back)}))"
    return expr


def _denominator(card: Scorecard, rows: Mapping[str, int], t: int,
                 working: bool) -> tuple[str, str]:
    """The index's maximum and the points left out of it, as formula terms (total row ``t``)."""
    return (f"J{t}", f"K{t}") if working else (f"C{t}", _excluded(card, rows, t))


def _index_rows(ws: Worksheet, st: _Styles, card: Scorecard, t: int, rows: Mapping[str, int],
                width: int, working: bool) -> tuple[list[FormulaCell], bool]:
    """The rows below the total ``t``: the index, self-assessed (column D) and appraised
    (column E), then the classification where :func:`~parindex.scoring.grade.grade` allows
    one. Returns the formula cells and whether the classification row was written."""
    totnum = st.get(number=True, **_TOTAL)
    ix, cl = t + 1, t + 2
    _put_text(ws, ix, 2, "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)", st, **_TOTAL)
    mx, pending = _denominator(card, rows, t, working)
    _put_formula(ws, ix, 4, _index_formula(f"D{t}", mx, pending), totnum)
    _put_formula(ws, ix, 5, _appraised_index_formula(f"E{t}", mx, pending), totnum)
    cells = [FormulaCell(MAIN_SHEET, f"D{ix}", None, "index"),
             FormulaCell(MAIN_SHEET, f"E{ix}", None, "appraised_index")]
    graded = grade_withheld(card) is None
    index_rows = (ix, cl) if graded else (ix,)
    if graded:
        _put_text(ws, cl, 2, "Xếp loại", st, **_TOTAL)
        _put_formula(ws, cl, 4, _classify_formula(f"D{ix}", card), st.get(**_TOTAL))
        _put_formula(ws, cl, 5, _classify_formula(f"E{ix}", card), st.get(**_TOTAL))
        cells += [FormulaCell(MAIN_SHEET, f"D{cl}", None, "classification"),
                  FormulaCell(MAIN_SHEET, f"E{cl}", None, "appraised_classification")]
    for r_ in index_rows:
        for col_no in (1, 3, *range(6, width + 1)):
            _put(ws, r_, col_no, None, st.get(**_TOTAL))
    return cells, graded


def _basis_note(ws: Worksheet, st: _Styles, card: Scorecard, r: int, last: str,
                working: bool) -> None:
    """Row ``r``: what the index is computed on (survey points known or not, dropped items)."""
    t = card.total
    if t.survey_given:
        basis = "Chỉ số tính trên tổng điểm gồm điểm điều tra xã hội học."
    elif not t.rescale_pending:
        basis = "Chưa có điểm điều tra xã hội học: chỉ số tính trên toàn bộ điểm tối đa."
    elif working:
        basis = ("Chưa có điểm điều tra xã hội học: chỉ số là điểm tự đánh giá quy về thang "
                 "100 (điểm đạt / (điểm tối đa − điểm chờ điều tra XHH)).")
    else:
        basis = ("Chưa có điểm điều tra xã hội học: chỉ số là điểm tự đánh giá quy về thang "
                 "100 (điểm tự đánh giá / (điểm tối đa − điểm các tiêu chí điều tra xã hội "
                 "học chưa có kết quả) × 100).")
    fw = card.framework
    if any(fw.na_allowed(n) and fw.na_policy(n) == "drop" for n in fw.leaves()):
        basis += " Tiêu chí không áp dụng được loại khỏi điểm tối đa."
    if any(fw.na_allowed(n) and fw.na_policy(n) == "award-max" for n in fw.leaves()):
        basis += " Tiêu chí không áp dụng (theo quy định của tiêu chí) được tính điểm tối đa."
    ws.merge_cells(f"A{r}:{last}{r}")
    _put_text(ws, r, 1, basis, st, italic=True, size=11, border=False)
    ws.row_dimensions[r].height = 30


def _signature(ws: Worksheet, st: _Styles, heading: Heading, sign: int, last: str) -> int:
    """The signature blocks from row ``sign``: Người lập biểu on the left, the date line and
    Thủ trưởng đơn vị on the right (names from ``dossier.yaml``, else space to write them).
    Returns the last row written."""
    right = "F"
    title = heading.head_title or "THỦ TRƯỞNG ĐƠN VỊ"
    lines = (
        (0, None, f"{heading.place or '…'}, ngày … tháng … năm {heading.year + 1}", False,
         True),
        (1, "NGƯỜI LẬP BIỂU", title, True, False),
        (2, "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", False, True),
        (7, heading.prepared_by, heading.head, True, False),
    )
    for offset, left_text, right_text, bold, italic in lines:
        r = sign + offset
        ws.merge_cells(f"A{r}:C{r}")
        ws.merge_cells(f"{right}{r}:{last}{r}")
        style: dict[str, Any] = {"bold": bold, "italic": italic, "border": False,
                                 "horizontal": "center", "size": 12}
        _put_text(ws, r, 1, left_text, st, **style)
        _put_text(ws, r, 6, right_text, st, **style)
    if "\n" in title:
        ws.row_dimensions[sign + 1].height = _row_height(((title, 60),), 12)
    return sign + 7


def _status_note(ws: Worksheet, st: _Styles, card: Scorecard, r: int, last: str) -> int:
    """Under the signatures, for a provisional framework: a note saying so. Returns the last
    row of the sheet."""
    fw = card.framework
    if fw.status == "official":
        return r - 2
    text = (f"Ghi chú: bảng điểm lập theo bộ tiêu chí tạm thời ({fw.title}); điểm tối đa và "
            "cách chấm được đối chiếu lại khi có bảng tiêu chí chính thức.")
    ws.merge_cells(f"A{r}:{last}{r}")
    _put_text(ws, r, 1, text, st, italic=True, size=10, border=False)
    ws.row_dimensions[r].height = 28
    return r


def _validations(ws: Worksheet, validations: Mapping[Decimal, list[str]]) -> None:
    """The reviewer cells accept a number from 0 to the item's maximum."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for mx, targets in sorted(validations.items()):
        dv = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2=_lit(mx), allow_blank=True, showErrorMessage=True,
                            errorTitle="Điểm thẩm định không hợp lệ",
                            error=f"Nhập một số từ 0 đến {_lit(mx).replace('.', ',')}.",
                            promptTitle="Điểm thẩm định", showInputMessage=True,
                            prompt=f"Từ 0 đến {_lit(mx).replace('.', ',')} điểm.")
        for ref in targets:
            dv.add(ref)
        ws.add_data_validation(dv)
