"""Small bugs the suite once let through (issue 11, "Tests that miss real bugs").

Each test is named after the defect it catches and was seen failing with that defect planted
by hand (the table is in the issue's report). Where a defect lives in two places (the scorer
and the vectorised scorer, an item deadline and a task deadline) both are pinned.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from decimal import Decimal as D
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from parindex import Framework, ItemInput, Scorecard, load_plan, score
from parindex.analysis.vectorscore import VectorScorer
from parindex.evidence.check import check_dossier
from parindex.evidence.docnumber import find_date, parse_doc_number
from parindex.framework.ruletext import parse_rule
from parindex.plan.model import dump_plan
from parindex.plan.timeframe import Deadline, parse_timeframe

from .conftest import EXAMPLE, FIXTURES, run_cli
from .plan_material import seed_path

CHECK = FIXTURES / "check"
AS_OF = dt.date(2022, 1, 15)


# -- a one-item framework, scored by both scorers --------------------------------------------

def one_item(rule: dict[str, Any] | None = None, max_points: int = 2,
             classification: list[dict[str, Any]] | None = None) -> Framework:
    """A framework of one area holding one criterion ``1.1`` scored by ``rule``."""
    return Framework.model_validate({
        "id": "blind-spot", "title": "Một tiêu chí", "province": "Quảng Ngãi", "level": "sở",
        "scoring_year": 2021, "status": "provisional", "total_points": max_points,
        "classification": classification or [],
        "areas": [{"code": "1", "name": "Lĩnh vực", "max_points": max_points, "source": "test",
                   "criteria": [{"code": "1.1", "name": "Tiêu chí", "max_points": max_points,
                                 "source": "test", "rule": rule or {"type": "manual"}}]}],
    })


def both_scores(fw: Framework, inp: ItemInput) -> tuple[D, D]:
    """Points of item 1.1 by the scorer and by the vectorised scorer (they must agree)."""
    card = score(fw, {"1.1": inp})
    scorer = VectorScorer(fw)
    vector = scorer.score(scorer.encode([({"1.1": inp}, None)])).points_at(0)[0]
    return card["1.1"].score, vector


def invalid(fw: Framework, inp: ItemInput) -> str:
    """The problem of an input the rule must refuse (status ``invalid-input``)."""
    node = score(fw, {"1.1": inp})["1.1"]
    assert (node.status, node.score) == ("invalid-input", 0), node
    assert node.problem
    return node.problem


# -- bands written low → high ----------------------------------------------------------------

BANDS_IN_BOTH_ORDERS = {
    "low-to-high": "Dưới 70%: 0; Từ 70% đến 90%: 1; Trên 90%: 2",
    "high-to-low": "Trên 90%: 2; Từ 70% đến 90%: 1; Dưới 70%: 0",
}
"""The scorer takes the first band that holds a value, the vectorised scorer the last: a bound
read the wrong way shows in one order only, so both orders are scored."""


@pytest.fixture(params=sorted(BANDS_IN_BOTH_ORDERS))
def bands_written_low_to_high_and_high_to_low(request: pytest.FixtureRequest) -> Framework:
    rule = parse_rule(BANDS_IN_BOTH_ORDERS[request.param], D(2))
    assert rule.recognised and rule.kind == "bands" and rule.problems == ()
    return one_item(rule.rule.model_dump(by_alias=True))


@pytest.mark.parametrize(("percent", "points"), [
    ("0", 0), ("69.99", 0), ("70", 1), ("89.99", 1), ("90", 1), ("90.01", 2), ("100", 2),
])
def test_band_upper_bound_below_is_exclusive_in_either_order(
        bands_written_low_to_high_and_high_to_low: Framework, percent: str, points: int) -> None:
    # "Dưới 70%" does not hold 70 %: 70 % scores 1, never 0, whichever band is listed first
    fw = bands_written_low_to_high_and_high_to_low
    assert both_scores(fw, ItemInput(percent=D(percent))) == (points, points)


def test_band_upper_bound_below_is_exclusive_on_counts_too() -> None:
    for bands in ([{"points": 0, "below": 2}, {"points": 2, "from": 2}],
                  [{"points": 2, "from": 2}, {"points": 0, "below": 2}]):
        fw = one_item({"type": "bands", "measure": "count", "bands": bands})
        assert both_scores(fw, ItemInput(count=D(1))) == (0, 0)
        assert both_scores(fw, ItemInput(count=D(2))) == (2, 2)


# -- done/total ------------------------------------------------------------------------------

@pytest.fixture
def done_one_more_than_total() -> ItemInput:
    return ItemInput(done=D(11), total=D(10))


@pytest.mark.parametrize("rule", [
    {"type": "bands", "bands": [{"points": 0, "below": 50}, {"points": 2, "from": 50}]},
    {"type": "proportional"},
], ids=["bands", "proportional"])
def test_done_above_total_is_refused_even_by_one(done_one_more_than_total: ItemInput,
                                                  rule: dict[str, Any]) -> None:
    problem = invalid(one_item(rule), done_one_more_than_total)
    assert problem == "done 11/total 10: số đã thực hiện không thể lớn hơn tổng số"
    assert score(one_item(rule), {"1.1": ItemInput(done=D(10), total=D(10))})["1.1"].score == 2


# -- proportional floors: "trên" exclusive, "từ" inclusive -----------------------------------

@pytest.fixture
def proportional_floor_tren_80() -> Framework:
    parsed = parse_rule("Trên 80%: tỷ lệ % hoàn thành × điểm; Dưới 80%: 0", D(2))
    assert parsed.recognised and parsed.problems == ()
    data = parsed.rule.model_dump(by_alias=True, exclude_none=True)
    assert (data.get("above"), data.get("from")) == (80, None)
    return one_item(data)


def test_proportional_tren_floor_is_exclusive(proportional_floor_tren_80: Framework) -> None:
    fw = proportional_floor_tren_80
    assert both_scores(fw, ItemInput(percent=D(80))) == (0, 0)  # exactly on "trên 80%": below
    assert both_scores(fw, ItemInput(done=D(8), total=D(10))) == (0, 0)
    assert both_scores(fw, ItemInput(percent=D(81))) == (D("1.62"), D("1.62"))


def test_proportional_tu_floor_is_inclusive() -> None:
    parsed = parse_rule("Từ 80%: tỷ lệ % hoàn thành × điểm; Dưới 80%: 0", D(2))
    fw = one_item(parsed.rule.model_dump(by_alias=True, exclude_none=True))
    assert both_scores(fw, ItemInput(percent=D(80))) == (D("1.6"), D("1.6"))
    assert both_scores(fw, ItemInput(percent=D("79.99"))) == (0, 0)


# -- classification thresholds are inclusive -------------------------------------------------

CLASSES = [{"label": "Xuất sắc", "min_index": 90}, {"label": "Tốt", "min_index": 80},
           {"label": "Khá", "min_index": 70}, {"label": "Trung bình", "min_index": 50},
           {"label": "Yếu", "min_index": 0}]


@pytest.fixture
def index_exactly_on_a_threshold() -> Framework:
    return one_item({"type": "manual", "step": 1}, max_points=10, classification=CLASSES)


@pytest.mark.parametrize(("points", "label"), [
    (10, "Xuất sắc"), (9, "Xuất sắc"), (8, "Tốt"), (7, "Khá"), (5, "Trung bình"), (4, "Yếu"),
    (0, "Yếu"),
])
def test_classification_threshold_is_reached_at_equality(
        index_exactly_on_a_threshold: Framework, points: int, label: str) -> None:
    card = score(index_exactly_on_a_threshold,
                 {"1.1": ItemInput(points=D(points), explanation="Chấm theo thực tế.")})
    assert card.total.index == points * 10
    assert card.classification == label
    assert card.to_dict()["total"]["classification"] == label


# -- manual rules and weighted counts --------------------------------------------------------

def test_manual_score_of_zero_is_accepted() -> None:
    node = score(one_item({"type": "manual"}), {"1.1": ItemInput(
        points=D(0), explanation="Không thực hiện.")})["1.1"]
    assert (node.status, node.score, node.problem) == ("scored", 0, None)


WEIGHTED = {"type": "weighted", "total_label": "số vấn đề phát hiện", "terms": [
    {"id": "b", "label": "đã xử lý", "weight": 1}, {"id": "c", "label": "đang xử lý",
                                                    "weight": "0.5"}]}


@pytest.fixture
def weighted_negative_count() -> ItemInput:
    return ItemInput(total=D(4), counts={"b": D(5), "c": D(-2)})


@pytest.fixture
def weighted_total_zero() -> ItemInput:
    return ItemInput(total=D(0), counts={})


def test_weighted_negative_count_is_refused(weighted_negative_count: ItemInput) -> None:
    # 5 − 2 ≤ 4 and (5 − 1) / 4 = 1 would pass every other check
    assert invalid(one_item(WEIGHTED, max_points=1), weighted_negative_count) == (
        "số đếm không được âm")


def test_weighted_total_zero_is_refused_not_a_crash(weighted_total_zero: ItemInput) -> None:
    assert invalid(one_item(WEIGHTED, max_points=1), weighted_total_zero) == (
        "'total' bằng 0: đánh dấu không áp dụng nếu được phép")


def test_weighted_counts_score_exactly() -> None:
    fw = one_item(WEIGHTED, max_points=1)
    assert both_scores(fw, ItemInput(total=D(4), counts={"b": D(2), "c": D(1)})) == (
        D("0.63"), D("0.63"))  # (2 × 1 + 1 × 0,5) / 4 = 0,625 → 0,63


# -- timeframes, dates and numbers read from text --------------------------------------------

def test_second_half_of_the_year_starts_on_1_july() -> None:
    tf = parse_timeframe("6 tháng cuối năm 2021")
    assert tf.deadlines == (Deadline(due=dt.date(2021, 12, 31), start=dt.date(2021, 7, 1),
                                     text="6 tháng cuối năm 2021"),)
    first = parse_timeframe("6 tháng đầu năm", year=2021).deadlines
    assert [(d.start, d.due) for d in first] == [(dt.date(2021, 1, 1), dt.date(2021, 6, 30))]


@pytest.mark.parametrize("line", [
    "Quảng Ngãi, Ngày 05 tháng 3 năm 2021",
    "Ngày 05 tháng 3 năm 2021",
    "QUẢNG NGÃI, NGÀY 05 THÁNG 3 NĂM 2021",
])
def test_date_line_with_capital_ngay_is_read(line: str) -> None:
    assert find_date(f"SỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 38/BC-SKHCN\n{line}\n") == dt.date(2021, 3, 5)


@pytest.mark.parametrize("number", ["20/13/QĐ-UBND", "20/213/QĐ-UBND", "20/21/NQ-HĐND"])
def test_two_or_three_digit_year_in_document_number_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="không đúng dạng"):
        parse_doc_number(number)


def test_four_digit_year_in_document_number_is_read() -> None:
    parsed = parse_doc_number("20/2013/QĐ-UBND")
    assert (parsed.number, parsed.year, parsed.type_code, parsed.issuer) == (
        20, 2013, "QĐ", "UBND")


# -- the check: deadlines and the year are inclusive of their last day -----------------------

def _make_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_make_fixtures",
                                                  CHECK / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(tmp_path: Path, name: str, fixture: Any) -> Path:
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    fixture.write(tmp_path / name)
    return tmp_path / name


@pytest.fixture
def document_dated_on_item_deadline(tmp_path: Path) -> Path:
    mf = _make_fixtures()
    f = mf.Fixture()
    f.doc("ke-hoach")["date"] = "2021-03-31"  # 1.1.1's deadline in framework.yaml
    mf._retext(f, "ke-hoach")
    return _write(tmp_path, "document-dated-on-item-deadline", f)


@pytest.fixture
def document_dated_on_task_deadline(tmp_path: Path) -> Path:
    mf = _make_fixtures()
    f = mf.Fixture()
    f.plan["tasks"][0]["timeframe"] = {"text": "Trước ngày 10/02/2021",
                                       "deadlines": [{"due": "2021-02-10"}]}
    return _write(tmp_path, "document-dated-on-task-deadline", f)  # ke-hoach: 10/02/2021


@pytest.fixture
def document_dated_on_last_day_of_year(tmp_path: Path) -> Path:
    mf = _make_fixtures()
    f = mf.Fixture()
    f.doc("bao-cao")["date"] = "2021-12-31"
    mf._retext(f, "bao-cao")
    return _write(tmp_path, "document-dated-on-last-day-of-year", f)


def _codes(folder: Path) -> list[str]:
    return [f.code for f in check_dossier(folder, as_of=AS_OF, cache=False).findings]


def test_document_dated_on_item_deadline_is_on_time(document_dated_on_item_deadline: Path
                                                    ) -> None:
    assert _codes(document_dated_on_item_deadline) == []


def test_document_dated_on_task_deadline_is_on_time(document_dated_on_task_deadline: Path
                                                    ) -> None:
    assert _codes(document_dated_on_task_deadline) == []


def test_document_dated_a_day_after_the_deadline_is_late(tmp_path: Path) -> None:
    mf = _make_fixtures()
    f = mf.Fixture()
    f.inputs["1.1.1"] = {"option": "khong-kip-thoi"}
    f.doc("ke-hoach")["date"] = "2021-04-01"
    mf._retext(f, "ke-hoach")
    assert _codes(_write(tmp_path, "document-dated-day-after-deadline", f)) == ["late-evidence"]


def test_document_dated_on_last_day_of_year_is_inside_the_year(
        document_dated_on_last_day_of_year: Path) -> None:
    assert _codes(document_dated_on_last_day_of_year) == []


# -- plan import --merge keeps tasks only the curated plan has -------------------------------

@pytest.fixture
def curated_plan_with_a_task_the_text_lacks(tmp_path: Path) -> Path:
    plan = load_plan(EXAMPLE / "plan.yaml")
    extra = plan.task("II.7.b-2").model_copy(update={
        "code": "II.7.z", "title": "Nhiệm vụ bổ sung do đơn vị tự thêm", "label": "z)"})
    out = tmp_path / "plan.yaml"
    out.write_text(dump_plan(plan.model_copy(update={"tasks": (*plan.tasks, extra)})),
                   encoding="utf-8")
    return out


def test_plan_import_merge_keeps_tasks_only_in_curated_plan(
        curated_plan_with_a_task_the_text_lacks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    path = curated_plan_with_a_task_the_text_lacks
    curated = load_plan(path)
    code, out, _ = run_cli(capsys, "plan", "import", str(seed_path()), "-o", str(path),
                           "--merge", "--json")
    assert code == 0
    assert json.loads(out)["merge"]["removed"] == ["II.7.z"]
    merged = load_plan(path)
    assert [t.code for t in merged.tasks] == [t.code for t in curated.tasks]
    assert merged.task("II.7.z") == curated.task("II.7.z")


# -- the index is part of every node's dict and frame row ------------------------------------

def test_index_is_in_to_dict_and_to_frame_of_every_node() -> None:
    from parindex import load_dossier

    card: Scorecard = load_dossier(EXAMPLE).score()
    data = card.to_dict()
    frame = card.to_frame().set_index("code")
    assert data["total"]["index"] == float(card.total.index or 0)
    for node, row in zip(card.nodes, data["nodes"], strict=True):
        expected = None if node.index is None else float(node.index)
        assert row["index"] == expected, node.code
        cell = frame.loc[node.code, "index"]
        assert (cell != cell) if expected is None else (cell == expected), node.code
    assert [a["index"] for a in data["areas"]] == [
        None if a.index is None else float(a.index) for a in card.areas]
    assert any(row["index"] is not None for row in data["nodes"])
