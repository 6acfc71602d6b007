"""Rich renderings of library results for the terminal (the CLI's view layer)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from parindex.core.errors import InputError
from parindex.core.findings import Report
from parindex.framework.model import Framework
from parindex.scoring.scorecard import Scorecard

__all__ = ["framework_tree", "input_error", "print_findings", "report_table", "scorecard_table"]

_STATUS_VI = {
    "scored": "",
    "sum": "",
    "not-applicable": "không áp dụng",
    "missing-input": "chưa nhập",
    "invalid-input": "nhập sai",
    "survey": "điều tra XHH",
    "survey-pending": "chờ điều tra XHH",
}


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Vietnamese number format: comma decimals (``12,50``)."""
    if value is None:
        return "–"
    return f"{value:.{places}f}".replace(".", ",")


def framework_tree(fw: Framework) -> Tree:
    status = "TẠM THỜI (provisional)" if fw.status == "provisional" else "chính thức"
    tree = Tree(f"[bold]{fw.title}[/bold]\n{fw.id} · {fw.level} · năm {fw.scoring_year} · "
                f"{status} · tổng {fmt(fw.total_points)} điểm "
                f"(tự chấm {fmt(fw.self_scored_max)}, điều tra XHH {fmt(fw.survey_max)})")
    branches: dict[str, Tree] = {}
    for node in fw.nodes:
        rule = node.rule
        label = f"{node.code} {node.name} — [cyan]{fmt(node.max_points)}[/cyan]"
        if node.level == "area":
            label = f"[bold]{label}[/bold]"
        if rule is not None:
            label += f"\n[dim]{rule.type}: {rule.describe()}[/dim]"
        parent = branches[node.parent] if node.parent else tree
        branches[node.code] = parent.add(label)
    if fw.extras is not None:
        for group, grp in fw.extras.groups():
            cap = f" — tối đa [cyan]{fmt(grp.max_points)}[/cyan]" if grp.max_points else ""
            branch = tree.add(f"[bold]{'Điểm thưởng' if group == 'bonus' else 'Điểm trừ'} "
                              f"(ngoài {fmt(fw.total_points)} điểm){cap}[/bold]")
            for it in grp.items:
                branch.add(f"{it.code} {it.name} — [cyan]{fmt(it.max_points)}[/cyan]\n"
                           f"[dim]{it.rule.type}: {it.rule.describe()}[/dim]")
    return tree


def scorecard_table(card: Scorecard, detail: bool = True) -> Table:
    t = card.total
    title = f"Điểm tự đánh giá Chỉ số CCHC — {card.unit or ''}".rstrip(" —")
    table = Table(title=title, show_lines=False, header_style="bold")
    table.add_column("STT")
    table.add_column("Lĩnh vực / Tiêu chí / Tiêu chí thành phần", min_width=40, max_width=70)
    table.add_column("Điểm tối đa", justify="right")
    table.add_column("Điểm tự đánh giá", justify="right")
    table.add_column("Chỉ số (%)", justify="right")
    table.add_column("Ghi chú")
    for n in card.nodes:
        if not detail and n.level != "area":
            continue
        style = "bold" if n.level == "area" else ("" if n.level == "criterion" else "dim")
        indent = {"area": "", "criterion": "  ", "sub-criterion": "    "}[n.level]
        note = _STATUS_VI[n.status]
        if n.pending and n.status == "sum":
            note = f"chờ điều tra XHH {fmt(n.pending)}"
        table.add_row(n.code, indent + n.name, fmt(n.max), fmt(n.score), fmt(n.index), note,
                      style=style)
    basis = "có điểm điều tra XHH" if t.survey_given else "quy về thang 100, chưa có điều tra XHH"
    table.add_section()
    table.add_row("", "[bold]TỔNG CỘNG[/bold]", fmt(t.max), fmt(t.score), fmt(t.index), basis,
                  style="bold")
    _extras_rows(table, card, detail)
    return table


_EXTRA_STATUS_VI = {"scored": "", "not-entered": "chưa nhập", "invalid-input": "nhập sai",
                    "appraisal-pending": "chờ kết quả thẩm định"}


def _extras_rows(table: Table, card: Scorecard, detail: bool) -> None:
    """Below the total, apart: the bonus, the penalty (with their items), the score with
    them."""
    ex = card.extras
    if ex is None:
        return
    table.add_section()
    for label, g in (("Điểm thưởng", ex.bonus), ("Điểm trừ", ex.penalty)):
        if detail:
            for it in (i for i in ex.items if i.group == g.group):
                table.add_row(it.code, "    " + it.name, fmt(it.max), fmt(it.points), "",
                              _EXTRA_STATUS_VI[it.status], style="dim")
        notes = []
        if g.capped:
            notes.append(f"các mục cộng lại {fmt(g.items_points)}, tối đa {fmt(g.cap)}")
        if g.pending:
            notes.append(f"chờ kết quả thẩm định {fmt(g.pending)}")
        sign = "+" if g.group == "bonus" else "−"
        table.add_row("", label, fmt(g.cap) if g.cap is not None else "", sign + fmt(g.points),
                      "", "; ".join(notes))
    table.add_row("", "Tổng điểm sau thưởng, trừ", "", fmt(card.adjusted_score),
                  fmt(card.adjusted_index), "không tính vào Chỉ số CCHC ở trên",
                  style="bold")


def report_table(report: Report) -> Table:
    table = Table(title=report.summary().splitlines()[0], header_style="bold")
    for col in ("Mức", "Mã", "Tiêu chí", "Tài liệu / nhiệm vụ", "Nội dung", "Gợi ý"):
        table.add_column(col)
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    names = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
    for f in report.findings:
        table.add_row(f"[{colours[f.severity]}]{names[f.severity]}[/]", f.code, f.item or "",
                      " ".join(x for x in (f.document, f.task) if x), f.message, f.hint)
    return table


def input_error(console: Console, exc: InputError) -> None:
    console.print(f"[bold red]Không dùng được dữ liệu đầu vào[/bold red] ({exc.title}):",
                  soft_wrap=True)
    for p in exc.problems:
        console.print(f"  [red]•[/red] {p}", highlight=False, soft_wrap=True)


def print_findings(console: Console, report: Report) -> None:
    """The findings list, grouped by kind (see :mod:`parindex.cli.findings_text`), written
    straight to the console's file: coloured on a terminal, plain otherwise."""
    from parindex.cli.common import use_colours
    from parindex.cli.findings_text import write_findings

    write_findings(console.file, report, colour=use_colours(console))
