"""How result objects show themselves: a short repr, a compact HTML table, a typed DataFrame.

Every result type (``Scorecard``, ``Report``, ``WhatIf``, ``Simulation`` …) builds its views
with these helpers, so they look and behave alike:

- ``repr()`` is one or two lines, under :data:`REPR_LIMIT` characters: what the object is and
  its headline numbers (Python number format, for the analyst).
- ``_repr_html_()`` is a compact table for notebooks, in Vietnamese with the Vietnamese number
  format (``90,04``): it is text people read.
- ``to_frame()`` has fixed columns *and* fixed dtypes, whatever the data (:func:`frame`):
  text ``string`` (missing: ``<NA>``), points and indexes ``float64`` (missing: ``NaN``)
  rounded to the framework's precision, counts ``int64``, optional counts ``Int64``, flags
  ``bool``, days ``datetime64[ns]``. The exact ``Decimal`` values stay on the objects.

pandas is imported inside :func:`frame` only.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DTYPES", "REPR_LIMIT", "Kind", "clip", "frame", "html_block", "html_table", "plain",
           "pts", "vi"]

REPR_LIMIT = 300
"""Every result's ``repr()`` is shorter than this."""

Kind = Literal["text", "float", "int", "Int", "bool", "date"]
DTYPES: dict[str, str] = {"text": "string", "float": "float64", "int": "int64", "Int": "Int64",
                          "bool": "bool", "date": "datetime64[ns]"}
"""The pandas dtype of each column kind (as ``str(dtype)`` prints it)."""


def clip(text: str, limit: int = REPR_LIMIT - 1) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[: limit - 2] + "…>"


def _cell(value: Any, kind: str, places: int) -> Any:
    if value is None:
        return None
    if kind == "float":
        if isinstance(value, Decimal):
            return float(round(value, places))
        return round(float(value), places)
    if kind == "text":
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        return str(value)
    return value


def frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, Kind]],
          places: int = 2) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly ``columns`` (name, kind), in that order and dtype.

    ``places``: decimals that ``float`` columns are rounded to (the framework's precision).
    """
    import pandas as pd

    data: dict[str, list[Any]] = {name: [] for name, _ in columns}
    for row in rows:
        for name, kind in columns:
            data[name].append(_cell(row.get(name), kind, places))
    out: dict[str, Any] = {}
    for name, kind in columns:
        values = data[name]
        dtype: Any = DTYPES[kind]
        if kind == "text":
            dtype = pd.StringDtype("python")
        elif kind == "float":
            values = [float("nan") if v is None else v for v in values]
        elif kind == "date":
            values = [pd.NaT if v is None else pd.Timestamp(v) for v in values]
        out[name] = pd.Series(values, dtype=dtype, index=range(len(values)))
    return pd.DataFrame(out, columns=[name for name, _ in columns])


def vi(value: Decimal | float | int | None, places: int = 2, sign: bool = False) -> str:
    """A number in the Vietnamese format with ``places`` decimals (``90,04``); ``–`` for None."""
    if value is None:
        return "–"
    text = f"{value:+.{places}f}" if sign else f"{value:.{places}f}"
    return text.replace(".", ",")


def plain(value: Decimal | float | int | None, sign: bool = False) -> str:
    """A number for a repr: Python format, no trailing zeros (``97``, ``69.33``, ``+1.5``)."""
    if value is None:
        return "None"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    else:
        text = f"{value:g}" if isinstance(value, float) else str(value)
    return "+" + text if sign and not text.startswith("-") else text


def pts(value: Decimal | None, sign: bool = False) -> str:
    """Points as a score sheet writes them: no trailing zeros, decimal comma (``0,5``)."""
    if value is None:
        return "–"
    text = format(value.normalize(), "f")
    if sign and value >= 0:
        text = "+" + text
    return text.replace(".", ",")


_TABLE = ("border-collapse:collapse;font-size:0.9em;margin:0.3em 0;"
          "font-family:inherit")
_TH = "text-align:left;padding:2px 8px;border-bottom:1px solid #999;background:#f3f3f3"
_TD = "padding:2px 8px;border-bottom:1px solid #e4e4e4;vertical-align:top"


def html_table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
               numeric: Iterable[int] = (), caption: str | None = None,
               limit: int | None = None, more: str = "… và {n} dòng nữa") -> str:
    """A compact, escaped HTML table; columns whose index is in ``numeric`` align right.

    With ``limit``, only that many rows are shown and a last line says how many were left out.
    """
    right = set(numeric)
    all_rows = list(rows)
    shown = all_rows if limit is None else all_rows[:limit]
    head = "".join(f'<th style="{_TH}{";text-align:right" if i in right else ""}">'
                   f"{html.escape(h)}</th>" for i, h in enumerate(headers))
    body = []
    for row in shown:
        cells = "".join(
            f'<td style="{_TD}{";text-align:right" if i in right else ""}">'
            f"{'' if v is None else html.escape(str(v))}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    if limit is not None and len(all_rows) > limit:
        body.append(f'<tr><td colspan="{len(headers)}" style="{_TD};color:#666">'
                    f"{html.escape(more.format(n=len(all_rows) - limit))}</td></tr>")
    cap = (f'<caption style="text-align:left;font-weight:bold;padding:2px 0">'
           f"{html.escape(caption)}</caption>") if caption else ""
    return (f'<table style="{_TABLE}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def html_block(title: str, lines: Iterable[str] = (), tables: Iterable[str] = ()) -> str:
    """A titled block: a bold title, plain lines (escaped), then tables (already HTML)."""
    parts = [f'<div class="parindex" style="font-family:inherit">'
             f"<div style=\"font-weight:bold;font-size:1.05em\">{html.escape(title)}</div>"]
    parts += [f"<div>{html.escape(line)}</div>" for line in lines if line]
    parts += list(tables)
    parts.append("</div>")
    return "".join(parts)
