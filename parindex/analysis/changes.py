"""Changes to a dossier's inputs, as data: what a what-if applies and a gain proposes.

A :class:`Change` replaces what was measured for one item (a tree item, or a bonus or penalty
item of the framework's ``extras``) and keeps its explanation and note; a :class:`TasksDone`
marks tasks of the dossier's plan done. The helpers (:func:`choose`, :func:`ratio` …) build
them; :func:`rule_fields` says which input fields a rule reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.core.errors import InputError, Problem
from parindex.framework.extras import ExtraItem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Node
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    SurveyRule,
    WeightedRule,
)

__all__ = [
    "Change",
    "TasksDone",
    "as_changes",
    "changed_input",
    "choose",
    "count",
    "counts",
    "manual",
    "not_applicable",
    "occurrences",
    "ratio",
    "rule_fields",
    "survey",
    "tasks_done",
]

_KEPT = ("explanation", "note")
"""Fields of the recorded input a change keeps; everything measured is replaced."""

@dataclass(frozen=True)
class Change:
    """Replace what was measured for item ``code`` by ``fields`` (an :class:`ItemInput` subset).

    ``label`` says what the change stands for, in Vietnamese ("Ban hành kịp thời").
    """

    code: str
    fields: Mapping[str, Any]
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return f"{self.code}: {self.label}"
        shown = ", ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"{self.code}: {shown}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "fields": _plain(dict(self.fields)), "label": self.label}


@dataclass(frozen=True)
class TasksDone:
    """Tasks of the dossier's plan marked done (hoàn thành) on ``completed``.

    Without a date a task counts as done on time; with one, it is on time only if not after the
    task's due date. Items derived from the plan are computed again from the changed plan.
    """

    tasks: tuple[str, ...]
    completed: dt.date | None = None
    label: str = ""

    def describe(self) -> str:
        when = f" ngày {self.completed.strftime('%d/%m/%Y')}" if self.completed else ""
        return self.label or f"hoàn thành nhiệm vụ {', '.join(self.tasks)}{when}"

    def to_dict(self) -> dict[str, Any]:
        return {"tasks": list(self.tasks),
                "completed": self.completed.isoformat() if self.completed else None,
                "label": self.label}


def tasks_done(*codes: str, completed: dt.date | None = None, label: str = "") -> TasksDone:
    """Plan tasks ``codes`` (e.g. ``"II.2.b"``) done, on time unless ``completed`` is late."""
    return TasksDone(tuple(codes), completed, label)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def choose(code: str, option: str, label: str = "") -> Change:
    """Choice rules: pick option ``option`` (its id)."""
    return Change(code, {"option": option}, label)


def ratio(code: str, percent: Decimal | float | None = None, *, done: Decimal | int | None = None,
          total: Decimal | int | None = None, label: str = "") -> Change:
    """Ratio rules (bands, proportional): a percent, or ``done`` of ``total``."""
    if percent is not None:
        return Change(code, {"percent": percent}, label)
    return Change(code, {"done": done, "total": total}, label)


def count(code: str, n: Decimal | int, label: str = "") -> Change:
    """Bands on a count: the number measured."""
    return Change(code, {"count": n}, label)


def counts(code: str, total: Decimal | int, label: str = "", **by_kind: Decimal | int) -> Change:
    """Weighted rules: the count of each kind out of ``total``."""
    return Change(code, {"total": total, "counts": by_kind}, label)


def occurrences(code: str, label: str = "", **by_penalty: int) -> Change:
    """Deduction rules: how many times each penalty applies (``{}`` = none)."""
    return Change(code, {"occurrences": by_penalty}, label)


def manual(code: str, points: Decimal | float, explanation: str, label: str = "") -> Change:
    """Manual rules: the points, with the explanation they need."""
    return Change(code, {"points": points, "explanation": explanation}, label)


def not_applicable(code: str, label: str = "không áp dụng") -> Change:
    """Mark the item not applicable (the framework must allow it)."""
    return Change(code, {"not_applicable": True}, label)


def survey(code: str, points: Decimal | float | None = None, *,
           answers: Mapping[str, Decimal | int] | None = None, label: str = "") -> Change:
    """Survey items: the points, or the answers per option (``{"A": 60, "B": 30}``)."""
    if answers is not None:
        return Change(code, {"answers": dict(answers)}, label)
    return Change(code, {"points": points}, label)


def changed_input(old: ItemInput | None, change: Change) -> ItemInput:
    """``old`` with its measured fields replaced by ``change`` (explanation and note kept)."""
    data: dict[str, Any] = {}
    if old is not None:
        data = {k: getattr(old, k) for k in _KEPT if getattr(old, k) is not None}
    data.update(change.fields)
    return ItemInput.model_validate(data)


_ALWAYS = frozenset({"not_applicable", "explanation", "note", "self_score"})
"""Fields any item may be given, whatever its rule."""


def rule_fields(node: Node | ExtraItem) -> frozenset[str]:
    """The measured fields of :class:`ItemInput` that the item's rule reads."""
    rule = node.rule
    if isinstance(rule, ChoiceRule):
        return frozenset({"option"})
    if isinstance(rule, BandsRule):
        return frozenset({"count"} if rule.measure == "count" else {"percent", "done", "total"})
    if isinstance(rule, ProportionalRule):
        return frozenset({"percent", "done", "total"})
    if isinstance(rule, WeightedRule):
        return frozenset({"total", "counts"})
    if isinstance(rule, DeductionRule):
        return frozenset({"occurrences"})
    if isinstance(rule, SurveyRule):
        return frozenset({"points", "answers"})
    if isinstance(rule, ManualRule):
        return frozenset({"points"})
    return frozenset()


