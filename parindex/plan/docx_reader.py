"""Read a plan's ``.docx``: its paragraphs, and task tables (STT | Nhiệm vụ | Đơn vị chủ trì |
Đơn vị phối hợp | Sản phẩm | Thời gian) as the lines the prose reader understands.

python-docx is imported only when a ``.docx`` is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from parindex.core.errors import InputError, Problem
from parindex.core.files import check_package
from parindex.plan.lines import roman_ok

__all__ = ["docx_lines"]

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", r"^(stt|tt|số\s*tt)$"), ("timeframe", r"thời\s+gian|thời\s+hạn|tiến\s+độ"),
    ("coordinating", r"phối\s+hợp"), ("lead", r"chủ\s+trì|thực\s+hiện"),
    ("products", r"sản\s+phẩm|kết\s+quả"), ("notes", r"ghi\s+chú"),
    ("title", r"nhiệm\s+vụ|nội\s+dung|công\s+việc"),
)
_LABELS = {"lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp", "products": "Sản phẩm",
           "timeframe": "Thời gian thực hiện", "notes": "Ghi chú"}


def _cell_text(cell: Any, sep: str) -> str:
    parts = [re.sub(r"\s+", " ", p.text).strip() for p in cell.paragraphs]
    return sep.join(p for p in parts if p)


def _table_lines(table: Any, line0: int, parts: set[int]) -> list[tuple[int, str]]:
    """A task table as the lines the prose reader understands; roman rows go into ``parts``."""
    rows = list(table.rows)
    if not rows:
        return []
    columns: dict[str, int] = {}
    for i, cell in enumerate(rows[0].cells):
        name = re.sub(r"\s+", " ", cell.text).strip().lower()
        for key, pattern in _COLUMNS:
            if key not in columns and re.search(pattern, name):
                columns[key] = i
                break
    if "title" not in columns:
        return [(line0, re.sub(r"\s+", " ", c.text).strip()) for r in rows for c in r.cells
                if c.text.strip()]
    out: list[tuple[int, str]] = []
    for r, row in enumerate(rows[1:], start=1):
        cells = row.cells
        texts = {k: _cell_text(cells[i], "; " if k in {"lead", "coordinating", "products",
                                                         "timeframe"} else " ")
                 for k, i in columns.items() if i < len(cells)}
        distinct = {re.sub(r"\s+", " ", c.text).strip() for c in cells} - {""}
        if len(distinct) == 1:  # a merged row: a heading written across the table
            out.append((line0 + r, distinct.pop()))
            continue
        stt = texts.get("stt", "").strip().rstrip(".)")
        title = texts.get("title", "")
        if not title:
            continue
        if re.fullmatch(r"[a-zđ]", stt):
            label = f"{stt})"
        elif roman_ok(stt) or re.fullmatch(r"\d{1,2}(\.\d{1,2})*", stt):
            label = f"{stt}."
            if roman_ok(stt):
                parts.add(line0 + r)
        else:
            label = "-"
        out.append((line0 + r, f"{label} {title}"))
        for key in ("lead", "coordinating", "products", "timeframe", "notes"):
            if texts.get(key):
                out.append((line0 + r, f"- {_LABELS[key]}: {texts[key]}"))
    return out


_LETTERS = "abcdđeghiklmnopqrstuvxy"
_WRITTEN_NUMBER = re.compile(r"^(?:[IVX]+\.|\d{1,2}(?:\.\d{1,2})*\.?\s|[a-zđ]\)|[-+•*–])")


class _Numbering:
    """The numbers Word draws for auto-numbered paragraphs ("List Number" styles or a
    paragraph's own numbering): they are not in the paragraph's text, so they are written
    back in ("1. ", "a) ") for the prose reader. Level 1 counts 1, 2, 3 …; level 2 a), b) …;
    deeper levels become bullets. A level's count restarts when a shallower level moves on."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int], int] = {}

    @staticmethod
    def _level(paragraph: Any) -> tuple[str, int] | None:
        num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if num_pr is not None and num_pr.numId is not None and num_pr.numId.val != 0:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return str(num_pr.numId.val), int(level)
        style = paragraph.style
        name = (style.name or "") if style is not None else ""
        m = re.fullmatch(r"List Number(?: (\d))?", name)
        if m:
            return "style", int(m.group(1) or 1) - 1
        return None

    def label(self, paragraph: Any, text: str) -> str:
        found = self._level(paragraph)
        if found is None or _WRITTEN_NUMBER.match(text):
            return ""
        key, level = found
        self.counts[(key, level)] = self.counts.get((key, level), 0) + 1
        for deeper in [k for k in self.counts if k[0] == key and k[1] > level]:
            del self.counts[deeper]
        count = self.counts[(key, level)]
        if level == 0:
            return f"{count}. "
        if level == 1 and count <= len(_LETTERS):
            return f"{_LETTERS[count - 1]}) "
        return "- "


def docx_lines(path: Path) -> tuple[list[tuple[int, str]], frozenset[int]]:
    """The lines of a .docx, and the lines of its task tables' roman-numbered rows."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise InputError([Problem(f"python-docx is not installed ({exc})", path)]) from None
    package = check_package(path, "cannot read plan")
    try:
        document = docx.Document(package)
    except Exception as exc:  # python-docx raises several unrelated types on bad files
        raise InputError([Problem(f"not a readable .docx file ({exc})", path)],
                         "cannot read plan") from None
    lines: list[tuple[int, str]] = []
    parts: set[int] = set()
    numbering = _Numbering()
    n = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n += 1
            paragraph = Paragraph(element, document)
            text = re.sub(r"\s+", " ", paragraph.text).strip()
            if text:
                lines.append((n, numbering.label(paragraph, text) + text))
        elif tag == "tbl":
            table = Table(element, document)
            lines += _table_lines(table, n + 1, parts)
            n += len(table.rows) + 1
    return lines, frozenset(parts)
