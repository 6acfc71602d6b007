"""One department's score sheet as Sở Nội vụ receives it: :func:`read_sheet`.

The sheet is the workbook parindex writes (submission or working copy) or a sheet in the
province's form filled by hand: rows are found by their STT codes, columns by their
Vietnamese headers (:mod:`parindex.province.columns`), the department's name from the
workbook's properties, the heading block or the file name. Every cell is checked against the
framework; what is wrong becomes a finding naming the file and the cell. A file that cannot be
used at all (damaged, not a score sheet, too large) gives one error finding, never an
exception: workbooks from forty departments are untrusted input.

Reading is bounded: files over :data:`MAX_BYTES`, more than :data:`MAX_ROWS` rows or
:data:`MAX_COLS` columns are not read further.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.errors import InputError
from parindex.core.files import LIMITS, Limits, check_package, check_regular
from parindex.core.findings import Finding, define
from parindex.core.sheetvalue import (
    code_text,
    error_value,
    number_text,
    percent_format,
    show_value,
)
from parindex.framework.model import Framework
from parindex.province.columns import Columns, norm
from parindex.province.formulas import check_sum
from parindex.province.merges import Range, merged_at, merged_ranges

__all__ = ["MAX_BYTES", "MAX_COLS", "MAX_ROWS", "SheetItem", "UnitSheet", "read_sheet",
           "recorded_framework"]

MAX_BYTES = 20 * 1024 * 1024
"""A department's score sheet as stored (the package checks of :mod:`parindex.core.files`
apply too: unpacked size, compression ratio, parts)."""
_LIMITS = Limits(**{**LIMITS.__dict__, "package_bytes": MAX_BYTES})
MAX_ROWS = 3000
MAX_COLS = 60
_HEAD_ROWS = 40

_TOPIC = "province"
UNREADABLE = define(
    "province-unreadable", "error", "Tệp không đọc được",
    "Yêu cầu đơn vị gửi lại tệp .xlsx (mở và lưu lại bằng Excel hoặc LibreOffice).",
    topic=_TOPIC)
NOT_A_SHEET = define(
    "province-not-a-score-sheet", "error", "Tệp không phải bảng chấm điểm",
    "Bảng chấm điểm cần dòng tiêu đề có STT, Điểm tối đa và Điểm tự đánh giá.", topic=_TOPIC)
WRONG_FRAMEWORK = define(
    "province-wrong-framework", "error", "Bảng điểm theo bộ tiêu chí khác",
    "Đơn vị chấm lại theo bộ tiêu chí của năm đánh giá và gửi lại.", topic=_TOPIC)
WRONG_YEAR = define(
    "province-wrong-year", "error", "Bảng điểm của năm khác",
    "Kiểm tra năm đánh giá của bảng điểm; đơn vị gửi lại bảng của đúng năm.", topic=_TOPIC)
UNKNOWN_ROW = define(
    "province-unknown-row", "error", "Dòng có mã (STT) không có trong bộ tiêu chí",
    "Sửa mã STT theo bộ tiêu chí hoặc xóa dòng.", topic=_TOPIC)
MISSING_ROW = define(
    "province-missing-row", "error", "Thiếu dòng của tiêu chí",
    "Bảng điểm phải có mọi tiêu chí của bộ tiêu chí.", topic=_TOPIC)
DUPLICATE_ROW = define(
    "province-duplicate-row", "error", "Một tiêu chí có hai dòng",
    "Giữ một dòng cho mỗi tiêu chí.", topic=_TOPIC)
NOT_A_NUMBER = define(
    "province-not-a-number", "error", "Ô điểm chứa chữ, không phải số",
    "Nhập điểm là một số, ví dụ 0,5.", topic=_TOPIC)
NUMBER_AS_TEXT = define(
    "province-number-as-text", "warning", "Điểm được nhập dưới dạng chữ",
    "Đã đọc được số; nên nhập lại ô dưới dạng số.", topic=_TOPIC)
OUT_OF_RANGE = define(
    "province-score-out-of-range", "error", "Điểm ngoài khoảng 0 đến điểm tối đa",
    "Điểm của tiêu chí phải từ 0 đến điểm tối đa.", topic=_TOPIC)
MAX_CHANGED = define(
    "province-max-changed", "error", "Điểm tối đa khác bộ tiêu chí",
    "Không sửa cột Điểm tối đa.", topic=_TOPIC)
FORMULA_EDITED = define(
    "province-formula-edited", "error", "Công thức tổng bị sửa",
    "Ô tổng của lĩnh vực, tiêu chí phải bằng tổng các dòng con; khôi phục công thức.",
    topic=_TOPIC)
FORMULA_IN_SCORE = define(
    "province-formula-in-score", "error", "Ô điểm của tiêu chí chứa công thức chưa tính",
    "Nhập điểm là một số, hoặc mở và lưu tệp bằng Excel/LibreOffice.", topic=_TOPIC)
EMPTY_SCORE = define(
    "province-empty-score", "warning", "Tiêu chí chưa có điểm tự đánh giá",
    "Tiêu chí được tính 0 điểm; đơn vị bổ sung điểm hoặc ghi Không áp dụng.", topic=_TOPIC)
TAKEN_AS_NA = define(
    "province-empty-as-not-applicable", "info", "Ô tự đánh giá để trống: coi là không áp dụng",
    "Tiêu chí được phép không áp dụng và chưa có điểm: được loại khỏi điểm tối đa. Nếu đơn vị "
    "có thực hiện, nhập điểm.", topic=_TOPIC)
MERGED_SCORE = define(
    "province-merged-score", "error", "Ô điểm bị gộp (merge) qua nhiều tiêu chí",
    "Không biết điểm thuộc tiêu chí nào: đơn vị bỏ gộp ô (Unmerge), ghi điểm riêng cho từng "
    "tiêu chí và gửi lại.", topic=_TOPIC)
TOO_LARGE = define(
    "province-too-large", "error", "Tệp quá lớn hoặc quá nhiều dòng",
    "Bảng chấm điểm chỉ có một dòng mỗi tiêu chí; gửi lại tệp đúng mẫu.", topic=_TOPIC)

_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_YEAR = re.compile(r"năm\s+(20\d\d)", re.IGNORECASE)
_NA_WORDS = {"không áp dụng", "kad", "k/a"}
_SKIP_HEAD = ("ubnd", "ủy ban", "cộng hòa", "độc lập", "bảng", "biểu", "kèm theo", "bộ tiêu chí",
              "chỉ số", "phụ lục", "năm ")
_TOTAL_WORDS = ("tổng cộng", "tổng điểm", "tổng số", "cộng")


@dataclass(frozen=True)
class SheetItem:
    """One framework row as read: points per column, the appraisal per round, texts."""

    code: str
    row: int
    max: Decimal | None
    self_score: Decimal | None
    rounds: tuple[Decimal | None, ...] = ()
    """``Điểm thẩm định`` per round found in the sheet (None: not filled)."""
    reviews: tuple[str | None, ...] = ()
    """The reviewer's notes (Ý kiến thẩm định) per round."""
    response: str | None = None
    """The department's response to the appraisal (giải trình bổ sung)."""
    not_applicable: bool = False

    @property
    def appraised(self) -> Decimal | None:
        """The last round's appraisal of this item (an item a later round left empty keeps
        the earlier round's points)."""
        for value in reversed(self.rounds):
            if value is not None:
                return value
        return None


