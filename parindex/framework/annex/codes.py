"""The numbering of an annex table: 1 / 1.1 / 1.1.1, Roman numerals for areas, letters for
sub-criteria, section letters and bullets; also a code written at the start of the name cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from parindex.core.sheetvalue import code_text
from parindex.framework.annex.layout import Layout
from parindex.framework.annex.table import Cell, SourceRow, SourceTable

__all__ = ["Code", "code_parts", "numbered_rows", "read_code", "roman"]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int | None:
    """``"IV"`` → 4; None when ``text`` is not a Roman numeral (up to 399)."""
    t = text.upper()
    if not t or not re.fullmatch(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", t):
        return None
    total = 0
    for a, b in zip(t, [*t[1:], ""], strict=True):
        v = _ROMAN[a]
        total += -v if b and _ROMAN[b] > v else v
    return total or None


def code_parts(code: str) -> tuple[int, ...]:
    """``"1.2.3"`` → ``(1, 2, 3)``."""
    return tuple(int(p) for p in code.split("."))


_CODE_IN_TEXT = re.compile(
    r"^(?P<code>[IVXLC]+|[A-H]|\d+(?:\.\d+)*)(?P<sep>[.):]\s*|\s+)(?P<rest>\S.*)$", re.S)
"""A code written at the start of the name cell: "1.1. Kế hoạch", "II. Cải cách …" (a bare
"2 lần" is not a code: a single number needs its dot)."""


@dataclass(frozen=True)
class Code:
    kind: Literal["roman", "number", "letter", "section", "bullet", "none", "bad"]
    parts: tuple[int, ...] = ()
    text: str = ""


def read_code(cell: Cell) -> Code:
    if cell.merged:
        return Code("none")
    value = cell.value
    if isinstance(value, float) and not cell.merged:
        text = code_text(value, cell.number_format) or ""  # as the cell shows it: 1.10
    else:
        text = cell.text
    text = text.strip().rstrip(".):").strip()
    if not text:
        return Code("none")
    if re.fullmatch(r"\d+(?:\.\d+)*", text):
        return Code("number", tuple(int(p) for p in text.split(".")), text)
    if re.fullmatch(r"[A-H]", text):
        return Code("section", (), text)
    n = roman(text)
    if n is not None:
        return Code("roman", (n,), text)
    if re.fullmatch(r"[a-zđ]", text):
        return Code("letter", (), text)
    if re.fullmatch(r"[-+*•–]+", text):
        return Code("bullet", (), text)
    return Code("bad", (), text)


def numbered_rows(chosen: list[tuple[SourceTable, Layout]],
                  ) -> list[tuple[Code, str, SourceRow, Layout]]:
    """Data rows with their numbering resolved (also when written inside the name)."""
    out = []
    for table, lay in chosen:
        for row in table.rows[lay.first_data:]:
            if not any(c.text and not c.merged for c in row.cells):
                continue
            code, name = _code_and_name(row, lay)
            out.append((code, name, row, lay))
    return out


def _code_and_name(row: SourceRow, lay: Layout) -> tuple[Code, str]:
    code_cell = row.cell(lay.columns.get("code"))
    name_cell = row.cell(lay.columns["name"])
    code = read_code(code_cell)
    name = "" if name_cell.merged else name_cell.text
    if name_cell.merged == "left" and code.kind in ("none", "bad"):
        code, name = Code("bad", (), name_cell.text), ""
    if code.kind in ("none", "bad"):
        m = _CODE_IN_TEXT.match(code.text if code.kind == "bad" else name)
        if m and (m["sep"].strip() or "." in m["code"]) and (
                re.fullmatch(r"\d+(?:\.\d+)*|[A-H]", m["code"]) or roman(m["code"])):
            code, name = read_code(Cell(m["code"])), m["rest"].strip()
    elif name_cell.merged == "left":
        name = name_cell.text
    return code, name
