"""The scoring workbook: a view of the :class:`~parindex.scoring.scorecard.Scorecard`, in two
copies.

:func:`export_workbook` writes a dossier's workbook; :func:`write_workbook` writes one from any
scorecard (tests and notebooks use it). ``working=False`` (the default) writes the
**submission**, the file sent to Sở Nội vụ: the standard form only, two sheets —

``Tự chấm điểm``
    heading block (the unit's province not repeated under the body above it), the "Kèm theo
    Báo cáo số …" line, one row per area / criterion / sub-criterion with the columns of
    :data:`~parindex.workbook.layout.SUBMISSION_COLUMNS` (the department's own giải trình, or
    nothing, where an item has no evidence), the total and the index as live formulas, the
    signature blocks Người lập biểu and Thủ trưởng đơn vị, and a note row when the framework is
    provisional;
``Danh mục TLKC``
    the evidence register as an Excel table, file paths as ``HYPERLINK`` formulas relative
    to the workbook's folder (so the links work when the dossier is sent as a folder).

Nothing the dossier check says about the department's own mistakes is in it. ``working=True``
writes the **working copy** for the department: everything the check knows — the main sheet
with the status and helper columns (:data:`~parindex.workbook.layout.MAIN_COLUMNS`: ``Điểm
tối đa tính chỉ số`` drops not-applicable items when the framework's policy is ``drop``,
``Điểm chờ điều tra XHH`` holds survey points not known yet, the index is ``score / (max −
pending)`` exactly as :class:`NodeScore.index`), the register, ``Giải trình`` (every
self-assessed item without complete evidence, with the check's reason and the explanation) and
``Tổng hợp`` (per area, with a native bar chart).

In both, a classification is printed only where :func:`parindex.scoring.grade.grade` allows
one (official bands, every survey point known); the framework's status is in the document
properties. Survey rows are shown, greyed, and never self-scored: their ``Điểm tự đánh giá``
cell stays empty until the survey points are known (``survey.yaml``), then holds those
points, so that totals equal the library's. Every page is A4 landscape, fitted to the width,
header rows repeated and numbered in the footer.

Every text cell is written as text: a title such as ``=HYPERLINK(...)`` never becomes a formula.
Links point only at files inside the dossier, relative to the workbook. The file is written
under a temporary name and renamed; an existing file is never replaced unless ``force=True``.
openpyxl is imported inside the functions (the CLI stays light).

Each sheet has its module (:mod:`~parindex.workbook.main_sheet`,
:mod:`~parindex.workbook.register_sheet`, :mod:`~parindex.workbook.explain_sheet`,
:mod:`~parindex.workbook.summary_sheet`), over the cell helpers of
:mod:`~parindex.workbook.cells`; the layout they share with the reader is in
:mod:`~parindex.workbook.layout`. The evidence register comes in as a small neutral
:class:`~parindex.workbook.view.EvidenceView` (rows of documents and the items they prove);
:func:`~parindex.workbook.view.evidence_view` builds it from the dossier and returns an empty
view when the dossier has no register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.core.gcpause import paused
from parindex.core.output import OutputExistsError, check_output, write_output
from parindex.scoring.grade import grade_withheld
from parindex.scoring.scorecard import NodeScore, Scorecard
from parindex.workbook.cells import FONT
from parindex.workbook.explain_sheet import _explain_sheet
from parindex.workbook.extras_rows import EXTRA_FIELDS, extras_expected
from parindex.workbook.layout import FORMAT_VERSION, REGISTER_SHEET, FormulaCell, Heading
from parindex.workbook.main_sheet import _main_sheet, _shown_score, drops
from parindex.workbook.register_sheet import _register_sheet
from parindex.workbook.summary_sheet import _summary_sheet
from parindex.workbook.view import EvidenceView, evidence_view

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parindex.core.findings import Report
    from parindex.scoring.dossier import Dossier

__all__ = [
    "ExportResult",
    "WorkbookExistsError",
    "build_workbook",
    "expected_value",
    "export_workbook",
    "heading_of",
    "write_workbook",
]


class WorkbookExistsError(OutputExistsError):
    """The output file exists and ``force`` was not given."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`write_workbook` wrote: the file, the row of each item, the formula cells."""

    path: Path
    rows: Mapping[str, int]
    formula_cells: tuple[FormulaCell, ...]
    total_row: int
    check: Report | None = None
    """The dossier check run before the export, if any."""
    working: bool = False
    """True for the working copy, False for the submission."""
    framework: str = ""
    framework_status: str = "official"
    """The framework's ``status``: ``provisional`` or ``official``."""
    grade_withheld: str | None = None
    """Why no classification is printed (:func:`parindex.scoring.grade.grade_withheld`)."""


