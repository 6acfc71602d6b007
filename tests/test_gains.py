"""Where the points are, and the smallest set of gains reaching a target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.analysis.gains import (
    GAIN_COLUMNS,
    Gain,
    is_timely,
    opportunities,
    where_the_points_are,
)
from parindex.analysis.target import reach_target, reach_target_scores
from parindex.analysis.whatif import what_if_scores
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.plan.model import Plan
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import Scorecard, score

from .conftest import EXAMPLE, FIXTURES
from .relative_material import relative_deadline_dossier, self_scored
from .strategies import scenarios

MINI = load_framework(FIXTURES / "simulate" / "mini-framework.yaml")
BASE = {
    "1.1.1": ItemInput(option="khong-kip-thoi"),
    "1.1.2": ItemInput(done=D(7), total=D(10)),
    "1.2": ItemInput(count=D(1)),
    "1.3": ItemInput(done=D(9), total=D(10)),
    "1.4": ItemInput(total=D(4), counts={"b": D(2), "c": D(2)}),
    "1.5": ItemInput(occurrences={"tre-han": 1, "khong-gui": 1}),
}
AFTER_DEADLINE = dt.date(2021, 6, 1)
Scenario = tuple[Framework, dict[str, ItemInput], dict[str, ItemInput]]


def _gains(o: object) -> list[tuple[str, str | None, D]]:
    from parindex.analysis.gains import Opportunity

    assert isinstance(o, Opportunity)
    return [(g.action, g.needed, g.points) for g in o.gains]


def test_ranked_by_points_still_gainable() -> None:
    opp = opportunities(score(MINI, BASE))
    assert [(o.code, o.gainable) for o in opp.items] == [
        ("1.1.2", D(2)), ("1.2", D("0.75")), ("1.5", D("0.75")), ("1.1.1", D("0.5")),
        ("1.6", D("0.5")), ("1.4", D("0.25")), ("1.3", D("0.1"))]
    assert opp.gainable == D("4.85") and opp.best_index == D(100)
    by = {o.code: o for o in opp.items}
    assert _gains(by["1.1.2"]) == [("tỷ lệ: từ 100%", "10/10 (100%)", D(2)),
                                   ("tỷ lệ: từ 80% dưới 100%", "8/10 (80%)", D(1))]
    assert _gains(by["1.2"]) == [("số lượng: từ 2", "2", D("0.75"))]
    assert _gains(by["1.5"]) == [("không có lần vi phạm nào", None, D("0.75")),
                                 ("bớt 1 lần “Không gửi báo cáo”", None, D("0.5")),
                                 ("bớt 1 lần “Báo cáo trễ hạn”", None, D("0.25"))]
    assert _gains(by["1.1.1"]) == [("Ban hành kịp thời", None, D("0.5"))]
    assert _gains(by["1.6"]) == [("chấm tối đa (có giải trình)", None, D("0.5"))]
    assert _gains(by["1.4"]) == [("toàn bộ tổng số ở mức “đúng hạn”", "4/4", D("0.25"))]
    assert _gains(by["1.3"]) == [("tỷ lệ: 100%", "10/10", D("0.1"))]
    assert by["1.1.1"].best is not None
    assert by["1.1.1"].best.describe() == "1.1.1 Ban hành kịp thời: +0,5"


def test_a_timely_option_is_out_of_reach_after_the_deadline() -> None:
    opp = opportunities(score(MINI, BASE), as_of=AFTER_DEADLINE)
    o = next(o for o in opp.items if o.code == "1.1.1")
    assert o.gains == () and o.gainable == 0
    assert [(g.action, g.reason) for g in o.blocked] == [
        ("Ban hành kịp thời", "đã quá hạn 31/12/2020 (tính đến 01/06/2021)")]
    assert opp.best_index == D("93.75")  # 7,5 of 8: the 0,5 of "kịp thời" is lost
    # not issued yet: issuing late still gains, issuing on time no longer can
    late = opportunities(score(MINI, {"1.1.1": ItemInput(option="khong-ban-hanh")}),
                         as_of=AFTER_DEADLINE)
    o = next(o for o in late.items if o.code == "1.1.1")
    assert _gains(o) == [("Ban hành không kịp thời", None, D("0.5"))]
    assert [g.points for g in o.blocked] == [D(1)]
    # on the deadline day itself it is still reachable
    on_day = opportunities(score(MINI, BASE), as_of=dt.date(2020, 12, 31))
    assert next(o for o in on_day.items if o.code == "1.1.1").gainable == D("0.5")


def test_timely_wording() -> None:
    assert is_timely("Ban hành kịp thời") and is_timely("Trình đúng hạn")
    assert is_timely("Công khai đầy đủ, đúng hạn") and is_timely("Đúng thời hạn")
    assert not is_timely("Ban hành không kịp thời")
    assert not is_timely("Không cập nhật kịp thời, đầy đủ")
    assert not is_timely("Đạt yêu cầu")


def test_proportional_below_its_floor_offers_the_floor_too() -> None:
    opp = opportunities(score(MINI, {"1.3": ItemInput(done=D(5), total=D(10))}))
    o = next(o for o in opp.items if o.code == "1.3")
    assert _gains(o) == [("tỷ lệ: 100%", "10/10", D(1)),
                         ("tỷ lệ: đạt ngưỡng 80%", "8/10", D("0.8"))]


def test_missing_inputs_are_opportunities_too() -> None:
    opp = opportunities(score(MINI, {}))
    by = {o.code: o for o in opp.items}
    assert by["1.1.2"].node.status == "missing-input"
    assert _gains(by["1.1.2"])[0] == ("tỷ lệ: từ 100%", "100%", D(2))
    assert _gains(by["1.5"]) == [("không có lần vi phạm nào", None, D(1))]
    assert "2.1" not in by  # survey items are not the unit's to gain


def test_target_reached_with_fewest_changes_confirmed_by_rescoring() -> None:
    plan = reach_target_scores(MINI, BASE, None, 90, as_of=AFTER_DEADLINE)
    assert plan.reached and plan.index_before == D("39.38")
    assert [(g.code, g.points) for g in plan.chosen] == [
        ("1.1.2", D(2)), ("1.2", D("0.75")), ("1.5", D("0.75")), ("1.6", D("0.5")),
        ("1.4", D("0.25"))]
    assert plan.index_after == D("92.5")
    after = score(MINI, plan.confirmation.inputs, plan.confirmation.survey)
    assert after.total.index == plan.index_after  # re-scored, not added up
    # four changes cannot do it: the four largest gains give 7,15 / 8 = 89,38 %
    assert score(MINI, what_if_scores(MINI, BASE, None, [g.change for g in plan.chosen[:4]])
                 .inputs).total.index == D("89.38")


def test_target_lowers_a_change_that_overshoots() -> None:
    plan = reach_target_scores(MINI, BASE, None, 90)
    assert [(g.code, g.action, g.points) for g in plan.chosen] == [
        ("1.1.2", "tỷ lệ: từ 100%", D(2)), ("1.2", "số lượng: từ 2", D("0.75")),
        ("1.1.1", "Ban hành kịp thời", D("0.5")), ("1.5", "bớt 1 lần “Không gửi báo cáo”",
                                                   D("0.5")),
        ("1.6", "chấm tối đa (có giải trình)", D("0.5"))]
    assert plan.index_after == D("92.5")
    assert plan.summary().splitlines()[0] == ("Đạt 90% với 5 thay đổi (+4,25 điểm): "
                                              "39,38% → 92,5% (đã chấm lại).")


def test_target_out_of_reach_says_by_how_much() -> None:
    plan = reach_target_scores(MINI, BASE, None, 95, as_of=AFTER_DEADLINE)
    assert not plan.reached and plan.chosen == ()
    assert plan.best_index == D("93.75") and plan.shortfall == D("1.25")
    assert plan.summary() == ("Không thể đạt 95%: tối đa 93,75% nếu thực hiện mọi thay đổi "
                              "còn có thể, còn thiếu 1,25 điểm phần trăm.")
    assert plan.index_after == plan.index_before


def test_target_already_met() -> None:
    plan = reach_target_scores(MINI, BASE, None, 30)
    assert plan.reached and plan.chosen == () and plan.shortfall == 0
    assert plan.summary() == "Chỉ số hiện tại 39,38% đã đạt mục tiêu 30%."


def test_target_with_costs_prefers_cheap_points() -> None:
    def cost(g: Gain) -> D:
        return D(10) if g.code == "1.1.2" else D(1)

    plan = reach_target_scores(MINI, BASE, None, 80, cost=cost)
    # the cheap gains come first (2,85 points: not enough), then the costly 1.1.2; trimming
    # drops what became unneeded and lowers 1.5 to the smaller gain that still reaches 80 %
    assert [(g.code, g.points) for g in plan.chosen] == [
        ("1.1.2", D(2)), ("1.2", D("0.75")), ("1.5", D("0.5"))]
    assert plan.index_after == D(80)
    assert "heuristic" in plan.method


def test_example_dossier_target_and_deadlines() -> None:
    d = load_dossier(EXAMPLE)
    opp = where_the_points_are(d, as_of=dt.date(2021, 12, 15))
    assert opp.card.total.index == D("90.04")
    assert opp.items[0].code == "7.2.2" and opp.items[0].gainable == D("1.25")
    df = opp.to_frame()
    assert tuple(df.columns) == GAIN_COLUMNS
    plan = reach_target(d, 95, as_of=dt.date(2021, 12, 15))
    assert plan.reached and len(plan.chosen) == 4
    assert plan.index_after is not None and plan.index_after >= 95
    assert d.score().total.index == D("90.04")  # nothing written


@settings(max_examples=80, deadline=None)
@given(scenarios(), st.one_of(st.just(0), st.integers(2, 100)), st.booleans())  # 0 < t ≤ 1: refused
def test_gains_are_what_rescoring_gives_and_targets_are_confirmed(case: Scenario, target: int,
                                                                  rescale: bool) -> None:
    fw, inputs, survey = case
    fw = Framework.model_validate(fw.model_dump(by_alias=True)
                                  | {"survey": {"rescale_when_missing": rescale}})
    card = score(fw, inputs, survey)
    opp = opportunities(card)
    for o in opp.items:
        for g in o.gains:
            r = what_if_scores(fw, inputs, survey, [g.change])
            assert r.score_delta == g.points > 0
    plan = reach_target_scores(fw, inputs, survey, target)
    if plan.reached:
        assert plan.index_after is not None and plan.index_after >= target
        assert score(fw, plan.confirmation.inputs, plan.confirmation.survey).total.index == \
            plan.index_after
    else:
        # no index at all (nothing scorable), or the best index falls short
        assert plan.best_index is None or target - plan.best_index == plan.shortfall > 0


def _example_with(plan_update: dict[str, object]) -> tuple[Scorecard, Plan]:
    """The example's scorecard and plan with some plan tasks/reports changed."""
    from parindex.plan.model import derived_inputs, merge_derived

    d = load_dossier(EXAMPLE)
    assert d.plan is not None
    plan = d.plan.model_copy(update=plan_update)
    inputs = merge_derived(dict(d.self_assessment.items), derived_inputs(plan, d.framework))
    return score(d.framework, inputs), plan


