"""What a spreadsheet cell an official typed really says: numbers, dates, codes, error values.

Every reader of a workbook a person filled (the input forms, the scoring workbook read back,
the register sheet, the annex, the departments' sheets of the province roll-up) reads cells
through here, so that a value one reader refuses is never silently misread by another:

* a number typed as text is read with either decimal mark (``0,5``, `` 1,25 ``, ``0.5``), but
  a single dot or comma followed by exactly three digits (``1.234``, ``1,250``) is refused as
  ambiguous: it is a thousands separator in one convention and a decimal mark in the other;
  ``1.234.567``, ``1.234,5`` and ``1,234.5`` are not ambiguous and are read;
* an Excel error value (``#REF!``, ``#DIV/0!`` …) is never taken for text or a number;
* a date typed as text (``15/03/2021``, ``15-3-2021``, ``2021-03-15``) is read day first, a
  date that does not exist (``31/02/2021``) is refused, and a serial number (44270) is read as
  Excel's day count only within plausible years;
* an item code typed as a number (1.1) is read as the code the cell *shows*: a cell formatted
  ``0.00`` holding 1.1 shows ``1.10``.

The facts openpyxl's read-only mode does not give — merged ranges and formulas saved without
a calculated value — are read straight from the sheet's XML (:func:`sheet_facts`).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["ERROR_VALUES", "SheetFacts", "as_decimal", "cell_date", "code_text", "error_value",
           "excel_serial_date", "number_text", "parse_date_text", "percent_format", "range_text",
           "sheet_facts", "show_value"]

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                          "#UNKNOWN!", "#CONNECT!", "#BUSY!"})
"""The error values Excel (and LibreOffice, which writes the same) stores in a cell."""


def error_value(value: Any) -> str | None:
    """The error value (``#REF!``) a cell holds, else None."""
    if isinstance(value, str):
        text = value.strip().upper()
        if text in ERROR_VALUES:
            return text
    return None


def show_value(value: Any) -> str:
    """A cell's value as the official sees it in the spreadsheet, for a message: ``TRUE``,
    ``15/03/2021``, ``1,5`` (never Python's ``True`` or ``datetime.datetime(…)``)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        text = repr(value) if value != int(value) else str(int(value))
        return text.replace(".", ",")
    return str(value)


_PLAIN = re.compile(r"[+-]?\d+")
_ONE_MARK = re.compile(r"(?P<int>[+-]?\d+)(?P<mark>[.,])(?P<frac>\d+)")
_VI_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
"""Thousands with dots, decimals after a comma (the Vietnamese way): 1.234.567 or 1.234,5."""
_EN_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
"""Thousands with commas, decimals after a dot: 1,234,567 or 1,234.5."""


def number_text(text: str) -> Decimal | str:
    """The number a text cell holds, or a reason (Vietnamese) why it is not one.

    Spaces (also non-breaking) around and inside are ignored; see the module for the marks."""
    t = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    if not t:
        return "ô trống"
    if _PLAIN.fullmatch(t):
        return Decimal(t)
    m = _ONE_MARK.fullmatch(t)
    if m:
        digits = m["int"].lstrip("+-")
        if len(m["frac"]) == 3 and len(digits) <= 3 and not digits.startswith("0"):
            mark = "chấm" if m["mark"] == "." else "phẩy"
            return (f"“{text.strip()}” không rõ là {m['int']}{m['frac']} hay "
                    f"{m['int']},{m['frac']}: dấu {mark} vừa có thể ngăn cách hàng nghìn vừa "
                    "có thể là dấu thập phân; nhập số không có dấu ngăn cách hàng nghìn, phần "
                    "thập phân sau dấu phẩy")
        return Decimal(f"{m['int']}.{m['frac']}")
    if _VI_GROUPS.fullmatch(t):
        return Decimal(t.replace(".", "").replace(",", "."))
    if _EN_GROUPS.fullmatch(t):
        return Decimal(t.replace(",", ""))
    return f"“{text.strip()}” không phải là số"


def percent_format(number_format: str | None) -> bool:
    """Does a cell's number format show its value as a percentage (``0%``, ``0.00%``)?"""
    if not number_format:
        return False
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)  # quoted text, escapes
    return "%" in plain


_DMY = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def parse_date_text(text: str) -> dt.date | str | None:
    """A date typed as text, day first (``15/03/2021``, ``15-3-2021``, ``15.03.2021``) or ISO
    (``2021-03-15``); a reason (Vietnamese) when it looks like a date but is not one (a day
    that does not exist, a two-digit year); None when it does not look like a date at all."""
    t = text.strip()
    m = _ISO.fullmatch(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _DMY.fullmatch(t)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) != 4:
            return f"ngày “{t}”: ghi năm đủ bốn chữ số (ví dụ 15/03/2021)"
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return f"ngày “{t}” không có thật (ngày/tháng/năm, ví dụ 15/03/2021)"


_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL = (dt.date(1990, 1, 1) - _EPOCH).days
_LAST_SERIAL = (dt.date(2100, 12, 31) - _EPOCH).days


