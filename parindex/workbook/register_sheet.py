"""The register sheet, ``Danh mục TLKC``: the evidence register as an Excel table, one row per
document, file paths as ``HYPERLINK`` formulas relative to the workbook's folder (so the links
work when the dossier is sent as a folder). Written for a register of thousands of documents:
only the cells that need a style carry one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parindex.workbook.cells import (
    _ONE_LINE,
    _file_link,
    _height_setter,
    _print_setup,
    _put,
    _put_formula,
    _put_text,
    _quote,
    _risky,
    _row_height,
    _Styles,
)
from parindex.workbook.layout import REGISTER_COLUMNS, REGISTER_SHEET, FormulaCell, Heading

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parindex.workbook.view import EvidenceView

__all__: list[str] = []  # the writer's helper, imported by name


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
    for i, width in enumerate((6, 18, 12, 60, 26, 16, 36), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # The body is formatted by an Excel table (borders, banding, filter buttons) so that only
    # cells that need it carry a style: wrapped text, dates, links, formula-like text.
    wrap = st.get(border=False)
    prefix = st.get(border=False, wrap=False, text_prefix=True)
    wrap_prefix = st.get(border=False, text_prefix=True)
    date_st = st.get(border=False, date=True, horizontal="center")
    link_st = st.get(border=False, colour="0563C1", underline=True, wrap=False)
    out: dict[int, int] = {}
    set_height = _height_setter(ws)
    r = 4
    for i, row in enumerate(evidence.rows):
        out[i] = r
        _put(ws, r, 1, i + 1)
        _put(ws, r, 2, row.number or None, prefix if _risky(row.number) else None)
        _put(ws, r, 3, row.date, date_st)
        for col, text, fits in ((4, row.title, 60), (5, row.issuer, 26)):
            if text and (_risky(text) or len(text) > fits or "\n" in text):
                _put(ws, r, col, text, wrap_prefix if _risky(text) else wrap)
            else:  # fits on one line: no style needed
                _put(ws, r, col, text or None)
        _put(ws, r, 6, ", ".join(row.items) or None)
        height = _row_height(((row.title, 60), (row.issuer, 26), (row.number, 18)), 12)
        if height > _ONE_LINE:
            set_height(r, height)
        if row.path:
            target = _file_link(row.path, link_base, out_dir)
            formula = f"=HYPERLINK({_quote(target)},{_quote(row.path)})"
            if len(target) <= 255 and len(row.path) <= 255:  # limit of a formula literal
                _put_formula(ws, r, 7, formula, link_st)
                links.append(FormulaCell(REGISTER_SHEET, f"G{r}", None, "link", row.path))
            else:
                cell = _put(ws, r, 7, row.path, link_st)
                cell.hyperlink = target
        r += 1
    ws.freeze_panes = "A4"
    if evidence.rows:
        from openpyxl.worksheet.table import Table, TableStyleInfo

        table = Table(displayName="DanhMucTLKC", ref=f"A3:{last}{r - 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
    _print_setup(ws, "3:3")
    return out
