"""The province roll-up: :func:`roll_up` reads every department's score sheet in a folder,
adds the survey results, scores each department with the scoring engine and ranks them.

Per department (:class:`UnitResult`) the self-assessed points and the appraised ones are both
scored by :func:`parindex.scoring.scorecard.score` with the sheet's points fixed, so the
province computes exactly what the department's own ``score`` gives for the same points. The
appraisal is the last round's (an item a later round left empty keeps the earlier points); an
item not yet appraised keeps the department's own points. ``total`` = appraised + survey
points, ``index`` = total / (max − pending survey points) × 100 as for any scorecard.

JSON (``to_dict``): ``framework``, ``year``, ``units`` (ranked; each ``unit``, ``file``,
``self_score``, ``appraised_score``, ``survey_score``, ``total``, ``max``, ``index``, ``gap``,
``rank``, ``classification``, ``appraised_items``, ``appraisable_items``, ``rounds``,
``areas`` (each ``code``, ``name``, ``max``, ``self_score``, ``appraised_score``, ``index``,
``rank``), ``changes`` (each ``code``, ``round``, ``before``, ``after``, ``review``,
``response``), ``extras`` (null when the framework has no bonus or penalty items; else
``self_bonus``, ``self_penalty``, ``bonus``, ``penalty``, ``net``, ``pending``,
``adjusted_total`` and ``items``: shown apart, never in ``total``, ``index`` or ``rank``: no
source says how the province ranks with them)), ``average`` (``self_score``,
``appraised_score``, ``survey_score``, ``total``, ``index``, ``areas``: code → index),
``set_aside`` (each ``file``, ``unit``, ``reason``), ``ties`` (lists of units sharing a
rank), ``findings``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.display import clip, html_block, html_table, plain, vi
from parindex.core.errors import InputError, Problem
from parindex.core.findings import Finding, define
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import quantize
from parindex.province.sheet import UnitSheet, read_sheet
from parindex.province.survey import SURVEY_MISSING, SURVEY_UNKNOWN_UNIT, SurveyTable, unit_key
from parindex.scoring.extras import Appraisal, score_extras
from parindex.scoring.scorecard import Scorecard, score

__all__ = ["AreaResult", "Change", "ProvinceResult", "UnitResult", "roll_up", "unit_changes"]

_TOPIC = "province"
DUPLICATE_UNIT = define(
    "province-duplicate-unit", "error", "Hai bảng điểm của cùng một đơn vị",
    "Giữ một bảng điểm cho mỗi đơn vị; tệp sau không được tổng hợp.", topic=_TOPIC)
SET_ASIDE = define(
    "province-set-aside", "error", "Bảng điểm không được tổng hợp",
    "Sửa các lỗi của tệp này (xem các phát hiện cùng tệp) rồi tổng hợp lại.", topic=_TOPIC)
TIE = define(
    "province-tie", "info", "Các đơn vị đồng hạng",
    "Bộ tiêu chí không quy định cách phân hạng khi bằng chỉ số (ranking.tie_break).",
    topic=_TOPIC)
REFUSED_NA = define(
    "province-not-applicable-refused", "warning", "Tiêu chí không được phép ghi không áp dụng",
    "Tiêu chí được tính 0 điểm; đơn vị chấm điểm tiêu chí này.", topic=_TOPIC)

ZERO = Decimal(0)


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class AreaResult:
    code: str
    name: str
    max: Decimal
    self_score: Decimal
    appraised_score: Decimal
    index: Decimal | None
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "max": _num(self.max),
                "self_score": _num(self.self_score),
                "appraised_score": _num(self.appraised_score), "index": _num(self.index),
                "rank": self.rank}


@dataclass(frozen=True)
class Change:
    """An item's points changed by an appraisal round (round 1: against the self-score)."""

    code: str
    round: int
    before: Decimal | None
    after: Decimal
    review: str | None
    response: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "round": self.round, "before": _num(self.before),
                "after": _num(self.after), "review": self.review, "response": self.response}


