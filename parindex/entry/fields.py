"""What each self-scored item asks for, read from its rule: the inputs a unit fills.

One place says, per rule kind, which fields of :class:`~parindex.framework.inputs.ItemInput`
an item takes (the option, the counts or ratio, the points, one count per penalty or term) and
how to say that in Vietnamese. The skeleton of ``parindex new``, the input form and its
read-back all use it, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.framework.extras import ExtraItem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Node
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    Rule,
    WeightedRule,
    _fmt,
)

__all__ = ["CARRIED", "Detail", "Needs", "carried", "needs_of", "needs_of_extra"]

CARRIED = ("option", "percent", "done", "total", "count", "counts", "occurrences", "points",
           "not_applicable", "explanation", "note")
"""The fields of an item's input a form carries; every other field of the YAML is kept."""


@dataclass(frozen=True)
class Detail:
    """One count of a weighted or deduction rule: its own row in a form."""

    field: str
    """``counts`` (weighted terms) or ``occurrences`` (penalties)."""
    id: str
    label: str
    value: Decimal
    """The term's weight, or the points a penalty takes off each time."""


@dataclass(frozen=True)
class Needs:
    """The inputs one scored item takes."""

    columns: tuple[str, ...]
    """Item-row fields among ``option``, ``done``, ``total``, ``percent``, ``count``,
    ``points``."""
    details: tuple[Detail, ...] = ()
    options: tuple[tuple[str, str, Decimal], ...] = ()
    """Choice rules: ``(id, label, points)`` of every option."""
    not_applicable: bool = False
    derived: bool = False
    """Computed from the plan (``derive``): typed values are overridden when a plan exists."""
    step: Decimal | None = None
    """Manual rules: the points typed must be a multiple of this step."""

    def describe(self) -> str:
        """What to enter, in Vietnamese, one line."""
        parts: list[str] = []
        if self.options:
            parts.append("chọn một phương án: " + "; ".join(
                f"{label} ({_fmt(pts)} điểm)" for _, label, pts in self.options))
        if "done" in self.columns and "percent" in self.columns:
            parts.append("số đã thực hiện / tổng số, hoặc tỷ lệ %")
        elif "total" in self.columns:
            parts.append("tổng số")
        if "count" in self.columns:
            parts.append("số lượng")
        if "points" in self.columns:
            parts.append("điểm tự chấm, có giải trình")
        for d in self.details:
            unit = "số lần" if d.field == "occurrences" else "số lượng"
            parts.append(f"{unit} “{d.label}”")
        if self.not_applicable:
            parts.append("hoặc đánh dấu không áp dụng")
        if self.derived:
            parts.append("tự tính từ kế hoạch CCHC khi hồ sơ có plan.yaml")
        return "; ".join(parts)


def needs_of(node: Node) -> Needs:
    """The inputs the rule of ``node`` (a scored item) reads."""
    # as Framework.na_allowed: allowed outright, or the item says what N/A does to it
    na = bool(getattr(node.item, "not_applicable_allowed", False)
              or getattr(node.item, "not_applicable", None) is not None)
    derived = getattr(node.item, "derive", None) is not None
    return _needs(node.rule, na, derived)


def needs_of_extra(item: ExtraItem) -> Needs:
    """The inputs a bonus or penalty item's rule reads (never N/A: blank is "none")."""
    return _needs(item.rule, False, False)


def _needs(rule: Rule | None, na: bool, derived: bool) -> Needs:
    if isinstance(rule, ChoiceRule):
        opts = tuple((o.id, o.label, o.points) for o in rule.options)
        return Needs(("option",), options=opts, not_applicable=na, derived=derived)
    if isinstance(rule, BandsRule) and rule.measure == "count":
        return Needs(("count",), not_applicable=na, derived=derived)
    if isinstance(rule, BandsRule | ProportionalRule):
        return Needs(("done", "total", "percent"), not_applicable=na, derived=derived)
    if isinstance(rule, WeightedRule):
        details = tuple(Detail("counts", t.id, t.label, t.weight) for t in rule.terms)
        return Needs(("total",), details, not_applicable=na, derived=derived)
    if isinstance(rule, DeductionRule):
        details = tuple(Detail("occurrences", p.id, p.label, p.points) for p in rule.penalties)
        return Needs((), details, not_applicable=na, derived=derived)
    if isinstance(rule, ManualRule):
        return Needs(("points",), not_applicable=na, derived=derived, step=rule.step)
    return Needs((), not_applicable=na, derived=derived)  # survey items: not self-scored


def carried(inp: ItemInput | None) -> dict[str, Any]:
    """The carried fields of ``inp`` that are set (``not_applicable`` only when true)."""
    if inp is None:
        return {}
    out: dict[str, Any] = {}
    for name in CARRIED:
        value = getattr(inp, name)
        if value is None or value is False or value == {}:
            continue
        out[name] = dict(value) if isinstance(value, dict) else value
    return out
