"""Bonus and penalty items outside the 100 points (điểm thưởng, điểm trừ).

A framework may carry an ``extras`` block beside its tree: a ``bonus`` group (sáng kiến, giải
thưởng …) and a ``penalty`` group (violations, a self-assessment the appraisal lowers by more
than a threshold …). Each group may have a cap (``max_points``: scoring software keeps, per
year, a maximum bonus and a maximum penalty) and its items, each with its own most points and
a rule of the kinds of :mod:`parindex.framework.rules`.

An item's rule gives the points it adds (bonus) or takes off (penalty), between 0 and its
``max_points``; a ``deduction`` rule on a penalty item counts occurrences ("mỗi vi phạm trừ
0,5 điểm") and gives the points it takes off the maximum. An item ``from_appraisal`` is
computed from the appraisal (the self-assessed points less the appraised ones, in points or
in percent of the self-assessed points) through its ``bands`` rule, and stays pending until
the appraisal is known.

Extras never enter the tree: totals, maximum and index stay the tree's
(:mod:`parindex.scoring.extras` scores them apart).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from parindex.core.base import Points, Strict
from parindex.framework.rules import BandsRule, DeductionRule, Rule, SurveyRule, _fmt

__all__ = ["EXTRA_CODE", "ExtraGroup", "ExtraItem", "Extras", "FromAppraisal", "Group"]

Group = Literal["bonus", "penalty"]
FromAppraisal = Literal["gap-points", "gap-percent"]
"""gap-points: self-assessed points less appraised points; gap-percent: that gap in percent
of the self-assessed points (0 when the appraisal raised the score)."""
EXTRA_CODE = r"^[A-Z]{1,3}[0-9]+(\.[0-9]+)*$"
"""Extra items are coded apart from the tree's numbers: ``T1`` (thưởng), ``TR2`` (trừ)."""
GROUP_VI: dict[Group, str] = {"bonus": "Điểm thưởng", "penalty": "Điểm trừ"}


class ExtraItem(Strict):
    """One bonus or penalty item."""

    code: str = Field(pattern=EXTRA_CODE)
    name: str = Field(min_length=1)
    max_points: Points = Field(gt=0)
    """The most points this item adds (bonus) or takes off (penalty)."""
    source: str = Field(min_length=1)
    status: Literal["provisional", "official"] | None = None
    """Overrides the group's status (then the framework's) for this item."""
    guidance: str | None = None
    note: str | None = None
    rule: Rule
    evidence: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()
    from_appraisal: FromAppraisal | None = None
    """Computed from the appraisal result instead of typed (see the module doc)."""


class ExtraGroup(Strict):
    """The bonus or the penalty items, with their cap."""

    max_points: Points | None = Field(default=None, gt=0)
    """The cap on the group's points (None: the items' sum, uncapped)."""
    source: str | None = None
    status: Literal["provisional", "official"] | None = None
    items: tuple[ExtraItem, ...] = Field(min_length=1)


class Extras(Strict):
    """``extras:`` of a framework: points outside the framework's total."""

    bonus: ExtraGroup | None = None
    penalty: ExtraGroup | None = None

    @model_validator(mode="after")
    def _check(self) -> Extras:
        problems = [m for g, it in self.items() for m in _item_problems(g, it)]
        codes = [it.code for _, it in self.items()]
        problems += [f"code {c} is used twice" for c in sorted({c for c in codes
                                                                if codes.count(c) > 1})]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def groups(self) -> tuple[tuple[Group, ExtraGroup], ...]:
        out: list[tuple[Group, ExtraGroup]] = []
        if self.bonus is not None:
            out.append(("bonus", self.bonus))
        if self.penalty is not None:
            out.append(("penalty", self.penalty))
        return tuple(out)

    def items(self) -> tuple[tuple[Group, ExtraItem], ...]:
        """Every item with its group, bonus first, in document order."""
        return tuple((g, it) for g, grp in self.groups() for it in grp.items)

    def item(self, code: str) -> tuple[Group, ExtraItem] | None:
        return next(((g, it) for g, it in self.items() if it.code == code), None)


def extra_points_range(item: ExtraItem) -> tuple[Decimal, Decimal]:
    """The fewest and most points ``item``'s rule can give (added or taken off)."""
    low, high = item.rule.attainable(item.max_points)
    if isinstance(item.rule, DeductionRule):  # the points it takes off the maximum
        return Decimal(0), item.max_points - item.rule.floor
    return low, high


def _item_problems(group: Group, item: ExtraItem) -> list[str]:
    where = f"{group} {item.code}"
    rule = item.rule
    if isinstance(rule, SurveyRule):
        return [f"{where}: a bonus or penalty item is not scored by the survey"]
    if isinstance(rule, DeductionRule) and group == "bonus":
        return [f"{where}: a deduction rule takes points off: it goes in the penalty group"]
    if isinstance(rule, DeductionRule) and rule.floor != 0:
        return [f"{where}: a deduction rule of a penalty item takes off at most its "
                "max_points: floor must be 0"]
    problems = []
    if item.from_appraisal is not None:
        want = "percent" if item.from_appraisal == "gap-percent" else "count"
        if group != "penalty":
            problems.append(f"{where}: from_appraisal goes with a penalty item")
        if not isinstance(rule, BandsRule) or rule.measure != want:
            problems.append(f"{where}: from_appraisal {item.from_appraisal} needs a bands rule "
                            f"with measure {want}")
    low, high = extra_points_range(item)
    if low < 0:
        problems.append(f"{where}: the rule's lowest points {_fmt(low)} are below 0 (a penalty "
                        "is written as points taken off, in the penalty group)")
    if high != item.max_points:
        problems.append(f"{where}: the rule's best is {_fmt(high)} but max_points is "
                        f"{_fmt(item.max_points)}")
    return problems
