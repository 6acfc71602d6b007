"""Reading a scoring workbook back after appraisal.

:func:`read_workbook` reads a workbook written by :mod:`parindex.workbook.export` — the
submission or the working copy, told apart by their headers — after a reviewer of Sở Nội vụ
filled ``Điểm thẩm định`` (and perhaps edited the notes). It checks the
rows against the framework and returns a :class:`WorkbookReading`: per item the self-assessed
and the appraised points, the evidence references, explanation and note, plus a findings
:class:`~parindex.core.findings.Report`. A file that is not such a workbook at all raises
:class:`~parindex.core.errors.InputError`.

:func:`~parindex.workbook.diff.appraisal_diff` says where and by how much the appraisal
differs, per item, area and in total. The finding kinds of both are defined here.

JSON keys (``to_dict``) of an item: ``code``, ``name``, ``level``, ``row`` (sheet row),
``max`` (the ``Điểm tối đa`` cell), ``self_score`` (``Điểm tự đánh giá``; null where the cell
is empty: survey pending, not applicable), ``appraised`` (``Điểm thẩm định``; null where
empty), ``evidence`` (the lines of ``Tài liệu kiểm chứng``: each document's số ký hiệu,
with its locator in brackets when it has one), ``explanation``, ``note``, ``status``
(the scoring status code of the ``Tình trạng`` cell: ``scored``, ``not-applicable``,
``missing-input``, ``invalid-input``, ``survey``, ``survey-pending``; ``sum`` for parents; a
submission has no such cell: a leaf reads ``survey`` / ``survey-pending`` when it is a survey
item, ``not-applicable`` when its score cell says "Không áp dụng" (or is empty under the
``drop`` policy), else ``scored``).
Areas and criteria hold formulas: their ``max`` is the framework's, ``self_score`` and
``appraised`` are null (:func:`~parindex.workbook.diff.appraisal_diff` gives the sums).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.display import Kind, clip, frame, html_block, html_table
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package
from parindex.core.findings import Finding, Report, define
from parindex.core.sheetvalue import (
    error_value,
    number_text,
    show_value,
)
from parindex.framework.model import Framework, Level
from parindex.scoring.scorecard import Status
from parindex.workbook.extras_rows import WorkbookExtra, read_extras
from parindex.workbook.layout import (
    MAIN_COLUMNS,
    MAIN_SHEET,
    REGISTER_SHEET,
    STATUS_LABELS,
    SUBMISSION_COLUMNS,
)
from parindex.workbook.read_sheet import Cached, Formula, Percent, cell_values, read_register
from parindex.workbook.view import RegisterRow

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "ITEM_COLUMNS",
    "WorkbookItem",
    "WorkbookReading",
    "read_workbook",
]

_TOPIC = "workbook"
UNKNOWN_ROW = define(
    "workbook-unknown-row", "error", "Dòng không có trong bộ tiêu chí",
    "Xóa dòng này hoặc sửa lại mã (STT) cho đúng bộ tiêu chí.", topic=_TOPIC)
MISSING_ROW = define(
    "workbook-missing-row", "error", "Thiếu dòng của một tiêu chí",
    "Xuất lại bảng điểm từ hồ sơ; không xóa dòng của tiêu chí.", topic=_TOPIC)
DUPLICATE_ROW = define(
    "workbook-duplicate-row", "error", "Một tiêu chí xuất hiện hai lần",
    "Giữ một dòng cho mỗi tiêu chí.", topic=_TOPIC)
NOT_A_NUMBER = define(
    "workbook-not-a-number", "error", "Ô điểm chứa chữ, không phải số",
    "Nhập điểm là một số, ví dụ 0,5.", topic=_TOPIC)
NUMBER_AS_TEXT = define(
    "workbook-number-as-text", "warning", "Điểm được nhập dưới dạng chữ",
    "Đã đọc được số; nên nhập lại ô này dưới dạng số.", topic=_TOPIC)
OUT_OF_RANGE = define(
    "workbook-score-out-of-range", "error", "Điểm ngoài khoảng 0 đến điểm tối đa",
    "Điểm của một tiêu chí phải từ 0 đến điểm tối đa của tiêu chí đó.", topic=_TOPIC)
MAX_CHANGED = define(
    "workbook-max-changed", "error", "Điểm tối đa khác bộ tiêu chí",
    "Không sửa cột Điểm tối đa; xuất lại bảng điểm nếu bộ tiêu chí đã thay đổi.", topic=_TOPIC)
NAME_CHANGED = define(
    "workbook-name-changed", "warning", "Tên tiêu chí khác bộ tiêu chí",
    "Kiểm tra mã (STT) của dòng: tên không khớp với bộ tiêu chí.", topic=_TOPIC)
UNKNOWN_STATUS = define(
    "workbook-unknown-status", "warning", "Tình trạng không nhận ra",
    f"Cột Tình trạng chỉ nhận: {', '.join(repr(v) for v in STATUS_LABELS.values() if v)} "
    "hoặc để trống.", topic=_TOPIC)
NOT_APPRAISED = define(
    "workbook-not-appraised", "info", "Tiêu chí chưa có điểm thẩm định",
    "Nhập điểm thẩm định cho tiêu chí này.", topic=_TOPIC)
APPRAISED_SURVEY = define(
    "workbook-appraisal-on-survey", "warning", "Điểm thẩm định ghi vào tiêu chí điều tra XHH",
    "Tiêu chí điều tra xã hội học không thẩm định; điểm này không được tính.", topic=_TOPIC)
APPRAISED_NA = define(
    "workbook-appraisal-on-not-applicable", "warning",
    "Điểm thẩm định ghi vào tiêu chí không áp dụng",
    "Tiêu chí đã đánh dấu không áp dụng; điểm thẩm định này được tính vào tổng điểm "
    "nhưng điểm tối đa không đổi: kiểm tra lại.", topic=_TOPIC)
FRAMEWORK_MISMATCH = define(
    "workbook-framework-mismatch", "warning", "Bảng điểm được xuất từ bộ tiêu chí khác",
    "Đọc bảng điểm với đúng bộ tiêu chí đã dùng khi xuất.", topic=_TOPIC)
MERGED_CELLS = define(
    "workbook-merged-cells", "error", "Ô điểm bị gộp (merge) qua nhiều tiêu chí",
    "Bỏ gộp ô (Unmerge) và ghi điểm riêng cho từng tiêu chí.", topic=_TOPIC)
SELF_SCORE_CHANGED = define(
    "workbook-self-score-changed", "warning", "Điểm tự đánh giá trong bảng khác hồ sơ",
    "Bảng điểm cũ hơn hồ sơ, hoặc đã bị sửa: xuất lại hoặc kiểm tra.", topic=_TOPIC)

ITEM_COLUMNS: dict[str, Kind] = {
    "code": "text", "name": "text", "level": "text", "row": "int", "max": "float",
    "self_score": "float", "appraised": "float", "evidence": "text", "explanation": "text",
    "note": "text", "status": "text"}
"""Columns of :meth:`WorkbookReading.to_frame` (fixed, in this order, with these kinds)."""

_LABEL_STATUS: dict[str, Status] = {v: k for k, v in STATUS_LABELS.items() if v}
_NA_LABEL = STATUS_LABELS["not-applicable"].casefold()
"""What a submission's ``Điểm tự đánh giá`` cell says for an item not applicable (``drop``)."""
_KEYS = [k for k, _ in MAIN_COLUMNS]
_COL = {k: i for i, k in enumerate(_KEYS)}
_POINTS = frozenset(_COL[k] for k in ("nominal_max", "score", "appraised"))
"""The columns of points (a percentage format there is refused: see ``Percent``)."""
_TOTAL_LABEL = "TỔNG CỘNG"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class WorkbookItem:
    """One row of the main sheet as read back (see the module docstring for the keys)."""

    code: str
    name: str
    level: Level | None
    row: int
    max: Decimal | None
    self_score: Decimal | None
    appraised: Decimal | None
    evidence: tuple[str, ...] = ()
    explanation: str | None = None
    note: str | None = None
    status: Status | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level, "row": self.row,
            "max": _num(self.max), "self_score": _num(self.self_score),
            "appraised": _num(self.appraised), "evidence": list(self.evidence),
            "explanation": self.explanation, "note": self.note, "status": self.status,
        }


