"""The province summary workbook (tong-hop.xlsx): :func:`write_summary`.

Sheets: ``Tổng hợp`` (one row per department, best first: maximum, self-assessed, appraised and
survey points as values; total, index, gap self − appraised, rank and classification as live
formulas; the province average; with a framework's bonus and penalty items, columns after
``Tệp``: the self-assessed and the appraised bonus and penalty, the penalty points still
pending, and "Tổng điểm sau thưởng, trừ" = total + bonus − penalty as a formula, apart from the
total, index and rank), one sheet per area (index and rank per department), a chart
of the indexes, the appraisal rounds' changes, the files set aside and the findings. Every
text cell goes through :mod:`parindex.core.sheetcell`: no formula is ever written from data.
:attr:`Summary.cells` lists each formula cell with the value the JSON gives for it, so a test
can recalculate the file in a real spreadsheet engine and compare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.output import write_output
from parindex.core.sheetcell import append_row, put_text
from parindex.province.formulas import column_letter
from parindex.province.rollup import ProvinceResult, UnitResult

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SUMMARY_SHEET", "Summary", "SummaryCell", "write_summary"]

SUMMARY_SHEET = "Tổng hợp"
FIRST = 5
"""First department row of the summary and area sheets (headers on row 4)."""
_HEADERS = ("STT", "Đơn vị", "Điểm tối đa tính chỉ số", "Điểm tự đánh giá", "Điểm thẩm định",
            "Điểm điều tra XHH", "Tổng điểm", "Chỉ số (%)", "Chênh lệch tự đánh giá − thẩm định",
            "Xếp hạng", "Xếp loại", "Tệp")
_EXTRA_HEADERS = ("Điểm thưởng tự đánh giá", "Điểm trừ tự đánh giá",
                  "Điểm thưởng sau thẩm định", "Điểm trừ sau thẩm định",
                  "Điểm trừ chờ kết quả thẩm định", "Tổng điểm sau thưởng, trừ")
"""Columns M…R of the summary when the framework has ``extras`` (the JSON's ``self_bonus``,
``self_penalty``, ``bonus``, ``penalty``, ``pending`` and ``adjusted_total``)."""
_AREA_HEADERS = ("STT", "Đơn vị", "Điểm tối đa tính chỉ số", "Điểm tự đánh giá",
                 "Điểm sau thẩm định", "Chỉ số (%)", "Xếp hạng")
_SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


@dataclass(frozen=True)
class SummaryCell:
    """A formula cell and the value the roll-up's JSON gives for it (None: shown empty)."""

    sheet: str
    ref: str
    expected: int | float | str | None


@dataclass
class Summary:
    path: Path
    cells: list[SummaryCell] = field(default_factory=list)


def _v(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _lit(value: Decimal | int) -> str:
    return format(Decimal(value).normalize(), "f")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _style_header(ws: Worksheet, row: int, n: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="D9E1F2")
    for c in range(1, n + 1):
        cell = ws.cell(row=row, column=c)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    ws.row_dimensions[row].height = 45


def _title(ws: Worksheet, lines: list[str], width: int) -> None:
    from openpyxl.styles import Alignment, Font

    for i, text in enumerate(lines, start=1):
        ws.merge_cells(f"A{i}:{column_letter(width - 1)}{i}")
        cell = put_text(ws.cell(row=i, column=1), text)
        cell.font = Font(bold=i == 1, italic=i > 1, size=14 if i == 1 else 11)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)


def _rank_formula(col: str, r: int, last: int, ties: list[tuple[str, str, str]]) -> str:
    """1 + the units with a better index (and, on equal keys, a better tie-break)."""
    rng = f"{col}${FIRST}:{col}${last}"
    terms = [f"SUMPRODUCT(ISNUMBER({rng})*({rng}>{col}{r}))"]
    equal = [f"({rng}={col}{r})"]
    for array, own, better in ties:
        terms.append(f"SUMPRODUCT(ISNUMBER({rng})*{'*'.join(equal)}*(({array}){better}({own})))")
        equal.append(f"(({array})=({own}))")
    return f'=IF(ISNUMBER({col}{r}),1+{"+".join(terms)},"")'


