"""The department's annual CCHC plan (kế hoạch cải cách hành chính) as data: ``plan.yaml``.

A :class:`Plan` holds its sections as numbered in the document, its tasks (code as written,
e.g. ``II.2.g``; title; lead and coordinating units; products; timeframe; notes), the
activities a task is split into (the "+" lines of II.2.g), and the reporting schedule of
section III. Curation adds what the document does not say: the sub-criteria each task serves,
its status, completion date and the evidence documents proving its product.

Plan-completion items of the framework are computed here (:func:`derived_inputs`), never
typed by hand: changing a task's status changes the score.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from parindex.core.base import Strict
from parindex.core.errors import InputError, Problem
from parindex.core.yamlio import dump_yaml, load_model
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import DeductionRule
from parindex.plan.timeframe import Timeframe
from parindex.plan.units import Unit, UnitRegistry

__all__ = [
    "STATUS_LABELS",
    "Activity",
    "Plan",
    "ReportDue",
    "Section",
    "Status",
    "Task",
    "derived_inputs",
    "dump_plan",
    "load_plan",
]

Status = Literal["chua-thuc-hien", "dang-thuc-hien", "hoan-thanh", "khong-thuc-hien"]
STATUS_LABELS: dict[str, str] = {
    "chua-thuc-hien": "Chưa thực hiện",
    "dang-thuc-hien": "Đang thực hiện",
    "hoan-thanh": "Hoàn thành",
    "khong-thuc-hien": "Không thực hiện",
}

ReportId = Literal["quy-1", "quy-2", "6-thang", "quy-3", "9-thang", "quy-4", "nam"]
REPORT_LABELS: dict[str, str] = {
    "quy-1": "Báo cáo quý I", "quy-2": "Báo cáo quý II", "6-thang": "Báo cáo 6 tháng",
    "quy-3": "Báo cáo quý III", "9-thang": "Báo cáo 9 tháng", "quy-4": "Báo cáo quý IV",
    "nam": "Báo cáo năm",
}


class Section(Strict):
    """A numbered heading of the plan that holds tasks (e.g. ``II.6.2``)."""

    code: str = Field(min_length=1)
    label: str = ""
    """The number as written ("6.2.", "II.")."""
    title: str = ""


class Activity(Strict):
    """One part of a task the document splits with its own units (the "+" lines)."""

    title: str
    lead: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    timeframe: Timeframe | None = None


class Task(Strict):
    code: str = Field(min_length=1)
    """Unique in the plan, as written ("II.2.g"); a repeated number gets a suffix ("II.7.b-2")."""
    label: str = ""
    """The task's own number as written in the document ("b)", "6.1.")."""
    section: str | None = None
    title: str = Field(min_length=1)
    lead: tuple[str, ...] = ()
    """Lead units (đơn vị chủ trì), names as written; the registry resolves them."""
    coordinating: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    timeframe: Timeframe | None = None
    activities: tuple[Activity, ...] = ()
    notes: str | None = None
    serves: tuple[str, ...] = ()
    """Codes of the framework items this task serves."""
    status: Status = "chua-thuc-hien"
    completed: dt.date | None = None
    evidence: tuple[str, ...] = ()
    """Ids of the evidence-register entries proving the task's product."""

    @model_validator(mode="after")
    def _completion(self) -> Task:
        if self.completed is not None and self.status != "hoan-thanh":
            raise ValueError(f"completed is set but status is {self.status!r} (not hoan-thanh)")
        return self

    @property
    def all_leads(self) -> tuple[str, ...]:
        """Lead units of the task and of its activities."""
        return _union(self.lead, *(a.lead for a in self.activities))

    @property
    def all_coordinating(self) -> tuple[str, ...]:
        return _union(self.coordinating, *(a.coordinating for a in self.activities))

    @property
    def due(self) -> dt.date | None:
        return self.timeframe.due if self.timeframe else None

    @property
    def done(self) -> bool:
        return self.status == "hoan-thanh"

    @property
    def done_on_time(self) -> bool:
        """Completed, and not after its due date when it has one (and a completion date)."""
        if not self.done:
            return False
        due = self.due
        return due is None or self.completed is None or self.completed <= due


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for g in groups for n in g))