@dataclass(frozen=True)
class WorkbookReading:
    """A workbook read back: items in sheet order, the register, and the findings."""

    path: Path
    framework: Framework
    unit: str | None
    year: int | None
    items: tuple[WorkbookItem, ...]
    register: tuple[RegisterRow, ...]
    report: Report
    extras: tuple[WorkbookExtra, ...] = ()
    """The bonus and penalty rows (:mod:`parindex.workbook.extras_rows`)."""

    @property
    def by_code(self) -> dict[str, WorkbookItem]:
        return {i.code: i for i in self.items}

    def appraised(self) -> dict[str, Decimal]:
        """Leaf code → appraised points, for the leaves the reviewer filled."""
        leaves = {n.code for n in self.framework.leaves()}
        return {i.code: i.appraised for i in self.items
                if i.code in leaves and i.appraised is not None}

    def to_frame(self) -> pd.DataFrame:
        """One row per sheet row read, in sheet order; columns :data:`ITEM_COLUMNS`.

        ``row`` is ``int64``; ``max``, ``self_score`` and ``appraised`` are ``float64``
        (``NaN`` where the cell is empty, and for areas and criteria, whose cells are
        formulas); ``evidence`` (lines joined by ``"; "``) and the other columns ``string``.
        """
        rows = [i.to_dict() | {"max": i.max, "self_score": i.self_score,
                               "appraised": i.appraised} for i in self.items]
        return frame(rows, list(ITEM_COLUMNS.items()), self.framework.precision)

    def __repr__(self) -> str:
        leaves = self.report.stats.get("leaves", 0)
        c = self.report.counts
        return clip(f"<WorkbookReading {self.path.name} ({self.framework.id}): "
                    f"{len(self.items)} rows, {len(self.appraised())} of {leaves} items "
                    f"appraised; {c['error']} errors, {c['warning']} warnings>")

    def _repr_html_(self) -> str:
        c = self.report.counts
        lines = [f"Bộ tiêu chí {self.framework.id}" + (f" — {self.unit}" if self.unit else ""),
                 f"{len(self.appraised())}/{self.report.stats.get('leaves', 0)} tiêu chí đã có "
                 f"điểm thẩm định; {c['error']} lỗi, {c['warning']} cảnh báo."]
        leaves = {n.code for n in self.framework.leaves()}
        rows = [(i.code, i.name, _opt(i.self_score), _opt(i.appraised)) for i in self.items
                if i.code in leaves and i.appraised is not None and i.appraised != i.self_score]
        counts = html_table(("Dòng đọc được", "Đã thẩm định", "Lỗi", "Cảnh báo", "Thông tin"),
                            [(len(self.items), len(self.appraised()), c["error"],
                              c["warning"], c["info"])], numeric=range(5))
        tables = [counts]
        if rows:
            tables.append(html_table(("Mã", "Tiêu chí", "Tự đánh giá", "Thẩm định"), rows,
                                     numeric=(2, 3), limit=20,
                                     caption="Điểm thẩm định khác điểm tự đánh giá"))
        return html_block(f"Bảng điểm đọc lại: {self.path.name}", lines, tables)

    def to_dict(self) -> dict[str, Any]:
        """``file``, ``framework``, ``unit``, ``year``, ``valid``, ``items`` (see module
        docstring), ``register`` (rows: number, date, title, issuer, items, path, signature: the
        ``Ký số`` shown, None in a workbook without the column), ``extras``
        (bonus and penalty rows, see :class:`~parindex.workbook.extras_rows.WorkbookExtra`)
        and ``report`` (the findings report's ``to_dict``)."""
        return {
            "file": str(self.path), "framework": self.framework.id, "unit": self.unit,
            "year": self.year, "valid": self.report.valid,
            "items": [i.to_dict() for i in self.items],
            "register": [_register_dict(r) for r in self.register],
            "extras": [e.to_dict() for e in self.extras],
            "report": self.report.to_dict(),
        }


