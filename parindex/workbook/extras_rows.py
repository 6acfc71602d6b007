"""The bonus and penalty rows of the main sheet (điểm thưởng, điểm trừ), apart, below the
index: a group row per group (its cap in ``Điểm tối đa``, its points a formula capped at it),
the group's items (values: the library's points; the reviewer's cells accept 0 … max), then
"TỔNG ĐIỂM SAU THƯỞNG, TRỪ" = the total + bonus − penalty, and "CHỈ SỐ SAU THƯỞNG, TRỪ (%)" =
that score on the index's own denominator (it may exceed 100). The total, the maximum and the
index above never include them.

An item computed from the appraisal (``from_appraisal``) shows no points until the appraisal
is known. An item whose ``Điểm thẩm định`` is left empty is not appraised: its self-assessed
points stand (as for the province roll-up, :mod:`parindex.province.rollup`), in the group's
appraised points (empty until one of its items is appraised) and in the adjusted appraised
score (a group not appraised counts its self-assessed points).

:func:`read_extras` reads the rows back (:mod:`parindex.workbook.read`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.framework.extras import GROUP_VI, Group
from parindex.framework.rules import _fmt, quantize
from parindex.scoring.extras import Appraisal, score_extras
from parindex.workbook.cells import _put, _put_formula, _put_text, _Styles
from parindex.workbook.layout import MAIN_SHEET, FormulaCell

if TYPE_CHECKING:
    from collections.abc import Mapping

    from openpyxl.worksheet.worksheet import Worksheet

    from parindex.framework.model import Framework
    from parindex.scoring.extras import ExtraStatus
    from parindex.scoring.scorecard import Scorecard

__all__ = ["ADJUSTED_INDEX_LABEL", "ADJUSTED_LABEL", "EXTRA_FIELDS", "GROUP_LABELS", "ExtraDiff",
           "WorkbookExtra", "extras_diff", "extras_expected", "read_extras", "write_extras"]

GROUP_LABELS = {g: f"{label.upper()} (ngoài tổng điểm)" for g, label in GROUP_VI.items()}
ADJUSTED_LABEL = "TỔNG ĐIỂM SAU THƯỞNG, TRỪ"
ADJUSTED_INDEX_LABEL = "CHỈ SỐ SAU THƯỞNG, TRỪ (%)"
"""The row below :data:`ADJUSTED_LABEL` (workbooks written before it have none)."""
EXTRA_STATUS_LABELS: dict[ExtraStatus, str] = {
    "scored": "", "not-entered": "Chưa nhập", "invalid-input": "Nhập sai",
    "appraisal-pending": "Chờ kết quả thẩm định"}
EXTRA_FIELDS = ("extras_points", "extras_appraised", "adjusted_score", "adjusted_appraised",
                "adjusted_index", "adjusted_appraised_index")
"""The :class:`~parindex.workbook.layout.FormulaCell` fields of these rows: a group's points
and appraised points (``code`` ``bonus`` / ``penalty``), the adjusted score, adjusted
appraised score and their indexes (``code`` None)."""
_GROUP: dict[str, Any] = {"bold": True, "size": 11, "fill": "FCE4D6"}


def write_extras(ws: Worksheet, st: _Styles, card: Scorecard, start: int, total_row: int,
                 working: bool, index: Callable[[str, str], str]
                 ) -> tuple[dict[str, int], list[FormulaCell], dict[Decimal, list[str]], int]:
    """Write the rows from ``start``; returns item code → row, the formula cells, the reviewer
    cells to validate by maximum, and the next free row (``start`` when there are none).
    ``index(score_ref, column)``: the index row's formula on another score cell (``column``
    ``D``: self-assessed, ``E``: appraised), so the adjusted index shares its denominator."""
    ex, fw = card.extras, card.framework
    if ex is None or fw.extras is None:
        return {}, [], {}, start
    rows: dict[str, int] = {}
    cells: list[FormulaCell] = []
    checks: dict[Decimal, list[str]] = {}
    group_rows: dict[str, int] = {}
    width = 12 if working else 8
    r = start
    gstyle, gnum = st.get(**_GROUP), st.get(number=True, **_GROUP)
    num = st.get(number=True, size=11)
    for group, grp in fw.extras.groups():
        g = group_rows[group] = r
        items = [i for i in ex.items if i.group == group]
        first, last = g + 1, g + len(items)
        _put_text(ws, g, 2, GROUP_LABELS[group], st, **_GROUP)
        _put(ws, g, 3, grp.max_points, gnum)
        pts, app = f"D{first}:D{last}", f"E{first}:E{last}"
        cap = f"C{g}" if grp.max_points is not None else None
        _put_formula(ws, g, 4, f"={_capped(cap, f'SUM({pts})')}", gnum)
        standing = f"SUM({app})+SUMPRODUCT(1-ISNUMBER({app}),{pts})"  # empty: D stands
        _put_formula(ws, g, 5, f'=IF(COUNT({app})=0,"",{_capped(cap, standing)})', gnum)
        cells += [FormulaCell(MAIN_SHEET, f"D{g}", group, "extras_points"),
                  FormulaCell(MAIN_SHEET, f"E{g}", group, "extras_appraised")]
        for col in (1, *range(6, width + 1)):
            _put(ws, g, col, None, gstyle)
        for row, it in enumerate(items, start=first):
            rows[it.code] = row
            _put_text(ws, row, 1, it.code, st, horizontal="center", size=11)
            _put_text(ws, row, 2, it.name, st, indent=2, horizontal="left", size=11)
            _put(ws, row, 3, it.max, num)
            _put(ws, row, 4, None if it.status == "appraisal-pending" else it.points, num)
            _put(ws, row, 5, None, st.get(number=True, size=11, fill="E2EFDA"))
            checks.setdefault(it.max, []).append(f"E{row}")
            _put_text(ws, row, 6, None, st, size=11)
            _put_text(ws, row, 7, it.explanation, st, size=11)
            _put_text(ws, row, 8, it.input.note if it.input else None, st, size=11)
            if working:
                _put_text(ws, row, 9, EXTRA_STATUS_LABELS[it.status], st,
                          horizontal="center", size=11)
                for col in (10, 11, 12):
                    _put(ws, row, col, None, num)
        r = last + 1
    adj = r
    _put_text(ws, adj, 2, ADJUSTED_LABEL, st, **_GROUP)
    plus = "".join(f"{'+' if g == 'bonus' else '-'}D{row}" for g, row in group_rows.items())
    nplus = "".join(f"{'+' if g == 'bonus' else '-'}IF(ISNUMBER(E{row}),E{row},D{row})"
                    for g, row in group_rows.items())
    _put_formula(ws, adj, 4, f"=D{total_row}{plus}", gnum)
    _put_formula(ws, adj, 5, f'=IF(E{total_row}="","",E{total_row}{nplus})', gnum)
    cells += [FormulaCell(MAIN_SHEET, f"D{adj}", None, "adjusted_score"),
              FormulaCell(MAIN_SHEET, f"E{adj}", None, "adjusted_appraised")]
    ix = adj + 1
    _put_text(ws, ix, 2, ADJUSTED_INDEX_LABEL, st, **_GROUP)
    _put_formula(ws, ix, 4, index(f"D{adj}", "D"), gnum)
    _put_formula(ws, ix, 5, index(f"E{adj}", "E"), gnum)
    cells += [FormulaCell(MAIN_SHEET, f"D{ix}", None, "adjusted_index"),
              FormulaCell(MAIN_SHEET, f"E{ix}", None, "adjusted_appraised_index")]
    for r_ in (adj, ix):
        for col in (1, 3, *range(6, width + 1)):
            _put(ws, r_, col, None, gstyle)
    return rows, cells, checks, ix + 1


def _capped(cap: str | None, expr: str) -> str:
    return expr if cap is None else f"MIN({cap},{expr})"


def extras_expected(cell: FormulaCell, card: Scorecard, typed: Mapping[str, Decimal],
                    tree_appraised: Decimal | None) -> Decimal | None:
    """The value of one of these formula cells, from the library (``typed``: the reviewer's
    points by item code, extra items included; ``tree_appraised``: the total's)."""
    ex, fw = card.extras, card.framework
    assert ex is not None and fw.extras is not None
    groups = {"bonus": ex.bonus, "penalty": ex.penalty}

    def appraised(group: str) -> Decimal | None:
        mine = [i for i in ex.items if i.group == group]
        if not any(i.code in typed for i in mine):
            return None
        cap = groups[group].cap  # an item not appraised: its self-assessed points stand
        total = sum((typed.get(i.code, i.points) for i in mine), Decimal(0))
        return total if cap is None else min(cap, total)

    present = [g for g, _ in fw.extras.groups()]
    if cell.field == "extras_points":
        return groups[str(cell.code)].points
    if cell.field == "extras_appraised":
        return appraised(str(cell.code))
    if cell.field in ("adjusted_score", "adjusted_index"):
        value: Decimal | None = card.total.score + sum(
            (groups[g].points * (1 if g == "bonus" else -1) for g in present), Decimal(0))
    elif tree_appraised is None:
        value = None
    else:
        value = tree_appraised + sum((_or(appraised(g), groups[g].points)
                                      * (1 if g == "bonus" else -1) for g in present),
                                     Decimal(0))
    if cell.field in ("adjusted_score", "adjusted_appraised") or value is None:
        return value
    t = card.total
    denominator = t.max - (t.pending if t.rescale_pending else Decimal(0))
    return None if denominator <= 0 else quantize(value / denominator * 100)


def _or(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


@dataclass(frozen=True)
class WorkbookExtra:
    """A bonus or penalty row read back: ``code``, ``group``, ``row``, ``max``,
    ``self_score`` (``Điểm tự đánh giá``; null where empty), ``appraised``, ``explanation``,
    ``note``."""

    code: str
    group: str
    row: int
    max: Decimal | None
    self_score: Decimal | None
    appraised: Decimal | None
    explanation: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def num(v: Decimal | None) -> int | float | None:
            return None if v is None else (int(v) if v == v.to_integral_value() else float(v))

        return {"code": self.code, "group": self.group, "row": self.row, "max": num(self.max),
                "self_score": num(self.self_score), "appraised": num(self.appraised),
                "explanation": self.explanation, "note": self.note}


Number = Callable[[Any, str, str, int], "Decimal | None"]
"""Reads a number cell ``(value, code, column letter, row)``, reporting text in it."""
Problem = tuple[str, str, str | None, int | None]
"""``(kind, message, item, row)``; kind ``unknown``, ``missing`` or ``range``."""


def read_extras(rows: Iterable[tuple[int, list[Any]]], fw: Framework, number: Number,
                ) -> tuple[tuple[WorkbookExtra, ...], list[Problem]]:
    """The extra rows among the sheet's ``(row number, [A…H values])`` after the total."""
    if fw.extras is None:
        return (), []
    known = {it.code: (g, it) for g, it in fw.extras.items()}
    labels: dict[str, Group] = {v: k for k, v in GROUP_LABELS.items()}
    out: list[WorkbookExtra] = []
    problems: list[Problem] = []
    group: Group | None = None
    for r, values in rows:
        code, name = (str(v).strip() if v is not None else "" for v in values[:2])
        if name == ADJUSTED_LABEL:
            break
        if name in labels:
            group = labels[name]
            continue
        if group is None or not code:
            continue
        if code not in known or known[code][0] != group:
            problems.append(("unknown", f"Dòng {r}: mã {code!r} không phải mục "
                             f"{GROUP_VI[group].lower()} của bộ tiêu chí {fw.id}.", code, r))
            continue
        item = known[code][1]
        mx, own, app = (number(values[i], code, "CDE"[i - 2], r) for i in (2, 3, 4))
        for col, value in (("D", own), ("E", app)):
            if value is not None and not 0 <= value <= item.max_points:
                problems.append(("range", f"Ô {col} dòng {r}: {_fmt(value)} ngoài khoảng 0 – "
                                 f"{_fmt(item.max_points)}.", code, r))
        text = [None if values[i] in (None, "") else str(values[i]) for i in (6, 7)]
        out.append(WorkbookExtra(code, group, r, mx, own, app, text[0], text[1]))
    seen = {e.code for e in out}
    problems += [("missing", f"Không có dòng của mục {c} \u201c{it.name}\u201d.", c, None)
                 for c, (_, it) in known.items() if c not in seen]
    return tuple(out), problems


@dataclass(frozen=True)
class ExtraDiff:
    """A bonus or penalty item, self-assessed against appraised: ``appraised`` is the
    reviewer's cell, or for an item ``from_appraisal`` left empty, the library's value from the
    appraisal once every appraisable item is appraised (``computed``).

    As for the tree's items (:class:`~parindex.workbook.diff.DiffRow`), an empty
    ``Điểm thẩm định`` means not appraised: ``appraised`` is None, ``appraised_items`` 0 of
    ``appraisable_items`` 1 and ``difference`` 0 (the self-assessed points stand, as in the
    province roll-up); ``difference`` = appraised − self-assessed once appraised. An item
    computed from the appraisal is not appraisable (0 of 0) unless the reviewer typed it."""

    code: str
    group: str
    self_points: Decimal | None
    appraised: Decimal | None
    computed: bool = False
    difference: Decimal = Decimal(0)
    appraised_items: int = 0
    appraisable_items: int = 1

    def to_dict(self) -> dict[str, Any]:
        def num(v: Decimal | None) -> int | float | None:
            return None if v is None else (int(v) if v == v.to_integral_value() else float(v))

        return {"code": self.code, "group": self.group, "self_points": num(self.self_points),
                "appraised": num(self.appraised), "computed": self.computed,
                "difference": num(self.difference), "appraised_items": self.appraised_items,
                "appraisable_items": self.appraisable_items}


def extras_diff(fw: Framework, read: tuple[WorkbookExtra, ...], card: Scorecard | None,
                appraisal: tuple[Decimal, Decimal] | None) -> tuple[ExtraDiff, ...]:
    """Every extra item of ``fw``: its self-assessed points (``card``'s, else the workbook's)
    and appraised points; ``appraisal``: ``(self-assessed, appraised)`` points of the
    appraisable items, once all are appraised."""
    if fw.extras is None:
        return ()
    by_code = {e.code: e for e in read}
    mine = card.extras.by_code if card is not None and card.extras is not None else {}
    computed = score_extras(fw, {}, Appraisal(*appraisal)) if appraisal else None
    out = []
    for group, item in fw.extras.items():
        row = by_code.get(item.code)
        own = mine.get(item.code)
        self_points = (None if own.status == "appraisal-pending" else own.points) \
            if own is not None else (row.self_score if row else None)
        appraised = row.appraised if row else None
        typed = appraised is not None
        appraisable = typed or item.from_appraisal is None
        auto = appraised is None and item.from_appraisal is not None and computed is not None
        if auto:
            assert computed is not None
            appraised = computed.by_code[item.code].points
        difference = (appraised - (self_points or Decimal(0))
                      if appraised is not None else Decimal(0))
        out.append(ExtraDiff(item.code, group, self_points, appraised, auto, difference,
                             int(typed), int(appraisable)))
    return tuple(out)
