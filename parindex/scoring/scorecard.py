"""The scoring engine: a framework plus recorded inputs gives a :class:`Scorecard`.

Scoring never raises for an incomplete dossier: an item without input scores 0 with status
``missing-input``, an input its rule cannot read scores 0 with status ``invalid-input`` and the
rule's message. The check report (:mod:`parindex.evidence.check`) turns those into findings.

Totals: every node's ``max`` and ``score`` are exact sums of its children (``Decimal``).
Not-applicable items leave score and max (policy ``drop``) or score full (``award-max``).
Survey items whose points are not known yet are *pending*: they keep their ``max`` but count
in ``pending``, and ``index = score / (max - pending)`` — the self-scored points rescaled to
100, as done where no survey is run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, Level, Method
from parindex.framework.rules import RuleInputError, quantize
from parindex.scoring.extras import Appraisal, ExtrasScore, score_extras

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "FRAME_KINDS", "NodeScore", "Scorecard", "Status", "Total", "score"]

Status = Literal[
    "scored", "not-applicable", "missing-input", "invalid-input", "survey", "survey-pending",
    "sum",
]
ZERO = Decimal(0)
FRAME_COLUMNS = ("code", "name", "level", "parent", "area", "method", "status", "max", "score",
                 "pending", "index", "explanation", "problem")
"""Column order of :meth:`Scorecard.to_frame` (fixed)."""
FRAME_KINDS: dict[str, Kind] = {
    "code": "text", "name": "text", "level": "text", "parent": "text", "area": "text",
    "method": "text", "status": "text", "max": "float", "score": "float", "pending": "float",
    "index": "float", "explanation": "text", "problem": "text",
}
"""Column kinds of :meth:`Scorecard.to_frame` (see :mod:`parindex.core.display`)."""


def _index(score: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return quantize(score / denominator * 100)


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class NodeScore:
    """Score of one area, criterion or sub-criterion."""

    code: str
    name: str
    level: Level
    parent: str | None
    area: str
    method: Method
    status: Status
    nominal_max: Decimal
    max: Decimal
    """Max after not-applicable items are dropped."""
    score: Decimal
    pending: Decimal = ZERO
    """Max points of survey items whose result is not known yet."""
    problem: str | None = None
    input: ItemInput | None = field(default=None, compare=False)
    rescale_pending: bool = True
    """Framework survey policy: leave pending survey points out of the index's denominator."""

    @property
    def index(self) -> Decimal | None:
        """score / (max − pending) × 100 (or score / max without rescaling), two decimals."""
        return _index(self.score, self.max - (self.pending if self.rescale_pending else ZERO))

    @property
    def explanation(self) -> str | None:
        return self.input.explanation if self.input else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level, "parent": self.parent,
            "area": self.area, "method": self.method, "status": self.status,
            "max": _num(self.max), "score": _num(self.score), "pending": _num(self.pending),
            "index": _num(self.index), "nominal_max": _num(self.nominal_max),
            "explanation": self.explanation, "problem": self.problem,
        }


@dataclass(frozen=True)
class Total:
    max: Decimal
    score: Decimal
    pending: Decimal
    self_max: Decimal
    self_score: Decimal
    survey_max: Decimal
    survey_score: Decimal | None
    """None while any survey item is pending."""
    rescale_pending: bool = True

    @property
    def survey_given(self) -> bool:
        return self.pending == 0

    @property
    def index(self) -> Decimal | None:
        """With survey points when known; else self-scored points rescaled to 100 (when the
        framework's survey policy says so) or counted against the full maximum."""
        return _index(self.score, self.max - (self.pending if self.rescale_pending else ZERO))

    @property
    def self_index(self) -> Decimal | None:
        return _index(self.self_score, self.self_max)


