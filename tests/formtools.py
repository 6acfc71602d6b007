"""Test helper: fill an exported input form the way a unit would, with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.entry.fields import needs_of
from parindex.entry.form_extras import extra_needs
from parindex.entry.form_layout import (
    FIRST_ROW,
    INPUT_SHEET,
    KEY_COLUMN,
    NOT_APPLICABLE,
    column_index,
    option_text,
)
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework


def rows_by_key(ws: Any) -> dict[str, int]:
    return {str(ws.cell(r, KEY_COLUMN).value): r for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, KEY_COLUMN).value is not None}


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def fill(form: Path, framework: Framework, inputs: dict[str, ItemInput],
         out: Path | None = None) -> Path:
    """Write ``inputs`` into the form's cells (blank cells for fields not given)."""
    from openpyxl import load_workbook

    wb = load_workbook(form)
    ws = wb[INPUT_SHEET]
    rows = rows_by_key(ws)
    for code, inp in inputs.items():
        r = rows[code]
        extra = extra_needs(framework, code)  # a bonus or penalty item: no tree node
        needs = extra[0] if extra is not None else needs_of(framework.node(code))
        by_id = {oid: option_text(label, pts) for oid, label, pts in needs.options}
        for col in needs.columns:
            value: Any = getattr(inp, col)
            if col == "option":
                value = by_id.get(value, value) if value is not None else None
            else:
                value = _num(value)
            ws.cell(r, column_index(col)).value = value
        if needs.not_applicable:
            ws.cell(r, column_index("not_applicable")).value = (
                NOT_APPLICABLE if inp.not_applicable else None)
        ws.cell(r, column_index("explanation")).value = inp.explanation
        ws.cell(r, column_index("note")).value = inp.note
        for d in needs.details:
            values = getattr(inp, d.field) or {}
            cell = ws.cell(rows[f"{code}#{d.field}:{d.id}"], column_index("count"))
            cell.value = _num(Decimal(values[d.id])) if d.id in values else None
    target = out or form
    wb.save(target)
    return target
