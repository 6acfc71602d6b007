"""``simulate`` in chunks: memory flat in the number of runs, the same results as one big draw.

The expected figures below were produced by the unchunked implementation (before chunking)
for the same seeds: a chunked run must reproduce them exactly."""

from __future__ import annotations

import tracemalloc
from decimal import Decimal as D
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.analysis import simulation
from parindex.analysis.assumptions import (
    AnswerShares,
    PastResults,
    SurveyAssumptions,
    SurveyRange,
)
from parindex.analysis.histogram import IndexHistogram
from parindex.analysis.simulation import simulate
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE

MIXED = SurveyAssumptions(items={
    "8.1": AnswerShares(shares={"A": D("0.6"), "B": D("0.3"), "C": D("0.1")}, respondents=50),
    "8.2": PastResults(values=(D(80), D(85), D(90))),
    "8.3": SurveyRange(low=D(60), high=D(95))})

BEFORE_CHUNKING: dict[tuple[int, int, bool], dict[str, Any]] = {
    (1000, 0, False): {
        "target": 90.0, "runs": 1000, "seed": 0, "probability": 0.041, "mean": 86.9481,
        "std": 1.7718, "min": 82.15, "max": 90.98,
        "percentiles": {"5": 84.03, "25": 85.65, "50": 86.92, "75": 88.29, "95": 89.88},
        "baseline_index": 90.04, "self_score": 69.33, "survey_points_needed": 17.97},
    (12345, 7, False): {
        "target": 90.0, "runs": 12345, "seed": 7, "probability": 0.04738760631834751,
        "mean": 86.9688, "std": 1.7926, "min": 81.95, "max": 91.88,
        "percentiles": {"5": 83.97, "25": 85.69, "50": 86.99, "75": 88.22, "95": 89.94},
        "baseline_index": 90.04, "self_score": 69.33, "survey_points_needed": 17.97},
    (54321, 11, True): {
        "target": 88.0, "runs": 54321, "seed": 11, "probability": 0.49041807035952945,
        "mean": 87.9688, "std": 0.9153, "min": 85.08, "max": 90.6,
        "percentiles": {"5": 86.52, "25": 87.24, "50": 87.97, "75": 88.7, "95": 89.43},
        "baseline_index": 90.04, "self_score": 69.33, "survey_points_needed": 16.03},
}


@pytest.mark.parametrize(("chunk", "keep"), [(200_000, 1_000_000), (777, 1_000_000),
                                             (777, 100)],
                         ids=["one-chunk", "many-chunks", "many-chunks-statistics-from-counts"])
@pytest.mark.parametrize("case", list(BEFORE_CHUNKING), ids=str)
def test_same_results_for_the_same_seed_as_before_chunking(
        monkeypatch: pytest.MonkeyPatch, chunk: int, keep: int,
        case: tuple[int, int, bool]) -> None:
    monkeypatch.setattr(simulation, "CHUNK_RUNS", chunk)
    monkeypatch.setattr(simulation, "KEEP_RUNS", keep)
    runs, seed, mixed = case
    sim = simulate(load_dossier(EXAMPLE), 88 if mixed else 90, runs=runs, seed=seed,
                   assumptions=MIXED if mixed else None)
    got = sim.to_dict()
    del got["assumptions"]
    assert got == BEFORE_CHUNKING[case]
    assert len(sim.indices) == min(runs, keep)


_EXAMPLE = load_dossier(EXAMPLE)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), runs=st.integers(1, 1500), chunk=st.integers(1, 400))
def test_chunked_draws_equal_one_draw(seed: int, runs: int, chunk: int) -> None:
    d = _EXAMPLE
    whole = simulate(d, 90, runs=runs, seed=seed, assumptions=MIXED)
    saved = simulation.CHUNK_RUNS
    simulation.CHUNK_RUNS = chunk
    try:
        parts = simulate(d, 90, runs=runs, seed=seed, assumptions=MIXED)
    finally:
        simulation.CHUNK_RUNS = saved
    assert (whole.indices == parts.indices).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-50, 12_000), min_size=1, max_size=300),
       st.lists(st.floats(0, 100), min_size=1, max_size=6), st.integers(1, 50))
def test_counts_give_numpys_statistics(values: list[int], qs: list[float], step: int) -> None:
    hundredths = np.array(values, dtype=np.int64)
    hist = IndexHistogram()
    for start in range(0, len(values), step):  # added in pieces, bounds growing both ways
        part = hundredths[start:start + step]
        hist.add(part, np.ones(len(part), dtype=bool))
    full = hundredths.astype(np.float64) / 100
    assert hist.percentiles(qs) == [float(v) for v in np.percentile(full, qs)]
    assert (hist.low(), hist.high()) == (float(full.min()), float(full.max()))
    assert hist.share_at_least(42.5) == float(np.mean(full >= 42.5))
    assert hist.mean() == pytest.approx(float(np.mean(full)), rel=1e-12, abs=1e-12)
    assert hist.std() == pytest.approx(float(np.std(full)), rel=1e-9, abs=1e-9)


def test_runs_without_an_index_make_the_statistics_nan() -> None:
    hist = IndexHistogram()
    hist.add(np.array([5, 7], dtype=np.int64), np.array([True, False]))
    assert np.isnan([hist.mean(), hist.std(), hist.low(), *hist.percentiles([50])]).all()
    assert hist.share_at_least(0) == 0.5


def _peak(runs: int) -> int:
    d = _EXAMPLE
    tracemalloc.start()
    try:
        simulate(d, 90, runs=runs, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_flat_in_the_number_of_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulation, "CHUNK_RUNS", 2_000)
    monkeypatch.setattr(simulation, "KEEP_RUNS", 2_000)
    _peak(2_000)  # first-call caches and imports
    small, large = _peak(6_000), _peak(60_000)
    # unchunked, 10 × the runs took ~10 × the memory (~236 bytes a run)
    assert large < small * 1.5, (small, large)
