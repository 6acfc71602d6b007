"""Whether a classification (xếp loại) may be printed for a scorecard.

A grade computed from a self-score under placeholder bands misleads whoever reads it: it is
printed only when the framework's bands are official (every band official:
:attr:`~parindex.framework.model.Framework.classification_official`) and every survey point
is known (nothing pending). Every output
that could print a grade (the workbook, the report) asks here.
"""

from __future__ import annotations

from parindex.scoring.scorecard import Scorecard

__all__ = ["grade", "grade_withheld"]


def grade_withheld(card: Scorecard) -> str | None:
    """Why no classification is printed for ``card`` (Vietnamese), or None when it may be."""
    fw = card.framework
    if not fw.classification:
        return "Bộ tiêu chí không có thang xếp loại."
    if not fw.classification_official:
        return "Thang xếp loại của bộ tiêu chí là tạm thời, chưa phải thang chính thức."
    if not card.total.survey_given:
        return "Chưa có đủ điểm điều tra xã hội học."
    if card.total.index is None:
        return "Chưa tính được chỉ số."
    return None


def grade(card: Scorecard) -> str | None:
    """The classification to print, or None when :func:`grade_withheld` gives a reason."""
    return None if grade_withheld(card) is not None else card.classification
