"""Reading the heading block of an administrative document from its text.

Nghị định 30/2020/NĐ-CP lays the top of a document out in two columns: on the left the
superior body and the issuing body (upper case), then ``Số: …``; on the right the national
title, the motto and the place and date line; under both, the document type in upper case
(``KẾ HOẠCH``) and the trích yếu on the next lines (a Công văn carries its trích yếu as
``V/v …`` under the number instead). A text layer gives the two columns one after the other;
OCR may give them side by side on one line. :func:`read_heading` finds each part and says on
which line it stood, so that a drafted register entry can tell where a value came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parindex.core.base import nfc
from parindex.core.lazyre import lazy
from parindex.evidence.docnumber import (
    CONG_VAN,
    DOCUMENT_TYPES,
    DocNumber,
    find_date,
    find_number,
)

__all__ = ["Heading", "HeadingLine", "head_block", "issuer_name", "read_heading", "same_issuer"]

HEAD_LINES = 40
"""Lines of the document searched for the heading block (it is at the top of page 1)."""
HEAD_CHARS = 1500
"""Most characters :func:`head_block` keeps."""

_NATIONAL = lazy(r"C[ỘO]NG\s+H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM",
                       re.IGNORECASE)
_MOTTO = lazy(r"Đ[ộo]c\s+l[ậa]p\s*[-–—]\s*T[ựu]\s+do\s*[-–—]\s*H[ạa]nh\s+ph[úu]c",
                    re.IGNORECASE)
_DATE_LINE = lazy(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
_NUMBER_LINE = lazy(r"(?<![\wÀ-ỹ])S[ốo]\s*(?:và\s+ký\s+hiệu\s*)?:", re.IGNORECASE)
_SUBJECT_CV = lazy(r"^\s*V/v\b", re.IGNORECASE)
_BODY_START = lazy(
    r"^\s*(Căn cứ|Kính gửi|Thực hiện|Theo|Qua|Nhằm|Để|Trên cơ sở|Xét|Ngày|Hôm nay|Nội dung|"
    r"[IVX]+\s*[.\-]|\d+\s*[.)]|Điều\s+\d|Phần\s|Mục\s)", re.IGNORECASE)
_STRICT_BODY = lazy(r"^\s*(Căn cứ|Kính gửi)", re.IGNORECASE)
_AGENCY_START = lazy(
    r"^(UBND|ỦY BAN|UỶ BAN|SỞ|CHI CỤC|TRUNG TÂM|BAN|PHÒNG|BỘ|TỔNG CỤC|CỤC|HỘI ĐỒNG|VĂN PHÒNG|"
    r"ĐẢNG|TỈNH ỦY|TỈNH UỶ|HUYỆN|THÀNH PHỐ|THỊ XÃ|XÃ|PHƯỜNG|BỆNH VIỆN|TRƯỜNG|VIỆN|CÔNG TY|"
    r"ĐOÀN|CÔNG ĐOÀN|HỘI|QUỸ|BAN QUẢN LÝ|THANH TRA|KHO BẠC|CHI NHÁNH|ĐÀI|BÁO|TẠP CHÍ|"
    r"NGÂN HÀNG|TÒA ÁN|VIỆN KIỂM SÁT|CÔNG AN|BỘ CHỈ HUY|ĐẠI HỌC)\b")
_TYPE_TITLES = {name.upper(): name for name in (*DOCUMENT_TYPES.values(), CONG_VAN)}


@dataclass(frozen=True)
class HeadingLine:
    """A value read from the heading and the line (1-based, in the text read) it stood on."""

    value: str
    line: int
    text: str
    """The line as read (for "where it came from")."""
    last: int = 0
    """The last line the value spans (0: the same as ``line``)."""


@dataclass(frozen=True)
class Heading:
    """What the heading block of one document says (None where it was not found)."""

    number: DocNumber | None
    number_line: HeadingLine | None
    date: dt.date | None
    date_line: HeadingLine | None
    agencies: tuple[HeadingLine, ...]
    """The agency lines of the left column, superior body first, issuing body last."""
    title: HeadingLine | None
    """The document type written as the title (``KẾ HOẠCH`` → value ``Kế hoạch``)."""
    subject: HeadingLine | None
    """The trích yếu (its lines joined), the line number being its first line's."""
    place: str | None = None
    """The place of the date line (``Quảng Ngãi``)."""


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if c.isupper()) / len(letters)


