"""The scoring workbook sent to Sở Nội vụ: a view of the
:class:`~parindex.scoring.scorecard.Scorecard`.

:func:`export_workbook` writes a dossier's workbook; :func:`write_workbook` writes one from any
scorecard (tests and notebooks use it). Four sheets:

``Tự chấm điểm``
    heading block, then one row per area / criterion / sub-criterion (:data:`MAIN_COLUMNS`).
    Leaves hold values (the library's scores); parents and totals are live formulas over their
    children, the index and the classification too. Hidden-in-plain-sight helper columns make
    the library's rules visible: ``Điểm tối đa tính chỉ số`` drops not-applicable items when
    the framework's policy is ``drop``; ``Điểm chờ điều tra XHH`` holds survey points not known
    yet, and the index is ``score / (max − pending)`` exactly as :class:`NodeScore.index`.
``Danh mục TLKC``
    the evidence register as an Excel table, file paths as ``HYPERLINK`` formulas relative
    to the workbook's folder (so the links work when the dossier is sent as a folder).
``Giải trình``
    every self-assessed item without complete evidence, with its explanation.
``Tổng hợp``
    per area max, pending, score, index, appraisal and appraised index, and a native bar chart
    of the index.

Survey rows are shown, greyed, and never self-scored: their ``Điểm tự đánh giá`` cell stays
empty until the survey points are known (``survey.yaml``), then holds those points, labelled
``Điều tra XHH``, so that totals equal the library's.

Every text cell is written as text: a title such as ``=HYPERLINK(...)`` never becomes a formula.
The file is written under a temporary name and renamed; an existing file is never replaced
unless ``force=True``. openpyxl is imported inside the functions (the CLI stays light).

The evidence register comes in as a small neutral :class:`EvidenceView` (rows of documents and
the items they prove); :func:`evidence_view` builds it from the dossier and returns an empty
view when the dossier has no register.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.errors import ParindexError
from parindex.core.gcpause import paused
from parindex.scoring.scorecard import NodeScore, Scorecard, Status

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from parindex.core.findings import Report
    from parindex.scoring.dossier import Dossier

__all__ = [
    "EVIDENCE_FINDINGS",
    "EXPLAIN_SHEET",
    "FORMAT_VERSION",
    "MAIN_COLUMNS",
    "MAIN_SHEET",
    "REGISTER_COLUMNS",
    "REGISTER_SHEET",
    "STATUS_LABELS",
    "SUMMARY_SHEET",
    "EvidenceRef",
    "EvidenceView",
    "ExportResult",
    "FormulaCell",
    "Heading",
    "RegisterRow",
    "WorkbookExistsError",
    "build_workbook",
    "evidence_view",
    "expected_value",
    "explanation_rows",
    "export_workbook",
    "view_of_documents",
    "write_workbook",
]

FORMAT_VERSION = "1"
"""Layout version, stored in the workbook's custom properties (``parindex.format``)."""

MAIN_SHEET = "Tự chấm điểm"
REGISTER_SHEET = "Danh mục TLKC"
EXPLAIN_SHEET = "Giải trình"
SUMMARY_SHEET = "Tổng hợp"

MAIN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "STT"),
    ("name", "Lĩnh vực / Tiêu chí / Tiêu chí thành phần"),
    ("nominal_max", "Điểm tối đa"),
    ("score", "Điểm tự đánh giá"),
    ("appraised", "Điểm thẩm định"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("explanation", "Giải trình"),
    ("note", "Ghi chú"),
    ("status", "Tình trạng"),
    ("max", "Điểm tối đa tính chỉ số"),
    ("pending", "Điểm chờ điều tra XHH"),
    ("index", "Chỉ số (%)"),
)
"""``(key, header)`` of the main sheet's columns A…L, in order. ``Giải trình`` and ``Ghi chú``
sit under one merged heading "Giải trình / Ghi chú"."""

REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "STT"),
    ("number", "Số ký hiệu"),
    ("date", "Ngày ban hành"),
    ("title", "Trích yếu"),
    ("issuer", "Cơ quan ban hành"),
    ("items", "Tiêu chí kiểm chứng"),
    ("path", "Tệp"),
)

STATUS_LABELS: dict[Status, str] = {
    "scored": "",
    "sum": "",
    "not-applicable": "Không áp dụng",
    "missing-input": "Chưa nhập",
    "invalid-input": "Nhập sai",
    "survey": "Điều tra XHH",
    "survey-pending": "Chờ điều tra XHH",
}
"""The ``Tình trạng`` cell of each status; formulas test the not-applicable label."""

HEADER_ROW = 7
"""First of the two header rows of the main sheet; data start two rows below."""
FIRST_ROW = HEADER_ROW + 2
FONT = "Times New Roman"
NUMBER_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"
_COL = {key: chr(ord("A") + i) for i, (key, _) in enumerate(MAIN_COLUMNS)}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OUTLINE = {"area": 0, "criterion": 1, "sub-criterion": 2}
_ONE_LINE = 12 * 1.3 + 3
_MAIN_WIDTHS = (8, 46, 9, 10, 10, 18, 34, 18, 12, 10, 10, 9)


def _row_height(texts: Sequence[tuple[str | None, float]], points: float = 11) -> float:
    """A row height (pt) fitting wrapped ``(text, column width)`` pairs: spreadsheet programs
    do not grow rows for wrapped text written by a library, so the height is estimated."""
    lines = 1
    for text, width in texts:
        if not text:
            continue
        per_line = max(1, int(width * 14.3 / points) - 3)  # words wrap whole: ~3 lost
        if "\n" in text:
            count = sum((len(part) + per_line - 1) // per_line or 1
                        for part in text.split("\n"))
        else:
            count = (len(text) + per_line - 1) // per_line
        if count > lines:
            lines = count
    return round(lines * points * 1.3 + 3, 1)


