"""Reaching a target: the fewest changes lifting the index to a target, confirmed by re-scoring.

:func:`reach_target` picks the smallest set of gains (from
:func:`~parindex.analysis.gains.where_the_points_are`) lifting the index to a target, or says
by how much the target is out of reach, and confirms the answer by re-scoring the changed
inputs. Survey items are left out: the unit cannot act on them (see
:mod:`parindex.analysis.simulation`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.arguments import percent_target
from parindex.analysis.gains import (
    Gain,
    Opportunities,
    _code_key,
    _gain_dict,
    _num,
    dossier_deadlines,
    opportunities,
)
from parindex.analysis.whatif import Change, WhatIf, what_if_scores
from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.core.errors import InputError, Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import _fmt, quantize
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import score

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from parindex.evidence.deadlines import ResolvedDeadline
    from parindex.plan.model import Plan

__all__ = ["TARGET_COLUMNS", "TARGET_KINDS", "Cost", "Costs", "TargetPlan", "cost_function",
           "reach_target", "reach_target_scores"]

ZERO = Decimal(0)
ONE = Decimal(1)

TARGET_COLUMNS = ("code", "name", "area", "action", "needed", "score_before", "score_after",
                  "gain", "index_gain")
"""Column order of :meth:`TargetPlan.to_frame` (fixed)."""
TARGET_KINDS: dict[str, Kind] = {
    "code": "text", "name": "text", "area": "text", "action": "text", "needed": "text",
    "score_before": "float", "score_after": "float", "gain": "float", "index_gain": "float"}
"""Column kinds of :meth:`TargetPlan.to_frame`."""

Cost = Callable[[Gain], Decimal]
Costs = Mapping[str, Decimal | float | int] | Callable[[Gain], Decimal | float | int]
"""What a change costs: a mapping of item codes to a cost (items not named cost 1), or a
function of the :class:`~parindex.analysis.gains.Gain`. Costs are positive numbers."""


def _positive(value: Any, where: str, key: str) -> Decimal:
    title = "invalid costs"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InputError([Problem(f"the cost of {where} must be a positive number, not "
                                  f"{type(value).__name__} {value!r}", key=key)], title)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number <= 0:
        raise InputError([Problem(f"the cost of {where} must be a positive number, not "
                                  f"{value!r}", key=key)], title)
    return number


def cost_function(cost: Costs | None, framework: Framework) -> Cost | None:
    """``cost`` as a function of a gain; a mapping's codes must be scored items."""
    if cost is None:
        return None
    if isinstance(cost, Mapping):
        leaves = {n.code for n in framework.leaves()}
        unknown = [Problem(f"no scored item {code!r} in framework {framework.id}",
                           key=f"cost[{code!r}]") for code in cost if code not in leaves]
        if unknown:
            raise InputError(unknown, "invalid costs")
        table = {code: _positive(v, f"item {code}", f"cost[{code!r}]")
                 for code, v in cost.items()}
        return lambda g: table.get(g.code, ONE)
    if not callable(cost):
        raise InputError([Problem(f"cost must be a mapping of item codes to costs or a "
                                  f"function of a gain, not {type(cost).__name__}",
                                  key="cost")], "invalid costs")
    given = cost

    def checked(g: Gain) -> Decimal:
        return _positive(given(g), f"item {g.code} ({g.action})", "cost")

    return checked


