"""Số ký hiệu: the number and symbol of a Vietnamese administrative document.

Shapes handled (Nghị định 30/2020/NĐ-CP and Party practice)::

    15/KH-SKHCN        number / type code - issuer           (Kế hoạch of Sở KH&CN)
    908/QĐ-UBND        number / type code - issuer           (Quyết định of UBND tỉnh)
    20/2013/QĐ-UBND    number / year / type code - issuer    (legal documents carry the year)
    123/SKHCN-VP       number / issuer - drafting unit       (Công văn: no type code)
    31-CT/TU           number - type code / issuer           (Party documents)

Also: finding the số ký hiệu and the date line in a document's own text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from parindex.core.base import nfc
from parindex.core.lazyre import lazy

__all__ = [
    "DOCUMENT_TYPES",
    "DocNumber",
    "find_date",
    "find_number",
    "parse_doc_number",
    "type_code_of",
]

DOCUMENT_TYPES: dict[str, str] = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "KL": "Kết luận",
    "GM": "Giấy mời",
    "BB": "Biên bản",
    "GCN": "Giấy chứng nhận",
    "GXN": "Giấy xác nhận",
    "PA": "Phương án",
    "CĐ": "Công điện",
    "QT": "Quy trình",
}
"""Type codes of a số ký hiệu and the document type they stand for."""

CONG_VAN = "Công văn"
_BY_NAME: dict[str, str] = {}
for _code, _name in DOCUMENT_TYPES.items():
    _BY_NAME.setdefault(_name.casefold(), _code)
_BY_UPPER = {code.upper(): code for code in DOCUMENT_TYPES}


def type_code_of(name: str) -> str | None:
    """The type code for a document type name (``Kế hoạch`` → ``KH``); None for Công văn."""
    return _BY_NAME.get(nfc(name).strip().casefold())


def _canon_code(code: str) -> str | None:
    return _BY_UPPER.get(nfc(code).upper().replace("Ð", "Đ"))


@dataclass(frozen=True)
class DocNumber:
    """A parsed số ký hiệu."""

    raw: str
    number: int
    type_code: str | None
    """``KH``, ``QĐ`` … ; None for a Công văn (no type code)."""
    issuer: str
    """Issuer code: ``SKHCN``, ``UBND``, ``TU`` …"""
    unit: str | None = None
    """Drafting unit of a Công văn (``VP`` in ``123/SKHCN-VP``) or a second issuer part."""
    year: int | None = None
    """The year written in legal documents' numbers (``20/2013/QĐ-UBND``)."""

    @property
    def type_name(self) -> str:
        """The document type the code stands for (Công văn when there is no code)."""
        return DOCUMENT_TYPES[self.type_code] if self.type_code else CONG_VAN

    @property
    def key(self) -> str:
        """A normalised form for comparing numbers written with different spacing or case."""
        return canonical(self.raw)

    def __str__(self) -> str:
        return self.raw


_SPACES = lazy(r"\s+")


def canonical(text: str) -> str:
    """Upper-case, NFC, no spaces, Ð (eth) read as Đ: how two numbers are compared."""
    return _SPACES.sub("", nfc(text)).upper().replace("Ð", "Đ")


_PART = r"[A-Za-zĐđÐ&][A-Za-zĐđÐ0-9&.]*"
_STATE = lazy(
    rf"^(?P<num>\d+)\s*/\s*(?:(?P<year>\d{{4}})\s*/\s*)?(?P<a>{_PART})"
    rf"(?:\s*-\s*(?P<b>{_PART}(?:\s*-\s*{_PART})*))?$"
)
_PARTY = lazy(rf"^(?P<num>\d+)\s*-\s*(?P<code>{_PART})\s*/\s*(?P<issuer>{_PART}(?:\s*-\s*"
                    rf"{_PART})*)$")


@lru_cache(maxsize=8192)
def parse_doc_number(text: str) -> DocNumber:
    """Parse a số ký hiệu; raises ``ValueError`` with a Vietnamese reason when it cannot."""
    raw = nfc(text).strip()
    m = _PARTY.match(raw)
    if m and _canon_code(m["code"]):
        issuer, _, unit = re.sub(r"\s+", "", m["issuer"]).partition("-")
        return DocNumber(raw, int(m["num"]), _canon_code(m["code"]), issuer, unit or None)
    m = _STATE.match(raw)
    if not m:
        raise ValueError(f"số ký hiệu {raw!r} không đúng dạng số/mã loại-mã cơ quan "
                         "(ví dụ 15/KH-SKHCN, 123/SKHCN-VP)")
    year = int(m["year"]) if m["year"] else None
    rest = re.sub(r"\s+", "", m["b"] or "")
    code = _canon_code(m["a"])
    if code is not None:
        if not rest:
            raise ValueError(f"số ký hiệu {raw!r} thiếu mã cơ quan ban hành sau mã loại "
                             f"{code}")
        issuer, _, unit = rest.partition("-")
        return DocNumber(raw, int(m["num"]), code, issuer, unit or None, year)
    return DocNumber(raw, int(m["num"]), None, m["a"], rest or None, year)


# -- reading the document's own text ------------------------------------------------------

_NUMBER_IN_TEXT = lazy(
    r"(?<![\wÀ-ỹ])S[ốố]\s*(?:và\s+ký\s+hiệu\s*)?:?\s*"
    r"(\d+\s*[/-]\s*(?:\d{4}\s*/\s*)?[A-Za-zĐđÐ&][A-Za-zĐđÐ0-9&.\-/ ]*[A-Za-zĐđÐ0-9])",
)


def find_number(text: str, head: int = 3000) -> DocNumber | None:
    """The số ký hiệu written after ``Số:`` near the top of a document, if any."""
    for m in _NUMBER_IN_TEXT.finditer(nfc(text)[:head]):
        candidate = m.group(1)
        # the symbol ends at the first space that is not around a separator
        candidate = re.sub(r"\s*([/-])\s*", r"\1", candidate).split(" ")[0]
        try:
            return parse_doc_number(candidate)
        except ValueError:
            continue
    return None


_DATE_WORDS = lazy(
    r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE
)
_DATE_LINE = lazy(
    r"^\s*(?:[^\d\n,]{2,40},\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$",
    re.MULTILINE,
)


def _date(d: str, m: str, y: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_date(text: str, head: int = 3000) -> dt.date | None:
    """The issue date from the date line ("Quảng Ngãi, ngày 15 tháng 3 năm 2021" or a line
    holding only "15/3/2021"), searched near the top of the document."""
    top = nfc(text)[:head]
    for m in _DATE_WORDS.finditer(top):
        found = _date(*m.groups())
        if found:
            return found
    for m in _DATE_LINE.finditer(top):
        found = _date(*m.groups())
        if found:
            return found
    return None
