"""Số ký hiệu: parsing every shape, and finding the number and date line in a text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.evidence.docnumber import (
    DOCUMENT_TYPES,
    DocNumber,
    canonical,
    find_date,
    find_number,
    parse_doc_number,
    type_code_of,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("15/KH-SKHCN", DocNumber("15/KH-SKHCN", 15, "KH", "SKHCN")),
    ("908/QĐ-UBND", DocNumber("908/QĐ-UBND", 908, "QĐ", "UBND")),
    ("123/SKHCN-VP", DocNumber("123/SKHCN-VP", 123, None, "SKHCN", "VP")),
    ("31-CT/TU", DocNumber("31-CT/TU", 31, "CT", "TU")),
    ("20/2013/QĐ-UBND", DocNumber("20/2013/QĐ-UBND", 20, "QĐ", "UBND", year=2013)),
    ("107/2020/NĐ-CP", DocNumber("107/2020/NĐ-CP", 107, "NĐ", "CP", year=2020)),
    ("12/TTr-SKHCN", DocNumber("12/TTr-SKHCN", 12, "TTr", "SKHCN")),
    ("60/QĐ-CCTĐC", DocNumber("60/QĐ-CCTĐC", 60, "QĐ", "CCTĐC")),
    ("15 / KH - SKHCN", DocNumber("15 / KH - SKHCN", 15, "KH", "SKHCN")),
    ("383/BNV-CCHC", DocNumber("383/BNV-CCHC", 383, None, "BNV", "CCHC")),
])
def test_parses_every_shape(raw: str, expected: DocNumber) -> None:
    assert parse_doc_number(raw) == expected


def test_type_names() -> None:
    assert parse_doc_number("15/KH-SKHCN").type_name == "Kế hoạch"
    assert parse_doc_number("123/SKHCN-VP").type_name == "Công văn"
    assert parse_doc_number("15/kh-skhcn").type_code == "KH"
    assert type_code_of("Quyết định") == "QĐ"
    assert type_code_of(" báo cáo ") == "BC"
    assert type_code_of("Công văn") is None


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", "số ký hiệu 'abc' không đúng dạng số/mã loại-mã cơ quan (ví dụ 15/KH-SKHCN, "
            "123/SKHCN-VP)"),
    ("15/KH", "số ký hiệu '15/KH' thiếu mã cơ quan ban hành sau mã loại KH"),
    ("KH-15", "số ký hiệu 'KH-15' không đúng dạng số/mã loại-mã cơ quan (ví dụ 15/KH-SKHCN, "
              "123/SKHCN-VP)"),
])
def test_rejects_malformed_numbers(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_doc_number(raw)
    assert str(exc.value) == message


def test_canonical_ignores_spacing_case_and_eth() -> None:
    assert canonical("15 /kh-skhcn") == canonical("15/KH-SKHCN")
    assert canonical("908/QÐ-UBND") == canonical("908/QĐ-UBND")  # Ð (eth) typed for Đ
    assert canonical("51/KH-SKHCN") != canonical("15/KH-SKHCN")


HEADER = """UBND TỈNH QUẢNG NGÃI   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ KHOA HỌC VÀ CÔNG NGHỆ   Độc lập - Tự do - Hạnh phúc
Số: 15 /KH-SKHCN   Quảng Ngãi, ngày 15 tháng 3 năm 2021
KẾ HOẠCH
Thực hiện Quyết định số 908/QĐ-UBND ngày 29/10/2018 của UBND tỉnh"""


def test_finds_number_and_date_line_in_a_header() -> None:
    assert find_number(HEADER) == parse_doc_number("15/KH-SKHCN")
    assert find_date(HEADER) == dt.date(2021, 3, 15)


def test_numbers_and_dates_cited_in_the_body_are_not_the_document_s() -> None:
    body = "Thực hiện Quyết định số 908/QĐ-UBND ngày 29/10/2018; Nghị định 107/2020/NĐ-CP."
    assert find_number(body) is None
    assert find_date(body) is None


@pytest.mark.parametrize(("text", "day"), [
    ("Quảng Ngãi, ngày 05 tháng 01 năm 2022", dt.date(2022, 1, 5)),
    ("Quảng Ngãi, 15/3/2021", dt.date(2021, 3, 15)),
    ("x\n 15/03/2021 \ny", dt.date(2021, 3, 15)),
    ("Quảng Ngãi, ngày 31 tháng 2 năm 2021\n", None),  # not a day: no date rather than a crash
])
def test_date_line_forms(text: str, day: dt.date | None) -> None:
    assert find_date(text) == day


def test_number_forms_in_text() -> None:
    assert find_number("Số: 123/SKHCN-VP\nV/v báo cáo") == parse_doc_number("123/SKHCN-VP")
    assert find_number("Số 31-CT/TU") == parse_doc_number("31-CT/TU")
    assert find_number("Số:   /KH-SKHCN (chưa vào số)") is None


codes = st.sampled_from(sorted(DOCUMENT_TYPES))
issuers = st.text(alphabet="ABCDEFGHKLMNPQRSTUVXYĐ", min_size=2, max_size=6)


@given(st.integers(1, 99999), codes, issuers)
def test_written_numbers_parse_back(number: int, code: str, issuer: str) -> None:
    parsed = parse_doc_number(f"{number}/{code}-{issuer}")
    assert (parsed.number, parsed.type_code, parsed.issuer) == (number, code, issuer)
    assert find_number(f"SỞ X\nSố: {parsed.raw}\nCỘNG HÒA") == parsed