@dataclass(frozen=True)
class UnitSheet:
    """A department's sheet read: its name, the items, the findings (``usable`` is false when
    an error finding sets the file aside)."""

    path: Path
    unit: str | None
    framework: str | None
    year: int | None
    items: dict[str, SheetItem] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    round_count: int = 0
    extras: dict[str, SheetItem] = field(default_factory=dict)
    """The bonus and penalty rows below the total (codes of the framework's ``extras``)."""

    @property
    def usable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = norm(value) if isinstance(value, str) else str(value)
    return text or None


def read_sheet(path: Path, fw: Framework) -> UnitSheet:
    """Read one department's score sheet (see the module docstring); never raises for a bad
    file."""
    from openpyxl import load_workbook

    name = path.name
    try:
        data = check_package(path, "cannot read score sheet", _LIMITS)
    except InputError as exc:
        text = "; ".join(p.message for p in exc.problems)
        kind = TOO_LARGE if "quá lớn" in text or "giới hạn" in text else UNREADABLE
        return UnitSheet(path, None, None, None, findings=(kind(
            f"Tệp {name}: {text}.", file=name),))
    try:
        wb = load_workbook(data, read_only=True)
    except Exception as exc:
        return UnitSheet(path, None, None, None, findings=(UNREADABLE(
            f"Tệp {name} không phải tệp .xlsx đọc được ({type(exc).__name__}).", file=name),))
    try:
        return _Reader(path, wb, fw, data).read()
    except Exception as exc:
        return UnitSheet(path, None, None, None, findings=(UNREADABLE(
            f"Tệp {name} bị hỏng ({type(exc).__name__}: {str(exc)[:120]}).", file=name),))
    finally:
        wb.close()


