"""An annex table as it is really typed in Excel: the code 1.10 typed as a number and formatted
to show it, points typed with a thousands mark. Tiny sheets named after the defect."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

from parindex.framework.annex.importer import import_annex

from .test_annex import codes, items

HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm"]
TEN = [["1", "CÔNG TÁC CHỈ ĐẠO", "10", ""]] + [
    [f"1.{i}", f"Tiêu chí {i}", "1", "Đạt: 1; Không đạt: 0"] for i in range(1, 11)]
"""An area with ten criteria: 1.1 … 1.10."""


def _annex(path: Path, rows: list[list[Any]], edit: Any = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


def test_code_1_10_typed_as_a_number_formatted_to_show_it_is_criterion_10(
        tmp_path: Path) -> None:
    def edit(ws: Any) -> None:
        cell = ws["A12"]  # 1.10, which Excel stores as the number 1.1
        cell.value, cell.number_format = 1.1, "0.00"

    result = import_annex(_annex(tmp_path / "code-1-10-as-number.xlsx", TEN, edit))
    assert list(items(result.data)) == ["1", *(f"1.{i}" for i in range(1, 11))]
    assert codes(result.report, "annex-code-duplicate") == []


def test_points_typed_with_a_thousands_mark_are_unreadable_not_read_as_a_decimal(
        tmp_path: Path) -> None:
    rows = [list(r) for r in TEN]
    rows[1][2] = "1.000"  # a thousand points, or one?
    result = import_annex(_annex(tmp_path / "points-thousands-mark.xlsx", rows))
    assert codes(result.report, "annex-points-unreadable") == [("1.1", 3)]
    assert items(result.data)["1.1"].get("max_points") is None
    assert items(result.data)["1.2"]["max_points"] == D(1)


def _old_sheet(ws: Any, hidden: bool) -> None:
    """Last year's annex kept in the same workbook, placed first."""
    old = ws.parent.create_sheet("Năm 2020", 0)
    old.append(HEADER)
    old.append(["1", "LĨNH VỰC CŨ", "30", ""])
    old.append(["1.1", "Tiêu chí cũ", "30", "Đạt: 30; Không đạt: 0"])
    if hidden:
        old.sheet_state = "hidden"


def test_a_hidden_old_annex_placed_first_is_not_the_one_imported(tmp_path: Path) -> None:
    result = import_annex(_annex(tmp_path / "hidden-old-sheet-first.xlsx", TEN,
                                 lambda ws: _old_sheet(ws, hidden=True)))
    assert list(items(result.data)) == ["1", *(f"1.{i}" for i in range(1, 11))]
    assert [f.message for f in result.report.findings if f.code == "annex-other-sheets"] == [
        "đọc trang 'Sheet'; không đọc 'Năm 2020'"]


def test_two_visible_criteria_sheets_say_which_one_was_read(tmp_path: Path) -> None:
    result = import_annex(_annex(tmp_path / "two-criteria-sheets.xlsx", TEN,
                                 lambda ws: _old_sheet(ws, hidden=False)))
    assert list(items(result.data)) == ["1", "1.1"]  # the first sheet, as before
    assert [f.message for f in result.report.findings if f.code == "annex-other-sheets"] == [
        "đọc trang 'Năm 2020'; không đọc 'Sheet'"]


def test_a_hidden_row_is_not_imported_unseen(tmp_path: Path) -> None:
    """A criterion hidden in Excel (last year's, kept out of sight; also in a collapsed
    group) is not on the printed annex: it is not read, and the report says where it is."""
    rows = [list(r) for r in TEN[:3]] + [["1.3", "Tiêu chí cũ đã bỏ", "5", "Đạt: 5"]]
    rows[0][2] = "2"

    def edit(ws: Any) -> None:
        ws.row_dimensions[5].hidden = True  # the old criterion 1.3 (row 5)

    result = import_annex(_annex(tmp_path / "hidden-row-old-criterion.xlsx", rows, edit))
    assert list(items(result.data)) == ["1", "1.1", "1.2"]
    assert codes(result.report, "annex-sum-mismatch") == []
    hidden = [(f.severity, f.line, f.message) for f in result.report.findings
              if f.code == "annex-hidden-row"]
    assert hidden == [("warning", 5, "row 5: dòng ẩn, không đọc: 1.3 | Tiêu chí cũ đã bỏ | 5 | "
                                     "Đạt: 5")]


def test_a_visible_annex_has_no_hidden_row_finding(tmp_path: Path) -> None:
    result = import_annex(_annex(tmp_path / "no-hidden-row.xlsx", TEN))
    assert codes(result.report, "annex-hidden-row") == []
    assert len(items(result.data)) == 11
