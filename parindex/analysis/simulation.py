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
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.arguments import percent_target
from parindex.analysis.assumptions import (
    DEFAULT_ASSUMPTION,
    SurveyAssumptions,
    SurveyDistribution,
)
from parindex.analysis.batch import SCORED, Batch
from parindex.analysis.changes import as_changes
from parindex.analysis.histogram import IndexHistogram
from parindex.analysis.vectorscore import VectorScorer, _Leaf
from parindex.analysis.whatif import Change, TasksDone, what_if
from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, vi
from parindex.core.errors import InputError, Problem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import SurveyRule
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import score

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    FloatArray = npt.NDArray[np.float64]

__all__ = ["CHUNK_RUNS", "KEEP_RUNS", "PERCENTILES", "SIMULATION_COLUMNS", "Simulation",
           "simulate", "simulate_scores"]

PERCENTILES = (5, 25, 50, 75, 95)
SIMULATION_COLUMNS: dict[str, Kind] = {"percentile": "int", "index": "float"}
"""Columns of :meth:`Simulation.to_frame` (fixed): the percentile and the index there."""
_FRAME_PERCENTILES = (0, *PERCENTILES, 100)
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
    def percentiles(self) -> dict[int, float]:
        """Percentile (5, 25, 50, 75, 95) → the index there (two decimals)."""
        return self.quantiles(PERCENTILES)

    def quantiles(self, percentiles: tuple[int, ...]) -> dict[int, float]:
        """Percentile → the simulated index there, over every run (0 is the minimum, 100
        the maximum)."""
        import numpy as np

        every = self._all()
        if every is not None:
            values = [float(v) for v in np.percentile(every, percentiles)]
        else:
            assert self.histogram is not None
            values = self.histogram.percentiles(percentiles)
        return {p: round(v, 2) for p, v in zip(percentiles, values, strict=True)}

    @property
    def std(self) -> float:
        """Standard deviation of the simulated index."""
        return self._spread()[0]

    @property
    def min(self) -> float:
        return self._spread()[1]

    @property
    def max(self) -> float:
        return self._spread()[2]

    def to_frame(self) -> pd.DataFrame:
        """The distribution of the index: one row per percentile 0 (min), 5, 25, 50, 75, 95
        and 100 (max); columns ``percentile`` (``int64``) and ``index`` (``float64``, percent,
        two decimals). The headline numbers are attributes: :attr:`probability`,
        :attr:`mean`, :attr:`std`."""
        rows = [{"percentile": p, "index": v}
                for p, v in self.quantiles(_FRAME_PERCENTILES).items()]
        return frame(rows, list(SIMULATION_COLUMNS.items()))

    def __repr__(self) -> str:
        q = self.percentiles
        return clip(f"<Simulation {self.runs} runs, seed {self.seed}: P(index ≥ "
                    f"{plain(self.target)}) = {self.probability:.3f}, mean {self.mean:.2f}, "
                    f"5–95% {q[5]:.2f}–{q[95]:.2f}>")

    def _repr_html_(self) -> str:
        lines = [f"Xác suất đạt chỉ số ≥ {vi(self.target)}%: {vi(100 * self.probability, 1)}%",
                 f"Chỉ số trung bình {vi(self.mean)}% (độ lệch chuẩn {vi(self.std)}); "
                 f"chưa có điều tra XHH: {vi(self.baseline)}%"]
        q = self.quantiles(_FRAME_PERCENTILES)
        names = {0: "thấp nhất", 100: "cao nhất"}
        spread = html_table([names.get(p, f"phân vị {p}%") for p in q],
                            [[vi(v) for v in q.values()]], numeric=range(len(q)),
                            caption="Chỉ số mô phỏng (%)")
        assumed = html_table(("Tiêu chí", "Giả định"), list(self.assumptions.items()),
                             caption="Giả định điểm điều tra XHH")
        return html_block(f"Mô phỏng điểm điều tra XHH ({self.runs} lần, seed {self.seed})",
                          lines, [spread, assumed])

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
            "percentiles": {str(p): v for p, v in self.percentiles.items()},
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

    goal = percent_target(target)
    try:
        if isinstance(runs, bool):
            raise TypeError
        runs = operator.index(runs)
    except TypeError:
        raise InputError([Problem(f"runs must be a whole number, not {runs!r}", key="runs")],
                         "cannot simulate") from None
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
    defaulted: set[str] = set()
    """Items drawn from the default assumption: its errors are reported as ``default``."""
    for leaf in scorer.leaves:
        if not leaf.survey:
            continue
        dist = assumptions.items.get(leaf.code)
        if dist is None and int(base.status[leaf.code][0]) == SCORED:
            described[leaf.code] = "đã có kết quả"
            continue
        if dist is None:
            defaulted.add(leaf.code)
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
                _sample(leaf, dist, rng, min(CHUNK_RUNS, runs - start), rule,
                        leaf.code in defaulted)
    histogram = IndexHistogram()
    kept: list[FloatArray] = []
    for start in range(0, runs, CHUNK_RUNS):
        n = min(CHUNK_RUNS, runs - start)
        status = dict(base.status)
        fields = dict(base.fields)
        for (leaf, dist, rule), stream in zip(draws, streams, strict=True):
            share = _sample(leaf, dist, stream, n, rule, leaf.code in defaulted)
            status[leaf.code] = np.full(1, SCORED, dtype=np.int64)
            fields[leaf.code] = {"units": np.floor(share * leaf.max_units + 0.5).astype(np.int64)}
        result = scorer.score(Batch(n, status, fields))
        histogram.add(result.index_hundredths, result.scorable)
        if start < KEEP_RUNS:
            kept.append(result.index[:KEEP_RUNS - start])
    total = score(framework, inputs, survey_inputs).total
    indices = kept[0] if len(kept) == 1 else np.concatenate(kept)
    return Simulation(goal, runs, seed, indices, total.self_index,
                      total.self_score, total.max, described, histogram)


def _sample(leaf: _Leaf, dist: SurveyDistribution, rng: np.random.Generator, n: int,
            rule: SurveyRule, defaulted: bool = False) -> FloatArray:
    try:
        return dist.sample(rng, n, rule)
    except ValueError as exc:
        if defaulted:  # the default is wrong, not the item
            raise InputError([Problem(f"{exc} (the default, used for {leaf.code})",
                                      key="default")], "invalid survey assumptions") from None
        raise InputError([Problem(str(exc), key=f"items.{leaf.code}")],
                         "invalid survey assumptions") from None


def simulate(dossier: Dossier | Path | str, target: Decimal | float | int,
             runs: int = 10_000, seed: int = 0,
             assumptions: SurveyAssumptions | None = None,
             changes: Iterable[Change | TasksDone] | Change | TasksDone = ()) -> Simulation:
    """Monte Carlo over the dossier's unknown survey points (see :class:`SurveyAssumptions`).

    ``dossier`` is a :class:`~parindex.scoring.dossier.Dossier` or its folder; ``target`` the
    index in percent (``90``; a share such as ``0.9`` is refused). ``changes`` (as for
    :func:`~parindex.analysis.whatif.what_if`, e.g. ``reach_target(...).changes``) are applied
    in memory first.
    """
    d = as_dossier(dossier)
    given = as_changes(changes)
    if given:
        changed = what_if(d, given)
        return simulate_scores(d.framework, changed.inputs, changed.survey, target, runs, seed,
                               assumptions)
    return simulate_scores(d.framework, d.inputs, d.survey.items if d.survey else None,
                           target, runs, seed, assumptions)