def build_workbook(card: Scorecard, heading: Heading, evidence: EvidenceView | None = None,
                   *, link_base: Path | None = None, out_dir: Path = Path(),
                   working: bool = False) -> tuple[Workbook, ExportResult]:
    """Build the workbook in memory (``ExportResult.path`` is empty until written)."""
    from openpyxl import Workbook as _Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    from parindex.workbook.cells import _inside

    _inside.cache_clear()  # the file system is looked at afresh for each workbook
    evidence = evidence or EvidenceView()
    wb = _Workbook()
    wb._fonts = IndexedList([Font(name=FONT, sz=12, family=1)])  # default font of the book
    # the register is written first so that evidence cells can link to its rows
    links: list[FormulaCell] = []
    register_rows = _register_sheet(wb, evidence, heading, link_base, out_dir, links)
    rows, total_row, cells = _main_sheet(wb, card, heading, evidence, link_base, out_dir,
                                         register_rows, working)
    wb.move_sheet(REGISTER_SHEET, offset=1)
    if working:
        _explain_sheet(wb, card, evidence, heading, rows)
        cells += _summary_sheet(wb, card, heading, rows, total_row,
                                [c for c in cells if c.field in EXTRA_FIELDS])
    cells += links
    wb.active = 0
    fw = card.framework
    props = {"parindex.format": FORMAT_VERSION, "parindex.framework": fw.id,
             "parindex.year": str(heading.year), "parindex.unit": heading.unit,
             "parindex.copy": "working" if working else "submission",
             "parindex.framework_status": fw.status}
    for name, value in props.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    copy = "bản làm việc" if working else "bản gửi thẩm định"
    wb.properties.title = (f"Bảng tự đánh giá Chỉ số CCHC năm {heading.year} — {heading.unit}"
                           f" ({copy})")
    wb.properties.subject = fw.title
    status = ("bộ tiêu chí chính thức" if fw.status == "official" else
              "bộ tiêu chí tạm thời, chưa phải bảng chính thức")
    wb.properties.description = f"Lập theo {fw.title} ({status})."
    wb.properties.keywords = f"Chỉ số CCHC; {fw.id}; {fw.status}"
    wb.properties.creator = "parindex"
    return wb, ExportResult(Path(), rows, tuple(cells), total_row, working=working,
                            framework=fw.id, framework_status=fw.status,
                            grade_withheld=grade_withheld(card))


@paused()  # tens of thousands of cells, all alive until saved: see gcpause
def write_workbook(card: Scorecard, out: Path | str, heading: Heading,
                   evidence: EvidenceView | None = None, *, force: bool = False,
                   link_base: Path | None = None, protect: Iterable[Path] = (),
                   working: bool = False) -> ExportResult:
    """Write the workbook of ``card`` to ``out`` (the submission, or with ``working`` the
    working copy); see the module docstring.

    Raises :class:`WorkbookExistsError` when ``out`` exists and ``force`` is false (the file is
    left untouched). ``link_base`` is the folder document paths are relative to; ``protect``
    the files the workbook must never replace (the dossier's own).
    """
    path = Path(out)
    _check_out(path, force, protect)
    out_dir = path.parent if str(path.parent) else Path()
    wb, result = build_workbook(card, heading, evidence, link_base=link_base, out_dir=out_dir,
                                working=working)
    try:
        _save_atomic(wb, path, force, protect)
    finally:
        _release(wb)
    return replace(result, path=path)


