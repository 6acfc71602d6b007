"""The scoring workbook read back as reviewers really leave it: blank rows inserted, thousands
marks, codes typed as numbers, dates typed as text, error values. Tiny edits of the example's
exported workbook, each named after the defect it once had."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex.workbook.export import export_workbook
from parindex.workbook.layout import MAIN_SHEET, REGISTER_SHEET
from parindex.workbook.read import read_workbook

from .conftest import EXAMPLE

APPRAISED = 5  # column E, Điểm thẩm định


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wb") / "bang-diem.xlsx"
    export_workbook(EXAMPLE, out, check=False)
    return out


def _edited(exported: Path, tmp: Path, edit: Any) -> Path:
    from openpyxl import load_workbook

    target = tmp / "bang-diem.xlsx"
    shutil.copy(exported, target)
    wb = load_workbook(target)
    ws = wb[MAIN_SHEET]
    rows = {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1)
            if ws.cell(r, 1).value is not None}
    edit(wb, ws, rows)
    wb.save(target)
    return target


def _kinds(reading: Any) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.line, f.item) for f in reading.report.findings
            if f.code != "workbook-not-appraised"]


def test_a_blank_row_inserted_between_items_does_not_end_the_table(exported: Path,
                                                                   tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        ws.cell(rows["7.4"], APPRAISED).value = 0.5
        ws.insert_rows(rows["1.3.3"])  # rows below move down by one

    reading = read_workbook(_edited(exported, tmp_path, edit))
    assert _kinds(reading) == []
    assert reading.appraised() == {"7.4": D("0.5")}
    assert len(reading.items) == len(read_workbook(exported).items)


def test_a_thousands_mark_in_a_score_is_refused_not_read_as_a_decimal(exported: Path,
                                                                     tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        ws.cell(rows["1.1.1"], APPRAISED).value = "1.000"  # 1000 or 1?
        ws.cell(rows["1.3.3"], APPRAISED).value = " 0,5 "

    reading = read_workbook(path := _edited(exported, tmp_path, edit))
    rows = {i.code: i.row for i in reading.items}
    assert _kinds(reading) == [("workbook-not-a-number", rows["1.1.1"], "1.1.1"),
                               ("workbook-number-as-text", rows["1.3.3"], "1.3.3")]
    assert reading.report.findings[0].message.startswith(
        f"Ô E dòng {rows['1.1.1']} chứa “1.000” không rõ là 1000 hay 1,000")
    assert reading.appraised() == {"1.3.3": D("0.5")}
    assert path.exists()


def test_a_code_typed_as_a_number_is_read_as_the_cell_shows_it(exported: Path,
                                                              tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        cell = ws.cell(rows["1.5"], 1)
        cell.value, cell.number_format = 1.5, "0.00"  # shows 1.50: not item 1.5
        ws.cell(rows["1.6"], 1).value = 1.6  # shows 1.6: item 1.6
        ws.cell(rows["1.6"], APPRAISED).value = 1

    reading = read_workbook(_edited(exported, tmp_path, edit))
    row = next(i.row for i in read_workbook(exported).items if i.code == "1.5")
    assert sorted(_kinds(reading), key=str) == [("workbook-missing-row", None, "1.5"),
                                                ("workbook-unknown-row", row, "1.50")]
    assert reading.appraised() == {"1.6": D(1)}


def test_error_values_true_and_dates_in_a_score_are_named_as_the_sheet_shows_them(
        exported: Path, tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        ws.cell(rows["1.1.1"], APPRAISED).value = "#DIV/0!"
        ws.cell(rows["1.1.2"], APPRAISED).value = True
        ws.cell(rows["1.1.3"], APPRAISED).value = dt.datetime(2021, 3, 15)

    reading = read_workbook(_edited(exported, tmp_path, edit))
    assert [f.message.split(" chứa ", 1)[1] for f in reading.report.findings
            if f.code == "workbook-not-a-number"] == [
        "báo lỗi #DIV/0! (công thức hoặc dữ liệu bị hỏng) thay vì số điểm.",
        "TRUE, không phải số điểm.", "15/03/2021, không phải số điểm."]
    assert reading.appraised() == {}


def test_register_dates_typed_as_text_are_read_and_an_impossible_one_is_a_warning(
        exported: Path, tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        reg = wb[REGISTER_SHEET]
        reg.cell(4, 3).value = "15/03/2021"
        reg.cell(5, 3).value = "31/02/2021"
        reg.cell(6, 3).value = "15-3-2021"

    reading = read_workbook(_edited(exported, tmp_path, edit))
    assert [r.date for r in reading.register[:3]] == [dt.date(2021, 3, 15), None,
                                                      dt.date(2021, 3, 15)]
    assert [(f.code, f.line, f.message) for f in reading.report.findings
            if f.code == "workbook-register-date"] == [
        ("workbook-register-date", 5, "Trang Danh mục TLKC, dòng 5: ngày “31/02/2021” không có "
         "thật (ngày/tháng/năm, ví dụ 15/03/2021); ngày ban hành không được đọc.")]


def test_an_inserted_column_or_a_renamed_sheet_is_a_typed_error_an_official_reads(
        exported: Path, tmp_path: Path) -> None:
    from parindex.core.errors import InputError

    path = _edited(exported, tmp_path, lambda wb, ws, rows: ws.insert_cols(3))
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line) == (path, 7)
    assert problem.message.startswith("dòng tiêu đề của trang 'Tự chấm điểm' không đúng mẫu "
                                      "bảng điểm của parindex")
    path = _edited(exported, tmp_path, lambda wb, ws, rows: setattr(ws, "title", "Bảng điểm"))
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert exc.value.problems[0].message.startswith(
        "không có trang 'Tự chấm điểm': trang bị đổi tên hoặc xóa")


def test_an_appraisal_merged_over_two_items_is_a_finding_not_one_items_score(
        exported: Path, tmp_path: Path) -> None:
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        r = rows["1.1.1"]
        ws.cell(r, APPRAISED).value = 1  # meant for 1.1.1 and 1.1.2 both?
        ws.merge_cells(start_row=r, start_column=APPRAISED, end_row=r + 1, end_column=APPRAISED)

    reading = read_workbook(_edited(exported, tmp_path, edit))
    r = next(i.row for i in reading.items if i.code == "1.1.1")
    assert [(f.code, f.item, f.message) for f in reading.report.findings
            if f.code == "workbook-merged-cells"] == [
        ("workbook-merged-cells", code, f"Ô E{row} nằm trong vùng gộp E{r}:E{r + 1}: không biết "
         "điểm thuộc tiêu chí nào; ô không được đọc.")
        for code, row in (("1.1.1", r), ("1.1.2", r + 1))]
    assert reading.appraised() == {}


def test_a_score_in_a_percent_formatted_cell_is_refused_not_read_as_what_it_holds(
        exported: Path, tmp_path: Path) -> None:
    """0,5 typed where the cell shows 50 %: half a point, or fifty? Neither is read."""
    def edit(wb: Any, ws: Any, rows: dict[str, int]) -> None:
        cell = ws.cell(rows["7.4"], APPRAISED)
        cell.value, cell.number_format = 0.5, "0%"
        ws.cell(rows["1.1.1"], APPRAISED).value = 0.5  # a plain number beside it: read

    reading = read_workbook(_edited(exported, tmp_path, edit))
    row = next(f.line for f in reading.report.findings if f.item == "7.4")
    assert [(f.code, f.message) for f in reading.report.findings
            if f.item == "7.4" and f.code != "workbook-not-appraised"] == [
        ("workbook-not-a-number", f"Ô E dòng {row} định dạng phần trăm (hiện 50%): không "
                                  "rõ là 0,5 hay 50 điểm; ghi số điểm ở ô định dạng số "
                                  "thường.")]
    assert reading.appraised() == {"1.1.1": D("0.5")}


def test_a_merged_range_declared_over_the_whole_sheet_is_refused_before_it_is_loaded(
        exported: Path, tmp_path: Path) -> None:
    """A hostile file may declare one merge of 17 billion cells in its XML: openpyxl would
    make an object for each while loading (a MemoryError after minutes). The package check
    counts the merged cells first and refuses the file, naming the sheet."""
    import re
    import zipfile

    from parindex.core.errors import InputError

    r = read_workbook(exported).items[-1].row
    target = tmp_path / "huge-merge.xlsx"
    with zipfile.ZipFile(exported) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(r"<mergeCells count=\"(\d+)\">",
                                  lambda m: f'<mergeCells count="{int(m[1]) + 1}">'
                                            f'<mergeCell ref="E{r}:XFD1048576"/>',
                                  data.decode("utf-8"))
                assert n == 1
                data = text.encode("utf-8")
            out.writestr(info, data)
    with pytest.raises(InputError) as got:
        read_workbook(target)
    from openpyxl import load_workbook

    own = sum(rng.size["rows"] * rng.size["columns"]
              for rng in load_workbook(exported)[MAIN_SHEET].merged_cells.ranges)
    cells = (1048576 - r + 1) * (16384 - 5 + 1) + own  # the form's own merges counted too
    assert [p.message for p in got.value.problems] == [
        f"xl/worksheets/sheet1.xml gộp (merge) {cells} ô, giới hạn 1000000 (too many merged "
        "cells)"]
    assert read_workbook(exported).items  # the file as exported still reads
