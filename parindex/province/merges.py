"""Merged cells of a department's score sheet: a score cell merged over two items, or over two
columns of points, belongs to neither (the roll-up does not guess whose score it is)."""

from __future__ import annotations

import io
from collections.abc import Callable

from parindex.core.sheetvalue import range_text, sheet_facts

__all__ = ["Range", "merged_at", "merged_ranges"]

Range = tuple[int, int, int, int, str]
"""(first row, first column, last row, last column, "A1:B2"), 1-based."""


def merged_ranges(package: io.BytesIO, sheet: str) -> list[Range]:
    """The sheet's merged ranges of more than one cell, read from its XML (openpyxl's
    read-only mode has none), as they are: never expanded cell by cell (a file may declare
    one over the whole sheet)."""
    return [(*rng, range_text(rng)) for rng in sheet_facts(package, sheet).merged
            if rng[2] > rng[0] or rng[3] > rng[1]]


def merged_at(ranges: list[Range], row: int, col: int,
              shared: Callable[[int, int, int, int], bool]) -> str | None:
    """The range holding the cell at ``row``, ``col`` if ``shared(first row, last row, first
    column, last column)`` says it covers another item's row or another column of points."""
    for r0, c0, r1, c1, coord in ranges:
        if r0 <= row <= r1 and c0 <= col <= c1 and shared(r0, r1, c0, c1):
            return coord
    return None
