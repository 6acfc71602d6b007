"""The register sheet as offices really type it in Excel: an instructions sheet first, headings
typed decomposed, an issuer merged over its documents, dates as serial numbers or impossible
ones, error values and formulas without values, codes with a trailing space. Each fixture is
named after the defect it once had."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from parindex.core.errors import InputError
from parindex.evidence.register import SHEET, SHEET_COLUMNS, register_from_xlsx

HEADINGS = [label for _, label in SHEET_COLUMNS]
KEYS = [key for key, _ in SHEET_COLUMNS]


def _sheet(path: Path, rows: list[dict[str, Any]], *, headings: list[str] = HEADINGS,
           edit: Any = None, first: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    if first is not None:
        wb.create_sheet(first, 0)["A1"] = "Hướng dẫn nhập sổ"
    ws.append(headings)
    for row in rows:
        ws.append([row.get(k) for k in KEYS])
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


def _problems(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(InputError) as exc:
        register_from_xlsx(path)
    return [(p.line, p.key, p.message) for p in exc.value.problems]


def test_an_issuer_merged_over_its_documents_is_read_on_every_row(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "merged-issuer.xlsx",
                  [{"id": "a", "issuer": "Sở Khoa học và Công nghệ"}, {"id": "b"}, {"id": "c"}],
                  edit=lambda ws: ws.merge_cells("E2:E4"))
    assert [d.issuer for d in register_from_xlsx(path).documents] == [
        "Sở Khoa học và Công nghệ"] * 3


def test_a_date_serial_number_is_read_and_an_impossible_date_is_a_vietnamese_problem(
        tmp_path: Path) -> None:
    path = _sheet(tmp_path / "serial-date.xlsx", [{"id": "a", "date": 44270}])
    assert register_from_xlsx(path).documents[0].date == dt.date(2021, 3, 15)
    path = _sheet(tmp_path / "impossible-date.xlsx",
                  [{"id": "a", "date": "31/02/2021"}, {"id": "b", "date": "15/03/21"}])
    assert _problems(path) == [
        (2, "Ngày ban hành", "ngày “31/02/2021” không có thật (ngày/tháng/năm, ví dụ "
                             "15/03/2021)"),
        (3, "Ngày ban hành", "ngày “15/03/21”: ghi năm đủ bốn chữ số (ví dụ 15/03/2021)")]


def test_an_error_value_and_a_formula_without_value_are_problems_not_text(
        tmp_path: Path) -> None:
    path = _sheet(tmp_path / "error-values.xlsx",
                  [{"id": "a", "number": "#REF!"}, {"id": "b", "subject": '=A3&" năm 2021"'}])
    assert _problems(path) == [
        (2, "Số ký hiệu", "ô báo lỗi #REF! (công thức hoặc dữ liệu bị hỏng)"),
        (3, "Trích yếu", "công thức chưa được tính: mở tệp bằng Excel hoặc LibreOffice rồi lưu "
                         "lại, hoặc nhập giá trị")]


def test_decomposed_headings_an_instructions_sheet_first_and_trailing_spaces(
        tmp_path: Path) -> None:
    nfd = [unicodedata.normalize("NFD", h) + " " for h in HEADINGS]
    path = _sheet(tmp_path / "nfd-headings.xlsx",
                  [{"id": "kh ", "proves": "1.1.1 : Mục II\n1.2 ", "issuer": "Sở KH&CN "}],
                  headings=nfd, first="Hướng dẫn")
    doc = register_from_xlsx(path).documents[0]
    assert (doc.id, doc.issuer, [(p.item, p.locator) for p in doc.proves]) == (
        "kh", "Sở KH&CN", [("1.1.1", "Mục II"), ("1.2", None)])


def test_an_item_code_typed_as_a_number_is_read_as_the_cell_shows_it(tmp_path: Path) -> None:
    def edit(ws: Any) -> None:
        ws["I2"].number_format = "0.00"  # 1.1 shows 1.10

    path = _sheet(tmp_path / "float-code.xlsx", [{"id": "a", "proves": 1.1},
                                                  {"id": "b", "proves": 1.5}], edit=edit)
    assert [d.items for d in register_from_xlsx(path).documents] == [("1.10",), ("1.5",)]


def test_a_renamed_register_sheet_after_an_instructions_sheet_is_found_by_its_columns(
        tmp_path: Path) -> None:
    def edit(ws: Any) -> None:
        ws.title = "Sổ TLKC 2021"

    path = _sheet(tmp_path / "renamed-sheet.xlsx", [{"id": "a"}], edit=edit, first="Hướng dẫn")
    assert [d.id for d in register_from_xlsx(path).documents] == ["a"]
