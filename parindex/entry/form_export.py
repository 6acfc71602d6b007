"""``parindex form export``: the input workbook (phiếu nhập số liệu) the units fill in Excel.

One input sheet, grouped by area, one row per self-scored item (and one row per penalty or
weighted term under its item): what the item asks, a drop-down of the rule's options, number
cells validated (0 ≤ done ≤ total, 0–100 %, whole counts), an N/A choice where the framework
allows it, giải trình and ghi chú, the evidence documents it expects, and the current values
pre-filled. The structure is locked; only the input cells are open. Printable: A4 landscape,
fit to width, the header row repeated on every page. Every text cell goes through
:mod:`parindex.core.sheetcell` (no formula is ever written from data).

With units (:func:`assign_units`), one file per lead unit holds only the items that unit answers
for, through the plan's tasks and their ``serves``; items no task serves go to Văn phòng Sở.
The bonus and penalty items a person types (:mod:`parindex.entry.form_extras`) follow the
areas on the whole-dossier form and on Văn phòng Sở's form, the office that owns the dossier.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.errors import ParindexError
from parindex.core.output import check_output, write_output
from parindex.core.sheetcell import put_text
from parindex.entry.fields import Needs, carried, needs_of, needs_of_extra
from parindex.entry.form_extras import (
    HELP_ELSEWHERE,
    HELP_HERE,
    ExtraRow,
    extra_codes,
    group_heading,
    typed_extras,
)
from parindex.entry.form_layout import (
    COLUMNS,
    FIRST_ROW,
    FORM_KIND,
    HEADER_ROW,
    HELP_SHEET,
    IDENTITY,
    INPUT_SHEET,
    KEY_COLUMN,
    MAP_FIRST_ROW,
    META_SHEET,
    NOT_APPLICABLE,
    RowKey,
    canonical,
    column_index,
    column_letter,
    framework_fingerprint,
    option_text,
)
from parindex.evidence.docnumber import DOCUMENT_TYPES
from parindex.framework.model import Node
from parindex.framework.rules import _fmt
from parindex.scoring.dossier import Dossier, as_dossier

__all__ = ["ExportedForm", "assign_units", "export_forms", "write_form"]

OFFICE = "van-phong-so"
"""Id of the unit that receives the items no task serves (Văn phòng Sở)."""
_OFFICE_NAME = "Văn phòng Sở"

_GREY, _AREA, _HEAD = "F2F2F2", "DDEBF7", "BDD7EE"
_CHARS = {c.key: max(int(c.width * 1.4), 1) for c in COLUMNS}
"""About how many characters of 11-point Times fit on one line of each column."""


@dataclass(frozen=True)
class ExportedForm:
    path: Path
    unit: str | None
    """Unit id, or None for the whole-dossier form."""
    unit_name: str | None
    items: tuple[str, ...]
    extras: tuple[str, ...] = ()
    """The bonus and penalty items the form carries (after the tree's ``items``)."""

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "unit": self.unit, "unit_name": self.unit_name,
                "items": list(self.items), "extras": list(self.extras)}


def _office_id(dossier: Dossier) -> str:
    plan = dossier.plan
    if plan is not None:
        unit = plan.resolve(_OFFICE_NAME)
        if unit is not None:
            return unit.id
    return OFFICE


def assign_units(dossier: Dossier) -> dict[str, tuple[str, ...]]:
    """Self-scored item code → the ids of the lead units that answer for it.

    A task's lead units (of the task and its activities) answer for the items it serves;
    groups ("Các phòng, đơn vị thuộc Sở") and names no registry entry knows are left out, and
    an item no unit answers for goes to Văn phòng Sở."""
    leaves = [n.code for n in dossier.framework.leaves() if n.method != "survey"]
    out: dict[str, list[str]] = {code: [] for code in leaves}
    plan = dossier.plan
    if plan is not None:
        for task in plan.tasks:
            leads = []
            for name in task.all_leads:
                unit = plan.resolve(name)
                if unit is not None and unit.kind == "unit" and unit.id not in leads:
                    leads.append(unit.id)
            for code in task.serves:
                if code in out:
                    out[code] += [u for u in leads if u not in out[code]]
    office = _office_id(dossier)
    return {code: tuple(units) or (office,) for code, units in out.items()}


