"""Cells of a scoring workbook read back: formulas with the value a spreadsheet last calculated,
codes as the cell shows them, and the register sheet (``Danh mục TLKC``).

Split from :mod:`parindex.workbook.read`, which reads the main sheet with these helpers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.files import check_package
from parindex.core.findings import Finding, define
from parindex.core.sheetvalue import cell_date, code_text, percent_format
from parindex.workbook.layout import REGISTER_COLUMNS, REGISTER_SHEET
from parindex.workbook.view import RegisterRow

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["Cached", "Formula", "cell_values", "read_register", "text_of"]

_TOPIC = "workbook"
REGISTER_DATE = define(
    "workbook-register-date", "warning", "Ngày ban hành trong danh mục tài liệu không đọc được",
    "Ghi ngày theo dạng ngày/tháng/năm (ví dụ 15/03/2021), hoặc nhập ô dạng ngày.",
    topic=_TOPIC)


def text_of(value: Any) -> str | None:
    """A cell's text (NFC), None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    return text if text != "" else None


@dataclass(frozen=True)
class Formula:
    """A formula cell met while reading; its value is the one last calculated, if any."""

    sheet: str
    coordinate: str
    text: str


class Cached:
    """Values of formula cells as last calculated by a spreadsheet program (loaded lazily:
    a workbook written by parindex and not yet opened in a spreadsheet has none)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wb: Any = None

    def __call__(self, f: Formula) -> Any:
        if self._wb is None:
            from openpyxl import load_workbook

            self._wb = load_workbook(check_package(self.path, "cannot read workbook"),
                                     data_only=True)
        return self._wb[f.sheet][f.coordinate].value


@dataclass(frozen=True)
class Percent:
    """A number in a cell formatted as a percentage, in a column of points: the sheet shows
    ``50%`` for the 0,5 it holds, so neither is surely what was meant."""

    value: float | int


def cell_values(ws: Worksheet, min_row: int, width: int,
                points: frozenset[int] = frozenset()) -> Iterable[list[Any]]:
    """Each row's values (a formula as :class:`Formula`); a code typed as a number in column
    A as the cell shows it (1.1 formatted ``0.00`` is ``1.10``); a number formatted as a
    percentage in one of the ``points`` columns (0-based) as :class:`Percent`."""
    for row in ws.iter_rows(min_row=min_row, max_col=width):
        values = [Formula(ws.title, c.coordinate, c.value) if c.data_type == "f" else c.value
                  for c in row]
        if values and isinstance(values[0], float):
            values[0] = code_text(values[0], row[0].number_format)
        for i in points:
            held = values[i] if i < len(values) else None
            if isinstance(held, int | float) and not isinstance(held, bool) and \
                    percent_format(row[i].number_format):
                values[i] = Percent(held)
        yield values


def _register_date(value: Any, r: int, findings: list[Finding]) -> dt.date | None:
    """The issue date of a register row (:func:`cell_date`); a warning (and None) for a cell
    that is not one."""
    got = cell_date(value)
    if got is None or isinstance(got, dt.date):
        return got
    findings.append(REGISTER_DATE(f"Trang {REGISTER_SHEET}, dòng {r}: {got}; ngày ban hành "
                                  "không được đọc.", line=r))
    return None


_HYPERLINK = re.compile(r'^=HYPERLINK\("(?:[^"]|"")*",\s*"((?:[^"]|"")*)"\)$', re.IGNORECASE)


def read_register(ws: Worksheet, cached: Cached,
                   findings: list[Finding]) -> tuple[RegisterRow, ...]:
    rows: list[RegisterRow] = []
    # the last column, Ký số, is read as shown (absent from older workbooks: None); it is
    # what the check found when the workbook was written, never input
    width = len(REGISTER_COLUMNS)
    keys = [k for k, _ in REGISTER_COLUMNS]
    for r, raw in enumerate(cell_values(ws, 4, width), start=4):
        cells = dict(zip(keys, raw, strict=False))
        for key, value in cells.items():
            if isinstance(value, Formula):
                match = _HYPERLINK.match(value.text) if key == "path" else None
                cells[key] = match.group(1).replace('""', '"') if match else cached(value)
        number = text_of(cells["number"])
        title = text_of(cells["title"])
        if number is None and title is None:
            if all(v is None for v in cells.values()):
                break
            continue
        date = _register_date(cells["date"], r, findings)
        items = tuple(c.strip() for c in (text_of(cells["items"]) or "").split(",") if c.strip())
        rows.append(RegisterRow(number or "", title or "", date, text_of(cells["issuer"]), items,
                                text_of(cells["path"]), text_of(cells.get("signature"))))
    return tuple(rows)
