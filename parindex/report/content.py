"""What the report says, as plain data for the template: :func:`report_content` reads a
scorecard (and the evidence register) and gives every figure already written the Vietnamese way
(``69,33``), so that the template holds only wording a department can edit.

The report speaks as the department would: items below their maximum with the department's
own explanation, evidence still missing as "đang bổ sung", never the pre-submission check's
messages. A grade is stated only where :func:`~parindex.scoring.grade.grade` allows one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.scoring.grade import grade, grade_withheld
from parindex.scoring.scorecard import NodeScore, Scorecard

if TYPE_CHECKING:
    from parindex.scoring.dossier import Dossier

__all__ = ["AreaLine", "ExtraGroupLine", "ExtraLine", "ExtrasContent", "ItemLine",
           "ReportContent", "dossier_report_content", "number",
           "report_content"]


def number(value: Decimal | None) -> str:
    """Points or a percentage as printed: two decimals, decimal comma (``12,50``)."""
    if value is None:
        return "–"
    return f"{value:.2f}".replace(".", ",")


def _day(day: dt.date) -> str:
    """``ngày 05 tháng 01 năm 2022`` (day below 10 and months 1–2 with a leading zero)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class AreaLine:
    """One row of the per-area table."""

    stt: str
    name: str
    max: str
    score: str
    index: str


@dataclass(frozen=True)
class ItemLine:
    """An item named in section II: code, name, points and the department's explanation."""

    code: str
    name: str
    score: str
    max: str
    explanation: str


@dataclass(frozen=True)
class ExtraGroupLine:
    """The bonus or the penalty, as a row below the per-area table's total: its cap (empty
    when uncapped), its points, and what the items add up to when the cap cut them."""

    label: str
    name: str
    """``Điểm thưởng`` / ``Điểm trừ`` (``label`` adds "ngoài tổng điểm")."""
    max: str
    points: str
    capped_from: str | None


@dataclass(frozen=True)
class ExtraLine:
    """A bonus or penalty item named in section I: claimed points, or waiting for the
    appraisal (``pending``)."""

    label: str
    code: str
    name: str
    points: str
    max: str
    pending: bool
    explanation: str


@dataclass(frozen=True)
class ExtrasContent:
    """The bonus and penalty items (outside the total and the index), when the framework has
    them: the groups, the score and index with them, the items claimed or pending (``lines``;
    not ``items``, which a template would read as the dictionary method)."""

    groups: tuple[ExtraGroupLine, ...]
    adjusted_score: str
    adjusted_index: str
    lines: tuple[ExtraLine, ...]


def _extras(card: Scorecard) -> ExtrasContent | None:
    from parindex.framework.extras import GROUP_VI

    ex, fw = card.extras, card.framework
    if ex is None or fw.extras is None:
        return None
    by_group = {"bonus": ex.bonus, "penalty": ex.penalty}
    groups = tuple(ExtraGroupLine(f"{GROUP_VI[g]} (ngoài tổng điểm)", GROUP_VI[g],
                                  "" if by_group[g].cap is None else number(by_group[g].cap),
                                  number(by_group[g].points),
                                  number(by_group[g].items_points) if by_group[g].capped
                                  else None)
                   for g, _ in fw.extras.groups())
    items = tuple(ExtraLine(GROUP_VI[i.group], i.code, i.name, number(i.points),
                            number(i.max), i.status == "appraisal-pending",
                            (i.explanation or "").strip())
                  for i in ex.items if i.status == "appraisal-pending"
                  or (i.status == "scored" and i.points > 0))
    return ExtrasContent(groups, number(card.adjusted_score), number(card.adjusted_index),
                         items)


@dataclass(frozen=True)
class ReportContent:
    """Everything the template fills in (see ``parindex/report/templates/bao-cao.docx``)."""

    superior: str
    issuer: str
    unit: str
    number: str
    place_date: str
    year: int
    province: str
    addressee: str
    framework: str
    provisional: bool
    total_max: str
    total_score: str
    self_max: str
    survey_max: str
    survey_given: bool
    index: str
    index_basis: str
    grade: str | None
    grade_withheld: str | None
    areas: tuple[AreaLine, ...]
    full_areas: tuple[str, ...]
    leaves_at_max: int
    leaves_scored: int
    below_max: tuple[ItemLine, ...]
    missing_evidence: tuple[ItemLine, ...]
    """Items without a registered document and without an explanation: still to be added."""
    explained: tuple[ItemLine, ...]
    """Items without a registered document, explained by the department (and not already
    quoted among the items below their maximum)."""
    not_applicable: tuple[ItemLine, ...]
    recipients: tuple[str, ...]
    head_title: str
    head: str
    extra: dict[str, Any] = field(default_factory=dict)
    extras: ExtrasContent | None = None
    """The bonus and penalty items (None: the framework has none; the template then says
    nothing of them)."""

    def context(self) -> dict[str, Any]:
        """The template's variables: the fields, items as plain dictionaries."""
        return asdict(self)


