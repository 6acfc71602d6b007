"""Typed rule → scoring text: the "cách chấm" an annex table prints for a rule.

:func:`rule_text` writes a rule in the usual Vietnamese phrases so that
:func:`parindex.framework.ruletext.parse_rule` reads it back as the same rule (bounds,
points, floors, the not-applicable case); :func:`same_rule` compares two rules on what
scores (:func:`rule_signature`), not on labels.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ProportionalRule,
    Rule,
    SurveyRule,
    WeightedRule,
    _fmt,
)
from parindex.framework.ruletext import parse_rule

__all__ = ["rule_signature", "rule_text", "same_rule"]


def _bound_words(band: Any, unit: str) -> str:
    def n(v: Decimal) -> str:
        return _fmt(v) + unit

    lo = ("Trên " + n(band.above)) if band.above is not None else (
        ("Từ " + n(band.from_)) if band.from_ is not None else "")
    if band.to is not None:
        return f"{lo} đến {n(band.to)}" if lo else f"Đến {n(band.to)}"
    if band.below is not None:
        return f"{lo} đến dưới {n(band.below)}" if lo else f"Dưới {n(band.below)}"
    if band.above is not None:
        return lo
    return f"{lo} trở lên"


def _render(rule: Rule, max_points: Decimal, use_labels: bool) -> str:
    if isinstance(rule, ChoiceRule):
        return "; ".join(f"{o.label}: {_fmt(o.points)}" for o in rule.options)
    if isinstance(rule, BandsRule):
        unit = "%" if rule.measure == "percent" else ""
        parts = [f"{(b.label if use_labels and b.label else _bound_words(b, unit))}: "
                 f"{_fmt(b.points)}" for b in rule.bands]
        return (f"{rule.of}: " if rule.of else "") + "; ".join(parts)
    if isinstance(rule, ProportionalRule):
        of = rule.of or "hoàn thành"
        of = re.sub(r"^tỷ\s*lệ\s*%?\s*", "", of, flags=re.I)
        text = f"Điểm = tỷ lệ % {of} × điểm tối đa"
        floor = rule.from_ if rule.from_ is not None else rule.above
        if floor is not None:
            word = "Từ" if rule.from_ is not None else "Trên"
            text = (f"{word} {_fmt(floor)}%: {text[0].lower()}{text[1:]}; Dưới "
                    f"{_fmt(floor)}%: {_fmt(rule.below_floor_points)}")
        return text
    if isinstance(rule, DeductionRule):
        text = "; ".join(f"{p.label}: -{_fmt(p.points)} điểm/lần" for p in rule.penalties)
        return text + f"; Điểm thấp nhất: {_fmt(rule.floor)}"  # stated, even when 0
    if isinstance(rule, SurveyRule):
        return "Điểm do điều tra xã hội học"
    return rule.describe()  # weighted: "(b/a) × 1 + …"; manual: its text or standard wording


def rule_text(rule: Rule, max_points: Decimal, not_applicable_when: str | None = None,
              not_applicable_policy: Literal["drop", "award-max"] | None = None) -> str:
    """The rule as a "cách chấm" text that :func:`parse_rule` reads back as the same rule.

    Band labels are kept when they read back as the same bounds; otherwise the bounds are
    written in words ("Từ 80% đến dưới 100%").
    """
    text = _render(rule, max_points, use_labels=True)
    if isinstance(rule, BandsRule) and not same_rule(parse_rule(text, max_points).rule, rule):
        text = _render(rule, max_points, use_labels=False)
    if not_applicable_when:
        text += f"; {not_applicable_when}: không áp dụng" + {
            None: "", "award-max": " (tính điểm tối đa)",
            "drop": " (không tính vào điểm tối đa)"}[not_applicable_policy]
    return text


def rule_signature(rule: Rule) -> tuple[Any, ...]:
    """What makes two rules score the same: kind, points and bounds (not labels or ids)."""
    if isinstance(rule, ChoiceRule):
        return ("choice", tuple(o.points for o in rule.options))
    if isinstance(rule, BandsRule):
        return ("bands", rule.measure, tuple((b.points, b.above, b.from_, b.to, b.below)
                                             for b in rule.bands))
    if isinstance(rule, ProportionalRule):
        return ("proportional", rule.above, rule.from_, rule.below_floor_points)
    if isinstance(rule, DeductionRule):
        return ("deduction", tuple((p.points, p.kind) for p in rule.penalties), rule.floor)
    if isinstance(rule, WeightedRule):
        return ("weighted", tuple(t.weight for t in rule.terms))
    if isinstance(rule, SurveyRule):
        return ("survey",)
    return ("manual", rule.step, rule.text)


def same_rule(a: Rule, b: Rule) -> bool:
    return rule_signature(a) == rule_signature(b)