class WorkbookExistsError(ParindexError):
    """The output file exists and ``force`` was not given."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"Tệp {path} đã tồn tại; không ghi đè. Dùng --force để ghi đè, "
                         "hoặc chọn tên tệp khác.")


@dataclass(frozen=True)
class Heading:
    """The heading block: body above the unit, the unit, the scoring year; ``place`` (the
    province) opens the date line above the signature."""

    unit: str
    year: int
    superior: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class RegisterRow:
    """One document of the evidence register, as the workbook shows it.

    ``path`` is relative to the dossier folder (``documents/15-KH-SKHCN.pdf``); ``items`` are
    the codes of the items the document proves.
    """

    number: str
    """Số ký hiệu, e.g. ``15/KH-SKHCN``."""
    title: str
    """Trích yếu."""
    date: dt.date | None = None
    issuer: str | None = None
    items: tuple[str, ...] = ()
    path: str | None = None


@dataclass(frozen=True)
class EvidenceRef:
    """A document linked to an item: its số ký hiệu, title, file (relative path) and where in
    the document the proof is (``locator``, e.g. "Mục II, trang 3")."""

    number: str
    title: str
    path: str | None = None
    locator: str | None = None

    @property
    def label(self) -> str:
        """The line shown in ``Tài liệu kiểm chứng``: ``205/QĐ-SKHCN (Điều 1)``."""
        return f"{self.number} ({self.locator})" if self.locator else self.number


@dataclass(frozen=True)
class EvidenceView:
    """The evidence register reduced to what the workbook shows.

    ``rows`` is the register in order; ``incomplete`` maps an item code to why its evidence is
    not complete (an item with no linked document needs no entry: it is incomplete anyway).
    """

    rows: tuple[RegisterRow, ...] = ()
    incomplete: Mapping[str, str] = field(default_factory=dict)
    locators: Mapping[tuple[int, str], str] = field(default_factory=dict)
    """``(row index, item code)`` → where in that document the item's proof is."""

    def refs(self, code: str) -> tuple[EvidenceRef, ...]:
        """The documents linked to item ``code``, in register order."""
        return self._links.get(code, ())

    @functools.cached_property
    def _links(self) -> dict[str, tuple[EvidenceRef, ...]]:
        links: dict[str, list[EvidenceRef]] = {}
        for i, row in enumerate(self.rows):
            for code in dict.fromkeys(row.items):
                links.setdefault(code, []).append(EvidenceRef(
                    row.number, row.title, row.path, self.locators.get((i, code))))
        return {k: tuple(v) for k, v in links.items()}


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell and the library value it must show once calculated.

    ``code`` is the item (``None`` for the grand total); ``field`` is one of ``nominal_max``,
    ``score``, ``appraised``, ``max``, ``pending``, ``index`` (of a :class:`NodeScore` or of
    :class:`~parindex.scoring.scorecard.Total`), or ``classification``, ``appraised_index``,
    ``appraised_classification`` for the total (``appraised_index`` for areas too), or
    ``link`` for a register file link.
    """

    sheet: str
    ref: str
    code: str | None
    field: str
    text: str | None = None
    """For ``field == "link"`` (a register file link): the text the cell shows."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`write_workbook` wrote: the file, the row of each item, the formula cells."""

    path: Path
    rows: Mapping[str, int]
    formula_cells: tuple[FormulaCell, ...]
    total_row: int
    check: Report | None = None
    """The dossier check run before the export, if any."""


EVIDENCE_FINDINGS = frozenset({
    "missing-evidence", "evidence-file-missing", "evidence-file-empty",
    "evidence-file-unreadable", "evidence-file-encrypted", "evidence-hash-mismatch",
    "path-outside-dossier", "document-type-mismatch", "unexpected-document-type",
    "document-outside-year", "document-dated-in-future", "late-evidence",
    "late-evidence-scored-on-time", "number-mismatch", "date-mismatch",
})
"""Check findings (:mod:`parindex.evidence.check`) that make an item's evidence incomplete."""


def evidence_view(dossier: Dossier, report: Report | None = None) -> EvidenceView:
    """The dossier's evidence register (``register.yaml``) as an :class:`EvidenceView`; empty
    without a register. No document is opened: only the files' existence is checked.

    With ``report`` (the dossier's check), every error or warning in
    :data:`EVIDENCE_FINDINGS` marks the items concerned incomplete, with its message: an item
    finding its item, a document finding every item the document proves.
    """
    from parindex.evidence.register import register_of

    documents = register_of(dossier, cache=True).documents
    view = view_of_documents(documents, dossier.root)
    if report is None:
        return view
    proves = {doc.id: [(doc.number or doc.id, p.item) for p in doc.proves] for doc in documents}
    reasons: dict[str, list[str]] = {k: [v] for k, v in view.incomplete.items()}
    for f in report.findings:
        if f.code not in EVIDENCE_FINDINGS or f.severity == "info":
            continue
        targets = ([("", f.item)] if f.item else
                   [(f"{number}: ", item) for number, item in proves.get(f.document or "", [])])
        for prefix, item in targets:
            text = prefix + f.message
            if text not in reasons.setdefault(item, []):
                reasons[item].append(text)
    return EvidenceView(view.rows, {k: "; ".join(v) for k, v in reasons.items()},
                        view.locators)


