"""Read an annex table as it is published: the rows of a ``.xlsx`` sheet or a ``.docx`` table,
merged cells resolved (a merged cell repeats the text of the cell it continues, marked as such).

openpyxl and python-docx are imported inside the readers: the command line does not load them
at start-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package
from parindex.core.sheetvalue import show_value

__all__ = ["Cell", "Merge", "SourceRow", "SourceTable", "read_table"]

Merge = Literal["", "left", "above"]


@dataclass(frozen=True)
class Cell:
    """One cell of a source table; ``merged`` says it repeats the cell left of or above it."""

    text: str
    value: Any = None
    merged: Merge = ""
    number_format: str | None = None
    """The Excel number format of a number cell (a code 1.1 formatted ``0.00`` shows 1.10)."""


@dataclass(frozen=True)
class SourceTable:
    """A sheet or a Word table, with the text written above it (title, year …)."""

    rows: list[SourceRow]
    preamble: tuple[str, ...] = ()
    sheet: str | None = None
    """The sheet's name (Excel); None for a Word table."""
    hidden: bool = False
    """A hidden sheet (Excel): an old version kept out of sight is read only when no visible
    sheet holds a criteria table."""
    hidden_rows: tuple[SourceRow, ...] = ()
    """Rows hidden in Excel (hidden, or in a collapsed group): not in :attr:`rows`. The
    printed annex, and its PDF, does not show them: an old or draft criterion kept out of
    sight is not imported unseen (the import report lists them)."""


@dataclass(frozen=True)
class SourceRow:
    number: int
    """1-based row number in its sheet (Excel) or table (Word)."""
    cells: tuple[Cell, ...]
    where: str
    """How a person finds the row: ``row 12`` or ``table 2 row 5``."""

    def cell(self, col: int | None) -> Cell:
        if col is None or col >= len(self.cells):
            return Cell("")
        return self.cells[col]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, bool | dt.date | dt.time):
        return show_value(value)  # TRUE, 15/03/2021: as the sheet shows them
    return nfc(str(value)).strip()


def read_table(path: Path, sheet: str | None = None) -> list[SourceTable]:
    """The tables of a ``.xlsx`` (one per sheet) or ``.docx`` file, merged cells resolved."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".docx":
        return _read_docx(path)
    raise InputError([Problem(f"unsupported file type '{path.suffix}': give a .xlsx or .docx "
                              "table (save .xls/.doc files in the new format first)", path)],
                     "cannot read annex table")


# -- Excel -------------------------------------------------------------------------------------
def _read_xlsx(path: Path, sheet: str | None) -> list[SourceTable]:
    import openpyxl

    package = check_package(path, "cannot read annex table", max_rows=LIMITS.table_rows)
    try:
        wb = openpyxl.load_workbook(package, data_only=True)
        formulas = openpyxl.load_workbook(package, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise InputError([Problem(f"not a readable Excel workbook ({exc})", path)],
                         "cannot read annex table") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError([Problem(f"no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}",
                                  path)], "cannot read annex table")
    names = [sheet] if sheet else wb.sheetnames
    many = len(wb.sheetnames) > 1
    return [_xlsx_sheet(wb[name], formulas[name], name, f"sheet '{name}' " if many else "")
            for name in names]


def _xlsx_merged(ws: Any) -> dict[tuple[int, int], tuple[Merge, int, int]]:
    """Every cell covered by a merge but its first: how it is merged, and the first cell."""
    merged: dict[tuple[int, int], tuple[Merge, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r, c)] = ("left" if r == rng.min_row else "above",
                                      rng.min_row, rng.min_col)
    return merged


def _xlsx_sheet(ws: Any, formulas: Any, name: str, prefix: str) -> SourceTable:
    merged = _xlsx_merged(ws)
    hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    rows: list[SourceRow] = []
    out_of_sight: list[SourceRow] = []
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_xlsx_cell(ws, formulas, merged, r, c, value)
                 for c, value in enumerate(row, start=1)]
        (out_of_sight if r in hidden else rows).append(
            SourceRow(r, tuple(cells), f"{prefix}row {r}"))
    return SourceTable(rows, sheet=name, hidden=ws.sheet_state != "visible",
                       hidden_rows=tuple(out_of_sight))


def _xlsx_cell(ws: Any, formulas: Any, merged: dict[tuple[int, int], tuple[Merge, int, int]],
               r: int, c: int, value: Any) -> Cell:
    if (r, c) in merged:
        kind, r0, c0 = merged[(r, c)]
        origin = ws.cell(r0, c0).value
        return Cell(_text(origin), origin, kind)
    if value is None:
        formula = formulas.cell(r, c).value
        if isinstance(formula, str) and formula.startswith("="):
            # a formula never calculated (file written by a program, not saved by Excel)
            return Cell(formula, formula)
    if isinstance(value, float):
        return Cell(_text(value), value, number_format=ws.cell(r, c).number_format)
    return Cell(_text(value), value)


# -- Word --------------------------------------------------------------------------------------
def _read_docx(path: Path) -> list[SourceTable]:
    import docx

    package = check_package(path, "cannot read annex table", max_rows=LIMITS.table_rows)
    try:
        document = docx.Document(package)
    except Exception as exc:  # python-docx raises many kinds for damaged files
        raise InputError([Problem(f"not a readable Word document ({exc})", path)],
                         "cannot read annex table") from None
    many = len(document.tables) > 1
    preambles = _docx_preambles(document)
    tables = []
    for t, table in enumerate(document.tables, start=1):
        pre = preambles[t - 1] if t - 1 < len(preambles) else ()
        tables.append(SourceTable(_docx_rows(table, f"table {t} " if many else ""), pre))
    return tables


def _docx_preambles(document: Any) -> list[tuple[str, ...]]:
    """For each table of the document, the paragraphs written between it and the one before."""
    preambles: list[tuple[str, ...]] = []
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = nfc("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text.strip():
                lines.append(text.strip())
        elif tag == "tbl":
            preambles.append(tuple(lines))
            lines = []
    return preambles


def _docx_rows(table: Any, prefix: str) -> list[SourceRow]:
    rows: list[SourceRow] = []
    above: list[Any] = []
    for r, row in enumerate(table.rows, start=1):
        tcs: list[Any] = [None] * row.grid_cols_before
        tcs += [cell for cell in row.cells]
        rows.append(SourceRow(r, tuple(_docx_cells(tcs, above)), f"{prefix}row {r}"))
        above = tcs
    return rows


def _docx_cells(tcs: list[Any], above: list[Any]) -> list[Cell]:
    """A row's cells (None for the grid columns before its first), merges found by identity
    with the cell on the left or in the row above."""
    cells = []
    for c, cell in enumerate(tcs):
        if cell is None:
            cells.append(Cell(""))
            continue
        text = nfc("\n".join(p.text for p in cell.paragraphs)).strip()
        kind: Merge = ""
        if c > 0 and tcs[c - 1] is not None and tcs[c - 1]._tc is cell._tc:
            kind = "left"
        elif c < len(above) and above[c] is not None and above[c]._tc is cell._tc:
            kind = "above"
        cells.append(Cell(text, text, kind))
    return cells
