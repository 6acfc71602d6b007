"""How a cell an official typed is read (parindex.core.sheetvalue): numbers with either mark,
the ambiguous thousands mark refused, dates day first, codes as the cell shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from parindex.core.sheetvalue import (
    code_text,
    error_value,
    excel_serial_date,
    number_text,
    parse_date_text,
    percent_format,
    show_value,
)


def test_numbers_typed_as_text() -> None:
    assert number_text("0,5") == D("0.5")
    assert number_text(" 1,25 ") == D("1.25")
    assert number_text("0.125") == D("0.125")  # a leading 0 is never a thousands group
    assert number_text("1.234.567") == D(1234567)
    assert number_text("1.234,5") == D("1234.5")
    assert number_text("1,234.5") == D("1234.5")
    assert number_text("1\u00a0234") == D(1234)
    for ambiguous in ("1.234", "1,250", "999.000"):
        assert "không rõ là" in str(number_text(ambiguous))
    for text in ("80%", "NaN", "1e3", "ba", "1.2.3"):
        assert number_text(text) == f"“{text}” không phải là số"


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_a_decimal_written_with_a_comma_reads_back_the_same(d: D) -> None:
    text = format(d, "f").replace(".", ",")
    assert number_text(text) == d


def test_dates_typed_as_text_are_day_first_and_must_exist() -> None:
    assert parse_date_text("15/03/2021") == dt.date(2021, 3, 15)
    assert parse_date_text("15-3-2021") == dt.date(2021, 3, 15)
    assert parse_date_text("2021-03-15") == dt.date(2021, 3, 15)
    assert parse_date_text("31/02/2021") == ("ngày “31/02/2021” không có thật (ngày/tháng/năm, "
                                             "ví dụ 15/03/2021)")
    assert parse_date_text("15/03/21") == "ngày “15/03/21”: ghi năm đủ bốn chữ số (ví dụ " \
                                          "15/03/2021)"
    assert parse_date_text("Quý II") is None
    assert excel_serial_date(44270) == dt.date(2021, 3, 15)
    assert excel_serial_date(15) is None and excel_serial_date(True) is None


def test_codes_as_the_cell_shows_them() -> None:
    assert code_text(1.1) == "1.1"
    assert code_text(1.1, "0.00") == "1.10"  # 1.10 typed as a number, formatted to show it
    assert code_text(2.0) == "2" and code_text(" 1.1.2 ") == "1.1.2"


def test_error_values_formats_and_what_a_message_shows() -> None:
    assert error_value(" #ref! ") == "#REF!" and error_value("REF") is None
    assert percent_format("0%") and percent_format("0.00%") and not percent_format('0"%"')
    assert [show_value(v) for v in (True, dt.datetime(2021, 3, 15), 1.5)] == [
        "TRUE", "15/03/2021", "1,5"]


def test_cell_date_is_one_reader_for_every_date_cell() -> None:
    """The register sheet's import and the workbook's read-back read dates with the same
    function (they were two copies that said the same thing two ways)."""
    from parindex.core.sheetvalue import cell_date

    assert cell_date(dt.datetime(2021, 3, 15, 8, 30)) == dt.date(2021, 3, 15)
    assert cell_date(dt.date(2021, 3, 15)) == dt.date(2021, 3, 15)
    assert cell_date(44270) == dt.date(2021, 3, 15)
    assert cell_date(" 15/3/2021 ") == dt.date(2021, 3, 15)
    assert cell_date(None) is None and cell_date("  ") is None
    assert cell_date("31/02/2021") == ("ngày “31/02/2021” không có thật (ngày/tháng/năm, ví dụ "
                                       "15/03/2021)")
    hint = " không phải là ngày (ghi ngày/tháng/năm, ví dụ 15/03/2021)"
    assert cell_date("quý I") == "“quý I”" + hint
    assert cell_date(12) == "“12”" + hint
    assert cell_date(True) == "“TRUE”" + hint