def _register_dict(row: RegisterRow) -> dict[str, Any]:
    return {"number": row.number, "date": row.date.isoformat() if row.date else None,
            "title": row.title, "issuer": row.issuer, "items": list(row.items),
            "path": row.path, "signature": row.signature}


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# -- reading ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = _nfc(str(value))
    return text if text != "" else None


class _Numbers:
    """Reads number cells, collecting findings about text in them."""

    def __init__(self, findings: list[Finding], cached: Cached) -> None:
        self.findings = findings
        self.cached = cached

    def read(self, value: Any, code: str, column: str, row: int) -> Decimal | None:
        if isinstance(value, Formula):
            formula = value.text
            value = self.cached(value)
            if value is None:
                self.findings.append(NOT_A_NUMBER(
                    f"Ô {column} dòng {row} chứa công thức {formula} chưa được tính: lưu tệp "
                    "bằng Excel/LibreOffice hoặc nhập số.", item=code, line=row))
                return None
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Percent):
            held = Decimal(repr(value.value)) if isinstance(value.value, float) else \
                Decimal(value.value)
            self.findings.append(NOT_A_NUMBER(
                f"Ô {column} dòng {row} định dạng phần trăm (hiện {_fmt(held * 100)}%): không "
                f"rõ là {_fmt(held)} hay {_fmt(held * 100)} điểm; ghi số điểm ở ô định dạng số "
                "thường.", item=code, line=row))
            return None
        if isinstance(value, bool | dt.datetime | dt.date | dt.time):
            self.findings.append(NOT_A_NUMBER(
                f"Ô {column} dòng {row} chứa {show_value(value)}, không phải số điểm.", item=code,
                line=row))
            return None
        if isinstance(value, int | float | Decimal):
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        text = str(value).strip()
        error = error_value(text)
        number = number_text(text)
        if error is not None or not isinstance(number, Decimal):
            plain = number == f"\u201c{text}\u201d không phải là số"
            why = (f"báo lỗi {error} (công thức hoặc dữ liệu bị hỏng)" if error is not None
                   else f"chữ \u201c{text}\u201d" if plain else str(number))
            self.findings.append(NOT_A_NUMBER(
                f"Ô {column} dòng {row} chứa {why} thay vì số điểm.", item=code, line=row))
            return None
        self.findings.append(NUMBER_AS_TEXT(
            f"Ô {column} dòng {row} ghi \u201c{text}\u201d dưới dạng chữ; đã đọc là "
            f"{_fmt(number)}.", item=code, line=row))
        return number


