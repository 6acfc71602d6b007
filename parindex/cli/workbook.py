"""``parindex export``, ``import-workbook`` and ``diff``: the scoring workbook on the CLI.

Exit codes: 0 done; 1 the workbook read back has error findings; 2 the output file exists
(give ``--force``) or the arguments do not fit; 3 unreadable input.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parindex.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    DossierArg,
    JsonOpt,
    console,
    err_console,
    print_framework_status,
    print_json,
)
from parindex.core.findings import Report

__all__ = ["diff_cmd", "export_cmd", "import_workbook_cmd"]

FrameworkOpt = Annotated[
    str | None,
    typer.Option("--framework", help="Bộ tiêu chí (mặc định: bộ đã ghi trong bảng điểm)."),
]


def _fmt(value: Decimal | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return text.replace(".", ",")


def _verdict(report: Report) -> str:
    c = report.counts
    state = "đọc được, hợp lệ" if report.valid else "có lỗi, cần sửa"
    return (f"{report.subject}: {state} — {c['error']} lỗi, {c['warning']} cảnh báo, "
            f"{c['info']} thông tin")


def export_cmd(
    dossier: DossierArg,
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx cần ghi.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
    check: Annotated[bool, typer.Option(
        "--check/--no-check",
        help="Kiểm tra hồ sơ trước (bản làm việc: tài liệu có vấn đề được đưa vào sheet "
             "Giải trình).")]
    = True,
    working: Annotated[bool, typer.Option(
        "--working",
        help="Ghi bản làm việc của đơn vị (tình trạng, cột phụ, giải trình của kiểm tra) "
             "thay cho bản gửi Sở Nội vụ.")] = False,
) -> None:
    """Xuất bảng tự chấm điểm (.xlsx): bản gửi Sở Nội vụ, hoặc bản làm việc (--working)."""
    from parindex.workbook.export import WorkbookExistsError, export_workbook

    if out.suffix.lower() != ".xlsx":
        err_console.print(f"[bold red]Lỗi:[/bold red] tệp xuất phải có đuôi .xlsx: {out}",
                          highlight=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        result = export_workbook(dossier, out, force=force, check=check, working=working)
    except WorkbookExistsError as exc:
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    kind = "bản làm việc" if working else "bản gửi Sở Nội vụ"
    console.print(f"Đã ghi {result.path} ({kind}; {len(result.rows)} dòng tiêu chí, "
                  f"{len(result.formula_cells)} ô công thức).", highlight=False)
    if result.check is not None and (result.check.counts["error"]
                                     or result.check.counts["warning"]):
        c = result.check.counts
        where = ("sheet Giải trình đã ghi các tiêu chí liên quan" if working else
                 "bản làm việc (--working) ghi các tiêu chí liên quan")
        console.print(f"Lưu ý: hồ sơ còn {c['error']} lỗi, {c['warning']} cảnh báo (xem "
                      f"parindex check); {where}.", highlight=False)
    print_framework_status(result.framework_status, result.grade_withheld, result.framework)


def import_workbook_cmd(
    file: Annotated[Path, typer.Argument(help="Bảng điểm .xlsx đã thẩm định.")],
    framework: FrameworkOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Đọc lại bảng điểm sau thẩm định: kiểm tra và in điểm tự đánh giá, điểm thẩm định."""
    from parindex.cli.render import report_table
    from parindex.workbook.read import read_workbook

    reading = read_workbook(file, framework)
    if as_json:
        print_json(reading.to_dict())
    else:
        table = Table(title=f"Bảng điểm {file.name} — {reading.unit or ''}".rstrip(" —"),
                      header_style="bold")
        for col in ("STT", "Tiêu chí", "Tối đa", "Tự đánh giá", "Thẩm định", "TLKC"):
            table.add_column(col, justify="right" if col in {"Tối đa", "Tự đánh giá",
                                                             "Thẩm định"} else "left")
        for item in reading.items:
            if item.status == "sum":
                continue
            table.add_row(item.code, item.name, _fmt(item.max), _fmt(item.self_score),
                          _fmt(item.appraised), ", ".join(item.evidence))
        console.print(table)
        if reading.report.findings:
            console.print(report_table(reading.report))
        console.print(_verdict(reading.report), highlight=False)
    if not reading.report.valid:
        raise typer.Exit(EXIT_FINDINGS)