@dataclass(frozen=True)
class UnitResult:
    """One department rolled up."""

    unit: str
    file: str
    self_card: Scorecard
    card: Scorecard
    """Scored on the appraised points (the unit's own where not appraised) and the survey."""
    appraised_items: int
    appraisable_items: int
    rounds: int
    changes: tuple[Change, ...]
    rank: int | None = None
    area_ranks: tuple[tuple[str, int | None], ...] = ()

    def __repr__(self) -> str:
        rank = f"#{self.rank} " if self.rank is not None else ""
        return clip(f"<UnitResult {rank}{self.unit!r} ({self.file}): total {plain(self.total)}, "
                    f"index {plain(self.index)}; {self.appraised_items}/"
                    f"{self.appraisable_items} appraised, {len(self.changes)} change(s)>")

    @property
    def self_score(self) -> Decimal:
        return self.self_card.total.self_score

    @property
    def appraised_score(self) -> Decimal | None:
        return self.card.total.self_score if self.appraised_items else None

    @property
    def survey_score(self) -> Decimal | None:
        return self.card.total.survey_score

    @property
    def total(self) -> Decimal:
        return self.card.total.score

    @property
    def max(self) -> Decimal:
        """The index's denominator: max − pending survey points (when rescaled)."""
        t = self.card.total
        return t.max - (t.pending if t.rescale_pending else ZERO)

    @property
    def index(self) -> Decimal | None:
        return self.card.total.index

    @property
    def gap(self) -> Decimal | None:
        a = self.appraised_score
        return None if a is None else self.self_score - a

    @property
    def classification(self) -> str | None:
        """From the framework's bands, once every survey point is known."""
        return self.card.classification if self.card.total.survey_given else None

    @property
    def areas(self) -> tuple[AreaResult, ...]:
        ranks = dict(self.area_ranks)
        own = self.self_card.by_code
        out = []
        for a in self.card.areas:
            mx = a.max - (a.pending if a.rescale_pending else ZERO)
            out.append(AreaResult(a.code, a.name, mx, own[a.code].score, a.score, a.index,
                                  ranks.get(a.code)))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit, "file": self.file, "self_score": _num(self.self_score),
            "appraised_score": _num(self.appraised_score),
            "survey_score": _num(self.survey_score), "total": _num(self.total),
            "max": _num(self.max), "index": _num(self.index), "gap": _num(self.gap),
            "rank": self.rank, "classification": self.classification,
            "appraised_items": self.appraised_items,
            "appraisable_items": self.appraisable_items, "rounds": self.rounds,
            "areas": [a.to_dict() for a in self.areas],
            "changes": [c.to_dict() for c in self.changes],
            "extras": self._extras(),
        }

    def _extras(self) -> dict[str, Any] | None:
        """The bonus and penalty items, apart from the total, index and rank (None when the
        framework has none)."""
        ex, own = self.card.extras, self.self_card.extras
        if ex is None or own is None:
            return None
        mine = own.by_code
        return {
            "self_bonus": _num(own.bonus.points), "self_penalty": _num(own.penalty.points),
            "bonus": _num(ex.bonus.points), "penalty": _num(ex.penalty.points),
            "net": _num(ex.net), "pending": _num(ex.bonus.pending + ex.penalty.pending),
            "adjusted_total": _num(self.total + ex.net),
            "items": [{"code": i.code, "group": i.group, "status": i.status,
                       "self_points": _num(mine[i.code].points), "points": _num(i.points),
                       "pending": _num(i.pending)} for i in ex.items],
        }


@dataclass(frozen=True)
class ProvinceResult:
    framework: Framework
    units: tuple[UnitResult, ...]
    set_aside: tuple[tuple[str, str | None, str], ...]
    findings: tuple[Finding, ...]
    ties: tuple[tuple[str, ...], ...] = ()

    def average(self) -> dict[str, Any]:
        """The province's own average per area and in total (means over the units)."""
        def mean(values: Iterable[Decimal | None]) -> Decimal | None:
            vs = [v for v in values if v is not None]
            return quantize(sum(vs, ZERO) / len(vs)) if vs else None

        u = self.units
        return {
            "self_score": mean(x.self_score for x in u),
            "appraised_score": mean(x.appraised_score for x in u),
            "survey_score": mean(x.survey_score for x in u), "total": mean(x.total for x in u),
            "index": mean(x.index for x in u),
            "areas": {a.code: mean(x.card[a.code].index for x in u)
                      for a in self.framework.areas},
        }

    def __repr__(self) -> str:
        index = self.average()["index"]
        return clip(f"<ProvinceResult {self.framework.id}: {len(self.units)} unit(s), "
                    f"{len(self.set_aside)} set aside, {len(self.findings)} finding(s); "
                    f"average index {plain(index)}>")

    def _repr_html_(self) -> str:
        avg = self.average()
        lines = [f"{len(self.units)} sở, ngành; chỉ số bình quân {vi(avg['index'])}%"]
        if self.set_aside:
            lines.append(f"{len(self.set_aside)} tệp để riêng: " + "; ".join(
                f"{f} ({r})" for f, _, r in self.set_aside[:5]))
        if self.findings:
            lines.append(f"{len(self.findings)} phát hiện (xem .findings)")
        table = html_table(
            ["Hạng", "Đơn vị", "Tự chấm", "Thẩm định", "Điều tra", "Tổng", "Chỉ số (%)",
             "Xếp loại"],
            [(u.rank, u.unit, vi(u.self_score), vi(u.appraised_score), vi(u.survey_score),
              vi(u.total), vi(u.index), u.classification) for u in self.units],
            numeric=(0, 2, 3, 4, 5, 6), limit=60)
        return html_block(f"Tổng hợp Chỉ số CCHC: {self.framework.id}", lines, [table])

    def to_dict(self) -> dict[str, Any]:
        avg = self.average()
        return {
            "framework": self.framework.id, "year": self.framework.scoring_year,
            "units": [x.to_dict() for x in self.units],
            "average": {**{k: _num(v) for k, v in avg.items() if k != "areas"},
                        "areas": {k: _num(v) for k, v in avg["areas"].items()}},
            "set_aside": [{"file": f, "unit": n, "reason": r} for f, n, r in self.set_aside],
            "ties": [list(t) for t in self.ties],
            "findings": [f.to_dict() for f in self.findings],
        }


