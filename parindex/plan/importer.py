"""Import a CCHC plan from the document itself: ``.txt`` (text extracted from the signed PDF)
or ``.docx`` (prose, or tasks in a table STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp |
Sản phẩm | Thời gian).

The text is cut into logical lines (:mod:`parindex.plan.lines`; a ``.docx`` is read by
:mod:`parindex.plan.docx_reader`), then the headings, tasks, fields and reporting schedule are
read from those lines (:mod:`parindex.plan.parse`). Re-importing over a plan that exists never
overwrites it silently: :func:`parindex.plan.merge.merge_plans` keeps what was curated.
"""

from __future__ import annotations

from pathlib import Path

from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, read_text_bounded
from parindex.plan.docx_reader import docx_lines
from parindex.plan.lines import logical_lines
from parindex.plan.model import Plan
from parindex.plan.parse import ParsedPlan, parse_plan_lines
from parindex.plan.units import UnitRegistry

__all__ = ["import_plan", "read_plan"]


def import_plan(path: Path | str, registry: UnitRegistry | None = None, *,
                year: int | None = None, issuer: str | None = None) -> Plan:
    """Read a plan from a ``.txt`` or ``.docx`` file; raises :class:`InputError` if unusable."""
    return read_plan(path, registry, year=year, issuer=issuer).plan


def read_plan(path: Path | str, registry: UnitRegistry | None = None, *,
              year: int | None = None, issuer: str | None = None) -> ParsedPlan:
    """:func:`import_plan`, with what the reading guessed (``notes``: the year's basis)."""
    file = Path(path)
    suffix = file.suffix.lower()
    table_parts: frozenset[int] = frozenset()
    if suffix == ".docx":
        lines, table_parts = docx_lines(file)
        full = "\n".join(t for _, t in lines)
        if len(full.encode("utf-8")) > LIMITS.text_bytes:
            raise InputError([Problem(f"văn bản kế hoạch quá dài (plan text too long): hơn "
                                      f"{LIMITS.text_bytes // 1024} KiB chữ", file)],
                             "cannot read plan")
    elif suffix in {".txt", ".text", ""}:
        full = read_text_bounded(file, LIMITS.text_bytes, "cannot read plan",
                                 encoding="utf-8-sig")
        lines = logical_lines(full)
    else:
        raise InputError([Problem(f"unsupported file type {suffix!r}: give a .txt or .docx",
                                  file)], "cannot read plan")
    parsed = parse_plan_lines(lines, registry, year=year, source=file.name, full_text=full,
                              table_parts=table_parts)
    if issuer:
        parsed = ParsedPlan(parsed.plan.model_copy(update={"issuer": issuer}), parsed.year_basis)
    return parsed
