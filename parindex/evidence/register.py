"""The evidence register (sổ tài liệu kiểm chứng): which document proves which item.

One entry per document: its số ký hiệu, type, issue date, issuing body, trích yếu (subject),
its file(s) inside the dossier with their SHA-256, the sub-criteria it proves (each with an
optional locator such as "Mục II, trang 3") and the plan tasks whose product it is.

The register is ``register.yaml`` in the dossier; offices keep the same list in Excel, so it
also reads and writes an ``.xlsx`` sheet, losslessly (:func:`register_to_xlsx`,
:func:`register_from_xlsx`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from parindex.core.base import Strict
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, check_package, read_bounded
from parindex.core.output import write_output, write_text_output
from parindex.core.sheetcell import append_row
from parindex.core.yamlbuild import STREAMED
from parindex.core.yamlio import (
    LineMap,
    dump_yaml,
    load_yaml,
    problems_from_validation,
)
from parindex.evidence.cache import cache_folder, write_atomic
from parindex.evidence.docnumber import DocNumber, parse_doc_number, type_code_of
from parindex.evidence.register_cells import (
    CONTINUED,
    DRAFT_MARK,
    SUGGESTED_ITEM,
    SUGGESTED_TASK,
    cell_text,
    lines_of,
    read_draft,
    sheet_rows,
)

M = TypeVar("M", bound=Strict)
_setattr = object.__setattr__

if TYPE_CHECKING:
    from parindex.scoring.dossier import Dossier

__all__ = [
    "SHEET_COLUMNS",
    "Draft",
    "EvidenceDocument",
    "EvidenceFile",
    "Proof",
    "Register",
    "dump_register",
    "load_register",
    "register_from_xlsx",
    "register_of",
    "register_to_xlsx",
    "save_register",
]

TEXT_KEYS = ("id", "number", "type", "issuer", "subject", "path", "sha256", "item", "locator",
             "tasks", "note", "code", "proves", "files", "date", "sources")
"""Keys read as text; dates too, so that a bad date (2021-13-01) is a problem with a line
rather than a crash in the YAML parser."""
_ONE_LINE = r"^[^\n\r]*$"


def _file_shorthand(value: Any) -> Any:
    """``files: [documents/a.pdf]`` is accepted for ``files: [{path: documents/a.pdf}]``."""
    if isinstance(value, list | tuple):
        return [{"path": v} if isinstance(v, str) else v for v in value]
    return value


def _proof_shorthand(value: Any) -> Any:
    """``proves: ["1.1.1"]`` is accepted for ``proves: [{item: "1.1.1"}]``."""
    if isinstance(value, list | tuple):
        return [{"item": v} if isinstance(v, str) else v for v in value]
    return value


class EvidenceFile(Strict):
    """One file of a document, relative to the dossier folder."""

    path: str = Field(min_length=1, pattern=_ONE_LINE)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """The file's SHA-256 when it was registered; the check compares it with the file."""


class Proof(Strict):
    """A scored item the document proves, and where in the document."""

    item: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    locator: str | None = Field(default=None, pattern=_ONE_LINE)
    """Section or page, e.g. "Mục II.2, trang 3" (only part of the document is evidence)."""


class Draft(Strict):
    """Marks an entry drafted by ``parindex register scan`` from the file itself.

    The entry stays unconfirmed (a finding of the check) until a person has checked it and
    removed this block."""

    sources: dict[str, str] = Field(default_factory=dict)
    """Per drafted field: where the value was read and how sure the reading is."""
    proves: tuple[Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)*$")], ...] = ()
    """Items the document may prove (suggested from its type and trích yếu)."""
    tasks: tuple[Annotated[str, Field(min_length=1, pattern=_ONE_LINE)], ...] = ()
    """Plan tasks whose product it may be (suggested from its trích yếu)."""


