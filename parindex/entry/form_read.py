"""Reading a filled input form back: each row's answer, or a finding with its cell address.

A value that cannot be trusted is never turned into a wrong input: text in a number cell, an
option not in the list, a number out of range, a row whose code no longer matches its hidden
key, a row deleted or copied, a form of another dossier, year or framework, each give a
finding naming the cell (A1 style) and the item is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package
from parindex.core.findings import Finding, define
from parindex.core.sheetvalue import (
    SheetFacts,
    as_decimal,
    error_value,
    number_text,
    percent_format,
    range_text,
    sheet_facts,
    show_value,
)
from parindex.entry.fields import Needs, needs_of
from parindex.entry.form_extras import extra_needs
from parindex.entry.form_layout import (
    COLUMNS,
    FIRST_ROW,
    FORM_KIND,
    HEADER_ROW,
    IDENTITY,
    INPUT_SHEET,
    MAP_FIRST_ROW,
    META_SHEET,
    NOT_APPLICABLE,
    RowKey,
    canonical,
    framework_fingerprint,
    option_text,
)
from parindex.framework.model import Framework
from parindex.framework.rules import _fmt
from parindex.scoring.dossier import Dossier

__all__ = ["Answer", "FormRead", "read_form"]

T = "form"
NOT_A_FORM = define(
    "form-not-a-form", "error", "Tệp không phải phiếu nhập số liệu của parindex",
    "Dùng phiếu xuất bằng `parindex form export`; không xóa trang ẩn _parindex, không đổi tên "
    "trang “Phiếu nhập”.", T)
OTHER_DOSSIER = define(
    "form-other-dossier", "error", "Phiếu của hồ sơ, năm hoặc bộ tiêu chí khác",
    "Xuất lại phiếu từ đúng hồ sơ (`parindex form export`) và nhập lại số liệu.", T)
TEXT_IN_NUMBER = define(
    "form-text-in-number", "error", "Ô số liệu chứa chữ",
    "Nhập số (ví dụ 12 hoặc 12,5), không nhập chữ hay ghi chú vào ô số liệu.", T)
UNKNOWN_OPTION = define(
    "form-unknown-option", "error", "Phương án không có trong danh sách",
    "Chọn lại phương án trong danh sách thả xuống của ô.", T)
OUT_OF_RANGE = define(
    "form-value-out-of-range", "error", "Số liệu ngoài khoảng cho phép",
    "Số không âm; số đã thực hiện không lớn hơn tổng số; tỷ lệ từ 0 đến 100; số lần là số "
    "nguyên; điểm không quá điểm tối đa.", T)
ROW_MISSING = define(
    "form-row-missing", "error", "Dòng tiêu chí bị xóa khỏi phiếu",
    "Xuất lại phiếu, hoặc chép lại dòng từ phiếu gốc; không xóa dòng của phiếu.", T)
ROW_MOVED = define(
    "form-row-moved", "error", "Dòng bị chuyển chỗ hoặc sao chép: mã không khớp khóa của dòng",
    "Không cắt, dán, sắp xếp hay sao chép dòng; xuất lại phiếu và nhập lại số liệu của dòng.",
    T)
NOT_CALCULATED = define(
    "form-formula-not-calculated", "error", "Ô nhập chứa công thức chưa được tính",
    "Mở phiếu bằng Excel hoặc LibreOffice rồi lưu lại (để công thức có kết quả), hoặc nhập "
    "số thay cho công thức.", T)
MERGED_INPUT = define(
    "form-merged-cells", "error", "Ô nhập bị gộp (merge) với ô khác",
    "Bỏ gộp ô (Unmerge) và ghi số liệu riêng cho từng dòng, từng cột.", T)
CELL_ERROR = define(
    "form-cell-error", "error", "Ô nhập báo lỗi của Excel (#REF!, #DIV/0! …)",
    "Sửa công thức hoặc xóa ô rồi nhập lại số liệu.", T)
COLUMNS_CHANGED = define(
    "form-columns-changed", "error", "Cột của phiếu bị xóa hoặc đổi tên",
    "Không xóa, đổi tên cột của phiếu; xuất lại phiếu và nhập lại số liệu. Chèn thêm cột "
    "thì được: phiếu vẫn đọc theo tên cột ở dòng tiêu đề.", T)


@dataclass(frozen=True)
class Answer:
    """What one form says about one item."""

    code: str
    values: dict[str, Any]
    """Carried fields that are filled (empty: the row was left blank)."""
    prefill: dict[str, Any] | None
    """The canonical values the row was exported with."""
    row: int
    file: str

    @property
    def touched(self) -> bool:
        """Changed in the form since it was exported."""
        return canonical(self.values) != self.prefill

    def place(self) -> str:
        return f"{self.file}, dòng {self.row}"


@dataclass
class FormRead:
    path: Path
    identity: dict[str, Any]
    answers: dict[str, Answer] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows: int = 0
    usable: bool = True


def _open(path: Path) -> tuple[Any, SheetFacts]:
    from openpyxl import load_workbook

    package = check_package(path, "cannot read form", max_rows=LIMITS.sheet_rows)
    try:
        wb = load_workbook(package, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or format errors: whatever openpyxl raises
        raise InputError([Problem(f"không mở được tệp .xlsx ({type(exc).__name__}: {exc})",
                                  path)], "cannot read form") from None
    return wb, sheet_facts(package, INPUT_SHEET)


def read_form(dossier: Dossier, path: Path) -> FormRead:
    """Read one form; raises :class:`InputError` only when the file is not a workbook."""
    wb, facts = _open(path)
    try:
        return _read(dossier, path, wb, facts)
    finally:
        wb.close()


def _read(dossier: Dossier, path: Path, wb: Any, facts: SheetFacts) -> FormRead:
    name = path.name
    if META_SHEET not in wb.sheetnames or INPUT_SHEET not in wb.sheetnames:
        missing = META_SHEET if META_SHEET not in wb.sheetnames else INPUT_SHEET
        out = FormRead(path, {}, usable=False)
        out.findings.append(NOT_A_FORM(f"Tệp {name} không có trang {missing!r}.", file=name))
        return out
    meta_rows = list(wb[META_SHEET].iter_rows(values_only=True))
    identity = {str(r[0]): r[1] if len(r) > 1 else None
                for r in meta_rows[: len(IDENTITY)] if r and r[0] is not None}
    out = FormRead(path, identity)
    if identity.get("kind") != FORM_KIND:
        out.usable = False
        out.findings.append(NOT_A_FORM(f"Tệp {name}: trang {META_SHEET} không ghi {FORM_KIND}.",
                                       file=name))
        return out
    mismatch = _identity_problems(dossier, identity)
    if mismatch:
        out.usable = False
        out.findings += [OTHER_DOSSIER(f"{name}: {text} (ô '{META_SHEET}'!{cell}).", file=name,
                                       document=f"'{META_SHEET}'!{cell}")
                         for text, cell in mismatch]
        return out
    expected: dict[str, tuple[int, dict[str, Any] | None]] = {}
    for r in meta_rows[MAP_FIRST_ROW - 1:]:
        if not r or r[0] is None:
            continue
        try:
            entry = json.loads(str(r[0]))
            expected[str(entry["key"])] = (int(entry["row"]), dict(entry["prefill"]))
            expected.update({str(k): (int(v), None) for k, v in entry["details"].items()})
        except (ValueError, KeyError, TypeError):
            out.usable = False
            out.findings.append(NOT_A_FORM(f"Tệp {name}: trang {META_SHEET} bị sửa, không đọc "
                                           f"được dòng {len(expected) + MAP_FIRST_ROW}.",
                                           file=name))
            return out
    ws = wb[INPUT_SHEET]
    formats = _percent_styles(wb)  # cells are looked at only when a format shows %
    rows = ws.iter_rows(min_row=HEADER_ROW, values_only=not formats)
    header = next(rows, ())
    places = _columns(tuple(c.value for c in header) if formats else header, out)
    if places is not None:
        _read_rows(dossier.framework, rows, out, expected, _Cells(places, facts), formats)
    return out


def _title(value: Any) -> str:
    return " ".join(nfc(str(value)).split()).casefold() if value is not None else ""


def _columns(header: tuple[Any, ...], out: FormRead) -> dict[str, int] | None:
    """Where each column of the form is (0-based), found by its title in the header row: a
    column the unit inserted moves the others, and they are still read; None (and a finding)
    when a column of the form was deleted or renamed."""
    titles = [_title(v) for v in header]
    places: dict[str, int] = {}
    missing = []
    for i, column in enumerate(COLUMNS):
        want = _title(column.title)
        if i < len(titles) and titles[i] == want:
            places[column.key] = i
        elif titles.count(want) == 1:
            places[column.key] = titles.index(want)
        else:
            missing.append(column.title)
    if missing:
        name = out.path.name
        out.usable = False
        out.findings.append(COLUMNS_CHANGED(
            f"Tệp {name}: dòng tiêu đề (dòng {HEADER_ROW}) của trang “{INPUT_SHEET}” không còn "
            "cột " + ", ".join(f"“{t}”" for t in missing) + "; phiếu không được đọc.",
            file=name, document=f"'{INPUT_SHEET}'!A{HEADER_ROW}", line=HEADER_ROW))
        return None
    return places


@dataclass(frozen=True)
class _Cells:
    """Where the columns are, and what the sheet's XML says about its cells."""

    places: dict[str, int]
    facts: SheetFacts

    def letter(self, col: str) -> str:
        return range_text((1, self.places[col] + 1, 1, 1)).split("1:")[0]


