"""The Monte Carlo simulation of survey points.

:func:`simulate` draws the unknown survey points from a distribution per survey item (a range,
answer shares, or past results), scores every draw and reports ``P(index ≥ target)``, the mean
and percentiles. Draws come from ``numpy.random.default_rng(seed)`` in framework order: the
same seed gives the same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.assumptions import DEFAULT_ASSUMPTION, SurveyAssumptions
from parindex.analysis.batch import SCORED, Batch
from parindex.analysis.vectorscore import VectorScorer
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

__all__ = ["PERCENTILES", "Simulation", "simulate", "simulate_scores"]

PERCENTILES = (5, 25, 50, 75, 95)


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
