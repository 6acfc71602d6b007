"""Charts of scorecards and simulations (matplotlib, without pyplot: no GUI, no global state).

Every function returns a :class:`matplotlib.figure.Figure`; save it with
``fig.savefig("x.png")``, or leave it as a cell's last expression: it displays itself in a
notebook as a PNG image (no ``%matplotlib inline`` needed, and no second copy where the inline
backend is on). Figures are drawn with the Agg canvas, so they render anywhere (servers, CI,
tests).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from parindex.scoring.dossier import Dossier, as_scorecard
from parindex.scoring.scorecard import Scorecard

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure

    from parindex.analysis.simulation import Simulation

__all__ = ["index_by_area", "simulation_histogram", "year_over_year"]


@functools.cache
def _figure_class() -> type[Figure]:
    from matplotlib.figure import Figure

    class ShownFigure(Figure):
        """A Figure that displays itself in a notebook (``_repr_png_``), without pyplot and
        without ``%matplotlib inline``."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    ShownFigure.__module__ = __name__
    ShownFigure.__qualname__ = "ShownFigure"
    return ShownFigure


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _f(value: Decimal | None) -> float:
    return 0.0 if value is None else float(value)


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def index_by_area(card: Scorecard | Dossier | Path | str, target: float | None = None
                  ) -> Figure:
    """Horizontal bars: each area's index (%); areas awaiting the survey are marked.

    ``card``: a scorecard, or a dossier (loaded, or its folder) to score."""
    card = as_scorecard(card)
    areas = card.areas
    fig = _figure(8, 0.45 * len(areas) + 1.6)
    ax = fig.add_subplot()
    labels = [f"{a.code}. {_short(a.name)}" for a in areas]
    values = [_f(a.index) for a in areas]
    bars = ax.barh(labels, values, color=["#9e9e9e" if a.index is None else "#1f77b4"
                                          for a in areas])
    for bar, a in zip(bars, areas, strict=True):
        text = "chờ điều tra XHH" if a.index is None else f"{_f(a.index):.2f}".replace(".", ",")
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center",
                fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("Chỉ số (%)")
    total = card.total.index
    ax.set_title(f"Chỉ số CCHC theo lĩnh vực — tổng {_f(total):.2f}%".replace(".", ","))
    if target is not None:
        ax.axvline(target, color="#d62728", linestyle="--", label=f"mục tiêu {target:g}%")
        ax.legend(loc="lower right")
    return fig


def simulation_histogram(sim: Simulation, bins: int = 40) -> Figure:
    """The distribution of the simulated index, with the target line and P(index ≥ target)."""
    fig = _figure(8, 4)
    ax = fig.add_subplot()
    ax.hist(sim.indices, bins=bins, color="#1f77b4", alpha=0.85)
    target = float(sim.target)
    ax.axvline(target, color="#d62728", linestyle="--",
               label=f"mục tiêu {target:g}%: P = {sim.probability:.1%}".replace(".", ","))
    ax.axvline(sim.mean, color="#2ca02c", linestyle=":",
               label=f"trung bình {sim.mean:.2f}%".replace(".", ","))
    ax.set_xlabel("Chỉ số CCHC mô phỏng (%)")
    ax.set_ylabel("Số lần")
    ax.set_title(f"Mô phỏng điểm điều tra XHH ({sim.runs} lần, seed {sim.seed})")
    ax.legend()
    return fig


def year_over_year(cards: Mapping[str, Scorecard | Dossier | Path | str]) -> Figure:
    """Grouped bars: each area's index per year (areas matched by code), and the total.

    ``cards``: label → scorecard, or dossier (loaded, or its folder) to score."""
    scored = {label: as_scorecard(c) for label, c in cards.items()}
    labels = list(scored)
    codes: list[str] = []
    names: dict[str, str] = {}
    for card in scored.values():
        for a in card.areas:
            if a.code not in names:
                codes.append(a.code)
                names[a.code] = a.name
    groups = [*codes, "Tổng"]
    fig = _figure(max(8.0, 0.9 * len(groups) * max(1, len(labels)) / 2 + 3), 4.5)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(labels))
    for j, label in enumerate(labels):
        card = scored[label]
        by = card.by_code
        values = [_f(by[c].index) if c in by else 0.0 for c in codes]
        values.append(_f(card.total.index))
        xs = [i + (j - (len(labels) - 1) / 2) * width for i in range(len(groups))]
        ax.bar(xs, values, width=width, label=label)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 110)
    ax.set_ylabel("Chỉ số (%)")
    ax.set_xlabel("Lĩnh vực")
    ax.set_title("Chỉ số CCHC qua các năm")
    ax.legend()
    return fig
