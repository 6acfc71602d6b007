"""Where the points outside the tree are: bonus items still to claim, penalties still avoidable.

For a framework with ``extras`` (:mod:`parindex.framework.extras`), beside the tree's gains
(:mod:`parindex.analysis.gains`):

- a bonus item below its maximum: each change its rule offers (the candidates of
  :mod:`parindex.analysis.candidates`), scored again with the other items as they are. Its
  gain is what the adjusted score gains, so within the bonus group's cap: beyond the cap a gain
  is worth only what the cap leaves, and once the cap is reached it is worth 0 and listed among
  the blocked gains with the reason. ``item_gain`` is the item's own rise, before the cap.
- a penalty item: a change lowering the points its rule takes off, where the rule's input is a
  state the unit can still change during the year (choice, bands, proportional, weighted). A
  ``deduction`` penalty counts violations that happened: removing a recorded one would change
  a fact, so it is listed as blocked with the reason, never offered. A ``manual`` penalty is
  decided by whoever imposes it: nothing is offered. An item computed from the appraisal takes
  no input: while the appraisal is pending it is listed in ``pending`` (what it may still take
  off), with no gain.
- after the scoring year every change is blocked with the year's reason, as for the tree.

These gains change the adjusted score (tổng điểm sau thưởng, trừ) only, never the tree's
total or index (:data:`~parindex.analysis.extradelta.EXTRAS_NOTE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.analysis.candidates import candidates
from parindex.analysis.changes import Change, changed_input
from parindex.analysis.extradelta import EXTRAS_NOTE
from parindex.core.display import html_table, pts
from parindex.framework.extras import ExtraItem, Group
from parindex.framework.inputs import ItemInput
from parindex.framework.rules import DeductionRule, ManualRule, _fmt, quantize
from parindex.scoring.extras import ExtraScore, ExtrasScore, score_extras
from parindex.scoring.scorecard import Scorecard

__all__ = ["ExtraGain", "ExtraOpportunities", "ExtraOpportunity", "extra_opportunities"]

ZERO = Decimal(0)
RECORDED = ("vi phạm đã xảy ra và đã được ghi nhận: không tránh được bằng cách sửa số liệu")
"""Why removing a recorded violation of a deduction penalty is never offered."""


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _cap_reason(group: Group, cap: Decimal | None) -> str:
    if group == "bonus":
        return (f"điểm thưởng đã đạt mức tối đa {_fmt(cap or ZERO)} điểm: thay đổi này không "
                "làm tăng tổng điểm sau thưởng, trừ")
    return (f"tổng điểm trừ của các mục vẫn vượt mức tối đa {_fmt(cap or ZERO)} điểm: thay "
            "đổi này không làm tăng tổng điểm sau thưởng, trừ")


@dataclass(frozen=True)
class ExtraGain:
    """One change to one bonus or penalty item, and what the adjusted score gains."""

    code: str
    group: Group
    change: Change
    action: str
    points: Decimal
    """What the adjusted score gains (re-scored: within the group's cap)."""
    item_points: Decimal
    """The item's own change: bonus added, or penalty no longer taken off (before the cap)."""
    needed: str | None = None
    reason: str | None = None

    @property
    def reachable(self) -> bool:
        return self.reason is None

    def describe(self) -> str:
        """ "T1 Được UBND tỉnh công nhận: +0,5 (điểm thưởng)" """
        tail = f" ({self.needed})" if self.needed else ""
        kind = "điểm thưởng" if self.group == "bonus" else "tránh điểm trừ"
        return f"{self.code} {self.action}{tail}: +{_fmt(self.points)} ({kind})"

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "needed": self.needed, "gain": _num(self.points),
                "change": self.change.to_dict(), "reason": self.reason,
                "item_gain": _num(self.item_points)}