@dataclass(frozen=True)
class Scorecard:
    framework: Framework
    nodes: tuple[NodeScore, ...]
    unit: str | None = None
    extras: ExtrasScore | None = None
    """The bonus and penalty items, scored apart (None: the framework has none)."""

    @property
    def by_code(self) -> dict[str, NodeScore]:
        return {n.code: n for n in self.nodes}

    def __getitem__(self, code: str) -> NodeScore:
        return self.by_code[code]

    @property
    def areas(self) -> tuple[NodeScore, ...]:
        return tuple(n for n in self.nodes if n.level == "area")

    def leaves(self) -> tuple[NodeScore, ...]:
        codes = {n.code for n in self.framework.leaves()}
        return tuple(n for n in self.nodes if n.code in codes)

    @property
    def total(self) -> Total:
        areas = self.areas
        leaves = self.leaves()
        self_leaves = [n for n in leaves if n.method != "survey"]
        survey_leaves = [n for n in leaves if n.method == "survey"]
        pending = sum((a.pending for a in areas), ZERO)
        survey_score = None if pending else sum((n.score for n in survey_leaves), ZERO)
        return Total(
            max=sum((a.max for a in areas), ZERO),
            score=sum((a.score for a in areas), ZERO),
            pending=pending,
            self_max=sum((n.max for n in self_leaves), ZERO),
            self_score=sum((n.score for n in self_leaves), ZERO),
            survey_max=sum((n.max for n in survey_leaves), ZERO),
            survey_score=survey_score,
            rescale_pending=self.framework.survey.rescale_when_missing,
        )

    @property
    def adjusted_score(self) -> Decimal | None:
        """The total score with the bonus added and the penalty taken off (None without
        extras); never the ``total`` score."""
        return None if self.extras is None else self.total.score + self.extras.net

    @property
    def adjusted_index(self) -> Decimal | None:
        """:attr:`adjusted_score` on the index's denominator (it may exceed 100)."""
        t = self.total
        score = self.adjusted_score
        if score is None:
            return None
        return _index(score, t.max - (t.pending if t.rescale_pending else ZERO))

    @property
    def classification(self) -> str | None:
        index = self.total.index
        return None if index is None else self.framework.classify(index)

    def to_dict(self) -> dict[str, Any]:
        t = self.total
        if t.survey_given:
            basis = "with survey points"
        elif t.rescale_pending:
            basis = "self-assessed points rescaled to 100 (survey pending)"
        else:
            basis = "survey pending, counted as 0"
        return {
            "framework": self.framework.id,
            "framework_status": self.framework.status,
            "unit": self.unit,
            "total": {
                "max": _num(t.max), "score": _num(t.score), "index": _num(t.index),
                "pending": _num(t.pending), "index_basis": basis,
                "self_max": _num(t.self_max), "self_score": _num(t.self_score),
                "self_index": _num(t.self_index),
                "survey_max": _num(t.survey_max), "survey_score": _num(t.survey_score),
                "survey_given": t.survey_given,
                "classification": self.classification,
            },
            "areas": [n.to_dict() for n in self.areas],
            "nodes": [n.to_dict() for n in self.nodes],
            "extras": None if self.extras is None else {
                **self.extras.to_dict(), "adjusted_score": _num(self.adjusted_score),
                "adjusted_index": _num(self.adjusted_index)},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per node (areas, criteria, items) in framework order.

        Columns :data:`FRAME_COLUMNS`, always with the same dtypes: ``code``, ``name``,
        ``level``, ``parent``, ``area``, ``method``, ``status``, ``explanation`` and
        ``problem`` are ``string`` (``<NA>`` when empty); ``max``, ``score``, ``pending`` and
        ``index`` (percent, ``NaN`` where there is none) are ``float64`` rounded to the
        framework's precision. The exact ``Decimal`` values stay on :attr:`nodes`.
        """
        rows = [{**n.to_dict(), "max": n.max, "score": n.score, "pending": n.pending,
                 "index": n.index} for n in self.nodes]
        return frame(rows, [(c, FRAME_KINDS[c]) for c in FRAME_COLUMNS],
                     self.framework.precision)

    def __repr__(self) -> str:
        t = self.total
        pending = f", survey pending {plain(t.pending)}" if t.pending else ""
        classified = f" ({self.classification})" if self.classification else ""
        return clip(f"<Scorecard {self.framework.id}{' · ' + self.unit if self.unit else ''}: "
                    f"index {plain(t.index)}{classified}, score {plain(t.score)} of {plain(t.max)}"
                    f"{pending}; "
                    f"{len(self.areas)} areas, {len(self.leaves())} items>")

    def _repr_html_(self) -> str:
        t = self.total
        head = f"Bảng điểm {self.framework.id}" + (f" — {self.unit}" if self.unit else "")
        lines = [f"Chỉ số CCHC: {vi(t.index)}%"
                 + (f" — xếp loại {self.classification}" if self.classification else ""),
                 f"Điểm: {pts(t.score)}/{pts(t.max)}"
                 + (f" (chờ điều tra XHH: {pts(t.pending)} điểm; chỉ số tính trên điểm tự "
                    "chấm quy về thang 100)" if t.pending and t.rescale_pending else "")]
        if self.extras is not None:
            ex = self.extras
            lines.append(f"Ngoài tổng điểm: điểm thưởng +{pts(ex.bonus.points)}, điểm trừ "
                         f"−{pts(ex.penalty.points)}"
                         + (f" (chờ kết quả thẩm định: {pts(ex.penalty.pending)})"
                            if ex.penalty.pending else "")
                         + f"; tổng điểm sau thưởng, trừ {pts(self.adjusted_score)}")
        open_ = [n for n in self.leaves() if n.status in ("missing-input", "invalid-input")]
        if open_:
            lines.append(f"{len(open_)} tiêu chí chưa chấm được: "
                         + ", ".join(n.code for n in open_[:12]) + (" …" if len(open_) > 12
                                                                   else ""))
        rows = [(a.code, a.name, pts(a.max), pts(a.score), pts(a.pending) if a.pending else "",
                 vi(a.index)) for a in self.areas]
        table = html_table(("Mã", "Lĩnh vực", "Điểm tối đa", "Điểm", "Chờ XHH", "Chỉ số (%)"),
                           rows, numeric=(2, 3, 4, 5))
        return html_block(head, lines, [table])


def _leaf(fw: Framework, code: str, inp: ItemInput | None, fixed: Decimal | None = None,
          ) -> tuple[Status, Decimal, Decimal, Decimal, str | None]:
    """``(status, max, score, pending, problem)`` of one scored item; ``fixed``: points given
    from outside (an appraisal) instead of the rule's result."""
    node = fw.node(code)
    rule = node.rule
    assert rule is not None
    nominal = node.max_points
    if node.method == "survey":
        if inp is None:
            return "survey-pending", nominal, ZERO, nominal, None
        try:
            return "survey", nominal, quantize(rule.compute(inp, nominal), fw.precision), ZERO, \
                None
        except RuleInputError as exc:
            return "invalid-input", nominal, ZERO, ZERO, str(exc)
    if inp is None and fixed is None:
        return "missing-input", nominal, ZERO, ZERO, "chưa nhập kết quả tự đánh giá"
    if inp is None or (fixed is not None and not inp.not_applicable):
        assert fixed is not None
        return "scored", nominal, quantize(fixed, fw.precision), ZERO, None
    if inp.not_applicable:
        if not fw.na_allowed(node):
            return ("invalid-input", nominal, ZERO, ZERO,
                    "tiêu chí này không được đánh dấu không áp dụng")
        if fw.na_policy(node) == "drop":
            return "not-applicable", ZERO, ZERO, ZERO, None
        return "not-applicable", nominal, nominal, ZERO, None
    try:
        points = quantize(rule.compute(inp, nominal), fw.precision)
    except RuleInputError as exc:
        return "invalid-input", nominal, ZERO, ZERO, str(exc)
    return "scored", nominal, points, ZERO, None


def score(
    framework: Framework,
    inputs: Mapping[str, ItemInput],
    survey: Mapping[str, ItemInput] | None = None,
    unit: str | None = None,
    *,
    points: Mapping[str, Decimal] | None = None,
    appraisal: Appraisal | None = None,
) -> Scorecard:
    """Score ``inputs`` (self-assessed items) and ``survey`` (survey items) on ``framework``.

    ``points`` fixes the points of self-assessed leaves (and of bonus and penalty items) from
    outside (a score sheet's column, an appraisal): their rule is not run, an input marked not
    applicable still wins; totals, pending survey points and indexes follow as for any
    scorecard. Inputs for codes the framework does not know are ignored here; the check
    reports them.

    The framework's bonus and penalty items (``extras``) are scored from ``inputs`` too,
    apart (:attr:`Scorecard.extras`); ``appraisal`` gives the items computed from the
    appraisal their value (pending without it).
    """
    points = points or {}
    survey = survey or {}
    rescale = framework.survey.rescale_when_missing
    results: dict[str, NodeScore] = {}
    for node in reversed(framework.nodes):  # children before parents
        if node.is_leaf:
            source = survey if node.method == "survey" else inputs
            inp = source.get(node.code)
            fixed = points.get(node.code) if node.method != "survey" else None
            status, mx, pts, pending, problem = _leaf(framework, node.code, inp, fixed)
            results[node.code] = NodeScore(
                node.code, node.name, node.level, node.parent, node.area, node.method, status,
                node.max_points, mx, pts, pending, problem, inp, rescale,
            )
        else:
            kids = [results[c.code] for c in framework.children(node.code)]
            results[node.code] = NodeScore(
                node.code, node.name, node.level, node.parent, node.area, node.method, "sum",
                node.max_points, sum((k.max for k in kids), ZERO),
                sum((k.score for k in kids), ZERO), sum((k.pending for k in kids), ZERO),
                rescale_pending=rescale,
            )
    return Scorecard(framework, tuple(results[n.code] for n in framework.nodes), unit,
                     score_extras(framework, inputs, appraisal, points))