def _line(n: NodeScore) -> ItemLine:
    return ItemLine(n.code, n.name, number(n.score), number(n.max),
                    (n.explanation or "").strip())


def report_content(card: Scorecard, *, unit: str, issuer: str, superior: str | None,
                   province: str, year: int, unit_code: str | None = None,
                   proved: Iterable[str] | None = None, report_number: str | None = None,
                   report_date: dt.date | None = None, head: str | None = None,
                   head_title: str | None = None, recipients: Iterable[str] = (),
                   ) -> ReportContent:
    """The report's content. ``proved`` holds the codes of the items some registered document
    proves (None: no register, nothing is said about missing evidence)."""
    t = card.total
    fw = card.framework
    self_leaves = [n for n in card.leaves() if n.method != "survey"]
    scored = [n for n in self_leaves if n.status != "not-applicable"]
    proved_set = None if proved is None else set(proved)
    if t.survey_given:
        basis = "tính trên tổng điểm, gồm điểm điều tra xã hội học"
    elif t.rescale_pending:
        basis = "điểm các tiêu chí tự chấm quy về thang 100"
    else:
        basis = "tính trên toàn bộ điểm tối đa, chưa có điểm điều tra xã hội học"
    areas = tuple(AreaLine(a.code, a.name, number(a.max), number(
        None if a.method == "survey" and a.pending else a.score), number(a.index))
        for a in card.areas)
    place = f"{province}, " + (_day(report_date) if report_date else
                               f"ngày … tháng … năm {year + 1}")
    return ReportContent(
        superior=(superior or "").upper(), issuer=issuer.upper(), unit=unit,
        number=report_number or f"…/BC-{unit_code or '…'}", place_date=place, year=year,
        province=province, addressee=f"Sở Nội vụ tỉnh {province}", framework=fw.title,
        provisional=fw.status != "official",
        total_max=number(t.max), total_score=number(t.score), self_max=number(t.self_max),
        survey_max=number(t.survey_max), survey_given=t.survey_given, index=number(t.index),
        index_basis=basis, grade=grade(card), grade_withheld=grade_withheld(card),
        areas=areas,
        full_areas=tuple(f"{a.code}. {a.name}" for a in card.areas
                         if a.method != "survey" and a.max > 0 and a.score >= a.max),
        leaves_at_max=sum(1 for n in scored if n.score >= n.max),
        leaves_scored=len(scored),
        below_max=tuple(_line(n) for n in scored if n.score < n.max),
        missing_evidence=() if proved_set is None else tuple(
            _line(n) for n in scored if n.code not in proved_set and not n.explanation),
        explained=() if proved_set is None else tuple(
            _line(n) for n in scored if n.code not in proved_set and n.explanation
            and n.score >= n.max),
        not_applicable=tuple(_line(n) for n in self_leaves if n.status == "not-applicable"),
        recipients=(f"Sở Nội vụ tỉnh {province}", *recipients),
        head_title=head_title or "GIÁM ĐỐC", head=head or "", extras=_extras(card),
    )


def dossier_report_content(dossier: Dossier) -> ReportContent:
    """:func:`report_content` for a dossier: names, numbers and signers from
    ``dossier.yaml``, the items each registered document proves from ``register.yaml``."""
    from parindex.evidence.register import register_of
    from parindex.scoring.dossier import heading_name

    m = dossier.manifest
    sub = m.submission
    documents = register_of(dossier, cache=True).documents
    proved = ({p.item for doc in documents for p in doc.proves if doc.files}
              if documents else None)
    return report_content(
        dossier.score(), unit=m.unit, issuer=heading_name(m.unit, m.superior, m.province),
        superior=m.superior, province=m.province, year=m.year, unit_code=m.unit_code,
        proved=proved, report_number=sub.report_number if sub else None,
        report_date=sub.report_date if sub else None, head=sub.head if sub else None,
        head_title=sub.head_title if sub else None,
        recipients=sub.recipients if sub else ())

