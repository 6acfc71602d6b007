"""What-if: changes applied in memory, new scorecard, per-item and per-area deltas."""

from __future__ import annotations

import os
from decimal import Decimal as D
from pathlib import Path

import pytest

from parindex.analysis.whatif import (
    DELTA_COLUMNS,
    Change,
    choose,
    count,
    counts,
    manual,
    not_applicable,
    occurrences,
    ratio,
    survey,
    what_if,
    what_if_scores,
)
from parindex.core.errors import InputError
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE, FIXTURES

MINI = load_framework(FIXTURES / "simulate" / "mini-framework.yaml")
BASE = {
    "1.1.1": ItemInput(option="khong-kip-thoi", explanation="Ban hành trễ 10 ngày."),
    "1.1.2": ItemInput(done=D(7), total=D(10)),
    "1.2": ItemInput(count=D(1)),
    "1.3": ItemInput(done=D(9), total=D(10)),
    "1.4": ItemInput(total=D(4), counts={"b": D(2), "c": D(2)}),
    "1.5": ItemInput(occurrences={"tre-han": 1, "khong-gui": 1}),
}


def test_base_scores() -> None:
    r = what_if_scores(MINI, BASE, None, [])
    assert r.before.total.score == D("3.15") and r.before.total.index == D("39.38")
    assert r.after == r.before and r.changed == () and r.score_delta == 0


def test_changes_give_item_and_area_deltas() -> None:
    r = what_if_scores(MINI, BASE, None, [
        choose("1.1.1", "kip-thoi"), ratio("1.1.2", done=8, total=10), count("1.2", 2),
        counts("1.4", 4, b=4), occurrences("1.5"), manual("1.6", D("0.5"), "Có giải trình"),
        ratio("1.3", 100),
    ])
    got = {d.code: d.delta for d in r.changed}
    assert got == {"1.1.1": D("0.5"), "1.1.2": D(1), "1.2": D("0.75"), "1.3": D("0.1"),
                   "1.4": D("0.25"), "1.5": D("0.75"), "1.6": D("0.5")}
    assert [(a.code, a.delta) for a in r.areas] == [("1", D("3.85")), ("2", D(0))]
    assert r.after["1.1"].score == D(2)  # criterion = sum of its sub-criteria
    assert r.score_delta == D("3.85")
    assert (r.index_before, r.index_after, r.index_delta) == (D("39.38"), D("87.5"),
                                                              D("48.12"))
    assert r.inputs["1.1.1"].explanation == "Ban hành trễ 10 ngày."  # explanation kept
    assert BASE["1.1.1"].option == "khong-kip-thoi"  # the given inputs are not modified


def test_later_change_wins_and_ratio_replaces_done_total() -> None:
    r = what_if_scores(MINI, BASE, None, [ratio("1.1.2", 85), ratio("1.1.2", done=10, total=10)])
    assert r.inputs["1.1.2"] == ItemInput(done=D(10), total=D(10))
    r = what_if_scores(MINI, BASE, None, [ratio("1.1.2", 85)])
    assert r.inputs["1.1.2"] == ItemInput(percent=D(85))  # done/total replaced, not mixed
    assert r.after["1.1.2"].score == D(1)


def test_not_applicable_drops_the_item_from_the_max() -> None:
    r = what_if_scores(MINI, BASE, None, [not_applicable("1.3")])
    (d,) = r.changed
    assert (d.status_after, d.max_after, d.score_after) == ("not-applicable", D(0), D(0))
    assert r.after.total.max == D(19) and r.index_after == D("32.14")  # 2.25 / 7


def test_not_applicable_where_not_allowed_raises_naming_item_and_field() -> None:
    with pytest.raises(InputError) as exc:
        what_if_scores(MINI, BASE, None, [not_applicable("1.2")])
    assert [str(p) for p in exc.value.problems] == [
        "changes[0].not_applicable: item 1.2, field 'not_applicable': tiêu chí này không được "
        "đánh dấu không áp dụng"]


def test_survey_changes_go_to_the_survey_results() -> None:
    r = what_if_scores(MINI, BASE, None, [survey("2.1", 6), survey("2.2", answers={"A": 3,
                                                                                   "B": 1})])
    assert set(r.survey) == {"2.1", "2.2"} and "2.1" not in r.inputs
    assert r.after["2.2"].score == D("3.6")
    assert r.after.total.survey_given and r.after.total.score == D("12.75")
    assert r.index_after == D("63.75")


