"""The ``Ký số`` column: whether each evidence document's files carry a digital signature, for
Sở Nội vụ, in the register sheet (``register export``) and the workbook's register.

The values come from what the check read (:mod:`parindex.evidence.signatures`, through the
file facts it caches): a file whose cache entry still matches it (size, modification and
change time, inode) gives its signatures as the check found them; a file changed since, or
never checked, is "Chưa kiểm tra" (run ``parindex check``). Nothing here opens a file, so
the column costs one ``stat`` a file. Only PDF signatures are read: any other file reads as
unsigned. The trust chain to a CA is not checked offline (as the finding
``signature-not-validated`` says), hence "nguyên vẹn" (intact), not "hợp lệ".

The column is derived, never input: the register import ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from parindex.core.paths import Confinement
from parindex.evidence.documents import CachedSignatures, FileFacts, cached_facts
from parindex.evidence.folder import norm_path
from parindex.evidence.signatures import decode_signatures

__all__ = [
    "HEADER",
    "INTACT",
    "INVALID",
    "NOT_CHECKED",
    "NO_FILE",
    "UNREADABLE_FILE",
    "UNREADABLE_SIGNATURE",
    "UNSIGNED",
    "document_signature",
    "file_signature",
    "register_signatures",
]

HEADER = "Ký số"
INVALID = "Có – không hợp lệ"
"""A signature that does not match the file's bytes, or content added after signing (the
findings ``signature-invalid``, ``modified-after-signing``)."""
UNREADABLE_SIGNATURE = "Có – không đọc được"
"""A signature the check could not read (``signature-unreadable``)."""
INTACT = "Có – nguyên vẹn"
"""Every signature intact, nothing added after them; not validated against a CA."""
UNREADABLE_FILE = "Không đọc được tệp"
"""A file that could not be opened (encrypted, damaged, empty): its signatures are unknown."""
NOT_CHECKED = "Chưa kiểm tra"
"""A file not read by a check since it last changed."""
NO_FILE = "Không có tệp"
"""A file missing from the dossier, or a path leaving it (never looked at)."""
UNSIGNED = "Không"

_WORST_FIRST = (INVALID, UNREADABLE_SIGNATURE, INTACT, UNREADABLE_FILE, NOT_CHECKED, NO_FILE,
                UNSIGNED)
"""How a document of several files reads: the first of its files' values in this order (a
signed letter with an unsigned annex is signed)."""


def file_signature(facts: FileFacts | CachedSignatures | OSError | None) -> str:
    """The ``Ký số`` value of one file, from the facts the check read (``None``: not read;
    a ``(state, signatures)`` pair: :func:`~parindex.evidence.documents.cached_facts`)."""
    if facts is None:
        return NOT_CHECKED
    if isinstance(facts, OSError):
        return NO_FILE
    state, encoded = (facts.state, facts.signatures) if isinstance(facts, FileFacts) else facts
    if state in ("encrypted", "corrupt", "empty"):
        return UNREADABLE_FILE
    if not encoded:
        return UNSIGNED
    signatures = decode_signatures(encoded)
    if any(sig.error is not None for sig in signatures):
        return UNREADABLE_SIGNATURE
    if any(not sig.intact or sig.modified for sig in signatures):
        return INVALID
    return INTACT


def document_signature(values: Sequence[str]) -> str | None:
    """The value of a document from its files' values; ``None`` without a file."""
    if not values:
        return None
    return min(values, key=_WORST_FIRST.index)


def register_signatures(root: Path, documents: Iterable[Sequence[str]]
                        ) -> list[tuple[str, ...]]:
    """Per document (given as its files' paths, in order), the ``Ký số`` value of each of its
    files (see the module docstring). A path leaving the dossier is never looked at."""
    inside = Confinement(root)
    names: list[list[str | None]] = []
    for paths in documents:
        names.append([None if inside(path) is not None else norm_path(path)
                      for path in paths])
    facts = cached_facts(root, (rel for rels in names for rel in rels if rel is not None))
    return [tuple(NO_FILE if rel is None else file_signature(facts[rel]) for rel in rels)
            for rels in names]
