"""After the year: what can still truthfully change, and what is history.

Once the scoring year has ended, the facts of that year are settled: a task done late stays
late, a training course not held will not be held. Proposing "15/15 training tasks" or "one
recognised initiative" then reads as advice to pad the self-assessment. What a department can
still do is put its record right: enter a result still missing, fix a number the register
got wrong, register a document, write a giải trình, choose the option its evidence supports.

:func:`record_actions` lists those, from the pre-submission check: each with the item, the
finding it answers and the points it protects (the item's self-assessed points, which the
appraisal may not accept while the record is wrong). :func:`where_the_points_are` offers
only these once the year has ended, unless the user asks to plan a future year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parindex.core.findings import Report
    from parindex.scoring.dossier import Dossier
    from parindex.scoring.scorecard import Scorecard

__all__ = ["RECORD_ACTIONS", "RecordAction", "period_end", "record_actions", "year_closed"]

RECORD_ACTIONS: dict[str, str] = {
    "missing-input": "nhập kết quả thực tế của tiêu chí (đang thiếu)",
    "invalid-input": "sửa số liệu tự đánh giá cho đúng cách chấm",
    "self-score-mismatch": "sửa điểm tự chấm cho khớp số liệu",
    "late-evidence-scored-on-time": "chọn phương án đúng với ngày của văn bản (không kịp thời)",
    "missing-evidence": "đăng ký văn bản kiểm chứng đã có, hoặc viết giải trình",
    "evidence-file-missing": "đặt tệp văn bản vào hồ sơ đúng đường dẫn đã đăng ký",
    "evidence-file-empty": "sao chép lại tệp văn bản từ bản gốc",
    "evidence-file-unreadable": "xuất lại tệp văn bản từ bản gốc",
    "evidence-file-encrypted": "gỡ mật khẩu của tệp văn bản",
    "evidence-hash-mismatch": "kiểm tra tệp có đúng văn bản đã đăng ký",
    "number-mismatch": "sửa số ký hiệu trong sổ theo văn bản",
    "date-mismatch": "sửa ngày ban hành trong sổ theo văn bản",
    "document-type-mismatch": "sửa loại văn bản hoặc số ký hiệu trong sổ",
    "unregistered-file": "đăng ký tệp trong sổ tài liệu kiểm chứng",
    "plan-evidence-not-registered": "đăng ký tài liệu kiểm chứng của nhiệm vụ đã thực hiện",
}
"""Check findings that a department can still answer after the year, and what to do."""


@dataclass(frozen=True)
class RecordAction:
    """One thing to put right in the dossier's record (not a change of what happened)."""

    code: str | None
    """The item concerned, if the finding names one."""
    finding: str
    document: str | None
    """The register document concerned, if any."""
    action: str
    message: str
    points_at_risk: Decimal
    """The item's self-assessed points (its maximum when its input is missing)."""

    def to_dict(self) -> dict[str, Any]:
        pts = self.points_at_risk
        return {"code": self.code, "finding": self.finding, "document": self.document,
                "action": self.action,
                "message": self.message,
                "points_at_risk": int(pts) if pts == pts.to_integral_value() else float(pts)}


def period_end(year: int) -> dt.date:
    """The last day of the scoring year (the period the self-assessment covers)."""
    return dt.date(year, 12, 31)


def year_closed(year: int, as_of: dt.date | None) -> bool:
    """True once ``as_of`` is after the scoring year: its facts are history."""
    return as_of is not None and as_of > period_end(year)


def record_actions(card: Scorecard, report: Report) -> tuple[RecordAction, ...]:
    """The record-keeping answers to ``report``'s findings, most points at risk first."""
    out: list[RecordAction] = []
    seen: set[tuple[str | None, str, str | None]] = set()
    for f in report.findings:
        action = RECORD_ACTIONS.get(f.code)
        if action is None:
            continue
        key = (f.item, f.code, f.document)
        if key in seen:
            continue
        seen.add(key)
        at_risk = Decimal(0)
        if f.item is not None and f.item in card.by_code:
            node = card[f.item]
            at_risk = node.max if f.code == "missing-input" else max(node.score, Decimal(0))
        out.append(RecordAction(f.item, f.code, f.document or f.file, action, f.message,
                                at_risk))
    out.sort(key=lambda a: (-a.points_at_risk, a.code or "", a.finding))
    return tuple(out)


def dossier_record_actions(dossier: Dossier, card: Scorecard,
                           as_of: dt.date | None) -> tuple[RecordAction, ...]:
    """:func:`record_actions` of the dossier's pre-submission check on ``as_of``."""
    from parindex.evidence.check import check

    return record_actions(card, check(dossier, as_of=as_of))
