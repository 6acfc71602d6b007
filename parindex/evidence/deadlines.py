"""Deadlines of the scored items, resolved against the dossier.

Most deadlines are a fixed day ("kịp thời" = by 31/12/2020). Others count from another dated
event of the dossier ("within 15 days of the province's plan"): the framework names the event
(``deadline_after.after``), and ``dossier.yaml`` dates it under ``references``, by a day or by
a register document. :func:`item_deadlines` resolves both kinds, with the reading said in
Vietnamese, and reports a reference the dossier does not date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parindex.core.findings import Finding, define

if TYPE_CHECKING:
    from parindex.evidence.register import Register
    from parindex.scoring.dossier import Dossier

__all__ = ["DEADLINE_RESOLVED", "REFERENCE_MISSING", "ResolvedDeadline", "item_deadlines"]

REFERENCE_MISSING = define(
    "deadline-reference-missing", "warning", "Chưa có ngày của mốc tính thời hạn",
    "Ghi ngày của mốc vào references trong dossier.yaml (date: …, hoặc document: mã tài liệu "
    "trong sổ) để kiểm tra được tính kịp thời.")
DEADLINE_RESOLVED = define(
    "deadline-resolved", "info", "Thời hạn tính từ một mốc của hồ sơ",
    "Thời hạn “kịp thời” của tiêu chí được tính từ ngày của mốc ghi trong dossier.yaml; kiểm "
    "tra lại mốc nếu thấy sai.")


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class ResolvedDeadline:
    date: dt.date
    text: str
    """How it was read: "20/01/2021 (15 ngày sau Kế hoạch 10/KH-UBND ngày 05/01/2021)"."""
    relative: bool = False


def item_deadlines(dossier: Dossier, register: Register | None = None) -> (
    tuple[dict[str, ResolvedDeadline], list[Finding]]
):
    """Each scored item's deadline (fixed or relative), and findings on relative ones."""
    out: dict[str, ResolvedDeadline] = {}
    findings: list[Finding] = []
    refs = dossier.manifest.references
    docs = register.by_id() if register is not None else {}
    for node in dossier.framework.leaves():
        item = node.item
        fixed = getattr(item, "deadline", None)
        if fixed is not None:
            out[node.code] = ResolvedDeadline(fixed, _d(fixed))
        rel = getattr(item, "deadline_after", None)
        if rel is None:
            continue
        what = rel.label or rel.after
        ref = refs.get(rel.after)
        day: dt.date | None = None
        source = ""
        if ref is not None and ref.date is not None:
            day, source = ref.date, f"{ref.label or what} ngày {_d(ref.date)}"
        elif ref is not None and ref.document is not None:
            doc = docs.get(ref.document)
            if doc is not None and doc.date is not None:
                number = f" {doc.number}" if doc.number else ""
                day, source = doc.date, f"{ref.label or what}{number} ngày {_d(doc.date)}"
        if day is None:
            why = ("chưa có trong references của dossier.yaml" if ref is None else
                   f"tài liệu {ref.document} không có trong sổ hoặc chưa có ngày")
            findings.append(REFERENCE_MISSING(
                f"Tiêu chí {node.code}: thời hạn tính từ “{what}” ({rel.after}), {why}.",
                item=node.code))
            continue
        due = day + dt.timedelta(days=rel.days)
        resolved = ResolvedDeadline(due, f"{_d(due)} ({rel.days} ngày sau {source})", True)
        out[node.code] = resolved
        findings.append(DEADLINE_RESOLVED(f"Tiêu chí {node.code}: hạn {resolved.text}.",
                                          item=node.code))
    return out, findings
