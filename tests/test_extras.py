"""Bonus and penalty items outside the 100 points (issue 15): modelled, scored apart, capped
per group, never mixed into the total, the maximum or the index."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from parindex.core.yamlio import load_yaml
from parindex.evidence.check import check_dossier
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import BandsRule, ChoiceRule, DeductionRule, ManualRule
from parindex.scoring.dossier import load_dossier
from parindex.scoring.extras import Appraisal
from parindex.scoring.scorecard import score

from .conftest import FIXTURES, run_cli
from .strategies import extras, scenarios

EXTRAS = FIXTURES / "extras"
CAPPED = EXTRAS / "bonus-capped-penalty-pending"
D = Decimal


def _fw_data(path: Path = EXTRAS / "framework.yaml") -> dict[str, Any]:
    data, _ = load_yaml(path)
    assert isinstance(data, dict)
    return data


def test_bonus_capped_penalty_counted_appraisal_pending() -> None:
    card = load_dossier(CAPPED).score()
    ex = card.extras
    assert ex is not None
    assert [(i.code, i.status, i.points, i.pending) for i in ex.items] == [
        ("T1", "scored", D(1), D(0)), ("T2", "scored", D("1.5"), D(0)),
        ("TR1", "scored", D("0.5"), D(0)), ("TR2", "appraisal-pending", D(0), D(1))]
    assert (ex.bonus.items_points, ex.bonus.points, ex.bonus.capped) == (D("2.5"), D(2), True)
    assert (ex.penalty.points, ex.penalty.pending, ex.penalty.capped) == (D("0.5"), D(1), False)
    assert ex.net == D("1.5")
    assert (card.adjusted_score, card.adjusted_index) == (D("3.5"), D("116.67"))
    # the tree's figures are the tree's alone
    t = card.total
    assert (t.max, t.score, t.pending, t.index) == (D(4), D(2), D(1), D("66.67"))


def test_framework_without_extras_scores_exactly_as_before() -> None:
    data = _fw_data()
    inputs = load_dossier(CAPPED).inputs
    with_extras = score(Framework.model_validate(data), inputs).to_dict()
    data.pop("extras")
    data["id"] = "fixture-extras"
    without = score(Framework.model_validate(data), inputs).to_dict()
    assert without.pop("extras") is None
    assert with_extras.pop("extras") is not None
    assert with_extras == without


@pytest.mark.parametrize(("self_score", "appraised", "points", "gap"), [
    ("2", "1.7", D(1), "15%: above 10%, 1 point off"),
    ("2", "1.8", D(0), "exactly 10%: 'đến 10%', nothing off"),
    ("2", "2.5", D(0), "the appraisal raised the score"),
    ("3", "2.7", D(0), "exactly 10% of 3 points: nothing off"),
    ("3", "2.69", D(1), "10,33…%, an endless decimal, above 10%"),
])
def test_appraisal_gap_penalty_once_the_appraisal_is_known(
        self_score: str, appraised: str, points: Decimal, gap: str) -> None:
    dossier = load_dossier(CAPPED)
    card = score(dossier.framework, dossier.inputs,
                 appraisal=Appraisal(D(self_score), D(appraised)))
    assert card.extras is not None
    tr2 = card.extras.by_code["TR2"]
    assert (tr2.status, tr2.points, tr2.pending) == ("scored", points, D(0)), gap
    assert card.extras.penalty.points == D("0.5") + points


def test_penalty_capped_at_the_group_maximum() -> None:
    dossier = load_dossier(CAPPED)
    inputs = {**dossier.inputs, "TR1": ItemInput(occurrences={"vi-pham": 5})}
    card = score(dossier.framework, inputs, appraisal=Appraisal(D(2), D(1)))
    assert card.extras is not None
    # TR1 takes off at most its own 1 point (5 × 0,5 = 2,5), TR2 1: 2, the cap is 1,5
    assert [card.extras.by_code[c].points for c in ("TR1", "TR2")] == [D(1), D(1)]
    p = card.extras.penalty
    assert (p.items_points, p.points, p.capped) == (D(2), D("1.5"), True)
    assert card.extras.net == D("0.5")  # bonus 2 (capped from 2,5) − 1,5


def test_extra_input_its_rule_cannot_read_is_invalid_and_reported() -> None:
    dossier = load_dossier(CAPPED)
    inputs = {**dossier.inputs, "T1": ItemInput(option="cap-bo")}
    card = score(dossier.framework, inputs)
    assert card.extras is not None
    t1 = card.extras.by_code["T1"]
    assert (t1.status, t1.points) == ("invalid-input", D(0))
    assert "không có phương án 'cap-bo'" in (t1.problem or "")


def test_input_typed_for_the_appraisal_gap_item_is_refused() -> None:
    dossier = load_dossier(CAPPED)
    inputs = {**dossier.inputs, "TR2": ItemInput(percent=D(5))}
    for appraisal in (None, Appraisal(D(2), D(1))):
        card = score(dossier.framework, inputs, appraisal=appraisal)
        assert card.extras is not None
        tr2 = card.extras.by_code["TR2"]
        assert (tr2.status, tr2.points, tr2.pending) == ("invalid-input", D(0), D(0))
        assert "tính từ kết quả thẩm định" in (tr2.problem or "")


def test_check_knows_extra_codes_and_asks_evidence_for_a_bonus() -> None:
    report = check_dossier(CAPPED, cache=False, ocr=False)
    by_item = {(f.code, f.item) for f in report.findings}
    assert not any(code == "unknown-item-input" for code, _ in by_item)
    assert ("missing-evidence", "T1") in by_item  # a bonus claimed without proof
    assert ("missing-evidence", "T2") not in by_item  # it has a giải trình
    assert not any(item in ("TR1", "TR2") for _, item in by_item)  # penalties need none


@pytest.mark.parametrize(("change", "message"), [
    ({"bonus": {"items": [{"code": "T9", "name": "x", "max_points": 1, "source": "t",
                           "rule": {"type": "deduction", "penalties": [
                               {"id": "a", "label": "a", "points": 1}]}}]}},
     "a deduction rule takes points off: it goes in the penalty group"),
    ({"penalty": {"items": [{"code": "TR9", "name": "x", "max_points": 1, "source": "t",
                             "from_appraisal": "gap-points", "rule": {
                                 "type": "choice", "options": [
                                     {"id": "a", "label": "a", "points": 1}]}}]}},
     "from_appraisal gap-points needs a bands rule with measure count"),
    ({"bonus": {"items": [{"code": "T9", "name": "x", "max_points": 2, "source": "t",
                           "rule": {"type": "manual"}}, {
                               "code": "T9", "name": "y", "max_points": 1, "source": "t",
                               "rule": {"type": "manual"}}]}},
     "code T9 is used twice"),
    ({"bonus": {"items": [{"code": "T9", "name": "x", "max_points": 2, "source": "t",
                           "rule": {"type": "choice", "options": [
                               {"id": "a", "label": "a", "points": 1}]}}]}},
     "the rule's best is 1 but max_points is 2"),
    ({"bonus": {"items": [{"code": "1.9", "name": "x", "max_points": 1, "source": "t",
                           "rule": {"type": "manual"}}]}},
     "String should match pattern"),
])
def test_extras_block_invariants(change: dict[str, Any], message: str) -> None:
    data = _fw_data()
    data["extras"] = change
    with pytest.raises(ValidationError, match=message):
        Framework.model_validate(data)


def test_score_text_shows_bonus_and_penalty_apart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "score", str(CAPPED), "--areas")
    assert code == 0
    lines = [" ".join(x.strip() for x in line.split("│") if x.strip()) for line in
             out.splitlines()]
    assert "TỔNG CỘNG 4,00 2,00 66,67 quy về thang 100, chưa có điều tra XHH" in lines
    assert "Điểm thưởng 2,00 +2,00 các mục cộng lại 2,50, tối đa 2,00" in lines
    assert "Điểm trừ 1,50 −0,50 chờ kết quả thẩm định 1,00" in lines
    assert "Tổng điểm sau thưởng, trừ 3,50 116,67 không tính vào Chỉ số CCHC ở trên" in lines


@st.composite
def _with_extras(draw: st.DrawFn) -> tuple[Framework, Framework, dict[str, ItemInput],
                                           dict[str, ItemInput], Appraisal | None]:
    fw, inputs, survey = draw(scenarios())
    with_block = Framework.model_validate({**fw.model_dump(by_alias=True),
                                           "extras": draw(extras())})
    assert with_block.extras is not None
    for _, item in with_block.extras.items():
        rule = item.rule
        if isinstance(rule, ChoiceRule):
            inputs[item.code] = ItemInput(option=draw(st.sampled_from(
                [o.id for o in rule.options])))
        elif isinstance(rule, DeductionRule):
            inputs[item.code] = ItemInput(occurrences={"p": draw(st.integers(0, 9))})
        elif isinstance(rule, ManualRule):
            steps = int(item.max_points / D("0.25"))
            inputs[item.code] = ItemInput(points=D(draw(st.integers(0, steps))) / 4,
                                          explanation="giải trình")
        elif isinstance(rule, BandsRule) and item.from_appraisal is None:
            inputs[item.code] = ItemInput(count=D(draw(st.integers(0, 30))))
    appraisal = draw(st.one_of(st.none(), st.builds(
        Appraisal, st.integers(0, 40).map(D), st.integers(0, 40).map(D))))
    return fw, with_block, inputs, survey, appraisal


@settings(max_examples=60, deadline=None)
@given(case=_with_extras())
def test_extras_never_change_the_total_and_respect_their_caps(
        case: tuple[Framework, Framework, dict[str, ItemInput], dict[str, ItemInput],
                    Appraisal | None]) -> None:
    fw, with_block, inputs, survey, appraisal = case
    plain = score(fw, inputs, survey).to_dict()
    card = score(with_block, inputs, survey, appraisal=appraisal)
    got = card.to_dict()
    assert got.pop("extras") is not None and plain.pop("extras") is None
    assert got == plain  # total, maximum, index, every node: as without the block
    ex = card.extras
    assert ex is not None and with_block.extras is not None
    for it in ex.items:
        assert D(0) <= it.points <= it.max
        assert it.status in ("scored", "appraisal-pending")  # every input fits its rule
        found = with_block.extras.item(it.code)
        assert found is not None
        reads_appraisal = found[1].from_appraisal is not None
        assert (it.status == "appraisal-pending") == (appraisal is None and reads_appraisal)
        assert it.pending == (it.max if it.status == "appraisal-pending" else 0)
    for g, grp in with_block.extras.groups():
        gs = ex.bonus if g == "bonus" else ex.penalty
        total = sum((i.points for i in ex.items if i.group == g), D(0))
        assert gs.points == (total if grp.max_points is None else min(grp.max_points, total))
    assert card.adjusted_score == card.total.score + ex.bonus.points - ex.penalty.points


def test_new_dossier_skeleton_lists_the_extras_blank(tmp_path: Path) -> None:
    from parindex.core.yamlio import load_model
    from parindex.entry.skeleton import skeleton_text
    from parindex.framework.inputs import SelfAssessment

    fw = Framework.model_validate(_fw_data())
    text = skeleton_text(fw, "Sở Thử nghiệm")
    keys = [line.strip() for line in text.splitlines() if line.startswith('  "')]
    assert keys == ['"1.1.1":', '"1.1.2":', '"1.2":', '"T1":', '"T2":', '"TR1":']
    assert "TR2 Điểm tự đánh giá cao hơn điểm thẩm định trên 10% (tối đa 1 điểm): tính từ " \
        "kết quả thẩm định, không nhập" in text
    path = tmp_path / "self-assessment.yaml"
    path.write_text(text, encoding="utf-8")
    inputs = load_model(SelfAssessment, path).items
    assert inputs == {}  # blank: not entered
    card = score(fw, inputs)
    assert card.extras is not None
    assert [i.status for i in card.extras.items] == [
        "not-entered", "not-entered", "not-entered", "appraisal-pending"]