class EvidenceDocument(Strict):
    """One registered document."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    number: str | None = Field(default=None, pattern=_ONE_LINE)
    """Số ký hiệu, e.g. ``15/KH-SKHCN``."""
    type: str | None = Field(default=None, pattern=_ONE_LINE)
    """Document type: Quyết định, Kế hoạch, Báo cáo, Công văn …"""
    date: dt.date | None = None
    """Issue date (ngày ban hành)."""
    issuer: str | None = Field(default=None, pattern=_ONE_LINE)
    """Issuing body (cơ quan ban hành)."""
    subject: str | None = None
    """Trích yếu."""
    files: Annotated[tuple[EvidenceFile, ...], BeforeValidator(_file_shorthand)] = ()
    proves: Annotated[tuple[Proof, ...], BeforeValidator(_proof_shorthand)] = ()
    tasks: tuple[Annotated[str, Field(min_length=1, pattern=_ONE_LINE)], ...] = ()
    """Codes of the plan tasks whose product this document is (e.g. ``II.7.b``)."""
    note: str | None = None
    draft: Draft | None = None
    """Present while the entry is a draft read from the file, not yet confirmed."""

    def parsed_number(self) -> DocNumber | None:
        """The parsed số ký hiệu; None when absent. Raises ``ValueError`` when malformed."""
        return None if self.number is None else parse_doc_number(self.number)

    def type_code(self) -> str | None:
        """The type code the document carries: from its number, else from its type name.

        ``CV`` stands for a Công văn (a number without a type code)."""
        try:
            parsed = self.parsed_number()
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed.type_code or "CV"
        if self.type is not None:
            if self.type.strip().casefold() == "công văn":
                return "CV"
            return type_code_of(self.type)
        return None

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(p.item for p in self.proves)


class Register(Strict):
    """``register.yaml``: the evidence register of a dossier."""

    kind: Literal["parindex/register"] = "parindex/register"
    schema_version: Literal[1] = 1
    documents: tuple[EvidenceDocument, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Register:
        seen: set[str] = set()
        for doc in self.documents:
            if doc.id in seen:
                raise ValueError(f"document id {doc.id!r} is used twice")
            seen.add(doc.id)
        return self

    def by_id(self) -> dict[str, EvidenceDocument]:
        return {d.id: d for d in self.documents}


# -- YAML ---------------------------------------------------------------------------------

HEADER = (
    "Sổ tài liệu kiểm chứng (evidence register) — parindex/register, schema_version 1.\n"
    "Each document: id, number (số ký hiệu), type, date, issuer, subject (trích yếu),\n"
    "files (paths inside the dossier, with sha256), proves (item codes + locator), tasks."
)


def load_register(path: Path | str) -> Register:
    """Read a register YAML file; raises :class:`InputError` listing every problem.

    Each document is validated as soon as it is read and only the model is kept (the parse of
    the whole file and its line numbers are never held at once: see
    :mod:`parindex.core.yamlbuild`); the problems are those, and in the order, that validating
    the whole file gives."""
    file = Path(path)
    docs: list[EvidenceDocument] = []
    failed: list[Problem] = []
    shared: dict[frozenset[str], set[str]] = {}

    def each(index: int, value: Any, lines: LineMap) -> None:
        if index >= LIMITS.register_documents:
            most = f"{LIMITS.register_documents:,}".replace(",", ".")
            raise InputError([lines.problem(("documents", index), (
                f"sổ có hơn {most} tài liệu, giới hạn {most} (too many documents in the "
                "register)"))], "register past a limit")
        try:
            doc = EvidenceDocument.model_validate(value, context={})
        except ValidationError as exc:
            failed.extend(problems_from_validation(exc, lines, ("documents", index)))
            return
        if not failed:
            docs.append(_compact(doc, shared))

    data, linemap = load_yaml(file, text_keys=TEXT_KEYS, items=("documents", each),
                              limits=LIMITS.for_register())
    if not isinstance(data, dict):
        raise InputError([Problem("tệp phải bắt đầu bằng các cặp khóa: giá trị "
                                  "(expected a mapping)", file, 1)])
    if data.get("documents") is not STREAMED:  # no list of documents: validated whole
        try:
            return Register.model_validate(data, context={})
        except ValidationError as exc:
            raise InputError(problems_from_validation(exc, linemap), _INVALID) from None
    top = {**data, "documents": () if failed else tuple(docs)}
    docs.clear()
    try:
        register = Register.model_validate(top, context={})
    except ValidationError as exc:
        problems = problems_from_validation(exc, linemap)
    else:
        if not failed:
            return register
        problems = []
    # the whole file's order: the fields before ``documents``, its items, then the rest
    before = set(list(Register.model_fields)[:list(Register.model_fields).index("documents")])
    first: list[Problem] = []
    rest: list[Problem] = []
    for problem in problems:
        (first if problem.key.split(".")[0].split("[")[0] in before else rest).append(problem)
    raise InputError([*first, *failed, *rest], _INVALID)


_INVALID = "invalid evidence register"


def _compact(doc: EvidenceDocument, shared: dict[frozenset[str], set[str]]) -> EvidenceDocument:
    """``doc`` with one set of field names per distinct set, shared by all the models that
    have it (they are frozen; pydantic copies it on ``model_copy``): one set per model is a
    third of a register's memory (see :func:`_trusted`)."""
    for model in (doc, *doc.files, *doc.proves):
        names = model.__pydantic_fields_set__
        _setattr(model, "__pydantic_fields_set__", shared.setdefault(frozenset(names), names))
    return doc


