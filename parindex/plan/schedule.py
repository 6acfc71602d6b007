"""The plan as a calendar: what is due and overdue, per unit, reporting schedule included.

Each dated milestone of a task (a deadline of its timeframe, and the end of a "thường xuyên"
period) and each periodic report becomes an :class:`Entry`; tasks whose timeframe defers to
someone else's schedule are listed without a date. Status is recorded per task, not per
milestone: a task is done as of a day when it is ``hoan-thanh`` with a completion date on or
before that day (a report: sent on or before it); the earlier milestones of a task in progress
(``dang-thuc-hien``, or completed later) are taken as reached. Units are shown by their
registry name, so two spellings of one unit fall under one heading.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from parindex.core.display import Kind, clip, frame, html_block, html_table
from parindex.core.errors import InputError, Problem
from parindex.plan.model import Plan, Task, load_plan
from parindex.plan.units import Unit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENTRY_COLUMNS", "Calendar", "Entry", "as_plan", "build_calendar"]

State = Literal["overdue", "due-soon", "upcoming", "undated", "done"]
STATE_LABELS: dict[str, str] = {
    "overdue": "Quá hạn", "due-soon": "Sắp đến hạn", "upcoming": "Chưa đến hạn",
    "undated": "Không có hạn cụ thể", "done": "Đã hoàn thành",
}
WHOLE_DEPARTMENT = "Toàn Sở"
ENTRY_COLUMNS: dict[str, Kind] = {"due": "date", "kind": "text", "code": "text",
                                  "title": "text", "what": "text", "units": "text",
                                  "state": "text"}
"""Columns of :meth:`Calendar.to_frame` (fixed, in this order, with these kinds)."""


@dataclass(frozen=True)
class Entry:
    due: dt.date | None
    kind: Literal["task", "report"]
    code: str
    title: str
    what: str
    units: tuple[str, ...]
    state: State

    def to_dict(self) -> dict[str, Any]:
        return {"due": self.due.isoformat() if self.due else None, "kind": self.kind,
                "code": self.code, "title": self.title, "what": self.what,
                "units": list(self.units), "state": self.state}


@dataclass(frozen=True)
class Calendar:
    as_of: dt.date
    unit: str | None
    entries: tuple[Entry, ...]

    def counts(self) -> dict[str, int]:
        return {s: sum(e.state == s for e in self.entries) for s in STATE_LABELS}

    def by_unit(self) -> dict[str, tuple[Entry, ...]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            for name in e.units or (WHOLE_DEPARTMENT,):
                out.setdefault(name, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per entry, overdue first then by due date.

        Columns :data:`ENTRY_COLUMNS`: ``due`` is ``datetime64[ns]`` (``NaT`` when undated);
        ``kind`` (``task`` / ``report``), ``code``, ``title``, ``what``, ``units`` (lead
        units joined by ``"; "``) and ``state`` (``overdue``, ``due-soon``, ``upcoming``,
        ``undated``, ``done``) are ``string``.
        """
        return frame((e.to_dict() | {"due": e.due} for e in self.entries),
                     list(ENTRY_COLUMNS.items()))

    def __repr__(self) -> str:
        c = self.counts()
        who = f" for {self.unit}" if self.unit else ""
        return clip(f"<Calendar as of {self.as_of.isoformat()}{who}: {c['overdue']} overdue, "
                    f"{c['due-soon']} due soon, {c['upcoming']} upcoming, {c['undated']} "
                    f"undated, {c['done']} done>")

    def _repr_html_(self, limit: int = 25) -> str:
        c = self.counts()
        counts = html_table([STATE_LABELS[s] for s in c], [list(c.values())],
                            numeric=range(len(c)))
        rows = [(e.due.strftime("%d/%m/%Y") if e.due else "", e.code, e.title, e.what,
                 ", ".join(e.units) or WHOLE_DEPARTMENT, STATE_LABELS[e.state])
                for e in self.entries]
        table = html_table(("Hạn", "Mã", "Nhiệm vụ / báo cáo", "Thời gian", "Đơn vị chủ trì",
                            "Tình trạng"), rows, limit=limit)
        who = f" — {self.unit}" if self.unit else ""
        return html_block(f"Lịch công việc CCHC tính đến {self.as_of:%d/%m/%Y}{who}", (),
                          [counts, table])

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "unit": self.unit, "counts": self.counts(),
                "entries": [e.to_dict() for e in self.entries],
                "by_unit": {k: [e.code for e in v] for k, v in self.by_unit().items()}}


def _state(due: dt.date | None, done: bool, as_of: dt.date, soon: int) -> State:
    if done:
        return "done"
    if due is None:
        return "undated"
    if due < as_of:
        return "overdue"
    return "due-soon" if (due - as_of).days <= soon else "upcoming"


