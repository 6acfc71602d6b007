"""The workbooks the export writes are the same, cell by cell, as the ones written before the
export was made faster (issue 17): every value and type, number format, font, border, fill,
alignment, protection and quote prefix, every link, merged range, row height and column
width, print area, print titles and page setup, freeze panes, data validation, table and
document property, on the example dossier (the submission and the working copy) and on a
register of awkward rows (text that looks like a formula, control characters, long and
multi-line text, paths leaving the dossier, a path too long for a formula).

The expected fingerprints are in ``tests/fixtures/workbook/``, written by the exporter as it
was before the change. When the layout changes on purpose, regenerate them and read the diff:

    PYTHONPATH=. python -m tests.test_workbook_same_cells
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.workbook.export import export_workbook, write_workbook
from parindex.workbook.layout import Heading
from parindex.workbook.view import EvidenceView, RegisterRow

from .conftest import EXAMPLE, FIXTURES

EXPECTED = FIXTURES / "workbook"
CASES = ("example-submission", "example-working", "awkward-register")


def _colour(c: Any) -> Any:
    if c is None:
        return None
    return [c.type, c.rgb if c.type == "rgb" else c.theme if c.type == "theme" else c.indexed,
            c.tint]


def _style(cell: Any) -> list[Any]:
    f, b, fill, a, p = cell.font, cell.border, cell.fill, cell.alignment, cell.protection
    return [
        cell.number_format,
        [f.name, f.sz, f.b, f.i, f.u, f.strike, f.vertAlign, f.family, f.charset, f.scheme,
         _colour(f.color)],
        [None if side is None else [side.style, _colour(side.color)]
         for side in (b.left, b.right, b.top, b.bottom, b.diagonal)],
        [fill.fill_type if hasattr(fill, "fill_type") else type(fill).__name__,
         _colour(getattr(fill, "fgColor", None)), _colour(getattr(fill, "bgColor", None))],
        [a.horizontal, a.vertical, a.wrap_text, a.shrink_to_fit, a.indent, a.text_rotation],
        [p.locked, p.hidden],
        cell.quotePrefix,
    ]


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


def fingerprint(path: Path) -> dict[str, Any]:
    """Everything a reader of the file sees, as JSON-ready data (styles numbered in order of
    first use, so that two equal files give equal fingerprints)."""
    wb = openpyxl.load_workbook(path)
    styles: dict[str, int] = {}
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                key = json.dumps(_style(c), ensure_ascii=False)
                sid = styles.setdefault(key, len(styles))
                if c.value is None and not c.has_style and c.hyperlink is None:
                    continue
                link = None if c.hyperlink is None else [c.hyperlink.target,
                                                         c.hyperlink.location]
                cells.append([c.coordinate, c.data_type, _value(c.value), sid, link])
        ps, pm = ws.page_setup, ws.page_margins
        sheets.append({
            "title": ws.title,
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "print_area": ws.print_area,
            "print_titles": [ws.print_title_rows, ws.print_title_cols],
            "page_setup": [ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight,
                           ws.sheet_properties.pageSetUpPr.fitToPage
                           if ws.sheet_properties.pageSetUpPr else None,
                           ws.print_options.horizontalCentered],
            "margins": [pm.left, pm.right, pm.top, pm.bottom, pm.header, pm.footer],
            "footer": [ws.oddFooter.center.text, ws.oddFooter.center.font,
                       ws.oddFooter.center.size],
            "freeze": ws.freeze_panes,
            "outline_summary_below": ws.sheet_properties.outlinePr.summaryBelow
            if ws.sheet_properties.outlinePr else None,
            "columns": {k: [d.width, d.hidden, d.outlineLevel]
                        for k, d in sorted(ws.column_dimensions.items())},
            "rows": {str(k): [d.ht, d.hidden, d.outlineLevel]
                     for k, d in sorted(ws.row_dimensions.items())
                     if d.ht is not None or d.hidden or d.outlineLevel},
            "validations": [[dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank,
                             dv.showErrorMessage, dv.errorTitle, dv.error, dv.promptTitle,
                             dv.prompt, dv.showInputMessage, str(dv.sqref)]
                            for dv in ws.data_validations.dataValidation],
            "tables": [[t.displayName, t.ref, t.tableStyleInfo.name,
                        t.tableStyleInfo.showRowStripes,
                        [col.name for col in t.tableColumns],
                        None if t.autoFilter is None else t.autoFilter.ref]
                       for t in ws.tables.values()],
            "charts": len(ws._charts),
        })
    props = wb.properties
    return {
        "sheets": sheets,
        "active": wb.active.title if wb.active is not None else None,
        "styles": list(styles),
        "properties": [props.title, props.subject, props.description, props.keywords,
                       props.creator],
        "custom": [[p.name, p.value] for p in wb.custom_doc_props.props],
    }


def _awkward_register() -> EvidenceView:
    rows = []
    paths = ["documents/{i:03d}.pdf", "/etc/passwd", "../x.pdf", "documents/a b/ç {i}.pdf",
             "=documents/{i}.pdf", "documents/" + "d" * 260 + ".pdf", "", "documents\\w{i}.pdf"]
    for i in range(40):
        rows.append(RegisterRow(
            number=["{i}/KH-SKHCN", "=1+{i}", "+{i}", "-{i}/BC", "@{i}", "\t{i}"][i % 6]
            .format(i=i),
            title=("Về việc triển khai nhiệm vụ cải cách hành chính số " * (1 + i % 4)
                   + ("\ncó xuống dòng" if i % 5 == 0 else "")
                   + ("\x0b dán từ Word" if i % 7 == 0 else "")),
            date=None if i % 9 == 0 else dt.date(2021, 1 + i % 12, 1 + i % 28),
            issuer=None if i % 8 == 0 else ["Sở Khoa học và Công nghệ", "=SUM(A1)",
                                            "UBND tỉnh Quảng Ngãi " * 3][i % 3],
            items=(("1.1.1", "1.1.2", "2.1")[: 1 + i % 3] if i % 10 else ()),
            path=paths[i % len(paths)].format(i=i) or None,
        ))
    return EvidenceView(rows=tuple(rows), incomplete={"1.1.2": "Thiếu trang ký ban hành"})


def write_case(case: str, folder: Path) -> Path:
    """Write the workbook of ``case`` under ``folder`` (the dossier copied there, so that
    links are the same wherever the test runs)."""
    dossier = folder / "dossier"
    if not dossier.exists():
        shutil.copytree(EXAMPLE, dossier)
    out = folder / f"{case}.xlsx"
    if case == "awkward-register":
        from parindex.scoring.dossier import load_dossier

        card = load_dossier(dossier).score()
        write_workbook(card, out, Heading("=Sở Khoa học và Công nghệ", 2021, "-UBND tỉnh",
                                          "Quảng Ngãi"),
                       _awkward_register(), link_base=dossier, working=True)
    else:
        export_workbook(dossier, out, working=case == "example-working")
    return out


@pytest.mark.parametrize("case", CASES)
def test_the_workbook_is_the_same_cell_by_cell(tmp_path: Path, case: str) -> None:
    got = json.loads(json.dumps(fingerprint(write_case(case, tmp_path)), ensure_ascii=False))
    expected = json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))
    for key in ("styles", "properties", "custom", "active"):
        assert got[key] == expected[key], key
    assert [s["title"] for s in got["sheets"]] == [s["title"] for s in expected["sheets"]]
    for mine, theirs in zip(got["sheets"], expected["sheets"], strict=True):
        for key in theirs:
            if key == "cells":
                diff = [(a, b) for a, b in zip(mine[key], theirs[key], strict=False)
                        if a != b][:5]
                assert diff == [] and len(mine[key]) == len(theirs[key]), (mine["title"],
                                                                            diff)
            else:
                assert mine[key] == theirs[key], (mine["title"], key)


def _dump(data: dict[str, Any]) -> str:
    """JSON with one cell (and one style) a line, so that a change reads as a short diff."""
    lines: dict[str, str] = {}

    def token(item: Any) -> str:
        key = f"@@{len(lines)}@@"
        lines[key] = json.dumps(item, ensure_ascii=False)
        return key

    flat = dict(data, styles=[token(s) for s in data["styles"]],
                sheets=[dict(s, cells=[token(c) for c in s["cells"]]) for s in data["sheets"]])
    text = json.dumps(flat, ensure_ascii=False, indent=1)
    for key, line in lines.items():
        text = text.replace(json.dumps(key), line, 1)
    return text + "\n"


def _lines_word_by_word(text: str, per_line: int) -> int:
    """The row-height line count as first written: word by word."""
    if len(text) <= per_line:
        return 1
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size <= per_line:
            used += 1 + size
            continue
        if used:
            lines += 1
        while size > per_line:
            size -= per_line
            lines += 1
        used = size
    return lines


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 70), st.sampled_from([" ", "  ", "\t", " \u00a0"])),
                max_size=14), st.booleans(), st.integers(1, 40))
def test_row_heights_count_the_lines_word_by_word(words: list[tuple[int, str]], lead: bool,
                                                  per_line: int) -> None:
    from parindex.workbook.cells import _wrapped_lines

    text = (" " if lead else "") + "".join("x" * n + sep for n, sep in words)
    assert _wrapped_lines(text, per_line) == _lines_word_by_word(text, per_line)


def main() -> None:
    import tempfile

    EXPECTED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            data = fingerprint(write_case(case, Path(tmp)))
            (EXPECTED / f"{case}.json").write_text(_dump(data), encoding="utf-8")
            print(f"{case}: {sum(len(s['cells']) for s in data['sheets'])} cells")


if __name__ == "__main__":
    main()
