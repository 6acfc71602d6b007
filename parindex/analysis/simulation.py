"""The Monte Carlo simulation of survey points.

:func:`simulate` draws the unknown survey points from a distribution per survey item (a range,
answer shares, or past results), scores every draw and reports ``P(index ≥ target)``, the mean
and percentiles. Draws come from ``numpy.random.default_rng(seed)`` in framework order: the
same seed gives the same result.

Runs are drawn and scored in chunks of :data:`CHUNK_RUNS`, so memory stays flat in the number
of runs: each survey item draws from its own copy of the generator, started where the item's
draws start in the one stream (its predecessors' draws are skipped in chunks), so a chunked
run gives exactly the draws of one big draw. Only the distribution of the index is kept (a
count per value: the index is a whole number of hundredths), and the indices of the first
:data:`KEEP_RUNS` runs in run order.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.assumptions import (
    DEFAULT_ASSUMPTION,
    SurveyAssumptions,
    SurveyDistribution,
)
from parindex.analysis.batch import SCORED, Batch
from parindex.analysis.histogram import IndexHistogram
from parindex.analysis.vectorscore import VectorScorer, _Leaf
from parindex.core.errors import InputError, Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import SurveyRule
from parindex.scoring.scorecard import score

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from parindex.scoring.dossier import Dossier

    FloatArray = npt.NDArray[np.float64]

__all__ = ["CHUNK_RUNS", "KEEP_RUNS", "PERCENTILES", "Simulation", "simulate",
           "simulate_scores"]

PERCENTILES = (5, 25, 50, 75, 95)
CHUNK_RUNS = 200_000
"""Runs drawn and scored at once (about 50 MB of arrays for the shipped framework)."""
KEEP_RUNS = 1_000_000
"""Indices kept in run order (:attr:`Simulation.indices`): 8 MB."""


@dataclass(frozen=True)
class Simulation:
    """The distribution of the final index over ``runs`` draws of the survey points."""

    target: Decimal
    runs: int
    seed: int
    indices: FloatArray = field(repr=False)
    """The index of each run, in run order: all runs when there are at most
    :data:`KEEP_RUNS`, else the first :data:`KEEP_RUNS` (the statistics cover every run)."""
    baseline: Decimal | None
    """The index before the survey (self-scored points rescaled to 100)."""
    self_score: Decimal
    total_max: Decimal
    """The index's denominator once the survey is in (not-applicable items dropped)."""
    assumptions: dict[str, str]
    """Survey item code → what was assumed (or "đã có kết quả" when the result is known)."""
    histogram: IndexHistogram | None = field(default=None, repr=False, compare=False)
    """How many runs gave each index, over every run (None: :attr:`indices` holds them all)."""

    def _all(self) -> FloatArray | None:
        """Every run's index when :attr:`indices` holds them all (statistics as numpy gives
        them), else None (statistics from :attr:`histogram`)."""
        if self.histogram is None or len(self.indices) == self.runs:
            return self.indices
        return None

    @property
    def probability(self) -> float:
        """P(index ≥ target)."""
        import numpy as np

        every = self._all()
        if every is not None:
            return float(np.mean(every >= float(self.target)))
        assert self.histogram is not None
        return self.histogram.share_at_least(float(self.target))

    @property
    def mean(self) -> float:
        import numpy as np

        every = self._all()
        if every is not None:
            return float(np.mean(every))
        assert self.histogram is not None
        return self.histogram.mean()

    @property
    def percentiles(self) -> dict[str, float]:
        import numpy as np

        every = self._all()
        if every is not None:
            values = [float(v) for v in np.percentile(every, PERCENTILES)]
        else:
            assert self.histogram is not None
            values = self.histogram.percentiles(PERCENTILES)
        return {str(p): round(v, 2) for p, v in zip(PERCENTILES, values, strict=True)}

    def _spread(self) -> tuple[float, float, float]:
        """(std, min, max) of the index over every run."""
        import numpy as np

        every = self._all()
        if every is not None:
            return float(np.std(every)), float(np.min(every)), float(np.max(every))
        assert self.histogram is not None
        return self.histogram.std(), self.histogram.low(), self.histogram.high()

    @property
    def survey_points_needed(self) -> Decimal:
        """Survey points needed in total to reach the target (may exceed what exists)."""
        return max(Decimal(0), self.target * self.total_max / 100 - self.self_score)

    def to_dict(self) -> dict[str, Any]:
        std, low, high = self._spread()
        return {
            "target": float(self.target),
            "runs": self.runs,
            "seed": self.seed,
            "probability": self.probability,
            "mean": round(self.mean, 4),
            "std": round(std, 4),
            "min": low,
            "max": high,
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
    draws: list[tuple[_Leaf, SurveyDistribution, SurveyRule]] = []
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
        draws.append((leaf, dist, rule))
        described[leaf.code] = dist.describe()
    # each item's own generator, started where its draws start in the one stream
    streams: list[np.random.Generator] = []
    for i, (leaf, dist, rule) in enumerate(draws):
        streams.append(copy.deepcopy(rng))
        if i < len(draws) - 1:
            for start in range(0, runs, CHUNK_RUNS):
                _sample(leaf, dist, rng, min(CHUNK_RUNS, runs - start), rule)
    histogram = IndexHistogram()
    kept: list[FloatArray] = []
    for start in range(0, runs, CHUNK_RUNS):
        n = min(CHUNK_RUNS, runs - start)
        status = dict(base.status)
        fields = dict(base.fields)
        for (leaf, dist, rule), stream in zip(draws, streams, strict=True):
            share = _sample(leaf, dist, stream, n, rule)
            status[leaf.code] = np.full(1, SCORED, dtype=np.int64)
            fields[leaf.code] = {"units": np.floor(share * leaf.max_units + 0.5).astype(np.int64)}
        result = scorer.score(Batch(n, status, fields))
        histogram.add(result.index_hundredths, result.scorable)
        if start < KEEP_RUNS:
            kept.append(result.index[:KEEP_RUNS - start])
    total = score(framework, inputs, survey_inputs).total
    indices = kept[0] if len(kept) == 1 else np.concatenate(kept)
    return Simulation(Decimal(str(target)), runs, seed, indices, total.self_index,
                      total.self_score, total.max, described, histogram)


def _sample(leaf: _Leaf, dist: SurveyDistribution, rng: np.random.Generator, n: int,
            rule: SurveyRule) -> FloatArray:
    try:
        return dist.sample(rng, n, rule)
    except ValueError as exc:
        raise InputError([Problem(str(exc), key=f"items.{leaf.code}")],
                         "invalid survey assumptions") from None


def simulate(dossier: Dossier, target: Decimal | float | int, runs: int = 10_000, seed: int = 0,
             assumptions: SurveyAssumptions | None = None) -> Simulation:
    """Monte Carlo over the dossier's unknown survey points (see :class:`SurveyAssumptions`)."""
    return simulate_scores(dossier.framework, dossier.inputs,
                           dossier.survey.items if dossier.survey else None, target, runs, seed,
                           assumptions)
