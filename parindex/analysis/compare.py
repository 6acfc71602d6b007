"""Two scorecards side by side: two years, or self-assessed against appraised.

Nodes are matched by code. Across two frameworks with a shipped code mapping
(:mod:`parindex.framework.mapping`: ISO 9001 is 7.3 in 2021 and 3.7 from 2022), they are
matched through it instead, and the codes it lists as unmapped (dropped, new) are listed apart
(``only_a``, ``only_b``); without one, codes found in only one framework are. A matched code
whose name or maximum changed is flagged. Where maxima differ, compare indices (percent of
the maximum) rather than points.

Bonus and penalty items (``extras``) are compared apart from the tree (``extras`` in
:meth:`Comparison.to_dict`, present only when a side's framework has them): the bonus, the
penalty, the adjusted score and index of each side and their differences, item by item code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.analysis.extradelta import EXTRAS_NOTE
from parindex.core.display import Kind, clip, frame, html_block, html_table, plain, pts, vi
from parindex.scoring.dossier import Dossier, as_scorecard
from parindex.scoring.scorecard import NodeScore, Scorecard

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["COMPARE_COLUMNS", "COMPARE_KINDS", "Comparison", "Row", "compare"]

COMPARE_COLUMNS = ("code", "code_b", "level", "area", "name", "name_b", "max_a", "max_b", "score_a",
                   "score_b", "delta", "index_a", "index_b", "index_delta", "status_a",
                   "status_b", "renamed", "max_changed")
"""Column order of :meth:`Comparison.to_frame` (fixed)."""
COMPARE_KINDS: dict[str, Kind] = {
    "code": "text", "code_b": "text", "level": "text", "area": "text", "name": "text",
    "name_b": "text",
    "max_a": "float", "max_b": "float", "score_a": "float", "score_b": "float",
    "delta": "float", "index_a": "float", "index_b": "float", "index_delta": "float",
    "status_a": "text", "status_b": "text", "renamed": "bool", "max_changed": "bool"}
"""Column kinds of :meth:`Comparison.to_frame` (see :mod:`parindex.core.display`)."""


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Row:
    """One code present in both scorecards."""

    a: NodeScore
    b: NodeScore

    @property
    def code(self) -> str:
        return self.a.code

    @property
    def code_b(self) -> str:
        """The code in ``b`` (another one where a mapping moved the item)."""
        return self.b.code

    @property
    def delta(self) -> Decimal:
        """Points of ``b`` minus points of ``a``."""
        return self.b.score - self.a.score

    @property
    def index_delta(self) -> Decimal | None:
        ia, ib = self.a.index, self.b.index
        return None if ia is None or ib is None else ib - ia

    @property
    def renamed(self) -> bool:
        return self.a.name != self.b.name

    @property
    def max_changed(self) -> bool:
        return self.a.nominal_max != self.b.nominal_max

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "code_b": self.code_b, "level": self.a.level,
            "area": self.a.area, "name": self.a.name,
            "name_b": self.b.name, "max_a": _num(self.a.max), "max_b": _num(self.b.max),
            "score_a": _num(self.a.score), "score_b": _num(self.b.score),
            "delta": _num(self.delta), "index_a": _num(self.a.index),
            "index_b": _num(self.b.index), "index_delta": _num(self.index_delta),
            "status_a": self.a.status, "status_b": self.b.status, "renamed": self.renamed,
            "max_changed": self.max_changed,
        }


@dataclass(frozen=True)
class Comparison:
    """Scorecard ``a`` against scorecard ``b`` (e.g. 2021 → 2022, or self → appraised)."""

    a: Scorecard
    b: Scorecard
    labels: tuple[str, str]
    rows: tuple[Row, ...]
    only_a: tuple[NodeScore, ...]
    """Codes scored in ``a`` only (dropped from the later framework)."""
    only_b: tuple[NodeScore, ...]
    """Codes scored in ``b`` only (new in the later framework)."""
    mapping: str | None = None
    """The code mapping used between two frameworks (its id), None when codes were matched."""

    @property
    def same_framework(self) -> bool:
        return self.a.framework.id == self.b.framework.id

    @property
    def areas(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.a.level == "area")

    @property
    def items(self) -> tuple[Row, ...]:
        """Matched scored items (leaves in both)."""
        la = {n.code for n in self.a.framework.leaves()}
        lb = {n.code for n in self.b.framework.leaves()}
        return tuple(r for r in self.rows if r.code in la and r.code_b in lb)

    @property
    def index_delta(self) -> Decimal | None:
        ia, ib = self.a.total.index, self.b.total.index
        return None if ia is None or ib is None else ib - ia

    def to_dict(self) -> dict[str, Any]:
        ta, tb = self.a.total, self.b.total
        return {
            "labels": list(self.labels),
            "frameworks": [self.a.framework.id, self.b.framework.id],
            "mapping": self.mapping,
            "total": {"score_a": _num(ta.score), "score_b": _num(tb.score),
                      "max_a": _num(ta.max), "max_b": _num(tb.max),
                      "index_a": _num(ta.index), "index_b": _num(tb.index),
                      "index_delta": _num(self.index_delta)},
            "areas": [r.to_dict() for r in self.areas],
            "items": [r.to_dict() for r in self.items],
            "only_a": [{"code": n.code, "name": n.name, "level": n.level} for n in self.only_a],
            "only_b": [{"code": n.code, "name": n.name, "level": n.level} for n in self.only_b],
        } | ({} if not self.has_extras else {"extras": self.extras_dict()})

    @property
    def has_extras(self) -> bool:
        """Either side's framework has bonus and penalty items (``extras``)."""
        return self.a.extras is not None or self.b.extras is not None

    def extras_dict(self) -> dict[str, Any]:
        """The bonus, the penalty and the adjusted score of both sides, apart from the tree
        (a side without extras is null, and so are the differences)."""
        a, b = self.a.extras, self.b.extras

        def side(card: Scorecard) -> dict[str, Any] | None:
            ex = card.extras
            return None if ex is None else {
                "bonus": _num(ex.bonus.points), "penalty": _num(ex.penalty.points),
                "pending": _num(ex.penalty.pending), "net": _num(ex.net),
                "adjusted_score": _num(card.adjusted_score),
                "adjusted_index": _num(card.adjusted_index)}

        def delta(x: Decimal | None, y: Decimal | None) -> int | float | None:
            return None if x is None or y is None else _num(y - x)

        ia = a.by_code if a is not None else {}
        ib = b.by_code if b is not None else {}
        codes = [*ia, *(c for c in ib if c not in ia)]
        return {
            "note": EXTRAS_NOTE, "a": side(self.a), "b": side(self.b),
            "bonus_delta": delta(a.bonus.points, b.bonus.points) if a and b else None,
            "penalty_delta": delta(a.penalty.points, b.penalty.points) if a and b else None,
            "adjusted_score_delta": delta(self.a.adjusted_score, self.b.adjusted_score),
            "adjusted_index_delta": delta(self.a.adjusted_index, self.b.adjusted_index),
            "items": [{
                "code": c, "name": (ib.get(c) or ia[c]).name,
                "group": (ib.get(c) or ia[c]).group,
                "points_a": _num(ia[c].points) if c in ia else None,
                "points_b": _num(ib[c].points) if c in ib else None,
                "delta": delta(ia[c].points, ib[c].points) if c in ia and c in ib else None,
            } for c in codes],
        }

    def _extras_line(self) -> str:
        la, lb = self.labels
        a, b = self.a, self.b

        def side(card: Scorecard) -> str:
            ex = card.extras
            if ex is None:
                return "không có điểm thưởng, điểm trừ"
            return (f"{_vi(card.adjusted_score)} (thưởng +{_vi(ex.bonus.points)}, trừ "
                    f"−{_vi(ex.penalty.points)})")

        return (f"Tổng điểm sau thưởng, trừ {la}: {side(a)} → {lb}: {side(b)}. "
                f"{EXTRAS_NOTE}")

    def to_frame(self) -> pd.DataFrame:
        """One row per code present in both scorecards, in the order of ``a``.

        Columns :data:`COMPARE_COLUMNS`: ``code``, ``level``, ``area``, ``name`` (in ``a``),
        ``name_b``, ``status_a`` and ``status_b`` are ``string``; ``max_a``, ``max_b``,
        ``score_a``, ``score_b``, ``delta`` (b − a), ``index_a``, ``index_b`` and
        ``index_delta`` are ``float64`` (``NaN`` where there is no index); ``renamed`` and
        ``max_changed`` are ``bool``. Codes in one scorecard only: :attr:`only_a`,
        :attr:`only_b`.
        """
        rows = [{**r.to_dict(), "max_a": r.a.max, "max_b": r.b.max, "score_a": r.a.score,
                 "score_b": r.b.score, "delta": r.delta, "index_a": r.a.index,
                 "index_b": r.b.index, "index_delta": r.index_delta} for r in self.rows]
        places = max(self.a.framework.precision, self.b.framework.precision)
        return frame(rows, [(c, COMPARE_KINDS[c]) for c in COMPARE_COLUMNS], places)

    def __repr__(self) -> str:
        la, lb = self.labels
        delta = "" if self.index_delta is None else f" ({plain(self.index_delta, sign=True)})"
        moved = sum(1 for r in self.items if r.delta)
        return clip(f"<Comparison {la!r} → {lb!r}: index {plain(self.a.total.index)} → "
                    f"{plain(self.b.total.index)}{delta}; {moved} item(s) moved, "
                    f"{len(self.only_a)} code(s) only in {la!r}, {len(self.only_b)} only in "
                    f"{lb!r}>")

    def _repr_html_(self) -> str:
        la, lb = self.labels
        lines = [f"Chỉ số {la}: {vi(self.a.total.index)}% → {lb}: {vi(self.b.total.index)}% "
                 f"(chênh lệch {vi(self.index_delta, sign=True)} điểm phần trăm)"]
        if self.only_a:
            lines.append(f"Chỉ có trong {la}: " + ", ".join(n.code for n in self.only_a))
        if self.only_b:
            lines.append(f"Chỉ có trong {lb}: " + ", ".join(n.code for n in self.only_b))
        if self.has_extras:
            lines.append(self._extras_line())
        areas = html_table(("Mã", "Lĩnh vực", f"Chỉ số {la}", f"Chỉ số {lb}", "Chênh lệch"),
                           [(r.code, r.b.name, vi(r.a.index), vi(r.b.index),
                             vi(r.index_delta, sign=True)) for r in self.areas],
                           numeric=(2, 3, 4), caption="Theo lĩnh vực (%)")
        moved = [(r.code, r.b.name, pts(r.a.score), pts(r.b.score), pts(r.delta, sign=True))
                 for r in self.items if r.delta]
        tables = [areas]
        if moved:
            tables.append(html_table(("Mã", "Tiêu chí", la, lb, "Chênh lệch"), moved,
                                     numeric=(2, 3, 4), caption="Tiêu chí thay đổi điểm",
                                     limit=20))
        return html_block(f"So sánh {la} → {lb}", lines, tables)

    def summary(self) -> str:
        la, lb = self.labels
        ta, tb = self.a.total.index, self.b.total.index
        lines = [f"Chỉ số {la}: {_vi(ta)}% → {lb}: {_vi(tb)}% "
                 f"(chênh lệch {_vi(self.index_delta, sign=True)} điểm phần trăm)."]
        if self.mapping is not None:
            recoded = [r for r in self.rows if r.code != r.code_b]
            lines.append(f"Đối chiếu mã theo bảng chuyển đổi {self.mapping}"
                         + (": " + ", ".join(f"{r.code} → {r.code_b}" for r in recoded)
                            if recoded else "") + ".")
        moved = [r for r in self.items if r.delta]
        if moved:
            lines.append(f"{len(moved)} tiêu chí thay đổi điểm:")
            lines += [f"- {_codes(r)} {r.b.name}: {_vi(r.a.score)} → {_vi(r.b.score)} "
                      f"({_vi(r.delta, sign=True)})" for r in moved]
        if self.only_a:
            lines.append(f"Chỉ có trong {la}: " + ", ".join(n.code for n in self.only_a))
        if self.only_b:
            lines.append(f"Chỉ có trong {lb}: " + ", ".join(n.code for n in self.only_b))
        if self.has_extras:
            lines.append(self._extras_line())
        return "\n".join(lines)