def _identity_problems(dossier: Dossier, identity: dict[str, Any]) -> list[tuple[str, str]]:
    m = dossier.manifest
    row = {name: i for i, name in enumerate(IDENTITY, start=1)}
    out = []
    if nfc(str(identity.get("dossier_unit") or "")) != m.unit:
        out.append((f"phiếu của “{identity.get('dossier_unit')}”, hồ sơ của “{m.unit}”",
                    f"B{row['dossier_unit']}"))
    if str(identity.get("year")) != str(m.year):
        out.append((f"phiếu năm {identity.get('year')}, hồ sơ năm {m.year}", f"B{row['year']}"))
    fw = dossier.framework
    if identity.get("framework") != fw.id:
        out.append((f"phiếu theo bộ tiêu chí {identity.get('framework')}, hồ sơ theo {fw.id}",
                    f"B{row['framework']}"))
    elif identity.get("framework_hash") != framework_fingerprint(fw):
        out.append((f"bộ tiêu chí {fw.id} đã thay đổi (mã, điểm hoặc cách chấm) từ khi xuất "
                    "phiếu", f"B{row['framework_hash']}"))
    return out


def _number(value: Any, number_format: str | None = None, percent: bool = False,
            ) -> Decimal | str | None:
    """A number, None for an empty cell, or why the cell is not a number (Vietnamese).

    ``percent``: the cell is a percentage (``Tỷ lệ (%)``): a number shown as a percentage
    (format ``0%``: 0,8 shows 80%) and the text ``80%`` both read 80. Elsewhere a number
    shown as a percentage is refused: 0,8 shown 80% is neither 0,8 nor 80 for sure."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    error = error_value(value)
    if error is not None:
        return f"ô báo lỗi {error} (công thức hoặc dữ liệu bị hỏng), không phải là số"
    if isinstance(value, bool):
        return f"“{show_value(value)}” không phải là số"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"“{show_value(value)}” là ngày giờ, không phải là số"
    if isinstance(value, int | float):
        number = as_decimal(value)
        if number is None:
            return f"“{value}” không phải là số"
        if percent_format(number_format):
            if percent:
                scaled = number * 100
                return Decimal(int(scaled)) if scaled == int(scaled) else scaled.normalize()
            return (f"ô định dạng phần trăm (hiện {_fmt((number * 100).normalize())}%): ghi số "
                    "thường, không ghi phần trăm")
        return number.normalize() if isinstance(value, float) else number
    text = str(value)
    if percent and text.strip().endswith("%"):
        text = text.strip()[:-1]
        got = number_text(text)
        return got if isinstance(got, Decimal) else f"“{value.strip()}” không phải là số"
    return number_text(text)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool | dt.datetime | dt.date | dt.time):
        return show_value(value)
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = nfc(str(value)).replace("\r\n", "\n").strip()
    return text or None


def _percent_styles(wb: Any) -> bool:
    """Does any cell style of the workbook show numbers as percentages? (Only then are the
    cells' formats looked at: reading values alone is faster.)"""
    custom = getattr(wb, "_number_formats", [])
    ids = {9, 10} | {164 + i for i, f in enumerate(custom) if percent_format(str(f))}
    styles = getattr(wb, "_cell_styles", None)
    return styles is None or any(getattr(st, "numFmtId", 0) in ids for st in styles)


_Row = tuple[tuple[Any, ...], tuple[Any, ...]]
"""A row's values and its cells (whose number format is looked up for numbers only)."""


def _read_rows(fw: Framework, sheet_rows: Any, out: FormRead,
               expected: dict[str, tuple[int, dict[str, Any] | None]], cells: _Cells,
               formats: bool) -> None:
    """The rows after the header (``sheet_rows``: openpyxl's iterator, values only unless
    ``formats``)."""
    name = out.path.name
    found: dict[str, int] = {}
    rows: dict[str, tuple[int, _Row]] = {}
    key_at, code_at = cells.places["key"], cells.places["code"]
    for r, row in enumerate(sheet_rows, start=FIRST_ROW):
        values = tuple(c.value for c in row) if formats else tuple(row)
        if not formats:
            row = ()
        key = values[key_at] if len(values) > key_at else None
        if key is None:
            continue
        key = str(key)
        code = _text(values[code_at]) if len(values) > code_at else None
        at = f"{cells.letter('code')}{r}"
        if key not in expected or RowKey.parse(key).code != code or key in found:
            what = "sao chép" if key in found else "chuyển chỗ"
            out.findings.append(ROW_MOVED(
                f"{name} dòng {r}: mã “{code}” ở ô {at} không khớp khóa “{key}” của dòng (dòng "
                f"bị {what}); dòng không được đọc.", item=RowKey.parse(key).code, file=name,
                document=at, line=r))
            found.setdefault(key, -1)
            continue
        found[key] = r
        rows[key] = (r, (values, row))
    broken = {RowKey.parse(k).code for k, r in found.items() if r == -1}
    for key, (row_number, _) in expected.items():
        if key not in found:
            code = RowKey.parse(key).code
            broken.add(code)
            out.findings.append(ROW_MISSING(
                f"{name}: không còn dòng của “{key}” (xuất ở dòng {row_number}); tiêu chí {code} "
                "không được đọc.", item=code, file=name, document=f"A{row_number}",
                line=row_number))
    for key, (_, prefill) in expected.items():
        rk = RowKey.parse(key)
        if rk.field is not None or rk.code in broken or key not in rows:
            continue
        node = fw.by_code.get(rk.code)
        if node is not None and node.is_leaf:
            subject: tuple[Needs, Decimal] | None = (needs_of(node), node.max_points)
        else:
            subject = extra_needs(fw, rk.code)  # a bonus or penalty item's row
        if subject is None:
            continue
        r, row_cells = rows[key]
        answer = _answer(rk.code, subject[0], subject[1], r, row_cells, rows, out, cells)
        out.rows += 1
        if answer is not None:
            out.answers[rk.code] = Answer(rk.code, answer, prefill or {}, r, name)


_SKIP = object()
"""A cell already reported (merged, an uncalculated formula, an error value)."""


def _answer(code: str, needs: Needs, max_points: Decimal, r: int, row_cells: _Row,
            rows: dict[str, tuple[int, _Row]], out: FormRead, cells: _Cells,
            ) -> dict[str, Any] | None:
    """The row's values, or None when a cell cannot be used (a finding says which)."""
    name = out.path.name
    got: dict[str, Any] = {}
    bad = False

    def flag(kind: Any, col: str, row: int, text: str) -> None:
        nonlocal bad
        bad = True
        ref = f"{cells.letter(col)}{row}"
        out.findings.append(kind(f"{name} ô {ref} (tiêu chí {code}): {text}",
                                 item=code, file=name, document=ref, line=row))

    def val(col: str, row: int = r, row_data: _Row = row_cells) -> tuple[Any, str | None]:
        i = cells.places[col]
        values, row_cells = row_data
        value = values[i] if i < len(values) else None
        merged = cells.facts.merged_at(row, i + 1)
        if merged is not None:
            flag(MERGED_INPUT, col, row, f"ô nằm trong vùng gộp {range_text(merged)}; không "
                 "biết số liệu thuộc dòng nào, cột nào")
            return _SKIP, None
        if (row, i + 1) in cells.facts.uncalculated:
            flag(NOT_CALCULATED, col, row, "công thức chưa được tính (tệp lưu bằng chương "
                 "trình không tính công thức)")
            return _SKIP, None
        error = error_value(value)
        if error is not None:
            flag(CELL_ERROR, col, row, f"ô báo lỗi {error} (công thức hoặc dữ liệu bị hỏng)")
            return _SKIP, None
        if isinstance(value, int | float) and not isinstance(value, bool) and i < len(row_cells):
            return value, getattr(row_cells[i], "number_format", None)
        return value, None

    def text_of(col: str) -> str | None:
        value, _ = val(col)
        return None if value is _SKIP else _text(value)

    def number_of(col: str, row: int = r, row_data: _Row = row_cells) -> Decimal | None:
        value, number_format = val(col, row, row_data)
        if value is _SKIP:
            return None
        number = _number(value, number_format, percent=col == "percent")
        if isinstance(number, str):
            flag(TEXT_IN_NUMBER, col, row, number)
            return None
        return number

    if "option" in needs.columns:
        raw = text_of("option")
        if raw is not None:
            by_text = {option_text(label, pts): oid for oid, label, pts in needs.options}
            by_text.update({label: oid for oid, label, _ in needs.options})
            by_text.update({oid: oid for oid, _, _ in needs.options})
            if raw in by_text:
                got["option"] = by_text[raw]
            else:
                flag(UNKNOWN_OPTION, "option", r, f"“{raw}” không có trong danh sách; các "
                     "phương án: " + "; ".join(option_text(lb, p) for _, lb, p in needs.options))
    for col in ("done", "total", "percent", "count", "points"):
        if col not in needs.columns:
            continue
        number = number_of(col)
        if number is not None:
            if number < 0:
                flag(OUT_OF_RANGE, col, r, f"{_fmt(number)} là số âm")
            elif col == "percent" and number > 100:
                flag(OUT_OF_RANGE, col, r, f"tỷ lệ {_fmt(number)}% lớn hơn 100")
            elif col == "points" and number > max_points:
                flag(OUT_OF_RANGE, col, r, f"điểm {_fmt(number)} lớn hơn điểm tối đa "
                     f"{_fmt(max_points)}")
            elif col == "points" and needs.step is not None and number % needs.step != 0:
                flag(OUT_OF_RANGE, col, r, f"điểm {_fmt(number)} không phải bội số của "
                     f"{_fmt(needs.step)} (bước chấm của tiêu chí)")
            got[col] = number
    if not bad and "done" in got and "total" in got and got["done"] > got["total"]:
        flag(OUT_OF_RANGE, "done", r, f"số đã thực hiện {_fmt(got['done'])} lớn hơn tổng số "
             f"{_fmt(got['total'])}")
    for d in needs.details:
        row, row_data = rows[str(RowKey(code, d.field, d.id))]
        number = number_of("count", row, row_data)
        if number is not None:
            if number < 0 or (d.field == "occurrences" and number != int(number)):
                flag(OUT_OF_RANGE, "count", row, f"{_fmt(number)}: cần số nguyên không âm")
                continue
            got.setdefault(d.field, {})[d.id] = int(number) if d.field == "occurrences" \
                else number
    na = text_of("not_applicable")
    if na is not None:
        if na.casefold() == NOT_APPLICABLE.casefold() and needs.not_applicable:
            got["not_applicable"] = True
        else:
            allowed = (f"chọn “{NOT_APPLICABLE}” hoặc để trống" if needs.not_applicable
                       else "tiêu chí này không được đánh dấu không áp dụng")
            flag(UNKNOWN_OPTION, "not_applicable", r, f"“{na}”: {allowed}")
    for col in ("explanation", "note"):
        text = text_of(col)
        if text is not None:
            got[col] = text
    return None if bad else got
