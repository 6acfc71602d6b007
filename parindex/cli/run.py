"""``parindex run``: the main job — score, check, write the submission workbook and the report —
in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parindex.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    AsOfOpt,
    DossierArg,
    console,
    err_console,
    print_framework_status,
)

__all__ = ["run_cmd"]


def run_cmd(
    dossier: DossierArg,
    out: Annotated[Path | None, typer.Option(
        "-o", "--output",
        help="Bảng điểm .xlsx cần ghi (mặc định: out/<tên thư mục hồ sơ>.xlsx).")] = None,
    report_out: Annotated[Path | None, typer.Option(
        "--report",
        help="Báo cáo .docx cần ghi (mặc định: cạnh bảng điểm, <tên>-bao-cao.docx).")] = None,
    as_of: AsOfOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè bảng điểm, báo cáo nếu đã có.")]
    = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Thoát với mã 1 nếu hồ sơ còn lỗi (mặc định: 0 khi đã ghi xong).")]
    = False,
) -> None:
    """Chấm điểm, kiểm tra hồ sơ, xuất bảng điểm .xlsx và báo cáo .docx gửi Sở Nội vụ."""
    from parindex.cli.render import print_findings, scorecard_table
    from parindex.evidence.check import check
    from parindex.report.content import dossier_report_content
    from parindex.report.document import ReportExistsError, write_report
    from parindex.scoring.dossier import load_dossier
    from parindex.workbook.export import WorkbookExistsError, export_workbook
    from parindex.workbook.view import evidence_view

    target = out or Path("out") / f"{Path(dossier).resolve().name}.xlsx"
    if target.suffix.lower() != ".xlsx":
        err_console.print(f"[bold red]Lỗi:[/bold red] tệp xuất phải có đuôi .xlsx: {target}",
                          highlight=False)
        raise typer.Exit(EXIT_USAGE)
    doc = report_out or target.with_name(f"{target.stem}-bao-cao.docx")
    if doc.suffix.lower() != ".docx":
        err_console.print(f"[bold red]Lỗi:[/bold red] tệp báo cáo phải có đuôi .docx: {doc}",
                          highlight=False)
        raise typer.Exit(EXIT_USAGE)
    for path in (target, doc):
        if path.exists() and not force:
            err_console.print(f"[bold red]Lỗi:[/bold red] tệp {path} đã có; thêm --force để "
                              "ghi đè.", highlight=False)
            raise typer.Exit(EXIT_USAGE)
    d = load_dossier(dossier)
    card = d.score()
    console.print(scorecard_table(card, detail=False))
    console.rule("Kiểm tra hồ sơ trước khi gửi")
    report = check(d, as_of=as_of)
    print_findings(console, report)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = export_workbook(d, target, force=force, evidence=evidence_view(d, report),
                                 check=False)
        content = dossier_report_content(d)
        write_report(content, doc, force=force, protect=d.own_files())
    except (WorkbookExistsError, ReportExistsError) as exc:
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    console.rule("Bảng điểm")
    console.print(f"Đã ghi {result.path} (bản gửi Sở Nội vụ; {len(result.rows)} dòng tiêu "
                  f"chí, {len(result.formula_cells)} ô công thức).", highlight=False)
    console.print(f"Đã ghi {doc} (báo cáo: tổng điểm tự đánh giá {content.total_score}, chỉ "
                  f"số {content.index}%; số ký hiệu {content.number}).", highlight=False)
    console.print("Bản làm việc của đơn vị (tình trạng, giải trình của kiểm tra): parindex "
                  "export --working.", highlight=False)
    print_framework_status(result.framework_status, result.grade_withheld, result.framework)
    raise typer.Exit(EXIT_FINDINGS if strict and not report.valid else EXIT_OK)
