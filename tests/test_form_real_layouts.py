"""The input form as officials really leave it in Excel: percentages, thousands marks, formulas
without values, merged or error cells, inserted columns, points off the manual step. Each
case is a tiny edit of an exported form, named after the defect it once had."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from parindex.entry.form_export import export_forms
from parindex.entry.form_import import import_forms
from parindex.entry.form_layout import INPUT_SHEET, column_letter
from parindex.entry.skeleton import skeleton_text
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE, FIXTURES
from .formtools import rows_by_key


def _form(tmp: Path, extras: bool = False) -> tuple[Path, Path]:
    """A blank copy of the example (or of the extras fixture) and its exported form."""
    if extras:
        shutil.copytree(FIXTURES / "extras", tmp / "extras")
        root = tmp / "extras" / "bonus-capped-penalty-pending"
    else:
        root = tmp / "copy"
        shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("documents"))
        (root / "documents").mkdir()
    d = load_dossier(root)
    (root / "self-assessment.yaml").write_text(skeleton_text(d.framework, d.manifest.unit),
                                              encoding="utf-8")
    export_forms(load_dossier(root), tmp / "p.xlsx")
    return root, tmp / "p.xlsx"


def _edit(path: Path, edit: Any) -> dict[str, int]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[INPUT_SHEET]
    rows = rows_by_key(ws)
    edit(ws, rows)
    wb.save(path)
    return rows


def _cell(ws: Any, rows: dict[str, int], key: str, col: str) -> Any:
    return ws[f"{column_letter(col)}{rows[key]}"]


def _found(result: Any) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.document, f.item) for f in result.report.findings]


def test_a_percentage_cell_is_read_as_the_percentage_it_shows(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        cell = _cell(ws, rows, "1.3.3", "percent")
        cell.value, cell.number_format = 0.8, "0%"  # shows 80%
        _cell(ws, rows, "2.2.3", "percent").value = "75 %"

    edit_rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    assert _found(result) == []
    assert {c.item: c.new for c in result.changes} == {"1.3.3": {"percent": D(80)},
                                                       "2.2.3": {"percent": D(75)}}
    assert edit_rows


def test_a_percentage_format_in_a_count_column_is_refused(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        cell = _cell(ws, rows, "1.3.3", "done")
        cell.value, cell.number_format = 0.5, "0%"

    rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    at = f"{column_letter('done')}{rows['1.3.3']}"
    assert _found(result) == [("form-text-in-number", at, "1.3.3")]
    assert result.report.findings[0].message == (
        f"p.xlsx ô {at} (tiêu chí 1.3.3): ô định dạng phần trăm (hiện 50%): ghi số thường, "
        "không ghi phần trăm")
    assert result.changes == ()


def test_a_thousands_dot_is_refused_as_ambiguous_and_decimal_commas_are_read(
        tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        _cell(ws, rows, "1.3.3", "total").value = "1.234"  # 1234, or 1.234?
        _cell(ws, rows, "2.2.3", "done").value = " 1,25 "
        _cell(ws, rows, "2.2.3", "total").value = "1.234,5"  # unambiguous: 1234,5
        _cell(ws, rows, "2.3.3", "done").value = "0,5"
        _cell(ws, rows, "2.3.3", "total").value = "2"

    rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    at = f"{column_letter('total')}{rows['1.3.3']}"
    assert _found(result) == [("form-text-in-number", at, "1.3.3")]
    assert result.report.findings[0].message.startswith(
        f"p.xlsx ô {at} (tiêu chí 1.3.3): “1.234” không rõ là 1234 hay 1,234: dấu chấm vừa có "
        "thể ngăn cách hàng nghìn vừa có thể là dấu thập phân")
    assert {c.item: c.new for c in result.changes} == {
        "2.2.3": {"done": D("1.25"), "total": D("1234.5")},
        "2.3.3": {"done": D("0.5"), "total": D(2)}}


def test_points_off_the_manual_step_are_reported_with_their_cell(tmp_path: Path) -> None:
    root, form = _form(tmp_path, extras=True)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        _cell(ws, rows, "T2", "points").value = 1.3  # the step is 0,25
        _cell(ws, rows, "T2", "explanation").value = "Giải ba hội thi"

    rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    at = f"{column_letter('points')}{rows['T2']}"
    assert _found(result) == [("form-value-out-of-range", at, "T2")]
    assert result.report.findings[0].message == (
        f"p.xlsx ô {at} (tiêu chí T2): điểm 1,3 không phải bội số của 0,25 (bước chấm của "
        "tiêu chí)")
    assert result.changes == ()


def test_a_column_inserted_by_the_unit_moves_the_others_and_they_are_still_read(
        tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        _cell(ws, rows, "1.3.3", "done").value = 3
        _cell(ws, rows, "1.3.3", "total").value = 4
        ws.insert_cols(3)
        ws["C4"] = "Người phụ trách"

    _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    assert _found(result) == []
    assert {c.item: c.new for c in result.changes} == {"1.3.3": {"done": D(3), "total": D(4)}}


def test_a_deleted_column_is_one_finding_not_a_row_by_row_cascade(tmp_path: Path) -> None:
    root, form = _form(tmp_path)
    _edit(form, lambda ws, rows: ws.delete_cols(13))  # Ghi chú
    result = import_forms(root, [form], dry_run=True)
    assert _found(result) == [("form-columns-changed", "'Phiếu nhập'!A4", None)]
    assert result.report.findings[0].message == (
        "Tệp p.xlsx: dòng tiêu đề (dòng 4) của trang “Phiếu nhập” không còn cột “Ghi chú”; "
        "phiếu không được đọc.")
    assert result.changes == ()


def test_a_formula_saved_without_its_value_is_a_finding_not_an_empty_cell(
        tmp_path: Path) -> None:
    root, form = _form(tmp_path)
    rows = _edit(form, lambda ws, rows: setattr(_cell(ws, rows, "1.3.3", "done"), "value",
                                                "=2+1"))
    result = import_forms(root, [form], dry_run=True)
    at = f"{column_letter('done')}{rows['1.3.3']}"
    assert _found(result) == [("form-formula-not-calculated", at, "1.3.3")]
    assert result.changes == ()


def test_merged_input_cells_are_a_finding(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        top = _cell(ws, rows, "2.2.3", "total")
        top.value = 10  # the unit means 10 for 2.2.3 and the row below
        ws.merge_cells(f"{top.coordinate}:{top.column_letter}{top.row + 1}")

    rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    col = column_letter("total")
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-merged-cells", f"{col}{rows['2.2.3']}")]
    assert result.report.findings[0].message == (
        f"p.xlsx ô {col}{rows['2.2.3']} (tiêu chí 2.2.3): ô nằm trong vùng gộp "
        f"{col}{rows['2.2.3']}:{col}{rows['2.2.3'] + 1}; không biết số liệu thuộc dòng nào, "
        "cột nào")
    assert result.changes == ()


def test_an_error_value_is_a_finding_never_an_explanation(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        _cell(ws, rows, "1.3.3", "done").value = "#DIV/0!"
        _cell(ws, rows, "2.2.3", "explanation").value = "#REF!"

    rows = _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    assert _found(result) == [
        ("form-cell-error", f"{column_letter('done')}{rows['1.3.3']}", "1.3.3"),
        ("form-cell-error", f"{column_letter('explanation')}{rows['2.2.3']}", "2.2.3")]
    assert result.report.findings[1].message.endswith("ô báo lỗi #REF! (công thức hoặc dữ liệu "
                                                      "bị hỏng)")
    assert result.changes == ()


def test_true_and_dates_are_named_as_the_sheet_shows_them(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def edit(ws: Any, rows: dict[str, int]) -> None:
        _cell(ws, rows, "1.3.3", "done").value = True
        _cell(ws, rows, "2.2.3", "done").value = dt.datetime(2021, 3, 15)

    _edit(form, edit)
    result = import_forms(root, [form], dry_run=True)
    assert [f.message.split(": ", 1)[1] for f in result.report.findings] == [
        "“TRUE” không phải là số", "“15/03/2021” là ngày giờ, không phải là số"]