def _tie_terms(keys: tuple[str, ...], r: int, last: int) -> list[tuple[str, str, str]]:
    rows = f"${FIRST}:{{c}}${last}"

    def rng(c: str) -> str:
        return f"{c}{rows.format(c=c)}"

    out = []
    for key in keys:
        if key == "survey_score":
            out.append((rng("F"), f"N(F{r})", ">"))
        elif key == "appraised_score":
            out.append((f"{rng('G')}-{rng('F')}", f"G{r}-N(F{r})", ">"))
        else:  # smaller_gap: self − (appraised or self)
            out.append((f"{rng('D')}-{rng('G')}+{rng('F')}", f"D{r}-G{r}+N(F{r})", "<"))
    return out


def _classify(index_ref: str, result: ProvinceResult) -> str:
    bands = sorted(result.framework.classification, key=lambda b: b.min_index)
    expr = '""'
    for band in bands:
        expr = f"IF({index_ref}>={_lit(band.min_index)},{_quote(band.label)},{expr})"
    return expr


def write_summary(result: ProvinceResult, out: Path | str, *, force: bool = True,
                  inputs: Iterable[Path | str] = ()) -> Summary:
    """Write the summary workbook of ``result`` to ``out`` (atomically, through
    :func:`parindex.core.output.write_output`: an existing file is kept unless ``force``, an
    input is never replaced)."""
    from openpyxl import Workbook

    path = Path(out)
    summary = Summary(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    _main(ws, result, summary)
    for area in result.framework.areas:
        _area(wb.create_sheet(f"Lĩnh vực {area.code}"[:31]), result, area.code, summary)
    _chart(wb, result)
    _changes(wb.create_sheet("Thẩm định các vòng"), result)
    _set_aside(wb.create_sheet("Tệp để riêng"), result)
    _findings(wb.create_sheet("Phát hiện"), result)
    write_output(path, wb.save, force=force, inputs=inputs)
    return summary


def _main(ws: Worksheet, result: ProvinceResult, summary: Summary) -> None:
    fw = result.framework
    note = "" if fw.status == "official" else " — khung tạm thời"
    if not fw.classification_official:
        note += " — mức xếp loại chưa chính thức"
    _title(ws, ["BẢNG TỔNG HỢP KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CÁC SỞ, BAN, NGÀNH NĂM "
                f"{fw.scoring_year}", f"Bộ tiêu chí: {fw.title}{note}"], len(_HEADERS))
    ws.row_dimensions[2].height = 30
    for c, text in enumerate(_HEADERS, start=1):
        put_text(ws.cell(row=4, column=c), text)
    _style_header(ws, 4, len(_HEADERS))
    units = result.units
    last = FIRST + max(len(units), 1) - 1
    survey_known = fw.survey_max == 0
    data = result.to_dict()["units"]
    for i, (u, js) in enumerate(zip(units, data, strict=True)):
        r = FIRST + i
        _unit_row(ws, r, i + 1, u)
        ws[f"G{r}"] = f"=IF(ISNUMBER(E{r}),E{r},D{r})+N(F{r})"
        ws[f"H{r}"] = f'=IF(C{r}<=0,"",ROUND(G{r}/C{r}*100,2))'
        ws[f"I{r}"] = f'=IF(ISNUMBER(E{r}),ROUND(D{r}-E{r},2),"")'
        ws[f"J{r}"] = _rank_formula("H", r, last, _tie_terms(fw.ranking.tie_break, r, last))
        given = "TRUE" if survey_known else f"ISNUMBER(F{r})"
        ws[f"K{r}"] = f'=IF(AND({given},ISNUMBER(H{r})),{_classify(f"H{r}", result)},"")'
        for col, key in (("G", "total"), ("H", "index"), ("I", "gap"), ("J", "rank"),
                         ("K", "classification")):
            summary.cells.append(SummaryCell(ws.title, f"{col}{r}", js[key]))
    avg_row = FIRST + len(units)
    put_text(ws.cell(row=avg_row, column=2), "Bình quân toàn tỉnh")
    avg = result.to_dict()["average"]
    for col, key in (("D", "self_score"), ("E", "appraised_score"), ("F", "survey_score"),
                     ("G", "total"), ("H", "index")):
        rng = f"{col}{FIRST}:{col}{max(last, FIRST)}"
        ws[f"{col}{avg_row}"] = f'=IF(COUNT({rng})=0,"",ROUND(AVERAGE({rng}),2))'
        summary.cells.append(SummaryCell(ws.title, f"{col}{avg_row}", avg[key]))
    _numbers(ws, FIRST, avg_row, range(3, 10))
    from openpyxl.styles import Font

    for c in range(1, len(_HEADERS) + 1):
        ws.cell(row=avg_row, column=c).font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJKL", (6, 44, 11, 11, 11, 11, 11, 10, 13, 9, 12, 28),
                          strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"C{FIRST}"
    if fw.extras is not None:
        _extras_columns(ws, data, summary)


def _extras_columns(ws: Worksheet, data: list[dict[str, Any]], summary: Summary) -> None:
    """Columns M…R (:data:`_EXTRA_HEADERS`), one row per unit as the main columns."""
    start = len(_HEADERS) + 1
    for c, text in enumerate(_EXTRA_HEADERS, start=start):
        put_text(ws.cell(row=4, column=c), text)
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="FCE4D6")
    for c in range(start, start + len(_EXTRA_HEADERS)):
        cell = ws.cell(row=4, column=c)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[column_letter(c - 1)].width = 12
    for i, js in enumerate(data):
        r, ex = FIRST + i, js["extras"]
        for c, key in enumerate(("self_bonus", "self_penalty", "bonus", "penalty", "pending"),
                                start=start):
            ws.cell(row=r, column=c, value=ex[key]).number_format = "0.00"
        ref = f"{column_letter(start + 4)}{r}"  # R (column_letter counts from 0)
        ws[ref] = f"=ROUND(G{r}+O{r}-P{r},2)"  # total + appraised bonus − appraised penalty
        ws[ref].number_format = "0.00"
        summary.cells.append(SummaryCell(ws.title, ref, ex["adjusted_total"]))


