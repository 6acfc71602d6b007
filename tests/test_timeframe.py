"""Timeframes: every form of the seed, original text kept, unreadable text flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.plan.timeframe import parse_timeframe

D = dt.date


@pytest.mark.parametrize(("text", "due", "start"), [
    ("Quý I/2021", D(2021, 3, 31), None),
    ("Quý IV/2021", D(2021, 12, 31), None),
    ("Quý I - III/2021", D(2021, 9, 30), D(2021, 1, 1)),
    ("Tháng 12/2020", D(2020, 12, 31), None),
    ("Báo cáo UBND tỉnh trước ngày 05/12/2021.", D(2021, 12, 5), None),
    ("6 tháng đầu năm 2021", D(2021, 6, 30), D(2021, 1, 1)),
    ("Quảng Ngãi, ngày 25 tháng 12 năm 2020", D(2020, 12, 25), None),
])
def test_dated_forms(text: str, due: dt.date, start: dt.date | None) -> None:
    tf = parse_timeframe(text, 2021)
    assert tf.text == text and tf.due == due and tf.unparsed == ()
    assert tf.deadlines[0].start == start


def test_deadline_plus_recurring_period() -> None:
    tf = parse_timeframe("Quý IV năm 2020 ban hành kế hoạch và triển khai thực hiện thường "
                         "xuyên trong năm 2021.", 2021)
    assert [d.due for d in tf.deadlines] == [D(2020, 12, 31)]
    assert (tf.ongoing.start, tf.ongoing.end) == (D(2021, 1, 1), D(2021, 12, 31))  # type: ignore[union-attr]
    assert tf.due == D(2021, 12, 31)


def test_all_year_uses_the_plan_year() -> None:
    tf = parse_timeframe("Thường xuyên trong năm.", 2021)
    assert tf.ongoing is not None and tf.ongoing.end == D(2021, 12, 31) and not tf.deadlines


@pytest.mark.parametrize("text", ["Theo kế hoạch của Sở Nội vụ",
                                  "Theo hướng dẫn của cấp trên và hoàn thành theo đúng thời "
                                  "gian quy định."])
def test_external_schedules_have_no_date(text: str) -> None:
    tf = parse_timeframe(text, 2021)
    assert tf.undated and tf.due is None and tf.external and tf.unparsed == ()


def test_milestone_then_periodic_reports() -> None:
    tf = parse_timeframe("Quý I/2021 ban hành kế hoạch; định kỳ báo cáo kết quả thực hiện.", 2021)
    assert [d.text for d in tf.deadlines] == ["Quý I/2021 ban hành kế hoạch"]
    assert tf.periodic and tf.due == D(2021, 12, 31)


def test_unreadable_clause_is_kept_and_flagged() -> None:
    tf = parse_timeframe("Quý II/2021; sau khi có ý kiến của lãnh đạo", 2021)
    assert tf.unparsed == ("sau khi có ý kiến của lãnh đạo",)
    assert tf.due == D(2021, 6, 30)


@given(st.text(max_size=80))
def test_any_text_is_kept_never_raises(text: str) -> None:
    tf = parse_timeframe(text, 2021)
    assert tf.text == " ".join(text.split()) or tf.text == tf.text.strip()