_HELPERS = ("choose, ratio, count, counts, occurrences, manual, not_applicable, survey, "
            "tasks_done")


def as_changes(changes: Any) -> tuple[Change | TasksDone, ...]:
    """``changes`` as a tuple of changes: one change, or an iterable of them.

    Raises :class:`InputError` for anything else (a mapping, a string, a code …): such a
    value would otherwise change nothing without a word.
    """
    title = "cannot apply the changes"
    if isinstance(changes, Change | TasksDone):
        return (changes,)
    if isinstance(changes, Mapping | str | bytes) or not isinstance(changes, Iterable):
        raise InputError([Problem(
            f"changes must be a list of changes, not {type(changes).__name__} "
            f"{_short(changes)}; build each with {_HELPERS} (e.g. [count('1.5', 1)]) or "
            "Change(code, {field: value})", key="changes")], title)
    out = tuple(changes)
    problems = [Problem(f"{type(c).__name__} {_short(c)} is not a change; build it with "
                        f"{_HELPERS} or Change(code, {{field: value}})", key=f"changes[{i}]")
                for i, c in enumerate(out) if not isinstance(c, Change | TasksDone)]
    if problems:
        raise InputError(problems, title)
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _field_problems(node: Node | ExtraItem, change: Change, key: str) -> list[Problem]:
    """Fields of ``change`` that are no input at all, or that the item's rule does not read."""
    reads = rule_fields(node)
    known = set(ItemInput.model_fields) - {"derived_from"}
    out = []
    for name in change.fields:
        if name not in known:
            out.append(Problem(f"item {node.code}, field {name!r}: no such input field "
                               f"(its rule reads: {', '.join(sorted(reads))})",
                               key=f"{key}.{name}"))
        elif name not in reads and name not in _ALWAYS:
            kind = getattr(node.rule, "type", "?")
            out.append(Problem(f"item {node.code}, field {name!r}: its rule ({kind}) does "
                               f"not use it; it reads: {', '.join(sorted(reads))}",
                               key=f"{key}.{name}"))
    return out
