"""Appraisal rounds in one workbook: the reviewer's first appraisal, the department's response
(giải trình bổ sung) and a second round, as columns found by their headers (``Điểm thẩm định
lần 2``, ``Ý kiến thẩm định``, ``Giải trình bổ sung``) — typed into the form, or appended to the
right of a parindex workbook.

:func:`final_reading` lays the last round over a :class:`~parindex.workbook.read.WorkbookReading`
so that :func:`~parindex.workbook.diff.appraisal_diff` compares the self-assessment with the
final score; :func:`~parindex.province.rollup.unit_changes` lists what each round changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from parindex.province.rollup import Change, unit_changes
from parindex.province.sheet import UnitSheet, read_sheet
from parindex.scoring.scorecard import Scorecard
from parindex.workbook.diff import AppraisalDiff, appraisal_diff
from parindex.workbook.read import WorkbookReading

__all__ = ["RoundsDiff", "diff_rounds", "final_reading"]


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


@dataclass(frozen=True)
class RoundsDiff:
    """The appraisal diff on the final round, with what each round changed (``rounds``)."""

    diff: AppraisalDiff
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        """The :class:`~parindex.workbook.diff.AppraisalDiff` keys, and ``rounds``: per item
        and round ``code``, ``round``, ``before``, ``after``, ``review``, ``response`` (round 1
        against the self-assessed points)."""
        return {**self.diff.to_dict(), "rounds": [c.to_dict() for c in self.changes]}


def diff_rounds(reading: WorkbookReading, card: Scorecard | None = None) -> RoundsDiff:
    """:func:`~parindex.workbook.diff.appraisal_diff` of the last round, and the rounds'
    changes, for a workbook read back (what ``parindex diff`` prints)."""
    sheet = read_sheet(reading.path, reading.framework)
    return RoundsDiff(appraisal_diff(final_reading(reading, sheet), card), unit_changes(sheet))
