"""The Monte Carlo simulation of survey points.

:func:`simulate` draws the unknown survey points from a distribution per survey item (a range,
answer shares, or past results), scores every draw and reports ``P(index ≥ target)``, the mean
and percentiles. Draws come from ``numpy.random.default_rng(seed)`` in framework order: the
same seed gives the same result.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.arguments import percent_target
from parindex.analysis.assumptions import DEFAULT_ASSUMPTION, SurveyAssumptions
from parindex.analysis.batch import SCORED, Batch
from parindex.analysis.vectorscore import VectorScorer
from parindex.analysis.whatif import Change, TasksDone, as_changes, what_if
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

__all__ = ["PERCENTILES", "SIMULATION_COLUMNS", "Simulation", "simulate", "simulate_scores"]

PERCENTILES = (5, 25, 50, 75, 95)
SIMULATION_COLUMNS: dict[str, Kind] = {"percentile": "int", "index": "float"}
"""Columns of :meth:`Simulation.to_frame` (fixed): the percentile and the index there."""
_FRAME_PERCENTILES = (0, *PERCENTILES, 100)


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
    def percentiles(self) -> dict[int, float]:
        """Percentile (5, 25, 50, 75, 95) → the index there (two decimals)."""
        return self.quantiles(PERCENTILES)

    def quantiles(self, percentiles: tuple[int, ...]) -> dict[int, float]:
        """Percentile → the simulated index there (0 is the minimum, 100 the maximum)."""
        import numpy as np

        values = np.percentile(self.indices, percentiles)
        return {p: round(float(v), 2) for p, v in zip(percentiles, values, strict=True)}

    @property
    def std(self) -> float:
        """Standard deviation of the simulated index."""
        import numpy as np

        return float(np.std(self.indices))

    @property
    def min(self) -> float:
        import numpy as np

        return float(np.min(self.indices))

    @property
    def max(self) -> float:
        import numpy as np

        return float(np.max(self.indices))

    def to_frame(self) -> pd.DataFrame:
        """The distribution of the index: one row per percentile 0 (min), 5, 25, 50, 75, 95
        and 100 (max); columns ``percentile`` (``int64``) and ``index`` (``float64``, percent,
        two decimals). The headline numbers are attributes: :attr:`probability`,
        :attr:`mean`, :attr:`std`."""
        rows = [{"percentile": p, "index": v}
                for p, v in self.quantiles(_FRAME_PERCENTILES).items()]
        return frame(rows, list(SIMULATION_COLUMNS.items()))

    def __repr__(self) -> str:
        return clip(f"<Simulation {self.runs} runs, seed {self.seed}: P(index ≥ "
                    f"{plain(self.target)}) = {self.probability:.3f}, mean {self.mean:.2f}, "
                    f"5–95% {self.percentiles[5]:.2f}–{self.percentiles[95]:.2f}>")

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

    @property
    def survey_points_needed(self) -> Decimal:
        """Survey points needed in total to reach the target (may exceed what exists)."""
        return max(Decimal(0), self.target * self.total_max / 100 - self.self_score)

    def to_dict(self) -> dict[str, Any]:

        return {
            "target": float(self.target),
            "runs": self.runs,
            "seed": self.seed,
            "probability": self.probability,
            "mean": round(self.mean, 4),
            "std": round(self.std, 4),
            "min": self.min,
            "max": self.max,
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
    status = dict(base.status)
    fields = dict(base.fields)
    for leaf in scorer.leaves:
        if not leaf.survey:
            continue
        dist = assumptions.items.get(leaf.code)
        if dist is None and int(base.status[leaf.code][0]) == SCORED:
            described[leaf.code] = "đã có kết quả"
            continue
        key = f"items.{leaf.code}" if dist is not None else "default"
        dist = dist or assumptions.default or DEFAULT_ASSUMPTION
        rule = leaf.node.rule
        assert isinstance(rule, SurveyRule)
        try:
            share = dist.sample(rng, runs, rule)
        except ValueError as exc:
            used = "" if key != "default" else f" (the default, used for {leaf.code})"
            raise InputError([Problem(f"{exc}{used}", key=key)],
                             "invalid survey assumptions") from None
        units = np.floor(share * leaf.max_units + 0.5).astype(np.int64)
        status[leaf.code] = np.full(1, SCORED, dtype=np.int64)
        fields[leaf.code] = {"units": units}
        described[leaf.code] = dist.describe()
    result = scorer.score(Batch(runs, status, fields))
    total = score(framework, inputs, survey_inputs).total
    return Simulation(goal, runs, seed, result.index, total.self_index,
                      total.self_score, total.max, described)


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
