"""The outputs beside the main sheet show the bonus and penalty items when the framework has
them — the workbook's summary sheet (``Tổng hợp``, recalculated in
``test_extras_workbook``) and the report (báo cáo) — and stay exactly as before without."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from parindex.report.document import export_report
from parindex.workbook.export import export_workbook

from .conftest import EXAMPLE
from .test_entry_form_extras import _cells
from .test_extras import CAPPED

BEFORE = {"submission": "426bea2203575921", "working-copy": "21d7199306aba327",
          "report": "8f7dfe4e08f24245"}
"""The example's (no extras) workbooks (every cell, style, validation; link targets left out:
they depend on where the dossier lies) and report (``word/document.xml``) as written before
the adjusted index row, the summary's and the report's extras (measured with main at
07b669d; the workbooks re-pinned when the register sheet got its Ký số column H, the only
difference: 47a976492552784a and ba061e8426014adc before it)."""


def _workbook_digest(path: Path) -> str:
    text = json.dumps(_cells(path), ensure_ascii=False, default=str)
    text = re.sub(r'HYPERLINK\(\\"[^"\\]*\\"', "HYPERLINK(", text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize("working", [False, True], ids=["submission", "working-copy"])
def test_a_framework_without_extras_gives_the_same_workbook_as_before(
        tmp_path: Path, working: bool) -> None:
    path = tmp_path / "bang-diem.xlsx"
    export_workbook(EXAMPLE, path, working=working)
    assert _workbook_digest(path) == BEFORE["working-copy" if working else "submission"]


def test_a_framework_without_extras_gives_the_same_report_as_before(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    content = export_report(EXAMPLE, out)
    assert content.extras is None
    with zipfile.ZipFile(out) as z:
        digest = hashlib.sha256(z.read("word/document.xml")).hexdigest()[:16]
    assert digest == BEFORE["report"]


def test_the_report_shows_the_bonus_the_penalty_and_the_adjusted_figures(
        tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    content = export_report(CAPPED, out)
    assert content.extras is not None and (
        content.extras.adjusted_score, content.extras.adjusted_index) == ("3,50", "116,67")
    doc = Document(str(out))
    assert [[c.text for c in row.cells] for row in doc.tables[1].rows][3:] == [
        ["", "Tổng cộng", "4,00", "2,00", "66,67"],
        ["", "Điểm thưởng (ngoài tổng điểm)", "2,00", "2,00", ""],
        ["", "Điểm trừ (ngoài tổng điểm)", "1,50", "0,50", ""],
        ["", "Tổng điểm sau thưởng, trừ", "", "3,50", "116,67"]]
    text = [p.text for p in doc.paragraphs]
    start = text.index("Điểm thưởng, điểm trừ không tính vào tổng điểm và Chỉ số cải cách "
                       "hành chính ở trên; tổng điểm sau thưởng, trừ: 3,50 điểm, chỉ số sau "
                       "thưởng, trừ: 116,67%. Điểm thưởng: các mục cộng lại 2,50 điểm, tính "
                       "tối đa 2,00 điểm.")
    assert text[start + 1:start + 5] == [
        "- Điểm thưởng T1 (Sáng kiến cải cách hành chính được công nhận ngoài tiêu chí): "
        "1,00/1,00 điểm.",
        "- Điểm thưởng T2 (Giải thưởng về cải cách hành chính): 1,50/1,50 điểm. Giải nhất "
        "hội thi cải cách hành chính của tỉnh",
        "- Điểm trừ TR1 (Vi phạm kỷ luật, kỷ cương hành chính bị xử lý): 0,50/1,00 điểm.",
        "- Điểm trừ TR2 (Điểm tự đánh giá cao hơn điểm thẩm định trên 10%): chờ kết quả thẩm "
        "định (tối đa 1,00 điểm)."]
    assert text[start + 5].startswith("(Bảng tự đánh giá")