def test_plan_derived_items_say_which_tasks_and_what_is_too_late() -> None:
    d = load_dossier(EXAMPLE)
    by = {o.code: o for o in where_the_points_are(d).items}
    assert by["1.1.3"].gains == ()
    assert [g.reason for g in by["1.1.3"].blocked] == [
        "tối đa 33/34 nhiệm vụ đúng hạn: II.6.2.b đã hoàn thành trễ hạn"]
    assert [g.reason for g in by["1.2.1"].blocked] == [
        "báo cáo đã gửi trễ hạn: quy-1 gửi 05/03/2021, hạn 03/03/2021"]
    # had II.6.2.b been done on time: the two open tasks would gain 1.1.3's last half point
    assert d.plan is not None
    on_time = tuple(t.model_copy(update={"completed": dt.date(2021, 10, 30)})
                    if t.code == "II.6.2.b" else t for t in d.plan.tasks)
    card, plan = _example_with({"tasks": on_time})
    o = next(o for o in opportunities(card, dt.date(2021, 12, 1), plan).items
             if o.code == "1.1.3")
    assert _gains(o) == [("Hoàn thành 100% kế hoạch",
                          "34/34 (100%): thêm 2 trong II.2.b, II.4.b", D("0.5"))]
    o = next(o for o in opportunities(card, dt.date(2022, 1, 10), plan).items
             if o.code == "1.1.3")
    assert [g.reason for g in o.blocked] == [
        "tối đa 32/34 nhiệm vụ đúng hạn (tính đến 10/01/2022): II.2.b đã quá hạn, "
        "II.4.b đã quá hạn"]