@dataclass(frozen=True)
class ExtraOpportunity:
    """A bonus or penalty item and the changes open to it."""

    item: ExtraScore
    gains: tuple[ExtraGain, ...]
    """Reachable gains, largest first."""
    blocked: tuple[ExtraGain, ...] = ()

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def best(self) -> ExtraGain | None:
        return self.gains[0] if self.gains else None

    @property
    def gainable(self) -> Decimal:
        return self.gains[0].points if self.gains else ZERO


@dataclass(frozen=True)
class ExtraOpportunities:
    """The bonus and penalty items with changes open to them, apart from the tree."""

    base: ExtrasScore
    items: tuple[ExtraOpportunity, ...]
    pending: tuple[ExtraScore, ...]
    """Penalty items computed from the appraisal, still pending: what they may take off."""
    best: ExtrasScore
    """The extras with every item's best reachable gain taken together (re-scored)."""

    @property
    def gainable(self) -> Decimal:
        """What the adjusted score gains with every best reachable gain (within the caps)."""
        return self.best.net - self.base.net

    @property
    def cap_left(self) -> Decimal | None:
        """Bonus points the cap still leaves (None: no cap)."""
        cap = self.base.bonus.cap
        return None if cap is None else max(ZERO, cap - self.base.bonus.points)

    def to_dict(self, tree_score: Decimal, tree_gainable: Decimal,
                denominator: Decimal) -> dict[str, Any]:
        def index(score: Decimal) -> Decimal | None:
            return None if denominator <= 0 else quantize(score / denominator * 100)

        adjusted = tree_score + self.base.net
        best = tree_score + tree_gainable + self.best.net
        b, p = self.base.bonus, self.base.penalty
        return {
            "note": EXTRAS_NOTE,
            "bonus": {"max": _num(b.cap), "points": _num(b.points),
                      "cap_left": _num(self.cap_left)},
            "penalty": {"max": _num(p.cap), "points": _num(p.points),
                        "pending": _num(p.pending)},
            "adjusted_score": _num(adjusted), "adjusted_index": _num(index(adjusted)),
            "gainable": _num(self.gainable),
            "best_adjusted_score": _num(best), "best_adjusted_index": _num(index(best)),
            "items": [{
                "code": o.code, "name": o.item.name, "group": o.item.group,
                "status": o.item.status, "points": _num(o.item.points),
                "max": _num(o.item.max), "gainable": _num(o.gainable),
                "adjusted_index_gain": round(float(o.gainable / denominator * 100), 2)
                if denominator > 0 else 0.0,
                "gains": [g.to_dict() for g in o.gains],
                "blocked": [g.to_dict() for g in o.blocked],
            } for o in self.items],
            "pending": [{"code": i.code, "name": i.name, "max": _num(i.pending),
                         "reason": "chờ kết quả thẩm định: mục này tính từ chênh lệch giữa "
                                   "điểm tự đánh giá và điểm thẩm định, không nhập số liệu"}
                        for i in self.pending],
        }

    def html(self, limit: int = 15) -> str:
        """The items and their best change, as an HTML table (for a notebook)."""
        rows = [(o.code, "Điểm thưởng" if o.item.group == "bonus" else "Điểm trừ",
                 o.item.name, o.best.action if o.best else "", pts(o.gainable, sign=True),
                 "; ".join(f"{g.action}: {g.reason}" for g in o.blocked)) for o in self.items]
        rows += [(i.code, "Điểm trừ", i.name, "chờ kết quả thẩm định", "",
                  f"có thể bị trừ đến {pts(i.pending)} điểm") for i in self.pending]
        return html_table(("Mã", "Loại", "Mục", "Thay đổi tốt nhất",
                           "Tăng tổng điểm sau thưởng, trừ", "Không còn đạt được"), rows,
                          numeric=(4,), caption="Điểm thưởng, điểm trừ (ngoài tổng điểm)",
                          limit=limit)

    def lines(self, limit: int = 10) -> list[str]:
        """Vietnamese lines for the summary."""
        out = [f"Ngoài tổng điểm: còn có thể tăng {pts(self.gainable)} điểm (điểm thưởng, "
               f"tránh điểm trừ). {EXTRAS_NOTE}"]
        out += [f"- {o.best.describe()}" for o in self.items[:limit] if o.best is not None]
        out += [f"- {i.code} chờ kết quả thẩm định: có thể bị trừ đến {pts(i.pending)} điểm"
                for i in self.pending]
        return out