def _release(wb: Workbook) -> None:
    """Free a saved workbook now, by reference counting.

    Its cells, row and column dimensions point back at their sheet, and the sheets at the
    workbook: left as they are, the tens of thousands of objects of a large register are
    cyclic garbage, and the collector's pass over them when it is turned back on (it is
    paused while the workbook is built) costs a sixth of an export. Emptying the containers
    that hold them frees them at once; the few objects left are collected cheaply."""
    for ws in wb._sheets:
        ws._cells.clear()
        ws.row_dimensions.clear()
        ws.column_dimensions.clear()
    wb._sheets.clear()


def _check_out(path: Path, force: bool, protect: Iterable[Path]) -> None:
    try:
        check_output(path, force=force, inputs=protect)
    except OutputExistsError:
        raise WorkbookExistsError(path) from None


def _save_atomic(wb: Workbook, path: Path, force: bool,
                 inputs: Iterable[Path] = ()) -> None:
    try:
        write_output(path, wb.save, force=force, inputs=inputs)
    except OutputExistsError:
        raise WorkbookExistsError(path) from None


def export_workbook(dossier: Dossier | Path | str, out: Path | str, *, force: bool = False,
                    evidence: EvidenceView | None = None, check: bool = True,
                    working: bool = False, signatures: bool = True) -> ExportResult:
    """Export a dossier's scoring workbook: the submission sent to Sở Nội vụ, or with
    ``working`` the department's working copy.

    The evidence comes from the dossier's register; with ``check`` (default) the dossier is
    checked first (:func:`parindex.evidence.check.check`) so that the working copy's ``Giải
    trình`` sheet also lists items whose documents have problems (late, wrong number, missing
    file …), and the caller can say how many problems remain (``ExportResult.check``). The
    register's ``Ký số`` column is what that check read of each file (without ``check``, what
    an earlier check read of the files unchanged since; "Chưa kiểm tra" for the others); with
    ``signatures=False`` it is left empty.
    """
    from parindex.scoring.dossier import Dossier as _Dossier
    from parindex.scoring.dossier import load_dossier

    # its models (the plan, the self-assessment …) through the per-user cache, as the check
    # reads them: rebuilt only for the very bytes they were validated from
    d = dossier if isinstance(dossier, _Dossier) else load_dossier(dossier, cache=True)
    _check_out(Path(out), force, d.own_files())  # before any work
    heading = heading_of(d)
    report = None
    if evidence is None and check:
        from parindex.evidence.check import check as check_dossier

        report = check_dossier(d)
    with paused():  # the check above reads files with the collector on
        view = evidence_view(d, report, signatures=signatures) if evidence is None else evidence
        result = write_workbook(d.score(), out, heading, view, force=force,
                                link_base=d.root, protect=d.own_files(), working=working)
        del view  # the rows of a register built here are freed before the collector resumes
    return replace(result, check=report)


def heading_of(dossier: Dossier) -> Heading:
    """The heading block of a dossier's workbook, from ``dossier.yaml``."""
    m = dossier.manifest
    sub = m.submission
    return Heading(unit=m.unit, year=m.year, superior=m.superior, place=m.province,
                   unit_code=m.unit_code,
                   report_number=sub.report_number if sub else None,
                   report_date=sub.report_date if sub else None,
                   prepared_by=sub.prepared_by if sub else None,
                   head=sub.head if sub else None,
                   head_title=sub.head_title if sub else None)


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
    fw = card.framework
    kids: dict[str | None, list[NodeScore]] = {}
    for n in card.nodes:
        kids.setdefault(n.parent, []).append(n)

    def appraisal(n: NodeScore | None) -> Decimal | None:
        children = kids.get(None if n is None else n.code, [])
        if n is not None and not children:
            if n.method == "survey":
                return _shown_score(n, drops(fw, n.code))
            return typed.get(n.code)
        values = [v for v in (appraisal(k) for k in children) if v is not None]
        return sum(values, Decimal(0)) if values else None

    t = card.total
    if cell.field in EXTRA_FIELDS:
        return extras_expected(cell, card, typed, appraisal(None))
    if cell.code is None:
        if cell.field == "appraised_index" or cell.field == "appraised_classification":
            total = appraisal(None)
            denominator = t.max - (t.pending if t.rescale_pending else Decimal(0))
            index = (None if total is None or denominator <= 0
                     else quantize(total / denominator * 100))
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
