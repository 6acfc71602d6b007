"""A vectorised scorer: many scenarios of one framework scored at once with NumPy.

:class:`VectorScorer` compiles a framework into integer arrays and scores many scenarios at
once with NumPy. Points are counted in *units* of ``10**-precision`` (hundredths for the usual
2 decimals) and every ratio is kept as an integer fraction, so the result is exactly what
:func:`parindex.scoring.scorecard.score` gives (proven by a property test), not a float
approximation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from parindex.analysis.batch import INVALID, MISSING, NOT_APPLICABLE, SCORED, Batch, BatchResult
from parindex.core.errors import ParindexError
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, Node
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    SurveyRule,
    WeightedRule,
    quantize,
)
from parindex.scoring.scorecard import _leaf

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]

__all__ = ["VectorScorer"]


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
                                framework.na_allowed(node), fields))
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
        for leaf in self.leaves:
            st = batch.status[leaf.code]
            pts = self._points(leaf, batch.fields[leaf.code])
            nominal = leaf.max_units
            na_pts = nominal if self.framework.na_policy(leaf.node) == "award-max" else 0
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