def _task_entries(task: Task, as_of: dt.date, soon: int) -> Iterable[Entry]:
    units = task.all_leads
    tf = task.timeframe
    # done as of ``as_of``: a completion dated later had not happened yet
    done = task.done and (task.completed is None or task.completed <= as_of)
    due = task.due
    if tf is not None:
        for d in tf.deadlines:
            # an intermediate milestone of a task under way is taken as reached
            reached = done or (task.status in ("dang-thuc-hien", "hoan-thanh")
                               and due is not None and d.due < due)
            yield Entry(d.due, "task", task.code, task.title, d.text or tf.text, units,
                        _state(d.due, reached, as_of, soon))
        if tf.ongoing is not None and tf.ongoing.end not in {d.due for d in tf.deadlines}:
            yield Entry(tf.ongoing.end, "task", task.code, task.title,
                        f"Thường xuyên đến {tf.ongoing.end:%d/%m/%Y}", units,
                        _state(tf.ongoing.end, done, as_of, soon))
        if tf.undated:
            what = "; ".join(tf.external) or tf.text
            yield Entry(None, "task", task.code, task.title, what, units,
                        _state(None, done, as_of, soon))
    else:
        yield Entry(None, "task", task.code, task.title, "Kế hoạch không ghi thời gian", units,
                    _state(None, done, as_of, soon))


def _find_unit(plan: Plan, query: str) -> Unit:
    unit = plan.units.by_id.get(query) or plan.resolve(query)
    if unit is None:
        known = ", ".join(u.id for u in plan.units.units)
        raise InputError([Problem(f"không có đơn vị {query!r} trong danh mục của kế hoạch "
                                  f"(các mã: {known})")], "cannot build calendar")
    return unit


def _concerns(plan: Plan, unit: Unit, leads: Iterable[str], others: Iterable[str] = ()) -> bool:
    """Whether ``unit`` leads (itself or through a group) or is named among ``others``."""
    for name in leads:
        other = plan.resolve(name)
        if other is not None and (other.id == unit.id
                                  or unit.id in plan.units.members(other.id)):
            return True
    return any((o := plan.resolve(name)) is not None and o.id == unit.id for name in others)


def _canonical(plan: Plan, names: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        unit = plan.resolve(name)
        shown = unit.name if unit else name
        if shown not in out:
            out.append(shown)
    return tuple(out)


def as_plan(plan: Any) -> Plan:
    """A plan: ``plan`` itself, a dossier's plan (a loaded dossier), a ``plan.yaml`` path, or
    a dossier folder's ``plan.yaml``."""
    if isinstance(plan, Plan):
        return plan
    if isinstance(plan, str | os.PathLike):
        from pathlib import Path

        path = Path(plan)
        return load_plan(path / "plan.yaml" if path.is_dir() else path)
    own = getattr(plan, "plan", None)  # a Dossier (a later stage: not imported here)
    if isinstance(own, Plan):
        return own
    if hasattr(plan, "manifest"):
        raise InputError([Problem("the dossier has no plan (plan.yaml)",
                                  getattr(plan, "root", None))], "cannot build calendar")
    raise TypeError(f"expected a Plan, a Dossier or a path, not {type(plan).__name__}")


def build_calendar(plan: Any, as_of: dt.date, unit: str | None = None, *,
                   include_done: bool = False, soon_days: int = 30) -> Calendar:
    """Entries of ``plan`` as of ``as_of``, for one unit (id, name or alias) or all.

    ``plan``: a :class:`~parindex.plan.model.Plan`, a loaded dossier (its plan), the path of a
    ``plan.yaml`` or of a dossier folder holding one.

    A unit's calendar holds the tasks it leads, directly or through a group ("Các phòng, đơn
    vị thuộc Sở"), and those naming it among the coordinating units; coordination through a
    group ("các phòng, đơn vị liên quan") is left out, or every task would be everyone's.
    """
    plan = as_plan(plan)
    target = _find_unit(plan, unit) if unit else None
    entries: list[Entry] = []
    for task in plan.tasks:
        if target is not None and not _concerns(plan, target, task.all_leads,
                                                task.all_coordinating):
            continue
        entries += _task_entries(task, as_of, soon_days)
    for report in plan.reports:
        if target is not None and report.lead and not _concerns(plan, target, report.lead):
            continue
        due = report.due
        entries.append(Entry(due, "report", report.id, report.label or report.id,
                             report.timeframe.text, report.lead,
                             _state(due, report.sent is not None and report.sent <= as_of,
                                    as_of, soon_days)))
    entries = [replace(e, units=_canonical(plan, e.units)) for e in entries]
    if not include_done:
        entries = [e for e in entries if e.state != "done"]
    order = {"overdue": 0, "due-soon": 1, "upcoming": 2, "undated": 3, "done": 4}
    entries.sort(key=lambda e: (order[e.state], e.due or dt.date.max, e.code))
    return Calendar(as_of, target.name if target else None, tuple(entries))
