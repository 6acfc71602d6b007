"""The calendar: due and overdue per unit, reporting schedule included."""

from __future__ import annotations

import datetime as dt

import pytest

from parindex.core.errors import InputError
from parindex.plan.model import load_plan
from parindex.plan.schedule import build_calendar

from .conftest import EXAMPLE

PLAN = load_plan(EXAMPLE / "plan.yaml")


def test_as_of_mid_year_nothing_completed_later_counts_as_done() -> None:
    cal = build_calendar(PLAN, dt.date(2021, 6, 10))
    reports = {e.code: e.state for e in cal.entries if e.kind == "report"}
    assert reports == {"quy-3": "upcoming", "nam": "upcoming"}  # quy-1, 6-thang already sent
    assert cal.counts()["overdue"] == 0


def test_year_end_shows_what_is_overdue() -> None:
    cal = build_calendar(PLAN, dt.date(2022, 1, 5))
    overdue = sorted({e.code for e in cal.entries if e.state == "overdue"})
    assert overdue == ["II.2.b", "II.4.b"]
    # the self-assessment was sent on 10/01/2022 (after as_of); its date is set by Sở Nội vụ
    assert {e.code for e in cal.entries if e.state == "undated"} == {"II.7.b-2"}


def test_unit_filter_covers_leads_groups_and_coordination() -> None:
    cal = build_calendar(PLAN, dt.date(2021, 10, 15), "chi-cuc-tdc")
    codes = {e.code for e in cal.entries}
    assert {"II.6.2.b", "II.6.3.b", "II.5.a"} <= codes
    assert "II.1.c" not in codes  # Thanh tra Sở with Văn phòng Sở: not the Chi cục's
    soon = [e for e in cal.entries if e.state == "due-soon"]
    assert [(e.code, e.due) for e in soon] == [("II.6.2.b", dt.date(2021, 10, 31))]
    assert cal.unit == "Chi cục Tiêu chuẩn Đo lường Chất lượng"


def test_units_are_grouped_under_their_registry_name() -> None:
    cal = build_calendar(PLAN, dt.date(2021, 2, 1))
    names = set(cal.by_unit())
    assert "Trung tâm Ứng dụng và Dịch vụ KHCN" in names
    assert "Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ" not in names


def test_unknown_unit_is_an_input_error() -> None:
    with pytest.raises(InputError, match="không có đơn vị"):
        build_calendar(PLAN, dt.date(2021, 2, 1), "phong-khong-co")