def _unit_names(dossier: Dossier) -> dict[str, str]:
    plan = dossier.plan
    names = {OFFICE: _OFFICE_NAME}
    if plan is not None:
        names.update({u.id: u.name for u in plan.units.all_units})
    return names


def _resolve_unit(dossier: Dossier, text: str) -> str:
    plan = dossier.plan
    names = _unit_names(dossier)
    if text in names:
        return text
    if plan is not None:
        unit = plan.resolve(text)
        if unit is not None:
            return unit.id
    if text.strip().casefold() == _OFFICE_NAME.casefold():
        return _office_id(dossier)
    known = ", ".join(f"{k} ({v})" for k, v in names.items() if not k.startswith("cac-"))
    raise ParindexError(f"không có đơn vị {text!r} trong danh mục đơn vị của kế hoạch; các "
                        f"đơn vị: {known}")


def export_forms(dossier: Dossier | Path | str, output: Path | str, units: Sequence[str] = (),
                 *, all_units: bool = False, force: bool = False) -> list[ExportedForm]:
    """Write the form of the whole dossier (loaded, or its folder) to ``output``, or with
    ``units`` (ids or names) one file per unit beside it (``phieu.xlsx`` →
    ``phieu-<unit-id>.xlsx``).

    An existing file is kept unless ``force`` (:class:`~parindex.core.output.OutputExistsError`
    then); no form replaces one of the dossier's own files."""
    dossier = as_dossier(dossier)
    output = Path(output)
    leaves = [n for n in dossier.framework.leaves() if n.method != "survey"]
    extras = extra_codes(dossier.framework)
    if not units and not all_units:
        _check_output(output, force, dossier)
        write_form(dossier, output, [n.code for n in leaves], force=force, extras=True)
        return [ExportedForm(output, None, None, tuple(n.code for n in leaves), extras)]
    assigned = assign_units(dossier)
    names = _unit_names(dossier)
    office = _office_id(dossier)
    if all_units:
        wanted = list(dict.fromkeys(u for us in assigned.values() for u in us))
        if extras and office not in wanted:
            wanted.append(office)  # the office answers for the bonus and penalty items
    else:
        wanted = list(dict.fromkeys(_resolve_unit(dossier, u) for u in units))
    targets = [(u, output.with_name(f"{output.stem}-{u}{output.suffix or '.xlsx'}"))
               for u in wanted]
    for _, path in targets:
        _check_output(path, force, dossier)
    out = []
    for unit, path in targets:
        codes = [n.code for n in leaves if unit in assigned[n.code]]
        write_form(dossier, path, codes, unit=unit, unit_name=names.get(unit, unit),
                   force=force, extras=unit == office)
        out.append(ExportedForm(path, unit, names.get(unit, unit), tuple(codes),
                                extras if unit == office else ()))
    return out


