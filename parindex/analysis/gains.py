"""Where the points are: what each item below its maximum can still gain, and how.

:func:`where_the_points_are` lists, for every self-scored item below its maximum, the changes
that would raise it and by how much: for choice rules the better options, for bands the next
bands and the value each needs ("cần từ 80%: 28/34"), for proportional and weighted rules the
full ratio, for deductions each occurrence removed, for manual items the maximum. Every gain is
measured by scoring the changed input, not estimated. Given an as-of date, an option promising
timeliness ("kịp thời", "đúng hạn") is out of reach once the item's deadline has passed — a fixed
``deadline``, or one counted from a dated reference of the dossier (``deadline_after``, resolved
by :func:`parindex.evidence.deadlines.item_deadlines`); it is listed among the blocked gains
with the reason.

Once the scoring year has ended (an as-of date after 31 December), its facts are history:
every change of fact is listed as blocked, and what can still truthfully change — a result
still missing, a number to fix, a document to register, a giải trình to write — comes from
the pre-submission check as :attr:`Opportunities.records` (:mod:`parindex.analysis.closing`).
``future=True`` plans a future year instead and offers every change.

A framework's bonus and penalty items (``extras``) are listed apart, in
:attr:`Opportunities.extras` (:mod:`parindex.analysis.extragains`): bonus still to claim within
the group's cap, penalties an input can still avoid. They change the adjusted score, never the
tree's total or index.

:func:`~parindex.analysis.target.reach_target` picks the smallest set of gains lifting the index
to a target (the tree's index: bonus and penalty items never enter it). Survey items are left
out: the unit cannot act on them (see :mod:`parindex.analysis.simulation`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.candidates import candidates
from parindex.analysis.closing import RecordAction, dossier_record_actions, year_closed
from parindex.analysis.extragains import ExtraOpportunities, extra_opportunities
from parindex.analysis.whatif import (
    Change,
    changed_input,
)
from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.framework.model import Framework, Node
from parindex.framework.rules import ChoiceRule, DeductionRule, _fmt, quantize
from parindex.plan.model import report_penalties
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import NodeScore, Scorecard, _leaf

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from parindex.evidence.deadlines import ResolvedDeadline
    from parindex.plan.model import Plan

__all__ = [
    "GAIN_COLUMNS",
    "GAIN_KINDS",
    "Gain",
    "Opportunities",
    "Opportunity",
    "is_timely",
    "opportunities",
    "where_the_points_are",
]

ZERO = Decimal(0)
ONE = Decimal(1)
_TIMELY = re.compile(r"(?<!không )(kịp thời|đúng hạn|đúng thời hạn)")

GAIN_COLUMNS = ("code", "name", "area", "status", "score", "max", "action", "needed", "gain",
                "index_gain", "reachable", "reason")
"""Column order of :meth:`Opportunities.to_frame` (fixed)."""
GAIN_KINDS: dict[str, Kind] = {
    "code": "text", "name": "text", "area": "text", "status": "text", "score": "float",
    "max": "float", "action": "text", "needed": "text", "gain": "float", "index_gain": "float",
    "reachable": "bool", "reason": "text"}
"""Column kinds of :meth:`Opportunities.to_frame` (see :mod:`parindex.core.display`)."""


def is_timely(label: str) -> bool:
    """True for an option that promises timeliness ("Ban hành kịp thời", "Trình đúng hạn")."""
    text = label.lower()
    return not text.startswith("không") and bool(_TIMELY.search(text))


@dataclass(frozen=True)
class Gain:
    """One change to one item and the points it gains (re-scored, exact)."""

    code: str
    change: Change
    action: str
    """What to do, in Vietnamese ("Ban hành kịp thời")."""
    points: Decimal
    needed: str | None = None
    """The value the change needs, for ratio and count rules ("28/34 (82,35%)")."""
    reason: str | None = None
    """Why the gain is out of reach (None when it is reachable)."""

    @property
    def reachable(self) -> bool:
        return self.reason is None

    def describe(self) -> str:
        """ "1.1.1 Ban hành kịp thời: +0,5" """
        tail = f" ({self.needed})" if self.needed else ""
        return f"{self.code} {self.action}{tail}: +{_fmt(self.points)}"


@dataclass(frozen=True)
class Opportunity:
    """An item below its maximum and the gains open to it."""

    node: NodeScore
    gains: tuple[Gain, ...]
    """Reachable gains, largest first."""
    blocked: tuple[Gain, ...] = ()
    """Gains out of reach (a deadline passed), with the reason."""

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def best(self) -> Gain | None:
        return self.gains[0] if self.gains else None

    @property
    def gainable(self) -> Decimal:
        """Points still gainable (the best reachable gain)."""
        return self.gains[0].points if self.gains else ZERO

    @property
    def missing(self) -> Decimal:
        """Points below the maximum, reachable or not."""
        return self.node.max - self.node.score


@dataclass(frozen=True)
class Opportunities:
    """Every self-scored item below its maximum, ranked by points still gainable."""

    card: Scorecard
    items: tuple[Opportunity, ...]
    as_of: dt.date | None = None
    closed: bool = False
    """The scoring year has ended: changes of fact are blocked, only :attr:`records` remain."""
    records: tuple[RecordAction, ...] = ()
    """What can still truthfully change in the record after the year (see
    :func:`parindex.analysis.closing.record_actions`)."""
    extras: ExtraOpportunities | None = None
    """The bonus and penalty items with changes open to them, apart from :attr:`items` (None
    for a framework without ``extras``): they change the adjusted score, never the index."""

    @property
    def denominator(self) -> Decimal:
        t = self.card.total
        return t.max - (t.pending if t.rescale_pending else ZERO)

    def index_points(self, points: Decimal) -> Decimal:
        """Points of the index (percent) that ``points`` more would add."""
        d = self.denominator
        return ZERO if d <= 0 else points / d * 100

    @property
    def gainable(self) -> Decimal:
        return sum((o.gainable for o in self.items), ZERO)

    @property
    def best_index(self) -> Decimal | None:
        """The index with every item's best reachable gain taken."""
        d = self.denominator
        if d <= 0:
            return None
        return quantize((self.card.total.score + self.gainable) / d * 100)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for o in self.items:
            for g in (*o.gains, *o.blocked):
                out.append({
                    "code": o.code, "name": o.node.name, "area": o.node.area,
                    "status": o.node.status, "score": _num(o.node.score),
                    "max": _num(o.node.max), "action": g.action, "needed": g.needed,
                    "gain": _num(g.points), "index_gain": round(float(self.index_points(
                        g.points)), 2), "reachable": g.reachable, "reason": g.reason,
                })
        return out

    def to_dict(self) -> dict[str, Any]:
        extras = ({} if self.extras is None else {"extras": self.extras.to_dict(
            self.card.total.score, self.gainable, self.denominator)})
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "closed": self.closed,
            "records": [r.to_dict() for r in self.records],
            "index": _num(self.card.total.index),
            "best_index": _num(self.best_index),
            "gainable": _num(self.gainable),
            "items": [{
                "code": o.code, "name": o.node.name, "area": o.node.area,
                "status": o.node.status, "score": _num(o.node.score), "max": _num(o.node.max),
                "gainable": _num(o.gainable),
                "index_gain": round(float(self.index_points(o.gainable)), 2),
                "gains": [_gain_dict(g) for g in o.gains],
                "blocked": [_gain_dict(g) for g in o.blocked],
            } for o in self.items],
        } | extras

    def to_frame(self) -> pd.DataFrame:
        """One row per gain (blocked ones included), items ranked as in :attr:`items`.

        Columns :data:`GAIN_COLUMNS`: ``code``, ``name``, ``area``, ``status``, ``action``,
        ``needed`` and ``reason`` (``<NA>`` when reachable) are ``string``; ``score``, ``max``,
        ``gain`` (points) and ``index_gain`` (index points) are ``float64``; ``reachable`` is
        ``bool``.
        """
        return frame(self.rows(), [(c, GAIN_KINDS[c]) for c in GAIN_COLUMNS],
                     self.card.framework.precision)

    def __repr__(self) -> str:
        when = f" as of {self.as_of.isoformat()}" if self.as_of else ""
        if self.closed:
            return clip(f"<Opportunities{when}: year {self.card.framework.scoring_year} closed, "
                        f"{len(self.records)} record action(s); index "
                        f"{plain(self.card.total.index)}>")
        return clip(f"<Opportunities{when}: {len(self.items)} items below their maximum, "
                    f"{plain(self.gainable)} points gainable; index "
                    f"{plain(self.card.total.index)}, at best {plain(self.best_index)}>")

    def _repr_html_(self, limit: int = 15) -> str:
        when = f" (tính đến {_d(self.as_of)})" if self.as_of else ""
        lines = [f"Chỉ số hiện tại {vi(self.card.total.index)}%; còn có thể tăng "
                 f"{pts(self.gainable)} điểm, chỉ số tối đa đạt được {vi(self.best_index)}%."]
        if self.extras is not None and not self.closed:
            lines.append(self.extras.lines(limit=0)[0])
        rows = [(o.code, o.node.name, o.best.action if o.best else "",
                 (o.best.needed or "") if o.best else "", pts(o.gainable, sign=True),
                 vi(self.index_points(o.gainable), sign=True),
                 "; ".join(f"{g.action}: {g.reason}" for g in o.blocked))
                for o in self.items]
        table = html_table(("Mã", "Tiêu chí", "Thay đổi tốt nhất", "Cần", "Tăng (điểm)",
                            "Tăng chỉ số", "Không còn đạt được"), rows, numeric=(4, 5),
                           limit=limit)
        tables = [table]
        if self.extras is not None and not self.closed:
            tables.append(self.extras.html(limit))
        if self.closed:
            year = self.card.framework.scoring_year
            lines = [f"Năm {year} đã kết thúc: kết quả đã qua không thay đổi được. Còn "
                     f"{len(self.records)} việc hoàn thiện hồ sơ."]
            tables = [html_table(("Mã", "Việc cần làm", "Nội dung", "Điểm liên quan"),
                                 [(r.code or r.document or "", r.action, r.message,
                                   pts(r.points_at_risk)) for r in self.records],
                                 numeric=(3,))]
        return html_block(f"Điểm còn có thể tăng{when}", lines, tables)


    def summary(self, limit: int = 10) -> str:
        if self.closed:
            year = self.card.framework.scoring_year
            lines = [f"Năm {year} đã kết thúc: kết quả đã qua không thay đổi được. Còn "
                     f"{len(self.records)} việc hoàn thiện hồ sơ."]
            lines += [f"- {r.code or ''} {r.action}".replace("-  ", "- ")
                      for r in self.records[:limit]]
            return "\n".join(lines)
        lines = [f"Còn có thể tăng {_fmt(self.gainable)} điểm; chỉ số tối đa đạt được "
                 f"{_fmt(self.best_index) if self.best_index is not None else '–'}%."]
        for o in self.items[:limit]:
            if o.best is not None:
                lines.append(f"- {o.best.describe()}")
        if self.extras is not None:
            lines += self.extras.lines(limit)
        return "\n".join(lines)