@dataclass(frozen=True)
class TargetPlan:
    """The gains chosen to reach ``target``, confirmed by re-scoring."""

    target: Decimal
    index_before: Decimal | None
    chosen: tuple[Gain, ...]
    confirmation: WhatIf
    """The changed inputs scored again: ``confirmation.after`` is the new scorecard."""
    best_index: Decimal | None
    """The highest index reachable with every reachable gain."""
    method: str

    @property
    def index_after(self) -> Decimal | None:
        return self.confirmation.index_after

    @property
    def reached(self) -> bool:
        after = self.index_after
        return after is not None and after >= self.target

    @property
    def shortfall(self) -> Decimal:
        """Index points missing to the target at best (0 when reachable)."""
        if self.best_index is None:
            return self.target
        return max(ZERO, self.target - self.best_index)

    @property
    def changes(self) -> tuple[Change, ...]:
        """The chosen changes, to pass on (``what_if(d, plan.changes)``, ``simulate(…,
        changes=plan.changes)``)."""
        return tuple(g.change for g in self.chosen)

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.chosen), ZERO)

    def summary(self) -> str:
        before = _fmt(self.index_before) if self.index_before is not None else "–"
        if not self.chosen and self.reached:
            return f"Chỉ số hiện tại {before}% đã đạt mục tiêu {_fmt(self.target)}%."
        if not self.reached:
            best = _fmt(self.best_index) if self.best_index is not None else "–"
            return (f"Không thể đạt {_fmt(self.target)}%: tối đa {best}% nếu thực hiện mọi "
                    f"thay đổi còn có thể, còn thiếu {_fmt(self.shortfall)} điểm phần trăm.")
        after = _fmt(self.index_after) if self.index_after is not None else "–"
        lines = [f"Đạt {_fmt(self.target)}% với {len(self.chosen)} thay đổi "
                 f"(+{_fmt(self.points)} điểm): {before}% → {after}% (đã chấm lại)."]
        lines += [f"- {g.describe()}" for g in self.chosen]
        return "\n".join(lines)

    def _denominator(self) -> Decimal:
        t = self.confirmation.before.total
        return t.max - (t.pending if t.rescale_pending else ZERO)

    def to_frame(self) -> pd.DataFrame:
        """One row per chosen change, largest gain first (empty when nothing is needed or
        the target is out of reach).

        Columns :data:`TARGET_COLUMNS`: ``code``, ``name``, ``area``, ``action`` and
        ``needed`` are ``string``; ``score_before``, ``score_after``, ``gain`` (points) and
        ``index_gain`` (index points) are ``float64``.
        """
        before = self.confirmation.before.by_code
        after = self.confirmation.after.by_code
        d = self._denominator()
        rows = [{"code": g.code, "name": before[g.code].name, "area": before[g.code].area,
                 "action": g.action, "needed": g.needed,
                 "score_before": before[g.code].score, "score_after": after[g.code].score,
                 "gain": g.points, "index_gain": g.points / d * 100 if d > 0 else None}
                for g in self.chosen]
        return frame(rows, [(c, TARGET_KINDS[c]) for c in TARGET_COLUMNS],
                     self.confirmation.before.framework.precision)

    def __repr__(self) -> str:
        head = f"<TargetPlan target {plain(self.target)}: "
        if not self.reached:
            return clip(head + f"out of reach (index {plain(self.index_before)}, at best "
                        f"{plain(self.best_index)}, short by {plain(self.shortfall)})>")
        return clip(head + f"reached with {len(self.chosen)} change(s) "
                    f"({plain(self.points, sign=True)} points), index "
                    f"{plain(self.index_before)} → {plain(self.index_after)} (re-scored)>")

    def _repr_html_(self) -> str:
        first = self.summary().split("\n")[0]
        rows = [(g.code, g.action, g.needed or "", pts(g.points, sign=True))
                for g in self.chosen]
        after = vi(self.index_after) if self.reached else "–"
        tables = [html_table(("Chỉ số hiện tại (%)", "Mục tiêu (%)", "Tối đa đạt được (%)",
                              "Sau các thay đổi (%)"),
                             [(vi(self.index_before), vi(self.target), vi(self.best_index),
                               after)], numeric=range(4))]
        if rows:
            tables.append(html_table(("Mã", "Thay đổi", "Cần", "Tăng (điểm)"), rows,
                                     numeric=(3,)))
        return html_block(f"Mục tiêu chỉ số {vi(self.target)}%", [first], tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": _num(self.target), "reached": self.reached,
            "index_before": _num(self.index_before), "index_after": _num(self.index_after),
            "best_index": _num(self.best_index), "shortfall": _num(self.shortfall),
            "points": _num(self.points), "method": self.method,
            "changes": [_gain_dict(g) | {"code": g.code} for g in self.chosen],
        }


def _reaches(score_: Decimal, denominator: Decimal, target: Decimal) -> bool:
    return denominator > 0 and quantize(score_ / denominator * 100) >= target


