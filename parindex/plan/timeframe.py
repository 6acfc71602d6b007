"""Timeframes of plan tasks: the text as written, and what can be read from it.

Forms seen in plans: "Quý I/2021" (by 31/3/2021), "Quý I - III/2021" (from 1/1 to 30/9),
"Tháng 12/2020", "Trước ngày 05/12/2021", "6 tháng đầu năm 2021", "Thường xuyên trong năm"
(the whole year), "định kỳ …" (periodic reports), "Theo kế hoạch của Sở Nội vụ" / "Theo
hướng dẫn của cấp trên" (set by someone else: no date). A text may combine several, separated
by ";" or ".": "Quý IV năm 2020 ban hành kế hoạch và triển khai thực hiện thường xuyên trong
năm 2021" is a deadline plus a recurring period. Clauses nothing can be read from are kept in
``unparsed`` (the lint flags them); the original text is never dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from pydantic import model_validator

from parindex.core.base import Strict, nfc
from parindex.core.lazyre import lazy

__all__ = ["Deadline", "Period", "Timeframe", "parse_timeframe", "quarter_end"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class Period(Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Deadline(Strict):
    """A dated milestone: ``due`` (the last day), optionally a ``start``; ``text`` = clause."""

    due: dt.date
    start: dt.date | None = None
    text: str = ""


class Timeframe(Strict):
    text: str
    """As written in the plan (never changed by parsing)."""
    deadlines: tuple[Deadline, ...] = ()
    ongoing: Period | None = None
    """"Thường xuyên": carried out all along this period."""
    periodic: bool = False
    """"Định kỳ", "sau mỗi lần …": recurring reports without their own dates here (the
    parser then sets ``ongoing`` to the plan year)."""
    external: tuple[str, ...] = ()
    """Clauses that defer to another schedule ("Theo kế hoạch của Sở Nội vụ")."""
    unparsed: tuple[str, ...] = ()
    """Clauses nothing could be read from."""

    @property
    def due(self) -> dt.date | None:
        """The date by which the whole task is due: the last deadline or end of the period."""
        days = [d.due for d in self.deadlines] + ([self.ongoing.end] if self.ongoing else [])
        return max(days) if days else None

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every date read from the text (for checks against the plan year)."""
        out: list[dt.date] = []
        for d in self.deadlines:
            out += [d.due] + ([d.start] if d.start else [])
        if self.ongoing:
            out += [self.ongoing.start, self.ongoing.end]
        return tuple(out)

    @property
    def undated(self) -> bool:
        return not self.deadlines and self.ongoing is None


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_Q = r"qu[ýy]\s+(iv|i{1,3})"
_YEAR_SEP = r"\s*(?:/|,?\s*năm\s+)\s*"
_QRANGE = lazy(_Q + r"\s*(?:-|–|—|đến)\s*(?:qu[ýy]\s+)?(iv|i{1,3})" + _YEAR_SEP + r"(\d{4})")
_QUARTER = lazy(_Q + _YEAR_SEP + r"(\d{4})")
_QUARTER_NOYEAR = lazy(_Q + r"(?![\w/])(?!\s*(?:-|–|đến))")
_MONTH = lazy(r"tháng\s+(\d{1,2})" + _YEAR_SEP + r"(\d{4})")
_DATE = lazy(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_DATE_WORDS = lazy(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_HALF = lazy(r"6\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?")
_ONGOING = lazy(r"th[ưươ][ờơ]?ng\s+xuyên|liên\s+tục|hàng\s+năm|hằng\s+năm|cả\s+năm")
_YEAR_AFTER = lazy(r"^\D{0,20}?năm\s+(\d{4})")
_PERIODIC = lazy(r"định\s+kỳ|hàng\s+(?:quý|tháng)|hằng\s+(?:quý|tháng)|sau\s+mỗi|"
                       r"báo\s+cáo\s+kết\s+quả")
_EXTERNAL = lazy(r"theo\s+(?:kế\s+hoạch|hướng\s+dẫn|quy\s+định|yêu\s+cầu|lịch|văn\s+bản|"
                       r"chỉ\s+đạo|đề\s+nghị)|thời\s+gian\s+quy\s+định|khi\s+có\s+yêu\s+cầu")
_CLAUSES = lazy(r"\s*;\s*|(?<=[^\d\s])\.\s+|(?<=\d)\.\s+(?=\D)")


def parse_timeframe(text: str, year: int | None = None) -> Timeframe:
    """Read ``text`` (a timeframe as written); ``year`` is the plan year for "trong năm"."""
    original = re.sub(r"\s+", " ", nfc(text)).strip()
    deadlines: list[Deadline] = []
    ongoing: Period | None = None
    periodic = False
    external: list[str] = []
    unparsed: list[str] = []
    for clause in _CLAUSES.split(original):
        clause = clause.strip(" .;,")
        if not clause:
            continue
        low = clause.lower()
        understood = False
        taken: list[tuple[int, int]] = []

        def free(m: re.Match[str], taken: list[tuple[int, int]] = taken) -> bool:
            s, e = m.span()
            if any(s < b and e > a for a, b in taken):
                return False
            taken.append((s, e))
            return True

        for m in _QRANGE.finditer(low):
            if free(m):
                y = int(m.group(3))
                q1, q2 = _ROMAN[m.group(1)], _ROMAN[m.group(2)]
                deadlines.append(Deadline(due=quarter_end(y, q2),
                                          start=dt.date(y, (q1 - 1) * 3 + 1, 1), text=clause))
        for m in _QUARTER.finditer(low):
            if free(m):
                deadlines.append(Deadline(due=quarter_end(int(m.group(2)), _ROMAN[m.group(1)]),
                                          text=clause))
        for pattern in (_DATE, _DATE_WORDS):
            for m in pattern.finditer(low):
                if free(m):
                    try:
                        day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    except ValueError:
                        continue
                    deadlines.append(Deadline(due=day, text=clause))
        for m in _MONTH.finditer(low):
            if free(m):
                month = int(m.group(1))
                if 1 <= month <= 12:
                    deadlines.append(Deadline(due=month_end(int(m.group(2)), month), text=clause))
        for m in _HALF.finditer(low):
            half_year = int(m.group(2)) if m.group(2) else year
            if half_year and free(m):
                first = m.group(1) == "đầu"
                deadlines.append(Deadline(due=month_end(half_year, 6 if first else 12),
                                          start=dt.date(half_year, 1 if first else 7, 1),
                                          text=clause))
        if year is not None:
            for m in _QUARTER_NOYEAR.finditer(low):
                if free(m):
                    deadlines.append(Deadline(due=quarter_end(year, _ROMAN[m.group(1)]),
                                              text=clause))
        understood = bool(taken)
        m_on = _ONGOING.search(low)
        if m_on:
            after = _YEAR_AFTER.match(low[m_on.end():])
            on_year = int(after.group(1)) if after else year
            if on_year is not None:
                ongoing = Period(start=dt.date(on_year, 1, 1), end=dt.date(on_year, 12, 31))
                understood = True
        if _PERIODIC.search(low):
            periodic = understood = True
        if _EXTERNAL.search(low):
            external.append(clause)
            understood = True
        if not understood:
            unparsed.append(clause)
    if periodic and ongoing is None and year is not None:
        ongoing = Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return Timeframe(text=original, deadlines=tuple(deadlines), ongoing=ongoing,
                     periodic=periodic, external=tuple(external), unparsed=tuple(unparsed))