def dump_register(register: Register) -> str:
    """The register as YAML text (Vietnamese kept, empty fields left out)."""
    data = register.model_dump(mode="python", exclude_none=True)
    for doc in data["documents"]:
        for key in ("files", "proves", "tasks"):
            if not doc[key]:
                del doc[key]
    return dump_yaml(data, header=HEADER)


def save_register(register: Register, path: Path, *, inputs: Iterable[Path] = ()) -> None:
    """Write ``register.yaml`` (replacing it: the register is the dossier's own file), never
    over one of ``inputs``."""
    write_text_output(path, dump_register(register), force=True, inputs=inputs)


REGISTER_CACHE_VERSION = "register-1"


def register_of(dossier: Dossier, *, cache: bool = False) -> Register:
    """The dossier's register (empty when the dossier has none).

    With ``cache``, the validated register is kept in the dossier's cache folder (outside the
    dossier, see :mod:`parindex.evidence.cache`) under the SHA-256 of ``register.yaml``'s
    bytes, and reused only for exactly those bytes: any edit to the register, whatever its
    size and times, is parsed again. A cache entry that is not a sound register is ignored."""
    path = dossier.path(dossier.manifest.files.register_)
    if not path.is_file():
        return Register()
    if not cache:
        return load_register(path)
    source = read_bounded(path, LIMITS.register_bytes)  # the limit load_register applies
    key = f"{REGISTER_CACHE_VERSION}:{hashlib.sha256(source).hexdigest()}"
    folder = cache_folder(dossier.root)
    try:
        head, _, body = (folder / "register.json").read_bytes().partition(b"\n")
        if head.decode("ascii") == key:
            return _from_cache(json.loads(body))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeError):
        pass
    register = load_register(path)
    with contextlib.suppress(OSError):
        write_atomic(folder, "register.json",
                     key.encode("ascii") + b"\n" + register.model_dump_json().encode("utf-8"))
    return register


def _trusted(cls: type[M], fields: dict[str, Any], fields_set: set[str]) -> M:
    """What ``cls.model_construct(**fields)`` builds when ``fields`` holds every field, in
    order (as ``model_dump_json`` writes them): without its per-field alias and default
    look-ups, which dominate the rebuild of thousands of cached documents. ``fields_set`` is
    shared by the models of one class (they are frozen; pydantic copies it on
    ``model_copy``): one set per model was a third of a cached register's memory."""
    m = cls.__new__(cls)
    _setattr(m, "__dict__", fields)
    _setattr(m, "__pydantic_fields_set__", fields_set)
    _setattr(m, "__pydantic_extra__", None)
    _setattr(m, "__pydantic_private__", None)
    return m


_NOT_STR = "stale register cache"