class ReportDue(Strict):
    """One periodic CCHC report of section III (quý I, 6 tháng, quý III, năm)."""

    id: ReportId
    label: str = ""
    timeframe: Timeframe
    lead: tuple[str, ...] = ()
    sent: dt.date | None = None
    """Day the report was actually sent; leave empty while it is not sent."""
    evidence: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()
    note: str | None = None

    @property
    def due(self) -> dt.date | None:
        return self.timeframe.due

    @property
    def late(self) -> bool:
        return self.sent is not None and self.due is not None and self.sent > self.due


class Plan(Strict):
    kind: Literal["parindex/plan"] = "parindex/plan"
    schema_version: Literal[1] = 1
    example: bool = False
    note: str | None = None
    issuer: str | None = None
    """Cơ quan ban hành, e.g. "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"."""
    number: str | None = None
    """Số ký hiệu of the plan itself, e.g. ``15/KH-SKHCN``."""
    date: dt.date | None = None
    year: int = Field(ge=2000, le=2100)
    title: str | None = None
    source: str | None = None
    """The file the plan was imported from."""
    framework: str | None = None
    """Framework id the ``serves`` codes refer to; lint checks the mapping against it."""
    units: UnitRegistry = UnitRegistry()
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    reports: tuple[ReportDue, ...] = ()

    @model_validator(mode="after")
    def _unique_codes(self) -> Plan:
        seen: set[str] = set()
        dups = []
        for task in self.tasks:
            if task.code in seen:
                dups.append(task.code)
            seen.add(task.code)
        problems = [f"task codes used twice: {', '.join(dups)}"] if dups else []
        sections = {s.code for s in self.sections}
        problems += [f"task {t.code}: no section {t.section!r} in sections" for t in self.tasks
                     if t.section is not None and t.section not in sections]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def task(self, code: str) -> Task:
        for t in self.tasks:
            if t.code == code:
                return t
        raise KeyError(f"no task {code!r} in the plan")

    def resolve(self, name: str) -> Unit | None:
        return self.units.resolve(name)

    def completion(self) -> tuple[int, int]:
        """``(tasks done on time, tasks)``: the plan-completion ratio."""
        return sum(t.done_on_time for t in self.tasks), len(self.tasks)


def load_plan(path: Path | str, *, cache: bool = False) -> Plan:
    """Load ``plan.yaml``; raises :class:`InputError` with every problem (file, line, key).

    With ``cache``, the validated plan is rebuilt from the per-user cache while the file's
    bytes are the same (:mod:`parindex.core.modelcache`)."""
    return load_model(Plan, path, text_keys=("code", "serves", "section", "label", "number",
                                             "evidence", "id", "name", "title"),
                      title="invalid plan file", cache=cache)


PLAN_HEADER = ("Kế hoạch cải cách hành chính hằng năm (parindex plan, schema 1).\n"
               "Mỗi nhiệm vụ: mã, đơn vị chủ trì/phối hợp, sản phẩm, thời gian (giữ nguyên văn),\n"
               "serves (mã tiêu chí phục vụ), status (chua-thuc-hien | dang-thuc-hien | "
               "hoan-thanh | khong-thuc-hien),\ncompleted (ngày hoàn thành), evidence (mã tài "
               "liệu kiểm chứng).")


def dump_plan(plan: Plan, header: str = PLAN_HEADER) -> str:
    """The plan as readable YAML (defaults left out, Vietnamese kept as is)."""
    data = _plain(plan.model_dump(exclude_defaults=True, by_alias=True))
    data = {"kind": plan.kind, "schema_version": plan.schema_version, **data}
    return dump_yaml(data, header)


