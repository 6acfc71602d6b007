"""A department's score sheet as the province really receives it: a score typed with a
thousands mark, a code typed as a number and formatted, an error value, TRUE. Tiny edits of the
example's exported workbook read by the roll-up's reader, each named after its defect."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex.framework.catalog import load_framework
from parindex.province.sheet import read_sheet
from parindex.workbook.export import export_workbook
from parindex.workbook.layout import MAIN_SHEET

from .conftest import EXAMPLE

APPRAISED = 5


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prov") / "so-khcn.xlsx"
    export_workbook(EXAMPLE, out, check=False)
    return out


def _edited(exported: Path, tmp: Path, edit: Any) -> tuple[Path, dict[str, int]]:
    from openpyxl import load_workbook

    target = tmp / "so-khcn.xlsx"
    shutil.copy(exported, target)
    wb = load_workbook(target)
    ws = wb[MAIN_SHEET]
    rows = {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1)
            if ws.cell(r, 1).value is not None}
    edit(ws, rows)
    wb.save(target)
    return target, rows


def test_a_thousands_mark_error_values_and_true_in_a_score_are_refused(
        exported: Path, tmp_path: Path) -> None:
    def edit(ws: Any, rows: dict[str, int]) -> None:
        ws.cell(rows["1.1.1"], APPRAISED).value = "1.000"  # 1000 or 1?
        ws.cell(rows["1.1.2"], APPRAISED).value = "#N/A"
        ws.cell(rows["1.1.3"], APPRAISED).value = True
        ws.cell(rows["1.3.3"], APPRAISED).value = "0,5"

    path, rows = _edited(exported, tmp_path, edit)
    sheet = read_sheet(path, load_framework("qn-so-2021"))
    bad = [(f.line, f.message) for f in sheet.findings if f.code == "province-not-a-number"]
    assert [line for line, _ in bad] == [rows["1.1.1"], rows["1.1.2"], rows["1.1.3"]]
    assert bad[0][1].startswith(f"Dòng {rows['1.1.1']}: ô điểm “1.000” không rõ là 1000 hay "
                                "1,000")
    assert bad[1][1] == (f"Dòng {rows['1.1.2']}: ô điểm báo lỗi #N/A (công thức hoặc dữ liệu "
                         "bị hỏng) thay vì số.")
    assert bad[2][1] == f"Dòng {rows['1.1.3']}: ô điểm chứa TRUE, không phải số."
    assert sheet.items["1.3.3"].appraised == D("0.5")
    assert sheet.items["1.1.1"].appraised is None


def test_a_code_typed_as_a_number_and_formatted_is_never_another_item(
        exported: Path, tmp_path: Path) -> None:
    def edit(ws: Any, rows: dict[str, int]) -> None:
        cell = ws.cell(rows["1.5"], 1)
        cell.value, cell.number_format = 1.5, "0.00"  # shows 1.50
        ws.cell(rows["1.6"], 1).value = 1.6  # shows 1.6

    path, _ = _edited(exported, tmp_path, edit)
    sheet = read_sheet(path, load_framework("qn-so-2021"))
    found = {(f.code, f.item) for f in sheet.findings}
    assert ("province-unknown-row", "1.50") in found and ("province-missing-row", "1.5") in found
    assert "1.5" not in sheet.items and "1.6" in sheet.items


def test_a_hidden_copy_of_last_years_sheet_placed_first_is_not_the_one_read(
        exported: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "so-khcn.xlsx"
    shutil.copy(exported, target)
    wb = load_workbook(target)
    old = wb.copy_worksheet(wb[MAIN_SHEET])
    old.title = "Năm trước"
    old.cell(next(r for r in range(1, old.max_row + 1) if old.cell(r, 1).value == "1.1.1"),
             APPRAISED).value = 0  # last year's appraisal
    old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-wb.index(old))
    main = wb[MAIN_SHEET]
    main.cell(next(r for r in range(1, main.max_row + 1) if main.cell(r, 1).value == "1.1.1"),
              APPRAISED).value = 1
    wb.save(target)
    sheet = read_sheet(target, load_framework("qn-so-2021"))
    assert sheet.items["1.1.1"].appraised == D(1)


def test_survey_points_typed_with_a_thousands_mark_are_not_read(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from parindex.province.survey import read_survey

    from .province_material import UNITS, write_survey_table

    path = tmp_path / "dieu-tra.xlsx"
    write_survey_table(path, [UNITS[0]], [0])
    wb = load_workbook(path)
    wb.active["C5"], wb.active["D5"] = "6,5", "3.250"  # 3250, or 3,25?
    wb.save(path)
    table = read_survey(path, load_framework("qn-so-2021"))
    (got,) = table.units.values()
    assert got["8.1"].points == D("6.5") and "8.2" not in got
    assert [(f.item, f.line, f.message) for f in table.findings] == [
        ("8.2", 5, "Ô D5 (tiêu chí 8.2): “3.250” không phải số.")]