def view_of_documents(documents: Iterable[Any], root: Path | None = None) -> EvidenceView:
    """An :class:`EvidenceView` from register documents.

    Each document needs ``id``, ``number``, ``subject``, ``date``, ``issuer``, ``files``
    (objects with ``path``) and ``proves`` (objects with ``item`` and ``locator``), as
    ``parindex.evidence.register.EvidenceDocument`` has. A document without số ký hiệu is listed by
    its id; its first file is the one linked. With ``root`` (the dossier folder), an item whose
    every document lacks an existing file is marked incomplete.
    """
    from os.path import isfile, join

    base = None if root is None else str(root)
    rows: list[RegisterRow] = []
    has_file: dict[str, bool] = {}
    locators: dict[tuple[int, str], str] = {}
    for i, doc in enumerate(documents):
        files = tuple(doc.files)
        proves = doc.proves
        items = tuple(dict.fromkeys([p.item for p in proves]))
        for proof in proves:
            if getattr(proof, "locator", None) and (i, proof.item) not in locators:
                locators[(i, proof.item)] = proof.locator
        rows.append(RegisterRow(number=doc.number or doc.id, title=doc.subject or "",
                                date=doc.date, issuer=doc.issuer, items=items,
                                path=files[0].path if files else None))
        present = bool(files) and base is None
        if files and base is not None:
            for f in files:  # the first existing file is enough
                if isfile(join(base, f.path)):
                    present = True
                    break
        for item in items:
            has_file[item] = has_file.get(item, False) or present
    incomplete = {item: "Tài liệu kiểm chứng chưa có tệp trong hồ sơ"
                  for item, ok in has_file.items() if not ok}
    return EvidenceView(rows=tuple(rows), incomplete=incomplete, locators=locators)


# -- writing helpers ----------------------------------------------------------------------------


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _lit(value: Decimal) -> str:
    """A number as a formula literal."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sheet_ref(sheet: str, ref: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + ref


class _Styles:
    """Style arrays prepared once and copied onto cells (much faster than per-cell objects)."""

    def __init__(self, ws: Worksheet) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._ws = ws
        self.Alignment, self.Font, self.PatternFill, self.box = Alignment, Font, PatternFill, box

    def get(self, *, bold: bool = False, italic: bool = False, size: float = 12,
            number: bool = False, wrap: bool = True, indent: int = 0,
            horizontal: str | None = None, fill: str | None = None, border: bool = True,
            colour: str | None = None, underline: bool = False, date: bool = False,
            text_prefix: bool = False) -> Any:
        key = (bold, italic, size, number, wrap, indent, horizontal, fill, border, colour,
               underline, date, text_prefix)
        style = self._cache.get(key)
        if style is None:
            from openpyxl.cell.cell import Cell

            proto = Cell(self._ws)  # detached: not part of the sheet
            proto.font = self.Font(name=FONT, sz=size, b=bold, i=italic, color=colour,
                                   u="single" if underline else None)
            proto.alignment = self.Alignment(
                wrap_text=wrap, vertical="center", indent=indent,
                horizontal=horizontal or ("right" if number else None))
            if border:
                proto.border = self.box
            if fill:
                proto.fill = self.PatternFill("solid", fgColor=fill)
            if number:
                proto.number_format = NUMBER_FORMAT
            if date:
                proto.number_format = DATE_FORMAT
            if text_prefix:
                proto.quotePrefix = True
            style = proto._style
            self._cache[key] = style
        return style


@functools.cache
def _cell_classes() -> tuple[Any, Any]:
    """openpyxl's cell and style-array classes, imported once (not once per cell)."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles.cell_style import StyleArray

    return Cell, StyleArray