def _unit_row(ws: Worksheet, r: int, seq: int, u: UnitResult) -> None:
    ws.cell(row=r, column=1, value=seq)
    put_text(ws.cell(row=r, column=2), u.unit)
    for c, value in ((3, u.max), (4, u.self_score), (5, u.appraised_score),
                     (6, u.survey_score)):
        if value is not None:
            ws.cell(row=r, column=c, value=_v(value))
    put_text(ws.cell(row=r, column=12), u.file)


def _numbers(ws: Worksheet, first: int, last: int, cols: range) -> None:
    for r in range(first, last + 1):
        for c in cols:
            ws.cell(row=r, column=c).number_format = "0.00"


def _area(ws: Worksheet, result: ProvinceResult, code: str, summary: Summary) -> None:
    node = result.framework.by_code[code]
    _title(ws, [f"LĨNH VỰC {code}. {node.name.upper()}",
                f"Điểm tối đa {_lit(node.max_points).replace('.', ',')}"], len(_AREA_HEADERS))
    for c, text in enumerate(_AREA_HEADERS, start=1):
        put_text(ws.cell(row=4, column=c), text)
    _style_header(ws, 4, len(_AREA_HEADERS))
    units = result.units
    last = FIRST + max(len(units), 1) - 1
    data = result.to_dict()["units"]
    for i, (u, js) in enumerate(zip(units, data, strict=True)):
        r = FIRST + i
        area = next(a for a in u.areas if a.code == code)
        jarea = next(a for a in js["areas"] if a["code"] == code)
        ws.cell(row=r, column=1, value=i + 1)
        put_text(ws.cell(row=r, column=2), u.unit)
        for c, value in ((3, area.max), (4, area.self_score), (5, area.appraised_score)):
            ws.cell(row=r, column=c, value=_v(value))
        ws[f"F{r}"] = f'=IF(C{r}<=0,"",ROUND(E{r}/C{r}*100,2))'
        ws[f"G{r}"] = _rank_formula("F", r, last, [])
        summary.cells += [SummaryCell(ws.title, f"F{r}", jarea["index"]),
                          SummaryCell(ws.title, f"G{r}", jarea["rank"])]
    avg_row = FIRST + len(units)
    put_text(ws.cell(row=avg_row, column=2), "Bình quân toàn tỉnh")
    rng = f"F{FIRST}:F{max(last, FIRST)}"
    ws[f"F{avg_row}"] = f'=IF(COUNT({rng})=0,"",ROUND(AVERAGE({rng}),2))'
    summary.cells.append(SummaryCell(ws.title, f"F{avg_row}",
                                     result.to_dict()["average"]["areas"][code]))
    _numbers(ws, FIRST, avg_row, range(3, 7))
    for col, width in zip("ABCDEFG", (6, 44, 11, 11, 11, 10, 9), strict=True):
        ws.column_dimensions[col].width = width