def test_unusable_changes_are_all_reported() -> None:
    with pytest.raises(InputError) as exc:
        what_if_scores(MINI, BASE, None, [choose("9.9", "x"), Change("1.2", {"count": "nhiều"}),
                                          Change("1.1", {"option": "dat"})])
    assert [p.key for p in exc.value.problems] == ["changes[0]", "changes[1].count",
                                                   "changes[2]"]
    assert "no scored item '9.9'" in str(exc.value.problems[0])


def test_example_dossier_what_if_touches_no_file() -> None:
    stamps = {p: p.stat().st_mtime_ns for p in EXAMPLE.iterdir()}
    listing = sorted(os.listdir(EXAMPLE))
    d = load_dossier(EXAMPLE)
    r = what_if(d, [count("1.5", 1), choose("3.1.3", "dat-ca-hai")])
    assert r.before.total.index == D("90.04")
    assert r.score_delta == D("1.75")
    assert r.index_after == D("92.31")  # (69,33 + 1,75) / 77
    assert {p: p.stat().st_mtime_ns for p in EXAMPLE.iterdir()} == stamps
    assert sorted(os.listdir(EXAMPLE)) == listing
    assert d.score() == r.before  # the dossier itself is unchanged


def test_to_frame_and_to_dict() -> None:
    r = what_if_scores(MINI, BASE, None, [choose("1.1.1", "kip-thoi")])
    df = r.to_frame()
    assert tuple(df.columns) == DELTA_COLUMNS
    assert len(df) == len(MINI.nodes)
    assert df.set_index("code").loc["1.1.1", "delta"] == 0.5
    data = r.to_dict()
    assert data["items"] == [{
        "code": "1.1.1", "name": "Ban hành kế hoạch CCHC năm", "level": "sub-criterion",
        "area": "1", "status_before": "scored", "status_after": "scored", "max_before": 1,
        "max_after": 1, "score_before": 0.5, "score_after": 1, "delta": 0.5}]
    assert data["changes"] == [{"code": "1.1.1", "fields": {"option": "kip-thoi"},
                                "label": ""}]
    assert data["index_delta"] == 6.25


def test_plan_tasks_done_recompute_the_derived_items() -> None:
    import datetime as dt

    from parindex.analysis.whatif import tasks_done

    d = load_dossier(EXAMPLE)
    assert d.inputs["1.1.3"].done == D(31)  # 31 of 34 tasks done on time, from plan.yaml
    r = what_if(d, [tasks_done("II.2.b", "II.4.b")])
    assert r.inputs["1.1.3"].done == D(33) and r.changed == ()  # 97,1 %: same band
    assert r.inputs["1.1.3"].explanation == d.inputs["1.1.3"].explanation
    r = what_if(d, [tasks_done("II.2.b", "II.4.b"), tasks_done("II.6.2.b")])
    assert [(x.code, x.delta) for x in r.changed] == [("1.1.3", D("0.5"))]
    assert r.index_after == D("90.69")
    # done after the due date (31/12/2021): not on time, so not counted
    late = what_if(d, [tasks_done("II.2.b", "II.4.b", completed=dt.date(2022, 1, 5)),
                       tasks_done("II.6.2.b")])
    assert late.inputs["1.1.3"].done == D(32) and late.changed == ()
    # an item change is applied after the plan and wins
    r = what_if(d, [tasks_done("II.6.2.b"), ratio("1.1.3", done=20, total=34)])
    assert r.after["1.1.3"].score == D(0)
    assert d.plan is not None and d.plan.task("II.2.b").status == "dang-thuc-hien"  # untouched


def test_plan_changes_need_a_plan_and_known_tasks(tmp_path: Path) -> None:
    from parindex.analysis.whatif import tasks_done

    d = load_dossier(EXAMPLE)
    with pytest.raises(InputError) as exc:
        what_if(d, [tasks_done("II.2.b", "IX.9")])
    assert [p.message for p in exc.value.problems] == ["no task 'IX.9' in the plan"]
    folder = tmp_path / "khong-ke-hoach"
    folder.mkdir()
    for name in ("dossier.yaml", "self-assessment.yaml"):
        (folder / name).write_bytes((EXAMPLE / name).read_bytes())
    with pytest.raises(InputError, match=r"no plan\.yaml"):
        what_if(load_dossier(folder), [tasks_done("II.2.b")])