def _put(ws: Worksheet, row: int, col: int, value: Any, style: Any = None) -> Any:
    """Write a number, date or *text* (never a formula) with a prepared style.

    Cells are created directly (not through ``ws.cell``) and values bound by type: this is
    the hot path of a 5,000-document register.
    """
    Cell, StyleArray = _cell_classes()
    cells = ws._cells
    cell = cells.get((row, col))
    if cell is None:  # the style array is copied by the constructor
        cell = cells[(row, col)] = Cell(ws, row, col, None, style)
    elif style is not None:
        cell._style = StyleArray(style)
    if isinstance(value, str):
        cell._value = _clean(value)
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell._value = _num(value)
        cell.data_type = "n"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell._value = value
        cell.data_type = "n"
    elif type(value) is dt.date:
        cell._value = value
        cell.data_type = "d"
    elif value is not None:
        cell.value = value
    return cell


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 forbids (the same set openpyxl refuses)."""
_MAX_CELL = 32767


def _clean(text: str) -> str:
    """Text a workbook can hold: control characters XML forbids removed (a vertical tab
    pasted from Word would corrupt the file), at most 32,767 characters (Excel's limit)."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 1] + "…"
    return text


def _put_text(ws: Worksheet, row: int, col: int, text: str | None, styles: _Styles,
              **style: Any) -> Any:
    """Text cell; text that a spreadsheet could take for a formula gets a quote prefix."""
    value = text or None
    prefix = bool(text) and text.startswith(_FORMULA_START)  # type: ignore[union-attr]
    return _put(ws, row, col, value, styles.get(text_prefix=prefix, **style))


def _put_formula(ws: Worksheet, row: int, col: int, formula: str, style: Any) -> Any:
    """Write a formula built by this module (never text from the dossier)."""
    assert formula.startswith("=")
    cell = _put(ws, row, col, None, style)
    cell._value = _clean(formula)
    cell.data_type = "f"
    return cell


# -- the main sheet -----------------------------------------------------------------------------


def _shown_score(node: NodeScore, drop: bool) -> Decimal | None:
    """What the ``Điểm tự đánh giá`` cell of a leaf holds (None: left empty)."""
    if node.status == "survey-pending" or (node.status == "not-applicable" and drop):
        return None
    return node.score


def _index_formula(score: str, mx: str, pending: str) -> str:
    return f'=IF({mx}-{pending}<=0,"",ROUND({score}/({mx}-{pending})*100,2))'


def _appraised_index_formula(appraised: str, mx: str, pending: str) -> str:
    return (f'=IF(OR({appraised}="",{mx}-{pending}<=0),"",'
            f'ROUND({appraised}/({mx}-{pending})*100,2))')


def _classify_formula(index_ref: str, card: Scorecard) -> str:
    bands = sorted(card.framework.classification, key=lambda b: b.min_index, reverse=True)
    expr = '""'
    for band in reversed(bands):
        expr = f"IF({index_ref}>={_lit(band.min_index)},{_quote(band.label)},{expr})"
    return f'=IF({index_ref}="","",{expr})'


def _main_sheet(wb: Workbook, card: Scorecard, heading: Heading, evidence: EvidenceView,
                link_base: Path | None, out_dir: Path, register_rows: Mapping[int, int],
                ) -> tuple[dict[str, int], int, list[FormulaCell]]:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.active
    assert ws is not None
    ws.title = MAIN_SHEET
    st = _Styles(ws)
    fw = card.framework
    drop = fw.not_applicable == "drop"
    ncols = len(MAIN_COLUMNS)
    last = get_column_letter(ncols)
    cells: list[FormulaCell] = []

    # heading block
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:D2")
    ws.merge_cells(f"F1:{last}1")
    ws.merge_cells(f"F2:{last}2")
    head: dict[str, Any] = {"border": False, "horizontal": "center"}
    _put_text(ws, 1, 1, (heading.superior or "").upper(), st, size=12, **head)
    _put_text(ws, 2, 1, heading.unit.upper(), st, bold=True, size=12, **head)
    _put_text(ws, 1, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st, bold=True, **head)
    _put_text(ws, 2, 6, "Độc lập - Tự do - Hạnh phúc", st, bold=True, underline=True, **head)
    ws.merge_cells(f"A4:{last}4")
    ws.merge_cells(f"A5:{last}5")
    _put_text(ws, 4, 1, "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM "
              f"{heading.year}", st, bold=True, size=14, **head)
    sub = f"Bộ tiêu chí: {fw.title}"
    if fw.status == "provisional":
        sub += " — khung tạm thời, chưa phải bảng chính thức"
    _put_text(ws, 5, 1, sub, st, italic=True, size=11, **head)
    ws.row_dimensions[4].height = 22
    ws.row_dimensions[5].height = 30

    # two header rows
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, (key, title) in enumerate(MAIN_COLUMNS, start=1):
        col = get_column_letter(i)
        if key == "explanation":
            ws.merge_cells(f"{col}{HEADER_ROW}:{get_column_letter(i + 1)}{HEADER_ROW}")
            _put(ws, HEADER_ROW, i, "Giải trình / Ghi chú", hdr)
            _put(ws, HEADER_ROW, i + 1, None, hdr)
            _put(ws, HEADER_ROW + 1, i, title, hdr)
        elif key == "note":
            _put(ws, HEADER_ROW + 1, i, title, hdr)
        else:
            ws.merge_cells(f"{col}{HEADER_ROW}:{col}{HEADER_ROW + 1}")
            _put(ws, HEADER_ROW, i, title, hdr)
            _put(ws, HEADER_ROW + 1, i, None, hdr)
    widths = _MAIN_WIDTHS
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[HEADER_ROW].height = 20
    ws.row_dimensions[HEADER_ROW + 1].height = 48

    rows = {n.code: FIRST_ROW + i for i, n in enumerate(card.nodes)}
    total_row = FIRST_ROW + len(card.nodes)
    kids: dict[str, list[str]] = {}
    for n in card.nodes:
        if n.parent is not None:
            kids.setdefault(n.parent, []).append(n.code)

    c = _COL
    validations: dict[Decimal, list[str]] = {}
    for n in card.nodes:
        r = rows[n.code]
        level = n.level
        is_leaf = n.code not in kids
        survey = n.method == "survey"
        fill = "F2F2F2" if survey else ("FFF2CC" if level == "area" else None)
        bold = level == "area"
        italic = n.status == "not-applicable"
        txt: dict[str, Any] = {"bold": bold, "fill": fill, "italic": italic, "size": 11}
        numst = st.get(number=True, **txt)
        _put_text(ws, r, 1, n.code, st, horizontal="center", **txt)
        _put_text(ws, r, 2, n.name, st, indent=_OUTLINE[level] * 2, horizontal="left", **txt)
        if level != "area":
            ws.row_dimensions[r].outlineLevel = _OUTLINE[level]
        status = STATUS_LABELS[n.status]
        if is_leaf:
            _put(ws, r, 3, n.nominal_max, numst)
            _put(ws, r, 4, _shown_score(n, drop), numst)
            e = f"{c['appraised']}{r}"
            if survey:
                _put_formula(ws, r, 5, f'=IF(ISNUMBER({c["score"]}{r}),{c["score"]}{r},"")',
                             numst)
                cells.append(FormulaCell(MAIN_SHEET, e, n.code, "appraised"))
            else:
                _put(ws, r, 5, None, st.get(number=True, size=11, bold=bold, italic=italic,
                                            fill="E2EFDA"))
                validations.setdefault(n.nominal_max, []).append(e)
            refs = evidence.refs(n.code)
            cell = _put_text(ws, r, 6, "\n".join(ref.label for ref in refs), st,
                             colour="0563C1" if refs else None, underline=bool(refs), **txt)
            if len(refs) == 1 and refs[0].path:
                cell.hyperlink = _file_link(refs[0].path, link_base, out_dir)
            elif refs:
                first = next((i for i, row in enumerate(evidence.rows)
                              if n.code in row.items), None)
                if first is not None and first in register_rows:
                    _internal_link(cell, REGISTER_SHEET, f"B{register_rows[first]}")
            inp = n.input
            _put_text(ws, r, 7, inp.explanation if inp else None, st, **txt)
            _put_text(ws, r, 8, inp.note if inp else None, st, **txt)
            _put_text(ws, r, 9, status, st, horizontal="center", **txt)
            cm, cs, ci = (f"{c[k]}{r}" for k in ("nominal_max", "score", "status"))
            na = STATUS_LABELS["not-applicable"]
            _put_formula(ws, r, 10, f'=IF({ci}={_quote(na)},0,{cm})' if drop else f"={cm}",
                         numst)
            if survey:
                _put_formula(ws, r, 11, f"=IF(ISNUMBER({cs}),0,{cm})", numst)
            else:
                _put(ws, r, 11, Decimal(0), numst)
            cells.append(FormulaCell(MAIN_SHEET, f"{c['max']}{r}", n.code, "max"))
            if survey:
                cells.append(FormulaCell(MAIN_SHEET, f"{c['pending']}{r}", n.code, "pending"))
        else:
            child_rows = [rows[k] for k in kids[n.code]]
            for key in ("nominal_max", "score", "appraised", "max", "pending"):
                col = c[key]
                refs_ = _ref_list(col, child_rows)
                formula = (f'=IF(COUNT({refs_})=0,"",SUM({refs_}))' if key == "appraised"
                           else f"=SUM({refs_})")
                _put_formula(ws, r, _colno(key), formula, numst)
                cells.append(FormulaCell(MAIN_SHEET, f"{col}{r}", n.code, key))
            for col_no in (6, 7, 8):
                _put(ws, r, col_no, None, st.get(**txt))
            _put_text(ws, r, 9, status, st, horizontal="center", **txt)
        inp = n.input if is_leaf else None
        evid = "\n".join(x.label for x in evidence.refs(n.code)) if is_leaf else None
        ws.row_dimensions[r].height = _row_height(
            ((n.name, _MAIN_WIDTHS[1] - _OUTLINE[level] * 2), (evid, _MAIN_WIDTHS[5]),
             (inp.explanation if inp else None, _MAIN_WIDTHS[6]),
             (inp.note if inp else None, _MAIN_WIDTHS[7]), (status, _MAIN_WIDTHS[8])))
        _put_formula(ws, r, 12, _index_formula(f"{c['score']}{r}", f"{c['max']}{r}",
                                               f"{c['pending']}{r}"), numst)
        cells.append(FormulaCell(MAIN_SHEET, f"{c['index']}{r}", n.code, "index"))

    # totals
    t = total_row
    area_rows = [rows[a.code] for a in card.areas]
    tot: dict[str, Any] = {"bold": True, "size": 11, "fill": "FFF2CC"}
    totnum = st.get(number=True, **tot)
    _put(ws, t, 1, None, st.get(**tot))
    _put_text(ws, t, 2, "TỔNG CỘNG", st, **tot)
    for key in ("nominal_max", "score", "appraised", "max", "pending"):
        refs_ = _ref_list(c[key], area_rows)
        formula = (f'=IF(COUNT({refs_})=0,"",SUM({refs_}))' if key == "appraised"
                   else f"=SUM({refs_})")
        _put_formula(ws, t, _colno(key), formula, totnum)
        cells.append(FormulaCell(MAIN_SHEET, f"{c[key]}{t}", None, key))
    for col_no in (6, 7, 8, 9):
        _put(ws, t, col_no, None, st.get(**tot))
    _put_formula(ws, t, 12, _index_formula(f"D{t}", f"J{t}", f"K{t}"), totnum)
    cells.append(FormulaCell(MAIN_SHEET, f"L{t}", None, "index"))

    # index and classification rows
    ix, cl = t + 1, t + 2
    _put_text(ws, ix, 2, "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)", st, **tot)
    _put_formula(ws, ix, 4, _index_formula(f"D{t}", f"J{t}", f"K{t}"), totnum)
    _put_formula(ws, ix, 5, _appraised_index_formula(f"E{t}", f"J{t}", f"K{t}"), totnum)
    cells += [FormulaCell(MAIN_SHEET, f"D{ix}", None, "index"),
              FormulaCell(MAIN_SHEET, f"E{ix}", None, "appraised_index")]
    _put_text(ws, cl, 2, "Xếp loại", st, **tot)
    _put_formula(ws, cl, 4, _classify_formula(f"D{ix}", card), st.get(**tot))
    _put_formula(ws, cl, 5, _classify_formula(f"E{ix}", card), st.get(**tot))
    cells += [FormulaCell(MAIN_SHEET, f"D{cl}", None, "classification"),
              FormulaCell(MAIN_SHEET, f"E{cl}", None, "appraised_classification")]
    for r_ in (ix, cl):
        for col_no in (1, 3, *range(6, ncols + 1)):
            _put(ws, r_, col_no, None, st.get(**tot))
    basis = ("Chỉ số tính trên tổng điểm gồm điểm điều tra xã hội học." if card.total.survey_given
             else "Chưa có điểm điều tra xã hội học: chỉ số là điểm tự đánh giá quy về thang "
                  "100 (điểm đạt / (điểm tối đa − điểm chờ điều tra XHH)).")
    if drop:
        basis += " Tiêu chí không áp dụng được loại khỏi điểm tối đa."
    ws.merge_cells(f"A{cl + 1}:{last}{cl + 1}")
    _put_text(ws, cl + 1, 1, basis, st, italic=True, size=10, border=False)
    ws.row_dimensions[cl + 1].height = 28
    # date line and signature block, right-hand side, to be completed by hand
    sign = cl + 3
    for offset, text, bold, italic in (
            (0, f"{heading.place or '…'}, ngày … tháng … năm {heading.year + 1}", False, True),
            (1, "THỦ TRƯỞNG ĐƠN VỊ", True, False),
            (2, "(Ký tên, đóng dấu)", False, True)):
        ws.merge_cells(f"G{sign + offset}:{last}{sign + offset}")
        _put_text(ws, sign + offset, 7, text, st, bold=bold, italic=italic, border=False,
                  horizontal="center")

    # reviewer cells: 0 … max
    for mx, targets in sorted(validations.items()):
        dv = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2=_lit(mx), allow_blank=True, showErrorMessage=True,
                            errorTitle="Điểm thẩm định không hợp lệ",
                            error=f"Nhập một số từ 0 đến {_lit(mx).replace('.', ',')}.",
                            promptTitle="Điểm thẩm định", showInputMessage=True,
                            prompt=f"Từ 0 đến {_lit(mx).replace('.', ',')} điểm.")
        for ref in targets:
            dv.add(ref)
        ws.add_data_validation(dv)

    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.sheet_properties.outlinePr.summaryBelow = False
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW + 1}")
    ws.print_area = f"A1:{last}{sign + 6}"
    return rows, total_row, cells


