"""The vectorised scorer equals the scorer; the Monte Carlo simulation is seeded and exact."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.analysis.assumptions import (
    AnswerShares,
    PastResults,
    SurveyAssumptions,
    SurveyRange,
    load_assumptions,
)
from parindex.analysis.simulation import simulate, simulate_scores
from parindex.analysis.vectorscore import VectorScorer
from parindex.core.errors import InputError
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import Scorecard, score

from .conftest import EXAMPLE, FIXTURES
from .strategies import scenarios

MINI = FIXTURES / "simulate" / "mini-framework.yaml"
Scenario = tuple[Framework, dict[str, ItemInput], dict[str, ItemInput]]


def _same(card: Scorecard, scorer: VectorScorer, result: object, i: int) -> None:
    from parindex.analysis.batch import BatchResult

    assert isinstance(result, BatchResult)
    t = card.total
    assert result.points_at(i) == (t.score, t.max, t.pending)
    assert result.index_at(i) == t.index
    s = D(scorer.scale)
    for j, area in enumerate(card.areas):
        assert D(int(result.area_score[i, j])) / s == area.score, area.code
        assert D(int(result.area_max[i, j])) / s == area.max, area.code


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.booleans())
def test_vectorised_equals_scorer_on_random_frameworks(case: Scenario, rescale: bool) -> None:
    fw, inputs, survey = case
    fw = Framework.model_validate(fw.model_dump(by_alias=True)
                                  | {"survey": {"rescale_when_missing": rescale}})
    scorer = VectorScorer(fw)
    result = scorer.score(scorer.encode([(inputs, survey)]))
    _same(score(fw, inputs, survey), scorer, result, 0)


@pytest.mark.parametrize("framework", [MINI, "qn-so-2021"])
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1),
       p_missing=st.sampled_from([0.0, 0.1, 0.5]),
       p_na=st.sampled_from([0.0, 0.2]),
       p_invalid=st.sampled_from([0.0, 0.05]))
def test_vectorised_equals_scorer_on_random_scenarios(
    framework: str | Path, seed: int, p_missing: float, p_na: float, p_invalid: float
) -> None:
    fw = load_framework(framework)
    scorer = VectorScorer(fw)
    batch = scorer.random_batch(25, np.random.default_rng(seed), p_missing, p_na, p_invalid)
    result = scorer.score(batch)
    for i in range(batch.n):
        inputs, survey = scorer.decode(batch, i)
        _same(score(fw, inputs, survey), scorer, result, i)
    # encoding what was decoded gives the same batch scores
    again = scorer.score(scorer.encode([scorer.decode(batch, i) for i in range(batch.n)]))
    assert (again.index_hundredths == result.index_hundredths).all()
    assert (again.area_score == result.area_score).all()


def test_example_dossier_scores_the_same_vectorised() -> None:
    d = load_dossier(EXAMPLE)
    scorer = VectorScorer(d.framework)
    result = scorer.score(scorer.encode([(d.inputs, None)]))
    _same(d.score(), scorer, result, 0)
    assert result.index_at(0) == D("90.04")


def test_band_bounds_are_exact_not_floating() -> None:
    # 4/5 × 100 is 80.00000000000001 in binary floating point; the band "from 80" must hold
    fw = load_framework(MINI)
    scorer = VectorScorer(fw)
    inputs = {"1.1.2": ItemInput(done=D(4), total=D(5))}
    result = scorer.score(scorer.encode([(inputs, None)]))
    assert result.area_score[0, 0] == 100  # 1 point, in hundredths
    assert score(fw, inputs).by_code["1.1.2"].score == D(1)


def test_monte_carlo_is_reproducible_for_a_seed() -> None:
    d = load_dossier(EXAMPLE)
    a = simulate(d, 90, runs=2000, seed=7)
    b = simulate(d, 90, runs=2000, seed=7)
    c = simulate(d, 90, runs=2000, seed=8)
    assert a.to_dict() == b.to_dict()
    assert (a.indices == b.indices).all()
    assert not (a.indices == c.indices).all()


def test_monte_carlo_result_keys_and_bounds() -> None:
    d = load_dossier(EXAMPLE)
    sim = simulate(d, 90, runs=3000, seed=1)
    data = sim.to_dict()
    assert set(data) >= {"probability", "mean", "percentiles", "runs", "seed", "target"}
    assert list(data["percentiles"]) == ["5", "25", "50", "75", "95"]
    assert 0 <= data["probability"] <= 1
    pct = list(data["percentiles"].values())
    assert pct == sorted(pct)
    # default assumption 50–100 % of each survey item: index between (69,33 + 10)/97×100 and
    # (69,33 + 20)/97×100 … over the 100-point total (3 not-applicable points dropped)
    assert data["min"] * 97 / 100 + 1e-9 >= 69.33 + 10
    assert data["max"] * 97 / 100 <= 69.33 + 20 + 1e-9
    assert data["assumptions"] == {c: "đều trong khoảng 50%–100% điểm tối đa"
                                   for c in ("8.1", "8.2", "8.3")}


def test_each_draw_is_what_the_scorer_gives_for_those_survey_points() -> None:
    fw = load_framework(MINI)
    inputs = {"1.1.1": ItemInput(option="kip-thoi"), "1.2": ItemInput(count=D(1))}
    sim = simulate_scores(fw, inputs, None, 50, runs=50, seed=3,
                          assumptions=SurveyAssumptions(items={
                              "2.1": SurveyRange(low=D(40), high=D(90))}))
    rng = np.random.default_rng(3)
    p21 = np.floor(rng.uniform(40, 90, 50) / 100 * 800 + 0.5)
    p22 = np.floor(rng.uniform(50, 100, 50) / 100 * 400 + 0.5)
    for i in range(50):
        survey = {"2.1": ItemInput(points=D(int(p21[i])) / 100),
                  "2.2": ItemInput(points=D(int(p22[i])) / 100)}
        expected = score(fw, inputs, survey).total.index
        assert D(str(sim.indices[i])) == expected


def test_known_survey_points_stay_fixed() -> None:
    fw = load_framework(MINI)
    survey = {"2.1": ItemInput(points=D(8)), "2.2": ItemInput(points=D(4))}
    sim = simulate_scores(fw, {"1.6": ItemInput(points=D("0.5"), explanation="x")}, survey, 60,
                          runs=100, seed=0)
    assert set(sim.indices.tolist()) == {62.5}  # (8 + 4 + 0,5) / 20
    assert sim.probability == 1.0
    assert sim.assumptions == {"2.1": "đã có kết quả", "2.2": "đã có kết quả"}


def test_answer_shares_and_past_results() -> None:
    fw = load_framework(MINI)
    certain = SurveyAssumptions(items={
        "2.1": AnswerShares(shares={"A": D(100)}, respondents=30),
        "2.2": PastResults(values=(D(50),), spread=D(0))})
    sim = simulate_scores(fw, {}, None, 60, runs=20, seed=0, assumptions=certain)
    assert set(sim.indices.tolist()) == {50.0}  # (8 + 2) / 20
    mixed = SurveyAssumptions(default=AnswerShares(shares={"A": D(60), "B": D(30), "D": D(10)}))
    sim = simulate_scores(fw, {}, None, 60, runs=4000, seed=0, assumptions=mixed)
    # expected share 0,6 + 0,18 = 0,78 of 12 survey points → 9,36 / 20 = 46,8 %
    assert abs(sim.mean - 46.8) < 0.2


def test_assumptions_for_unknown_items_are_rejected() -> None:
    fw = load_framework(MINI)
    bad = SurveyAssumptions(items={"1.1.1": SurveyRange(low=D(1), high=D(2))})
    with pytest.raises(InputError) as exc:
        simulate_scores(fw, {}, None, 90, assumptions=bad)
    assert [str(p) for p in exc.value.problems] == ["items.1.1.1: 1.1.1 is not a survey item "
                                                    "of mini-2021"]


def test_assumptions_file_with_a_reversed_range(fixtures: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_assumptions(fixtures / "simulate" / "assumptions_reversed_range.yaml")
    assert len(exc.value.problems) == 1
    assert exc.value.problems[0].line == 5


def test_assumptions_file_loads(fixtures: Path) -> None:
    a = load_assumptions(fixtures / "simulate" / "assumptions.yaml")
    assert isinstance(a.items["8.3"], AnswerShares)
    assert isinstance(a.default, SurveyRange)


def test_scorer_rounds_an_exact_half_hundredth_up() -> None:
    # found by the property above: two divisions made these 0,3749… and 0,0249… (rounded down)
    from parindex.framework.rules import ProportionalRule, WeightedRule, quantize

    weighted = WeightedRule.model_validate({"type": "weighted", "terms": [
        {"id": "b", "label": "b", "weight": "0.75"}, {"id": "c", "label": "c", "weight": "0.375"}]})
    inp = ItemInput(total=D(11), counts={"b": D(3), "c": D(5)})
    assert quantize(weighted.compute(inp, D("0.75"))) == D("0.38")
    prop = ProportionalRule.model_validate({"type": "proportional"})
    assert quantize(prop.compute(ItemInput(done=D(5), total=D(150)), D("0.75"))) == D("0.03")


def test_points_finer_than_the_precision_are_refused() -> None:
    from parindex.core.errors import ParindexError

    fw = Framework.model_validate(load_framework(MINI).model_dump(by_alias=True)
                                  | {"precision": 0})
    with pytest.raises(ParindexError, match=r"max_points of 1\.2 1\.5 has more decimals"):
        VectorScorer(fw)


def test_unknown_answers_and_no_runs_are_input_errors() -> None:
    fw = load_framework(MINI)
    odd = SurveyAssumptions(default=AnswerShares(shares={"A": D(50), "E": D(50)}))
    with pytest.raises(InputError) as exc:
        simulate_scores(fw, {}, None, 90, runs=10, assumptions=odd)
    assert [str(p) for p in exc.value.problems] == [  # the default is wrong, not item 2.1
        "default: unknown answers ['E']; allowed: A, B, C, D (the default, used for 2.1)"]
    with pytest.raises(InputError):
        simulate_scores(fw, {}, None, 90, runs=0)