def _clean(line: str) -> str:
    """A line with the national title and motto cut out (OCR may join the two columns)."""
    line = _MOTTO.sub(" ", _NATIONAL.sub(" ", line))
    return re.sub(r"\s+", " ", line).strip(" _-–—.")


def _title_of(line: str) -> str | None:
    key = re.sub(r"\s+", " ", line).strip().upper()
    return _TYPE_TITLES.get(key)


def read_heading(text: str) -> Heading:
    """Read the heading block of ``text`` (the first page or paragraphs of a document)."""
    raw_lines = nfc(text).splitlines()[:HEAD_LINES]
    lines = [(i + 1, raw.strip()) for i, raw in enumerate(raw_lines) if raw.strip()]
    head = "\n".join(raw_lines)
    number = find_number(head)
    date = find_date(head)
    number_at = date_at = None
    for pos, (_, line) in enumerate(lines):
        if number_at is None and number is not None and _NUMBER_LINE.search(line) and \
                str(number.number) in line:
            number_at = pos
        if date_at is None and _DATE_LINE.search(line):
            date_at = pos
    number_line = date_line = None
    if number is not None and number_at is not None:
        n, line = lines[number_at]
        number_line = HeadingLine(number.raw, n, line)
    place = None
    if date is not None and date_at is not None:
        n, line = lines[date_at]
        date_line = HeadingLine(date.isoformat(), n, line)
        before = _DATE_LINE.split(_clean(line))[0].strip(" ,")
        if 1 < len(before) <= 40 and not any(ch.isdigit() for ch in before):
            place = before
    agencies = _agencies(lines, number_at, date_at)
    title, subject = _title_and_subject(lines, number_at, date_at)
    return Heading(number, number_line, date, date_line, agencies, title, subject, place)


def head_block(text: str) -> tuple[str, ...]:
    """The lines at the top of ``text`` down to the end of its heading block (the trích yếu,
    else the title, date or number line; else the first :data:`HEAD_LINES`): what
    :func:`read_heading` needs, kept as a fact of the file when its text is dropped."""
    lines = nfc(text).splitlines()[:HEAD_LINES]
    heading = read_heading(text)
    ends = [p.last or p.line for p in (heading.number_line, heading.date_line, heading.title,
                                       heading.subject) if p is not None]
    if ends:
        lines = lines[:max(ends)]
    out: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > HEAD_CHARS:
            break
        out.append(line.rstrip())
    return tuple(out)


def _agencies(lines: list[tuple[int, str]], number_at: int | None,
              date_at: int | None) -> tuple[HeadingLine, ...]:
    """Upper-case agency lines above the number (or above the national title)."""
    end = number_at
    if end is None:
        end = next((p for p, (_, line) in enumerate(lines) if _NATIONAL.search(line)), date_at)
    if end is None:
        return ()
    found: list[tuple[int, str, str]] = []
    pos = end - 1 if number_at is not None or not _clean(lines[end][1]) else end
    while pos >= 0:
        n, line = lines[pos]
        part = _clean(line)
        if number_at is not None and pos == end:
            part = _NUMBER_LINE.split(part)[0].strip()
        if not part:
            pos -= 1
            continue
        if _upper_ratio(part) < 0.9 or len(part) > 80:
            break
        found.append((n, part, line))
        pos -= 1
    found.reverse()
    merged: list[list[object]] = []
    for n, part, line in found:
        if merged and not _AGENCY_START.match(part):
            merged[-1][1] = f"{merged[-1][1]} {part}"  # a wrapped agency name
        else:
            merged.append([n, part, line])
    return tuple(HeadingLine(str(p), int(str(n)), str(t)) for n, p, t in merged)