def _colno(key: str) -> int:
    return ord(_COL[key]) - ord("A") + 1


def _ref_list(col: str, rows: Sequence[int]) -> str:
    """``C10:C12`` for consecutive rows, else ``C10,C14,C20`` (SUM takes up to 255)."""
    if rows and list(rows) == list(range(rows[0], rows[0] + len(rows))) and len(rows) > 1:
        return f"{col}{rows[0]}:{col}{rows[-1]}"
    return ",".join(f"{col}{r}" for r in rows)


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows


def _internal_link(cell: Any, sheet: str, ref: str) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_sheet_ref(sheet, ref))


def _file_link(path: str, base: Path | None, out_dir: Path) -> str:
    """A hyperlink target for a file of the dossier, relative to the workbook's folder."""
    import posixpath

    clean = path.replace(os.sep, "/")
    if base is None:
        return clean
    prefix = _link_prefix(base, out_dir)
    if prefix.startswith("file:"):
        return prefix.rstrip("/") + "/" + clean
    parts = clean.split("/")
    if "" not in parts and "." not in parts and ".." not in parts and _is_normal(prefix):
        # what normpath(join(prefix, clean)) gives, without its per-call work
        return clean if prefix == "." else prefix + "/" + clean
    return posixpath.normpath(posixpath.join(prefix, clean))