def _codes(r: Row) -> str:
    return r.code if r.code == r.code_b else f"{r.code} → {r.code_b}"


def _vi(value: Decimal | None, sign: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace(".", ",")


def compare(a: Scorecard | Dossier | Path | str, b: Scorecard | Dossier | Path | str,
            labels: tuple[str, str] = ("A", "B"), *,
            mapping: Mapping[str, str] | None = None) -> Comparison:
    """Match ``a`` and ``b`` node by node (document order of ``a``): through ``mapping``
    (``a``'s code → ``b``'s code), else the shipped mapping between two frameworks, else on
    their codes.

    Each side is a :class:`~parindex.scoring.scorecard.Scorecard`, a
    :class:`~parindex.scoring.dossier.Dossier` or a dossier folder (then scored).
    """
    a, b = as_scorecard(a), as_scorecard(b)
    used: str | None = None
    if mapping is None and a.framework.id != b.framework.id:
        from parindex.framework.mapping import mapping_between

        found = mapping_between(a.framework, b.framework)
        if found is not None:
            mapping, used = found[0], found[1].id
    by_b = b.by_code
    pairs = dict(mapping) if mapping is not None else {c: c for c in a.by_code if c in by_b}
    if mapping is not None and used is None:
        used = "given"
    rows = tuple(Row(n, by_b[pairs[n.code]]) for n in a.nodes
                 if n.code in pairs and pairs[n.code] in by_b)
    targets = {r.code_b for r in rows}
    only_a = tuple(n for n in a.nodes if n.code not in pairs or pairs[n.code] not in by_b)
    only_b = tuple(n for n in b.nodes if n.code not in targets)
    return Comparison(a, b, labels, rows, only_a, only_b, used)
