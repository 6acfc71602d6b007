"""Re-import a plan over one that exists, without overwriting it silently.

:func:`merge_plans` keeps what was curated (mapping, status, dates, evidence, units) and
reports what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parindex.plan.model import Plan, Task

__all__ = ["MergeResult", "merge_plans"]

_CURATED = ("serves", "status", "completed", "evidence")


@dataclass(frozen=True)
class MergeResult:
    plan: Plan
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    kept: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"added": list(self.added), "removed": list(self.removed),
                "changed": list(self.changed), "kept": list(self.kept)}

    def summary(self) -> str:
        return (f"Gộp kế hoạch: {len(self.kept)} nhiệm vụ giữ nguyên phần đã hiệu chỉnh, "
                f"{len(self.changed)} nhiệm vụ có nội dung mới, {len(self.added)} nhiệm vụ mới, "
                f"{len(self.removed)} nhiệm vụ không còn trong văn bản (giữ lại).")


def merge_plans(curated: Plan, imported: Plan) -> MergeResult:
    """Imported text, with what the user curated kept.

    Per task code: the document's fields come from ``imported``, except where the document is
    silent (the curated value stays) or a timeframe's text is unchanged (the curated reading
    stays); ``serves``, ``status``, ``completed``, ``evidence`` and notes from ``curated``.
    Tasks only in ``curated`` are kept (reported as removed from the document); the unit
    registry, header fields the import could not read, mapping framework and reports' send
    dates are kept.
    """
    old = {t.code: t for t in curated.tasks}
    tasks: list[Task] = []
    added: list[str] = []
    changed: list[str] = []
    kept: list[str] = []
    for task in imported.tasks:
        prev = old.get(task.code)
        if prev is None:
            added.append(task.code)
            tasks.append(task)
            continue
        update: dict[str, Any] = {k: getattr(prev, k) for k in _CURATED}
        update["notes"] = prev.notes or task.notes
        differs = False
        for f in ("title", "lead", "coordinating", "products", "timeframe", "activities"):
            new, old_value = getattr(task, f), getattr(prev, f)
            same_text = (f == "timeframe" and new is not None and old_value is not None
                         and new.text == old_value.text)
            if not new or same_text:
                # the document is silent (or says the same): keep what the user filled in,
                # including corrections of how a timeframe was read
                update[f] = old_value
            elif new != old_value:
                differs = True
        merged = task.model_copy(update=update)
        (changed if differs else kept).append(task.code)
        tasks.append(merged)
    new_codes = {t.code for t in imported.tasks}
    removed = [c for c in old if c not in new_codes]
    tasks += [old[c] for c in removed]
    sent = {r.id: r for r in curated.reports}
    reports = tuple(r.model_copy(update={"sent": sent[r.id].sent, "evidence": sent[r.id].evidence,
                                         "lead": sent[r.id].lead or r.lead})
                    if r.id in sent else r for r in imported.reports)
    plan = imported.model_copy(update={
        "tasks": tuple(tasks), "reports": reports, "units": curated.units,
        "framework": curated.framework, "example": curated.example, "note": curated.note,
        "issuer": curated.issuer or imported.issuer, "number": curated.number or imported.number,
        "date": curated.date or imported.date, "title": curated.title or imported.title,
    })
    plan = Plan.model_validate(plan.model_dump())
    return MergeResult(plan, tuple(added), tuple(removed), tuple(changed), tuple(kept))
