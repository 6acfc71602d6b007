"""Findings and reports: what is wrong with a dossier that can still be read.

Every kind of finding has a stable kebab-case code, a severity, a Vietnamese title and a fix
hint, registered once in :data:`CATALOGUE` (the reference page is generated from it). A
:class:`Report` is the one object the CLI, the notebooks, the workbook and the tests read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CATALOGUE",
    "COLUMNS",
    "Finding",
    "FindingKind",
    "Report",
    "Severity",
    "define",
]

Severity = Literal["error", "warning", "info"]
_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

COLUMNS = ("code", "severity", "item", "task", "document", "file", "line", "message", "hint")
"""Column order of :meth:`Report.to_frame` (fixed: tools may rely on it)."""


@dataclass(frozen=True)
class FindingKind:
    """One entry of the catalogue."""

    code: str
    severity: Severity
    title: str
    hint: str
    topic: str = "dossier"

    def __call__(self, message: str, **where: Any) -> Finding:
        """A finding of this kind; ``where`` takes item, task, document, file, line, hint."""
        hint = where.pop("hint", None) or self.hint
        return Finding(code=self.code, severity=self.severity, message=message, hint=hint,
                       **where)


CATALOGUE: dict[str, FindingKind] = {}


def define(code: str, severity: Severity, title: str, hint: str, topic: str = "dossier") -> (
    FindingKind
):
    """Register a finding kind; codes are unique across the library."""
    if code in CATALOGUE and CATALOGUE[code] != FindingKind(code, severity, title, hint, topic):
        raise ValueError(f"finding code {code!r} defined twice")
    kind = FindingKind(code, severity, title, hint, topic)
    CATALOGUE[code] = kind
    return kind


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    hint: str = ""
    item: str | None = None
    task: str | None = None
    document: str | None = None
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}

    def sort_key(self) -> tuple[Any, ...]:
        return (_RANK[self.severity], _code_key(self.item), self.code, self.task or "",
                self.document or "", self.file or "", self.line or 0, self.message)


def _code_key(code: str | None) -> tuple[int, ...]:
    if not code:
        return (10**6,)
    try:
        return tuple(int(p) for p in code.split("."))
    except ValueError:
        return (10**6 - 1,)


@dataclass(frozen=True)
class Report:
    """The result of a check: valid when no finding has error severity."""

    subject: str
    findings: tuple[Finding, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    verdicts: tuple[str, str] = ("đạt, sẵn sàng gửi", "chưa đạt")
    """How :meth:`summary` words a valid and an invalid report: a dossier is "ready to send",
    a plan or an annex is not sent anywhere (see :meth:`worded`)."""

    @classmethod
    def of(cls, subject: str, findings: Iterable[Finding], **stats: Any) -> Report:
        return cls(subject, tuple(sorted(findings, key=Finding.sort_key)), dict(stats))

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in ("error", "warning", "info")}

    def by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "valid": self.valid,
            "counts": self.counts,
            "stats": self.stats,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings], columns=list(COLUMNS))

    def worded(self, valid: str, invalid: str) -> Report:
        """The same report, its verdict worded for what it is about."""
        return replace(self, verdicts=(valid, invalid))

    def summary(self) -> str:
        c = self.counts
        state = self.verdicts[0] if self.valid else self.verdicts[1]
        head = (f"{self.subject}: {state} — {c['error']} lỗi, {c['warning']} cảnh báo, "
                f"{c['info']} thông tin")
        lines = [head]
        for f in self.findings:
            where = " ".join(x for x in (f.item and f"[{f.item}]", f.document, f.task) if x)
            lines.append(f"  {f.severity:7} {f.code}: {where + ' ' if where else ''}{f.message}")
        return "\n".join(lines)

    def __add__(self, other: Report) -> Report:
        return replace(Report.of(self.subject, (*self.findings, *other.findings),
                                 **{**self.stats, **other.stats}), verdicts=self.verdicts)
