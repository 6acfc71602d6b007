"""The scoring engine: exact sums, not-applicable items, survey pending or given."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings

from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, SurveyPolicy
from parindex.framework.rules import quantize
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import FRAME_COLUMNS, score

from .conftest import EXAMPLE
from .strategies import scenarios

Scenario = tuple[Framework, dict[str, ItemInput], dict[str, ItemInput]]


def test_example_dossier_scores() -> None:
    card = load_dossier(EXAMPLE).score()
    total = card.total
    assert total.self_max == D(77)  # 80 minus 2.1.1 and 2.1.2 (3 points), not applicable
    assert total.pending == D(20) and total.survey_score is None
    assert total.score == sum((a.score for a in card.areas), D(0))
    assert total.max == sum((a.max for a in card.areas), D(0))
    assert total.index == quantize(total.self_score / total.self_max * 100)
    assert card["2.1"].status == "sum" and card["2.1.1"].status == "not-applicable"
    assert card["8"].score == 0 and card["8"].index is None
    assert all(n.status in {"scored", "not-applicable", "survey-pending", "sum"}
               for n in card.nodes)


def test_example_with_survey_points_given() -> None:
    d = load_dossier(EXAMPLE)
    survey = {"8.1": ItemInput(points=D(7)), "8.2": ItemInput(answers={"A": D(3), "B": D(1)}),
              "8.3": ItemInput(points=D("6.5"))}
    card = score(d.framework, d.inputs, survey)
    assert card["8.2"].score == D("3.6")  # (3×1 + 1×0,6)/4 × 4
    assert card.total.survey_score == D("17.1")
    assert card.total.max == D(97) and card.total.pending == 0
    assert card.total.index == quantize(card.total.score / D(97) * 100)


def test_missing_and_invalid_inputs_score_zero_with_a_status() -> None:
    d = load_dossier(EXAMPLE)
    inputs = dict(d.inputs)
    del inputs["1.1.1"]
    inputs["1.1.2"] = ItemInput(option="gan-dat")
    card = score(d.framework, inputs)
    assert card["1.1.1"].status == "missing-input" and card["1.1.1"].score == 0
    assert card["1.1.2"].status == "invalid-input" and card["1.1.2"].score == 0
    problem = card["1.1.2"].problem
    assert problem is not None and "không có phương án 'gan-dat'" in problem


def test_not_applicable_on_an_item_that_does_not_allow_it() -> None:
    d = load_dossier(EXAMPLE)
    card = score(d.framework, {**d.inputs, "1.1.1": ItemInput(not_applicable=True)})
    assert card["1.1.1"].status == "invalid-input"
    assert card["1.1.1"].max == 1


def test_to_frame_has_fixed_columns_and_a_row_per_node() -> None:
    card = load_dossier(EXAMPLE).score()
    frame = card.to_frame()
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert len(frame) == len(card.framework.nodes) == 96
    assert list(frame["code"])[:3] == ["1", "1.1", "1.1.1"]


def _check_sums(fw: Framework, inputs: dict[str, ItemInput], survey: dict[str, ItemInput]) -> None:
    card = score(fw, inputs, survey)
    for node in fw.nodes:
        got = card[node.code]
        kids = [card[k.code] for k in fw.children(node.code)]
        if kids:
            assert got.score == sum((k.score for k in kids), D(0))
            assert got.max == sum((k.max for k in kids), D(0))
            assert got.pending == sum((k.pending for k in kids), D(0))
        else:
            rule = node.rule
            assert rule is not None
            low, high = rule.attainable(node.max_points)
            assert min(low, D(0)) <= got.score <= high
            assert got.max in (node.max_points, D(0))
        if got.index is not None:
            assert got.index == quantize(got.score / (got.max - got.pending) * 100)
    t = card.total
    assert t.score == sum((a.score for a in card.areas), D(0))
    assert t.self_score + (t.survey_score or 0) == t.score


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_parents_are_exact_sums_and_scores_within_bounds(scenario: Scenario) -> None:
    _check_sums(*scenario)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_not_applicable_never_changes_other_items(scenario: Scenario) -> None:
    fw, inputs, survey = scenario
    before = score(fw, inputs, survey)
    for node in fw.leaves():
        if node.method == "survey" or not getattr(node.item, "not_applicable_allowed", False):
            continue
        after = score(fw, {**inputs, node.code: ItemInput(not_applicable=True)}, survey)
        for leaf in fw.leaves():
            if leaf.code != node.code:
                assert after[leaf.code].score == before[leaf.code].score
        assert after[node.code].status == "not-applicable"
        break


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_order_of_inputs_does_not_matter(scenario: Scenario) -> None:
    fw, inputs, survey = scenario
    reversed_inputs = dict(reversed(list(inputs.items())))
    assert score(fw, inputs, survey).to_dict() == score(fw, reversed_inputs, survey).to_dict()


def test_survey_policy_without_rescaling_counts_pending_as_zero() -> None:
    d = load_dossier(EXAMPLE)
    fw = d.framework.model_copy(update={"survey": SurveyPolicy(rescale_when_missing=False)})
    card = score(fw, d.inputs)
    assert card.total.index == quantize(card.total.score / D(97) * 100)
    assert card.to_dict()["total"]["index_basis"] == "survey pending, counted as 0"
    assert card["8"].index == 0


def test_not_applicable_follows_the_items_own_rule() -> None:
    """Per item: "không phát sinh" may score full on one item and leave the maximum on
    another, whatever the framework's default."""
    from parindex.framework.catalog import load_framework
    from parindex.framework.inputs import ItemInput
    from parindex.framework.model import Framework
    from parindex.scoring.scorecard import score

    fw = load_framework("qn-so-2021")
    data = fw.model_dump(by_alias=True, exclude_none=True)
    for area in data["areas"]:
        for crit in area["criteria"]:
            for item in [crit, *crit.get("sub_criteria", [])]:
                if item["code"] == "2.1.2":
                    item["not_applicable"] = "award-max"
                    item.pop("not_applicable_allowed", None)
                if item["code"] == "3.3.3":
                    item["not_applicable"] = "drop"
    fw2 = Framework.model_validate(data | {"not_applicable": "award-max"})
    na = ItemInput(not_applicable=True, explanation="Không phát sinh")
    card = score(fw2, {"2.1.2": na, "3.3.3": na})
    assert (card["2.1.2"].status, card["2.1.2"].score, card["2.1.2"].max) == (
        "not-applicable", fw2.node("2.1.2").max_points, fw2.node("2.1.2").max_points)
    assert (card["3.3.3"].score, card["3.3.3"].max) == (0, 0)
    assert fw2.na_allowed(fw2.node("2.1.2"))  # an own rule allows the mark


def test_points_fixed_from_outside_score_like_the_rules() -> None:
    """``score(..., points=)`` (an appraisal's points) gives the same card as the rules when
    the points are the rules' own results; a not-applicable input still wins."""
    d = load_dossier(EXAMPLE)
    card = d.score()
    points = {n.code: n.score for n in card.leaves() if n.status == "scored"}
    na = {c: i for c, i in d.inputs.items() if i.not_applicable}
    fixed = score(d.framework, na, None, points=points)
    assert [(n.code, n.status, n.score, n.max) for n in fixed.nodes] == \
        [(n.code, n.status, n.score, n.max) for n in card.nodes]
    lower = score(d.framework, na, None, points={**points, "1.1.1": D("0.25")})
    assert lower.total.score == card.total.score - (card["1.1.1"].score - D("0.25"))
