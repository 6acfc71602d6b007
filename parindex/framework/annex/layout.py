"""Find the criteria table and its columns by their Vietnamese headers.

"STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa" / "Điểm chuẩn" / "chuẩn Điểm",
"Cách chấm" / "Hướng dẫn chấm điểm" / "Phương pháp đánh giá" …, also when the header spans two
rows (a sub-header under a merged "Điểm" cell). In Word, a table cut by page breaks is read on
from the header-less tables that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from parindex.core.base import nfc
from parindex.framework.annex.table import SourceRow, SourceTable

__all__ = ["Layout", "Role", "choose_tables", "find_layout", "header_role", "is_column_numbers",
           "norm"]

Role = Literal["code", "name", "points", "rule", "source", "note", "evidence"]


def norm(text: str) -> str:
    """Lower case, one space between words, no space around slashes."""
    text = nfc(text).lower().replace("\n", " ")
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


_RULE_HEADERS = ("cách chấm", "hướng dẫn chấm", "phương pháp đánh giá", "phương pháp chấm",
                 "cách tính điểm", "cách đánh giá", "hướng dẫn đánh giá", "cách thức chấm")
_CODE_HEADERS = ("stt", "tt", "số tt", "số thứ tự", "mã", "mã số", "mã tiêu chí", "ký hiệu")


def header_role(text: str) -> Role | None:
    """The role of a column from its header text, or None for columns the import ignores."""
    h = norm(text)
    if not h:
        return None
    if any(k in h for k in _RULE_HEADERS):
        return "rule"
    words = set(re.findall(r"\w+", h))
    if (("điểm" in words and ("tối đa" in h or "chuẩn" in words or "thang" in words))
            or h in ("điểm", "số điểm")):
        return "points"
    if h.rstrip(".") in _CODE_HEADERS:
        return "code"
    if "điểm" not in words and any(k in h for k in ("tiêu chí", "lĩnh vực", "nội dung")):
        return "name"
    if h.startswith("nguồn"):
        return "source"
    if h.startswith("ghi chú"):
        return "note"
    if "tài liệu kiểm chứng" in h:
        return "evidence"
    return None


@dataclass
class Layout:
    """Where a table's header is, which column holds what, and where its data rows start."""

    header_rows: tuple[int, ...]
    columns: dict[Role, int]
    headers: dict[Role, str]
    first_data: int


def find_layout(rows: list[SourceRow]) -> Layout | None:
    for i, row in enumerate(rows[:40]):
        texts = [c.text for c in row.cells]
        alone = _roles(texts)
        if "name" not in alone[0] or "points" not in alone[0]:
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and _is_subheader(nxt):
            combined = [f"{a} {b.text}" if b.text and b.merged != "above" else a
                        for a, b in zip(texts, nxt.cells, strict=False)]
            combined += [c.text for c in nxt.cells[len(texts):]]
            columns, headers = _roles(combined)
            if "name" in columns and "points" in columns:
                return Layout((row.number, nxt.number), columns, headers, i + 2)
        return Layout((row.number,), *alone, i + 1)
    return None


def _roles(texts: list[str]) -> tuple[dict[Role, int], dict[Role, str]]:
    columns: dict[Role, int] = {}
    headers: dict[Role, str] = {}
    for col, text in enumerate(texts):
        role = header_role(text)
        if role and role not in columns:
            columns[role] = col
            headers[role] = re.sub(r"\s+", " ", text).strip()
    return columns, headers


def _is_subheader(row: SourceRow) -> bool:
    texts = [c.text for c in row.cells if c.text and c.merged != "above"]
    if not texts:
        return False
    return all(not re.search(r"\d", t) for t in texts) and any(
        re.search(r"điểm|đánh giá|điều tra|thẩm định|tự chấm|xhh", t, re.I) for t in texts)


def is_column_numbers(row: SourceRow) -> bool:
    """A row numbering the columns: "(1) (2) (3) (4)" or "1 2 3 4"."""
    texts = [c.text for c in row.cells if c.text and not c.merged]
    if len(texts) < 3 or not all(re.fullmatch(r"\(?\d+\)?", t) for t in texts):
        return False
    numbers = [int(t.strip("()")) for t in texts]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def choose_tables(tables: list[SourceTable]) -> list[tuple[SourceTable, Layout]]:
    """The criteria table: the first visible sheet with a header (Excel; a hidden one only when
    no visible sheet has one), or in Word every table with
    the same header plus the header-less tables that follow one (a table cut by page breaks)."""
    chosen: list[tuple[SourceTable, Layout]] = []
    previous: tuple[SourceTable, Layout] | None = None
    tables = sorted(tables, key=lambda t: t.hidden)  # a visible sheet first (stable)
    for table in tables:
        layout = find_layout(table.rows)
        if layout is not None and (not chosen or set(layout.columns) == set(chosen[0][1].columns)):
            chosen.append((table, layout))
            previous = (table, layout)
            if table.sheet is not None:
                break
        elif layout is None and previous is not None and table.sheet is None and table.rows and \
                len(table.rows[0].cells) == len(previous[0].rows[0].cells):
            cont = Layout((), previous[1].columns, previous[1].headers, 0)
            chosen.append((table, cont))
        else:
            previous = None
    return chosen