def _find_header(ws: Worksheet, path: Path) -> tuple[int, int]:
    """The header row and the number of columns: the submission's
    (:data:`~parindex.workbook.layout.SUBMISSION_COLUMNS`) or the working copy's (all of
    :data:`~parindex.workbook.layout.MAIN_COLUMNS`), told apart by the header after them."""
    for r in range(1, 40):
        if _text(ws.cell(row=r, column=1).value) != MAIN_COLUMNS[0][1]:
            continue
        after = _text(ws.cell(row=r, column=len(SUBMISSION_COLUMNS) + 1).value)
        width = len(SUBMISSION_COLUMNS) if after is None else len(MAIN_COLUMNS)
        titles = [t for _, t in MAIN_COLUMNS[:width]]
        got = [_text(ws.cell(row=r, column=i + 1).value) for i in range(width)]
        below = [_text(ws.cell(row=r + 1, column=i + 1).value) for i in range(width)]
        merged = [g if g is not None else b for g, b in zip(got, below, strict=True)]
        explain = _COL["explanation"]
        merged[explain] = below[explain]
        merged[explain + 1] = below[explain + 1]
        wrong = [f"{chr(65 + i)}: expected {t!r}, found {m!r}"
                 for i, (t, m) in enumerate(zip(titles, merged, strict=True)) if t != m]
        if wrong:
            raise InputError([Problem(f"dòng tiêu đề của trang {MAIN_SHEET!r} không đúng mẫu "
                                      "bảng điểm của parindex (the header is not the parindex "
                                      "layout: a column inserted, deleted or renamed): "
                                      + "; ".join(wrong), path, r)],
                             "not a parindex scoring workbook")
        return r, width
    raise InputError([Problem(f"trang {MAIN_SHEET!r} không có dòng tiêu đề (STT …) (no header "
                              "row)", path)],
                     "not a parindex scoring workbook")


