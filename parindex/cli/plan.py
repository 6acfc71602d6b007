"""``parindex plan import|lint`` and ``parindex calendar``: the CCHC plan on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from parindex.cli.common import (
    EXIT_FINDINGS,
    AsOfOpt,
    DossierArg,
    JsonOpt,
    console,
    err_console,
    print_json,
)
from parindex.core.errors import ParindexError

_KEEP_HINT = ("Kế hoạch đã có có thể đã được hiệu chỉnh (gắn tiêu chí, tình trạng, ngày hoàn "
              "thành): dùng --merge để gộp (giữ phần đã hiệu chỉnh), --force để ghi đè, hoặc "
              "chọn tên tệp khác.")

plan_app = typer.Typer(help="Kế hoạch CCHC năm: nhập, kiểm tra.", no_args_is_help=True)


@plan_app.command("import")
def plan_import(
    file: Annotated[Path, typer.Argument(help="Văn bản kế hoạch: .txt hoặc .docx.")],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Ghi ra tệp plan.yaml.")] = None,
    units: Annotated[Path | None, typer.Option(
        "--units", help="Danh mục đơn vị (tệp .yaml có khóa units, hoặc một plan.yaml).")]
    = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm kế hoạch.")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Cơ quan ban hành.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè plan.yaml đã có.")] = False,
    merge: Annotated[bool, typer.Option(
        "--merge", help="Gộp vào plan.yaml đã có, giữ phần đã hiệu chỉnh.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Nhập kế hoạch CCHC từ văn bản (.txt, .docx) thành plan.yaml."""
    from parindex.core.output import OutputExistsError, check_output, write_text_output
    from parindex.plan.importer import read_plan
    from parindex.plan.merge import merge_plans
    from parindex.plan.model import dump_plan, load_plan
    from parindex.plan.units import load_units

    inputs = [file, *([units] if units else [])]
    if output is not None:  # before any work: the folder exists, is writable, not an input
        try:
            check_output(output, force=force or merge, inputs=inputs)
        except OutputExistsError:  # exit 2, like every command's existing output
            raise OutputExistsError(output, _KEEP_HINT) from None
    registry = load_units(units) if units else None
    # the plan being replaced is read only for what is kept from it: with --force and --units,
    # nothing (a damaged plan.yaml can then still be overwritten)
    keep = merge or registry is None
    existing = load_plan(output) if keep and output is not None and output.is_file() else None
    if registry is None and existing is not None:
        registry = existing.units
    parsed = read_plan(file, registry, year=year, issuer=issuer)
    plan = parsed.plan
    for note in parsed.notes:
        err_console.print(f"[bold yellow]Lưu ý:[/bold yellow] {escape(note)}", highlight=False)
    result = None
    if merge and existing is not None:
        result = merge_plans(existing, plan)
        plan = result.plan
    text = dump_plan(plan)
    if output is None:
        console.print(text, highlight=False, markup=False, end="")
        return
    try:  # through a temporary file: a failure leaves the old plan.yaml as it was
        write_text_output(output, text, force=force or merge, inputs=inputs)
    except OutputExistsError:  # appeared while the plan was read
        raise OutputExistsError(output, _KEEP_HINT) from None
    summary = {"output": str(output), "tasks": len(plan.tasks), "sections": len(plan.sections),
               "reports": len(plan.reports), "merge": result.to_dict() if result else None,
               "year": plan.year, "year_basis": parsed.year_basis, "notes": list(parsed.notes)}
    if as_json:
        print_json(summary)
        return
    console.print(f"Đã ghi {output}: {len(plan.tasks)} nhiệm vụ, {len(plan.sections)} mục, "
                  f"{len(plan.reports)} kỳ báo cáo.", highlight=False)
    if result is not None:
        console.print(result.summary(), highlight=False)


@plan_app.command("lint")
def plan_lint(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="Tệp plan.yaml.")],
    framework: Annotated[str | None, typer.Option(
        "--framework", help="Bộ tiêu chí để kiểm tra việc gắn nhiệm vụ (mặc định: của kế hoạch).")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Kiểm tra kế hoạch: đánh số, đơn vị, sản phẩm, thời gian, gắn tiêu chí."""
    from parindex.framework.catalog import load_framework
    from parindex.plan.lint import lint_plan
    from parindex.plan.model import load_plan

    plan = load_plan(plan_file)
    report = lint_plan(plan, load_framework(framework) if framework else None,
                       subject=str(plan_file))
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(report.summary(), highlight=False, markup=False, soft_wrap=True)
    if not report.valid:
        raise typer.Exit(EXIT_FINDINGS)


def calendar_cmd(
    dossier: DossierArg,
    as_of: AsOfOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã hoặc tên đơn vị.")] = None,
    include_done: Annotated[bool, typer.Option("--all", help="Cả việc đã xong.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Việc đến hạn, quá hạn theo đơn vị (gồm lịch báo cáo định kỳ)."""
    from parindex.plan.schedule import STATE_LABELS, build_calendar
    from parindex.scoring.dossier import load_dossier

    day = as_of or dt.date.today()
    d = load_dossier(dossier)
    if d.plan is None:
        raise ParindexError(f"hồ sơ {dossier} chưa có {d.manifest.files.plan}")
    cal = build_calendar(d.plan, day, unit, include_done=include_done)
    if as_json:
        print_json(cal.to_dict())
        return
    counts = cal.counts()
    head = f"Lịch thực hiện kế hoạch CCHC năm {d.plan.year}, tính đến {day:%d/%m/%Y}"
    console.print(head + (f" — {cal.unit}" if cal.unit else ""), highlight=False)
    console.print(", ".join(f"{STATE_LABELS[k]}: {v}" for k, v in counts.items() if v),
                  highlight=False)
    for name, entries in cal.by_unit().items():
        console.print(f"\n[bold]{name}[/bold]", highlight=False)
        for e in entries:
            due = f"{e.due:%d/%m/%Y}" if e.due else "—"
            console.print(f"  {STATE_LABELS[e.state]:<19} {due:<10} {e.code:<9} {e.what}",
                          highlight=False, markup=False)

