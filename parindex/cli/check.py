"""``parindex check`` and ``parindex register …``: the pre-submission check and the register."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import datetime as dt

    from parindex.core.findings import Report

from parindex.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOpt,
    DossierArg,
    JsonOpt,
    console,
    err_console,
    print_json,
    use_colours,
)

__all__ = ["check_cmd"]

register_app = typer.Typer(help="Sổ tài liệu kiểm chứng (evidence register).",
                           no_args_is_help=True)
PROGRESS_MIN_FILES = 50
"""Below this many files the check is quick and shows no progress bar."""



def check_cmd(
    dossier: DossierArg,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Đọc lại mọi tệp, không dùng bộ nhớ đệm (lưu ngoài hồ sơ, "
        "trong thư mục cache của người dùng hoặc $PARINDEX_CACHE_DIR).")] = False,
    no_ocr: Annotated[bool, typer.Option(
        "--no-ocr", help="Không đọc bản quét bằng OCR (Tesseract).")] = False,
) -> None:
    """Kiểm tra hồ sơ trước khi gửi: tự đánh giá, sổ và tệp tài liệu kiểm chứng.

    Mã thoát: 0 sẵn sàng gửi, 1 còn lỗi, 2 sai cú pháp lệnh, 3 không đọc được dữ liệu."""
    from parindex.evidence.reportcache import lookup

    # an unchanged dossier: the last report, without importing the check (see reportcache)
    kept = None if no_cache else lookup(dossier, as_of=as_of, ocr=not no_ocr)
    report = kept.report if kept is not None else \
        _check(dossier, as_of, no_cache=no_cache, no_ocr=no_ocr)
    if as_json:
        print_json(report.to_dict())
        raise typer.Exit(EXIT_OK if report.valid else EXIT_FINDINGS)
    if len(report.findings) <= TABLE_MAX and console.is_terminal and console.width >= WIDE:
        from parindex.cli.render import report_table

        if report.findings:
            console.print(report_table(report))
        console.print(report.summary().splitlines()[0], highlight=False)
    else:
        from parindex.cli.findings_text import write_findings

        write_findings(console.file, report, colour=use_colours(console),
                       titles=kept.titles if kept is not None else None)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _check(dossier: Path, as_of: dt.date | None, *, no_cache: bool, no_ocr: bool) -> Report:
    """Run the check, with a progress bar on a terminal when there are many files to read."""
    from contextlib import ExitStack

    from parindex.evidence.check import check_dossier

    with ExitStack() as stack:
        progress_cb = None
        if err_console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            bar = Progress(TextColumn("Đọc tài liệu"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=err_console, transient=True)
            state: dict[str, int | None] = {"task": None}

            def progress_cb(done: int, total: int) -> None:
                if total < PROGRESS_MIN_FILES:
                    return
                if state["task"] is None:
                    stack.enter_context(bar)
                    state["task"] = bar.add_task("files", total=total)
                task = state["task"]
                assert task is not None
                bar.update(task, completed=done)  # type: ignore[arg-type]

        return check_dossier(dossier, as_of=as_of, cache=not no_cache, progress=progress_cb,
                             ocr=not no_ocr, reuse=False)  # check_cmd looked for a kept one


WIDE = 160
"""From this terminal width the findings are shown as a table, below it as a list."""
TABLE_MAX = 200
"""More findings than this are listed grouped by kind even on a wide terminal (a rich table of
thousands of rows takes seconds to lay out)."""


@register_app.command("export")
def register_export(dossier: DossierArg, output: Annotated[Path, typer.Argument(
        help="Tệp .xlsx sẽ ghi.")],
        force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
        ) -> None:
    """Xuất sổ tài liệu kiểm chứng ra bảng Excel (cột Ký số: theo lần kiểm tra gần nhất)."""
    from parindex.core.output import check_output
    from parindex.evidence.register import register_of, register_to_xlsx
    from parindex.evidence.signing import NOT_CHECKED, register_signatures
    from parindex.scoring.dossier import load_dossier

    loaded = load_dossier(dossier)
    check_output(output, force=force, inputs=loaded.own_files())  # before the register is read
    reg = register_of(loaded)
    signatures = register_signatures(loaded.root, ([f.path for f in doc.files]
                                                   for doc in reg.documents))
    register_to_xlsx(reg, output, force=force, inputs=loaded.own_files(), signatures=signatures)
    console.print(f"Đã ghi {len(reg.documents)} tài liệu vào {output}", highlight=False)
    unchecked = sum(v == NOT_CHECKED for values in signatures for v in values)
    if unchecked:
        console.print(f"Lưu ý: {unchecked} tệp chưa được kiểm tra từ lần sửa gần nhất, cột Ký số "
                      f"ghi “{NOT_CHECKED}”: chạy parindex check {dossier} rồi xuất lại.",
                      highlight=False)


@register_app.command("import")
def register_import(dossier: DossierArg, source: Annotated[Path, typer.Argument(
        help="Bảng Excel của sổ.")]) -> None:
    """Nhập sổ tài liệu kiểm chứng từ bảng Excel (ghi đè register.yaml của hồ sơ)."""
    from parindex.evidence.register import register_from_xlsx, save_register
    from parindex.scoring.dossier import load_dossier

    loaded = load_dossier(dossier)
    reg = register_from_xlsx(source)
    target = loaded.path(loaded.manifest.files.register_)  # confined to the dossier at load
    save_register(reg, target, inputs=(source,))
    console.print(f"Đã ghi {len(reg.documents)} tài liệu vào {target}", highlight=False)


@register_app.command("scan")
def register_scan(
    dossier: DossierArg,
    as_json: JsonOpt = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Chỉ in các mục soạn được, không ghi vào register.yaml.")] = False,
    no_ocr: Annotated[bool, typer.Option(
        "--no-ocr", help="Không đọc bản quét bằng OCR (Tesseract).")] = False,
) -> None:
    """Soạn mục sổ cho các tệp trong documents/ chưa có trong sổ, đọc từ chính văn bản.

    Mục soạn ra có khối draft (nguồn và độ tin cậy của từng trường, gợi ý tiêu chí, nhiệm
    vụ): chưa được xác nhận cho đến khi người kiểm tra xóa khối đó. Không sửa mục đã có."""
    from parindex.evidence.scan import scan_dossier

    result = scan_dossier(dossier, dry_run=dry_run, ocr=not no_ocr)
    if as_json:
        print_json(result.to_dict())
        raise typer.Exit(EXIT_OK)
    from rich.markup import escape
    from rich.table import Table

    if result.drafts:
        table = Table("Mã tài liệu", "Số ký hiệu", "Loại", "Ngày", "Tệp", "Gợi ý tiêu chí")
        for doc in result.drafts:
            table.add_row(escape(doc.id), escape(doc.number or "—"), escape(doc.type or "—"),
                          doc.date.strftime("%d/%m/%Y") if doc.date else "—",
                          escape("\n".join(f.path for f in doc.files)),
                          ", ".join(doc.draft.proves) if doc.draft else "")
        console.print(table)
    for rel, why in result.unread:
        console.print(f"Không soạn được từ {escape(rel)}: {escape(why)}", highlight=False)
    if not result.drafts:
        console.print("Không có tệp nào chưa đăng ký để soạn.", highlight=False)
    elif result.written:
        console.print(f"Đã thêm {len(result.drafts)} mục chưa xác nhận vào {result.register}",
                      highlight=False)
    else:
        console.print(f"{len(result.drafts)} mục soạn được (--dry-run: chưa ghi).",
                      highlight=False)
    raise typer.Exit(EXIT_OK)