def test_a_missing_report_past_its_due_date_cannot_be_sent_on_time() -> None:
    d = load_dossier(EXAMPLE)
    assert d.plan is not None
    reports = tuple(r.model_copy(update={"sent": None}) if r.id == "nam" else r
                    for r in d.plan.reports)
    card, plan = _example_with({"reports": reports})
    assert card.by_code["1.2.1"].score == D("0.5")  # one late, one missing
    before_due = next(o for o in opportunities(card, dt.date(2021, 11, 20), plan).items
                      if o.code == "1.2.1")
    assert _gains(before_due) == [("bớt 1 lần “Không gửi báo cáo”", None, D("0.25"))]
    after_due = next(o for o in opportunities(card, dt.date(2021, 12, 1), plan).items
                     if o.code == "1.2.1")
    assert after_due.gains == ()
    assert sorted(g.reason or "" for g in after_due.blocked) == sorted([
        "báo cáo đã gửi trễ hạn: quy-1 gửi 05/03/2021, hạn 03/03/2021",
        "báo cáo đã gửi trễ hạn: quy-1 gửi 05/03/2021, hạn 03/03/2021",
        "đã quá hạn, gửi bây giờ vẫn là trễ hạn (tính đến 01/12/2021): nam hạn 25/11/2021"])


