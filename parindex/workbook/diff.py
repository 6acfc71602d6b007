"""What the appraisal changed: :func:`appraisal_diff` compares the appraised points of a
workbook read back (:func:`~parindex.workbook.read.read_workbook`) with the self-assessed ones,
per item, area and in total (:class:`AppraisalDiff`), and with a scorecard lists what the
workbook changed compared with the dossier."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.core.findings import Finding, Report
from parindex.framework.model import Level
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import Scorecard, Status
from parindex.workbook.extras_rows import ExtraDiff, extras_diff
from parindex.workbook.read import (
    SELF_SCORE_CHANGED,
    WorkbookReading,
    _fmt,
    _num,
    read_workbook,
)

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = [
    "DIFF_COLUMNS",
    "AppraisalDiff",
    "DiffRow",
    "EditedText",
    "appraisal_diff",
]


DIFF_COLUMNS: dict[str, Kind] = {
    "code": "text", "name": "text", "level": "text", "max": "float", "pending": "float",
    "self_score": "float", "appraised": "float", "difference": "float", "self_index": "float",
    "appraised_index": "float", "appraised_items": "int", "appraisable_items": "int"}
"""Columns of :meth:`AppraisalDiff.to_frame` (fixed, in this order, with these kinds)."""


@dataclass(frozen=True)
class DiffRow:
    """Self-assessed versus appraised points of one item, area or the total.

    ``self_score``: points the unit gave (survey points included when known).
    ``difference``: Σ (appraised − self) over the leaves below that the reviewer scored.
    ``appraised``: ``self_score + difference`` once every appraisable leaf below is scored,
    else ``None``. ``appraised_items`` / ``appraisable_items`` count those leaves
    (self-assessed, not marked not applicable). ``max`` and ``pending`` follow the
    Scorecard: not-applicable items dropped (policy ``drop``), survey points not yet known
    pending; ``self_index`` / ``appraised_index`` = points / (max − pending) × 100.
    """

    code: str | None
    name: str
    level: Level | None
    max: Decimal
    pending: Decimal
    self_score: Decimal
    appraised: Decimal | None
    difference: Decimal
    appraised_items: int
    appraisable_items: int

    @property
    def self_index(self) -> Decimal | None:
        return _index(self.self_score, self.max - self.pending)

    @property
    def appraised_index(self) -> Decimal | None:
        if self.appraised is None:
            return None
        return _index(self.appraised, self.max - self.pending)

    @property
    def changed(self) -> bool:
        return self.difference != 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level, "max": _num(self.max),
            "pending": _num(self.pending), "self_score": _num(self.self_score),
            "appraised": _num(self.appraised), "difference": _num(self.difference),
            "self_index": _num(self.self_index), "appraised_index": _num(self.appraised_index),
            "appraised_items": self.appraised_items,
            "appraisable_items": self.appraisable_items,
        }


def _index(score: Decimal, denominator: Decimal) -> Decimal | None:
    from parindex.framework.rules import quantize

    return None if denominator <= 0 else quantize(score / denominator * 100)


@dataclass(frozen=True)
class AppraisalDiff:
    """Where the appraisal differs from the self-assessment: per item, per area, in total."""

    reading: WorkbookReading
    rows: tuple[DiffRow, ...]
    total: DiffRow
    report: Report
    edited_texts: tuple[EditedText, ...] = ()
    """Explanations and notes the workbook changed, compared with the dossier (when given)."""
    extras: tuple[ExtraDiff, ...] = ()
    """The bonus and penalty items, self-assessed and appraised (apart from the total)."""

    @property
    def areas(self) -> tuple[DiffRow, ...]:
        return tuple(r for r in self.rows if r.level == "area")

    def changed(self) -> tuple[DiffRow, ...]:
        """Leaves whose appraised points differ from the self-assessed ones."""
        leaves = {n.code for n in self.reading.framework.leaves()}
        return tuple(r for r in self.rows if r.code in leaves and r.changed)

    def to_frame(self) -> pd.DataFrame:
        """One row per node in framework order, then the total (``code`` ``<NA>``).

        Columns :data:`DIFF_COLUMNS`: ``code``, ``name`` and ``level`` are ``string``; points
        and indexes ``float64`` (``appraised`` is ``NaN`` until every appraisable item below
        is appraised); ``appraised_items`` and ``appraisable_items`` ``int64``.
        """
        rows = [r.to_dict() | {"max": r.max, "pending": r.pending,
                               "self_score": r.self_score, "appraised": r.appraised,
                               "difference": r.difference, "self_index": r.self_index,
                               "appraised_index": r.appraised_index}
                for r in (*self.rows, self.total)]
        return frame(rows, list(DIFF_COLUMNS.items()), self.reading.framework.precision)

    def __repr__(self) -> str:
        t = self.total
        appraised = "not fully appraised" if t.appraised is None else \
            f"appraised {plain(t.appraised)} (index {plain(t.appraised_index)})"
        return clip(f"<AppraisalDiff {self.reading.path.name}: self {plain(t.self_score)} "
                    f"(index {plain(t.self_index)}), {appraised}, difference "
                    f"{plain(t.difference, sign=True)}; {len(self.changed())} item(s) changed>")

    def _repr_html_(self) -> str:
        t = self.total
        lines = [f"Tự đánh giá {pts(t.self_score)} điểm ({vi(t.self_index)}%); thẩm định "
                 + (f"{pts(t.appraised)} điểm ({vi(t.appraised_index)}%)"
                    if t.appraised is not None else
                    f"chưa xong ({t.appraised_items}/{t.appraisable_items} tiêu chí)")
                 + f"; chênh lệch {pts(t.difference, sign=True)} điểm."]
        areas = html_table(("Mã", "Lĩnh vực", "Tự đánh giá", "Thẩm định", "Chênh lệch"),
                           [(r.code, r.name, pts(r.self_score),
                             "" if r.appraised is None else pts(r.appraised),
                             pts(r.difference, sign=True)) for r in self.areas],
                           numeric=(2, 3, 4), caption="Theo lĩnh vực (điểm)")
        changed = html_table(("Mã", "Tiêu chí", "Tự đánh giá", "Thẩm định", "Chênh lệch"),
                             [(r.code, r.name, pts(r.self_score),
                               "" if r.appraised is None else pts(r.appraised),
                               pts(r.difference, sign=True)) for r in self.changed()],
                             numeric=(2, 3, 4), caption="Tiêu chí thay đổi", limit=20)
        return html_block(f"Kết quả thẩm định: {self.reading.path.name}", lines,
                          [areas, changed])

    def to_dict(self) -> dict[str, Any]:
        """``file``, ``framework``, ``unit``, ``total``, ``areas``, ``changed`` (leaves with
        a difference), ``items`` (every row), each a :class:`DiffRow` dict, ``edited_texts``
        (:class:`EditedText` dicts: explanations and notes changed in the workbook), ``extras``
        (bonus and penalty items: ``code``, ``group``, ``self_points``, ``appraised``,
        ``computed``, ``difference``, ``appraised_items``, ``appraisable_items``: an item left
        empty is not appraised, as a tree item) and ``report``."""
        return {
            "file": str(self.reading.path), "framework": self.reading.framework.id,
            "unit": self.reading.unit, "total": self.total.to_dict(),
            "areas": [r.to_dict() for r in self.areas],
            "changed": [r.to_dict() for r in self.changed()],
            "items": [r.to_dict() for r in self.rows],
            "edited_texts": [e.to_dict() for e in self.edited_texts],
            "extras": [e.to_dict() for e in self.extras],
            "report": self.report.to_dict(),
        }


@dataclass(frozen=True)
class EditedText:
    """A Giải trình or Ghi chú cell that differs from the dossier (JSON keys as fields)."""

    code: str
    field: str
    """``explanation`` or ``note``."""
    dossier: str | None
    workbook: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "dossier": self.dossier,
                "workbook": self.workbook}


def appraisal_diff(reading: WorkbookReading | Path | str,
                   card: Scorecard | Dossier | Path | str | None = None) -> AppraisalDiff:
    """Compare appraised with self-assessed points.

    ``reading``: a workbook read back, or its path (then read). ``card``: the dossier's
    scorecard, the dossier, or its folder (then loaded and scored).

    Self-assessed points come from the workbook, or from ``card`` (the dossier's current
    scorecard) when given; then every leaf whose workbook self-score differs from the dossier
    gets a ``workbook-self-score-changed`` finding, and the explanations and notes edited in
    the workbook are listed (``edited_texts``).
    """
    if not isinstance(reading, WorkbookReading):
        reading = read_workbook(reading)
    if card is not None and not isinstance(card, Scorecard):
        card = as_dossier(card).score()
    fw = reading.framework
    by_code = reading.by_code
    findings: list[Finding] = []
    zero = Decimal(0)
    leaf_rows: dict[str, DiffRow] = {}
    edited: list[EditedText] = []
    for node in fw.leaves():
        item = by_code.get(node.code)
        status: Status | None = item.status if item else None
        drop = fw.na_policy(node) == "drop"
        if card is not None:
            ns = card[node.code]
            if item is not None:
                for name in ("explanation", "note"):
                    was = getattr(ns.input, name) if ns.input else None
                    now = getattr(item, name)
                    if (was or None) != now:
                        edited.append(EditedText(node.code, name, was, now))
            own = ns.score
            mx, pending, status = ns.max, ns.pending, ns.status
            shown = None if (status == "survey-pending" or (status == "not-applicable" and drop)
                             ) else own
            if item is not None and item.self_score != shown:
                findings.append(SELF_SCORE_CHANGED(
                    f"Tiêu chí {node.code}: bảng ghi {_opt(item.self_score)}, hồ sơ tính "
                    f"{_opt(shown)}.", item=node.code, line=item.row))
        else:
            own = (item.self_score if item else None) or zero
            na = status == "not-applicable"
            mx = zero if (na and drop) else node.max_points
            pending = (node.max_points if node.method == "survey"
                       and (item is None or item.self_score is None) else zero)
        appraisable = node.method != "survey" and status != "not-applicable"
        appraised_value = item.appraised if item and node.method != "survey" else None
        diff = appraised_value - own if appraised_value is not None else zero
        done = appraised_value is not None and appraisable
        complete = done or not appraisable
        leaf_rows[node.code] = DiffRow(
            node.code, node.name, node.level, mx, pending, own,
            own + diff if complete else None, diff, int(done), int(appraisable))
    rows: dict[str, DiffRow] = {}

    def combine(code: str | None, name: str, level: Level | None,
                parts: Iterable[DiffRow]) -> DiffRow:
        ps = list(parts)
        own = sum((p.self_score for p in ps), zero)
        diff = sum((p.difference for p in ps), zero)
        complete = all(p.appraised is not None for p in ps)
        return DiffRow(code, name, level, sum((p.max for p in ps), zero),
                       sum((p.pending for p in ps), zero), own,
                       own + diff if complete else None, diff,
                       sum(p.appraised_items for p in ps), sum(p.appraisable_items for p in ps))

    for node in reversed(fw.nodes):
        if node.is_leaf:
            rows[node.code] = leaf_rows[node.code]
        else:
            rows[node.code] = combine(node.code, node.name, node.level,
                                      (rows[c.code] for c in fw.children(node.code)))
    ordered = tuple(rows[n.code] for n in fw.nodes)
    total = combine(None, "TỔNG CỘNG", None, (r for r in ordered if r.level == "area"))
    report = reading.report + Report.of(reading.report.subject, findings)
    scored = [r for r in leaf_rows.values() if r.appraisable_items]
    own = sum((r.self_score for r in scored), zero)
    gap = (own, own + total.difference) if total.appraised_items == total.appraisable_items \
        else None
    extras = extras_diff(fw, reading.extras, card, gap)
    return AppraisalDiff(reading, ordered, total, report, tuple(edited), extras)


def _opt(value: Decimal | None) -> str:
    return "(trống)" if value is None else _fmt(value)
