"""What-if: change a dossier's inputs in memory and see what the score becomes.

A :class:`Change` (:mod:`parindex.analysis.changes`) replaces what was measured for one item
(the option chosen, the ratio, the count, the occurrences, the survey points …) and keeps its
explanation and note. A :class:`TasksDone` marks tasks of the dossier's plan done: the items
the framework derives from the plan (``derive: plan-completion``) are computed again. Nothing
is written: :func:`what_if` scores the changed inputs and returns both scorecards with the
per-item and per-area deltas, and, for a framework with bonus and penalty items (``extras``),
how they and the adjusted score moved (:attr:`WhatIf.extras`): the tree's figures never
include them.

    >>> result = what_if(dossier, [choose("1.1.1", "kip-thoi"), ratio("1.1.3", done=20, total=20)])
    >>> result.index_delta
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from parindex.analysis.changes import (
    Change,
    TasksDone,
    _field_problems,
    _plain,
    as_changes,
    changed_input,
    choose,
    count,
    counts,
    manual,
    not_applicable,
    occurrences,
    ratio,
    rule_fields,
    survey,
    tasks_done,
)
from parindex.analysis.extradelta import ExtrasDelta, extra_change, extras_delta
from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.core.errors import InputError, Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import Scorecard, _leaf, score

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = [
    "DELTA_COLUMNS",
    "DELTA_KINDS",
    "Change",
    "Delta",
    "TasksDone",
    "WhatIf",
    "apply_changes",
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
    "what_if",
    "what_if_scores",
]

ZERO = Decimal(0)

DELTA_COLUMNS = ("code", "name", "level", "area", "status_before", "status_after", "max_before",
                 "max_after", "score_before", "score_after", "delta")
"""Column order of :meth:`WhatIf.to_frame` (fixed)."""
DELTA_KINDS: dict[str, Kind] = {
    "code": "text", "name": "text", "level": "text", "area": "text", "status_before": "text",
    "status_after": "text", "max_before": "float", "max_after": "float",
    "score_before": "float", "score_after": "float", "delta": "float"}
"""Column kinds of :meth:`WhatIf.to_frame` (see :mod:`parindex.core.display`)."""


def apply_changes(
    framework: Framework,
    inputs: Mapping[str, ItemInput],
    survey_inputs: Mapping[str, ItemInput] | None,
    changes: Iterable[Change],
) -> tuple[dict[str, ItemInput], dict[str, ItemInput]]:
    """New ``(inputs, survey)`` mappings with ``changes`` applied, later changes winning.

    A change may name a bonus or penalty item of the framework's ``extras`` (checked alike;
    one computed from the appraisal takes no input). Raises :class:`InputError` listing every
    change that names no scored item, gives a field
    the item's rule does not read, or a value the rule cannot score (out of bounds, an unknown
    option …), each naming the item and the field. The given mappings are not modified.
    """
    new_inputs = dict(inputs)
    new_survey = dict(survey_inputs or {})
    leaves = {n.code: n for n in framework.leaves()}
    problems: list[Problem] = []
    for i, change in enumerate(as_changes(tuple(changes))):
        key = f"changes[{i}]"
        if not isinstance(change, Change):
            continue
        node = leaves.get(change.code)
        if node is None and framework.extras is not None and framework.extras.item(
                change.code) is not None:
            extra, wrong = extra_change(framework, new_inputs.get(change.code), change, key)
            problems += wrong
            if extra is not None:
                new_inputs[change.code] = extra
            continue
        if node is None:
            problems.append(Problem(f"no scored item {change.code!r} in framework "
                                    f"{framework.id}", key=key))
            continue
        wrong = _field_problems(node, change, key)
        if wrong:
            problems += wrong
            continue
        target = new_survey if node.method == "survey" else new_inputs
        try:
            new = changed_input(target.get(change.code), change)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(f"item {change.code}, field {loc!r}: {err['msg']}",
                                        key=f"{key}.{loc}" if loc else key))
            continue
        status, _, _, _, problem = _leaf(framework, change.code, new)
        if status == "invalid-input":
            names = list(change.fields)
            fields = ("field " if len(names) == 1 else "fields ") + ", ".join(map(repr, names))
            problems.append(Problem(f"item {change.code}, {fields}: {problem}",
                                    key=f"{key}.{names[0]}" if len(names) == 1 else key))
            continue
        target[change.code] = new
    if problems:
        raise InputError(problems, "cannot apply the changes")
    return new_inputs, new_survey


@dataclass(frozen=True)
class Delta:
    """How one node moved between two scorecards of the same framework."""

    code: str
    name: str
    level: str
    area: str
    status_before: str
    status_after: str
    max_before: Decimal
    max_after: Decimal
    score_before: Decimal
    score_after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.score_after - self.score_before

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level, "area": self.area,
            "status_before": self.status_before, "status_after": self.status_after,
            "max_before": _plain(self.max_before), "max_after": _plain(self.max_after),
            "score_before": _plain(self.score_before), "score_after": _plain(self.score_after),
            "delta": _plain(self.delta),
        }


@dataclass(frozen=True)
class WhatIf:
    """Before and after scorecards of a set of changes."""

    before: Scorecard
    after: Scorecard
    changes: tuple[Change | TasksDone, ...]
    inputs: Mapping[str, ItemInput] = field(repr=False)
    survey: Mapping[str, ItemInput] = field(repr=False)

    @property
    def deltas(self) -> tuple[Delta, ...]:
        """Every node (area, criterion, item) in framework order."""
        after = self.after.by_code
        out = []
        for b in self.before.nodes:
            a = after[b.code]
            out.append(Delta(b.code, b.name, b.level, b.area, b.status, a.status, b.max, a.max,
                             b.score, a.score))
        return tuple(out)

    @property
    def changed(self) -> tuple[Delta, ...]:
        """The scored items whose score, max or status moved."""
        leaves = {n.code for n in self.before.framework.leaves()}
        return tuple(d for d in self.deltas if d.code in leaves and (
            d.delta or d.max_before != d.max_after or d.status_before != d.status_after))

    @property
    def areas(self) -> tuple[Delta, ...]:
        return tuple(d for d in self.deltas if d.level == "area")

    @property
    def score_delta(self) -> Decimal:
        return self.after.total.score - self.before.total.score

    @property
    def index_before(self) -> Decimal | None:
        return self.before.total.index

    @property
    def index_after(self) -> Decimal | None:
        return self.after.total.index

    @property
    def index_delta(self) -> Decimal | None:
        b, a = self.index_before, self.index_after
        return None if a is None or b is None else a - b

    @property
    def extras(self) -> ExtrasDelta | None:
        """How the bonus, the penalty and the adjusted score moved (None for a framework
        without ``extras``); the tree's figures above never include them."""
        return extras_delta(self.before, self.after)

    def to_dict(self) -> dict[str, Any]:
        extras = self.extras
        return {
            "changes": [c.to_dict() for c in self.changes],
            "score_before": _plain(self.before.total.score),
            "score_after": _plain(self.after.total.score),
            "score_delta": _plain(self.score_delta),
            "index_before": _plain(self.index_before),
            "index_after": _plain(self.index_after),
            "index_delta": _plain(self.index_delta),
            "classification_before": self.before.classification,
            "classification_after": self.after.classification,
            "areas": [d.to_dict() for d in self.areas],
            "items": [d.to_dict() for d in self.changed],
        } | ({} if extras is None else {"extras": extras.to_dict()})

    def to_frame(self) -> pd.DataFrame:
        """One row per node (areas, criteria, items), in framework order.

        Columns :data:`DELTA_COLUMNS`: ``code``, ``name``, ``level``, ``area``,
        ``status_before`` and ``status_after`` are ``string``; ``max_before``, ``max_after``,
        ``score_before``, ``score_after`` and ``delta`` are ``float64`` rounded to the
        framework's precision (``frame.query("delta != 0")`` lists what moved).
        """
        rows = [{**d.to_dict(), "max_before": d.max_before, "max_after": d.max_after,
                 "score_before": d.score_before, "score_after": d.score_after,
                 "delta": d.delta} for d in self.deltas]
        return frame(rows, [(c, DELTA_KINDS[c]) for c in DELTA_COLUMNS],
                     self.before.framework.precision)

    def __repr__(self) -> str:
        delta = "" if self.index_delta is None else f" ({plain(self.index_delta, sign=True)})"
        ex = self.extras
        extra = "" if ex is None else (
            f"; adjusted score {plain(ex.adjusted_score_delta, sign=True)}, {len(ex.items)} "
            "bonus/penalty item(s) changed")
        return clip(f"<WhatIf {len(self.changes)} change(s): index "
                    f"{plain(self.index_before)} → {plain(self.index_after)}{delta}, score "
                    f"{plain(self.score_delta, sign=True)}; {len(self.changed)} item(s) changed"
                    f"{extra}>")

    def _repr_html_(self) -> str:
        lines = [f"Chỉ số: {vi(self.index_before)}% → {vi(self.index_after)}% "
                 f"({vi(self.index_delta, sign=True)} điểm phần trăm); điểm "
                 f"{pts(self.before.total.score)} → {pts(self.after.total.score)} "
                 f"({pts(self.score_delta, sign=True)})"]
        if self.extras is not None:
            lines.append(self.extras.line())
        changes = html_table(("Thay đổi",), [(c.describe(),) for c in self.changes])
        moved = html_table(
            ("Mã", "Tiêu chí", "Trước", "Sau", "Chênh lệch"),
            [(d.code, d.name, pts(d.score_before), pts(d.score_after), pts(d.delta, sign=True))
             for d in self.changed], numeric=(2, 3, 4), caption="Tiêu chí thay đổi")
        return html_block(f"What-if: {len(self.changes)} thay đổi", lines, [changes, moved])