class _Reader:
    def __init__(self, path: Path, wb: Any, fw: Framework, data: io.BytesIO) -> None:
        self.path, self.wb, self.fw, self.data = path, wb, fw, data
        self.name = path.name
        self.findings: list[Finding] = []
        self._cached: Any = None
        self._formats: dict[tuple[str, int, int], str] = {}
        self._ranges: dict[str, list[Range]] = {}

    def add(self, kind: Any, message: str, **where: Any) -> None:
        self.findings.append(kind(message, file=self.name, **where))

    def read(self) -> UnitSheet:
        props = {p.name: str(p.value) for p in getattr(self.wb, "custom_doc_props", [])}
        # a visible sheet first: a hidden one (last year's, kept out of sight) only when no
        # visible sheet is a score sheet
        sheets = sorted(self.wb.worksheets[:10],
                        key=lambda w: getattr(w, "sheet_state", "visible") != "visible")
        for ws in sheets:
            rows = self._rows(ws)
            head = self._header(rows)
            if head is not None:
                return self._sheet(ws, rows, head, props)
        self.add(NOT_A_SHEET, f"Tệp {self.name}: không có sheet nào có dòng tiêu đề STT, Điểm "
                 "tối đa, Điểm tự đánh giá.")
        return UnitSheet(self.path, props.get("parindex.unit"), None, None,
                         findings=tuple(self.findings))

    def _rows(self, ws: Any) -> list[list[Any]]:
        """The cells of the sheet (bounded), each as its value or a :class:`_F` formula."""
        out: list[list[Any]] = []
        for row in ws.iter_rows(max_col=MAX_COLS):
            if len(out) >= MAX_ROWS:
                self.add(TOO_LARGE, f"Sheet {ws.title} có hơn {MAX_ROWS} dòng; phần sau không "
                         "được đọc.")
                break
            values = [_F(c.value, c.coordinate) if c.data_type == "f" else c.value for c in row]
            for i, c in enumerate(row):  # kept to read a code typed as a number as shown
                held = values[i]  # (a number's format: a code as shown, a percent refused)
                if isinstance(held, int | float) and not isinstance(held, bool) and \
                        c.number_format not in (None, "General"):
                    self._formats[(ws.title, len(out), i)] = c.number_format
            out.append(values)
        return out

    def _code(self, ws: Any, r0: int, col: int | None, raw: Any) -> str:
        """The code of a row as its cell shows it: 1.1 formatted ``0.00`` is ``1.10``."""
        if isinstance(raw, float) and col is not None:
            return code_text(raw, self._formats.get((ws.title, r0, col))) or ""
        return str(raw).strip().rstrip(".") if raw is not None else ""

    def _header(self, rows: list[list[Any]]) -> tuple[int, Columns] | None:
        for r, row in enumerate(rows[:_HEAD_ROWS]):
            if not any(norm(v) in {"stt", "tt", "số thứ tự"} for v in row if isinstance(v, str)):
                continue
            below = rows[r + 1] if r + 1 < len(rows) else None
            sub = below if below is not None and not self._is_data(below) else None
            cols = Columns.from_rows(row, sub)
            if cols.code is not None and cols.max is not None and cols.self is not None:
                return (r + (2 if sub is not None else 1)), cols
        return None

    def _is_data(self, row: list[Any]) -> bool:
        return any(isinstance(v, str | int) and not isinstance(v, bool)
                   and str(v).strip() in self.fw.by_code for v in row[:3])

    def _sheet(self, ws: Any, rows: list[list[Any]], head: tuple[int, Columns],
               props: dict[str, str]) -> UnitSheet:
        first, cols = head
        recorded = props.get("parindex.framework")
        if recorded is not None and recorded != self.fw.id:
            self.add(WRONG_FRAMEWORK, f"Tệp {self.name} được chấm theo bộ tiêu chí {recorded}, "
                     f"không phải {self.fw.id}.")
        heading = [v for row in rows[: max(first - 1, 0)] for v in row
                   if isinstance(v, str) and v.strip()]
        year = _year(props.get("parindex.year"), heading)
        if year is not None and year != self.fw.scoring_year:
            self.add(WRONG_YEAR, f"Tệp {self.name} là bảng điểm năm {year}, bộ tiêu chí "
                     f"{self.fw.id} cho năm {self.fw.scoring_year}.")
        unit = props.get("parindex.unit") or _unit_from_heading(rows[: max(first - 1, 0)]) \
            or self.path.stem
        items = self._items(ws, rows, first, cols)
        extras = self._extras(ws, rows, first, cols)
        return UnitSheet(self.path, unit.strip(), recorded, year, items, tuple(self.findings),
                         len(cols.rounds), extras)

    def _extras(self, ws: Any, rows: list[list[Any]], first: int, cols: Columns,
                ) -> dict[str, SheetItem]:
        """Rows whose code is a bonus or penalty item of the framework (below the total in a
        parindex sheet; anywhere in a hand-made one): points as written, per round."""
        known = {it.code: it for _, it in self.fw.extras.items()} if self.fw.extras else {}
        out: dict[str, SheetItem] = {}
        for r0 in range(first, len(rows)) if known else ():
            row, r = rows[r0], r0 + 1
            raw = row[cols.code] if cols.code is not None and cols.code < len(row) else None
            code = self._code(ws, r0, cols.code, raw)
            if code not in known:
                continue
            if code in out:
                self.add(DUPLICATE_ROW, f"Mã {code} có ở dòng {out[code].row} và dòng {r}.",
                         item=code, line=r)
                continue
            cells = [row[i] if i is not None and i < len(row) else None
                     for i in (cols.max, cols.self, *(cols.appraised[k] for k in cols.rounds))]
            mx, own, *rounds = (self._number(ws, v, code, r) for v in cells)
            top = known[code].max_points
            for label, value in (("tự đánh giá", own), *(("thẩm định", v) for v in rounds)):
                if value is not None and not 0 <= value <= top:
                    self.add(OUT_OF_RANGE, f"Dòng {r}: điểm {label} {_fmt(value)} ngoài khoảng "
                             f"0 – {_fmt(top)}.", item=code, line=r)
            out[code] = SheetItem(code, r, mx, own, tuple(rounds))
        return out

    def _items(self, ws: Any, rows: list[list[Any]], first: int, cols: Columns,
               ) -> dict[str, SheetItem]:
        fw = self.fw
        items: dict[str, SheetItem] = {}
        parents: dict[str, tuple[int, list[Any]]] = {}
        seen: dict[str, int] = {}
        assert cols.code is not None and cols.max is not None and cols.self is not None
        rounds = cols.rounds

        def cell(row: list[Any], i: int | None) -> Any:
            return row[i] if i is not None and i < len(row) else None

        points = {i + 1 for i in (cols.max, cols.self, *cols.appraised.values())
                  if i is not None}

        def shared(r0: int, r1: int, c0: int, c1: int) -> bool:
            """A merged range over two items' rows or two columns of points (one item whose
            long name spans two rows keeps its score)."""
            coded = sum(1 for k in range(r0 - 1, min(r1, len(rows)))
                        if cell(rows[k], cols.code) not in (None, ""))
            return coded > 1 or sum(1 for c in points if c0 <= c <= c1) > 1

        for r0 in range(first, len(rows)):
            row, r = rows[r0], r0 + 1
            raw = cell(row, cols.code)
            code = self._code(ws, r0, cols.code, raw)
            name = cell(row, cols.name)
            if not code:
                label = norm(name) if isinstance(name, str) else ""
                if label.startswith(_TOTAL_WORDS):
                    break
                continue
            if _numbering(row):
                continue
            node = fw.by_code.get(code)
            if node is None and fw.extras is not None and fw.extras.item(code) is not None:
                continue  # a bonus or penalty row: read by _extras
            if node is None:
                if _CODE.match(code) or items:
                    self.add(UNKNOWN_ROW, f"Dòng {r}: mã {code!r} không có trong bộ tiêu chí "
                             f"{fw.id}.", item=code, line=r)
                continue
            if code in seen:
                self.add(DUPLICATE_ROW, f"Mã {code} có ở dòng {seen[code]} và dòng {r}.",
                         item=code, line=r)
                continue
            seen[code] = r
            if not node.is_leaf:
                parents[code] = (r, row)
                continue
            items[code] = self._leaf(ws, row, r, code, cols, rounds, shared)
        for node in fw.nodes:
            if node.code not in seen:
                self.add(MISSING_ROW, f"Không có dòng của tiêu chí {node.code} "
                         f"\u201c{node.name}\u201d.", item=node.code)
        if not any(f.code in {MISSING_ROW.code, DUPLICATE_ROW.code} for f in self.findings):
            self._check_parents(parents, items, cols, seen)
        return items

    def _leaf(self, ws: Any, row: list[Any], r: int, code: str, cols: Columns,
              rounds: list[int], shared: Callable[[int, int, int, int], bool]) -> SheetItem:
        node = self.fw.by_code[code]

        def at(i: int | None) -> Any:
            return row[i] if i is not None and i < len(row) else None

        def num(i: int | None, raw: Any) -> Decimal | None:
            if i is None:
                return self._number(ws, raw, code, r)
            if ws.title not in self._ranges:
                self._ranges[ws.title] = merged_ranges(self.data, ws.title)
            rng = merged_at(self._ranges[ws.title], r, i + 1, shared)
            if rng is not None:
                self.add(MERGED_SCORE, f"Dòng {r}: ô điểm nằm trong vùng gộp {rng}; ô không được "
                         "đọc.", item=code, line=r)
                return None
            return self._number(ws, raw, code, r, self._formats.get((ws.title, r - 1, i)))

        status = norm(at(cols.status)) if isinstance(at(cols.status), str) else ""
        raw_self = at(cols.self)
        na = status == "không áp dụng" or (isinstance(raw_self, str)
                                           and norm(raw_self) in _NA_WORDS)
        mx = num(cols.max, at(cols.max))
        self_score = None if na else num(cols.self, raw_self)
        survey = node.method == "survey"
        values: list[Decimal | None] = []
        for rnd in rounds:
            raw = at(cols.appraised[rnd])
            if survey or (isinstance(raw, str) and norm(raw) in _NA_WORDS):
                values.append(None)  # survey points are not appraised (the cell may mirror)
                continue
            values.append(num(cols.appraised[rnd], raw))
        if mx is not None and mx != node.max_points:
            self.add(MAX_CHANGED, f"Dòng {r}: điểm tối đa {_fmt(mx)}, bộ tiêu chí ghi "
                     f"{_fmt(node.max_points)}.", item=code, line=r)
        low = Decimal(0)
        if node.rule is not None:
            low = min(low, node.rule.attainable(node.max_points)[0])
        for label, value, lowest in (("tự đánh giá", self_score, low),
                                     *(("thẩm định", v, Decimal(0)) for v in values)):
            if value is not None and not lowest <= value <= node.max_points:
                self.add(OUT_OF_RANGE, f"Dòng {r}: điểm {label} {_fmt(value)} ngoài khoảng "
                         f"{_fmt(lowest)} – {_fmt(node.max_points)}.", item=code, line=r)
        allowed = getattr(node.item, "not_applicable_allowed", False)
        if self_score is None and not na and not survey and allowed and all(
                v is None for v in values):
            # the submission form has no status column: an empty score of an item that may be
            # not applicable is read as not applicable (the department's giải trình says why)
            na = True
            self.add(TAKEN_AS_NA, f"Dòng {r}: tiêu chí {code} để trống điểm tự đánh giá, được "
                     "coi là không áp dụng.", item=code, line=r)
        if self_score is None and not na and not survey:
            self.add(EMPTY_SCORE, f"Dòng {r}: tiêu chí {code} chưa có điểm tự đánh giá.",
                     item=code, line=r)
        reviews = tuple(_plain(at(cols.review.get(rnd))) for rnd in rounds)
        return SheetItem(code, r, mx, self_score, tuple(values), reviews,
                         _plain(at(cols.response)), na)

    def _number(self, ws: Any, value: Any, code: str, r: int,
                number_format: str | None = None) -> Decimal | None:
        if isinstance(value, _F):
            cached = self._cached_value(ws, value.ref)
            if cached is None:
                self.add(FORMULA_IN_SCORE, f"Ô {value.ref} chứa công thức {value.text[:60]} "
                         "chưa được tính.", item=code, line=r)
                return None
            value = cached
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool | dt.datetime | dt.date | dt.time):
            self.add(NOT_A_NUMBER, f"Dòng {r}: ô điểm chứa {show_value(value)}, không phải số.",
                     item=code, line=r)
            return None
        if isinstance(value, int | float | Decimal):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if number.is_finite() and percent_format(number_format):
                self.add(NOT_A_NUMBER, f"Dòng {r}: ô điểm định dạng phần trăm (hiện "
                         f"{_fmt(number * 100)}%): không rõ là {_fmt(number)} hay "
                         f"{_fmt(number * 100)} điểm.", item=code, line=r)
                return None
            return number if number.is_finite() else None
        text = str(value).strip()
        error = error_value(text)
        got = number_text(text)
        if error is not None or not isinstance(got, Decimal):
            plain = got == f"\u201c{text}\u201d không phải là số"
            why = (f"báo lỗi {error} (công thức hoặc dữ liệu bị hỏng)" if error is not None
                   else f"ghi \u201c{text[:40]}\u201d" if plain else str(got))
            self.add(NOT_A_NUMBER, f"Dòng {r}: ô điểm {why} thay vì số.", item=code, line=r)
            return None
        number = got
        self.add(NUMBER_AS_TEXT, f"Dòng {r}: điểm \u201c{text}\u201d nhập dưới dạng chữ.",
                 item=code, line=r)
        return number

    def _cached_value(self, ws: Any, ref: str) -> Any:
        if self._cached is None:
            from openpyxl import load_workbook

            self.data.seek(0)
            self._cached = load_workbook(self.data, read_only=True, data_only=True)
        return self._cached[ws.title][ref].value

    def _check_parents(self, parents: dict[str, tuple[int, list[Any]]],
                       items: dict[str, SheetItem], cols: Columns, seen: dict[str, int]) -> None:
        """Area and criterion rows: a formula must sum exactly the rows of the children; a
        typed number must equal their sum (when every child below has a value)."""
        fw = self.fw
        columns = [(None, cols.self), *enumerate(cols.appraised[k] for k in cols.rounds)]
        for code, (r, row) in parents.items():
            kids = fw.children(code)
            for pos, col in columns:
                if col is None or col >= len(row):
                    continue
                value = row[col]
                if isinstance(value, _F):
                    problem = check_sum(value.text, col, [seen[k.code] for k in kids])
                    if problem:
                        self.add(FORMULA_EDITED, f"Ô {value.ref} ({code}): {problem}.",
                                 item=code, line=r)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    total = self._subtotal(code, pos, items)
                    typed = Decimal(repr(value))
                    if total is not None and typed != total:
                        self.add(FORMULA_EDITED, f"Dòng {r} ({code}): ghi {_fmt(typed)}, tổng "
                                 f"các dòng con là {_fmt(total)}.", item=code, line=r)

    def _subtotal(self, code: str, pos: int | None, items: dict[str, SheetItem],
                  ) -> Decimal | None:
        """The sum of the leaves below ``code`` in the self-score column (``pos`` None) or
        appraisal round ``pos``; None when a leaf has no value or (rounds) is a survey item."""
        total = Decimal(0)
        for leaf in self.fw.leaves():
            if not leaf.code.startswith(code + "."):
                continue
            item = items.get(leaf.code)
            if item is None or (pos is not None and leaf.method == "survey"):
                return None
            value = item.self_score if pos is None else item.rounds[pos]
            if value is None:
                if item.not_applicable:
                    continue
                return None
            total += value
        return total