@functools.cache
def _is_normal(prefix: str) -> bool:
    import posixpath

    return bool(prefix) and not prefix.endswith("/") and posixpath.normpath(prefix) == prefix


@functools.cache
def _link_prefix(base: Path, out_dir: Path) -> str:
    """The dossier folder as seen from the workbook's folder (computed once per pair)."""
    target = base.resolve()
    try:
        return os.path.relpath(target, out_dir.resolve()).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return target.as_uri()


# -- the other sheets ---------------------------------------------------------------------------


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


def _height_setter(ws: Worksheet) -> Any:
    """A fast ``ws.row_dimensions[r].height = h`` for thousands of rows.

    openpyxl builds each row dimension through validating descriptors; here one is built
    normally and the others are copies of its attributes (the same state, without the
    per-attribute validation), which halves the cost of a large register.
    """
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.dimensions import RowDimension

    template = RowDimension(ws, index=1, ht=15.0)
    state = dict(template.__dict__)
    dims = ws.row_dimensions
    cls = _height_row_class()

    def set_height(row: int, height: float) -> None:
        dim = cls.__new__(cls)
        dim.__dict__.update(state)
        dim.__dict__["index"] = row
        dim.__dict__["ht"] = float(height)
        dim.parent = ws
        dim._style = None if template._style is None else StyleArray(template._style)
        dims[row] = dim

    return set_height


@functools.cache
def _height_row_class() -> Any:
    """A row dimension that only sets a height, written without openpyxl's generic walk.

    When saving, openpyxl turns each row dimension into attributes by reading every field,
    the style one through the workbook's style index (a hash per row). For a row with a
    height and nothing else that walk always gives ``ht`` and ``customHeight="1"``; this
    subclass gives the same attributes directly, and falls back to the walk as soon as the
    row carries anything else (a style, hidden, outline level, thick borders)."""
    from openpyxl.compat.strings import safe_string
    from openpyxl.worksheet.dimensions import RowDimension

    class HeightRow(RowDimension):  # type: ignore[misc]
        __fields__ = RowDimension.__fields__

        def __iter__(self) -> Any:
            d = self.__dict__
            if self._style is None and self.ht is not None and not (
                    d.get("hidden") or d.get("outlineLevel") or d.get("collapsed")
                    or d.get("thickBot") or d.get("thickTop")):
                return iter((("ht", safe_string(self.ht)), ("customHeight", "1")))
            return super().__iter__()

    return HeightRow


def _risky(text: str | None) -> bool:
    return bool(text) and text.startswith(_FORMULA_START)  # type: ignore[union-attr]


def explanation_rows(card: Scorecard, evidence: EvidenceView) -> list[tuple[NodeScore, str]]:
    """Self-assessed items whose evidence is not complete, with the reason (Vietnamese)."""
    out: list[tuple[NodeScore, str]] = []
    for n in card.leaves():
        if n.method == "survey":
            continue
        if n.status == "not-applicable":
            reason = "Không áp dụng"
        elif n.code in evidence.incomplete:
            reason = evidence.incomplete[n.code]
        elif not evidence.refs(n.code):
            reason = "Chưa có tài liệu kiểm chứng"
        else:
            continue
        out.append((n, reason))
    return out