def read_workbook(path: Path | str, framework: Framework | str | Path | None = None,
                  ) -> WorkbookReading:
    """Read a scoring workbook back; see the module docstring.

    ``framework`` defaults to the one recorded in the workbook's properties when it was
    exported. Raises :class:`InputError` when the file is not a readable parindex workbook.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from parindex.framework.catalog import load_framework

    file = Path(path)
    package = check_package(file, "cannot read workbook", max_rows=LIMITS.sheet_rows)
    try:
        wb = load_workbook(package)  # formulas as written; cached values read on demand
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError([Problem(f"không phải bảng tính .xlsx đọc được (not an .xlsx workbook: "
                                  f"{exc})", file)],
                         "cannot read workbook") from None
    if MAIN_SHEET not in wb.sheetnames:
        raise InputError([Problem(f"không có trang {MAIN_SHEET!r}: trang bị đổi tên hoặc xóa "
                                  f"(no sheet {MAIN_SHEET!r}; các trang: "
                                  f"{', '.join(wb.sheetnames)})", file)],
                         "not a parindex scoring workbook")
    props = {p.name: str(p.value) for p in wb.custom_doc_props}
    findings: list[Finding] = []
    recorded = props.get("parindex.framework")
    if framework is None:
        if recorded is None:
            raise InputError([Problem("bảng điểm không ghi bộ tiêu chí đã dùng: chỉ rõ bằng "
                                      "--framework (the workbook does not record its "
                                      "framework)", file)], "cannot read workbook")
        fw = load_framework(recorded)
    elif isinstance(framework, Framework):
        fw = framework
    else:
        fw = load_framework(framework)
    if recorded is not None and recorded != fw.id:
        findings.append(FRAMEWORK_MISMATCH(
            f"Bảng điểm được xuất từ bộ tiêu chí {recorded}, đang đọc với {fw.id}."))
    year = props.get("parindex.year")

    ws = wb[MAIN_SHEET]
    header, width = _find_header(ws, file)
    cached = Cached(file)
    items = _read_items(ws, header + 2, fw, findings, cached, width)
    extras, problems = read_extras(
        ((r, raw[:8]) for r, raw in enumerate(cell_values(ws, header + 2, 8, _POINTS),
                                              start=header + 2)),
        fw, _Numbers(findings, cached).read)
    kinds = {"unknown": UNKNOWN_ROW, "missing": MISSING_ROW, "range": OUT_OF_RANGE}
    findings += [kinds[k](m, item=c, line=r) for k, m, c, r in problems]
    register: tuple[RegisterRow, ...] = ()
    if REGISTER_SHEET in wb.sheetnames:
        register = read_register(wb[REGISTER_SHEET], cached, findings)
    leaves = sum(1 for n in fw.leaves())
    appraised = sum(1 for i in items if i.appraised is not None and i.level is not None
                    and fw.by_code[i.code].is_leaf)
    report = Report.of(f"Bảng điểm {file.name}", findings, items=len(items), leaves=leaves,
                       appraised=appraised, register=len(register))
    return WorkbookReading(file, fw, props.get("parindex.unit"),
                           int(year) if year and year.isdigit() else None, tuple(items),
                           register, report, extras)


def _read_items(ws: Worksheet, first: int, fw: Framework, findings: list[Finding],
                cached: Cached, width: int) -> list[WorkbookItem]:
    """The item rows; ``width`` is 8 for a submission (no ``Tình trạng``: a leaf's status is
    read from its cells, see :func:`_inferred_status`), 12 for a working copy."""
    numbers = _Numbers(findings, cached)
    letters = {k: chr(65 + i) for k, i in _COL.items()}
    items: list[WorkbookItem] = []
    seen: dict[str, int] = {}
    has_status = width > _COL["status"]
    last = ws.max_row  # (bounded: rows are counted before the sheet is parsed)
    merged = {(row, col): str(rng.coord) for rng in ws.merged_cells.ranges
              if rng.min_row >= first and (rng.max_row > rng.min_row or rng.max_col > rng.min_col)
              for row in range(rng.min_row, min(rng.max_row, last) + 1)  # a huge range: clipped
              for col in range(rng.min_col, min(rng.max_col, width) + 1)}
    for r, raw in enumerate(cell_values(ws, first, width, _POINTS), start=first):
        values = [v for v in raw if not isinstance(v, Formula)]
        cells = dict(zip(_KEYS, raw, strict=False))
        cells.setdefault("status", None)
        for key in ("code", "name", "evidence", "explanation", "note", "status"):
            if isinstance(cells[key], Formula):
                cells[key] = cached(cells[key])
        code = _text(cells["code"])
        name = _text(cells["name"])
        if name is not None and name.strip() == _TOTAL_LABEL:
            break
        if code is None and name is None:
            if not values or all(v is None or (isinstance(v, str) and not v.strip())
                                 for v in values):
                continue  # a blank row inserted between the items: the total ends the table
            findings.append(UNKNOWN_ROW(f"Dòng {r} có dữ liệu nhưng không có mã (STT).",
                                        line=r))
            continue
        code = (code or "").strip()
        node = fw.by_code.get(code)
        if node is None and fw.extras is not None and fw.extras.item(code) is not None:
            continue  # a bonus or penalty row (the total row was deleted): read_extras's
        if node is None:
            findings.append(UNKNOWN_ROW(f"Dòng {r}: mã {code!r} không có trong bộ tiêu chí "
                                        f"{fw.id}.", item=code or None, line=r))
            continue
        if code in seen:
            findings.append(DUPLICATE_ROW(f"Mã {code} có ở dòng {seen[code]} và dòng {r}.",
                                          item=code, line=r))
            continue
        seen[code] = r
        if (name or "").strip() != node.name.strip():
            findings.append(NAME_CHANGED(f"Dòng {r}: tên \u201c{name or ''}\u201d, bộ tiêu chí "
                                         f"ghi \u201c{node.name}\u201d.", item=code, line=r))
        label = _text(cells["status"]) or ""
        status: Status | None = "sum" if not node.is_leaf else _LABEL_STATUS.get(label.strip())
        if node.is_leaf and not has_status:
            status = None  # set once the score is read
        elif node.is_leaf and status is None:
            if label.strip():
                findings.append(UNKNOWN_STATUS(f"Dòng {r}: tình trạng \u201c{label}\u201d.",
                                               item=code, line=r))
            status = "scored"
        mx: Decimal | None = node.max_points  # parents: sums are formulas, not read
        self_score = appraised = None
        if node.is_leaf:
            for key in ("nominal_max", "score", "appraised"):
                rng = merged.get((r, _COL[key] + 1))
                if rng is not None:
                    findings.append(MERGED_CELLS(
                        f"Ô {letters[key]}{r} nằm trong vùng gộp {rng}: không biết điểm thuộc "
                        "tiêu chí nào; ô không được đọc.", item=code, line=r))
                    cells[key] = None
            mx = numbers.read(cells["nominal_max"], code, letters["nominal_max"], r)
            raw_score = cells["score"]
            marked_na = (not has_status and isinstance(raw_score, str)
                         and _nfc(raw_score).strip().casefold() == _NA_LABEL)
            self_score = None if marked_na else numbers.read(raw_score, code, letters["score"],
                                                             r)
            if node.method != "survey":
                appraised = numbers.read(cells["appraised"], code, letters["appraised"], r)
            elif isinstance(cells["appraised"], int | float | str | Percent) and \
                    cells["appraised"] != "":
                # the sheet mirrors survey points by formula; a typed value replaced it
                typed = numbers.read(cells["appraised"], code, letters["appraised"], r)
                if typed is not None and typed != self_score:
                    findings.append(APPRAISED_SURVEY(
                        f"Dòng {r}: điểm thẩm định {_fmt(typed)} ghi vào tiêu chí điều tra XHH.",
                        item=code, line=r))
            if status is None:
                status = "not-applicable" if marked_na else _inferred_status(
                    node.method, self_score, fw.na_policy(node) == "drop")
            if mx is not None and mx != node.max_points:
                findings.append(MAX_CHANGED(f"Dòng {r}: điểm tối đa {_fmt(mx)}, bộ tiêu chí "
                                            f"ghi {_fmt(node.max_points)}.", item=code, line=r))
            # a deduction rule may go below 0 for the unit's own score; appraisal is 0 … max
            lowest = min(Decimal(0), node.rule.attainable(node.max_points)[0]) \
                if node.rule is not None else Decimal(0)
            for column, value, low in ((letters["score"], self_score, lowest),
                                       (letters["appraised"], appraised, Decimal(0))):
                if value is not None and not low <= value <= node.max_points:
                    findings.append(OUT_OF_RANGE(
                        f"Ô {column} dòng {r}: {_fmt(value)} ngoài khoảng {_fmt(low)} – "
                        f"{_fmt(node.max_points)}.", item=code, line=r))
            if node.method != "survey":
                if appraised is None and status != "not-applicable":
                    findings.append(NOT_APPRAISED(f"Tiêu chí {code} chưa có điểm thẩm định.",
                                                  item=code, line=r))
                if (appraised is not None and status == "not-applicable"
                        and fw.na_policy(node) == "drop"):
                    findings.append(APPRAISED_NA(
                        f"Dòng {r}: tiêu chí không áp dụng nhưng có điểm thẩm định "
                        f"{_fmt(appraised)}.", item=code, line=r))
        evidence = tuple(line for line in (_text(cells["evidence"]) or "").split("\n") if line)
        items.append(WorkbookItem(
            code, name or "", node.level, r, mx, self_score, appraised,
            evidence if node.is_leaf else (), _text(cells["explanation"]),
            _text(cells["note"]), status))
    for node in fw.nodes:
        if node.code not in seen:
            findings.append(MISSING_ROW(f"Không có dòng của tiêu chí {node.code} "
                                        f"\u201c{node.name}\u201d.", item=node.code))
    return items


def _inferred_status(method: str, self_score: Decimal | None, drop: bool) -> Status:
    """A submission's leaf status, read from its cells: the writer leaves ``Điểm tự đánh giá``
    empty only for survey points not known yet and for items not applicable (policy
    ``drop``); an item not applicable under ``award-max`` (scored full) reads as scored."""
    if method == "survey":
        return "survey-pending" if self_score is None else "survey"
    return "not-applicable" if self_score is None and drop else "scored"




def _opt(value: Decimal | None) -> str:
    return "" if value is None else _fmt(value)


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")