@dataclass(frozen=True)
class _F:
    """A formula cell."""

    text: str
    ref: str


def _numbering(row: list[Any]) -> bool:
    """The row of column numbers under a form's headings: (1) (2) (3) …"""
    vals = [str(v).strip() for v in row if v is not None and str(v).strip()]
    return len(vals) >= 3 and all(re.fullmatch(r"\(?\d+\)?", v) for v in vals) and \
        [int(v.strip("()")) for v in vals] == list(range(int(vals[0].strip("()")),
                                                           int(vals[0].strip("()")) + len(vals)))


def _plain(value: Any) -> str | None:
    if value is None or isinstance(value, _F):
        return None
    import unicodedata

    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _year(recorded: str | None, heading: list[str]) -> int | None:
    if recorded and recorded.isdigit():
        return int(recorded)
    for text in heading:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _unit_from_heading(rows: list[list[Any]]) -> str | None:
    """The department named in the heading block: an ``Đơn vị: …`` line, else the first line
    of the left-hand block that is not the body above it, the motto or the title."""
    texts = [v.strip() for row in rows for v in row[:6] if isinstance(v, str) and v.strip()]
    for text in texts:
        low = norm(text)
        if low.startswith(("đơn vị ", "tên đơn vị ", "cơ quan ")):
            return text.split(":", 1)[1].strip() if ":" in text else None
    for row in rows:
        for v in row[:4]:
            if isinstance(v, str) and v.strip():
                low = norm(v)
                if not low.startswith(_SKIP_HEAD) and not low.startswith("-"):
                    return v.strip()
                break
    return None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def recorded_framework(paths: list[Path]) -> str | None:
    """The framework most of ``paths`` record in their properties (parindex workbooks), read
    from ``docProps/custom.xml`` without loading the workbooks; None when none records one."""
    import zipfile
    from collections import Counter

    found: Counter[str] = Counter()
    pattern = re.compile(r'name="parindex\.framework"[^>]*>\s*<vt:lpwstr>([^<]{1,80})<')
    for path in paths:
        try:
            check_regular(path, MAX_BYTES)
            with zipfile.ZipFile(path) as z:
                info = z.getinfo("docProps/custom.xml")
                if info.file_size > 1_000_000:
                    continue
                m = pattern.search(z.read(info).decode("utf-8", "replace"))
        except (OSError, KeyError, zipfile.BadZipFile, ValueError, InputError):
            continue
        if m:
            found[m.group(1).strip()] += 1
    return found.most_common(1)[0][0] if found else None