def _explain_sheet(wb: Workbook, card: Scorecard, evidence: EvidenceView, heading: Heading,
                   rows: Mapping[str, int]) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(EXPLAIN_SHEET)
    st = _Styles(ws)
    cols = ("STT", "Mã tiêu chí", "Tiêu chí", "Điểm tự đánh giá", "Lý do", "Giải trình")
    last = get_column_letter(len(cols))
    ws.merge_cells(f"A1:{last}1")
    _put_text(ws, 1, 1, "GIẢI TRÌNH CÁC TIÊU CHÍ CHƯA CÓ ĐỦ TÀI LIỆU KIỂM CHỨNG — "
              f"{heading.unit} — năm {heading.year}", st, bold=True, size=13, border=False,
              horizontal="center")
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, title in enumerate(cols, start=1):
        _put(ws, 3, i, title, hdr)
    ws.row_dimensions[3].height = 32
    for i, width in enumerate((6, 10, 50, 10, 28, 70), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    missing = st.get(size=11, fill="FCE4D6", italic=True)
    r = 4
    drop = card.framework.not_applicable == "drop"
    for i, (n, reason) in enumerate(explanation_rows(card, evidence), start=1):
        _put(ws, r, 1, i, st.get(size=11, horizontal="center"))
        cell = _put_text(ws, r, 2, n.code, st, size=11, horizontal="center")
        _internal_link(cell, MAIN_SHEET, f"A{rows[n.code]}")
        _put_text(ws, r, 3, n.name, st, size=11)
        _put(ws, r, 4, _shown_score(n, drop), st.get(size=11, number=True))
        _put_text(ws, r, 5, reason, st, size=11)
        text = n.explanation
        ws.row_dimensions[r].height = _row_height(((n.name, 50), (text, 70), (reason, 28)))
        if text:
            _put_text(ws, r, 6, text, st, size=11)
        else:
            _put(ws, r, 6, "(chưa có giải trình)", missing)
        r += 1
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3")


def _summary_sheet(wb: Workbook, card: Scorecard, heading: Heading, rows: Mapping[str, int],
                   total_row: int) -> list[FormulaCell]:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SUMMARY_SHEET)
    st = _Styles(ws)
    cols = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm chờ điều tra XHH", "Điểm tự đánh giá",
            "Chỉ số (%)", "Điểm thẩm định", "Chỉ số sau thẩm định (%)")
    last = get_column_letter(len(cols))
    ws.merge_cells(f"A1:{last}1")
    _put_text(ws, 1, 1, f"TỔNG HỢP ĐIỂM TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM {heading.year} — "
              f"{heading.unit}", st, bold=True, size=13, border=False, horizontal="center")
    hdr = st.get(bold=True, horizontal="center", fill="D9E1F2", size=11)
    for i, title in enumerate(cols, start=1):
        _put(ws, 3, i, title, hdr)
    for i, width in enumerate((6, 50, 10, 12, 12, 10, 12, 12), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    numst = st.get(number=True, size=11)
    cells: list[FormulaCell] = []
    src = {"max": "J", "pending": "K", "score": "D", "appraised": "E"}
    dest = {"max": "C", "pending": "D", "score": "E", "appraised": "G"}
    r = 4
    for area in card.areas:
        mr = rows[area.code]
        _put_text(ws, r, 1, area.code, st, size=11, horizontal="center")
        _put_text(ws, r, 2, area.name, st, size=11)
        for key in ("max", "pending", "score", "appraised"):
            _put_formula(ws, r, ord(dest[key]) - 64,
                         "=" + _sheet_ref(MAIN_SHEET, f"{src[key]}{mr}"), numst)
            cells.append(FormulaCell(SUMMARY_SHEET, f"{dest[key]}{r}", area.code, key))
        _put_formula(ws, r, 6, _index_formula(f"E{r}", f"C{r}", f"D{r}"), numst)
        cells.append(FormulaCell(SUMMARY_SHEET, f"F{r}", area.code, "index"))
        _put_formula(ws, r, 8, _appraised_index_formula(f"G{r}", f"C{r}", f"D{r}"), numst)
        cells.append(FormulaCell(SUMMARY_SHEET, f"H{r}", area.code, "appraised_index"))
        r += 1
    first, end = 4, r - 1
    tot = st.get(number=True, size=11, bold=True, fill="FFF2CC")
    _put(ws, r, 1, None, tot)
    _put_text(ws, r, 2, "TỔNG CỘNG", st, size=11, bold=True, fill="FFF2CC")
    for key in ("max", "pending", "score"):
        col = dest[key]
        _put_formula(ws, r, ord(col) - 64, f"=SUM({col}{first}:{col}{end})", tot)
        cells.append(FormulaCell(SUMMARY_SHEET, f"{col}{r}", None, key))
    _put_formula(ws, r, 7, f'=IF(COUNT(G{first}:G{end})=0,"",SUM(G{first}:G{end}))', tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"G{r}", None, "appraised"))
    _put_formula(ws, r, 6, _index_formula(f"E{r}", f"C{r}", f"D{r}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"F{r}", None, "index"))
    _put_formula(ws, r, 8, _appraised_index_formula(f"G{r}", f"C{r}", f"D{r}"), tot)
    cells.append(FormulaCell(SUMMARY_SHEET, f"H{r}", None, "appraised_index"))

    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Chỉ số CCHC theo lĩnh vực (%)"
    chart.y_axis.title = "Chỉ số (%)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.x_axis.scaling.orientation = "maxMin"
    chart.legend = None
    data = Reference(ws, min_col=6, min_row=3, max_row=end)
    labels = Reference(ws, min_col=2, min_row=first, max_row=end)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.y_axis.number_format = "0"
    chart.y_axis.majorUnit = 20
    chart.height = max(6.0, 0.75 * (end - first + 1) + 3)
    chart.width = 24
    ws.add_chart(chart, f"B{r + 2}")
    ws.row_dimensions[3].height = 32
    _print_setup(ws, None)
    ws.page_setup.fitToHeight = 1  # the summary and its chart on one page
    return cells


# -- entry points -------------------------------------------------------------------------------


def build_workbook(card: Scorecard, heading: Heading, evidence: EvidenceView | None = None,
                   *, link_base: Path | None = None, out_dir: Path = Path(),
                   ) -> tuple[Workbook, ExportResult]:
    """Build the workbook in memory (``ExportResult.path`` is empty until written)."""
    from openpyxl import Workbook as _Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    evidence = evidence or EvidenceView()
    wb = _Workbook()
    wb._fonts = IndexedList([Font(name=FONT, sz=12, family=1)])  # default font of the book
    # the register is written first so that evidence cells can link to its rows
    links: list[FormulaCell] = []
    register_rows = _register_sheet(wb, evidence, heading, link_base, out_dir, links)
    rows, total_row, cells = _main_sheet(wb, card, heading, evidence, link_base, out_dir,
                                         register_rows)
    wb.move_sheet(REGISTER_SHEET, offset=1)
    _explain_sheet(wb, card, evidence, heading, rows)
    cells += _summary_sheet(wb, card, heading, rows, total_row)
    cells += links
    wb.active = 0
    fw = card.framework
    props = {"parindex.format": FORMAT_VERSION, "parindex.framework": fw.id,
             "parindex.year": str(heading.year), "parindex.unit": heading.unit}
    for name, value in props.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    wb.properties.title = f"Bảng tự đánh giá Chỉ số CCHC năm {heading.year} — {heading.unit}"
    wb.properties.creator = "parindex"
    return wb, ExportResult(Path(), rows, tuple(cells), total_row)


@paused()  # tens of thousands of cells, all alive until saved: see gcpause
def write_workbook(card: Scorecard, out: Path | str, heading: Heading,
                   evidence: EvidenceView | None = None, *, force: bool = False,
                   link_base: Path | None = None) -> ExportResult:
    """Write the workbook of ``card`` to ``out``; see the module docstring.

    Raises :class:`WorkbookExistsError` when ``out`` exists and ``force`` is false (the file is
    left untouched). ``link_base`` is the folder document paths are relative to.
    """
    path = Path(out)
    if path.exists() and not force:
        raise WorkbookExistsError(path)
    out_dir = path.parent if str(path.parent) else Path()
    wb, result = build_workbook(card, heading, evidence, link_base=link_base, out_dir=out_dir)
    _save_atomic(wb, path, force)
    return ExportResult(path, result.rows, result.formula_cells, result.total_row)


def _save_atomic(wb: Workbook, path: Path, force: bool) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if ``path`` appeared meanwhile: never overwrite
            except FileExistsError:
                raise WorkbookExistsError(path) from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise WorkbookExistsError(path) from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export_workbook(dossier: Dossier | Path | str, out: Path | str, *, force: bool = False,
                    evidence: EvidenceView | None = None, check: bool = True) -> ExportResult:
    """Export a dossier's scoring workbook (the file sent to Sở Nội vụ).

    The evidence comes from the dossier's register; with ``check`` (default) the dossier is
    checked first (:func:`parindex.evidence.check.check`) so that the ``Giải trình`` sheet also
    lists items whose documents have problems (late, wrong number, missing file …).
    """
    from parindex.scoring.dossier import Dossier as _Dossier
    from parindex.scoring.dossier import load_dossier

    if Path(out).exists() and not force:  # before any work
        raise WorkbookExistsError(Path(out))
    d = dossier if isinstance(dossier, _Dossier) else load_dossier(dossier)
    m = d.manifest
    heading = Heading(unit=m.unit, year=m.year, superior=m.superior, place=m.province)
    report = None
    if evidence is None and check:
        from parindex.evidence.check import check as check_dossier

        report = check_dossier(d)
    with paused():  # the check above reads files with the collector on
        if evidence is None:
            evidence = evidence_view(d, report)
        result = write_workbook(d.score(), out, heading, evidence, force=force,
                                link_base=d.root)
    return replace(result, check=report)


def expected_value(cell: FormulaCell, card: Scorecard,
                   appraised: Mapping[str, Decimal] | None = None) -> Decimal | str | None:
    """The value formula ``cell`` must show, computed by the library (not by the workbook).

    Numbers are exact :class:`~decimal.Decimal`; ``None`` stands for an empty result (``""``).
    ``appraised`` maps leaf codes to the points a reviewer typed in ``Điểm thẩm định``.
    """
    from parindex.framework.rules import quantize

    if cell.field == "link":
        return cell.text
    typed = appraised or {}
    drop = card.framework.not_applicable == "drop"
    kids: dict[str | None, list[NodeScore]] = {}
    for n in card.nodes:
        kids.setdefault(n.parent, []).append(n)

    def appraisal(n: NodeScore | None) -> Decimal | None:
        children = kids.get(None if n is None else n.code, [])
        if n is not None and not children:
            if n.method == "survey":
                return _shown_score(n, drop)
            return typed.get(n.code)
        values = [v for v in (appraisal(k) for k in children) if v is not None]
        return sum(values, Decimal(0)) if values else None

    t = card.total
    if cell.code is None:
        if cell.field == "appraised_index" or cell.field == "appraised_classification":
            total = appraisal(None)
            index = (None if total is None or t.max - t.pending <= 0
                     else quantize(total / (t.max - t.pending) * 100))
            if cell.field == "appraised_index":
                return index
            return None if index is None else card.framework.classify(index)
        if cell.field == "classification":
            return card.classification
        if cell.field == "appraised":
            return appraisal(None)
        values: dict[str, Decimal | None] = {
            "nominal_max": sum((a.nominal_max for a in card.areas), Decimal(0)),
            "score": t.score, "max": t.max, "pending": t.pending, "index": t.index,
        }
        return values[cell.field]
    node = card[cell.code]
    if cell.field == "appraised":
        return appraisal(node)
    if cell.field == "appraised_index":
        points = appraisal(node)
        return (None if points is None or node.max - node.pending <= 0
                else quantize(points / (node.max - node.pending) * 100))
    value: Decimal | None = getattr(node, cell.field)
    return value
