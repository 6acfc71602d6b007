"""Scoring text → typed rule, and back."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.framework.catalog import load_framework
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    SurveyRule,
    WeightedRule,
)
from parindex.framework.ruletext import parse_points, parse_rule, slug
from parindex.framework.rulewriting import rule_signature, rule_text


def bounds(rule: object) -> list[tuple[D, D | None, D | None, D | None, D | None, str | None]]:
    assert isinstance(rule, BandsRule)
    return [(b.points, b.above, b.from_, b.to, b.below, b.label) for b in rule.bands]


def test_options_with_comma_decimals() -> None:
    parsed = parse_rule("Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0",
                        D(1))
    assert parsed.recognised and parsed.problems == ()
    assert isinstance(parsed.rule, ChoiceRule)
    assert [(o.id, o.label, o.points) for o in parsed.rule.options] == [
        ("ban-hanh-kip-thoi", "Ban hành kịp thời", D(1)),
        ("ban-hanh-khong-kip-thoi", "Ban hành không kịp thời", D("0.5")),
        ("khong-ban-hanh", "Không ban hành", D(0)),
    ]


def test_options_one_per_line_with_bullets() -> None:
    parsed = parse_rule("- Đạt yêu cầu: 1\n- Không đạt yêu cầu: 0", D(1))
    assert isinstance(parsed.rule, ChoiceRule)
    assert [o.label for o in parsed.rule.options] == ["Đạt yêu cầu", "Không đạt yêu cầu"]


def test_options_with_negative_floor_and_dash_separators() -> None:
    parsed = parse_rule("Đảm bảo nội dung, đúng thời gian quy định: 1 – Ban hành trễ: 0 điểm – "
                        "Không ban hành: -1 điểm", D(1))
    assert isinstance(parsed.rule, ChoiceRule)
    assert [o.points for o in parsed.rule.options] == [D(1), D(0), D(-1)]


def test_ca_mau_bands_keep_each_bound_word() -> None:
    parsed = parse_rule("Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; "
                        "Dưới 70% kế hoạch: 0", D(2))
    assert parsed.recognised
    assert bounds(parsed.rule) == [
        (D(2), D(90), None, None, None, "Thực hiện trên 90% kế hoạch"),
        (D(1), None, D(70), D(90), None, "Thực hiện từ 70% - 90% kế hoạch"),
        (D(0), None, None, None, D(70), "Dưới 70% kế hoạch"),
    ]


@pytest.mark.parametrize(("label", "expected"), [
    ("Trên 90%", {"above": D(90)}),
    ("Từ 90%", {"from": D(90)}),
    ("Từ 30% trở lên", {"from": D(30)}),
    ("Đạt từ 30% kế hoạch trở lên", {"from": D(30)}),
    ("Dưới 70%", {"below": D(70)}),
    ("Từ 70% - 90%", {"from": D(70), "to": D(90)}),
    ("Từ 70% đến 90%", {"from": D(70), "to": D(90)}),
    ("Từ 80% đến dưới 100%", {"from": D(80), "below": D(100)}),
    ("20% – dưới 30%", {"from": D(20), "below": D(30)}),
    ("Trên 50% đến dưới 80%", {"above": D(50), "below": D(80)}),
    ("Trên 50% đến 80%", {"above": D(50), "to": D(80)}),
    ("Đến 50%", {"to": D(50)}),
    ("Hoàn thành 100% kế hoạch", {"from": D(100)}),
    ("Từ 99,5% trở lên", {"from": D("99.5")}),
])
def test_band_bound_words(label: str, expected: dict[str, D]) -> None:
    # complete the label with bands covering the rest of 0–100 %, so that the set validates
    rest = []
    if "from" in expected:
        rest.append(f"Dưới {expected['from']}%: 0")
    if "above" in expected:
        rest.append(f"Đến {expected['above']}%: 0")
    if "to" in expected and expected["to"] < 100:
        rest.append(f"Trên {expected['to']}%: 0")
    if "below" in expected:
        rest.append(f"Từ {expected['below']}% trở lên: 0")
    parsed = parse_rule("; ".join([f"{label}: 1", *rest]), D(1))
    assert parsed.recognised, parsed.problems
    first = bounds(parsed.rule)[0]
    assert first[1:5] == (expected.get("above"), expected.get("from"), expected.get("to"),
                          expected.get("below"))
    assert first[5] == label


def test_a_lone_band_leaves_a_gap() -> None:
    parsed = parse_rule("Trên 90%: 1", D(1))
    assert not parsed.recognised
    assert parsed.problems == ("các mức chấm không khớp nhau (values between 0 and 90 fall in "
                               "no band)",)


def test_bands_from_to_below_with_of_prefix() -> None:
    parsed = parse_rule("Tỷ lệ đơn vị trực thuộc được kiểm tra trong năm (1): Từ 30% trở lên: 1; "
                        "20% – dưới 30%: 0.5; dưới 20%: 0", D(1))
    assert isinstance(parsed.rule, BandsRule)
    assert parsed.rule.of == "Tỷ lệ đơn vị trực thuộc được kiểm tra trong năm (1)"
    assert parsed.recognised and parsed.problems == (
        "mức '20% – dưới 30%' không ghi 'từ' hay 'trên' trước 20%: hiểu là từ 20% (tính cả 20%)",)
    assert bounds(parsed.rule) == [
        (D(1), None, D(30), None, None, "Từ 30% trở lên"),
        (D("0.5"), None, D(20), None, D(30), "20% – dưới 30%"),
        (D(0), None, None, None, D(20), "dưới 20%"),
    ]


def test_count_bands_with_none_band() -> None:
    parsed = parse_rule("Từ 2 lần trở lên: 1,5; 1 lần: 0,75; Không tổ chức: 0", D("1.5"))
    assert isinstance(parsed.rule, BandsRule) and parsed.rule.measure == "count"
    assert [(b.from_, b.below) for b in parsed.rule.bands] == [
        (D(2), None), (D(1), D(2)), (None, D(1))]


def test_overlapping_bands_are_kept_as_text_with_the_reason() -> None:
    text = "Từ 70% trở lên: 2; Từ 50% đến 80%: 1; Dưới 50%: 0"
    parsed = parse_rule(text, D(2))
    assert not parsed.recognised
    assert isinstance(parsed.rule, ManualRule) and parsed.rule.text == text
    assert "overlaps" in parsed.problems[0]


def test_proportional_with_floor() -> None:
    parsed = parse_rule("Hoàn thành từ 80% - 100% kế hoạch thì điểm … tính theo công thức: "
                        "Tỷ lệ % hoàn thành × điểm; Hoàn thành dưới 80% kế hoạch: 0 điểm", D(1))
    assert isinstance(parsed.rule, ProportionalRule)
    assert (parsed.rule.from_, parsed.rule.above, parsed.rule.below_floor_points,
            parsed.rule.of) == (D(80), None, D(0), "tỷ lệ hoàn thành")


def test_proportional_multiplier_and_not_applicable() -> None:
    parsed = parse_rule("Điểm = tỷ lệ % hồ sơ trễ hạn có văn bản xin lỗi × 0,5; không có hồ sơ "
                        "trễ hạn: không áp dụng", D("0.5"))
    assert isinstance(parsed.rule, ProportionalRule)
    assert parsed.rule.of == "tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi"
    assert parsed.not_applicable_when == "không có hồ sơ trễ hạn"


def test_proportional_multiplier_other_than_max_is_doubtful() -> None:
    parsed = parse_rule("Tỷ lệ % hoàn thành × 2", D(1))
    assert not parsed.recognised
    assert parsed.problems == ("hệ số nhân 2 khác điểm tối đa 1",)


def test_deductions_per_item() -> None:
    parsed = parse_rule("Báo cáo trễ hoặc không đảm bảo nội dung: -0,25 điểm/báo cáo; Không gửi "
                        "Báo cáo quý, 6 tháng: -0.5 điểm/báo cáo; Không gửi Báo cáo năm: -1 điểm",
                        D(1))
    assert isinstance(parsed.rule, DeductionRule)
    assert [(p.label, p.points) for p in parsed.rule.penalties] == [
        ("Báo cáo trễ hoặc không đảm bảo nội dung", D("0.25")),
        ("Không gửi Báo cáo quý, 6 tháng", D("0.5")),
        ("Không gửi Báo cáo năm", D(1)),
    ]
    assert parsed.rule.floor == 0


def test_deduction_with_tru_word() -> None:
    parsed = parse_rule("Mỗi báo cáo trễ hạn hoặc không gửi: trừ 0,25 điểm", D(1))
    assert isinstance(parsed.rule, DeductionRule)
    assert parsed.rule.penalties[0].points == D("0.25")


@pytest.mark.parametrize("text", ["Điểm do điều tra xã hội học", "Điều tra XHH", "ĐTXHH"])
def test_survey(text: str) -> None:
    parsed = parse_rule(text, D(8))
    assert isinstance(parsed.rule, SurveyRule) and parsed.method == "survey"


@pytest.mark.parametrize(("text", "reason"), [
    ("Hội đồng đánh giá theo thực tế",
     "không nhận ra mẫu cách chấm nào (không có cặp 'nội dung: điểm')"),
    ("(b/a)*1 + (c/d)*0.5", "công thức chia cho nhiều tổng khác nhau (a, d)"),
    ("Đạt: 1; Không đạt: 0 (kèm tài liệu kiểm chứng)",
     "phần chữ sau mức cuối cùng không đọc được: 'Không đạt: 0 (kèm tài liệu kiểm chứng)'"),
    ("", "không có nội dung cách chấm"),
])
def test_unmatched_text_is_kept(text: str, reason: str) -> None:
    parsed = parse_rule(text, D(1))
    assert not parsed.recognised and parsed.kind == "manual"
    assert parsed.problems == (reason,)
    assert isinstance(parsed.rule, ManualRule) and parsed.rule.text == (text or None)


@pytest.mark.parametrize(("cell", "points"), [
    ("0,5", D("0.5")), ("0.5", D("0.5")), (0.25, D("0.25")), (2, D(2)), ("2 điểm", D(2)),
    (1.0, D(1)), ("", None), (None, None), ("1,25", D("1.25")),
])
def test_points(cell: object, points: D | None) -> None:
    assert parse_points(cell) == points


def test_points_unreadable() -> None:
    with pytest.raises(ValueError, match="'hai' is not a number of points"):
        parse_points("hai")


def test_slug() -> None:
    assert slug("Đúng hạn, đủ tài liệu kiểm chứng") == "dung-han-du-tai-lieu-kiem-chung"


def test_every_shipped_rule_reads_back_the_same() -> None:
    fw = load_framework("qn-so-2021")
    for node in fw.leaves():
        assert node.rule is not None
        back = parse_rule(rule_text(node.rule, node.max_points), node.max_points)
        assert back.recognised, node.code
        assert rule_signature(back.rule) == rule_signature(node.rule), node.code


_CUTS = st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=4, unique=True)


@settings(max_examples=60, deadline=None)
@given(cuts=_CUTS, inclusive=st.lists(st.booleans(), min_size=4, max_size=4))
def test_any_percent_band_partition_round_trips(cuts: list[int], inclusive: list[bool]) -> None:
    """Bands cut at any thresholds, each cut inclusive either side, read back exactly."""
    cuts = sorted(cuts)
    bands: list[dict[str, object]] = []
    low: tuple[int, bool] | None = None
    for i, cut in enumerate([*cuts, None]):
        band: dict[str, object] = {"points": len(cuts) - i}
        if low is not None:
            band["from" if low[1] else "above"] = low[0]
        if cut is not None:
            upper_inclusive = inclusive[i]
            band["to" if upper_inclusive else "below"] = cut
            low = (cut, not upper_inclusive)
        bands.append(band)
    rule = BandsRule.model_validate({"type": "bands", "bands": bands})
    top = D(len(cuts))
    back = parse_rule(rule_text(rule, top), top)
    assert rule_signature(back.rule) == rule_signature(rule)


def test_a_single_option_is_recognised_but_doubtful() -> None:
    parsed = parse_rule("Có ban hành: 1", D(1))
    assert isinstance(parsed.rule, ChoiceRule) and parsed.recognised
    assert parsed.problems == ("chỉ có một mức điểm: các trường hợp khác không được ghi",)


@pytest.mark.parametrize(("text", "kind", "when"), [
    ("Điểm do điều tra xã hội học; Sở không có đơn vị trực thuộc: không áp dụng", "survey",
     "Sở không có đơn vị trực thuộc"),
    ("Không có văn bản cần rà soát: không áp dụng; Đạt: 1; Không đạt: 0", "choice",
     "Không có văn bản cần rà soát"),
    ("Không phát sinh: không áp dụng", "manual", "Không phát sinh"),
])
def test_not_applicable_clause_anywhere(text: str, kind: str, when: str) -> None:
    parsed = parse_rule(text, D(1))
    assert (parsed.kind, parsed.not_applicable_when) == (kind, when)
    if kind == "manual":
        assert parsed.rule.text == text  # type: ignore[union-attr]


def test_weighted_counts() -> None:
    parsed = parse_rule("Xử lý các vấn đề phát hiện qua kiểm tra (1): … (b/a)*1 + (c/a)*0.5",
                        D(1))
    assert isinstance(parsed.rule, WeightedRule) and parsed.rule.total_label == "a"
    assert [(t.id, t.weight) for t in parsed.rule.terms] == [("b", D(1)), ("c", D("0.5"))]


def test_manual_wording_of_the_export_reads_back() -> None:
    rule = ManualRule(type="manual", step=D("0.5"))
    parsed = parse_rule(rule_text(rule, D(2)), D(2))
    assert parsed.recognised and rule_signature(parsed.rule) == rule_signature(rule)


@pytest.mark.parametrize(("label", "expected"), [
    ("≥ 90%", (None, D(90), None, None)),
    ("x > 90%", (D(90), None, None, None)),
    ("70% ≤ x < 90%", (None, D(70), None, D(90))),
    ("70% ≤ x ≤ 90%", (None, D(70), D(90), None)),
    ("70% < x < 90%", (D(70), None, None, D(90))),
    ("< 70%", (None, None, None, D(70))),
])
def test_bounds_written_with_symbols(label: str, expected: tuple[D | None, ...]) -> None:
    full = {
        "≥ 90%": "≥ 90%: 1; < 90%: 0",
        "x > 90%": "x > 90%: 1; x ≤ 90%: 0",
        "70% ≤ x < 90%": "x ≥ 90%: 2; 70% ≤ x < 90%: 1; x < 70%: 0",
        "70% ≤ x ≤ 90%": "x > 90%: 2; 70% ≤ x ≤ 90%: 1; x < 70%: 0",
        "70% < x < 90%": "x ≥ 90%: 2; 70% < x < 90%: 1; x ≤ 70%: 0",
        "< 70%": "< 70%: 0; ≥ 70%: 1",
    }[label]
    parsed = parse_rule(full, D(2) if "2" in full else D(1))
    band = next(b for b in bounds(parsed.rule) if b[5] == label)
    assert band[1:5] == expected


def test_deduction_without_colon() -> None:
    parsed = parse_rule("Mỗi văn bản ban hành trễ hạn trừ 0,25 điểm", D(1))
    assert isinstance(parsed.rule, DeductionRule)
    assert [(p.label, p.points) for p in parsed.rule.penalties] == [
        ("Mỗi văn bản ban hành trễ hạn", D("0.25"))]


@pytest.mark.parametrize(("text", "floor", "points"), [
    ("Mỗi báo cáo trễ hạn trừ 0,25 điểm (thấp nhất 0)", "0", ["0.25"]),
    ("Mỗi báo cáo trễ hạn trừ 0,25 điểm (tối thiểu 0 điểm)", "0", ["0.25"]),
    ("Mỗi công chức, viên chức bị xử lý kỷ luật: trừ 1 điểm (thấp nhất 0)", "0", ["1"]),
    ("Mỗi báo cáo trễ hạn trừ 0,25 điểm, không quá 1 điểm", "1", ["0.25"]),  # 2 − 1
    ("Mỗi lần vi phạm trừ 0,5 điểm (tối đa trừ 1,5 điểm)", "0.5", ["0.5"]),
    ("Không ban hành: -1 điểm; Điểm thấp nhất: -1", "-1", ["1"]),
])
def test_floors_and_caps_written_in_brackets_or_words(text: str, floor: str,
                                                      points: list[str]) -> None:
    from decimal import Decimal

    from parindex.framework.rules import DeductionRule

    parsed = parse_rule(text, Decimal(2))
    assert isinstance(parsed.rule, DeductionRule), parsed.problems
    assert (parsed.rule.floor, [p.points for p in parsed.rule.penalties]) == (
        Decimal(floor), [Decimal(p) for p in points])
    assert parsed.problems == ()


def test_a_deduction_stating_no_floor_gets_0_with_a_doubt_never_silently() -> None:
    from decimal import Decimal

    parsed = parse_rule("Mỗi báo cáo trễ hạn trừ 0,25 điểm", Decimal(1))
    assert parsed.recognised and parsed.rule.floor == 0  # type: ignore[union-attr]
    assert parsed.problems == ("nguồn không ghi điểm thấp nhất: tạm lấy 0, đối chiếu văn bản "
                               "gốc",)


def test_a_floor_on_a_rule_that_takes_nothing_off_is_not_read() -> None:
    parsed = parse_rule("Đạt: 1; Không đạt: 0 (thấp nhất 0)")
    assert not parsed.recognised and "không phải trừ điểm" in parsed.problems[0]


def test_the_shipped_guidance_of_5_5_2_reads_as_its_typed_rule() -> None:
    from parindex.framework.catalog import load_framework
    from parindex.framework.rulewriting import same_rule

    node = load_framework("qn-so-2021").node("5.5.2")
    parsed = parse_rule(node.item.guidance, node.max_points)  # type: ignore[union-attr]
    assert parsed.recognised and same_rule(parsed.rule, node.rule)


def test_report_deductions_by_kind_each_at_its_own_rate() -> None:
    from decimal import Decimal

    from parindex.framework.rules import DeductionRule

    text = ("Báo cáo trễ hoặc không đảm bảo nội dung: -0,25 điểm/báo cáo; Không gửi Báo cáo "
            "quý, 6 tháng: -0,5 điểm/báo cáo; Không gửi Báo cáo năm: -1 điểm; Điểm thấp nhất: 0")
    parsed = parse_rule(text, Decimal(1))
    assert isinstance(parsed.rule, DeductionRule)
    assert [(p.kind, p.points) for p in parsed.rule.penalties] == [
        ("late", Decimal("0.25")), ("missing", Decimal("0.5")), ("missing-annual", Decimal(1))]
    other = parse_rule("Mỗi văn bản trễ hạn trừ 0,25 điểm; Điểm thấp nhất: 0", Decimal(1))
    assert [p.kind for p in other.rule.penalties] == [None]  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "when", "policy"), [
    ("Ban hành: 1; Không ban hành: 0; Không phát sinh: không áp dụng", "Không phát sinh",
     None),
    ("Ban hành: 1; Không ban hành: 0; Không phát sinh: không áp dụng (tính điểm tối đa)",
     "Không phát sinh", "award-max"),
    ("Ban hành: 1; Không ban hành: 0; Không phát sinh: không áp dụng (không tính vào điểm "
     "tối đa)", "Không phát sinh", "drop"),
    ("Ban hành: 1; Không ban hành: 0; Trong năm không phát sinh: điểm tối đa",
     "Trong năm không phát sinh", "award-max"),
    ("Ban hành: 1; Không ban hành: 0; Không phát sinh nhiệm vụ: không tính vào điểm tối đa",
     "Không phát sinh nhiệm vụ", "drop"),
])
def test_not_applicable_per_item_as_the_source_words_it(text: str, when: str,
                                                        policy: str | None) -> None:
    from decimal import Decimal

    from parindex.framework.rules import ChoiceRule

    parsed = parse_rule(text, Decimal(1))
    assert isinstance(parsed.rule, ChoiceRule) and len(parsed.rule.options) == 2
    assert (parsed.not_applicable_when, parsed.not_applicable_policy) == (when, policy)
    back = parse_rule(rule_text(parsed.rule, Decimal(1), when, parsed.not_applicable_policy),
                      Decimal(1))
    assert (back.not_applicable_when, back.not_applicable_policy) == (when, policy)


def test_a_full_points_level_that_is_no_not_applicable_case_stays_an_option() -> None:
    parsed = parse_rule("Hoàn thành: 1; Không hoàn thành: 0")
    assert parsed.not_applicable_policy is None and parsed.not_applicable_when is None