def _title_and_subject(lines: list[tuple[int, str]], number_at: int | None,
                       date_at: int | None) -> tuple[HeadingLine | None, HeadingLine | None]:
    start = max(p for p in (number_at, date_at, -1) if p is not None) + 1
    title: HeadingLine | None = None
    subject_lines: list[tuple[int, str]] = []
    cv_subject: list[tuple[int, str]] = []
    for pos, (n, line) in enumerate(lines):
        if _SUBJECT_CV.match(line) and not cv_subject:
            cv_subject = [(n, line)]
            for m, more in lines[pos + 1:pos + 3]:
                if _upper_ratio(more) > 0.6 or _BODY_START.match(more) or \
                        _NATIONAL.search(more) or _DATE_LINE.search(more):
                    break
                cv_subject.append((m, more))
    for pos in range(start, min(len(lines), start + 6)):
        n, line = lines[pos]
        name = _title_of(_clean(line))
        if name is None:
            continue
        title = HeadingLine(name, n, line)
        for m, more in lines[pos + 1:pos + 5]:
            body = _BODY_START if subject_lines else _STRICT_BODY
            if body.match(more) or (subject_lines and _upper_ratio(more) > 0.9) or \
                    _SUBJECT_CV.match(more):
                break
            if _upper_ratio(more) > 0.9 and len(more) < 60 and not subject_lines:
                break  # an authority line (GIÁM ĐỐC SỞ …) right under the title
            subject_lines.append((m, more))
            if more.endswith((".", ";", ":")):
                break
        break
    if cv_subject and (not subject_lines or title is None or title.value == CONG_VAN):
        subject_lines = cv_subject
    subject = None
    if subject_lines:
        joined = re.sub(r"\s+", " ", " ".join(line for _, line in subject_lines)).strip()
        joined = joined.rstrip(" .;:")
        if joined:
            first_n, first = subject_lines[0]
            subject = HeadingLine(joined, first_n, first, subject_lines[-1][0])
    return title, subject


# -- issuer names ---------------------------------------------------------------------------

_ABBREVIATIONS = (("ubnd", "ủy ban nhân dân"), ("uỷ", "ủy"), ("hđnd", "hội đồng nhân dân"),
                  ("kh&cn", "khoa học và công nghệ"), ("khcn", "khoa học và công nghệ"))


def _key(name: str) -> str:
    key = " " + re.sub(r"\s+", " ", nfc(name).casefold()).strip() + " "
    for short, full in _ABBREVIATIONS:
        key = key.replace(f" {short} ", f" {full} ")
    return key.strip()


def same_issuer(a: str, b: str) -> bool:
    """Whether two ways of writing an issuing body name the same body (case, UBND …)."""
    return _key(a) == _key(b)


def _sentence(upper: str) -> str:
    """``SỞ KHOA HỌC VÀ CÔNG NGHỆ`` → ``Sở khoa học và công nghệ`` (the best a machine can
    do without a list of names; a known issuer's own spelling is preferred, see
    :func:`issuer_name`)."""
    words = upper.split()
    out = []
    for i, word in enumerate(words):
        if word in ("UBND", "HĐND") or "&" in word:
            out.append(word)
        elif i == 0:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(word.lower())
    text = " ".join(out)
    m = re.search(r"\b(tỉnh|thành phố|huyện|quận|thị xã)\s+(.+)$", text)
    if m:  # the place name after tỉnh / thành phố is a proper noun
        place = " ".join(w[:1].upper() + w[1:] for w in m.group(2).split())
        text = text[:m.start(2)] + place
    return text


def issuer_name(heading: Heading, known: tuple[str, ...] = ()) -> tuple[str | None, bool]:
    """The issuing body of a heading, and whether it matched a ``known`` issuer's spelling.

    The issuing body is the last agency line; when it does not name its province, the
    province is taken from the superior body (``UBND TỈNH QUẢNG NGÃI``) or the place of the
    date line."""
    if not heading.agencies:
        return None, False
    body = heading.agencies[-1].value
    candidates = [body]
    places = []
    for agency in heading.agencies[:-1]:
        m = re.search(r"\b(TỈNH|THÀNH PHỐ)\s+(.+)$", agency.value)
        if m:
            places.append(f"{m.group(1)} {m.group(2)}")
    if heading.place:
        places.append(f"tỉnh {heading.place}")
    if not re.search(r"\b(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ)\b", body):
        candidates.extend(f"{body} {p}" for p in places)
    for candidate in candidates:
        for name in known:
            if same_issuer(candidate, name):
                return name, True
    best = candidates[1] if len(candidates) > 1 else candidates[0]
    return _sentence(best.upper()), False
