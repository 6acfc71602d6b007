"""A plan's text as logical lines, and what a line is: a heading, a bullet or a field.

The text is first cut into logical lines: a PDF extraction breaks sentences across lines and
blank lines and leaves a leading space after page breaks, so a line that does not start a
heading ("II.", "1.", "6.2.", "a)"), a bullet ("-", "+") or a field is joined to the one
before it. Field lines ("Đơn vị chủ trì thực hiện:", "Cơ quan phối hợp:", "Sản phẩm:", "Thời
gian thực hiện:" and their variants) are recognised by :func:`field_name`.
"""

from __future__ import annotations

import re
from typing import Literal

from parindex.core.base import nfc

__all__ = ["BULLET", "FIELD", "FieldName", "field_name", "heading", "logical_lines", "roman_ok"]

FieldName = Literal["lead", "coordinating", "products", "timeframe", "notes"]

_ROMAN_HEAD = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s+(\S.*)$")
_NUM_HEAD = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_DOTTED_HEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_LETTER_HEAD = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
BULLET = re.compile(r"^([-+•*–])\s*(.*)$")
FIELD = re.compile(r"^([^:]{2,60}?)\s*:\s*(.*)$")
_BARE = re.compile(r"^(?:X{0,3}(?:IX|IV|V?I{0,3})\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[-+•*–])$")
"""A line holding only a heading number or a bullet: the PDF broke the line right after it."""
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_STARTS = (
    re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})\.\s+\S"), re.compile(r"^\d{1,2}\.\s+\S"),
    re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S"), re.compile(r"^[a-zđ]\)\s*\S"),
    re.compile(r"^[-+•*–]\s"), re.compile(r"^Số\s*:"), _BARE,
)


def field_name(label: str) -> FieldName | None:
    low = label.lower().strip()
    if len(low.split()) > 9:
        return None
    if re.search(r"thời\s+gian|thời\s+hạn|tiến\s+độ|hạn\s+hoàn\s+thành", low):
        return "timeframe"
    if "phối hợp" in low:
        return "coordinating"
    if re.search(r"chủ\s+trì|^(?:đơn\s+vị|cơ\s+quan)[^:]*thực\s+hiện$|trách\s+nhiệm", low):
        return "lead"
    if re.search(r"sản\s+phẩm|kết\s+quả", low):
        return "products"
    if "ghi chú" in low:
        return "notes"
    return None


def logical_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of each logical line: broken lines joined, blanks dropped.

    Before the first heading (the document's header), physical lines are kept apart. A line
    holding only a number or a bullet ("1.", "a)", "-") starts a logical line: the PDF broke
    the line right after it. A line holding only digits is a page number and is dropped.
    """
    out: list[tuple[int, str]] = []
    in_header = True
    for number, raw in enumerate(nfc(text).splitlines(), start=1):
        line = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()
        if not line or _PAGE_NUMBER.match(line):  # blank, or a page number alone
            continue
        starts = any(p.match(line) for p in _STARTS)
        if starts and out and not in_header and _mid_sentence_dash(out[-1][1], line):
            starts = False
        if in_header and (heading(line) is not None or _BARE.match(line)):
            in_header = False
        if starts or in_header or not out:
            out.append((number, line))
        else:
            prev_no, prev = out[-1]
            out[-1] = (prev_no, f"{prev} {line}")
    return out


def _mid_sentence_dash(prev: str, line: str) -> bool:
    """A "- …" line that continues a sentence ("Phòng Kế hoạch" / "- Tài chính; …"): the
    line before it neither ends a clause nor is a heading, and it carries no field label."""
    bullet = BULLET.match(line)
    if bullet is None or bullet.group(1) not in "-–":
        return False
    if re.search(r"[.:;!?…]$", prev) or heading(prev) is not None:
        return False
    m = FIELD.match(bullet.group(2))
    return not (m and field_name(m.group(1)))


def roman_ok(key: str) -> bool:
    return bool(key) and re.fullmatch(r"X{0,3}(?:IX|IV|V?I{0,3})", key) is not None


def heading(line: str) -> tuple[Literal["part", "num", "letter"], str, str, str] | None:
    m = _ROMAN_HEAD.match(line)
    if m and roman_ok(m.group(1)):
        return "part", m.group(1), m.group(1) + ".", m.group(2)
    m = _DOTTED_HEAD.match(line)
    if m:
        label = line[: m.start(2)].strip()
        return "num", m.group(1), label, m.group(2)
    m = _NUM_HEAD.match(line)
    if m:
        return "num", m.group(1), m.group(1) + ".", m.group(2)
    m = _LETTER_HEAD.match(line)
    if m:
        return "letter", m.group(1), m.group(1) + ")", m.group(2)
    return None