def what_if_scores(
    framework: Framework,
    inputs: Mapping[str, ItemInput],
    survey_inputs: Mapping[str, ItemInput] | None,
    changes: Iterable[Change],
    unit: str | None = None,
) -> WhatIf:
    """:func:`what_if` on a framework and inputs rather than a dossier."""
    given = as_changes(changes)
    plan_changes = [i for i, c in enumerate(given) if isinstance(c, TasksDone)]
    if plan_changes:
        raise InputError([Problem("tasks_done needs the dossier's plan: use what_if(dossier, "
                                  "…) for plan tasks", key=f"changes[{i}]")
                          for i in plan_changes], "cannot apply the changes")
    changes = tuple(c for c in given if isinstance(c, Change))
    new_inputs, new_survey = apply_changes(framework, inputs, survey_inputs, changes)
    before = score(framework, inputs, survey_inputs, unit=unit)
    after = score(framework, new_inputs, new_survey, unit=unit)
    return WhatIf(before, after, changes, new_inputs, new_survey)


def what_if(dossier: Dossier | Path | str,
            changes: Iterable[Change | TasksDone] | Change | TasksDone) -> WhatIf:
    """Score ``dossier`` (a :class:`Dossier` or its folder) with ``changes`` applied in
    memory; no file is touched.

    ``changes``: one change or a list, built with the helpers (:func:`choose`, :func:`ratio`,
    :func:`count`, :func:`counts`, :func:`occurrences`, :func:`manual`,
    :func:`not_applicable`, :func:`survey`, :func:`tasks_done`). Plan changes
    (:class:`TasksDone`) are applied first and the plan-derived items computed again; item
    changes (:class:`Change`) are applied last, so they win over derived values. A change
    naming no item, a field the item's rule does not read, or a value it cannot score raises
    :class:`InputError` naming the item and the field.
    """
    dossier = as_dossier(dossier)
    changes = as_changes(changes)
    survey_inputs = dossier.survey.items if dossier.survey else None
    plan_changes = [c for c in changes if isinstance(c, TasksDone)]
    item_changes = [c for c in changes if isinstance(c, Change)]
    base = dossier.inputs
    if plan_changes:
        base = _with_plan_changes(dossier, plan_changes)
    new_inputs, new_survey = apply_changes(dossier.framework, base, survey_inputs, item_changes)
    unit = dossier.manifest.unit
    before = score(dossier.framework, dossier.inputs, survey_inputs, unit=unit)
    after = score(dossier.framework, new_inputs, new_survey, unit=unit)
    return WhatIf(before, after, changes, new_inputs, new_survey)


def _with_plan_changes(dossier: Dossier, changes: Sequence[TasksDone]) -> dict[str, ItemInput]:
    from parindex.plan.model import derived_inputs, merge_derived

    plan = dossier.plan
    if plan is None:
        raise InputError([Problem(f"the dossier has no {dossier.manifest.files.plan}: plan "
                                  "tasks cannot be marked done", dossier.root)],
                         "cannot apply the changes")
    known = {t.code for t in plan.tasks}
    problems = [Problem(f"no task {code!r} in the plan", key=f"tasks[{code}]")
                for c in changes for code in c.tasks if code not in known]
    if problems:
        raise InputError(problems, "cannot apply the changes")
    done: dict[str, dt.date | None] = {}
    for c in changes:
        done.update(dict.fromkeys(c.tasks, c.completed))
    tasks = tuple(t.model_copy(update={"status": "hoan-thanh", "completed": done[t.code]})
                  if t.code in done else t for t in plan.tasks)
    new_plan = plan.model_copy(update={"tasks": tasks})
    typed = dict(dossier.self_assessment.items)
    return merge_derived(typed, derived_inputs(new_plan, dossier.framework))
