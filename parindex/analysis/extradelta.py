"""Bonus and penalty items (``extras``) in a what-if: changing them, and what moved.

A :class:`~parindex.analysis.changes.Change` may name a bonus or penalty item of the
framework (``T1``, ``TR1``) as it names a tree item: :func:`extra_change` checks it the same
way (the fields its rule reads, a value its rule can score) and refuses an item computed from
the appraisal (it takes no input). :class:`ExtrasDelta` says how the bonus, the penalty and
the adjusted score (tổng điểm sau thưởng, trừ) moved. Extras never enter the tree: the tree's
score, total and index are the same with or without them (:data:`EXTRAS_NOTE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from parindex.analysis.changes import Change, _field_problems, _plain, changed_input
from parindex.core.display import pts, vi
from parindex.core.errors import Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.scoring.extras import ExtrasScore, score_extras
from parindex.scoring.scorecard import Scorecard

__all__ = ["EXTRAS_NOTE", "ExtraDelta", "ExtrasDelta", "extra_change", "extras_delta"]

EXTRAS_NOTE = ("Điểm thưởng, điểm trừ nằm ngoài tổng điểm của bộ tiêu chí: chúng chỉ thay đổi "
               "tổng điểm sau thưởng, trừ, không thay đổi tổng điểm và Chỉ số CCHC.")
"""What every output showing extras in a simulation says (officials read it)."""


def extra_change(framework: Framework, old: ItemInput | None, change: Change,
                 key: str) -> tuple[ItemInput | None, list[Problem]]:
    """The new input of the bonus or penalty item ``change`` names, or the problems that
    forbid it (``change.code`` must be an item of ``framework.extras``)."""
    assert framework.extras is not None
    found = framework.extras.item(change.code)
    assert found is not None
    group, item = found
    what = "bonus" if group == "bonus" else "penalty"
    if item.from_appraisal is not None:
        return None, [Problem(f"{what} item {item.code} is computed from the appraisal (the "
                              "self-assessed points less the appraised ones): it takes no "
                              "input", key=key)]
    wrong = _field_problems(item, change, key)
    if wrong:
        return None, wrong
    try:
        new = changed_input(old, change)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            out.append(Problem(f"item {change.code}, field {loc!r}: {err['msg']}",
                               key=f"{key}.{loc}" if loc else key))
        return None, out
    scored = score_extras(framework, {item.code: new})
    assert scored is not None
    result = scored.by_code[item.code]
    if result.status == "invalid-input":
        names = list(change.fields)
        fields = ("field " if len(names) == 1 else "fields ") + ", ".join(map(repr, names))
        return None, [Problem(f"item {change.code}, {fields}: {result.problem}",
                              key=f"{key}.{names[0]}" if len(names) == 1 else key)]
    return new, []


@dataclass(frozen=True)
class ExtraDelta:
    """How one bonus or penalty item moved."""

    code: str
    name: str
    group: str
    status_before: str
    status_after: str
    points_before: Decimal
    points_after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.points_after - self.points_before

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "group": self.group,
                "status_before": self.status_before, "status_after": self.status_after,
                "points_before": _plain(self.points_before),
                "points_after": _plain(self.points_after), "delta": _plain(self.delta)}


def _delta(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


@dataclass(frozen=True)
class ExtrasDelta:
    """The bonus, the penalty and the adjusted score before and after (the tree apart)."""

    before: Scorecard
    after: Scorecard

    @property
    def _b(self) -> ExtrasScore:
        assert self.before.extras is not None
        return self.before.extras

    @property
    def _a(self) -> ExtrasScore:
        assert self.after.extras is not None
        return self.after.extras

    @property
    def items(self) -> tuple[ExtraDelta, ...]:
        """The bonus and penalty items whose points or status moved."""
        after = self._a.by_code
        out = []
        for b in self._b.items:
            a = after[b.code]
            if a.points != b.points or a.status != b.status:
                out.append(ExtraDelta(b.code, b.name, b.group, b.status, a.status, b.points,
                                      a.points))
        return tuple(out)

    @property
    def adjusted_score_delta(self) -> Decimal | None:
        return _delta(self.before.adjusted_score, self.after.adjusted_score)

    @property
    def adjusted_index_delta(self) -> Decimal | None:
        return _delta(self.before.adjusted_index, self.after.adjusted_index)

    def to_dict(self) -> dict[str, Any]:
        b, a = self._b, self._a
        return {
            "note": EXTRAS_NOTE,
            "bonus_before": _plain(b.bonus.points), "bonus_after": _plain(a.bonus.points),
            "penalty_before": _plain(b.penalty.points),
            "penalty_after": _plain(a.penalty.points),
            "net_before": _plain(b.net), "net_after": _plain(a.net),
            "adjusted_score_before": _plain(self.before.adjusted_score),
            "adjusted_score_after": _plain(self.after.adjusted_score),
            "adjusted_score_delta": _plain(self.adjusted_score_delta),
            "adjusted_index_before": _plain(self.before.adjusted_index),
            "adjusted_index_after": _plain(self.after.adjusted_index),
            "adjusted_index_delta": _plain(self.adjusted_index_delta),
            "items": [d.to_dict() for d in self.items],
        }

    def line(self) -> str:
        """One Vietnamese line: the adjusted score and index before and after."""
        return (f"Tổng điểm sau thưởng, trừ: {pts(self.before.adjusted_score)} → "
                f"{pts(self.after.adjusted_score)} ({pts(self.adjusted_score_delta, sign=True)}"
                f"); chỉ số sau thưởng, trừ {vi(self.before.adjusted_index)}% → "
                f"{vi(self.after.adjusted_index)}%. {EXTRAS_NOTE}")


def extras_delta(before: Scorecard, after: Scorecard) -> ExtrasDelta | None:
    """How the extras moved from ``before`` to ``after``; None for a framework without."""
    if before.extras is None or after.extras is None:
        return None
    return ExtrasDelta(before, after)