def excel_serial_date(value: Any) -> dt.date | None:
    """The date an Excel serial number stands for (44270 → 15/03/2021), for a whole number
    between 1990 and 2100 only (a small number in a date column is not a date)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != int(value) or not _FIRST_SERIAL <= value <= _LAST_SERIAL:
        return None
    return _EPOCH + dt.timedelta(days=int(value))


def cell_date(value: Any) -> dt.date | str | None:
    """The date in a cell: a date or date-time cell, an Excel serial number, or text typed day
    first; a reason (Vietnamese) why the cell is not one; None for an empty cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    serial = excel_serial_date(value)
    if serial is not None:
        return serial
    if isinstance(value, str):
        if not value.strip():
            return None
        got = parse_date_text(value)
        if got is not None:
            return got
    return (f"“{show_value(value)}” không phải là ngày (ghi ngày/tháng/năm, ví dụ "
            "15/03/2021)")


_FIXED = re.compile(r"^0+\.(0+)$")


def code_text(value: Any, number_format: str | None = None) -> str | None:
    """An item code as the cell shows it: text stripped; a whole number as ``3``; a number
    with a fixed-decimals format (``0.00``) with as many decimals (1.1 → ``1.10``); another
    number as its shortest form (1.1 → ``1.1``). None for an empty cell."""
    if value is None or isinstance(value, bool):
        return None if value is None else show_value(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        fixed = _FIXED.match((number_format or "").strip())
        if fixed:
            return f"{value:.{len(fixed[1])}f}"
        if value == int(value):
            return str(int(value))
        return repr(float(value))
    text = str(value).strip()
    return text or None


# -- facts from the sheet's XML -----------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class SheetFacts:
    """What the sheet's XML says that openpyxl's read-only mode does not."""

    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged ranges as (first row, first column, last row, last column), 1-based."""
    uncalculated: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    """(row, column) of formula cells saved without a calculated value."""

    def merged_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        for rng in self.merged:
            if rng[0] <= row <= rng[2] and rng[1] <= col <= rng[3]:
                return rng
        return None


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def range_text(rng: tuple[int, int, int, int]) -> str:
    """``(5, 6, 7, 6)`` → ``F5:F7``."""
    def letters(col: int) -> str:
        out = ""
        while col:
            col, rest = divmod(col - 1, 26)
            out = chr(65 + rest) + out
        return out
    return f"{letters(rng[1])}{rng[0]}:{letters(rng[3])}{rng[2]}"


_FACT_TAG = re.compile(rb"<(?:\w+:)?(?:f|mergeCell)[\s/>]")
"""A formula or a merged range, with any namespace prefix: what makes the parse worth it."""


def sheet_facts(package: io.BytesIO, sheet: str) -> SheetFacts:
    """The merged ranges and uncalculated formulas of the sheet named ``sheet`` in a checked
    package (:func:`parindex.core.files.check_package`); empty facts when the sheet cannot be
    found (the reader reports the sheet itself)."""
    from xml.etree.ElementTree import iterparse  # only when a sheet is read

    package.seek(0)
    try:
        with zipfile.ZipFile(package) as z:
            part = _sheet_part(z, sheet)
            if part is None:
                return SheetFacts()
            merged: list[tuple[int, int, int, int]] = []
            uncalculated: set[tuple[int, int]] = set()
            with z.open(part) as stream:  # sizes were checked by check_package
                if not _FACT_TAG.search(stream.read()):
                    return SheetFacts()  # no formula, no merge: nothing to parse
            with z.open(part) as stream:
                for _, el in iterparse(stream, events=("end",)):
                    tag = el.tag
                    if tag == f"{_MAIN}c":
                        f = el.find(f"{_MAIN}f")
                        if f is not None:
                            v = el.find(f"{_MAIN}v")
                            empty = v is None or (not v.text and el.get("t") != "str")
                            if empty and el.get("r"):
                                uncalculated.add(_ref(el.get("r", "")))
                        el.clear()
                    elif tag == f"{_MAIN}row":
                        el.clear()
                    elif tag == f"{_MAIN}mergeCell":
                        first, _, last = (el.get("ref") or "").partition(":")
                        (r0, c0), (r1, c1) = _ref(first), _ref(last or first)
                        merged.append((r0, c0, r1, c1))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError):
        return SheetFacts()
    finally:
        package.seek(0)
    return SheetFacts(tuple(merged), frozenset(uncalculated))


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str | None:
    from xml.etree.ElementTree import iterparse

    rid = None
    with z.open("xl/workbook.xml") as stream:
        for _, el in iterparse(stream, events=("end",)):
            if el.tag == f"{_MAIN}sheet" and el.get("name") == sheet:
                rid = el.get(f"{_REL}id")
                break
    if rid is None:
        return None
    with z.open("xl/_rels/workbook.xml.rels") as stream:
        for _, el in iterparse(stream, events=("end",)):
            if el.tag == f"{_PKG_REL}Relationship" and el.get("Id") == rid:
                target = el.get("Target") or ""
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("xl", target))
    return None


def as_decimal(value: float | int) -> Decimal | None:
    """A numeric cell as an exact decimal (the float's shortest form); None for NaN/∞."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - repr of a float is always a number
        return None
    return number if number.is_finite() else None