def _gain_dict(g: Gain) -> dict[str, Any]:
    return {"action": g.action, "needed": g.needed, "gain": _num(g.points),
            "change": g.change.to_dict(), "reason": g.reason}


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _opportunity(fw: Framework, node_score: NodeScore, as_of: dt.date | None,
                 plan: Plan | None = None, closed: str | None = None,
                 resolved: ResolvedDeadline | None = None) -> Opportunity:
    node = fw.node(node_score.code)
    inp = node_score.input
    rule = node.rule
    deadline = resolved.date if resolved is not None else getattr(node.item, "deadline", None)
    shown = resolved.text if resolved is not None else _d(deadline)
    passed = deadline is not None and as_of is not None and as_of > deadline
    limits = _plan_limits(node, plan, as_of)
    gains: dict[tuple[str, str], Gain] = {}
    for change, action, needed in candidates(node, inp):
        new = changed_input(inp, change)
        status, _, pts, _, _ = _leaf(fw, node.code, new)
        if status != "scored":
            continue
        gain = pts - node_score.score
        if gain <= 0:
            continue
        reason = None
        if passed and isinstance(rule, ChoiceRule) and is_timely(action):
            reason = f"đã quá hạn {shown} (tính đến {_d(as_of)})"
        if limits is not None:
            needed, reason = limits(change, needed, reason)
        reason = reason or closed
        key = (action, needed or "")
        gains.setdefault(key, Gain(node.code, change, action, gain, needed, reason))
    ordered = sorted(gains.values(), key=lambda g: (-g.points, g.action))
    return Opportunity(node_score, tuple(g for g in ordered if g.reachable),
                       tuple(g for g in ordered if not g.reachable))


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


