"""``parindex new`` and ``parindex form export|import``: a dossier without writing YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parindex.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    DossierArg,
    JsonOpt,
    console,
    err_console,
    print_json,
)
from parindex.core.errors import ParindexError

__all__ = ["form_app", "form_export_cmd", "form_import_cmd", "new_cmd"]

form_app = typer.Typer(help="Phiếu nhập số liệu (Excel) cho các phòng, đơn vị.",
                       no_args_is_help=True)


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

    if not unit.strip():
        raise typer.BadParameter("tên cơ quan không được để trống", param_hint="'--unit'")
    made = new_dossier(dossier, unit, year, framework=framework, plan=plan, units=units)
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


@form_app.command("export")
def form_export_cmd(
    dossier: DossierArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx sẽ ghi; với --unit: "
                                         "một tệp cho mỗi đơn vị, tên thêm -<mã đơn vị>.")],
    unit: Annotated[list[str] | None, typer.Option(
        "--unit", help="Mã hoặc tên phòng, đơn vị chủ trì (lặp lại được): mỗi đơn vị một "
        "phiếu, chỉ gồm tiêu chí đơn vị trả lời.")] = None,
    all_units: Annotated[bool, typer.Option(
        "--all-units", help="Mỗi đơn vị chủ trì trong kế hoạch một phiếu.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Xuất phiếu nhập số liệu (.xlsx) để các phòng, đơn vị điền."""
    from parindex.entry.form_export import export_forms
    from parindex.scoring.dossier import load_dossier

    d = load_dossier(dossier)
    try:
        forms = export_forms(d, output, unit or (), all_units=all_units, force=force)
    except ParindexError as exc:
        if type(exc) is not ParindexError:
            raise
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        print_json({"forms": [f.to_dict() for f in forms]})
        return
    for f in forms:
        who = f" ({f.unit_name})" if f.unit_name else ""
        extra = f", {len(f.extras)} mục điểm thưởng, điểm trừ" if f.extras else ""
        console.print(f"Đã ghi {f.path}{who}: {len(f.items)} tiêu chí{extra}.",
                      highlight=False, markup=False)


@form_app.command("import")
def form_import_cmd(
    dossier: DossierArg,
    forms: Annotated[list[Path], typer.Argument(help="Các phiếu đã điền (.xlsx).")],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Chỉ cho xem thay đổi, không ghi self-assessment.yaml.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Nhập các phiếu đã điền vào self-assessment.yaml (giữ nguyên chú thích và phần khác).

    Mã thoát: 0 nhập xong, 1 có phiếu hoặc ô không nhập được (các tiêu chí khác vẫn nhập),
    3 không đọc được tệp."""
    from parindex.entry.form_import import import_forms

    result = import_forms(dossier, forms, dry_run=dry_run)
    code = 0 if result.report.valid else EXIT_FINDINGS
    if as_json:
        print_json(result.to_dict())
        raise typer.Exit(code)
    from parindex.cli.render import print_findings
    from parindex.entry.form_import import show_values

    for c in result.changes:
        console.print(f"  {c.item}: {show_values(c.old)} → {show_values(c.new)}  ({c.source})",
                      highlight=False, markup=False)
    if result.report.findings:
        print_findings(console, result.report)
    n = len(result.changes)
    if result.dry_run:
        state = f"Xem trước: {n} tiêu chí sẽ thay đổi; chưa ghi {result.target}."
    elif result.written:
        state = f"Đã ghi {n} thay đổi vào {result.target}."
    else:
        state = f"Không có thay đổi; {result.target} giữ nguyên."
    console.print(state, highlight=False, markup=False)
    raise typer.Exit(code)