def _plain(value: Any) -> Any:
    """Tuples as lists, everything else as is (dates stay dates: unquoted in YAML)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# -- items computed from the plan ---------------------------------------------------------------

_MEASURES = ("option", "percent", "done", "total", "count", "counts", "occurrences", "points",
             "answers")
LATE, MISSING = "tre-han", "khong-gui"
"""Penalty ids a ``plan-reports`` item's deduction rule offers when its penalties carry no
``kind`` (the penalties for late and for missing reports)."""
MISSING_ANNUAL = "khong-gui-nam"


def report_penalties(rule: DeductionRule) -> dict[str, str]:
    """Penalty id per occurrence kind: by ``kind``, else by the conventional ids."""
    out: dict[str, str] = {p.kind: p.id for p in rule.penalties if p.kind is not None}
    for kind, pid in (("late", LATE), ("missing", MISSING), ("missing-annual", MISSING_ANNUAL)):
        if kind not in out and any(p.id == pid for p in rule.penalties):
            out[kind] = pid
    return out


def derived_inputs(plan: Plan, framework: Framework) -> dict[str, ItemInput]:
    """Inputs of the framework items marked ``derive``, computed from ``plan``.

    ``plan-completion``: tasks done on time / all tasks. ``plan-reports``: occurrences of late
    and missing periodic reports, once any send date is recorded (until then the typed input
    stays).
    """
    out: dict[str, ItemInput] = {}
    problems: list[Problem] = []
    for node in framework.leaves():
        item = node.item
        derive = getattr(item, "derive", None)
        if derive is None:
            continue
        if derive == "plan-completion":
            done, total = plan.completion()
            if total:
                out[node.code] = _ratio(done, total, "kế hoạch CCHC")
        elif derive == "plan-reports":
            rule = node.rule
            kinds = report_penalties(rule) if isinstance(rule, DeductionRule) else {}
            if not {"late", "missing"} <= set(kinds):
                problems.append(Problem(f"item {node.code} is derived from the reporting "
                                        f"schedule: its rule must be a deduction with penalties "
                                        f"for late and missing reports (kind late/missing, or "
                                        f"ids {LATE!r} and {MISSING!r})"))
                continue
            if plan.reports and any(r.sent for r in plan.reports):
                late = sum(r.late for r in plan.reports)
                unsent = [r for r in plan.reports if r.sent is None]
                annual = [r for r in unsent if r.id == "nam"] if "missing-annual" in kinds else []
                occ = {kinds["late"]: late, kinds["missing"]: len(unsent) - len(annual)}
                if annual:
                    occ[kinds["missing-annual"]] = len(annual)
                out[node.code] = ItemInput(
                    occurrences=occ, derived_from="plan",
                    note=f"Tính từ lịch báo cáo của kế hoạch: {len(plan.reports)} báo cáo, "
                         f"{late} gửi trễ hạn, {len(unsent)} chưa gửi"
                         + (" (có báo cáo năm)" if annual else "") + ".")
    if problems:
        raise InputError(problems, "framework and plan do not fit")
    return out


def _ratio(done: int, total: int, what: str) -> ItemInput:
    pct = (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"))
    return ItemInput(done=Decimal(done), total=Decimal(total), derived_from="plan",
                     note=f"Tính từ kế hoạch: {done}/{total} {what} hoàn thành đúng hạn "
                          f"({str(pct).replace('.', ',')}%).")


def merge_derived(typed: dict[str, ItemInput], derived: dict[str, ItemInput]) -> (
    dict[str, ItemInput]
):
    """Typed inputs with the derived measures laid over them (explanations are kept)."""
    out = dict(typed)
    for code, inp in derived.items():
        base = typed.get(code)
        if base is None:
            out[code] = inp
            continue
        update = {f: getattr(inp, f) for f in _MEASURES}
        update["derived_from"] = "plan"
        update["note"] = inp.note
        out[code] = base.model_copy(update=update)
    return out
