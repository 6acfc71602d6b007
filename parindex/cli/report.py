"""``parindex report``: draft the self-assessment report (.docx) that goes with the submission.

Exit codes: 0 written; 2 the output file exists (give ``--force``) or is not .docx; 3 the
dossier or the template cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parindex.cli.common import EXIT_USAGE, DossierArg, err_console, print_report_written

__all__ = ["report_cmd"]


def report_cmd(
    dossier: DossierArg,
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp .docx cần ghi.")],
    template: Annotated[Path | None, typer.Option(
        "--template", help="Mẫu báo cáo .docx của đơn vị (mặc định: mẫu của parindex).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
) -> None:
    """Dự thảo Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC (.docx) gửi Sở Nội vụ."""
    from parindex.report.document import ReportExistsError, export_report

    if out.suffix.lower() != ".docx":
        err_console.print(f"[bold red]Lỗi:[/bold red] tệp báo cáo phải có đuôi .docx: {out}",
                          highlight=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        content = export_report(dossier, out, template=template, force=force)
    except ReportExistsError as exc:
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    print_report_written(out, content)

