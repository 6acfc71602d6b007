"""``parindex province``: Sở Nội vụ's roll-up of every department's score sheet.

Exit codes: 0 done; 1 some files were set aside (their findings say why) or the survey table
has errors; 2 the output exists (give ``--force``), is not .xlsx, or no framework could be
chosen; 3 unreadable input (the folder, the survey table, the framework).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from parindex.cli.common import EXIT_FINDINGS, EXIT_USAGE, JsonOpt, console, err_console, print_json

__all__ = ["province_cmd"]


def _fmt(value: Decimal | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return (f"{value:+.2f}" if signed else f"{value:.2f}").replace(".", ",")


def _usage(message: str) -> typer.Exit:
    err_console.print(f"[bold red]Lỗi:[/bold red] {message}", highlight=False)
    return typer.Exit(EXIT_USAGE)


def province_cmd(
    folder: Annotated[Path, typer.Argument(help="Thư mục các bảng điểm (.xlsx) của các đơn vị.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp tổng hợp .xlsx cần ghi.")],
    survey: Annotated[Path | None, typer.Option(
        "--survey", help="Bảng kết quả điều tra xã hội học (.xlsx, mỗi đơn vị một dòng).")]
    = None,
    framework: Annotated[str | None, typer.Option(
        "--framework", help="Bộ tiêu chí: mã hoặc tệp .yaml (mặc định: bộ ghi trong các bảng "
                            "điểm).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Tổng hợp, xếp hạng Chỉ số CCHC các đơn vị từ bảng điểm đã thẩm định (Sở Nội vụ)."""
    from rich.table import Table

    from parindex.core.output import check_output
    from parindex.framework.catalog import load_framework, shipped_frameworks
    from parindex.province.rollup import roll_up
    from parindex.province.sheet import recorded_framework
    from parindex.province.summary import write_summary
    from parindex.province.survey import read_survey

    if out.suffix.lower() != ".xlsx":
        raise _usage(f"tệp tổng hợp phải có đuôi .xlsx: {out}")
    if folder.is_dir() and out.parent.resolve() == folder.resolve():
        raise _usage("ghi tệp tổng hợp ra ngoài thư mục các bảng điểm (the summary would be "
                     "read as a department's workbook).")
    inputs = [survey] if survey is not None else []
    check_output(out, force=force, inputs=inputs)
    if framework is None and folder.is_dir():
        framework = recorded_framework(sorted(folder.glob("*.xlsx")))
        if framework is None:
            shipped = shipped_frameworks()
            if len(shipped) != 1:
                raise _usage("các bảng điểm không ghi bộ tiêu chí; chọn bằng --framework.")
            framework = next(iter(shipped))
    fw = load_framework(framework or "")
    table = read_survey(survey, fw) if survey is not None else None
    result = roll_up(folder, fw, table)
    write_summary(result, out, force=force, inputs=inputs)
    if as_json:
        print_json(result.to_dict())
    else:
        view = Table(title=f"Chỉ số CCHC năm {fw.scoring_year} — {len(result.units)} đơn vị",
                     header_style="bold")
        for col in ("Hạng", "Đơn vị", "Tự đánh giá", "Thẩm định", "Điều tra XHH", "Tổng điểm",
                    "Chỉ số (%)", "Chênh lệch", "Xếp loại"):
            view.add_column(col, justify="left" if col in {"Đơn vị", "Xếp loại"} else "right")
        for u in result.units:
            view.add_row(str(u.rank or "–"), u.unit, _fmt(u.self_score),
                         _fmt(u.appraised_score), _fmt(u.survey_score), _fmt(u.total),
                         _fmt(u.index), _fmt(u.gap, signed=True), u.classification or "–")
        console.print(view)
        avg = result.average()
        console.print(f"Bình quân toàn tỉnh: tổng điểm {_fmt(avg['total'])}, chỉ số "
                      f"{_fmt(avg['index'])} %.", highlight=False)
        for file, unit, reason in result.set_aside:
            console.print(f"Để riêng: {file} ({unit or 'không rõ đơn vị'}) — {reason}",
                          highlight=False, markup=False)
        counts = {s: sum(1 for f in result.findings if f.severity == s)
                  for s in ("error", "warning", "info")}
        console.print(f"Đã ghi {out}: {len(result.units)} đơn vị tổng hợp, "
                      f"{len(result.set_aside)} tệp để riêng; {counts['error']} lỗi, "
                      f"{counts['warning']} cảnh báo, {counts['info']} thông tin (sheet Phát "
                      "hiện).", highlight=False)
        if fw.status == "provisional" or not fw.classification_official:
            console.print("Lưu ý: bộ tiêu chí là khung tạm thời hoặc mức xếp loại chưa chính "
                          "thức: xếp loại chỉ để tham khảo.", highlight=False)
    if result.set_aside or any(f.severity == "error" for f in result.findings):
        raise typer.Exit(EXIT_FINDINGS)
