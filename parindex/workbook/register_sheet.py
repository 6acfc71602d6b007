"""The register sheet, ``Danh mục TLKC``: the evidence register as an Excel table, one row per
document, file paths as ``HYPERLINK`` formulas relative to the workbook's folder (so the links
work when the dossier is sent as a folder). Written for a register of thousands of documents;
every cell is boxed and wrapped, so that it prints in full."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parindex.workbook.cells import (
    _file_linker,
    _height_setter,
    _lines,
    _print_setup,
    _put,
    _put_formula,
    _put_text,
    _quote,
    _risky,
    _Styles,
)
from parindex.workbook.layout import REGISTER_COLUMNS, REGISTER_SHEET, FormulaCell, Heading

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parindex.workbook.view import EvidenceView

__all__: list[str] = []  # the writer's helper, imported by name

_WIDTHS = (6, 20, 12, 50, 24, 16, 30)
"""STT, Số ký hiệu, Ngày ban hành, Trích yếu, Cơ quan ban hành, Tiêu chí kiểm chứng, Tệp."""


def _register_sheet(wb: Workbook, evidence: EvidenceView, heading: Heading,
                    link_base: Path | None, out_dir: Path, links: list[FormulaCell],
                    ) -> dict[int, int]:
    """Write the register; returns register index → sheet row.

    File paths are ``HYPERLINK`` formulas (their cells go to ``links``): as cheap to write as
    text, where 5,000 hyperlink objects would double the time of a save."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(REGISTER_SHEET)
    st = _Styles(ws)
    last = get_column_letter(len(REGISTER_COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    _put_text(ws, 1, 1, f"DANH MỤC TÀI LIỆU KIỂM CHỨNG — {heading.unit} — năm {heading.year}",
              st, bold=True, size=13, border=False, horizontal="center")
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, (_, title) in enumerate(REGISTER_COLUMNS, start=1):
        _put(ws, 3, i, title, hdr)
    ws.row_dimensions[3].height = 32
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # Every body cell is boxed, wrapped and centred vertically so that the register prints
    # as a table with every number, item list and path in full (styles are prepared once and
    # copied: cheap even for thousands of rows).
    text = st.shared(size=11)
    text_prefix = st.shared(size=11, text_prefix=True)
    centre = st.shared(size=11, horizontal="center")
    date_st = st.shared(size=11, date=True, horizontal="center")
    link_st = st.get(size=11, colour="0563C1", underline=True)
    w = _WIDTHS
    caps = [max(1, int(width * 13.5 / 11)) for width in w]
    out: dict[int, int] = {}
    set_height = _height_setter(ws)
    link = _file_linker(link_base, out_dir)
    r = 4
    for i, row in enumerate(evidence.rows):
        out[i] = r
        _put(ws, r, 1, i + 1, centre, True)
        for col, value in ((2, row.number), (4, row.title), (5, row.issuer)):
            _put(ws, r, col, value or None, text_prefix if _risky(value) else text, True)
        _put(ws, r, 3, row.date, date_st, True)
        items = ", ".join(row.items)
        _put(ws, r, 6, items or None, centre, True)
        lines = 1
        for text_, cap in ((row.number, caps[1]), (row.title, caps[3]), (row.issuer, caps[4]),
                           (items, caps[5]), (row.path, caps[6])):
            if text_ and (len(text_) > cap or "\n" in text_):
                lines = max(lines, _lines(text_, cap))
        if lines > 1:
            set_height(r, round(lines * 11 * 1.3 + 4, 1))
        if row.path:
            target = link(row.path)
            if target is None:  # leaves the dossier: shown, never linked
                _put(ws, r, 7, row.path, text_prefix if _risky(row.path) else text, True)
            elif len(target) <= 255 and len(row.path) <= 255:  # limit of a formula literal
                formula = f"=HYPERLINK({_quote(target)},{_quote(row.path)})"
                _put_formula(ws, r, 7, formula, link_st)
                links.append(FormulaCell(REGISTER_SHEET, f"G{r}", None, "link", row.path))
            else:
                cell = _put(ws, r, 7, row.path, link_st)
                cell.hyperlink = target
        else:
            _put(ws, r, 7, None, text, True)
        r += 1
    ws.freeze_panes = "A4"
    if evidence.rows:
        from openpyxl.worksheet.filters import AutoFilter
        from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

        # the columns named after the header row, as openpyxl names them when saving a table
        # without columns, but without it reading every cell of the table's range to do so
        ref = f"A3:{last}{r - 1}"
        table = Table(displayName="DanhMucTLKC", ref=ref, autoFilter=AutoFilter(ref=ref),
                      tableColumns=[TableColumn(id=i, name=title)
                                    for i, (_, title) in enumerate(REGISTER_COLUMNS, start=1)])
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
    _print_setup(ws, "3:3")
    return out