def test_after_the_year_no_change_of_fact_is_offered() -> None:
    """Advice after 31/12 must not read as padding the self-assessment of a closed year."""
    d = load_dossier(EXAMPLE)
    opp = where_the_points_are(d, as_of=dt.date(2022, 1, 10))
    assert opp.closed and opp.gainable == 0 and opp.best_index == opp.card.total.index
    assert all(not o.gains for o in opp.items)
    assert all((g.reason and "năm 2021 đã kết thúc" in g.reason) or "trễ hạn" in (g.reason or "")
               for o in opp.items for g in o.blocked)
    # what can still truthfully change: the planted problems of the example's record
    assert [(r.code, r.finding, r.points_at_risk) for r in opp.records] == [
        ("6.4", "missing-evidence", D("1.5")),
        ("7.1.1", "late-evidence-scored-on-time", D("0.5")),
        (None, "number-mismatch", D(0)), (None, "unregistered-file", D(0))]
    plan = reach_target(d, 95, as_of=dt.date(2022, 1, 10))
    assert not plan.reached and plan.chosen == ()
    data = opp.to_dict()
    assert data["closed"] is True and data["records"][0]["action"].startswith("đăng ký")


def test_planning_a_future_year_offers_every_change() -> None:
    d = load_dossier(EXAMPLE)
    opp = where_the_points_are(d, as_of=dt.date(2022, 1, 10), future=True)
    assert not opp.closed and opp.records == () and opp.items[0].gainable == D("1.25")
    assert reach_target(d, 95, as_of=dt.date(2022, 1, 10), future=True).reached


def test_during_the_year_nothing_is_closed() -> None:
    d = load_dossier(EXAMPLE)
    assert not where_the_points_are(d, as_of=dt.date(2021, 12, 31)).closed


def _late_under_a_relative_deadline(tmp_path: Path, references: str) -> Path:
    """1.1.1 due 15 days after the province's plan and self-scored "không kịp thời", so that
    "kịp thời" is a gain while its deadline is open."""
    return self_scored(relative_deadline_dossier(tmp_path, references), "khong-kip-thoi")


def _on_time_gain(opp: object, code: str = "1.1.1") -> tuple[list[D], list[str | None]]:
    from parindex.analysis.gains import Opportunities

    assert isinstance(opp, Opportunities)
    o = next(o for o in opp.items if o.code == code)
    return [g.points for g in o.gains], [g.reason for g in o.blocked]


def test_gains_follow_a_deadline_counted_from_a_dated_reference(tmp_path: Path) -> None:
    # the province's plan dated 01/12/2020: 1.1.1 was due 16/12/2020, not 31/12/2020, so on
    # 20/12/2020 "kịp thời" is already out of reach (with fixed deadlines only it was offered)
    folder = _late_under_a_relative_deadline(
        tmp_path, "references:\n  ke-hoach-tinh: {date: 2020-12-01}\n")
    before = where_the_points_are(folder, as_of=dt.date(2020, 12, 16))
    assert _on_time_gain(before) == ([D("0.5")], [])
    after = where_the_points_are(folder, as_of=dt.date(2020, 12, 20))
    assert _on_time_gain(after) == ([], [
        "đã quá hạn 16/12/2020 (15 ngày sau Kế hoạch CCHC năm 2021 của UBND tỉnh ngày "
        "01/12/2020) (tính đến 20/12/2020)"])
    # reach_target sees the same deadline: the 0,5 is not among what it may choose
    plan = reach_target(folder, 100, as_of=dt.date(2020, 12, 20))
    assert "1.1.1" not in {g.code for g in plan.chosen}


def test_gains_follow_a_reference_dated_by_a_register_document(tmp_path: Path) -> None:
    # kh-cchc-2021 is dated 28/12/2020 in the register: due 12/01/2021
    folder = _late_under_a_relative_deadline(
        tmp_path, "references:\n  ke-hoach-tinh: {document: kh-cchc-2021, label: Kế hoạch}\n")
    assert _on_time_gain(where_the_points_are(folder, as_of=dt.date(2021, 1, 12)))[0] == [
        D("0.5")]
    assert _on_time_gain(where_the_points_are(folder, as_of=dt.date(2021, 1, 13))) == ([], [
        "đã quá hạn 12/01/2021 (15 ngày sau Kế hoạch 210/KH-SKHCN ngày 28/12/2020) "
        "(tính đến 13/01/2021)"])


def test_a_reference_not_dated_leaves_the_deadline_unknown(tmp_path: Path) -> None:
    # no date for the reference: the deadline is unknown (the check warns), nothing is blocked
    folder = _late_under_a_relative_deadline(tmp_path, "")
    assert _on_time_gain(where_the_points_are(folder, as_of=dt.date(2021, 12, 30))) == (
        [D("0.5")], [])
