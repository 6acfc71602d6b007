"""``parindex criteria …``: list and show frameworks, import and export official annex tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from parindex.cli.common import EXIT_FINDINGS, EXIT_USAGE, JsonOpt, console, err_console, print_json

__all__ = ["criteria_app", "criteria_export", "criteria_import", "criteria_list", "criteria_show"]

criteria_app = typer.Typer(help="Bộ tiêu chí (criteria frameworks).", no_args_is_help=True)


@criteria_app.command("show")
def criteria_show(
    framework: Annotated[str, typer.Argument(help="Mã bộ tiêu chí hoặc đường dẫn tệp .yaml.")]
    = "qn-so-2021",
    as_json: JsonOpt = False,
) -> None:
    """Hiển thị cây tiêu chí với điểm tối đa và cách chấm."""
    from parindex.cli.render import framework_tree
    from parindex.framework.catalog import load_framework

    fw = load_framework(framework)
    if as_json:
        print_json(fw.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    console.print(framework_tree(fw))


@criteria_app.command("list")
def criteria_list() -> None:
    """Liệt kê các bộ tiêu chí có sẵn."""
    from parindex.framework.catalog import load_framework, shipped_frameworks

    for fid, path in shipped_frameworks().items():
        fw = load_framework(path)
        console.print(f"{fid}\t{fw.status}\t{fw.title}", highlight=False)


@criteria_app.command("import")
def criteria_import(
    table: Annotated[Path, typer.Argument(help="Bảng tiêu chí (.xlsx hoặc .docx).")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp khung tiêu chí .yaml ghi ra.")],
    framework_id: Annotated[str | None, typer.Option("--id", help="Mã bộ tiêu chí.")] = None,
    title: Annotated[str | None, typer.Option(help="Tên bộ tiêu chí.")] = None,
    province: Annotated[str | None, typer.Option(help="Tỉnh, thành phố.")] = None,
    level: Annotated[str, typer.Option(help="Cấp: sở, huyện, xã.")] = "sở",
    year: Annotated[int | None, typer.Option(help="Năm đánh giá.")] = None,
    status: Annotated[str, typer.Option(help="provisional hoặc official.")] = "provisional",
    sheet: Annotated[str | None, typer.Option(help="Tên trang tính (Excel).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Nhập bảng tiêu chí (phụ lục) thành tệp khung tiêu chí YAML, kèm báo cáo nhập.

    Tệp YAML luôn được ghi đúng như bảng đọc được; nếu bảng có lỗi (tổng điểm không khớp …)
    báo cáo nêu từng dòng, lệnh trả mã 1 và tệp chỉ nạp được sau khi sửa.
    """
    from parindex.cli.render import report_table
    from parindex.core.output import check_output
    from parindex.framework.annex.importer import import_annex

    if level not in ("sở", "huyện", "xã") or status not in ("provisional", "official"):
        err_console.print("--level phải là sở, huyện hoặc xã; --status phải là provisional "
                          "hoặc official.")
        raise typer.Exit(EXIT_USAGE)
    lvl: Literal["sở", "huyện", "xã"] = level  # type: ignore[assignment]
    st: Literal["provisional", "official"] = status  # type: ignore[assignment]
    check_output(out, force=force, inputs=(table,), parents=True)  # before the table is read
    result = import_annex(table, id=framework_id, title=title, province=province, level=lvl,
                          year=year, status=st, sheet=sheet)
    result.write(out, force=force)
    if as_json:
        print_json(result.report.to_dict())
    else:
        if result.report.findings:
            console.print(report_table(result.report))
        s = result.report.stats
        console.print(
            f"Đọc {s['rows_read']} dòng: {s['areas']} lĩnh vực, {s['criteria']} tiêu chí, "
            f"{s['sub_criteria']} tiêu chí thành phần; kiểm tra {s['sums_checked']} tổng, "
            f"{s['sums_mismatched']} không khớp; cách chấm nhận ra {s['rules_recognised']}, "
            f"giữ dạng chữ {s['rules_kept_as_text']}.", highlight=False)
        state = "" if result.report.valid else " (bảng có lỗi: sửa rồi mới nạp được)"
        console.print(f"Đã ghi {out}{state}", highlight=False)
    if not result.report.valid:
        raise typer.Exit(EXIT_FINDINGS)


@criteria_app.command("export")
def criteria_export(
    framework: Annotated[str, typer.Argument(help="Mã bộ tiêu chí hoặc đường dẫn tệp .yaml.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp bảng .xlsx ghi ra.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Xuất khung tiêu chí thành bảng phụ lục Excel (để rà soát, không cần đọc YAML)."""
    from parindex.core.output import check_output
    from parindex.framework.annex.export import export_annex
    from parindex.framework.catalog import load_framework

    source = Path(framework)
    inputs = (source,) if source.is_file() else ()
    check_output(out, force=force, inputs=inputs, parents=True)  # before the framework is loaded
    result = export_annex(load_framework(framework), out, force=force, inputs=inputs)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(f"Đã ghi {result.path}: {result.rows} dòng tiêu chí.", highlight=False)
    if result.not_round_trip:
        console.print("Cách chấm không đọc lại được y như cũ: "
                      + ", ".join(result.not_round_trip), highlight=False)
