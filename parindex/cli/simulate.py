"""CLI: ``parindex simulate`` (Monte Carlo of survey points), ``gains`` and ``compare``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from parindex.cli.common import (
    AsOfOpt,
    DossierArg,
    JsonOpt,
    PercentOpt,
    RunsOpt,
    SeedOpt,
    console,
    parse_percent,
    print_json,
)
from parindex.core.errors import InputError, Problem

if TYPE_CHECKING:
    from parindex.analysis.extragains import ExtraOpportunities

__all__ = ["compare_cmd", "gains_cmd", "simulate_cmd"]

ASSUMPTIONS_FILE = "survey-assumptions.yaml"

def simulate_cmd(
    dossier: DossierArg,
    target: PercentOpt = 90.0,
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    assumptions: Annotated[Path | None, typer.Option(
        "--assumptions", help=f"Tệp giả định điều tra XHH (mặc định: {ASSUMPTIONS_FILE} "
        "trong hồ sơ nếu có).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mô phỏng Monte Carlo điểm điều tra XHH: xác suất đạt mục tiêu, trung bình, phân vị."""
    from parindex.analysis.assumptions import load_assumptions
    from parindex.analysis.simulation import simulate
    from parindex.scoring.dossier import load_dossier

    d = load_dossier(dossier)
    path = assumptions or (d.root / ASSUMPTIONS_FILE)
    if assumptions is not None and not path.is_file():
        raise InputError([Problem("file not found", path)], "cannot read survey assumptions")
    sim = simulate(d, target, runs=runs, seed=seed,
                   assumptions=load_assumptions(path) if path.is_file() else None)
    if as_json:
        print_json(sim.to_dict())
        return
    data = sim.to_dict()
    table = Table(title=f"Mô phỏng điều tra XHH — {d.manifest.unit} ({runs} lần, seed {seed})")
    table.add_column("Chỉ tiêu")
    table.add_column("Giá trị", justify="right")
    table.add_row(f"Xác suất đạt ≥ {_vi(target)}%", _vi(100 * data["probability"]) + "%")
    table.add_row("Chỉ số trung bình", _vi(data["mean"]) + "%")
    for p, v in data["percentiles"].items():
        table.add_row(f"Phân vị {p}%", _vi(v) + "%")
    if data["baseline_index"] is not None:
        table.add_row("Chỉ số chưa có điều tra (quy về 100)", _vi(data["baseline_index"]) + "%")
    table.add_row("Điểm điều tra XHH cần để đạt mục tiêu", _vi(data["survey_points_needed"]))
    console.print(table)
    for code, what in data["assumptions"].items():
        console.print(f"  {code}: {what}", highlight=False)


def gains_cmd(
    dossier: DossierArg,
    as_of: AsOfOpt = None,
    target: Annotated[float | None, typer.Option(
        "--target", parser=parse_percent, metavar="%",
        help="Tìm ít thay đổi nhất để đạt chỉ số này (%), 0–100.")] = None,
    future: Annotated[bool, typer.Option(
        "--future", help="Lập kế hoạch cho một năm sắp tới: đề xuất cả thay đổi kết quả "
        "(mặc định, sau khi năm đánh giá kết thúc chỉ đề xuất việc hoàn thiện hồ sơ).")]
    = False,
    as_json: JsonOpt = False,
) -> None:
    """Điểm còn có thể tăng theo từng tiêu chí, và cách ít thay đổi nhất để đạt mục tiêu.

    Sau khi năm đánh giá kết thúc, kết quả đã qua không thay đổi được: lệnh chỉ nêu việc còn
    làm được cho hồ sơ (nhập số liệu còn thiếu, sửa số ký hiệu, đăng ký văn bản, giải trình)."""
    from parindex.analysis.gains import where_the_points_are
    from parindex.analysis.target import reach_target
    from parindex.scoring.dossier import load_dossier

    day = as_of
    d = load_dossier(dossier)
    opp = where_the_points_are(d, as_of=day, future=future)
    plan = reach_target(d, target, as_of=day, future=future) if target is not None else None
    if as_json:
        data = opp.to_dict()
        if plan is not None:
            data["target"] = plan.to_dict()
        print_json(data)
        return
    if not opp.closed:
        table = Table(title="Điểm còn có thể tăng")
        for col in ("Mã", "Thay đổi", "Cần", "Tăng"):
            table.add_column(col, justify="right" if col == "Tăng" else "left")
        for o in opp.items:
            for g in o.gains:
                table.add_row(o.code, escape(g.action), escape(g.needed or ""),
                              "+" + _vi(float(g.points)))
            for g in o.blocked:
                table.add_row(o.code, f"[dim]{escape(g.action)} — {escape(g.reason or '')}[/dim]",
                              escape(g.needed or ""), "[dim]0[/dim]")
        console.print(table)
        if opp.extras is not None:
            _print_extra_gains(opp.extras)
    if opp.closed:
        records = Table(title="Việc còn làm được cho hồ sơ")
        for col in ("Mã", "Việc cần làm", "Vì sao", "Điểm cần giữ"):
            records.add_column(col, justify="right" if col == "Điểm cần giữ" else "left")
        for r in opp.records:
            records.add_row(escape(r.code or r.document or ""), escape(r.action),
                            escape(r.message),
                            _vi(float(r.points_at_risk)))
        console.print(records)
        history = sum(len(o.blocked) for o in opp.items)
        console.print(f"{history} thay đổi kết quả của năm đã qua không được đề xuất (dùng "
                      "--future để lập kế hoạch cho năm sau).", highlight=False)
    console.print(opp.summary(limit=0), highlight=False, markup=False)
    if plan is not None:
        console.print(plan.summary(), highlight=False)


