"""Write a framework as an annex table (``.xlsx``) for people who do not read YAML.

The layout is the one provinces publish: STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối
đa | Cách chấm điểm | Tài liệu kiểm chứng | Nguồn | Ghi chú, with a "Tổng cộng" row. The
scoring text of each item is written from its typed rule
(:func:`parindex.framework.rulewriting.rule_text`), so that importing the table back
(:func:`parindex.framework.annex.importer.import_annex`) gives the same codes, points, rule
kinds and bounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from parindex.core.output import check_output, write_output
from parindex.core.sheetcell import append_row
from parindex.framework.annex.extras import appraisal_line
from parindex.framework.extras import GROUP_VI
from parindex.framework.model import Area, Framework
from parindex.framework.ruletext import parse_rule
from parindex.framework.rulewriting import rule_text, same_rule

__all__ = ["HEADERS", "AnnexExport", "annex_rows", "export_annex"]

HEADERS = ("STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm",
           "Tài liệu kiểm chứng", "Nguồn", "Ghi chú")


@dataclass(frozen=True)
class AnnexExport:
    path: Path
    rows: int
    """Item rows written (areas, criteria, sub-criteria)."""
    not_round_trip: tuple[str, ...]
    """Codes whose written scoring text does not read back as the same rule."""

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "rows": self.rows,
                "not_round_trip": list(self.not_round_trip)}


def annex_rows(fw: Framework) -> list[tuple[object, ...]]:
    """The table's item rows, in document order (values as written to the sheet)."""
    rows: list[tuple[object, ...]] = []
    for node in fw.nodes:
        item = node.item
        text = ""
        evidence = ""
        notes = [item.note] if item.note else []
        if not isinstance(item, Area):
            if item.rule is not None and node.is_leaf:
                na = None
                if fw.na_allowed(node):
                    na = item.not_applicable_when or "Không phát sinh nhiệm vụ"
                text = rule_text(item.rule, item.max_points, na, item.not_applicable)
            parts = list(item.evidence)
            if item.document_types:
                parts.append("Loại văn bản: " + ", ".join(item.document_types))
            if item.deadline:
                parts.append(f"Hạn: {item.deadline:%d/%m/%Y}")
            evidence = "\n".join(parts)
        rows.append((node.code, node.name, item.max_points, text, evidence, item.source,
                     "\n".join(notes)))
    return rows


def export_annex(fw: Framework, path: Path | str, *, force: bool = False,
                 inputs: Iterable[Path] = ()) -> AnnexExport:
    """Write ``fw`` as an annex table to ``path`` (``.xlsx``).

    An existing file is kept unless ``force``; ``inputs`` (the framework's own file) is never
    replaced (see :func:`parindex.core.output.write_output`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    path = check_output(path, force=force, inputs=inputs, parents=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    status = "TẠM THỜI (provisional)" if fw.status == "provisional" else "chính thức"
    append_row(ws, [fw.title])
    append_row(ws, [f"{fw.province} · cấp {fw.level} · năm {fw.scoring_year} · {status}"])
    if fw.legal_basis:
        append_row(ws, ["Căn cứ: " + "; ".join(fw.legal_basis)])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(list(HEADERS))
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in ws[header_row]:
        cell.font = bold
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws["A1"].font = Font(bold=True, size=13)
    levels = {n.code: n.level for n in fw.nodes}
    items = annex_rows(fw)
    for values in items:
        row = append_row(ws, values)
        row[0].number_format = "@"
        row[2].number_format = "0.00##"
        for cell in row:
            cell.border = border
            cell.alignment = wrap
            if levels[str(values[0])] == "area":
                cell.font = bold
    ws.append(["", "Tổng cộng", fw.total_points, "", "", "", ""])
    for cell in ws[ws.max_row]:
        cell.font = bold
        cell.border = border
    ws[f"C{ws.max_row}"].number_format = "0.00##"
    for values in extras_rows(fw):
        row = append_row(ws, values)
        row[0].number_format = "@"
        row[2].number_format = "0.00##"
        for cell in row:
            cell.border = border
            cell.alignment = wrap
            if not values[0]:
                cell.font = bold
    for col, width in enumerate((8, 60, 10, 60, 30, 40, 30), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    wb.properties.title = fw.title
    write_output(path, wb.save, force=force, inputs=inputs, parents=True)
    bad = []
    scored = [(n.code, n.rule, n.max_points) for n in fw.leaves() if not isinstance(n.item, Area)]
    scored += [(it.code, it.rule, it.max_points) for _, it in
               (fw.extras.items() if fw.extras else ())]
    for code, rule, max_points in scored:
        if rule is not None:
            back = parse_rule(rule_text(rule, max_points), max_points).rule
            if not same_rule(back, rule):
                bad.append(code)
    return AnnexExport(path, len(items), tuple(bad))


def extras_rows(fw: Framework) -> list[tuple[object, ...]]:
    """The bonus and penalty blocks, after the total: a heading row per group (its cap in the
    points column), then its items (:mod:`parindex.framework.annex.extras` reads them)."""
    rows: list[tuple[object, ...]] = []
    for group, grp in fw.extras.groups() if fw.extras else ():
        rows.append(("", f"{GROUP_VI[group].upper()} (ngoài tổng điểm)", grp.max_points, "",
                     "", grp.source or "", ""))
        for it in grp.items:
            parts = [*it.evidence]
            if it.document_types:
                parts.append("Loại văn bản: " + ", ".join(it.document_types))
            line = appraisal_line(it)
            if line:
                parts.append(line)
            rows.append((it.code, it.name, it.max_points, rule_text(it.rule, it.max_points),
                         "\n".join(parts), it.source, it.note or ""))
    return rows
