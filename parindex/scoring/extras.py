"""Scoring the bonus and penalty items (:mod:`parindex.framework.extras`), apart from the tree.

Each item gives points between 0 and its maximum: ``scored``; ``not-entered`` (no input: no
bonus claimed, no violation recorded, 0 points); ``invalid-input`` (0 points, the rule's
message; also an input typed for an item computed from the appraisal);
``appraisal-pending`` (an item computed from the appraisal before it is known: 0 points, its
maximum counted in ``pending``). A group's points are the sum of its items, capped at the
group's ``max_points``. ``net`` = bonus − penalty; the scorecard's score, maximum and index
never include them (``adjusted_score`` / ``adjusted_index`` show the figures with them, under
their own names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from parindex.framework.extras import ExtraItem, Group
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import DeductionRule, RuleInputError, _fmt, quantize

__all__ = ["Appraisal", "ExtraScore", "ExtrasScore", "GroupScore", "score_extras"]

ExtraStatus = Literal["scored", "not-entered", "invalid-input", "appraisal-pending"]
ZERO = Decimal(0)


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Appraisal:
    """The appraisal result items ``from_appraisal`` read: the self-assessed points of the
    appraised items and the points the reviewer gave them."""

    self_score: Decimal
    appraised: Decimal

    @property
    def gap_points(self) -> Decimal:
        """How many points the appraisal took off (0 when it raised the score)."""
        return max(ZERO, self.self_score - self.appraised)

    @property
    def gap_percent(self) -> Decimal:
        """That gap in percent of the self-assessed points."""
        if self.self_score <= 0:
            return ZERO
        return min(Decimal(100), self.gap_points / self.self_score * 100)


@dataclass(frozen=True)
class ExtraScore:
    """One bonus or penalty item scored."""

    code: str
    name: str
    group: Group
    status: ExtraStatus
    max: Decimal
    points: Decimal
    """Points added (bonus) or taken off (penalty), ≥ 0."""
    pending: Decimal = ZERO
    problem: str | None = None
    input: ItemInput | None = field(default=None, compare=False)

    @property
    def explanation(self) -> str | None:
        return self.input.explanation if self.input else None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "group": self.group,
                "status": self.status, "max": _num(self.max), "points": _num(self.points),
                "pending": _num(self.pending), "explanation": self.explanation,
                "problem": self.problem}


@dataclass(frozen=True)
class GroupScore:
    """The bonus or the penalty: the items' sum, capped."""

    group: Group
    cap: Decimal | None
    items_points: Decimal
    pending: Decimal

    @property
    def points(self) -> Decimal:
        return self.items_points if self.cap is None else min(self.cap, self.items_points)

    @property
    def capped(self) -> bool:
        return self.points != self.items_points

    def to_dict(self) -> dict[str, Any]:
        return {"max": _num(self.cap), "items_points": _num(self.items_points),
                "points": _num(self.points), "capped": self.capped,
                "pending": _num(self.pending)}


@dataclass(frozen=True)
class ExtrasScore:
    """Every extra item scored, and the two groups."""

    items: tuple[ExtraScore, ...]
    bonus: GroupScore
    penalty: GroupScore

    @property
    def net(self) -> Decimal:
        return self.bonus.points - self.penalty.points

    @property
    def by_code(self) -> dict[str, ExtraScore]:
        return {i.code: i for i in self.items}

    def to_dict(self) -> dict[str, Any]:
        return {"bonus": self.bonus.to_dict(), "penalty": self.penalty.to_dict(),
                "net": _num(self.net), "items": [i.to_dict() for i in self.items]}


def _item(fw: Framework, group: Group, item: ExtraItem, inp: ItemInput | None,
          appraisal: Appraisal | None, fixed: Decimal | None = None) -> ExtraScore:
    def out(status: ExtraStatus, points: Decimal = ZERO, pending: Decimal = ZERO,
            problem: str | None = None) -> ExtraScore:
        return ExtraScore(item.code, item.name, group, status, item.max_points, points,
                          pending, problem, inp)

    mx = item.max_points
    if fixed is not None and item.from_appraisal is None:  # a score sheet's points
        if not ZERO <= fixed <= mx:
            return out("invalid-input", problem=f"{_fmt(fixed)} nằm ngoài 0–{_fmt(mx)}")
        return out("scored", quantize(fixed, fw.precision))
    if item.from_appraisal is not None:
        if inp is not None:
            return out("invalid-input", problem="mục này tính từ kết quả thẩm định (chênh lệch "
                       "giữa điểm tự đánh giá và điểm thẩm định), không nhập số liệu")
        if appraisal is None:
            return out("appraisal-pending", pending=mx)
        gap = (appraisal.gap_percent if item.from_appraisal == "gap-percent"
               else appraisal.gap_points)
        # exact (2 of 3 points is 33,33…%, more digits than a typed input may have): no
        # rounding may carry a gap across the rule's threshold
        inp = ItemInput.model_construct(percent=gap) if item.from_appraisal == "gap-percent" \
            else ItemInput.model_construct(count=gap)
    if inp is None:
        return out("not-entered")
    if inp.not_applicable:
        return out("invalid-input", problem="mục điểm thưởng / điểm trừ không đánh dấu không "
                   "áp dụng: để trống nếu không có")
    try:
        value = item.rule.compute(inp, mx)
    except RuleInputError as exc:
        return out("invalid-input", problem=str(exc))
    if isinstance(item.rule, DeductionRule):
        value = mx - value
    points = quantize(value, fw.precision)
    if not ZERO <= points <= mx:  # a manual value is checked by its rule; this is a guard
        return out("invalid-input", problem=f"{_fmt(points)} nằm ngoài 0–{_fmt(mx)}")
    return out("scored", points)


def score_extras(fw: Framework, inputs: Mapping[str, ItemInput],
                 appraisal: Appraisal | None = None,
                 points: Mapping[str, Decimal] | None = None) -> ExtrasScore | None:
    """Score ``fw``'s bonus and penalty items on ``inputs`` (keyed by item code, as the tree's
    items); None when ``fw`` has no ``extras``. ``appraisal``: the appraisal result the items
    ``from_appraisal`` read (pending without it). ``points`` fixes an item's points from
    outside (a score sheet's column, as for the tree's leaves), checked against 0…max; an item
    computed from the appraisal is always computed."""
    extras = fw.extras
    if extras is None:
        return None
    fixed = points or {}
    items = tuple(_item(fw, g, it, inputs.get(it.code), appraisal, fixed.get(it.code))
                  for g, it in extras.items())

    def group(g: Group) -> GroupScore:
        grp = extras.bonus if g == "bonus" else extras.penalty
        mine = [i for i in items if i.group == g]
        return GroupScore(g, None if grp is None else grp.max_points,
                          sum((i.points for i in mine), ZERO),
                          sum((i.pending for i in mine), ZERO))

    return ExtrasScore(items, group("bonus"), group("penalty"))
