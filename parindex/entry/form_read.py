"""Reading a filled input form back: each row's answer, or a finding with its cell address.

A value that cannot be trusted is never turned into a wrong input: text in a number cell, an
option not in the list, a number out of range, a row whose code no longer matches its hidden
key, a row deleted or copied, a form of another dossier, year or framework, each give a
finding naming the cell (A1 style) and the item is left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package
from parindex.core.findings import Finding, define
from parindex.entry.fields import Needs, needs_of
from parindex.entry.form_extras import extra_needs
from parindex.entry.form_layout import (
    FIRST_ROW,
    FORM_KIND,
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


def _cell(col: str, row: int) -> str:
    return f"{column_letter(col)}{row}"


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    package = check_package(path, "cannot read form", max_rows=LIMITS.sheet_rows)
    try:
        return load_workbook(package, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or format errors: whatever openpyxl raises
        raise InputError([Problem(f"không mở được tệp .xlsx ({type(exc).__name__}: {exc})",
                                  path)], "cannot read form") from None


def read_form(dossier: Dossier, path: Path) -> FormRead:
    """Read one form; raises :class:`InputError` only when the file is not a workbook."""
    wb = _open(path)
    try:
        return _read(dossier, path, wb)
    finally:
        wb.close()


def _read(dossier: Dossier, path: Path, wb: Any) -> FormRead:
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
    _read_rows(dossier.framework, wb[INPUT_SHEET], out, expected)
    return out


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


_NUMBER = re.compile(r"^[+]?\d+(?:[.,]\d+)?$")


def _number(value: Any) -> Decimal | str | None:
    """A number, None for an empty cell, or the text when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).normalize() if value == value else "NaN"
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if _NUMBER.match(text):
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return text
    return str(value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = nfc(str(value)).replace("\r\n", "\n").strip()
    return text or None


def _read_rows(fw: Framework, ws: Any, out: FormRead,
               expected: dict[str, tuple[int, dict[str, Any] | None]]) -> None:
    name = out.path.name
    found: dict[str, int] = {}
    rows: dict[str, tuple[int, tuple[Any, ...]]] = {}
    width = KEY_COLUMN
    for r, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True),
                               start=FIRST_ROW):
        key = values[KEY_COLUMN - 1] if len(values) >= KEY_COLUMN else None
        if key is None:
            continue
        key = str(key)
        code = _text(values[0])
        if key not in expected or RowKey.parse(key).code != code or key in found:
            what = "sao chép" if key in found else "chuyển chỗ"
            out.findings.append(ROW_MOVED(
                f"{name} dòng {r}: mã “{code}” ở ô A{r} không khớp khóa “{key}” của dòng (dòng "
                f"bị {what}); dòng không được đọc.", item=RowKey.parse(key).code, file=name,
                document=f"A{r}", line=r))
            found.setdefault(key, -1)
            continue
        found[key] = r
        rows[key] = (r, values)
    broken = {RowKey.parse(k).code for k, r in found.items() if r == -1}
    for key, (row, _) in expected.items():
        if key not in found:
            code = RowKey.parse(key).code
            broken.add(code)
            out.findings.append(ROW_MISSING(
                f"{name}: không còn dòng của “{key}” (xuất ở dòng {row}); tiêu chí {code} không "
                "được đọc.", item=code, file=name, document=f"A{row}", line=row))
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
        r, values = rows[key]
        answer = _answer(rk.code, subject[0], subject[1], r, values, rows, out)
        out.rows += 1
        if answer is not None:
            out.answers[rk.code] = Answer(rk.code, answer, prefill or {}, r, name)


def _answer(code: str, needs: Needs, max_points: Decimal, r: int, values: tuple[Any, ...],
            rows: dict[str, tuple[int, tuple[Any, ...]]], out: FormRead) -> dict[str, Any] | None:
    """The row's values, or None when a cell cannot be used (a finding says which)."""
    name = out.path.name
    got: dict[str, Any] = {}
    bad = False

    def flag(kind: Any, col: str, row: int, text: str) -> None:
        nonlocal bad
        bad = True
        out.findings.append(kind(f"{name} ô {_cell(col, row)} (tiêu chí {code}): {text}",
                                 item=code, file=name, document=_cell(col, row), line=row))

    def val(col: str, row_values: tuple[Any, ...] = values) -> Any:
        i = column_index(col) - 1
        return row_values[i] if i < len(row_values) else None

    if "option" in needs.columns:
        raw = _text(val("option"))
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
        number = _number(val(col))
        if isinstance(number, str):
            flag(TEXT_IN_NUMBER, col, r, f"“{number}” không phải là số")
        elif number is not None:
            if number < 0:
                flag(OUT_OF_RANGE, col, r, f"{_fmt(number)} là số âm")
            elif col == "percent" and number > 100:
                flag(OUT_OF_RANGE, col, r, f"tỷ lệ {_fmt(number)}% lớn hơn 100")
            elif col == "points" and number > max_points:
                flag(OUT_OF_RANGE, col, r, f"điểm {_fmt(number)} lớn hơn điểm tối đa "
                     f"{_fmt(max_points)}")
            got[col] = number
    if not bad and "done" in got and "total" in got and got["done"] > got["total"]:
        flag(OUT_OF_RANGE, "done", r, f"số đã thực hiện {_fmt(got['done'])} lớn hơn tổng số "
             f"{_fmt(got['total'])}")
    for d in needs.details:
        row, row_values = rows[str(RowKey(code, d.field, d.id))]
        number = _number(val("count", row_values))
        if isinstance(number, str):
            flag(TEXT_IN_NUMBER, "count", row, f"“{number}” không phải là số")
        elif number is not None:
            if number < 0 or (d.field == "occurrences" and number != int(number)):
                flag(OUT_OF_RANGE, "count", row, f"{_fmt(number)}: cần số nguyên không âm")
                continue
            got.setdefault(d.field, {})[d.id] = int(number) if d.field == "occurrences" \
                else number
    na = _text(val("not_applicable"))
    if na is not None:
        if na.casefold() == NOT_APPLICABLE.casefold() and needs.not_applicable:
            got["not_applicable"] = True
        else:
            allowed = (f"chọn “{NOT_APPLICABLE}” hoặc để trống" if needs.not_applicable
                       else "tiêu chí này không được đánh dấu không áp dụng")
            flag(UNKNOWN_OPTION, "not_applicable", r, f"“{na}”: {allowed}")
    for col in ("explanation", "note"):
        text = _text(val(col))
        if text is not None:
            got[col] = text
    return None if bad else got
