"""The evidence register as the workbook shows it: a small neutral :class:`EvidenceView` (rows
of documents and the items they prove). :func:`evidence_view` builds it from a dossier and
returns an empty view when the dossier has no register; :func:`view_of_documents` builds it
from register documents."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from parindex.core.errors import InputError

if TYPE_CHECKING:
    from parindex.core.findings import Report
    from parindex.scoring.dossier import Dossier

T = TypeVar("T")

__all__ = [
    "EVIDENCE_FINDINGS",
    "Entry",
    "EvidenceRef",
    "EvidenceView",
    "RegisterRow",
    "evidence_view",
    "register_entries",
    "view_of_documents",
]


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
    signature: str | None = None
    """``Ký số``: whether its files carry a digital signature, as the last check found
    (:mod:`parindex.evidence.signing`); None when not known (no dossier, no file)."""


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
        new_ref = _maker(EvidenceRef)
        locator = self.locators.get
        for i, row in enumerate(self.rows):
            items = row.items
            for code in (items if len(items) == 1 else dict.fromkeys(items)):
                links.setdefault(code, []).append(new_ref(
                    number=row.number, title=row.title, path=row.path,
                    locator=locator((i, code))))
        return {k: tuple(v) for k, v in links.items()}


def _maker(cls: type[T]) -> Callable[..., T]:
    """``cls(**fields)`` for a frozen dataclass given every field by name, without its
    generated ``__init__`` (one ``object.__setattr__`` per field: most of building the
    rows of a register of thousands of documents). Same instance, same equality and hash."""
    new = object.__new__
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def make(**values: Any) -> T:
        assert len(values) == len(names)
        obj = new(cls)
        obj.__dict__.update(values)
        return obj

    return make



EVIDENCE_FINDINGS = frozenset({
    "missing-evidence", "evidence-file-missing", "evidence-file-empty",
    "evidence-file-unreadable", "evidence-file-encrypted", "evidence-hash-mismatch",
    "path-outside-dossier", "document-type-mismatch", "unexpected-document-type",
    "document-outside-year", "document-dated-in-future", "late-evidence",
    "late-evidence-scored-on-time", "number-mismatch", "date-mismatch",
})
"""Check findings (:mod:`parindex.evidence.check`) that make an item's evidence incomplete."""


def evidence_view(dossier: Dossier, report: Report | None = None, *,
                  signatures: bool = True) -> EvidenceView:
    """The dossier's evidence register (``register.yaml``) as an :class:`EvidenceView`; empty
    without a register. No document is opened: only the files' existence is checked, and with
    ``signatures`` each document's ``Ký số`` is taken from what the last check read of its
    files (:func:`parindex.evidence.signing.register_signatures`: one ``stat`` a file).

    With ``report`` (the dossier's check), every error or warning in
    :data:`EVIDENCE_FINDINGS` marks the items concerned incomplete, with its message: an item
    finding its item, a document finding every item the document proves (prefixed with the
    document's number), one message a line.

    The register is read through :func:`register_entries` (what the workbook shows of it,
    cached under the hash of ``register.yaml``'s bytes); the files are looked at afresh.
    """
    entries = register_entries(dossier)
    signed = None
    if signatures:
        from parindex.evidence.signing import document_signature, register_signatures

        signed = [document_signature(values)
                  for values in register_signatures(dossier.root, (e.paths for e in entries))]
    view = _view(entries, dossier.root, signed)
    if report is None:
        return view
    proves = {e.id: [(e.number or e.id, item) for item, _ in e.proofs] for e in entries}
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
    # one reason a line: most come from different documents, each named first
    return EvidenceView(view.rows, {k: "\n".join(v) for k, v in reasons.items()},
                        view.locators)


def view_of_documents(documents: Iterable[Any], root: Path | None = None) -> EvidenceView:
    """An :class:`EvidenceView` from register documents.

    Each document needs ``id``, ``number``, ``subject``, ``date``, ``issuer``, ``files``
    (objects with ``path``) and ``proves`` (objects with ``item`` and ``locator``), as
    ``parindex.evidence.register.EvidenceDocument`` has. A document without số ký hiệu is listed by
    its id; its first file is the one linked. With ``root`` (the dossier folder), an item whose
    every document lacks an existing file is marked incomplete.
    """
    return _view(_entries_of(documents), root)


class Entry(NamedTuple):
    """One register document, reduced to what the workbook shows of it (and what
    :func:`evidence_view` needs to place the check's findings)."""

    id: str
    number: str | None
    subject: str | None
    date: dt.date | None
    issuer: str | None
    paths: tuple[str, ...]
    """The document's files, in order."""
    proofs: tuple[tuple[str, str | None], ...]
    """(item, locator) of each proof, in order."""


def _entries_of(documents: Iterable[Any]) -> list[Entry]:
    return [Entry(doc.id, doc.number, doc.subject, doc.date, doc.issuer,
                  tuple(f.path for f in doc.files),
                  tuple((p.item, getattr(p, "locator", None)) for p in doc.proves))
            for doc in documents]


