"""Benchmark: the vectorised scorer against looping ``parindex.scoring.scorecard.score``.

Scores 1,000,000 random scenarios of the full shipped framework (every item's input drawn at
random, some missing, not applicable or invalid) with :class:`VectorScorer`, in chunks, and
compares with the scalar scorer looped over a sample of the same scenarios (timed, then
extrapolated to the full count: looping a million would take most of an hour). The sample's
results are checked equal to the vectorised ones before any time is reported.

Then the Monte Carlo of the example dossier (:func:`simulate`), in paired runs (min / median
/ max): ``--runs`` (default 1,000,000) vectorised against the scalar loop of the same draws
(survey points drawn as ``simulate`` draws them, each run scored by ``score``; sampled and
extrapolated; target ≥ 100×), and its peak memory (a fresh process each, ``VmHWM``) at 10⁶,
10⁷ and ``--big-runs`` (default 10⁸) runs: flat in the number of runs, target < 500 MiB.

    PYTHONPATH=. python benchmarks/simulate_bench.py [--scenarios N] [--sample M] [--seed S]
    PYTHONPATH=. python benchmarks/simulate_bench.py --skip-scenarios --big-runs 100000000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

from parindex.analysis.assumptions import DEFAULT_ASSUMPTION
from parindex.analysis.simulation import simulate
from parindex.analysis.vectorscore import VectorScorer
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.framework.rules import SurveyRule
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", default="qn-so-2021")
    parser.add_argument("--scenarios", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--loop-sample", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=100_000_000)
    parser.add_argument("--skip-scenarios", action="store_true",
                        help="only the Monte Carlo part")
    args = parser.parse_args()
    if not args.skip_scenarios:
        scenarios(args)
    monte_carlo(args)


def scenarios(args: argparse.Namespace) -> None:

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



ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"

PEAK = """
import sys, time
from parindex.analysis.simulation import simulate
from parindex.scoring.dossier import load_dossier
d = load_dossier(sys.argv[1])
t = time.perf_counter()
sim = simulate(d, 90, runs=int(sys.argv[2]), seed=1)
took = time.perf_counter() - t
hwm = [int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:")][0]
print(json.dumps({"seconds": took, "peak_mib": hwm / 1024, "p": sim.probability}))
""".replace("import sys, time", "import json, sys, time")


def _loop(dossier: object, runs: int, seed: int) -> float:
    """Seconds per run of the scalar loop: each run's survey points drawn as ``simulate``
    draws them (one item after the other, same generator), then scored by ``score``."""
    d = dossier
    fw = d.framework  # type: ignore[attr-defined]
    rng = np.random.default_rng(seed)
    draws = {}
    for leaf in fw.leaves():
        if leaf.method != "survey":
            continue
        rule = leaf.rule
        assert isinstance(rule, SurveyRule)
        units = np.floor(DEFAULT_ASSUMPTION.sample(rng, runs, rule) * float(leaf.max_points)
                         * 100 + 0.5)
        draws[leaf.code] = units
    t0 = time.perf_counter()
    for i in range(runs):
        survey = {code: ItemInput(points=Decimal(int(u[i])) / 100) for code, u in draws.items()}
        score(fw, d.inputs, survey)  # type: ignore[attr-defined]
    return (time.perf_counter() - t0) / runs


def _stats(values: list[float]) -> str:
    return f"{min(values):,.2f} / {statistics.median(values):,.2f} / {max(values):,.2f}"


def monte_carlo(args: argparse.Namespace) -> None:
    dossier = load_dossier(EXAMPLE)
    vec, loop, ratio = [], [], []
    for _ in range(args.pairs):
        t0 = time.perf_counter()
        simulate(dossier, 90, runs=args.runs, seed=args.seed)
        vec.append(time.perf_counter() - t0)
        loop.append(_loop(dossier, args.loop_sample, args.seed) * args.runs)
        ratio.append(loop[-1] / vec[-1])
    print(f"simulate(example dossier), {args.runs:,} runs, {args.pairs} paired runs "
          "(min / median / max):")
    print(f"  vectorised simulate:                    {_stats(vec)} s")
    print(f"  scalar loop (sampled {args.loop_sample} runs, extrapolated): {_stats(loop)} s")
    print(f"  speed-up loop / vectorised (target >= 100): {_stats(ratio)} x")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print("peak memory of a process running simulate (VmHWM; target < 500 MiB at 10^8):")
    for runs in sorted({1_000_000, 10_000_000, args.big_runs}):
        out = subprocess.run([sys.executable, "-c", PEAK, str(EXAMPLE), str(runs)],
                             check=True, capture_output=True, text=True, env=env).stdout
        got = json.loads(out)
        print(f"  {runs:>13,} runs: {got['peak_mib']:6.0f} MiB peak, {got['seconds']:7.1f} s, "
              f"P(index >= 90) = {got['p']:.4f}")


if __name__ == "__main__":
    main()