def reach_target_scores(
    framework: Framework,
    inputs: Mapping[str, ItemInput],
    survey_inputs: Mapping[str, ItemInput] | None,
    target: Decimal | float | int,
    as_of: dt.date | None = None,
    cost: Costs | None = None,
    unit: str | None = None,
    plan: Plan | None = None,
    future: bool = False,
    deadlines: Mapping[str, ResolvedDeadline] | None = None,
) -> TargetPlan:
    """:func:`reach_target` on a framework and inputs rather than a dossier."""
    goal = percent_target(target)
    given_cost = cost_function(cost, framework)
    card = score(framework, inputs, survey_inputs, unit=unit)
    opp = opportunities(card, as_of, plan, future=future, deadlines=deadlines)
    base, denom = card.total.score, opp.denominator
    unit_cost = given_cost is None
    cost_of: Cost = given_cost or (lambda g: ONE)

    chosen: dict[str, Gain] = {}
    if not _reaches(base, denom, goal):
        # Greedy on each item's most efficient gain. With one unit of cost per change this is
        # exact for the fewest changes: the k largest best-gains are the most any k items give.
        ranked = sorted((o for o in opp.items if o.gains),
                        key=lambda o: (-max(g.points / cost_of(g) for g in o.gains),
                                       -o.gainable, _code_key(o.code)))
        total = base
        for o in ranked:
            g = max(o.gains, key=lambda g: (g.points / cost_of(g), g.points))
            chosen[o.code] = g
            total += g.points
            if _reaches(total, denom, goal):
                break
        if _reaches(total, denom, goal):
            chosen = _trim(chosen, opp, base, denom, goal, cost_of)
        else:
            chosen = {}
    gains = tuple(sorted(chosen.values(), key=lambda g: (-g.points, _code_key(g.code))))
    confirmation = what_if_scores(framework, inputs, survey_inputs, [g.change for g in gains],
                                  unit=unit)
    method = ("fewest changes (exact: largest gains first, then each change lowered to the "
              "smallest gain that still reaches the target)" if unit_cost else
              "greedy by points per cost, then trimmed (a heuristic: not guaranteed cheapest)")
    return TargetPlan(goal, card.total.index, gains, confirmation, opp.best_index, method)


def _trim(chosen: dict[str, Gain], opp: Opportunities, base: Decimal, denom: Decimal,
          goal: Decimal, cost_of: Cost) -> dict[str, Gain]:
    """Drop changes not needed, then lower each to its cheapest option that still reaches."""
    by_code = {o.code: o for o in opp.items}
    out = dict(chosen)

    def total() -> Decimal:
        return base + sum((g.points for g in out.values()), ZERO)

    for code in sorted(out, key=lambda c: (out[c].points, c)):
        g = out.pop(code)
        if not _reaches(total(), denom, goal):
            out[code] = g
    for code in sorted(out, key=lambda c: (out[c].points, c)):
        current = out[code]
        for alt in sorted(by_code[code].gains, key=lambda g: (cost_of(g), g.points)):
            if alt.points >= current.points and cost_of(alt) >= cost_of(current):
                continue
            out[code] = alt
            if _reaches(total(), denom, goal):
                current = alt
                break
            out[code] = current
    return out


def reach_target(dossier: Dossier | Path | str, target: Decimal | float | int,
                 as_of: dt.date | None = None, cost: Costs | None = None, *,
                 future: bool = False) -> TargetPlan:
    """The smallest set of gains lifting the dossier's index to ``target`` (percent, e.g.
    ``95``; a share such as ``0.95`` is refused).

    ``dossier`` is a :class:`~parindex.scoring.dossier.Dossier` or its folder. ``cost``: what
    each change costs, a mapping of item codes (``{"7.2.2": 10}``; items not named cost 1) or
    a function of the gain; the cheapest set is then sought (a heuristic). The answer is
    confirmed by scoring the changed inputs again (``plan.confirmation``); when the target
    cannot be reached, ``plan.reached`` is False and ``plan.shortfall`` says by how many
    index points. After the scoring year no change of fact is offered; ``future=True`` plans a
    future year.
    """
    d = as_dossier(dossier)
    return reach_target_scores(d.framework, d.inputs, d.survey.items if d.survey else None,
                               target, as_of, cost, unit=d.manifest.unit, plan=d.plan,
                               future=future, deadlines=dossier_deadlines(d))