def diff_cmd(
    first: Annotated[Path, typer.Argument(help="Bảng điểm .xlsx, hoặc thư mục hồ sơ.")],
    second: Annotated[Path | None, typer.Argument(
        help="Bảng điểm .xlsx khi tham số đầu là thư mục hồ sơ.")] = None,
    framework: FrameworkOpt = None,
    as_json: JsonOpt = False,
    show_all: Annotated[bool, typer.Option("--all", help="In mọi tiêu chí.")] = False,
) -> None:
    """So sánh điểm thẩm định với điểm tự đánh giá: theo tiêu chí, lĩnh vực và tổng; các vòng
    thẩm định (điểm cuối cùng là của vòng sau cùng)."""
    from parindex.workbook.read import read_workbook

    card = None
    if first.is_dir():
        if second is None:
            err_console.print("[bold red]Lỗi:[/bold red] cần tệp bảng điểm .xlsx sau thư mục "
                              "hồ sơ.", highlight=False)
            raise typer.Exit(EXIT_USAGE)
        from parindex.scoring.dossier import load_dossier

        d = load_dossier(first)
        card = d.score()
        reading = read_workbook(second, framework or d.framework)
    else:
        if second is not None:
            err_console.print("[bold red]Lỗi:[/bold red] dùng: parindex diff FILE.xlsx hoặc "
                              "parindex diff DOSSIER FILE.xlsx", highlight=False)
            raise typer.Exit(EXIT_USAGE)
        reading = read_workbook(first, framework)
    from parindex.province.rounds import diff_rounds

    both = diff_rounds(reading, card)
    result, changes = both.diff, both.changes
    if as_json:
        print_json(both.to_dict())
    else:
        rows = result.rows if show_all else result.changed()
        table = Table(title="Chênh lệch điểm thẩm định so với tự đánh giá", header_style="bold")
        for col in ("STT", "Tiêu chí", "Tự đánh giá", "Thẩm định", "Chênh lệch"):
            table.add_column(col, justify="left" if col in {"STT", "Tiêu chí"} else "right")
        for r in rows:
            table.add_row(r.code or "", r.name, _fmt(r.self_score), _fmt(r.appraised),
                          _fmt(r.difference, signed=True), style="bold" if r.level == "area"
                          else None)
        if rows:
            console.print(table)
        else:
            console.print("Không có tiêu chí nào có điểm thẩm định khác điểm tự đánh giá.")
        areas = Table(title="Theo lĩnh vực", header_style="bold")
        for col in ("STT", "Lĩnh vực", "Tự đánh giá", "Thẩm định", "Chênh lệch",
                    "Đã thẩm định", "Chỉ số tự ĐG (%)", "Chỉ số thẩm định (%)"):
            areas.add_column(col, justify="left" if col in {"STT", "Lĩnh vực"} else "right")
        for r in (*result.areas, result.total):
            areas.add_row(r.code or "", r.name, _fmt(r.self_score), _fmt(r.appraised),
                          _fmt(r.difference, signed=True),
                          f"{r.appraised_items}/{r.appraisable_items}", _fmt(r.self_index),
                          _fmt(r.appraised_index), style="bold" if r.code is None else None)
        console.print(areas)
        if result.edited_texts:
            texts = Table(title="Giải trình / ghi chú sửa trong bảng điểm", header_style="bold")
            for col in ("STT", "Cột", "Hồ sơ", "Bảng điểm"):
                texts.add_column(col)
            names = {"explanation": "Giải trình", "note": "Ghi chú"}
            for e in result.edited_texts:
                texts.add_row(e.code, names[e.field], e.dossier or "–", e.workbook or "–")
            console.print(texts)
        if result.extras:
            extra = Table(title="Điểm thưởng, điểm trừ (ngoài tổng điểm)", header_style="bold")
            for col in ("STT", "Nhóm", "Tự đánh giá", "Thẩm định", "Chênh lệch",
                        "Đã thẩm định"):
                extra.add_column(col, justify="left" if col in {"STT", "Nhóm"} else "right")
            for x in result.extras:
                extra.add_row(x.code, "Điểm thưởng" if x.group == "bonus" else "Điểm trừ",
                              _fmt(x.self_points), _fmt(x.appraised)
                              + (" (tính từ kết quả thẩm định)" if x.computed else ""),
                              _fmt(x.difference, signed=True),
                              f"{x.appraised_items}/{x.appraisable_items}"
                              if x.appraisable_items else "–")
            console.print(extra)
        later = [c for c in changes if c.round > 1]
        if later:
            rounds = Table(title="Thay đổi giữa các vòng thẩm định", header_style="bold")
            for col in ("STT", "Vòng", "Điểm trước", "Điểm sau", "Ý kiến thẩm định",
                        "Giải trình bổ sung"):
                rounds.add_column(col)
            for c in later:
                rounds.add_row(c.code, str(c.round), _fmt(c.before), _fmt(c.after),
                               c.review or "–", c.response or "–")
            console.print(rounds)
        console.print(_verdict(result.report), highlight=False)
    if not result.report.valid:
        raise typer.Exit(EXIT_FINDINGS)
