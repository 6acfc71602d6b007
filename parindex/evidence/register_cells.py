"""Cells of the register sheet (sổ tài liệu kiểm chứng in Excel) as an office really types it.

:func:`sheet_rows` finds the sheet (by its name, else the first sheet whose header has the
``Mã tài liệu`` column: an instructions sheet placed first is skipped), the columns by their
headings (NFC, spaces ignored), and gives every row's cells as the official sees them:

* a merged cell (an issuer merged over the documents it issued) repeats its value on every
  row it covers;
* a date is a date cell, a serial number, or text typed day first; one that does not exist
  (31/02/2021) is a problem, never a wrong date;
* an item code typed as a number is read as the cell shows it (1.1 formatted ``0.00`` is
  ``1.10``); TRUE is ``TRUE``;
* an Excel error value (``#REF!``) and a formula saved without its value are problems, never
  text or an empty cell.

The draft cell's text (:data:`DRAFT_MARK`) is read here too (:func:`read_draft`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.sheetvalue import (
    cell_date,
    code_text,
    error_value,
    sheet_facts,
    show_value,
)

__all__ = ["CONTINUED", "DRAFT_MARK", "FREE_TEXT", "SUGGESTED_ITEM", "SUGGESTED_TASK",
           "cell_text", "lines_of", "read_draft", "sheet_rows"]

DRAFT_MARK = "Chưa xác nhận"
"""First line of the draft cell of an entry ``register scan`` drafted. Any text in that cell
keeps the entry a draft; a person confirms the entry by clearing the cell."""
SUGGESTED_ITEM = "gợi ý tiêu chí: "
SUGGESTED_TASK = "gợi ý nhiệm vụ: "
FREE_TEXT = "ghi chú"
CONTINUED = "  "


def read_draft(text: str | None) -> dict[str, Any] | None:
    """The draft block of a draft cell (written by the register's ``_draft_cell``); text
    typed by hand that does not read as a ``field: …`` line is kept under ``ghi chú``, and
    the entry stays a draft."""
    if text is None or not text.strip():
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip().casefold() == DRAFT_MARK.casefold():
        lines = lines[1:]
    sources: dict[str, str] = {}
    proves: list[str] = []
    tasks: list[str] = []
    last: str | None = None
    for line in lines:
        if line.startswith(CONTINUED) and last is not None:
            sources[last] += "\n" + line[len(CONTINUED):]
            continue
        if line.startswith(SUGGESTED_ITEM):
            proves.append(line[len(SUGGESTED_ITEM):])
        elif line.startswith(SUGGESTED_TASK):
            tasks.append(line[len(SUGGESTED_TASK):])
        elif ": " in line and line.partition(": ")[0] not in sources and not line[0].isspace():
            last, _, where = line.partition(": ")
            sources[last] = where
            continue
        elif line.strip():
            note = sources.get(FREE_TEXT)
            sources[FREE_TEXT] = line if note is None else f"{note}\n{line}"
        last = None
    return {"sources": sources, "proves": proves, "tasks": tasks}


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return show_value(value) if isinstance(value, bool) else str(value)


def lines_of(value: str | None) -> list[str]:
    return [] if value is None else value.split("\n")


def _heading(value: Any) -> str:
    return " ".join(nfc(str(value)).split()) if value is not None else ""


def sheet_rows(wb: Any, package: io.BytesIO, file: Path, name: str,
               columns: tuple[tuple[str, str], ...],
               ) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The non-empty rows of the register sheet of ``wb`` (read-only, values only), as
    ``(row number, {column key: value})``, and the problems of their cells (see the module).
    Raises :class:`InputError` when no sheet has the id column."""
    names = {_heading(label): key for key, label in columns} | {k: k for k, _ in columns}
    labels = dict(columns)
    sheets = [wb[name]] if name in wb.sheetnames else []
    sheets += [ws for ws in wb.worksheets if ws.title != name]
    for ws in sheets:
        header = next(ws.iter_rows(max_row=1, values_only=True), None) or ()
        keys = [names.get(_heading(h)) if h is not None else None for h in header]
        if "id" in keys:
            break
    else:
        first = sheets[0].title if sheets else name
        raise InputError([Problem(f"no column 'Mã tài liệu' (id) in sheet {first!r}", file, 1)],
                         "invalid register sheet")
    facts = sheet_facts(package, ws.title)
    fill: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in facts.merged:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fill[(r, c)] = (r0, c0)
    firsts: dict[tuple[int, int], Any] = {}
    wanted = set(fill.values())
    problems: list[Problem] = []
    out: list[tuple[int, dict[str, Any]]] = []
    for rownum, row in enumerate(ws.iter_rows(min_row=2), start=2):
        cells: dict[str, Any] = {}
        for col, (key, cell) in enumerate(zip(keys, row, strict=False), start=1):
            value = cell.value
            if (rownum, col) in wanted:
                firsts[(rownum, col)] = value
            if (rownum, col) in fill:
                value = firsts.get(fill[(rownum, col)])
            if key is None:
                continue
            label = labels[key]
            if (rownum, col) in facts.uncalculated:
                problems.append(Problem("công thức chưa được tính: mở tệp bằng Excel hoặc "
                                        "LibreOffice rồi lưu lại, hoặc nhập giá trị", file,
                                        rownum, label))
                continue
            error = error_value(value)
            if error is not None:
                problems.append(Problem(f"ô báo lỗi {error} (công thức hoặc dữ liệu bị hỏng)",
                                        file, rownum, label))
                continue
            if key == "date":
                value = cell_date(value)
                if isinstance(value, str):
                    problems.append(Problem(value, file, rownum, label))
                    continue
            elif key == "proves" and isinstance(value, float):
                value = code_text(value, getattr(cell, "number_format", None))
            cells[key] = value
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        out.append((rownum, cells))
    return out, problems