def _inputs(extras: ExtrasScore, fw_items: dict[str, ExtraItem]) -> dict[str, ItemInput]:
    """The typed inputs of the extras (an item computed from the appraisal has none)."""
    return {i.code: i.input for i in extras.items
            if i.input is not None and fw_items[i.code].from_appraisal is None}


def _changes(item: ExtraItem, group: Group, inp: ItemInput | None,
             ) -> list[tuple[Change, str, str | None, str | None]]:
    """``(change, action, needed, reason)`` to try on the item (reason: blocked by nature)."""
    if item.from_appraisal is not None:
        return []
    if group == "penalty" and isinstance(item.rule, ManualRule):
        return []
    reason = RECORDED if group == "penalty" and isinstance(item.rule, DeductionRule) else None
    return [(c, a, n, reason) for c, a, n in candidates(item, inp)]


def _opportunity(card: Scorecard, base: ExtrasScore, inputs: dict[str, ItemInput],
                 group: Group, item: ExtraItem, closed: str | None) -> ExtraOpportunity | None:
    fw = card.framework
    now = base.by_code[item.code]
    inp = inputs.get(item.code)
    if group == "bonus" and now.points >= now.max:
        return None
    if group == "penalty" and now.points <= 0:
        return None
    cap = base.bonus.cap if group == "bonus" else base.penalty.cap
    found: dict[tuple[str, str], ExtraGain] = {}
    for change, action, needed, why in _changes(item, group, inp):
        try:
            new = changed_input(inp, change)
        except ValueError:
            continue
        after = score_extras(fw, {**inputs, item.code: new})
        assert after is not None
        moved = after.by_code[item.code]
        if moved.status != "scored":
            continue
        rise = moved.points - now.points if group == "bonus" else now.points - moved.points
        if rise <= 0:
            continue
        gain = after.net - base.net
        reason = why or (_cap_reason(group, cap) if gain <= 0 else None) or closed
        found.setdefault((action, needed or ""), ExtraGain(
            item.code, group, change, action, max(gain, ZERO), rise, needed, reason))
    ordered = sorted(found.values(), key=lambda g: (-g.points, -g.item_points, g.action))
    if not ordered:
        return None
    return ExtraOpportunity(now, tuple(g for g in ordered if g.reachable),
                            tuple(g for g in ordered if not g.reachable))


def extra_opportunities(card: Scorecard, closed: str | None = None) -> ExtraOpportunities | None:
    """The bonus and penalty items of ``card`` with changes open to them (None for a
    framework without ``extras``); ``closed``: the reason every change is blocked once the
    scoring year has ended. Items computed from the appraisal are scored as pending."""
    fw = card.framework
    if fw.extras is None or card.extras is None:
        return None
    fw_items = {it.code: it for _, it in fw.extras.items()}
    inputs = _inputs(card.extras, fw_items)
    base = score_extras(fw, inputs)
    assert base is not None
    items = [o for g, it in fw.extras.items()
             if (o := _opportunity(card, base, inputs, g, it, closed)) is not None]
    order = {it.code: n for n, (_, it) in enumerate(fw.extras.items())}
    items.sort(key=lambda o: (-o.gainable, order[o.code]))
    best_inputs = dict(inputs)
    for o in items:
        if o.best is not None:
            best_inputs[o.code] = changed_input(inputs.get(o.code), o.best.change)
    best = score_extras(fw, best_inputs)
    assert best is not None
    pending = tuple(i for i in base.items if i.status == "appraisal-pending")
    return ExtraOpportunities(base, tuple(items), pending, best)
