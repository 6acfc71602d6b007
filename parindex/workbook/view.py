"""The evidence register as the workbook shows it: a small neutral :class:`EvidenceView` (rows
of documents and the items they prove). :func:`evidence_view` builds it from a dossier and
returns an empty view when the dossier has no register; :func:`view_of_documents` builds it
from register documents."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from parindex.core.findings import Report
    from parindex.scoring.dossier import Dossier

T = TypeVar("T")

__all__ = [
    "EVIDENCE_FINDINGS",
    "EvidenceRef",
    "EvidenceView",
    "RegisterRow",
    "evidence_view",
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
    """
    from parindex.evidence.register import register_of

    documents = register_of(dossier, cache=True).documents
    signed = None
    if signatures:
        from parindex.evidence.signing import document_signature, register_signatures

        signed = [document_signature(values)
                  for values in register_signatures(dossier.root, documents)]
    view = view_of_documents(documents, dossier.root, signed)
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
    # one reason a line: most come from different documents, each named first
    return EvidenceView(view.rows, {k: "\n".join(v) for k, v in reasons.items()},
                        view.locators)


def view_of_documents(documents: Iterable[Any], root: Path | None = None,
                      signatures: Sequence[str | None] | None = None) -> EvidenceView:
    """An :class:`EvidenceView` from register documents (with ``signatures``, the ``Ký số``
    of each, in order).

    Each document needs ``id``, ``number``, ``subject``, ``date``, ``issuer``, ``files``
    (objects with ``path``) and ``proves`` (objects with ``item`` and ``locator``), as
    ``parindex.evidence.register.EvidenceDocument`` has. A document without số ký hiệu is listed by
    its id; its first file is the one linked. With ``root`` (the dossier folder), an item whose
    every document lacks an existing file is marked incomplete.
    """
    from parindex.core.paths import Confinement, Listings

    base = None if root is None else str(root)
    isfile = Listings().isfile_under  # one listing of each folder, not a stat of each file
    confinement = Confinement(root) if root is not None else None

    def present_inside(rel: str) -> bool:
        """A file of the dossier: never one outside it (``/etc/passwd``, ``../x``), which is
        not looked up at all."""
        assert base is not None and confinement is not None
        return confinement.why_outside(rel) is None and isfile(base, rel)
    rows: list[RegisterRow] = []
    has_file: dict[str, bool] = {}
    locators: dict[tuple[int, str], str] = {}
    new_row = _maker(RegisterRow)
    for i, doc in enumerate(documents):
        files = tuple(doc.files)
        proves = doc.proves
        items = ((proves[0].item,) if len(proves) == 1 else
                 tuple(dict.fromkeys([p.item for p in proves])))
        for proof in proves:
            if getattr(proof, "locator", None) and (i, proof.item) not in locators:
                locators[(i, proof.item)] = proof.locator
        rows.append(new_row(number=doc.number or doc.id, title=doc.subject or "",
                            date=doc.date, issuer=doc.issuer, items=items,
                            path=files[0].path if files else None,
                            signature=None if signatures is None else signatures[i]))
        present = bool(files) and base is None
        if files and base is not None:
            for f in files:  # the first existing file is enough
                if present_inside(f.path):
                    present = True
                    break
        for item in items:
            if not has_file.get(item):
                has_file[item] = present
    incomplete = {item: "Tài liệu kiểm chứng chưa có tệp trong hồ sơ"
                  for item, ok in has_file.items() if not ok}
    return EvidenceView(rows=tuple(rows), incomplete=incomplete, locators=locators)
