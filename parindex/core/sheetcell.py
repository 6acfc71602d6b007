"""Safe spreadsheet cells: every writer of an .xlsx puts dossier text through here.

Text from a dossier or a framework is untrusted: a name such as ``=HYPERLINK("…")`` must stay
text in every workbook parindex writes, and control characters that XML forbids (pasted from
Word) must not corrupt the file. openpyxl is not imported here: the functions take the cells
and worksheets the writer already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from parindex.core.lazyre import lazy

__all__ = ["FORMULA_START", "MAX_CELL", "append_row", "clean_text", "clean_texts",
           "looks_like_formula", "put_text"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a typed value as a formula (or DDE)."""

MAX_CELL = 32767
"""Excel's limit on the characters of one cell."""

_ILLEGAL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 forbids (the same set openpyxl refuses)."""


def clean_text(text: str) -> str:
    """Text a workbook can hold: control characters XML forbids removed (a vertical tab
    pasted from Word would corrupt the file), at most 32,767 characters (Excel's limit)."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


def clean_texts(texts: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """:func:`clean_text` of each text of a row (``None`` kept): the row itself when every
    text is already clean, found by one search over them all (the register's rows are
    written by the thousand)."""
    probe = "\n".join([t for t in texts if t])
    if len(probe) <= MAX_CELL and not _ILLEGAL.search(probe):
        return texts
    return tuple(None if t is None else clean_text(t) for t in texts)


def looks_like_formula(text: str | None) -> bool:
    """Would a spreadsheet take this text, typed into a cell, for a formula?"""
    return bool(text) and text.startswith(FORMULA_START)  # type: ignore[union-attr]


def put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl cell as a string, never as a formula.

    The value is bound as a shared string (``data_type "s"``), and text that looks like a
    formula also gets Excel's quote prefix, so that editing the cell in a spreadsheet keeps it
    text too."""
    cell._value = clean_text(text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def append_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """``ws.append`` for untrusted values: strings become text cells (:func:`put_text`),
    other values are written as they are. Returns the row's cells."""
    row = ws._current_row + 1  # where ``ws.append`` would write: the two can be mixed
    ws._current_row = row
    cells = []
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            put_text(cell, value)
        elif value is not None:
            cell.value = value
        cells.append(cell)
    return cells