Limit = Callable[[Change, str | None, str | None], tuple[str | None, str | None]]


def _plan_limits(node: Node, plan: Plan | None, as_of: dt.date | None) -> Limit | None:
    """For items derived from the plan: what the plan still allows, and the tasks it needs.

    ``plan-completion`` counts tasks done on time: a task done late, or not done by a due date
    already passed at ``as_of``, can no longer count. ``plan-reports`` counts late and missing
    reports: a report sent late stays late; a missing one past its due date would be late.
    """
    derive = getattr(node.item, "derive", None)
    if plan is None or derive not in ("plan-completion", "plan-reports"):
        return None
    when = f" (tính đến {_d(as_of)})" if as_of else ""
    if derive == "plan-completion":
        on_time = sum(t.done_on_time for t in plan.tasks)
        late = [t.code for t in plan.tasks if t.done and not t.done_on_time]
        open_ = [t for t in plan.tasks if not t.done]
        still = [t.code for t in open_ if as_of is None or t.due is None or as_of <= t.due]
        gone = [t.code for t in open_ if t.code not in still]

        def completion(change: Change, needed: str | None,
                       reason: str | None) -> tuple[str | None, str | None]:
            done = change.fields.get("done")
            if done is None:
                return needed, reason
            more = int(done) - on_time
            if more > len(still):
                lost = ", ".join([*(f"{c} đã hoàn thành trễ hạn" for c in late),
                                  *(f"{c} đã quá hạn" for c in gone)])
                reason = reason or (f"tối đa {on_time + len(still)}/{len(plan.tasks)} nhiệm "
                                    f"vụ đúng hạn{when}: {lost}")
            elif more > 0:
                needed = f"{needed}: thêm {more} trong {', '.join(still)}"
            return needed, reason

        return completion

    late_facts = [r for r in plan.reports if r.late]
    past_due = [r for r in plan.reports if r.sent is None and as_of is not None
                and r.due is not None and as_of > r.due]
    kinds = report_penalties(node.rule) if isinstance(node.rule, DeductionRule) else {}
    late_id = kinds.get("late", "tre-han")
    missing_ids = [kinds.get("missing", "khong-gui"), *(
        [kinds["missing-annual"]] if "missing-annual" in kinds else [])]

    def reports(change: Change, needed: str | None,
                reason: str | None) -> tuple[str | None, str | None]:
        occ = change.fields.get("occurrences") or {}
        if occ.get(late_id, 0) < len(late_facts):
            sent = ", ".join(f"{r.id} gửi {_d(r.sent)}, hạn {_d(r.due)}" for r in late_facts)
            reason = reason or f"báo cáo đã gửi trễ hạn: {sent}"
        elif sum(occ.get(m, 0) for m in missing_ids) < len(past_due):
            due = ", ".join(f"{r.id} hạn {_d(r.due)}" for r in past_due)
            reason = reason or f"đã quá hạn, gửi bây giờ vẫn là trễ hạn{when}: {due}"
        return needed, reason

    return reports


