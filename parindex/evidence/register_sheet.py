"""The evidence register as an Excel sheet (``register export`` / ``register import``): one row
per document, read back losslessly (:func:`register_to_xlsx`, :func:`register_from_xlsx`).

The sheet may carry a last, derived column ``Ký số`` (:mod:`parindex.evidence.signing`): what
the check found of each file's digital signature, one line a file. It is written for the
reader and never read back: the import ignores it (and any column it does not know), so a
sheet with or without it imports the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package
from parindex.core.output import write_output
from parindex.core.sheetcell import append_row
from parindex.core.yamlio import LineMap, problems_from_validation
from parindex.evidence.register import Draft, EvidenceDocument, Register
from parindex.evidence.signing import HEADER as SIGNATURE_HEADER

__all__ = ["DRAFT_MARK", "SHEET", "SHEET_COLUMNS", "register_from_xlsx", "register_to_xlsx"]

SHEET = "Tài liệu kiểm chứng"
SHEET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Mã tài liệu"),
    ("number", "Số ký hiệu"),
    ("type", "Loại văn bản"),
    ("date", "Ngày ban hành"),
    ("issuer", "Cơ quan ban hành"),
    ("subject", "Trích yếu"),
    ("files", "Tệp"),
    ("sha256", "SHA-256"),
    ("proves", "Chứng minh tiêu chí"),
    ("tasks", "Nhiệm vụ kế hoạch"),
    ("note", "Ghi chú"),
    ("draft", "Bản nháp chưa xác nhận"),
)
"""Columns of the register sheet: key and Vietnamese heading (either is accepted on read)."""
_NO_HASH = "-"

DRAFT_MARK = "Chưa xác nhận"
"""First line of the draft cell of an entry ``register scan`` drafted. Any text in that cell
keeps the entry a draft; a person confirms the entry by clearing the cell."""
_SUGGESTED_ITEM = "gợi ý tiêu chí: "
_SUGGESTED_TASK = "gợi ý nhiệm vụ: "
_FREE_TEXT = "ghi chú"
_CONTINUED = "  "


def _draft_cell(draft: Draft | None) -> str | None:
    """The draft block as lines: the mark, ``field: where it was read`` (a line of a value
    that spans several is indented two spaces), then one line per suggestion."""
    if draft is None:
        return None
    lines = [DRAFT_MARK]
    for key, where in draft.sources.items():
        first, *more = where.split("\n")
        lines += [f"{key}: {first}", *(_CONTINUED + m for m in more)]
    lines += [_SUGGESTED_ITEM + i for i in draft.proves]
    lines += [_SUGGESTED_TASK + t for t in draft.tasks]
    return "\n".join(lines)


def _read_draft(text: str | None) -> dict[str, Any] | None:
    """The draft block of a draft cell (:func:`_draft_cell`); text typed by hand that does
    not read as a ``field: …`` line is kept under ``ghi chú``, and the entry stays a draft."""
    if text is None or not text.strip():
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip().casefold() == DRAFT_MARK.casefold():
        lines = lines[1:]
    sources: dict[str, str] = {}
    proves: list[str] = []
    tasks: list[str] = []
    last: str | None = None
    for line in lines:
        if line.startswith(_CONTINUED) and last is not None:
            sources[last] += "\n" + line[len(_CONTINUED):]
            continue
        if line.startswith(_SUGGESTED_ITEM):
            proves.append(line[len(_SUGGESTED_ITEM):])
        elif line.startswith(_SUGGESTED_TASK):
            tasks.append(line[len(_SUGGESTED_TASK):])
        elif ": " in line and line.partition(": ")[0] not in sources and not line[0].isspace():
            last, _, where = line.partition(": ")
            sources[last] = where
            continue
        elif line.strip():
            note = sources.get(_FREE_TEXT)
            sources[_FREE_TEXT] = line if note is None else f"{note}\n{line}"
        last = None
    return {"sources": sources, "proves": proves, "tasks": tasks}


def _doc_row(doc: EvidenceDocument) -> list[Any]:
    files = "\n".join(f.path for f in doc.files) or None
    hashes = "\n".join(f.sha256 or _NO_HASH for f in doc.files) or None
    if hashes is not None and all(f.sha256 is None for f in doc.files):
        hashes = None
    proves = "\n".join(p.item + (f": {p.locator}" if p.locator is not None else "")
                       for p in doc.proves) or None
    tasks = "\n".join(doc.tasks) or None
    return [doc.id, doc.number, doc.type, doc.date, doc.issuer, doc.subject, files, hashes,
            proves, tasks, doc.note, _draft_cell(doc.draft)]


def register_to_xlsx(register: Register, path: Path, *, force: bool = False,
                     inputs: Iterable[Path] = (),
                     signatures: Sequence[Sequence[str]] | None = None) -> None:
    """Write the register as an Excel sheet, one row per document.

    Multi-valued cells hold one value per line: files (with their SHA-256 in the next column,
    line by line, ``-`` where none is recorded), proofs written ``1.1.1: Mục II, trang 3``, and
    task codes. An entry ``register scan`` drafted keeps its draft block in the
    ``Bản nháp chưa xác nhận`` column (:data:`DRAFT_MARK`), so that it stays unconfirmed after
    a round trip. With ``signatures`` (per document, a value per file:
    :func:`parindex.evidence.signing.register_signatures`), a last column ``Ký số`` holds them,
    a line a file. An existing file is kept unless ``force``; ``inputs`` are never replaced."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    extra = [SIGNATURE_HEADER] if signatures is not None else []
    for cell in append_row(ws, [label for _, label in SHEET_COLUMNS] + extra):
        cell.font = Font(bold=True)
    for i, doc in enumerate(register.documents):
        row = _doc_row(doc)
        if signatures is not None:
            row.append("\n".join(signatures[i]) or None)
        for cell in append_row(ws, row):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    widths = {"id": 18, "number": 18, "type": 14, "date": 12, "issuer": 30, "subject": 50,
              "files": 40, "sha256": 20, "proves": 22, "tasks": 14, "note": 30, "draft": 40}
    for i, (key, _) in enumerate(SHEET_COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = widths[key]
    if signatures is not None:
        ws.column_dimensions[chr(ord("A") + len(SHEET_COLUMNS))].width = 20
    ws.freeze_panes = "A2"
    write_output(path, wb.save, force=force, inputs=inputs)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _cell_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", value)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return value
    return value


def _lines(value: str | None) -> list[str]:
    return [] if value is None else value.split("\n")


def register_from_xlsx(path: Path | str) -> Register:
    """Read a register sheet written by :func:`register_to_xlsx` (or typed by hand).

    Raises :class:`InputError` naming the row and column of every problem."""
    from openpyxl import load_workbook

    file = Path(path)
    package = check_package(file, "cannot read register", max_rows=LIMITS.sheet_rows)
    try:
        wb = load_workbook(package, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError([Problem(f"not an Excel workbook: {exc}", file)],
                          "cannot read register") from None
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    # a heading not known here (the derived Ký số, a column a person added) is not read
    names = {label: key for key, label in SHEET_COLUMNS} | {k: k for k, _ in SHEET_COLUMNS}
    columns: list[str | None] = [names.get(str(h).strip()) if h is not None else None
                                 for h in (header or ())]
    problems = []
    if "id" not in columns:
        problems.append(Problem(f"no column 'Mã tài liệu' (id) in sheet {ws.title!r}", file, 1))
        raise InputError(problems, "invalid register sheet")
    docs: list[dict[str, Any]] = []
    linemap = LineMap(file)
    for rownum, values in enumerate(rows, start=2):
        cells = {c: v for c, v in zip(columns, values, strict=False) if c is not None}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        index = len(docs)
        linemap.lines[("documents", index)] = rownum
        doc: dict[str, Any] = {}
        for key in ("id", "number", "type", "issuer", "subject", "note"):
            text = _cell_text(cells.get(key))
            if text is not None:
                doc[key] = text
        if cells.get("date") is not None:
            doc["date"] = _cell_date(cells["date"])
        paths = _lines(_cell_text(cells.get("files")))
        hashes = _lines(_cell_text(cells.get("sha256")))
        if hashes and len(hashes) != len(paths):
            problems.append(Problem(f"{len(paths)} file(s) but {len(hashes)} SHA-256 line(s)",
                                    file, rownum, "SHA-256"))
        files = []
        for i, p in enumerate(paths):
            entry: dict[str, Any] = {"path": p}
            if i < len(hashes) and hashes[i] != _NO_HASH:
                entry["sha256"] = hashes[i]
            files.append(entry)
        if files:
            doc["files"] = files
        proves = []
        for line in _lines(_cell_text(cells.get("proves"))):
            item, sep, locator = line.partition(": ")
            proves.append({"item": item, **({"locator": locator} if sep else {})})
        if proves:
            doc["proves"] = proves
        tasks = _lines(_cell_text(cells.get("tasks")))
        if tasks:
            doc["tasks"] = tasks
        draft = _read_draft(_cell_text(cells.get("draft")))
        if draft is not None:
            doc["draft"] = draft
        docs.append(doc)
    wb.close()
    if problems:
        raise InputError(problems, "invalid register sheet")
    try:
        return Register.model_validate({"documents": docs})
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, linemap),
                         "invalid register sheet") from None
