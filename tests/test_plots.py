"""Charts render to PNG (Agg) and show the numbers they claim."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from parindex.analysis.plots import index_by_area, simulation_histogram, year_over_year
from parindex.analysis.simulation import simulate
from parindex.analysis.whatif import count, what_if
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE

PNG = b"\x89PNG\r\n\x1a\n"


def _png(fig: Figure, path: Path) -> bytes:
    fig.savefig(path, format="png", dpi=60)
    data = path.read_bytes()
    assert data[:8] == PNG and len(data) > 2000
    return data


def _bars(fig: Figure) -> list[Rectangle]:
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def test_index_by_area(tmp_path: Path) -> None:
    card = load_dossier(EXAMPLE).score()
    fig = index_by_area(card, target=90)
    _png(fig, tmp_path / "areas.png")
    widths = [round(b.get_width(), 2) for b in _bars(fig)]
    assert widths == [79.17, 100.0, 89.33, 100.0, 90.0, 100.0, 86.76, 0.0]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[-1] == "chờ điều tra XHH" and texts[0] == "79,17"
    assert fig.axes[0].get_title() == "Chỉ số CCHC theo lĩnh vực — tổng 90,04%"
    (line,) = fig.axes[0].get_lines()
    assert list(line.get_xdata()) == [90, 90]


def test_simulation_histogram(tmp_path: Path) -> None:
    sim = simulate(load_dossier(EXAMPLE), 88, runs=2000, seed=2)
    fig = simulation_histogram(sim, bins=25)
    _png(fig, tmp_path / "mc.png")
    bars = _bars(fig)
    assert len(bars) == 25 and sum(b.get_height() for b in bars) == 2000
    target, mean = fig.axes[0].get_lines()
    assert list(target.get_xdata()) == [88, 88]
    assert list(mean.get_xdata()) == [sim.mean, sim.mean]
    assert target.get_label().startswith("mục tiêu 88%: P = ")


def test_year_over_year(tmp_path: Path) -> None:
    d = load_dossier(EXAMPLE)
    before = what_if(d, [count("1.5", 1)])
    fig = year_over_year({"2020": before.before, "2021": before.after})
    _png(fig, tmp_path / "years.png")
    bars = _bars(fig)
    assert len(bars) == 2 * 9  # 8 areas + the total, two years
    heights = [round(b.get_height(), 2) for b in bars]
    assert heights[0] == 79.17 and heights[9] == 87.5  # area 1: 9,5/12 → 10,5/12
    assert heights[8] == float(before.index_before or D(0))
    assert heights[17] == float(before.index_after or D(0))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][-1] == "Tổng"