def unit_changes(sheet: UnitSheet) -> tuple[Change, ...]:
    """What each appraisal round changed, per item (round 1 against the self-score)."""
    out: list[Change] = []
    for code, item in sheet.items.items():
        before = item.self_score
        for k, value in enumerate(item.rounds, start=1):
            if value is None:
                continue
            if value != before:
                out.append(Change(code, k, before, value,
                                  item.reviews[k - 1] if k - 1 < len(item.reviews) else None,
                                  item.response))
            before = value
    return tuple(out)


def _score_unit(sheet: UnitSheet, fw: Framework, survey: dict[str, ItemInput],
                findings: list[Finding]) -> UnitResult:
    na = {c: ItemInput(not_applicable=True) for c, i in sheet.items.items() if i.not_applicable}
    own_survey = {c: ItemInput(points=i.self_score) for c, i in sheet.items.items()
                  if fw.by_code[c].method == "survey" and i.self_score is not None}
    surveyed = {**own_survey, **survey}
    own = {c: i.self_score for c, i in sheet.items.items() if i.self_score is not None}
    appraised = {c: i.appraised if i.appraised is not None else own.get(c)
                 for c, i in sheet.items.items()}
    fixed = {c: v for c, v in appraised.items() if v is not None}
    unit = sheet.unit or sheet.path.stem
    own_extras = {c: i.self_score for c, i in sheet.extras.items() if i.self_score is not None}
    fixed_extras = {c: v for c, i in sheet.extras.items()
                    if (v := i.appraised if i.appraised is not None else i.self_score) is not None}
    self_card = score(fw, na, surveyed, unit, points={**own, **own_extras})
    card = score(fw, na, surveyed, unit, points={**fixed, **fixed_extras})
    if card.extras is not None and any(i.appraised is not None for i in sheet.items.values()):
        # the penalty computed from the appraisal: the tree is scored once, its extras again
        gap = Appraisal(self_card.total.self_score, card.total.self_score)
        card = replace(card, extras=score_extras(fw, na, gap, fixed_extras))
    for n in card.leaves():
        if n.status == "invalid-input" and n.code in na:
            findings.append(REFUSED_NA(f"{unit}: tiêu chí {n.code} ghi không áp dụng nhưng bộ "
                                       "tiêu chí không cho phép.", file=sheet.path.name,
                                       item=n.code))
    leaves = [n for n in fw.leaves() if n.method != "survey" and n.code not in na]
    done = sum(1 for n in leaves if sheet.items[n.code].appraised is not None)
    return UnitResult(unit, sheet.path.name, self_card, card, done, len(leaves),
                      sheet.round_count, unit_changes(sheet))


def _ranks(units: list[UnitResult], keys: list[Callable[[UnitResult], Any]],
           ) -> tuple[list[UnitResult], list[int | None]]:
    """Units ordered best first and their competition ranks (equal keys share a rank)."""
    def key(u: UnitResult) -> tuple[Any, ...]:
        return tuple(k(u) for k in keys)

    ordered = sorted(units, key=lambda u: (u.index is None, *(-v for v in key(u))))
    ranks: list[int | None] = []
    for i, u in enumerate(ordered):
        if u.index is None:
            ranks.append(None)
        elif i and key(ordered[i - 1]) == key(u):
            ranks.append(ranks[-1])
        else:
            ranks.append(i + 1)
    return ordered, ranks


_TIE_KEYS: dict[str, Callable[[UnitResult], Decimal]] = {
    "survey_score": lambda u: u.survey_score or ZERO,
    "appraised_score": lambda u: u.appraised_score if u.appraised_score is not None
    else u.self_score,
    "smaller_gap": lambda u: -(u.gap or ZERO),
}


