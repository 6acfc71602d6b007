"""Every rule kind, at every boundary, and its input checks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from pydantic import TypeAdapter, ValidationError

from parindex.framework.inputs import ItemInput
from parindex.framework.rules import Rule, RuleInputError

RULE: TypeAdapter[Rule] = TypeAdapter(Rule)


def rule(data: dict[str, object]) -> Rule:
    return RULE.validate_python(data)


# "Thực hiện trên 90% kế hoạch: 2; từ 70% – 90%: 1; dưới 70%: 0" (Cà Mau 1.1.4)
CA_MAU_BANDS = rule({"type": "bands", "bands": [
    {"points": 2, "above": 90}, {"points": 1, "from": 70, "to": 90}, {"points": 0, "below": 70},
]})


@pytest.mark.parametrize(("percent", "points"), [
    ("0", 0), ("69.99", 0), ("70", 1), ("80", 1), ("90", 1), ("90.01", 2), ("100", 2),
])
def test_bands_bounds_follow_the_words(percent: str, points: int) -> None:
    assert CA_MAU_BANDS.compute(ItemInput(percent=D(percent)), D(2)) == points


# "Từ 30% trở lên: 1; 20% – dưới 30%: 0,5; dưới 20%: 0" (Tiền Giang)
HALF_OPEN = rule({"type": "bands", "bands": [
    {"points": 1, "from": 30}, {"points": "0,5", "from": 20, "below": 30},
    {"points": 0, "below": 20},
]})


@pytest.mark.parametrize(("done", "total", "points"), [
    (0, 10, "0"), (19, 100, "0"), (20, 100, "0.5"), (29, 100, "0.5"), (30, 100, "1"),
    (10, 10, "1"),
])
def test_half_open_bands_on_counts(done: int, total: int, points: str) -> None:
    assert HALF_OPEN.compute(ItemInput(done=D(done), total=D(total)), D(1)) == D(points)


def test_band_count_measure() -> None:
    r = rule({"type": "bands", "measure": "count", "bands": [
        {"points": "1.5", "from": 2}, {"points": "0.75", "from": 1, "below": 2},
        {"points": 0, "below": 1}]})
    assert [r.compute(ItemInput(count=D(n)), D("1.5")) for n in (0, 1, 2, 7)] == [
        D(0), D("0.75"), D("1.5"), D("1.5")]


def test_overlapping_bands_rejected() -> None:
    with pytest.raises(ValidationError, match="overlaps"):
        rule({"type": "bands", "bands": [{"points": 2, "from": 90}, {"points": 1, "to": 90}]})


def test_gap_between_bands_rejected() -> None:
    with pytest.raises(ValidationError, match="between 70 and 80 fall in no band"):
        rule({"type": "bands", "bands": [{"points": 2, "from": 80}, {"points": 0, "below": 70}]})


def test_bands_not_reaching_100_rejected() -> None:
    with pytest.raises(ValidationError, match="above 90 fall in no band"):
        rule({"type": "bands", "bands": [{"points": 1, "from": 50, "below": 90},
                                         {"points": 0, "below": 50}]})


def test_band_with_both_lower_words_rejected() -> None:
    with pytest.raises(ValidationError, match=r"'above'.*or 'from'"):
        rule({"type": "bands", "bands": [{"points": 1, "above": 1, "from": 2}]})


def test_done_above_total_is_an_input_error() -> None:
    with pytest.raises(RuleInputError,
                       match="done 23/total 20: số đã thực hiện không thể lớn hơn tổng số"):
        CA_MAU_BANDS.compute(ItemInput(done=D(23), total=D(20)), D(2))


def test_percent_above_100_is_an_input_error() -> None:
    with pytest.raises(RuleInputError, match="nằm ngoài khoảng 0–100"):
        CA_MAU_BANDS.compute(ItemInput(percent=D(101)), D(2))


def test_zero_total_asks_for_not_applicable() -> None:
    with pytest.raises(RuleInputError, match="không áp dụng"):
        CA_MAU_BANDS.compute(ItemInput(done=D(0), total=D(0)), D(2))


CHOICE = rule({"type": "choice", "options": [
    {"id": "kip-thoi", "label": "Ban hành kịp thời", "points": 1},
    {"id": "khong-kip-thoi", "label": "Ban hành không kịp thời", "points": 0.5},
    {"id": "khong-ban-hanh", "label": "Không ban hành", "points": 0}]})


@pytest.mark.parametrize(("option", "points"), [
    ("kip-thoi", D(1)), ("khong-kip-thoi", D("0.5")), ("khong-ban-hanh", D(0))])
def test_choice(option: str, points: D) -> None:
    assert CHOICE.compute(ItemInput(option=option), D(1)) == points


def test_unknown_option_lists_the_allowed_ones() -> None:
    with pytest.raises(RuleInputError) as exc:
        CHOICE.compute(ItemInput(option="dung-han"), D(1))
    assert str(exc.value) == (
        "không có phương án 'dung-han'; các phương án: kip-thoi (Ban hành kịp thời: 1), "
        "khong-kip-thoi (Ban hành không kịp thời: 0,5), khong-ban-hanh (Không ban hành: 0)")


def test_field_of_another_rule_kind_is_reported() -> None:
    with pytest.raises(RuleInputError, match="trường 'percent' không dùng cho cách chấm này"):
        CHOICE.compute(ItemInput(option="kip-thoi", percent=D(5)), D(1))


def test_choice_with_negative_option_reaches_below_zero() -> None:
    # "Đảm bảo nội dung, đúng thời gian: 1 – Ban hành trễ: 0 – Không ban hành: -1"
    r = rule({"type": "choice", "options": [
        {"id": "dung-han", "label": "Đúng thời gian", "points": 1},
        {"id": "tre", "label": "Ban hành trễ", "points": 0},
        {"id": "khong", "label": "Không ban hành", "points": -1}]})
    assert r.attainable(D(1)) == (D(-1), D(1))
    assert r.compute(ItemInput(option="khong"), D(1)) == D(-1)


@pytest.mark.parametrize(("pct", "points"), [("79.99", "0"), ("80", "0.8"), ("95", "0.95"),
                                             ("100", "1")])
def test_proportional_with_inclusive_floor(pct: str, points: str) -> None:
    # "Hoàn thành từ 80% - 100%: tỷ lệ % hoàn thành × điểm; dưới 80%: 0"
    r = rule({"type": "proportional", "from": 80})
    assert r.compute(ItemInput(percent=D(pct)), D(1)) == D(points)


def test_proportional_with_exclusive_floor() -> None:
    r = rule({"type": "proportional", "above": 50})
    assert r.compute(ItemInput(percent=D(50)), D(2)) == 0
    assert r.compute(ItemInput(done=D(3), total=D(4)), D(2)) == D("1.5")


def test_weighted_counts() -> None:
    # "(b/a)*1 + (c/a)*0.5"
    r = rule({"type": "weighted", "terms": [
        {"id": "b", "label": "đã xử lý xong", "weight": 1},
        {"id": "c", "label": "đang xử lý", "weight": 0.5}]})
    assert r.compute(ItemInput(total=D(4), counts={"b": D(2), "c": D(2)}), D(1)) == D("0.75")
    assert r.compute(ItemInput(total=D(4), counts={"b": D(4)}), D(1)) == D(1)
    with pytest.raises(RuleInputError, match="lớn hơn total 4"):
        r.compute(ItemInput(total=D(4), counts={"b": D(3), "c": D(2)}), D(1))
    with pytest.raises(RuleInputError, match="không có số đếm 'd'"):
        r.compute(ItemInput(total=D(4), counts={"d": D(1)}), D(1))


def test_deduction_floors_at_zero_by_default() -> None:
    r = rule({"type": "deduction", "penalties": [
        {"id": "tre-han", "label": "Báo cáo trễ", "points": 0.25},
        {"id": "khong-gui-nam", "label": "Không gửi báo cáo năm", "points": 1}]})
    assert r.compute(ItemInput(), D(1)) == D(1)
    assert r.compute(ItemInput(occurrences={"tre-han": 1}), D(1)) == D("0.75")
    assert r.compute(ItemInput(occurrences={"tre-han": 2, "khong-gui-nam": 1}), D(1)) == 0


def test_deduction_with_negative_floor() -> None:
    r = rule({"type": "deduction", "floor": -1,
              "penalties": [{"id": "x", "label": "Không ban hành", "points": 1}]})
    assert r.compute(ItemInput(occurrences={"x": 5}), D("0.5")) == D(-1)


def test_survey_from_points_or_answers() -> None:
    r = rule({"type": "survey"})
    assert not r.self_scored
    assert r.compute(ItemInput(points=D("6.5")), D(8)) == D("6.5")
    # A 50 %, B 30 %, C 20 % → (0.5 + 0.18 + 0.04) × 8 = 5.76
    assert r.compute(ItemInput(answers={"A": D(50), "B": D(30), "C": D(20)}), D(8)) == D("5.76")
    with pytest.raises(RuleInputError, match="nằm ngoài 0–8"):
        r.compute(ItemInput(points=D(9)), D(8))


def test_manual_needs_explanation_and_step() -> None:
    r = rule({"type": "manual", "step": 0.25})
    assert r.compute(ItemInput(points=D("0.75"), explanation="Đã làm 3/4"), D(1)) == D("0.75")
    with pytest.raises(RuleInputError) as exc:
        r.compute(ItemInput(points=D("0.3")), D(1))
    assert exc.value.messages == ("điểm 0,3 không phải bội số của 0,25",
                                  "chấm theo thực tế cần có giải trình ('explanation')")


def test_unknown_rule_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        rule({"type": "lottery"})


def test_option_ids_must_be_unique() -> None:
    with pytest.raises(ValidationError, match="option ids repeated: a"):
        rule({"type": "choice", "options": [{"id": "a", "label": "x", "points": 1},
                                            {"id": "a", "label": "y", "points": 0}]})