def _check_output(path: Path, force: bool, dossier: Dossier) -> None:
    check_output(path, force=force, inputs=dossier.own_files())


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class _Writer:
    """One form being written: prepared styles, the row map, the validations."""

    def __init__(self, dossier: Dossier) -> None:
        from openpyxl import Workbook
        from openpyxl.cell.cell import Cell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        self.dossier = dossier
        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = INPUT_SHEET
        self.meta = self.wb.create_sheet(META_SHEET)
        self.map_row = MAP_FIRST_ROW
        self.validations: dict[str, Any] = {}
        self.refs: dict[str, list[str]] = {}
        thin = Side(style="thin", color="808080")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self._styles: dict[tuple[Any, ...], Any] = {}
        self._Cell = Cell

        def style(*, bold: bool = False, fill: str | None = None, unlocked: bool = False,
                  number: bool = False, size: float = 11, border: bool = True,
                  center: bool = False, wrap: bool = True) -> Any:
            proto = Cell(self.ws)
            proto.font = Font(name="Times New Roman", sz=size, b=bold)
            proto.alignment = Alignment(wrap_text=wrap, vertical="top",
                                        horizontal="center" if center else None)
            if border:
                proto.border = box
            if fill:
                proto.fill = PatternFill("solid", fgColor=fill)
            if number:
                proto.number_format = "0.##"
            if unlocked:
                proto.protection = Protection(locked=False)
            return proto._style

        self.s_text = style(fill=_GREY)
        self.s_num = style(fill=_GREY, number=True)
        self.s_in = style(unlocked=True)
        self.s_in_num = style(unlocked=True, number=True)
        self.s_area = style(bold=True, fill=_AREA, border=False, wrap=False)
        self.s_area_fill = style(fill=_AREA, border=False)
        self.s_head = style(bold=True, fill=_HEAD, center=True)
        self.s_title = style(bold=True, size=13, border=False, wrap=False)
        self.s_plain = style(border=False, wrap=False)

    def put(self, row: int, col: int, value: Any, style: Any) -> Any:
        cell = self._Cell(self.ws, row, col, None, style)
        self.ws._cells[(row, col)] = cell
        if isinstance(value, str):
            put_text(cell, value)
        elif isinstance(value, Decimal):
            cell._value = _num(value)
            cell.data_type = "n"
        elif value is not None:
            cell.value = value
        return cell

    def height(self, row: int, texts: dict[str, str | None]) -> None:
        """Row height from the longest wrapped text (spreadsheets do not grow rows of a file
        they open)."""
        lines = 1
        for key, text in texts.items():
            if text:
                per_line = _CHARS[key]
                if "\n" in text:
                    n = sum(-(-max(len(part), 1) // per_line) for part in text.split("\n"))
                else:
                    n = -(-len(text) // per_line)
                lines = max(lines, n)
        self.ws.row_dimensions[row].height = min(13.5 * lines + 3, 409)

    def validation(self, key: str, **kw: Any) -> list[str]:
        """The cells of validation ``key`` (created with ``kw`` the first time); the ranges
        are set once at the end (openpyxl's ``add`` checks overlaps: quadratic)."""
        refs = self.refs.get(key)
        if refs is None:
            from openpyxl.worksheet.datavalidation import DataValidation

            dv = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="stop",
                                errorTitle="Giá trị không hợp lệ", **kw)
            self.validations[key] = dv
            self.ws.add_data_validation(dv)
            refs = self.refs[key] = []
        return refs

    def close_validations(self) -> None:
        from openpyxl.worksheet.cell_range import MultiCellRange

        for key, dv in self.validations.items():
            dv.sqref = MultiCellRange(" ".join(_ranges(self.refs[key])))

    def remember(self, code: str, row: int, prefill: dict[str, Any],
                 details: dict[str, int], options: Sequence[str] = ()) -> str | None:
        """One row of the map: the item's rows and pre-filled values (JSON, column A) and its
        options (columns B…, which its drop-down lists)."""
        r = self.map_row
        self.map_row += 1
        entry = {"key": code, "row": row, "prefill": canonical(prefill), "details": details}
        put_text(self.meta.cell(r, 1), json.dumps(entry, ensure_ascii=False, sort_keys=True))
        for i, text in enumerate(options):
            put_text(self.meta.cell(r, 2 + i), text)
        if options:
            last = chr(ord("B") + len(options) - 1)
            return f"'{META_SHEET}'!$B${r}:${last}${r}"
        return None


def _ranges(refs: list[str]) -> list[str]:
    """``F5 F6 F7 F9`` → ``F5:F7 F9``: cells of one column on consecutive rows as one range."""
    out: list[str] = []
    start = prev = None
    col = ""
    for ref in refs:
        c, r = ref[0], int(ref[1:])
        if prev is not None and c == col and r == prev + 1:
            prev = r
            continue
        if prev is not None:
            out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
        col, start, prev = c, r, r
    if prev is not None:
        out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
    return out


def _evidence_text(dossier: Dossier, node: Node | ExtraRow, proofs: dict[str, list[str]]) -> str:
    types = getattr(node.item, "document_types", ()) or ()
    named = [f"{DOCUMENT_TYPES.get(t, 'Công văn' if t == 'CV' else t)} ({t})" for t in types]
    parts = []
    evidence = getattr(node.item, "evidence", ()) or ()
    if evidence:
        parts.append("; ".join(evidence))
    if named:
        parts.append("Loại văn bản: " + ", ".join(named))
    if proofs.get(node.code):
        parts.append("Đã có trong sổ: " + "; ".join(proofs[node.code]))
    return "\n".join(parts)


def _proofs(dossier: Dossier) -> dict[str, list[str]]:
    from parindex.evidence.register import load_register

    path = dossier.path(dossier.manifest.files.register_)
    if not path.is_file():
        return {}
    out: dict[str, list[str]] = {}
    for doc in load_register(path).documents:
        for item in doc.items:
            out.setdefault(item, []).append(doc.number or doc.id)
    return out


def _item_row(w: _Writer, row: int, node: Node | ExtraRow, needs: Needs,
              current: dict[str, Any], evidence: str) -> int:
    put = w.put
    put(row, column_index("code"), node.code, w.s_text)
    put(row, column_index("name"), node.name, w.s_text)
    put(row, column_index("max"), node.max_points, w.s_num)
    put(row, column_index("asks"), needs.describe(), w.s_text)
    put(row, column_index("evidence"), evidence, w.s_text)
    put(row, KEY_COLUMN, node.code, w.s_text)
    labels = [option_text(label, pts) for _, label, pts in needs.options]
    details = {str(RowKey(node.code, d.field, d.id)): row + i
               for i, d in enumerate(needs.details, start=1)}
    ref = w.remember(node.code, row, current, details, labels)
    for col in ("option", "done", "total", "percent", "count", "points"):
        c = column_index(col)
        if col not in needs.columns:
            continue  # no cell: locked and empty (gridlines are printed)
        value = current.get(col)
        if col == "option":
            by_id = {oid: option_text(label, pts) for oid, label, pts in needs.options}
            text = by_id.get(value, value) if isinstance(value, str) else None
            put(row, c, text, w.s_in)
            w.validation(f"opt:{ref}", type="list", formula1=ref,
                         error="Chọn một phương án trong danh sách.").append(f"{column_letter(col)}"
                                                                          f"{row}")
        else:
            put(row, c, value, w.s_in_num)
            _number_validation(w, col, row, node)
    na = column_index("not_applicable")
    if needs.not_applicable:
        put(row, na, NOT_APPLICABLE if current.get("not_applicable") else None, w.s_in)
        w.validation("na", type="list", formula1=f'"{NOT_APPLICABLE}"',
                     error=f"Chọn “{NOT_APPLICABLE}” hoặc để trống.").append(
            f"{column_letter('not_applicable')}{row}")
    put(row, column_index("explanation"), current.get("explanation"), w.s_in)
    put(row, column_index("note"), current.get("note"), w.s_in)
    w.height(row, {"name": node.name, "asks": needs.describe(), "evidence": evidence,
                   "explanation": current.get("explanation"), "note": current.get("note"),
                   "option": max(labels, key=len) if labels else None})
    for d in needs.details:
        row += 1
        sign = "-" if d.field == "occurrences" else "× "
        what = "điểm/lần" if d.field == "occurrences" else ""
        put(row, column_index("code"), node.code, w.s_text)
        put(row, column_index("name"), f"   – {d.label} ({sign}{_fmt(d.value)} {what})".rstrip()
            .replace(" )", ")"), w.s_text)
        value = (current.get(d.field) or {}).get(d.id)
        put(row, column_index("count"), value, w.s_in_num)  # the other cells: locked, empty
        w.validation("whole", type="whole", operator="greaterThanOrEqual", formula1="0",
                     error="Nhập số nguyên không âm.").append(f"{column_letter('count')}{row}")
        put(row, KEY_COLUMN, str(RowKey(node.code, d.field, d.id)), w.s_text)
    return row


def _number_validation(w: _Writer, col: str, row: int, node: Node | ExtraRow) -> None:
    ref = f"{column_letter(col)}{row}"
    if col in {"done", "total"}:
        # One rule for the whole column, written for its first cell: the references are
        # relative, so every other cell of the range checks its own row.
        dv = w.refs.get(col)
        if dv is None:
            done, total = f"{column_letter('done')}{row}", f"{column_letter('total')}{row}"
            this = done if col == "done" else total
            what = ("Số đã thực hiện: số không âm, không lớn hơn tổng số." if col == "done"
                    else "Tổng số: số không âm, không nhỏ hơn số đã thực hiện.")
            dv = w.validation(col, type="custom", error=what,
                              formula1=f"AND(ISNUMBER({this}),{this}>=0,OR(ISBLANK({done}),"
                                       f"ISBLANK({total}),{done}<={total}))")
        dv.append(ref)
    elif col == "percent":
        w.validation("pct", type="decimal", operator="between", formula1="0", formula2="100",
                     error="Tỷ lệ: số từ 0 đến 100.").append(ref)
    elif col == "count":
        w.validation("num", type="decimal", operator="greaterThanOrEqual", formula1="0",
                     error="Nhập số không âm.").append(ref)
    else:
        top = format(node.max_points.normalize(), "f")
        w.validation(f"pts:{top}", type="decimal", operator="between", formula1="0",
                     formula2=top, error=f"Điểm: từ 0 đến {_fmt(node.max_points)}.").append(ref)


def write_form(dossier: Dossier, path: Path, codes: Sequence[str], *, unit: str | None = None,
               unit_name: str | None = None, force: bool = True, extras: bool = False) -> None:
    """Write one form holding the items ``codes`` (in framework order) to ``path``, and with
    ``extras`` the bonus and penalty items a person types, after the areas.

    Written through :func:`parindex.core.output.write_output`: never over one of the
    dossier's own files; an existing file is replaced only with ``force``."""
    fw = dossier.framework
    manifest = dossier.manifest
    wanted = set(codes)
    w = _Writer(dossier)
    ws = w.ws
    who = f" — {unit_name}" if unit_name else ""
    w.put(1, 1, f"PHIẾU NHẬP SỐ LIỆU TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM {manifest.year}", w.s_title)
    w.put(2, 1, f"Cơ quan: {manifest.unit}{who}. Bộ tiêu chí: {fw.id}.", w.s_plain)
    w.put(3, 1, "Nhập vào các ô màu trắng (phương án chọn trong danh sách; số không âm); ô màu "
          "xám là nội dung của bộ tiêu chí, không sửa. Xem trang “Hướng dẫn”.", w.s_plain)
    w.height(HEADER_ROW, {c.key: c.title for c in COLUMNS if c.key != "key"})
    for i, col in enumerate(COLUMNS, start=1):
        w.put(HEADER_ROW, i, col.title, w.s_head)
        ws.column_dimensions[chr(ord("A") + i - 1)].width = col.width
    ws.column_dimensions[chr(ord("A") + KEY_COLUMN - 1)].hidden = True
    typed = dossier.self_assessment.items
    proofs = _proofs(dossier)
    row = FIRST_ROW
    for area in fw.areas:
        nodes = [n for n in fw.leaves() if n.area == area.code and n.code in wanted]
        if not nodes:
            continue
        row = _heading(w, row, f"{area.code}. {area.name}")
        for node in nodes:
            row = _item_row(w, row, node, needs_of(node), carried(typed.get(node.code)),
                            _evidence_text(dossier, node, proofs)) + 1
    groups = typed_extras(fw)
    for group, grp, items in groups if extras else ():
        row = _heading(w, row, group_heading(group, grp))
        for it in items:
            extra = ExtraRow.of(it)
            row = _item_row(w, row, extra, needs_of_extra(it), carried(typed.get(it.code)),
                            _evidence_text(dossier, extra, proofs)) + 1
    _identity(w, unit, unit_name)
    w.close_validations()
    _finish(w, row - 1)
    _help_sheet(w, (HELP_HERE if extras else HELP_ELSEWHERE) if groups else None)
    write_output(path, w.wb.save, force=force, inputs=dossier.own_files())


def _heading(w: _Writer, row: int, text: str) -> int:
    """An area's (or a bonus or penalty group's) heading row; the next row."""
    w.put(row, 1, text, w.s_area)
    for c in range(2, KEY_COLUMN):  # no merge: the text runs over the empty cells
        w.put(row, c, None, w.s_area_fill)
    return row + 1


def _identity(w: _Writer, unit: str | None, unit_name: str | None) -> None:
    m = w.dossier.manifest
    values = {"kind": FORM_KIND, "schema_version": 1, "dossier_unit": m.unit, "year": m.year,
              "framework": w.dossier.framework.id,
              "framework_hash": framework_fingerprint(w.dossier.framework),
              "form_unit": unit or "", "form_unit_name": unit_name or "",
              "exported": dt.datetime.now().replace(microsecond=0).isoformat()}
    for r, name in enumerate(IDENTITY, start=1):
        put_text(w.meta.cell(r, 1), name)
        value = values[name]
        if isinstance(value, str):
            put_text(w.meta.cell(r, 2), value)
        else:
            w.meta.cell(r, 2).value = value
    header = ("item: key, row, prefill, details", "options")
    for i, text in enumerate(header, start=1):
        put_text(w.meta.cell(MAP_FIRST_ROW - 1, i), text)
    w.meta.sheet_state = "hidden"
    w.meta.protection.sheet = True
    props = w.wb.properties
    props.title = f"Phiếu nhập số liệu tự đánh giá Chỉ số CCHC năm {m.year}"
    props.subject = m.unit
    props.keywords = f"{FORM_KIND}; {w.dossier.framework.id}; {m.year}; {unit or ''}"
    props.creator = "parindex"


def _finish(w: _Writer, last_row: int) -> None:
    ws = w.ws
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{column_letter('evidence')}{max(last_row, HEADER_ROW)}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.gridLines = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


HELP = (
    "HƯỚNG DẪN NHẬP PHIẾU",
    "1. Mỗi dòng là một tiêu chí (hoặc một loại số đếm của tiêu chí, dòng bắt đầu bằng “–”). "
    "Chỉ nhập vào các ô màu trắng; các ô màu xám không sửa được.",
    "2. Phương án: chọn trong danh sách thả xuống. Số liệu: nhập số (không nhập chữ); số đã "
    "thực hiện không lớn hơn tổng số; tỷ lệ từ 0 đến 100. Nhập số đã thực hiện và tổng số, "
    "hoặc tỷ lệ, không nhập cả hai.",
    "3. Không áp dụng: chỉ chọn được ở tiêu chí mà bộ tiêu chí cho phép; ghi lý do vào ô "
    "Giải trình.",
    "4. Giải trình: bắt buộc khi chưa có tài liệu kiểm chứng hoặc khi tự chấm thấp hơn tối đa. "
    "Ghi chú: thông tin thêm cho Văn phòng Sở.",
    "5. Không thêm, xóa, di chuyển dòng hay cột; không đổi tên trang. Lưu lại dạng .xlsx "
    "(Excel hoặc LibreOffice) rồi gửi Văn phòng Sở.",
    "6. Văn phòng Sở nhập phiếu vào hồ sơ bằng lệnh: parindex form import HỒ-SƠ phieu*.xlsx "
    "(xem trước bằng --dry-run).",
)


def _help_sheet(w: _Writer, extra: str | None) -> None:
    from openpyxl.styles.cell_style import StyleArray

    ws = w.wb.create_sheet(HELP_SHEET, 1)
    ws.column_dimensions["A"].width = 110
    for r, text in enumerate(HELP + ((extra,) if extra else ()), start=1):
        cell = put_text(ws.cell(r, 1), text)
        cell._style = StyleArray(w.s_title if r == 1 else w.s_plain)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.protection.sheet = True
