"""``parindex new`` and ``parindex form export|import``: a dossier without writing YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parindex.cli.common import EXIT_USAGE, JsonOpt, console, err_console, print_json
from parindex.core.errors import ParindexError

__all__ = ["new_cmd"]


def new_cmd(
    dossier: Annotated[Path, typer.Argument(help="Thư mục hồ sơ sẽ tạo (mới hoặc rỗng).")],
    unit: Annotated[str, typer.Option("--unit", help='Tên cơ quan, ví dụ "Sở Tư pháp tỉnh '
                                      'Quảng Ngãi".')],
    year: Annotated[int, typer.Option("--year", help="Năm đánh giá.")],
    framework: Annotated[str, typer.Option(
        "--framework", metavar="ID|PATH", help="Bộ tiêu chí: mã có sẵn hoặc tệp .yaml.")]
    = "qn-so-2021",
    plan: Annotated[Path | None, typer.Option(
        "--plan", help="Kế hoạch CCHC năm đã ký: .docx hoặc .txt.")] = None,
    units: Annotated[Path | None, typer.Option(
        "--units", help="Danh mục phòng, đơn vị (tệp .yaml có khóa units).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Tạo hồ sơ mới: dossier.yaml, self-assessment.yaml (khung), register.yaml, documents/."""
    from parindex.entry.skeleton import new_dossier

    try:
        made = new_dossier(dossier, unit, year, framework=framework, plan=plan, units=units)
    except ParindexError as exc:
        if type(exc) is not ParindexError:
            raise
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        print_json(made.to_dict())
        return
    console.print(f"Đã tạo hồ sơ {made.root}: {', '.join(made.files)}.", highlight=False)
    console.print(f"self-assessment.yaml liệt kê {made.items} tiêu chí tự chấm, chưa nhập.",
                  highlight=False)
    for warning in made.warnings:
        console.print(f"Lưu ý: {warning}", highlight=False)
    if made.plan_report is not None:
        console.print(f"Kế hoạch: {made.plan_tasks} nhiệm vụ.", highlight=False)
        console.print(made.plan_report.summary(), highlight=False, markup=False, soft_wrap=True)
    console.print(f"Tiếp theo: parindex form export {made.root} -o phieu.xlsx", highlight=False,
                  markup=False)
