"""The plan model, and the framework items computed from it (never typed)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.core.errors import InputError
from parindex.framework.catalog import load_framework
from parindex.plan.model import Plan, derived_inputs, dump_plan, load_plan
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    target = tmp_path / "dossier"
    shutil.copytree(EXAMPLE, target)
    return target


def _set(folder: Path, **statuses: str) -> None:
    plan = load_plan(folder / "plan.yaml")
    tasks = []
    for t in plan.tasks:
        status = statuses.get(t.code.replace(".", "_").replace("-", "_"), t.status)
        completed = t.completed if status == "hoan-thanh" else None
        if status == "hoan-thanh" and completed is None:
            completed = dt.date(2021, 12, 1)
        tasks.append(t.model_copy(update={"status": status, "completed": completed}))
    (folder / "plan.yaml").write_text(dump_plan(plan.model_copy(update={"tasks": tuple(tasks)})),
                                      encoding="utf-8")


def test_example_plan_loads_and_round_trips(tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    assert plan.example and len(plan.tasks) == 34 and plan.completion() == (31, 34)
    again = tmp_path / "plan.yaml"
    again.write_text(dump_plan(plan), encoding="utf-8")
    assert load_plan(again) == plan


def test_derived_inputs_of_the_example() -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    derived = derived_inputs(plan, load_framework("qn-so-2021"))
    assert set(derived) == {"1.1.3", "1.2.1"}
    assert (derived["1.1.3"].done, derived["1.1.3"].total) == (Decimal(31), Decimal(34))
    assert derived["1.2.1"].occurrences == {"tre-han": 1, "khong-gui": 0}
    assert all(i.derived_from == "plan" for i in derived.values())


def test_dossier_inputs_take_the_plan_over_typed_and_keep_explanations(dossier: Path) -> None:
    d = load_dossier(dossier)
    assert d.plan is not None
    item = d.inputs["1.1.3"]
    assert item.derived_from == "plan" and item.done == 31 and item.explanation
    assert d.inputs["1.1.2"] == d.self_assessment.items["1.1.2"]


def _points(folder: Path, code: str) -> Decimal:
    card = load_dossier(folder).score()
    node = next(n for n in card.to_dict()["nodes"] if n["code"] == code)
    return Decimal(str(node["score"]))


def test_changing_statuses_changes_the_plan_completion_score(dossier: Path) -> None:
    assert _points(dossier, "1.1.3") == Decimal("1")  # 31/34 = 91,2 % → 80 – < 100 %
    _set(dossier, II_2_b="hoan-thanh", II_4_b="hoan-thanh")
    assert _points(dossier, "1.1.3") == Decimal("1")  # 33/34: II.6.2.b still late
    plan = load_plan(dossier / "plan.yaml")
    tasks = tuple(t.model_copy(update={"completed": dt.date(2021, 10, 1)})
                  if t.code == "II.6.2.b" else t for t in plan.tasks)
    (dossier / "plan.yaml").write_text(dump_plan(plan.model_copy(update={"tasks": tasks})),
                                       encoding="utf-8")
    assert _points(dossier, "1.1.3") == Decimal("1.5")  # 34/34
    _set(dossier, **{c: "dang-thuc-hien" for c in
                     ("II_1_a", "II_1_b", "II_1_c", "II_1_d", "II_1_đ", "II_2_a", "II_2_c")})
    assert _points(dossier, "1.1.3") == Decimal("0")  # 27/34 = 79,4 %


def test_report_send_dates_drive_1_2_1(dossier: Path) -> None:
    assert _points(dossier, "1.2.1") == Decimal("0.75")
    plan = load_plan(dossier / "plan.yaml")
    reports = tuple(r.model_copy(update={"sent": None}) if r.id == "nam" else r
                    for r in plan.reports)
    (dossier / "plan.yaml").write_text(dump_plan(plan.model_copy(update={"reports": reports})),
                                       encoding="utf-8")
    assert _points(dossier, "1.2.1") == Decimal("0.5")


def test_no_plan_means_typed_inputs(dossier: Path) -> None:
    (dossier / "plan.yaml").unlink()
    d = load_dossier(dossier)
    assert d.plan is None and d.inputs == dict(d.self_assessment.items)


def test_completed_needs_status_done() -> None:
    with pytest.raises(ValueError, match="completed is set"):
        Plan.model_validate({"year": 2021, "tasks": [
            {"code": "1", "title": "x", "status": "dang-thuc-hien", "completed": "2021-05-01"}]})


def test_invalid_plan_file_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("kind: parindex/plan\nyear: 2021\ntasks:\n  - code: A\n    title: x\n"
                   "    status: xong\n  - code: B\n    titel: y\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_plan(bad)
    keys = {p.key for p in err.value.problems}
    assert {"tasks[0].status", "tasks[1].titel", "tasks[1].title"} <= keys
    assert all(p.line is not None for p in err.value.problems)


def test_a_plan_of_another_year_is_refused(dossier: Path) -> None:
    path = dossier / "plan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nyear: 2021\n", "\nyear: 2020\n"),
                    encoding="utf-8")
    with pytest.raises(InputError, match="the plan is for 2020 but the dossier for 2021"):
        load_dossier(dossier).score()


def test_reports_item_counts_each_missing_report_under_its_kind() -> None:
    """A missing report is not a late one: late −0,25, missing quarterly −0,5, annual −1."""
    from decimal import Decimal

    from parindex.framework.rules import DeductionRule
    from parindex.plan.model import derived_inputs
    from parindex.scoring.dossier import load_dossier

    d = load_dossier(EXAMPLE)
    assert d.plan is not None
    fw = d.framework
    node = fw.node("1.2.1")
    rule = DeductionRule.model_validate({
        "type": "deduction", "floor": 0, "penalties": [
            {"id": "tre", "label": "Báo cáo trễ", "points": "0.25", "kind": "late"},
            {"id": "thieu", "label": "Không gửi báo cáo quý", "points": "0.5",
             "kind": "missing"},
            {"id": "thieu-nam", "label": "Không gửi báo cáo năm", "points": 1,
             "kind": "missing-annual"}]})
    data = fw.model_dump(by_alias=True, exclude_none=True)
    for area in data["areas"]:
        for crit in area["criteria"]:
            for sub in crit.get("sub_criteria", []):
                if sub["code"] == node.code:
                    sub["rule"] = rule.model_dump(by_alias=True, exclude_none=True)
    fw2 = type(fw).model_validate(data)
    reports = tuple(r.model_copy(update={"sent": None}) if r.id in ("nam", "quy-3") else r
                    for r in d.plan.reports)
    plan = d.plan.model_copy(update={"reports": reports})
    late = sum(r.late for r in plan.reports)
    inp = derived_inputs(plan, fw2)["1.2.1"]
    assert inp.occurrences == {"tre": late, "thieu": 1, "thieu-nam": 1}
    assert fw2.node("1.2.1").rule.compute(inp, Decimal(1)) == max(  # type: ignore[union-attr]
        Decimal(0), Decimal(1) - Decimal("0.25") * late - Decimal("0.5") - 1)
    # without a penalty for the annual report, it counts as any missing report
    plain = derived_inputs(plan, fw)["1.2.1"]
    assert plain.occurrences == {"tre-han": late, "khong-gui": 2}