def _print_extra_gains(extras: ExtraOpportunities) -> None:
    """The bonus and penalty items' gains, apart from the tree's (they leave the index)."""
    table = Table(title="Điểm thưởng, điểm trừ (ngoài tổng điểm)")
    for col in ("Mã", "Loại", "Thay đổi", "Cần", "Tăng"):
        table.add_column(col, justify="right" if col == "Tăng" else "left")
    for o in extras.items:
        kind = "Điểm thưởng" if o.item.group == "bonus" else "Điểm trừ"
        for g in o.gains:
            table.add_row(o.code, kind, escape(g.action), escape(g.needed or ""),
                          "+" + _vi(float(g.points)))
        for g in o.blocked:
            table.add_row(o.code, kind, f"[dim]{escape(g.action)} — {escape(g.reason or '')}"
                          "[/dim]", escape(g.needed or ""), "[dim]0[/dim]")
    for i in extras.pending:
        table.add_row(i.code, "Điểm trừ", "[dim]chờ kết quả thẩm định[/dim]", "",
                      f"[dim]−{_vi(float(i.pending))}[/dim]")
    console.print(table)


def compare_cmd(
    first: Annotated[Path, typer.Argument(help="Hồ sơ thứ nhất (ví dụ năm trước).")],
    second: Annotated[Path, typer.Argument(help="Hồ sơ thứ hai (ví dụ năm nay).")],
    as_json: JsonOpt = False,
) -> None:
    """So sánh hai hồ sơ theo mã tiêu chí (kể cả khi bộ tiêu chí đã thay đổi)."""
    from parindex.analysis.compare import compare
    from parindex.scoring.dossier import load_dossier

    a, b = load_dossier(first), load_dossier(second)
    labels = (_label(a.manifest.year, first), _label(b.manifest.year, second))
    result = compare(a.score(), b.score(), labels)
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(title=f"So sánh {labels[0]} → {labels[1]} theo lĩnh vực")
    for col in ("Mã", "Lĩnh vực", labels[0], labels[1], "Chênh lệch"):
        table.add_column(col, justify="left" if col in ("Mã", "Lĩnh vực") else "right")
    for r in result.areas:
        table.add_row(r.code, r.b.name, _pct(r.a.index), _pct(r.b.index),
                      _pct(r.index_delta, sign=True))
    console.print(table)
    console.print(result.summary(), highlight=False)


def _label(year: int, path: Path) -> str:
    return f"{year} ({path.name})"


def _pct(value: Decimal | None, sign: bool = False) -> str:
    if value is None:
        return "–"
    return (f"{value:+.2f}" if sign else f"{value:.2f}").replace(".", ",")



def _vi(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")
