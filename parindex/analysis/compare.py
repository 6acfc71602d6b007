"""Two scorecards side by side: two years, or self-assessed against appraised.

Nodes are matched by code. Across two frameworks with a shipped code mapping
(:mod:`parindex.framework.mapping`: ISO 9001 is 7.3 in 2021 and 3.7 from 2022), they are
matched through it instead, and the codes it lists as unmapped (dropped, new) are listed apart
(``only_a``, ``only_b``); without one, codes found in only one framework are. A matched code
whose name or maximum changed is flagged. Where maxima differ, compare indices (percent of
the maximum) rather than points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parindex.scoring.scorecard import NodeScore, Scorecard

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMPARE_COLUMNS", "Comparison", "Row", "compare"]

COMPARE_COLUMNS = ("code", "code_b", "level", "area", "name", "name_b", "max_a", "max_b", "score_a",
                   "score_b", "delta", "index_a", "index_b", "index_delta", "status_a",
                   "status_b", "renamed", "max_changed")
"""Column order of :meth:`Comparison.to_frame` (fixed)."""


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
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per matched code, columns :data:`COMPARE_COLUMNS`."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows], columns=list(COMPARE_COLUMNS))

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
        return "\n".join(lines)


def _codes(r: Row) -> str:
    return r.code if r.code == r.code_b else f"{r.code} → {r.code_b}"


def _vi(value: Decimal | None, sign: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace(".", ",")


def compare(a: Scorecard, b: Scorecard, labels: tuple[str, str] = ("A", "B"), *,
            mapping: Mapping[str, str] | None = None) -> Comparison:
    """Match ``a`` and ``b`` node by node (document order of ``a``): through ``mapping``
    (``a``'s code → ``b``'s code), else the shipped mapping between two frameworks, else on
    their codes."""
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
