"""Benchmark: the vectorised scorer against looping ``parindex.scoring.scorecard.score``.

Scores 1,000,000 random scenarios of the full shipped framework (every item's input drawn at
random, some missing, not applicable or invalid) with :class:`VectorScorer`, in chunks, and
compares with the scalar scorer looped over a sample of the same scenarios (timed, then
extrapolated to the full count: looping a million would take most of an hour). The sample's
results are checked equal to the vectorised ones before any time is reported.

    PYTHONPATH=. python benchmarks/simulate_bench.py [--scenarios N] [--sample M] [--seed S]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from parindex.analysis.simulation import simulate
from parindex.analysis.vectorscore import VectorScorer
from parindex.framework.catalog import load_framework
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="qn-so-2021")
    parser.add_argument("--scenarios", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    fw = load_framework(args.framework)
    scorer = VectorScorer(fw)
    rng = np.random.default_rng(args.seed)
    print(f"framework {fw.id}: {len(fw.leaves())} scored items, {len(fw.nodes)} nodes")

    # vectorised: generate (not timed as scoring) and score in chunks
    gen_s = score_s = 0.0
    indices = []
    first = None
    done = 0
    while done < args.scenarios:
        n = min(args.chunk, args.scenarios - done)
        t0 = time.perf_counter()
        batch = scorer.random_batch(n, rng, p_missing=0.05, p_not_applicable=0.05,
                                    p_invalid=0.01)
        t1 = time.perf_counter()
        result = scorer.score(batch)
        t2 = time.perf_counter()
        gen_s += t1 - t0
        score_s += t2 - t1
        indices.append(result.index)
        if first is None:
            first = (batch, result)
        done += n
    all_index = np.concatenate(indices)
    print(f"vectorised: {args.scenarios:,} scenarios scored in {score_s:.2f} s "
          f"({args.scenarios / score_s:,.0f}/s); generating them took {gen_s:.2f} s")
    print(f"  index over all scenarios: mean {np.nanmean(all_index):.2f} %, "
          f"p5 {np.nanpercentile(all_index, 5):.2f} %, p95 {np.nanpercentile(all_index, 95):.2f} %")

    # loop: the same scenarios (the first ones), as ItemInputs, through score()
    assert first is not None
    batch, result = first
    sample = min(args.sample, batch.n)
    decoded = [scorer.decode(batch, i) for i in range(sample)]  # input building: not timed
    t0 = time.perf_counter()
    cards = [score(fw, inputs, survey) for inputs, survey in decoded]
    loop_s = time.perf_counter() - t0
    for i, card in enumerate(cards):
        if card.total.index != result.index_at(i) or \
                card.total.score != result.points_at(i)[0]:
            raise SystemExit(f"scenario {i}: loop and vectorised scorer disagree")
    per = loop_s / sample
    loop_full = per * args.scenarios
    print(f"loop: {sample:,} scenarios in {loop_s:.2f} s ({1 / per:,.0f}/s), all equal to the "
          f"vectorised results; extrapolated to {args.scenarios:,}: {loop_full:,.0f} s")
    print(f"speed-up (scoring only): {loop_full / score_s:,.0f}×")
    print(f"speed-up (vectorised generation + scoring vs loop scoring): "
          f"{loop_full / (score_s + gen_s):,.0f}×")

    # the Monte Carlo of the example dossier's survey points at the same scale
    dossier = load_dossier(Path(__file__).resolve().parent.parent / "evidence" /
                           "so-khcn-quang-ngai-2021")
    t0 = time.perf_counter()
    sim = simulate(dossier, 90, runs=args.scenarios, seed=args.seed)
    print(f"simulate(example dossier, {args.scenarios:,} runs): {time.perf_counter() - t0:.2f} s, "
          f"P(index ≥ 90) = {sim.probability:.3f}, mean {sim.mean:.2f} %")


if __name__ == "__main__":
    main()