def roll_up(folder: Path | str, framework: Framework, survey: SurveyTable | None = None, *,
            exclude: Iterable[Path] = ()) -> ProvinceResult:
    """Roll up every ``*.xlsx`` in ``folder`` (see the module docstring). Raises
    :class:`InputError` only when the folder itself cannot be read."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError([Problem("không phải thư mục (not a folder)", root)],
                         "cannot read the folder of score sheets")
    skip = {p.resolve() for p in exclude}
    files = sorted(p for p in root.iterdir() if p.suffix.lower() in {".xlsx", ".xlsm"}
                   and not p.name.startswith(("~$", ".")) and p.resolve() not in skip)
    findings: list[Finding] = []
    set_aside: list[tuple[str, str | None, str]] = []
    sheets: dict[str, UnitSheet] = {}
    for path in files:
        sheet = read_sheet(path, framework)
        findings.extend(sheet.findings)
        if not sheet.usable:
            errors = [f for f in sheet.findings if f.severity == "error"]
            reason = f"{len(errors)} lỗi, đầu tiên: {errors[0].message}"
            set_aside.append((path.name, sheet.unit, reason))
            findings.append(SET_ASIDE(f"Tệp {path.name} ({sheet.unit or 'không rõ đơn vị'}) "
                                      f"được để riêng: {reason}", file=path.name))
            continue
        key = unit_key(sheet.unit or path.stem)
        if key in sheets:
            first = sheets[key].path.name
            reason = f"cùng đơn vị với tệp {first}"
            set_aside.append((path.name, sheet.unit, reason))
            findings.append(DUPLICATE_UNIT(f"Tệp {path.name} và tệp {first} cùng là bảng điểm "
                                           f"của {sheet.unit}; tệp {path.name} không được tổng "
                                           "hợp.", file=path.name))
            continue
        sheets[key] = sheet
    table = survey.units if survey else {}
    if survey is not None:
        findings.extend(survey.findings)
        for key, label in survey.names.items():
            if key not in sheets:
                findings.append(SURVEY_UNKNOWN_UNIT(
                    f"Dòng {survey.rows[key]}: \u201c{label}\u201d không khớp bảng điểm nào.",
                    file=survey.path.name, line=survey.rows[key]))
    has_survey = any(n.method == "survey" for n in framework.leaves())
    units = []
    for key, sheet in sheets.items():
        if survey is not None and has_survey and key not in table:
            findings.append(SURVEY_MISSING(f"{sheet.unit}: bảng điều tra không có dòng của đơn "
                                           "vị này.", file=survey.path.name))
        units.append(_score_unit(sheet, framework, table.get(key, {}), findings))
    keys = [lambda u: u.index or ZERO,
            *(_TIE_KEYS[k] for k in framework.ranking.tie_break)]
    ordered, ranks = _ranks(units, keys)
    ties: list[tuple[str, ...]] = []
    for rank in sorted({r for r in ranks if r is not None}):
        group = tuple(u.unit for u, r in zip(ordered, ranks, strict=True) if r == rank)
        if len(group) > 1:
            ties.append(group)
            findings.append(TIE(f"Đồng hạng {rank}: {', '.join(group)} (chỉ số "
                                f"{_fmt(ordered[ranks.index(rank)].index)}).", file=None))
    area_ranks: dict[str, dict[str, int | None]] = {u.file: {} for u in ordered}
    for area in framework.areas:
        def by_area(u: UnitResult, code: str = area.code) -> Decimal | None:
            return u.card[code].index

        scored = sorted(ordered, key=lambda u: (by_area(u) is None, -(by_area(u) or ZERO)))
        previous: tuple[Decimal | None, int] | None = None
        for i, u in enumerate(scored):
            value = by_area(u)
            if value is None:
                area_ranks[u.file][area.code] = None
                continue
            rank = previous[1] if previous and previous[0] == value else i + 1
            area_ranks[u.file][area.code] = rank
            previous = (value, rank)
    final = tuple(
        UnitResult(u.unit, u.file, u.self_card, u.card, u.appraised_items, u.appraisable_items,
                   u.rounds, u.changes, r, tuple(area_ranks[u.file].items()))
        for u, r in zip(ordered, ranks, strict=True))
    ordered_findings = sorted(findings, key=lambda f: (f.file or "", *f.sort_key()))
    return ProvinceResult(framework, final, tuple(set_aside), tuple(ordered_findings),
                          tuple(ties))


def _fmt(value: Decimal | None) -> str:
    return "–" if value is None else format(value, "f").replace(".", ",")
