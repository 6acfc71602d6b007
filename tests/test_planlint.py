"""Lint: the seed's real slips exactly, and nothing spurious."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.framework.catalog import load_framework
from parindex.plan.importer import import_plan
from parindex.plan.lint import lint_plan
from parindex.plan.model import Plan, load_plan
from parindex.plan.units import UnitRegistry, load_units

from .conftest import EXAMPLE, FIXTURES
from .plan_material import seed_path


def _registry(name: str) -> UnitRegistry:
    return load_units(FIXTURES / "plan" / name)


@pytest.fixture(scope="module")
def seed() -> Plan:
    return import_plan(seed_path(), _registry("units_so_khcn.yaml"))


def test_seed_reports_exactly_its_real_slips(seed: Plan) -> None:
    report = lint_plan(seed)
    got = sorted((f.code, f.task) for f in report.findings)
    assert got == sorted([
        ("plan-numbering-gap", "II.4.c"),
        ("plan-numbering-duplicate", "II.7.b"),
        ("task-missing-lead", "II.2.h"), ("task-missing-product", "II.2.h"),
        ("task-missing-timeframe", "II.2.h"),
        ("task-missing-lead", "II.2.i"), ("task-missing-product", "II.2.i"),
        ("task-missing-timeframe", "II.2.i"),
        ("task-missing-lead", "II.4.d"), ("task-missing-product", "II.4.d"),
        ("task-missing-timeframe", "II.4.d"),
        ("task-missing-product", "II.6.3.a"), ("task-missing-product", "II.6.3.b"),
        ("report-date-outside-year", "quy-1"), ("report-date-outside-year", "6-thang"),
        ("report-date-outside-year", "quy-3"), ("report-date-outside-year", "nam"),
    ])
    assert report.counts == {"error": 0, "warning": 17, "info": 0}


def test_seed_messages_name_what_the_reader_sees(seed: Plan) -> None:
    by = {(f.code, f.task): f.message for f in lint_plan(seed).findings}
    assert by[("plan-numbering-duplicate", "II.7.b")] == (
        "Mục II.7 có 2 mục cùng đánh số “b)”; mục thứ nhất có lẽ là “a)”.")
    assert by[("plan-numbering-gap", "II.4.c")] == (
        "Mục II.4 thiếu mục “c)” (sau “b)”, trước “d)”).")
    assert by[("task-missing-lead", "II.4.d")] == (
        "Nhiệm vụ II.4.d không có dòng đơn vị chủ trì; tiêu đề có nêu “Tổ Công tác của Sở” "
        "ngay trong câu.")
    assert by[("task-missing-product", "II.2.i")] == (
        "Nhiệm vụ II.2.i không có dòng sản phẩm; tiêu đề có nêu chỉ tiêu “đảm bảo 100% hồ sơ "
        "được trả sớm và đúng hẹn”.")
    assert by[("report-date-outside-year", "quy-1")] == (
        "Báo cáo quý I: hạn “Trước ngày 03/3/2020” (03/03/2020) không thuộc năm 2021 của kế "
        "hoạch.")


def test_without_registry_units_are_kept_and_flagged() -> None:
    plan = import_plan(seed_path())
    unknown = {f.message.split("“")[1].split("”")[0] for f in lint_plan(plan).findings
               if f.code == "unknown-unit"}
    assert "Văn phòng Sở" in unknown and "Thanh tra Sở" in unknown
    assert "Các phòng, đơn vị thuộc Sở" not in unknown  # a generic group, known everywhere


def test_other_department_gap_unparsed_and_unknown_unit() -> None:
    plan = import_plan(FIXTURES / "plan" / "other_department_so_tu_phap.txt",
                       _registry("units_so_tu_phap.yaml"))
    assert sorted((f.code, f.task) for f in lint_plan(plan).findings) == [
        ("plan-numbering-gap", "II.2.2"), ("timeframe-unparsed", "II.2.3"),
        ("unknown-unit", "II.1.2")]


def test_curated_example_keeps_document_slips_and_checks_mapping() -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    report = lint_plan(plan)
    assert report.valid
    codes = report.by_code()
    assert codes["plan-numbering-gap"] == 1 and codes["plan-numbering-duplicate"] == 1
    assert "task-not-mapped" not in codes and "task-serves-unknown-item" not in codes
    assert codes["task-completed-late"] == 1
    not_served = {f.item for f in report.findings if f.code == "item-not-served"}
    assert {"1.4.1", "1.4.2"} <= not_served  # the seed has no propaganda plan task
    assert "1.1.3" not in not_served and "8.1" not in not_served


def test_mapping_errors(tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    tasks = list(plan.tasks)
    tasks[0] = tasks[0].model_copy(update={"serves": ("9.9",)})
    tasks[1] = tasks[1].model_copy(update={"serves": ()})
    bad = plan.model_copy(update={"tasks": tuple(tasks)})
    report = lint_plan(bad, load_framework("qn-so-2021"))
    assert not report.valid
    assert ("task-serves-unknown-item", "II.1.a") in {(f.code, f.task) for f in report.findings}
    assert ("task-not-mapped", "II.1.b") in {(f.code, f.task) for f in report.findings}


def test_dates_outside_the_plan_year() -> None:
    plan = import_plan(FIXTURES / "plan" / "plan_task_date_typo.txt", _registry(
        "units_so_khcn.yaml"))
    by = {f.code: f.message for f in lint_plan(plan).findings}
    assert set(by) == {"task-date-outside-year", "plan-date-outside-year"}
    assert by["task-date-outside-year"] == (
        "Nhiệm vụ II.1.a: thời hạn 30/06/2012 nằm ngoài năm kế hoạch 2021 (“Quý II/2012.”).")
    assert by["plan-date-outside-year"] == "Kế hoạch năm 2021 ghi ngày ban hành 15/01/2019."


def test_progress_findings() -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    tasks = tuple(t.model_copy(update={"completed": None}) if t.code == "II.1.a" else
                  t.model_copy(update={"evidence": ()}) if t.code == "II.1.b" else t
                  for t in plan.tasks)
    found = {(f.code, f.task) for f in lint_plan(plan.model_copy(update={"tasks": tasks}))
             .findings}
    assert ("task-done-without-date", "II.1.a") in found
    assert ("task-done-without-evidence", "II.1.b") in found
    assert ("task-done-without-evidence", "II.1.a") not in found
