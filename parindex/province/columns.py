"""Which column of a score sheet holds what: the Vietnamese headers of the province's form.

A department's score sheet is found by its headers, never by fixed column letters: the
workbook parindex writes (the submission and the working copy), and equally a sheet a
department filled by hand in another column order, with merged heading cells. Two heading
rows are read together: a merged heading ("Điểm thẩm định") over sub-headings ("Lần 1",
"Lần 2") names each column below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Columns", "classify_header", "norm"]

_SPACE = re.compile(r"\s+")
_ROUND = re.compile(r"(?:lần|vòng|đợt)\s*(\d+)")
_ROUND_WORDS = {"lần đầu": 1, "lần cuối": 0, "sau giải trình": 2, "chính thức": 0}


def norm(value: Any) -> str:
    """Header text compared: NFC, lower case, single spaces, no brackets or colons."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = text.replace("(", " ").replace(")", " ").replace(":", " ")
    return _SPACE.sub(" ", text).strip()


def _round_of(text: str) -> int | None:
    m = _ROUND.search(text)
    if m:
        return int(m.group(1))
    for words, n in _ROUND_WORDS.items():
        if words in text:
            return n or 99
    return None


def classify_header(top: str, sub: str) -> tuple[str, int] | None:
    """``(role, round)`` of a column from its heading and sub-heading (normalized), or None.

    Roles: ``code``, ``name``, ``max``, ``self``, ``appraised``, ``review`` (the reviewer's
    notes), ``response`` (giải trình bổ sung), ``evidence``, ``explanation``, ``note``,
    ``status``. ``round`` is 1 unless the heading says "lần 2", "vòng 2" …
    """
    both = f"{top} {sub}".strip()
    rnd = _round_of(sub) or _round_of(top) or 1
    if "giải trình bổ sung" in both or "ý kiến giải trình" in both or "đơn vị giải trình" in both:
        return "response", 1
    if "thẩm định" in both and ("ý kiến" in both or "nhận xét" in both):
        return "review", rnd
    if "điểm thẩm định" in both or (top == "thẩm định" and sub) or both == "thẩm định":
        return "appraised", rnd
    for text in (sub, top) if sub else (top,):
        role = _simple(text)
        if role is not None:
            return role, 1
    return None


def _simple(text: str) -> str | None:
    if text in {"stt", "tt", "số thứ tự", "mã", "mã số"}:
        return "code"
    if text in {"điểm tối đa", "điểm chuẩn", "thang điểm", "điểm tối đa được chấm"}:
        return "max"
    if text in {"điểm tự đánh giá", "điểm tự chấm", "tự đánh giá", "tự chấm",
                "điểm đơn vị tự chấm", "điểm tự đánh giá của đơn vị"}:
        return "self"
    if text.startswith("tài liệu kiểm chứng"):
        return "evidence"
    if text == "tình trạng":
        return "status"
    if text == "ghi chú":
        return "note"
    if text.startswith("giải trình"):
        return "explanation"
    if text.startswith(("lĩnh vực", "tiêu chí", "nội dung", "tên tiêu chí")):
        return "name"
    return None


@dataclass
class Columns:
    """Column numbers (0-based) of each role; ``appraised`` and ``review`` per round."""

    code: int | None = None
    name: int | None = None
    max: int | None = None
    self: int | None = None
    appraised: dict[int, int] = field(default_factory=dict)
    review: dict[int, int] = field(default_factory=dict)
    response: int | None = None
    evidence: int | None = None
    explanation: int | None = None
    note: int | None = None
    status: int | None = None

    @classmethod
    def from_rows(cls, top: list[Any], below: list[Any] | None) -> Columns:
        """Columns from the heading row and the sub-heading row (None when there is none).

        A heading merged across several columns sits in its first cell only: the cells to
        its right that have a sub-heading inherit it."""
        cols = cls()
        width = max(len(top), len(below or []))
        heads = [norm(top[i]) if i < len(top) else "" for i in range(width)]
        subs = [norm(below[i]) if below and i < len(below) else "" for i in range(width)]
        carried = ""
        for i in range(width):
            if heads[i]:
                carried = heads[i]
            elif subs[i]:
                heads[i] = carried
            else:
                carried = ""
            found = classify_header(heads[i], subs[i])
            if found is None:
                continue
            role, rnd = found
            if role in ("appraised", "review"):
                target: dict[int, int] = getattr(cols, role)
                target.setdefault(rnd, i)
            elif getattr(cols, role) is None:
                setattr(cols, role, i)
        return cols

    @property
    def rounds(self) -> list[int]:
        """The appraisal rounds found, in order."""
        return sorted(self.appraised)
