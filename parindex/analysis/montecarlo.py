"""A vectorised scorer and the Monte Carlo simulation of survey points.

:class:`VectorScorer` compiles a framework into integer arrays and scores many scenarios at
once with NumPy. Points are counted in *units* of ``10**-precision`` (hundredths for the usual
2 decimals) and every ratio is kept as an integer fraction, so the result is exactly what
:func:`parindex.scoring.scorecard.score` gives (proven by a property test), not a float
approximation.

:func:`simulate` draws the unknown survey points from a distribution per survey item (a range,
answer shares, or past results), scores every draw and reports ``P(index ≥ target)``, the mean
and percentiles. Draws come from ``numpy.random.default_rng(seed)`` in framework order: the
same seed gives the same result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from parindex.core.base import Points, Strict
from parindex.core.errors import InputError, ParindexError, Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, Node
from parindex.framework.rules import (
    DEFAULT_ANSWER_WEIGHTS,
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    SurveyRule,
    WeightedRule,
    quantize,
)
from parindex.scoring.scorecard import _leaf, score

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from parindex.scoring.dossier import Dossier

    IntArray = npt.NDArray[np.int64]
    FloatArray = npt.NDArray[np.float64]

__all__ = [
    "DEFAULT_ASSUMPTION",
    "PERCENTILES",
    "AnswerShares",
    "Batch",
    "BatchResult",
    "PastResults",
    "Simulation",
    "SurveyAssumptions",
    "SurveyDistribution",
    "SurveyRange",
    "VectorScorer",
    "load_assumptions",
    "simulate",
    "simulate_scores",
]

MISSING, SCORED, NOT_APPLICABLE, INVALID = 0, 1, 2, 3
"""Leaf status codes in a :class:`Batch`."""

PERCENTILES = (5, 25, 50, 75, 95)


def _frac(value: Decimal) -> tuple[int, int]:
    num, den = value.as_integer_ratio()
    return num, den


def _units(value: Decimal, scale: int, what: str) -> int:
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        raise ParindexError(f"{what} {value} has more decimals than the framework's "
                            "precision: the vectorised scorer cannot count it exactly")
    return int(scaled)


def _common(values: Sequence[Decimal]) -> tuple[list[int], int]:
    """Integers ``a_i`` and one denominator ``d`` with ``values[i] == a_i / d``."""
    fracs = [Fraction(v) for v in values]
    common = math.lcm(*(f.denominator for f in fracs))
    return [int(f * common) for f in fracs], common


def _round_div(p: IntArray, q: IntArray | np.int64) -> IntArray:
    """``p / q`` rounded half away from zero (Decimal's ROUND_HALF_UP), ``q > 0``."""
    import numpy as np

    mag = (2 * np.abs(p) + q) // (2 * q)
    return np.where(p < 0, -mag, mag)


@dataclass(frozen=True)
class _Leaf:
    code: str
    node: Node
    kind: str
    max_units: int
    area: int
    survey: bool
    na_allowed: bool
    fields: tuple[str, ...]


@dataclass
class Batch:
    """Inputs of ``n`` scenarios: per scored item a status array and integer field arrays.

    Arrays have length ``n`` or 1 (broadcast). Fields by rule kind: choice ``option`` (index);
    bands and proportional ``num``/``den`` (the ratio, or the count, as a fraction); weighted
    ``total`` and ``c0``, ``c1``…; deduction ``o0``, ``o1``…; survey and manual ``units``.
    """

    n: int
    status: dict[str, IntArray]
    fields: dict[str, dict[str, IntArray]]


@dataclass(frozen=True)
class BatchResult:
    """Totals of every scenario, in units of ``1 / scale`` points."""

    scale: int
    score: IntArray
    max: IntArray
    pending: IntArray
    area_score: IntArray
    """Shape ``(n, areas)``, areas in framework order."""
    area_max: IntArray
    index_hundredths: IntArray
    """The index × 100, rounded as the scorer rounds (0 where nothing is scorable)."""
    scorable: npt.NDArray[np.bool_]
    """False where the denominator (max − pending) is not positive: no index."""

    @property
    def index(self) -> FloatArray:
        """The index in percent (``nan`` where nothing is scorable)."""
        import numpy as np

        out = self.index_hundredths.astype(np.float64) / 100
        out[~self.scorable] = np.nan
        return out

    def index_at(self, i: int) -> Decimal | None:
        if not self.scorable[i]:
            return None
        return Decimal(int(self.index_hundredths[i])) / 100

    def points_at(self, i: int) -> tuple[Decimal, Decimal, Decimal]:
        """``(score, max, pending)`` of scenario ``i`` as exact decimals."""
        s = Decimal(self.scale)
        return (Decimal(int(self.score[i])) / s, Decimal(int(self.max[i])) / s,
                Decimal(int(self.pending[i])) / s)


class VectorScorer:
    """Scores batches of scenarios of one framework with NumPy, exactly as :func:`score`."""

    def _q(self, value: Decimal) -> int:
        """Points as units, rounded as the scorer rounds each item."""
        return int(quantize(value, self.framework.precision) * self.scale)

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.scale = 10 ** framework.precision
        self.areas = tuple(a.code for a in framework.areas)
        area_pos = {c: i for i, c in enumerate(self.areas)}
        leaves = []
        self._consts: dict[str, dict[str, Any]] = {}
        for node in framework.leaves():
            rule = node.rule
            assert rule is not None
            mx = _units(node.max_points, self.scale, f"max_points of {node.code}")
            consts: dict[str, Any] = {}
            fields: tuple[str, ...]
            if isinstance(rule, ChoiceRule):
                kind, fields = "choice", ("option",)
                consts["points"] = [self._q(o.points) for o in rule.options]
                consts["ids"] = [o.id for o in rule.options]
            elif isinstance(rule, BandsRule):
                kind, fields = "bands", ("num", "den")
                consts["factor"] = 100 if rule.measure == "percent" else 1
                consts["bands"] = [(b.interval(), self._q(b.points)) for b in rule.bands]
            elif isinstance(rule, ProportionalRule):
                kind, fields = "proportional", ("num", "den")
                consts["floor"] = (rule.from_, True) if rule.from_ is not None else (
                    (rule.above, False) if rule.above is not None else None)
                consts["below"] = self._q(rule.below_floor_points)
            elif isinstance(rule, WeightedRule):
                kind = "weighted"
                fields = ("total", *(f"c{i}" for i in range(len(rule.terms))))
                consts["weights"], consts["denominator"] = _common([t.weight for t in rule.terms])
            elif isinstance(rule, DeductionRule):
                kind = "deduction"
                fields = tuple(f"o{i}" for i in range(len(rule.penalties)))
                values, common = _common([p.points for p in rule.penalties]
                                         + [rule.floor, node.max_points])
                consts["penalties"] = values[:-2]
                consts["floor"], consts["max"] = values[-2:]
                consts["denominator"] = common
            elif isinstance(rule, SurveyRule | ManualRule):
                kind, fields = ("survey" if isinstance(rule, SurveyRule) else "manual"), ("units",)
                if isinstance(rule, ManualRule):
                    consts["step"] = _frac(rule.step)
            else:  # pragma: no cover - every rule kind is handled above
                raise TypeError(f"rule {type(rule).__name__} cannot be vectorised")
            self._consts[node.code] = consts
            leaves.append(_Leaf(node.code, node, kind, mx, area_pos[node.area],
                                node.method == "survey",
                                bool(getattr(node.item, "not_applicable_allowed", False)), fields))
        self.leaves = tuple(leaves)
        self.by_code = {leaf.code: leaf for leaf in self.leaves}

    # -- encoding ----------------------------------------------------------------------------
    def encode(self, scenarios: Sequence[tuple[Mapping[str, ItemInput],
                                               Mapping[str, ItemInput] | None]]) -> Batch:
        """A batch from ``(inputs, survey)`` pairs (what :func:`score` takes)."""
        import numpy as np

        n = len(scenarios)
        status: dict[str, IntArray] = {}
        fields: dict[str, dict[str, IntArray]] = {}
        for leaf in self.leaves:
            st = np.zeros(n, dtype=np.int64)
            cols = {f: (np.ones if f in ("den", "total") else np.zeros)(n, dtype=np.int64)
                    for f in leaf.fields}
            for i, (inputs, survey) in enumerate(scenarios):
                source = (survey or {}) if leaf.survey else inputs
                inp = source.get(leaf.code)
                st[i], values = self._encode_one(leaf, inp)
                for f, v in values.items():
                    cols[f][i] = v
            status[leaf.code] = st
            fields[leaf.code] = cols
        return Batch(n, status, fields)

    def _encode_one(self, leaf: _Leaf, inp: ItemInput | None) -> tuple[int, dict[str, int]]:
        fw = self.framework
        st, _, points, _, _ = _leaf(fw, leaf.code, inp)
        if st in ("missing-input", "survey-pending"):
            return MISSING, {}
        if st == "not-applicable":
            return NOT_APPLICABLE, {}
        if st == "invalid-input":
            return INVALID, {}
        assert inp is not None
        consts = self._consts[leaf.code]
        if leaf.kind == "choice":
            return SCORED, {"option": consts["ids"].index(inp.option)}
        if leaf.kind in ("bands", "proportional"):
            if inp.percent is not None:
                num, den = _frac(inp.percent)
                return SCORED, {"num": num, "den": den * 100}
            if inp.count is not None:
                num, den = _frac(inp.count)
                return SCORED, {"num": num, "den": den}
            assert inp.done is not None and inp.total is not None
            ratio = Fraction(inp.done) / Fraction(inp.total)
            return SCORED, {"num": ratio.numerator, "den": ratio.denominator}
        if leaf.kind == "weighted":
            assert inp.total is not None
            rule = leaf.node.rule
            assert isinstance(rule, WeightedRule)
            given = inp.counts or {}
            values = [Fraction(inp.total)] + [Fraction(given.get(t.id, Decimal(0)))
                                              for t in rule.terms]
            common = math.lcm(*(v.denominator for v in values))
            ints = [int(v * common) for v in values]
            return SCORED, dict(zip(leaf.fields, ints, strict=True))
        if leaf.kind == "deduction":
            rule = leaf.node.rule
            assert isinstance(rule, DeductionRule)
            occ = inp.occurrences or {}
            return SCORED, {f"o{i}": occ.get(p.id, 0) for i, p in enumerate(rule.penalties)}
        # survey and manual: the points the scorer computed (quantized), as units
        return SCORED, {"units": _units(points, self.scale, f"points of {leaf.code}")}

    def decode(self, batch: Batch, i: int) -> tuple[dict[str, ItemInput], dict[str, ItemInput]]:
        """Scenario ``i`` of ``batch`` as ``(inputs, survey)`` for :func:`score`."""
        inputs: dict[str, ItemInput] = {}
        survey: dict[str, ItemInput] = {}
        for leaf in self.leaves:
            st = int(_at(batch.status[leaf.code], i))
            if st == MISSING:
                continue
            target = survey if leaf.survey else inputs
            if st == NOT_APPLICABLE:
                target[leaf.code] = ItemInput(not_applicable=True)
                continue
            if st == INVALID:
                target[leaf.code] = ItemInput(option="khong-hop-le", note="invalid on purpose")
                continue
            v = {f: int(_at(a, i)) for f, a in batch.fields[leaf.code].items()}
            target[leaf.code] = self._decode_one(leaf, v)
        return inputs, survey

    def _decode_one(self, leaf: _Leaf, v: dict[str, int]) -> ItemInput:
        consts = self._consts[leaf.code]
        rule = leaf.node.rule
        if leaf.kind == "choice":
            return ItemInput(option=consts["ids"][v["option"]])
        if leaf.kind in ("bands", "proportional"):
            if consts.get("factor", 100) == 1:
                return ItemInput(count=Decimal(v["num"]) / Decimal(v["den"]))
            return ItemInput(done=Decimal(v["num"]), total=Decimal(v["den"]))
        if leaf.kind == "weighted":
            assert isinstance(rule, WeightedRule)
            return ItemInput(total=Decimal(v["total"]), counts={
                t.id: Decimal(v[f"c{j}"]) for j, t in enumerate(rule.terms)})
        if leaf.kind == "deduction":
            assert isinstance(rule, DeductionRule)
            return ItemInput(occurrences={p.id: v[f"o{j}"] for j, p in enumerate(rule.penalties)
                                          if v[f"o{j}"]})
        points = Decimal(v["units"]) / Decimal(self.scale)
        if leaf.kind == "manual":
            return ItemInput(points=points, explanation="mô phỏng")
        return ItemInput(points=points)

    def random_batch(self, n: int, rng: np.random.Generator, p_missing: float = 0.0,
                     p_not_applicable: float = 0.0, p_invalid: float = 0.0) -> Batch:
        """``n`` random scenarios of valid inputs (some missing / not applicable / invalid)."""
        import numpy as np

        status: dict[str, IntArray] = {}
        fields: dict[str, dict[str, IntArray]] = {}
        for leaf in self.leaves:
            consts = self._consts[leaf.code]
            u = rng.random(n)
            st = np.full(n, SCORED, dtype=np.int64)
            st[u < p_missing + p_not_applicable + p_invalid] = INVALID
            st[u < p_missing + p_not_applicable] = (NOT_APPLICABLE if leaf.na_allowed
                                                    else INVALID)
            st[u < p_missing] = MISSING
            status[leaf.code] = st
            cols: dict[str, IntArray] = {}
            if leaf.kind == "choice":
                cols["option"] = rng.integers(0, len(consts["ids"]), n)
            elif leaf.kind in ("bands", "proportional"):
                if consts.get("factor", 100) == 1:
                    cols["num"] = rng.integers(0, 6, n)
                    cols["den"] = np.ones(n, dtype=np.int64)
                else:
                    den = rng.integers(1, 41, n)
                    cols["den"] = den
                    cols["num"] = np.minimum(den, (rng.random(n) * 1.3 * (den + 1)).astype(
                        np.int64))
            elif leaf.kind == "weighted":
                total = rng.integers(1, 21, n)
                cols["total"] = total
                left = total.copy()
                for j in range(len(leaf.fields) - 1):
                    c = (rng.random(n) * (left + 1)).astype(np.int64)
                    cols[f"c{j}"] = c
                    left = left - c
            elif leaf.kind == "deduction":
                for f in leaf.fields:
                    cols[f] = rng.integers(0, 4, n)
            elif leaf.kind == "manual":
                a, b = consts["step"]
                steps = int(Fraction(leaf.node.max_points) / Fraction(a, b))
                k = rng.integers(0, steps + 1, n)
                cols["units"] = _round_div(k * a * self.scale, np.int64(b))
            else:
                cols["units"] = rng.integers(0, leaf.max_units + 1, n)
            fields[leaf.code] = {k: v.astype(np.int64) for k, v in cols.items()}
        return Batch(n, status, fields)

    # -- scoring -----------------------------------------------------------------------------
    def _points(self, leaf: _Leaf, cols: Mapping[str, IntArray]) -> IntArray:
        import numpy as np

        consts = self._consts[leaf.code]
        if leaf.kind == "choice":
            return np.asarray(consts["points"], dtype=np.int64)[cols["option"]]
        if leaf.kind == "bands":
            num, den = cols["num"], np.maximum(cols["den"], 1)
            value_num = num * consts["factor"]
            out = np.zeros(np.broadcast(num, den).shape, dtype=np.int64)
            for (lo, lo_inc, hi, hi_inc), pts in consts["bands"]:
                inside = _above(value_num, den, lo, lo_inc) & _below(value_num, den, hi, hi_inc)
                out = np.where(inside, pts, out)
            return out
        if leaf.kind == "proportional":
            num, den = cols["num"], np.maximum(cols["den"], 1)
            pts = _round_div(leaf.max_units * num, den)
            floor = consts["floor"]
            if floor is None:
                return pts
            ok = _above(num * 100, den, floor[0], floor[1])
            return np.where(ok, pts, consts["below"])
        if leaf.kind == "weighted":
            total = np.maximum(cols["total"], 1)
            acc = np.zeros(np.broadcast(total, cols["c0"]).shape, dtype=np.int64)
            for j, w in enumerate(consts["weights"]):
                acc = acc + w * cols[f"c{j}"]
            return _round_div(acc * self.scale, total * consts["denominator"])
        if leaf.kind == "deduction":
            lost = np.zeros(np.shape(cols["o0"]), dtype=np.int64)
            for j, p in enumerate(consts["penalties"]):
                lost = lost + p * cols[f"o{j}"]
            value = np.maximum(consts["floor"], consts["max"] - lost)
            return _round_div(value * self.scale, np.int64(consts["denominator"]))
        return cols["units"]

    def score(self, batch: Batch) -> BatchResult:
        """Totals, area totals and index of every scenario of ``batch``."""
        import numpy as np

        n = batch.n
        shape = (n,)
        score = np.zeros(shape, dtype=np.int64)
        mx = np.zeros(shape, dtype=np.int64)
        pending = np.zeros(shape, dtype=np.int64)
        area_score = np.zeros((n, len(self.areas)), dtype=np.int64)
        area_max = np.zeros((n, len(self.areas)), dtype=np.int64)
        award = self.framework.not_applicable == "award-max"
        for leaf in self.leaves:
            st = batch.status[leaf.code]
            pts = self._points(leaf, batch.fields[leaf.code])
            nominal = leaf.max_units
            na_pts = nominal if award else 0
            s = np.where(st == SCORED, pts, np.where(st == NOT_APPLICABLE, na_pts, 0))
            m = np.where(st == NOT_APPLICABLE, na_pts, nominal)
            s = np.broadcast_to(s, shape)
            m = np.broadcast_to(m, shape)
            score += s
            mx += m
            area_score[:, leaf.area] += s
            area_max[:, leaf.area] += m
            if leaf.survey:
                pending += np.broadcast_to(np.where(st == MISSING, nominal, 0), shape)
        denom = mx - pending if self.framework.survey.rescale_when_missing else mx
        safe = np.maximum(denom, 1)
        scorable = denom > 0
        index = np.where(scorable, _round_div(score * 10000, safe), 0)
        return BatchResult(self.scale, score, mx, pending, area_score, area_max, index, scorable)


def _at(array: IntArray, i: int) -> Any:
    return array[0] if len(array) == 1 else array[i]


def _above(num: IntArray, den: IntArray, bound: Decimal, inclusive: bool) -> npt.NDArray[Any]:
    """``num/den`` above (or from) ``bound``."""
    a, b = _frac(bound)
    left, right = num * b, a * den
    return (left >= right) if inclusive else (left > right)


def _below(num: IntArray, den: IntArray, bound: Decimal, inclusive: bool) -> npt.NDArray[Any]:
    import numpy as np

    if bound.is_infinite():
        return np.ones(np.broadcast(num, den).shape, dtype=bool)
    a, b = _frac(bound)
    left, right = num * b, a * den
    return (left <= right) if inclusive else (left < right)


# -- survey distributions --------------------------------------------------------------------
class SurveyRange(Strict):
    """Uniform between ``low`` and ``high`` percent of the item's max points."""

    type: Literal["range"] = "range"
    low: Points = Field(ge=0, le=100)
    high: Points = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> SurveyRange:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    def describe(self) -> str:
        return f"đều trong khoảng {_pct(self.low)}–{_pct(self.high)} điểm tối đa"

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        return rng.uniform(float(self.low), float(self.high), n) / 100


class AnswerShares(Strict):
    """A survey of ``respondents`` people answering with the given shares (multinomial).

    Each answer earns a share of the points: the rule's ``answer_weights`` (A 100 %, B 60 %,
    C 20 %, D 0 % by default).
    """

    type: Literal["shares"] = "shares"
    shares: dict[str, Points]
    respondents: int = Field(default=100, ge=1)

    @model_validator(mode="after")
    def _positive(self) -> AnswerShares:
        if any(v < 0 for v in self.shares.values()) or sum(self.shares.values()) <= 0:
            raise ValueError("shares must be non-negative and not all zero")
        return self

    def describe(self) -> str:
        parts = ", ".join(f"{k} {_pct(v)}" for k, v in self.shares.items())
        return f"tỷ lệ trả lời {parts} ({self.respondents} người)"

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        import numpy as np

        weights = rule.answer_weights or DEFAULT_ANSWER_WEIGHTS
        unknown = [k for k in self.shares if k not in weights]
        if unknown:
            raise ValueError(f"unknown answers {unknown}; allowed: {', '.join(weights)}")
        keys = list(self.shares)
        p = np.array([float(self.shares[k]) for k in keys])
        w = np.array([float(weights[k]) for k in keys])
        draws = rng.multinomial(self.respondents, p / p.sum(), size=n)
        out: FloatArray = (draws @ w) / self.respondents
        return out


class PastResults(Strict):
    """Normal around past results (percent of max), spread = their standard deviation.

    With a single past value the spread is ``spread`` points of percent (default 5).
    """

    type: Literal["past"] = "past"
    values: tuple[Points, ...] = Field(min_length=1)
    spread: Points = Field(default=Decimal(5), ge=0)

    def describe(self) -> str:
        return "theo kết quả các năm trước: " + ", ".join(_pct(v) for v in self.values)

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        import numpy as np

        vals = np.array([float(v) for v in self.values])
        sd = float(vals.std(ddof=1)) if len(vals) > 1 else float(self.spread)
        out: FloatArray = np.clip(rng.normal(float(vals.mean()), sd, n), 0, 100) / 100
        return out


def _pct(value: Decimal) -> str:
    text = format(value.normalize(), "f").replace(".", ",")
    return f"{text}%"


SurveyDistribution = Annotated[SurveyRange | AnswerShares | PastResults,
                               Field(discriminator="type")]
"""What is assumed about one survey item's result (``type``: range, shares or past)."""

DEFAULT_ASSUMPTION = SurveyRange(low=Decimal(50), high=Decimal(100))
"""Used for a pending survey item when nothing is assumed about it: deliberately wide."""


class SurveyAssumptions(Strict):
    """``survey-assumptions.yaml``: a distribution per survey item code, and a default.

    Values are percent of each item's maximum. A survey item with a known result keeps it
    unless the file names the item; a pending item without its own entry takes ``default``,
    else :data:`DEFAULT_ASSUMPTION` (a wide 50–100 %, stated as such in the result).
    """

    kind: Literal["parindex/survey-assumptions"] = "parindex/survey-assumptions"
    schema_version: Literal[1] = 1
    default: SurveyDistribution | None = None
    items: dict[str, SurveyDistribution] = Field(default_factory=dict)


def load_assumptions(path: Path | str) -> SurveyAssumptions:
    """Load a survey assumptions file (raises :class:`InputError` with file:line problems)."""
    from parindex.core.yamlio import load_model

    return load_model(SurveyAssumptions, Path(path), text_keys=("code",),
                      title="invalid survey assumptions file")


# -- the simulation --------------------------------------------------------------------------
@dataclass(frozen=True)
class Simulation:
    """The distribution of the final index over ``runs`` draws of the survey points."""

    target: Decimal
    runs: int
    seed: int
    indices: FloatArray = field(repr=False)
    baseline: Decimal | None
    """The index before the survey (self-scored points rescaled to 100)."""
    self_score: Decimal
    total_max: Decimal
    """The index's denominator once the survey is in (not-applicable items dropped)."""
    assumptions: dict[str, str]
    """Survey item code → what was assumed (or "đã có kết quả" when the result is known)."""

    @property
    def probability(self) -> float:
        """P(index ≥ target)."""
        import numpy as np

        return float(np.mean(self.indices >= float(self.target)))

    @property
    def mean(self) -> float:
        import numpy as np

        return float(np.mean(self.indices))

    @property
    def percentiles(self) -> dict[str, float]:
        import numpy as np

        values = np.percentile(self.indices, PERCENTILES)
        return {str(p): round(float(v), 2) for p, v in zip(PERCENTILES, values, strict=True)}

    @property
    def survey_points_needed(self) -> Decimal:
        """Survey points needed in total to reach the target (may exceed what exists)."""
        return max(Decimal(0), self.target * self.total_max / 100 - self.self_score)

    def to_dict(self) -> dict[str, Any]:
        import numpy as np

        return {
            "target": float(self.target),
            "runs": self.runs,
            "seed": self.seed,
            "probability": self.probability,
            "mean": round(self.mean, 4),
            "std": round(float(np.std(self.indices)), 4),
            "min": float(np.min(self.indices)),
            "max": float(np.max(self.indices)),
            "percentiles": self.percentiles,
            "baseline_index": None if self.baseline is None else float(self.baseline),
            "self_score": float(self.self_score),
            "survey_points_needed": float(self.survey_points_needed),
            "assumptions": self.assumptions,
        }


def simulate_scores(
    framework: Framework,
    inputs: Mapping[str, ItemInput],
    survey_inputs: Mapping[str, ItemInput] | None,
    target: Decimal | float | int,
    runs: int = 10_000,
    seed: int = 0,
    assumptions: SurveyAssumptions | None = None,
) -> Simulation:
    """:func:`simulate` on a framework and inputs rather than a dossier."""
    import numpy as np

    if runs < 1:
        raise InputError([Problem(f"runs must be at least 1 (got {runs})", key="runs")],
                         "cannot simulate")
    assumptions = assumptions or SurveyAssumptions()
    scorer = VectorScorer(framework)
    known_codes = {leaf.code for leaf in scorer.leaves if leaf.survey}
    stray = [Problem(f"{code} is not a survey item of {framework.id}", key=f"items.{code}")
             for code in assumptions.items if code not in known_codes]
    if stray:
        raise InputError(stray, "invalid survey assumptions")
    base = scorer.encode([(inputs, survey_inputs)])
    rng = np.random.default_rng(seed)
    described: dict[str, str] = {}
    status = dict(base.status)
    fields = dict(base.fields)
    for leaf in scorer.leaves:
        if not leaf.survey:
            continue
        dist = assumptions.items.get(leaf.code)
        if dist is None and int(base.status[leaf.code][0]) == SCORED:
            described[leaf.code] = "đã có kết quả"
            continue
        dist = dist or assumptions.default or DEFAULT_ASSUMPTION
        rule = leaf.node.rule
        assert isinstance(rule, SurveyRule)
        try:
            share = dist.sample(rng, runs, rule)
        except ValueError as exc:
            raise InputError([Problem(str(exc), key=f"items.{leaf.code}")],
                             "invalid survey assumptions") from None
        units = np.floor(share * leaf.max_units + 0.5).astype(np.int64)
        status[leaf.code] = np.full(1, SCORED, dtype=np.int64)
        fields[leaf.code] = {"units": units}
        described[leaf.code] = dist.describe()
    result = scorer.score(Batch(runs, status, fields))
    total = score(framework, inputs, survey_inputs).total
    return Simulation(Decimal(str(target)), runs, seed, result.index, total.self_index,
                      total.self_score, total.max, described)


def simulate(dossier: Dossier, target: Decimal | float | int, runs: int = 10_000, seed: int = 0,
             assumptions: SurveyAssumptions | None = None) -> Simulation:
    """Monte Carlo over the dossier's unknown survey points (see :class:`SurveyAssumptions`)."""
    return simulate_scores(dossier.framework, dossier.inputs,
                           dossier.survey.items if dossier.survey else None, target, runs, seed,
                           assumptions)