def _from_cache(data: dict[str, Any]) -> Register:
    """Rebuild a register that was validated when it was cached, without running pydantic
    again; every field's type is still checked (a malformed cache raises and is a miss),
    in the loop itself: a large register has tens of thousands of values to check."""
    file_names = frozenset(EvidenceFile.model_fields)
    proof_names = frozenset(Proof.model_fields)
    doc_names = frozenset(EvidenceDocument.model_fields)
    file_set, proof_set, doc_set = set(file_names), set(proof_names), set(doc_names)
    fromiso = dt.date.fromisoformat
    docs = []
    seen: set[str] = set()
    if type(data["documents"]) is not list:
        raise KeyError(_NOT_STR)
    for d in data["documents"]:
        if type(d) is not dict or d.keys() != doc_names:
            raise KeyError(_NOT_STR)
        fields = d  # freshly parsed: its values are replaced in place, keys kept in order
        doc_files, doc_proves, tasks = d["files"], d["proves"], d["tasks"]
        if not type(doc_files) is type(doc_proves) is type(tasks) is list:
            raise KeyError(_NOT_STR)
        for name in ("number", "type", "issuer", "subject", "note"):
            value = d[name]
            if type(value) is not str and value is not None:
                raise TypeError(_NOT_STR)
        doc_id = d["id"]
        if type(doc_id) is not str or doc_id in seen:
            raise KeyError(_NOT_STR)
        seen.add(doc_id)
        if d["date"] is not None:
            fields["date"] = fromiso(d["date"])  # a TypeError for anything but text
        files = []
        for f in doc_files:
            if type(f) is not dict or f.keys() != file_names:
                raise KeyError(_NOT_STR)
            sha = f["sha256"]
            if type(f["path"]) is not str or (type(sha) is not str and sha is not None):
                raise TypeError(_NOT_STR)
            files.append(_trusted(EvidenceFile, f, file_set))
        fields["files"] = tuple(files)
        proves = []
        for p in doc_proves:
            if type(p) is not dict or p.keys() != proof_names:
                raise KeyError(_NOT_STR)
            locator = p["locator"]
            if type(p["item"]) is not str or (type(locator) is not str and locator is not None):
                raise TypeError(_NOT_STR)
            proves.append(_trusted(Proof, p, proof_set))
        fields["proves"] = tuple(proves)
        for task in tasks:
            if type(task) is not str:
                raise TypeError(_NOT_STR)
        fields["tasks"] = tuple(tasks)
        if d["draft"] is not None:
            fields["draft"] = Draft.model_validate(d["draft"])
        docs.append(_trusted(EvidenceDocument, fields, doc_set))
    return Register.model_construct(documents=tuple(docs))


# -- Excel ----------------------------------------------------------------------------------

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

def _draft_cell(draft: Draft | None) -> str | None:
    """The draft block as lines: the mark, ``field: where it was read`` (a line of a value
    that spans several is indented two spaces), then one line per suggestion."""
    if draft is None:
        return None
    lines = [DRAFT_MARK]
    for key, where in draft.sources.items():
        first, *more = where.split("\n")
        lines += [f"{key}: {first}", *(CONTINUED + m for m in more)]
    lines += [SUGGESTED_ITEM + i for i in draft.proves]
    lines += [SUGGESTED_TASK + t for t in draft.tasks]
    return "\n".join(lines)


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
    :func:`parindex.evidence.signing.register_signatures`), a last column ``Ký số`` holds
    them, a line a file: derived, written for the reader, never read back (the import skips a
    heading it does not know). An existing file is kept unless ``force``; ``inputs`` are never
    replaced."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    extra = ["Ký số"] if signatures is not None else []  # = parindex.evidence.signing.HEADER
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


def register_from_xlsx(path: Path | str) -> Register:
    """Read a register sheet written by :func:`register_to_xlsx` (or typed by hand).

    Raises :class:`InputError` naming the row and column of every problem (see
    :func:`parindex.evidence.register_cells.sheet_rows` for what a cell may hold)."""
    from openpyxl import load_workbook

    file = Path(path)
    package = check_package(file, "cannot read register", max_rows=LIMITS.sheet_rows)
    try:
        wb = load_workbook(package, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError([Problem(f"not an Excel workbook: {exc}", file)],
                          "cannot read register") from None
    try:
        rows, problems = sheet_rows(wb, package, file, SHEET, SHEET_COLUMNS)
    finally:
        wb.close()
    docs: list[dict[str, Any]] = []
    linemap = LineMap(file)
    for rownum, cells in rows:
        linemap.lines[("documents", len(docs))] = rownum
        doc: dict[str, Any] = {}
        for key in ("id", "number", "type", "issuer", "subject", "note"):
            text = cell_text(cells.get(key))
            if text is not None and key in ("id", "number", "type", "issuer"):
                text = text.strip() or None  # a space typed after a code is not part of it
            if text is not None:
                doc[key] = text
        if cells.get("date") is not None:
            doc["date"] = cells["date"]
        paths = lines_of(cell_text(cells.get("files")))
        hashes = lines_of(cell_text(cells.get("sha256")))
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
        for line in lines_of(cell_text(cells.get("proves"))):
            item, sep, locator = line.partition(": ")
            proves.append({"item": item.strip(), **({"locator": locator} if sep else {})})
        if proves:
            doc["proves"] = proves
        tasks = lines_of(cell_text(cells.get("tasks")))
        if tasks:
            doc["tasks"] = tasks
        draft = read_draft(cell_text(cells.get("draft")))
        if draft is not None:
            doc["draft"] = draft
        docs.append(doc)
    if problems:
        raise InputError(problems, "invalid register sheet")
    try:
        return Register.model_validate({"documents": docs})
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, linemap),
                         "invalid register sheet") from None
