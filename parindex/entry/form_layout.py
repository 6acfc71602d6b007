"""The layout of the input form (phiếu nhập số liệu): sheets, columns, identity, row keys.

Shared by the writer (:mod:`parindex.entry.form_export`) and the reader
(:mod:`parindex.entry.form_read`), so the two cannot drift apart. A form has

* the input sheet (:data:`INPUT_SHEET`): heading rows, the column header (:data:`HEADER_ROW`),
  then per area a heading row and one row per item (plus one row per penalty or weighted term,
  under its item); after the areas, on the office's form, a heading row "Điểm thưởng" /
  "Điểm trừ" and the rows of the bonus and penalty items a person types
  (:mod:`parindex.entry.form_extras`), keyed by their codes (``T1``, ``TR1#occurrences:…``);
* the instructions sheet (:data:`HELP_SHEET`);
* a hidden sheet (:data:`META_SHEET`) holding the form's identity (which dossier, unit, year
  and framework it belongs to), the key and row of every input row as exported, the values
  pre-filled, and the option lists the drop-downs point at.

Every input row carries its key in the hidden column :data:`KEY_COLUMN`: ``1.3.2`` for an
item row, ``1.2.1#occurrences:tre-han`` for a count row under its item.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.framework.model import Framework
from parindex.framework.rules import _fmt

__all__ = [
    "COLUMNS",
    "FIRST_ROW",
    "FORM_KIND",
    "HEADER_ROW",
    "HELP_SHEET",
    "IDENTITY",
    "INPUT_SHEET",
    "KEY_COLUMN",
    "MAP_FIRST_ROW",
    "META_SHEET",
    "NOT_APPLICABLE",
    "Column",
    "RowKey",
    "canonical",
    "column_index",
    "column_letter",
    "framework_fingerprint",
    "option_text",
]

FORM_KIND = "parindex/form"
INPUT_SHEET = "Phiếu nhập"
HELP_SHEET = "Hướng dẫn"
META_SHEET = "_parindex"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
NOT_APPLICABLE = "Không áp dụng"
"""The one value of the N/A drop-down."""


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float
    input: bool = False
    number: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", 7),
    Column("name", "Tiêu chí / nội dung", 30),
    Column("max", "Điểm tối đa", 6, number=True),
    Column("asks", "Cần nhập, cách chấm", 28),
    Column("option", "Phương án", 22, input=True),
    Column("done", "Số đã thực hiện", 8, input=True, number=True),
    Column("total", "Tổng số", 8, input=True, number=True),
    Column("percent", "Tỷ lệ (%)", 7, input=True, number=True),
    Column("count", "Số lượng / số lần", 8, input=True, number=True),
    Column("points", "Điểm tự chấm", 7, input=True, number=True),
    Column("not_applicable", "Không áp dụng", 9, input=True),
    Column("explanation", "Giải trình", 30, input=True),
    Column("note", "Ghi chú", 16, input=True),
    Column("evidence", "Tài liệu kiểm chứng cần có", 22),
    Column("key", "Khóa (không sửa)", 4),
)
"""Columns of the input sheet, in order."""

_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
KEY_COLUMN = _INDEX["key"]


def column_index(key: str) -> int:
    """1-based column of ``key``."""
    return _INDEX[key]


def column_letter(key: str) -> str:
    """The column letter of ``key`` (A … O)."""
    return chr(ord("A") + _INDEX[key] - 1)


IDENTITY = ("kind", "schema_version", "dossier_unit", "year", "framework", "framework_hash",
            "form_unit", "form_unit_name", "exported")
"""Rows 1… of the hidden sheet: name in column A, value in column B."""
MAP_FIRST_ROW = len(IDENTITY) + 3
"""First row of the row map in the hidden sheet: key | row | pre-filled (JSON) | options…"""


@dataclass(frozen=True)
class RowKey:
    """The key of an input row: an item, or one count of it."""

    code: str
    field: str | None = None
    """``counts`` or ``occurrences`` for a count row."""
    id: str | None = None

    def __str__(self) -> str:
        return self.code if self.field is None else f"{self.code}#{self.field}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> RowKey:
        code, _, rest = text.partition("#")
        if not rest:
            return cls(code)
        field, _, ident = rest.partition(":")
        return cls(code, field, ident)


def framework_fingerprint(framework: Framework) -> str:
    """A short hash of what the form depends on: item codes, maxima and rules (of the bonus
    and penalty items too, when the framework has them)."""
    parts: list[Any] = [[n.code, str(n.max_points),
                         n.rule.model_dump(mode="json") if n.rule else None]
                        for n in framework.leaves()]
    if framework.extras is not None:  # only then: a form without extras keeps its hash
        parts.append([[g, it.code, str(it.max_points), it.rule.model_dump(mode="json"),
                       it.from_appraisal] for g, it in framework.extras.items()])
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def option_text(label: str, points: Decimal) -> str:
    """An option as the drop-down shows it: "Ban hành kịp thời (1 điểm)"."""
    return f"{label} ({_fmt(points)} điểm)"


def canonical(values: dict[str, Any]) -> dict[str, Any]:
    """Carried values in a form that compares and serialises exactly: numbers as normalised
    decimal text (``31`` and ``31.0`` are the same), counts sorted by id."""

    def one(value: Any) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
            text = format(number.normalize(), "f")
            return "0" if text == "-0" else text
        if isinstance(value, dict):
            return {k: one(v) for k, v in sorted(value.items())}
        raise TypeError(f"cannot compare {value!r}")

    return {k: one(v) for k, v in sorted(values.items())}