def _chart(wb: Any, result: ProvinceResult) -> None:
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet("Biểu đồ")
    put_text(ws.cell(row=1, column=1), "Chỉ số cải cách hành chính (%) của các đơn vị")
    n = len(result.units)
    if not n:
        return
    src = wb[SUMMARY_SHEET]
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Chỉ số CCHC (%)"
    chart.y_axis.title = "Chỉ số (%)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.add_data(Reference(src, min_col=8, min_row=4, max_row=FIRST + n - 1),
                   titles_from_data=True)
    chart.set_categories(Reference(src, min_col=2, min_row=FIRST, max_row=FIRST + n - 1))
    chart.height = max(8, 0.6 * n + 3)
    chart.width = 22
    chart.legend = None
    ws.add_chart(chart, "A3")


def _changes(ws: Worksheet, result: ProvinceResult) -> None:
    append_row(ws, ("Đơn vị", "STT", "Vòng thẩm định", "Điểm trước", "Điểm sau",
                    "Ý kiến thẩm định", "Giải trình bổ sung của đơn vị"))
    _style_header(ws, 1, 7)
    for u in result.units:
        for c in u.changes:
            append_row(ws, (u.unit, c.code, c.round, _v(c.before), _v(c.after), c.review,
                            c.response))
    for col, width in zip("ABCDEFG", (36, 8, 10, 10, 10, 40, 40), strict=True):
        ws.column_dimensions[col].width = width


def _set_aside(ws: Worksheet, result: ProvinceResult) -> None:
    append_row(ws, ("Tệp", "Đơn vị", "Lý do không tổng hợp"))
    _style_header(ws, 1, 3)
    for file, unit, reason in result.set_aside:
        append_row(ws, (file, unit, reason))
    for col, width in zip("ABC", (30, 36, 80), strict=True):
        ws.column_dimensions[col].width = width


def _findings(ws: Worksheet, result: ProvinceResult) -> None:
    append_row(ws, ("Tệp", "Mức độ", "Mã", "Tiêu chí", "Dòng", "Nội dung", "Cách sửa"))
    _style_header(ws, 1, 7)
    for f in result.findings:
        append_row(ws, (f.file, _SEVERITY[f.severity], f.code, f.item, f.line, f.message,
                        f.hint))
    for col, width in zip("ABCDEFG", (28, 10, 30, 9, 7, 70, 50), strict=True):
        ws.column_dimensions[col].width = width
