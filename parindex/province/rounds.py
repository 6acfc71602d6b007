"""Appraisal rounds in one workbook: the reviewer's first appraisal, the department's response
(giải trình bổ sung) and a second round, as columns found by their headers (``Điểm thẩm định
lần 2``, ``Ý kiến thẩm định``, ``Giải trình bổ sung``) — typed into the form, or appended to the
right of a parindex workbook.

:func:`final_reading` lays the last round over a :class:`~parindex.workbook.read.WorkbookReading`
so that :func:`~parindex.workbook.diff.appraisal_diff` compares the self-assessment with the
final score; :func:`~parindex.province.rollup.unit_changes` lists what each round changed.
"""

from __future__ import annotations

from dataclasses import replace

from parindex.province.sheet import UnitSheet
from parindex.workbook.read import WorkbookReading

__all__ = ["final_reading"]


def final_reading(reading: WorkbookReading, sheet: UnitSheet) -> WorkbookReading:
    """``reading`` with each leaf's appraisal taken from the last round that scored it."""
    if sheet.round_count < 2:
        return reading
    items = []
    for item in reading.items:
        got = sheet.items.get(item.code)
        if got is not None and got.appraised is not None and item.status != "sum":
            item = replace(item, appraised=got.appraised)
        items.append(item)
    return replace(reading, items=tuple(items))