def _view(entries: Iterable[Entry], root: Path | None,
          signatures: Sequence[str | None] | None = None) -> EvidenceView:
    """The view of ``entries``; with ``root``, files are looked up in the dossier folder; with
    ``signatures``, each entry's ``Ký số``, in order."""
    from parindex.core.paths import Confinement, Listings

    base = "" if root is None else str(root)
    confinement = Confinement(root) if root is not None else None
    # one listing of each folder, not a stat of each file; the same listing that tells the
    # confinement which names are symlinks (a folder of 5,000 documents is listed once)
    isfile = (Listings() if confinement is None else confinement.listings).isfile_under
    why_outside = None if confinement is None else confinement.why_outside
    rows: list[RegisterRow] = []
    has_file: dict[str, bool] = {}
    locators: dict[tuple[int, str], str] = {}
    new, set_dict = object.__new__, object.__setattr__  # see _maker: the same instances
    for i, (doc_id, number, subject, date, issuer, files, proves) in enumerate(entries):
        items = ((proves[0][0],) if len(proves) == 1 else
                 tuple(dict.fromkeys([item for item, _ in proves])))
        for item, locator in proves:
            if locator and (i, item) not in locators:
                locators[(i, item)] = locator
        row = new(RegisterRow)
        set_dict(row, "__dict__", {"number": number or doc_id, "title": subject or "",
                                   "date": date, "issuer": issuer, "items": items,
                                   "path": files[0] if files else None,
                                   "signature": None if signatures is None else signatures[i]})
        rows.append(row)
        present = bool(files) and why_outside is None
        if files and why_outside is not None:
            for f in files:  # the first existing file is enough; one outside is not looked up
                if why_outside(f) is None and isfile(base, f):
                    present = True
                    break
        for item in items:
            if not has_file.get(item):
                has_file[item] = present
    incomplete = {item: "Tài liệu kiểm chứng chưa có tệp trong hồ sơ"
                  for item, ok in has_file.items() if not ok}
    return EvidenceView(rows=tuple(rows), incomplete=incomplete, locators=locators)


# -- the register as the workbook needs it, cached --------------------------------------------

ENTRIES_CACHE = "register-entries.json"
ENTRIES_CACHE_VERSION = "register-entries-1"


def register_entries(dossier: Dossier) -> list[Entry]:
    """The dossier's register (``register.yaml``) as :class:`Entry` rows; empty without one.

    What the workbook shows of a register is a fraction of it (no hashes, types, tasks,
    notes, drafts), and rebuilding the whole validated register from its cache
    (:func:`parindex.evidence.register.register_of`) was a sixth of an export of 5,000
    documents. So these rows are cached on their own, as compact JSON lists, in the dossier's
    cache folder (outside the dossier, :mod:`parindex.evidence.cache`), under the SHA-256 of
    ``register.yaml``'s bytes exactly as the register's own cache: any edit of the register,
    whatever its size and times, makes a miss. An entry is only ever written from a register
    that loaded without error; one that is not sound (a wrong type, a missing field, an id
    used twice) is a miss, never a crash."""
    import hashlib

    from parindex.core.files import LIMITS, read_bounded
    from parindex.evidence.cache import cache_folder, write_atomic
    from parindex.evidence.register import register_of

    path = dossier.path(dossier.manifest.files.register_)
    if not path.is_file():
        return []
    source = read_bounded(path, LIMITS.register_bytes)  # the limit load_register applies
    digest = hashlib.sha256(source).hexdigest()
    key = f"{ENTRIES_CACHE_VERSION}:{digest}"
    folder = cache_folder(dossier.root)
    try:
        head, _, body = (folder / ENTRIES_CACHE).read_bytes().partition(b"\n")
        if head.decode("ascii") == key:
            return _entries_from_json(json.loads(body))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeError):
        pass
    entries = _entries_of(register_of(dossier, cache=True).documents)
    with contextlib.suppress(OSError, InputError):
        # kept only when the register read is still the one hashed above
        if hashlib.sha256(read_bounded(path, LIMITS.register_bytes)).hexdigest() == digest:
            data = [[e.id, e.number, e.subject, None if e.date is None else e.date.isoformat(),
                     e.issuer, list(e.paths), [list(p) for p in e.proofs]] for e in entries]
            write_atomic(folder, ENTRIES_CACHE, key.encode("ascii") + b"\n" + json.dumps(
                data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return entries


_STALE = "stale register entries"


def _entries_from_json(data: Any) -> list[Entry]:
    """Entries from their cached JSON, every value's type checked (``TypeError`` or
    ``ValueError`` for anything else: a miss)."""
    if type(data) is not list:
        raise TypeError(_STALE)
    fromiso = dt.date.fromisoformat
    new = tuple.__new__
    text = str
    optional = frozenset({str, type(None)})
    out: list[Entry] = []
    seen: set[str] = set()
    for e in data:
        if type(e) is not list or len(e) != 7:
            raise TypeError(_STALE)
        doc_id, number, subject, date, issuer, paths, proofs = e
        if type(doc_id) is not text or doc_id in seen or type(number) not in optional or \
                type(subject) not in optional or type(issuer) not in optional or \
                type(paths) is not list or type(proofs) is not list:
            raise TypeError(_STALE)
        seen.add(doc_id)
        for path in paths:
            if type(path) is not text:
                raise TypeError(_STALE)
        pairs = []
        for proof in proofs:
            if type(proof) is not list or len(proof) != 2 or type(proof[0]) is not text or \
                    type(proof[1]) not in optional:
                raise TypeError(_STALE)
            pairs.append((proof[0], proof[1]))
        out.append(new(Entry, (doc_id, number, subject,
                               None if date is None else fromiso(date),  # TypeError unless text
                               issuer, tuple(paths), tuple(pairs))))
    return out