def opportunities(card: Scorecard, as_of: dt.date | None = None,
                  plan: Plan | None = None, *, future: bool = False,
                  records: tuple[RecordAction, ...] = (),
                  deadlines: Mapping[str, ResolvedDeadline] | None = None) -> Opportunities:
    """Rank the self-scored items of ``card`` below their maximum by points still gainable.

    With the dossier's ``plan``, items derived from it say which tasks would gain the points
    and refuse what the plan no longer allows (tasks done late, due dates passed). After the
    scoring year (``as_of`` past 31 December) every change of fact is blocked unless
    ``future``; ``records`` are the record-keeping actions still open. ``deadlines``: each
    item's deadline as the dossier resolves it (:func:`dossier_deadlines`); without it only
    the framework's fixed ``deadline`` is known.
    """
    fw = card.framework
    closed = year_closed(fw.scoring_year, as_of) and not future
    reason = (f"năm {fw.scoring_year} đã kết thúc (tính đến {_d(as_of)}): đây là thay đổi "
              "kết quả đã qua, không còn thực hiện được" if closed else None)
    items = []
    for ns in card.leaves():
        if ns.method == "survey" or ns.status == "not-applicable" or ns.score >= ns.max:
            continue
        items.append(_opportunity(fw, ns, as_of, plan, reason,
                                  deadlines.get(ns.code) if deadlines is not None else None))
    items.sort(key=lambda o: (-o.gainable, -o.missing, _code_key(o.code)))
    return Opportunities(card, tuple(items), as_of, closed, records if closed else (),
                         extra_opportunities(card, reason))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def where_the_points_are(dossier: Dossier | Path | str, as_of: dt.date | None = None, *,
                         future: bool = False) -> Opportunities:
    """:func:`opportunities` of a dossier's scorecard (and its plan, if any); ``dossier`` is
    a :class:`~parindex.scoring.dossier.Dossier` or its folder.

    After the scoring year only what can still truthfully change is offered: the record
    actions of the pre-submission check (``records``); ``future=True`` plans a future year.
    """
    dossier = as_dossier(dossier)
    card = dossier.score()
    closed = year_closed(card.framework.scoring_year, as_of) and not future
    records = dossier_record_actions(dossier, card, as_of) if closed else ()
    return opportunities(card, as_of, dossier.plan, future=future, records=records,
                         deadlines=dossier_deadlines(dossier))


def dossier_deadlines(dossier: Dossier) -> dict[str, ResolvedDeadline]:
    """Each scored item's deadline in ``dossier``: fixed, or counted from a reference that
    ``dossier.yaml`` dates (by a day, or by a register document, the register then being read).
    An item whose reference is not dated has no known deadline, as in the check."""
    from parindex.evidence.deadlines import item_deadlines
    from parindex.evidence.register import register_of

    refs = dossier.manifest.references
    relative = any(getattr(n.item, "deadline_after", None) is not None
                   for n in dossier.framework.leaves())
    register = (register_of(dossier, cache=True)
                if relative and any(r.document is not None for r in refs.values()) else None)
    return item_deadlines(dossier, register)[0]
