"""The summary sheet, ``Tổng hợp``: per area the maximum, pending survey points, score,
index, appraisal and appraised index (formulas over the main sheet), the total, and a native
bar chart of the index. A framework with bonus and penalty items (``extras``) adds, below the
total and apart from it, the bonus, the penalty and "TỔNG ĐIỂM SAU THƯỞNG, TRỪ" with its index
(formulas over the main sheet's rows of them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from parindex.scoring.scorecard import Scorecard
from parindex.workbook.cells import _print_setup, _put, _put_formula, _put_text, _sheet_ref, _Styles
from parindex.workbook.extras_rows import ADJUSTED_LABEL, GROUP_LABELS
from parindex.workbook.layout import MAIN_SHEET, SUMMARY_SHEET, FormulaCell, Heading
from parindex.workbook.main_sheet import _appraised_index_formula, _index_formula

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__: list[str] = []  # the writer's helper, imported by name


def _summary_sheet(wb: Workbook, card: Scorecard, heading: Heading, rows: Mapping[str, int],
                   total_row: int, extra_cells: Sequence[FormulaCell] = ()
                   ) -> list[FormulaCell]:
    """``extra_cells``: the main sheet's formula cells of the bonus and penalty rows."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SUMMARY_SHEET)
    st = _Styles(ws)
    cols = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm chờ điều tra XHH", "Điểm tự đánh giá",
            "Chỉ số (%)", "Điểm thẩm định", "Chỉ số sau thẩm định (%)")
    last = get_column_letter(len(cols))
    ws.merge_cells(f"A1:{last}1")
    _put_text(ws, 1, 1, f"TỔNG HỢP ĐIỂM TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM {heading.year} — "
              f"{heading.unit}", st, bold=True, size=13, border=False, horizontal="center")
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, title in enumerate(cols, start=1):
        _put(ws, 3, i, title, hdr)
    for i, width in enumerate((6, 50, 10, 12, 12, 10, 12, 12), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    numst = st.get(number=True, size=11)
    cells: list[FormulaCell] = []
    src = {"max": "J", "pending": "K", "score": "D", "appraised": "E"}
    dest = {"max": "C", "pending": "D", "score": "E", "appraised": "G"}
    r = 4
    for area in card.areas:
        mr = rows[area.code]
        _put_text(ws, r, 1, area.code, st, size=11, horizontal="center")
        _put_text(ws, r, 2, area.name, st, size=11)
        for key in ("max", "pending", "score", "appraised"):
            _put_formula(ws, r, ord(dest[key]) - 64,
                         "=" + _sheet_ref(MAIN_SHEET, f"{src[key]}{mr}"), numst)
            cells.append(FormulaCell(SUMMARY_SHEET, f"{dest[key]}{r}", area.code, key))
        _put_formula(ws, r, 6, _index_formula(f"E{r}", f"C{r}", f"D{r}"), numst)
        cells.append(FormulaCell(SUMMARY_SHEET, f"F{r}", area.code, "index"))
        _put_formula(ws, r, 8, _appraised_index_formula(f"G{r}", f"C{r}", f"D{r}"), numst)
        cells.append(FormulaCell(SUMMARY_SHEET, f"H{r}", area.code, "appraised_index"))
        r += 1
    first, end = 4, r - 1
    tot = st.get(number=True, size=11, bold=True, fill="FFF2CC")
    _put(ws, r, 1, None, tot)
    _put_text(ws, r, 2, "TỔNG CỘNG", st, size=11, bold=True, fill="FFF2CC")
    for key in ("max", "pending", "score"):
        col = dest[key]
        _put_formula(ws, r, ord(col) - 64, f"=SUM({col}{first}:{col}{end})", tot)
        cells.append(FormulaCell(SUMMARY_SHEET, f"{col}{r}", None, key))
    _put_formula(ws, r, 7, f'=IF(COUNT(G{first}:G{end})=0,"",SUM(G{first}:G{end}))', tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"G{r}", None, "appraised"))
    _put_formula(ws, r, 6, _index_formula(f"E{r}", f"C{r}", f"D{r}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"F{r}", None, "index"))
    _put_formula(ws, r, 8, _appraised_index_formula(f"G{r}", f"C{r}", f"D{r}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"H{r}", None, "appraised_index"))
    r = _extras_rows(ws, st, card, r, extra_cells, cells)

    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Chỉ số CCHC theo lĩnh vực (%)"
    chart.y_axis.title = "Chỉ số (%)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.x_axis.scaling.orientation = "maxMin"
    chart.legend = None
    data = Reference(ws, min_col=6, min_row=3, max_row=end)
    labels = Reference(ws, min_col=2, min_row=first, max_row=end)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.y_axis.number_format = "0"
    chart.y_axis.majorUnit = 20
    chart.height = max(6.0, 0.75 * (end - first + 1) + 3)
    chart.width = 24
    ws.add_chart(chart, f"B{r + 2}")
    ws.row_dimensions[3].height = 32
    _print_setup(ws, None)
    ws.page_setup.fitToHeight = 1  # the summary and its chart on one page
    return cells


def _extras_rows(ws: Worksheet, st: _Styles, card: Scorecard, t: int,
                 extra_cells: Sequence[FormulaCell], cells: list[FormulaCell]) -> int:
    """Below the total row ``t``: the bonus, the penalty and the score with them, with its
    index on the total's denominator; returns the last row written (``t`` without extras)."""
    fw = card.framework
    if fw.extras is None or not extra_cells:
        return t
    main = {(c.code, c.field): c.ref for c in extra_cells if c.sheet == MAIN_SHEET}
    group_style: dict[str, Any] = {"size": 11, "fill": "FCE4D6"}
    num = st.get(number=True, **group_style)
    r = t
    for group, grp in fw.extras.groups():
        r += 1
        _put(ws, r, 1, None, num)
        _put_text(ws, r, 2, GROUP_LABELS[group], st, **group_style)
        _put(ws, r, 3, grp.max_points, num)
        for col, field in (("E", "extras_points"), ("G", "extras_appraised")):
            _put_formula(ws, r, ord(col) - 64, "=" + _sheet_ref(MAIN_SHEET, main[group, field]),
                         num)
            cells.append(FormulaCell(SUMMARY_SHEET, f"{col}{r}", group, field))
        for col_no in (4, 6, 8):
            _put(ws, r, col_no, None, num)
    r += 1
    tot = st.get(number=True, size=11, bold=True, fill="FCE4D6")
    _put(ws, r, 1, None, tot)
    _put_text(ws, r, 2, ADJUSTED_LABEL, st, size=11, bold=True, fill="FCE4D6")
    for col, field in (("E", "adjusted_score"), ("G", "adjusted_appraised")):
        _put_formula(ws, r, ord(col) - 64, "=" + _sheet_ref(MAIN_SHEET, main[None, field]), tot)
        cells.append(FormulaCell(SUMMARY_SHEET, f"{col}{r}", None, field))
    _put_formula(ws, r, 6, _index_formula(f"E{r}", f"C{t}", f"D{t}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"F{r}", None, "adjusted_index"))
    _put_formula(ws, r, 8, _appraised_index_formula(f"G{r}", f"C{t}", f"D{t}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"H{r}", None, "adjusted_appraised_index"))
    for col_no in (3, 4):
        _put(ws, r, col_no, None, tot)
    return r
