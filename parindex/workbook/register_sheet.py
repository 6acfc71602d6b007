"""The register sheet, ``Danh mục TLKC``: the evidence register as an Excel table, one row per
document, file paths as ``HYPERLINK`` formulas relative to the workbook's folder (so the links
work when the dossier is sent as a folder). Written for a register of thousands of documents;
every cell is boxed and wrapped, so that it prints in full."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.core.sheetcell import FORMULA_START, clean_text, clean_texts
from parindex.workbook.cells import (
    _file_linker,
    _height_setter,
    _lines,
    _print_setup,
    _put,
    _put_text,
    _quote,
    _risky,
    _shared_cells,
    _Styles,
)
from parindex.workbook.layout import REGISTER_COLUMNS, REGISTER_SHEET, FormulaCell, Heading
from parindex.workbook.view import _maker

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parindex.workbook.view import EvidenceView

__all__: list[str] = []  # the writer's helper, imported by name

_WIDTHS = (6, 20, 12, 50, 24, 16, 30, 16)
"""STT, Số ký hiệu, Ngày ban hành, Trích yếu, Cơ quan ban hành, Tiêu chí kiểm chứng, Tệp,
Ký số."""


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
    link_shared = st.shared(size=11, colour="0563C1", underline=True)
    link_st = st.get(size=11, colour="0563C1", underline=True)
    w = _WIDTHS
    caps = [max(1, int(width * 13.5 / 11)) for width in w]
    cap_number, cap_title, cap_issuer, cap_items, cap_path = caps[1], caps[3], caps[4], \
        caps[5], caps[6]
    out: dict[int, int] = {}
    set_height = _height_setter(ws)
    link = _file_linker(link_base, out_dir)
    new = _shared_cells(ws)
    new_link = _maker(FormulaCell)
    # the lines of an issuer or an item list, which repeat from row to row
    repeated: dict[tuple[str, int], int] = {}
    r = 4
    for i, row in enumerate(evidence.rows):
        out[i] = r
        items = ", ".join(row.items)
        number, title, issuer, path = row.number, row.title, row.issuer, row.path
        # what a cell holds: text cleaned (sheetcell), empty text as no value
        shown = clean_texts((number or None, title or None, issuer or None, items or None,
                             path))
        new(r, 1, centre, i + 1, "n")
        for col, raw, value in ((2, number, shown[0]), (4, title, shown[1]),
                                (5, issuer, shown[2])):
            if value is None:
                new(r, col, text, None, "n")
            else:  # a quote prefix where the text as written looks like a formula
                new(r, col, text_prefix if _risky(raw) else text, value, "s")
        date = row.date
        if date is None or type(date) is dt.date:
            new(r, 3, date_st, date, "n" if date is None else "d")
        else:  # a date and time: bound by openpyxl
            new(r, 3, date_st, None, "n").value = date
        new(r, 6, centre, shown[3], "n" if shown[3] is None else "s")
        lines = 1
        for text_, cap in ((number, cap_number), (title, cap_title), (issuer, cap_issuer),
                           (items, cap_items), (path, cap_path)):
            if text_ and (len(text_) > cap or "\n" in text_):
                if text_ is issuer or text_ is items:
                    count = repeated.get((text_, cap))
                    if count is None:
                        count = repeated[(text_, cap)] = _lines(text_, cap)
                else:
                    count = _lines(text_, cap)
                if count > lines:
                    lines = count
        if lines > 1:
            set_height(r, round(lines * 11 * 1.3 + 4, 1))
        if path:
            target = link(path)
            if target is None:  # leaves the dossier: shown, never linked
                new(r, 7, text_prefix if path.startswith(FORMULA_START) else text, shown[4],
                    "s")
            elif len(target) <= 255 and len(path) <= 255:  # limit of a formula literal
                formula = f"=HYPERLINK({_quote(target)},{_quote(path)})"
                new(r, 7, link_shared, clean_text(formula), "f")
                links.append(new_link(sheet=REGISTER_SHEET, ref=f"G{r}", code=None,
                                      field="link", text=path))
            else:
                cell = _put(ws, r, 7, path, link_st)
                cell.hyperlink = target
        else:
            new(r, 7, text, None, "n")
        sig = row.signature  # parindex's own label (evidence.signing), cleaned all the same
        new(r, 8, centre, None if sig is None else clean_text(sig), "n" if sig is None else "s")
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
