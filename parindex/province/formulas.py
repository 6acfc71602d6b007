"""Is a total's formula still the sum of its children? (:func:`check_sum`)

The totals of areas and criteria in a score sheet are formulas over the rows below. A
department (or anyone between) may have edited one: typed a different range, added a
constant, pointed at another column. The check is structural, so it needs no recalculation:
the formula must be ``SUM`` of (or ``+`` over) exactly the children's cells in its own column,
optionally wrapped as parindex writes the appraisal column (empty until one child is filled).
"""

from __future__ import annotations

import re

__all__ = ["check_sum", "column_letter"]

_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")
_ALLOWED = {"=SUM(X)", '=IF(COUNT(X)=0,"",SUM(X))', "=X"}


def column_letter(index: int) -> str:
    """Letters of a 0-based column number (0 → A, 26 → AA)."""
    n, out = index + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_sum(formula: str, column: int, child_rows: list[int]) -> str | None:
    """None when ``formula`` sums exactly ``child_rows`` of ``column`` (0-based); else what is
    wrong, in Vietnamese."""
    text = formula.strip().upper().replace(" ", "")
    letter = column_letter(column)
    rows: list[int] = []
    for m in _REF.finditer(text):
        first, r1, last, r2 = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if first != letter or (last is not None and last != letter):
            return f"công thức {formula[:80]} lấy ô ngoài cột {letter}"
        end = int(r2) if r2 is not None else r1
        if end - r1 > 10_000:
            return f"công thức {formula[:80]} lấy vùng quá lớn"
        rows.extend(range(r1, end + 1))
    skeleton = _REF.sub("X", text)
    while "X,X" in skeleton or "X+X" in skeleton:
        skeleton = skeleton.replace("X,X", "X").replace("X+X", "X")
    if skeleton not in _ALLOWED:
        return f"công thức {formula[:80]} không phải tổng các dòng con"
    want = sorted(child_rows)
    if sorted(set(rows)) != want or (len(rows) != len(set(rows)) and "COUNT" not in skeleton):
        shown = ", ".join(f"{letter}{r}" for r in want)
        return f"công thức {formula[:80]} không cộng đúng các dòng con ({shown})"
    return None

