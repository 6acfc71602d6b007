"""Reading evidence files: streaming SHA-256, text of PDF and DOCX, a cache of both.

Each file gives a :class:`FileFacts`: size, SHA-256, what kind of file it is, whether text
could be read (a scanned PDF has none; an encrypted or corrupt file cannot be opened) and the
text of its first page. Nothing here raises for a bad file: the state is recorded and the check
turns it into a finding.

Hashing reads in 1 MiB chunks, and PDF text is read from the first page only (where the số ký
hiệu and the date line are), so memory stays flat whatever the file sizes: a 300 MB, 200-page
scan is read with 2 MB over the interpreter's own. (PDFium loads the objects of the page it
opens, so a single gigantic image on page 1 would be held while that page is read.)

Facts are cached outside the dossier (:mod:`parindex.evidence.cache`), keyed by path, size,
mtime, ctime and inode: an unchanged file is never read again. The reading loop keeps only the
facts: the extracted text is dropped once the số ký hiệu and the date are taken from it.

Per-file facts are all computed in :func:`inspect_file` (one place to add a new fact): a new
field of :class:`FileFacts` of a JSON-able type (int, str, bool, None, Literal, tuple[X, ...])
is cached and validated with no other change.

With ``ocr``, a scan (PDF without a text layer, or an image) is read by OCR
(:mod:`parindex.evidence.ocr`) and its text stands for the text layer; the digital signatures
of a PDF with a form (AcroForm: where signatures live) are read
(:mod:`parindex.evidence.signatures`), and the heading block of a document is computed when
asked for, to draft register entries (:mod:`parindex.evidence.heading`; a check never asks).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from parindex.core.base import nfc
from parindex.core.errors import InputError
from parindex.core.files import check_zip
from parindex.core.gcpause import running
from parindex.evidence.cache import FactsCache, entry_checks, file_key
from parindex.evidence.docnumber import find_date, find_number
from parindex.evidence.heading import head_block
from parindex.evidence.ocr import OCR_STATES, OcrStatus, needs_ocr, ocr_file
from parindex.evidence.signatures import (
    SignatureFacts,
    decode_signatures,
    encode_signatures,
    read_signatures,
)

if TYPE_CHECKING:
    from parindex.core.workers import Failure

__all__ = [
    "FileFacts",
    "FileState",
    "cached_facts",
    "file_kind",
    "inspect_file",
    "inspect_files",
    "settled",
]

TEXT_HEAD = 4000
"""Characters of extracted text kept per file (the header of a document is at the top)."""
CHUNK = 1 << 20

FileKind = Literal["pdf", "docx", "image", "other"]
FileState = Literal["text", "no-text", "image", "encrypted", "corrupt", "unsupported", "empty"]

PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp", ".webp"}
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF87a",
                b"GIF89a", b"BM")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_kind(path: str | Path) -> FileKind:
    suffix = Path(path).suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return "other"


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What reading one file found."""

    size: int
    mtime_ns: int
    sha256: str
    kind: FileKind
    state: FileState
    text: str = ""
    """NFC text of the first page (PDF) or of the first paragraphs and tables (DOCX)."""
    pages: int | None = None
    error: str | None = None
    """Why the file could not be read (encrypted, corrupt …), in English, for the log."""
    number: str | None = None
    """The số ký hiệu written in the text (after ``Số:``), if found."""
    date: str | None = None
    """The date of the date line in the text (ISO ``2021-03-15``), if found."""
    ocr: OcrStatus | None = None
    """OCR of a scan: None (not tried), ``done`` (number, date and heading were read by OCR),
    ``unavailable`` (no Tesseract), ``failed``, ``timeout``, ``too-large``."""
    heading: tuple[str, ...] = ()
    """The lines at the top of the text, down to the trích yếu (see :func:`head_block`)."""
    signatures: tuple[str, ...] = ()
    """The digital signatures of a signed PDF, each a JSON object (see :attr:`signed`)."""

    @property
    def signed(self) -> tuple[SignatureFacts, ...]:
        """The digital signatures, decoded."""
        return decode_signatures(self.signatures) if self.signatures else ()


def _hash_and_head(path: Path) -> tuple[str, bytes]:
    """SHA-256 of the file, read in chunks, and its first bytes (for the magic number)."""
    digest = hashlib.sha256()
    head = b""
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            if not head:
                head = bytes(view[:16])
            digest.update(view[:n])
    return digest.hexdigest(), head


def _pdf_text(path: Path) -> tuple[FileState, str, int | None, str | None, bool]:
    """State, first-page text, page count, error, and whether the document has an AcroForm
    (PDFium's form type): signatures live in AcroForm fields, and a PDF without one has none
    that pyHanko would read, so its bytes need not be searched for a signature."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            return "encrypted", "", None, str(exc), False
        return "corrupt", "", None, str(exc), False
    try:
        pages = len(pdf)
        if pages == 0:
            return "corrupt", "", 0, "no pages", False
        form = pdf.get_formtype() != pdfium.raw.FORMTYPE_NONE
        page = pdf[0]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        return "corrupt", "", None, str(exc), False
    finally:
        pdf.close()
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))[:TEXT_HEAD]
    return ("text" if text.strip() else "no-text"), text, pages, None, form


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR, _P = _W + "t", _W + "tab", _W + "br", _W + "cr", _W + "p"
_XML_CHUNK = 16 << 10


class _Enough(Exception):
    """Raised inside the XML parser's handlers once the head of the text is read."""


def _docx_text(path: Path) -> tuple[FileState, str, int | None, str | None]:
    """Text at the start of a DOCX body (paragraphs and table cells, in order).

    ``word/document.xml`` is streamed out of the package into expat, with handlers that keep
    only the text of ``w:t`` runs (tabs and breaks as such, a line per paragraph), until
    :data:`TEXT_HEAD` characters are found: no element tree is built (ElementTree's iterparse
    took 1.5 times as long), and loading the whole package with python-docx takes about 30
    times longer and holds the whole body in memory."""
    from xml.parsers import expat

    parts: list[str] = []
    size = 0
    inside = False

    def start(name: str, attrs: object) -> None:
        nonlocal inside
        if name == _T:
            inside = True

    def end(name: str) -> None:
        nonlocal inside
        if name == _T:
            inside = False
        elif name == _TAB:
            parts.append("\t")
        elif name in (_BR, _CR):
            parts.append("\n")
        elif name == _P:
            parts.append("\n")
            if size >= TEXT_HEAD:
                raise _Enough

    def chars(data: str) -> None:
        nonlocal size
        if inside:
            parts.append(data)
            size += len(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True  # one call per run of text, not per line or entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with zipfile.ZipFile(path) as package, package.open("word/document.xml") as body:
            check_zip(package, path)  # a zip bomb is "corrupt", never unpacked
            while chunk := body.read(_XML_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Enough:
        pass
    except InputError as exc:
        return "corrupt", "", None, exc.problems[0].message
    except (KeyError, zipfile.BadZipFile, expat.ExpatError, EOFError, ValueError,
            NotImplementedError) as exc:
        return "corrupt", "", None, f"{type(exc).__name__}: {exc}"
    text = nfc("".join(parts))[:TEXT_HEAD]
    return ("text" if text.strip() else "no-text"), text, None, None


def inspect_file(path: Path, ocr: bool = False, heading: bool = True) -> FileFacts:
    """Hash and read one file (a scan by OCR with ``ocr``), with its heading block unless not
    ``heading`` (only drafting register entries needs it, and it costs as much as finding
    the number and the date). ``OSError`` (missing, no permission) propagates."""
    st = path.stat()
    kind = file_kind(path)
    if st.st_size == 0:
        return FileFacts(0, st.st_mtime_ns, hashlib.sha256().hexdigest(), kind, "empty")
    sha, head = _hash_and_head(path)
    state: FileState
    text, pages, error, form = "", None, None, False
    if kind == "pdf":
        if b"%PDF" not in head and not _has_pdf_marker(path):
            state, error = "corrupt", "no %PDF header"
        else:
            state, text, pages, error, form = _pdf_text(path)
    elif kind == "docx":
        if head.startswith(_OLE_MAGIC):
            state, error = "encrypted", "OLE container (password-protected or old .doc)"
        elif not zipfile.is_zipfile(path):
            state, error = "corrupt", "not a ZIP package"
        else:
            state, text, pages, error = _docx_text(path)
    elif kind == "image":
        ok = any(head.startswith(m) for m in _IMAGE_MAGIC) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        state, error = ("image", None) if ok else ("corrupt", "unknown image format")
    else:
        state = "unsupported"
    ocr_status: OcrStatus | None = None
    if ocr and state in OCR_STATES:
        read = ocr_file(path, kind, sha256=sha)
        ocr_status, text = read.status, read.text[:TEXT_HEAD]
    signatures: tuple[str, ...] = ()
    if form and state in ("text", "no-text"):
        signatures = encode_signatures(read_signatures(path))
    number = date = None
    lines: tuple[str, ...] = ()
    if state == "text" or ocr_status == "done":
        if heading:
            lines = head_block(text)
        found_number, found_date = find_number(text), find_date(text)
        number = found_number.raw if found_number else None
        date = found_date.isoformat() if found_date else None
    return FileFacts(st.st_size, st.st_mtime_ns, sha, kind, state, text, pages, error, number,
                     date, ocr_status, lines, signatures)


def _has_pdf_marker(path: Path) -> bool:
    """The PDF header may follow up to 1 KiB of junk."""
    with open(path, "rb") as fh:
        return b"%PDF" in fh.read(1024)


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are read."""


PARALLEL_MIN_FILES = 32
"""Below this many files to read, one reader process is quicker than several."""


_FIELDS = tuple(f.name for f in fields(FileFacts))

_Row = tuple[Any, ...]
"""A :class:`FileFacts` as the tuple of its fields: what crosses back from a reader process
(a frozen dataclass pickles through Python code, a tuple in C)."""


def _inspect_one(item: tuple[str, bool], ocr: bool = False) -> _Row | OSError:
    """Facts of one file (``item``: its path and whether its heading is wanted) without its
    text (number and date are already taken from it): only the facts cross back from a
    reader process, and only they are kept."""
    path, heading = item
    try:
        facts = inspect_file(Path(path), ocr, heading)
    except OSError as exc:
        return exc
    return tuple("" if name == "text" else getattr(facts, name) for name in _FIELDS)


_CHECKS = entry_checks(FileFacts, skip=("text", "size", "mtime_ns", "heading"))
"""How each cached field of :class:`FileFacts` is validated on load (size and mtime are the
file's own, from the key)."""
_HEADING_CHECKS = {"heading": entry_checks(FileFacts)["heading"]}
"""The heading, cached apart (``headings.json``): the check never needs it, and it is most of
the facts' size (a dozen lines of Vietnamese text per document)."""


READ_TIMEOUT = 180.0
"""Seconds one file may take to read (hash, text, OCR of its first page, signatures): a file
made to hang the parser is stopped there and reported unreadable. OCR alone is bounded at
:data:`parindex.evidence.ocr.TIMEOUT` per page."""
READ_MEMORY = 3 << 29
"""Bytes of address space a reader process may add while reading (1.5 GiB): a file that
needs more is reported unreadable instead of exhausting the machine. Linux only
(:data:`parindex.core.workers.MEMORY_BOUNDED`): on Windows and macOS a reader's memory is
not bounded, only its time."""
FAILED_PREFIX = "reader stopped: "
"""Start of :attr:`FileFacts.error` for a file whose reader was stopped (time, memory or a
crash of the parser); such facts are never cached (the next check tries again)."""


def _failed(item: tuple[str, bool], failure: Failure) -> _Row | OSError:
    """Facts of a file whose reader was stopped: its hash, read here (a streaming read in
    bounded memory), and ``corrupt``."""
    file = Path(item[0])
    try:
        st = file.stat()
        sha, _ = _hash_and_head(file)
    except OSError as exc:
        return exc
    facts = FileFacts(st.st_size, st.st_mtime_ns, sha, file_kind(file), "corrupt",
                      error=f"{FAILED_PREFIX}{failure.kind}, {failure.detail}")
    return tuple(getattr(facts, name) for name in _FIELDS)


def _read_all(paths: list[tuple[str, bool]], workers: int, ocr: bool = False
              ) -> Iterator[FileFacts | OSError]:
    """Facts of ``paths`` (each with whether its heading is wanted) in order, read in
    ``workers`` processes (one below :data:`PARALLEL_MIN_FILES` files), each file bounded by
    :data:`READ_TIMEOUT` and (on Linux) :data:`READ_MEMORY` (:mod:`parindex.core.workers`)."""
    from parindex.core.workers import bounded_map

    # forked (POSIX): workers share the loaded modules, start in milliseconds, and are created
    # before any thread of ours (the progress bar starts at the first result); spawned
    # (Windows): each imports this module to load the reader (a partial of a module-level
    # function, the items plain tuples), some 0.5 s, once per run
    count = workers if len(paths) >= PARALLEL_MIN_FILES else 1
    for got in bounded_map(functools.partial(_inspect_one, ocr=ocr), paths, workers=count,
                           timeout=READ_TIMEOUT, memory=READ_MEMORY, on_fail=_failed):
        yield got if isinstance(got, OSError) else FileFacts(*got)


def inspect_files(
    root: Path, rels: Iterable[str], *, cache: bool = True, progress: Progress | None = None,
    workers: int | None = None, ocr: bool = False,
    headings: bool | Collection[str] = True,
) -> dict[str, FileFacts | OSError]:
    """Facts for each relative path under ``root`` (an ``OSError`` where it cannot be read).

    Files whose key (size, mtime, ctime, inode) matches the cache are not read again; the
    others are read by ``workers`` processes (default: one per CPU). The facts returned carry
    no text, and a heading only where ``headings`` asks for it (all files, none, or the
    paths given): a heading is computed only for them, and cached apart (``headings.json``)
    when it was. With ``ocr``, scans are read by OCR (cached scans too, when they were cached
    without). Paths must already be known to stay inside ``root``."""
    store = FactsCache(root, _CHECKS, cache)
    heads = FactsCache(root, _HEADING_CHECKS, cache, name="headings.json", lazy=True)
    names = list(dict.fromkeys(rels))
    wanted = None if isinstance(headings, bool) else set(headings)
    out: dict[str, FileFacts | OSError] = {}
    todo: list[tuple[str, bool]] = []
    keys: list[tuple[int, int, int, int]] = []
    base = str(root)
    for rel in names:
        try:
            st = os.stat(os.path.join(base, rel))
        except OSError as exc:
            out[rel] = exc
            continue
        head = headings if wanted is None else rel in wanted
        fields = store.get(rel, st)
        if fields is not None and head:
            heading = heads.get(rel, st)
            fields = None if heading is None else {**fields, **heading}
        if fields is None or (ocr and needs_ocr(fields["state"], fields["ocr"])):
            todo.append((rel, bool(head)))
            keys.append(file_key(st))  # taken before reading: a change while read is a miss
        else:
            out[rel] = FileFacts(size=st.st_size, mtime_ns=st.st_mtime_ns, **fields)
    total, done = len(names), len(names) - len(todo)
    # the first report comes with the first file read: reader processes are started before
    # any progress-bar thread exists
    count = workers if workers is not None else (os.cpu_count() or 1)
    with running() if todo else contextlib.nullcontext():
        # readers make cyclic garbage (PDF object graphs): it is collected while they run
        # (nothing to read: no reader is started, nor its module imported; ``strict`` would
        # run the reader generator to see that it is empty too)
        reads = _read_all([(os.path.join(base, r), h) for r, h in todo], count, ocr) \
            if todo else ()
        for (rel, head), key, got in zip(todo, keys, reads, strict=True):
            out[rel] = got
            if cache and isinstance(got, FileFacts) and \
                    not (got.error or "").startswith(FAILED_PREFIX):
                got_fields = asdict(got)  # (no cache: nothing kept for it, see issue 17)
                store.put(rel, key, got_fields)
                if head:  # a file read without its heading leaves the headings' cache alone
                    heads.put(rel, key, got_fields)
            done += 1
            if progress is not None:
                progress(done, total)
    for kept in (store, heads):
        kept.forget(out)
        kept.save()
    return {rel: out[rel] for rel in names}




def settled(facts: FileFacts | OSError) -> bool:
    """Whether the next :func:`inspect_files` would give ``facts`` again without reading the
    file (cached, or a file that is not there, which stays so until its folder changes): a
    stopped reader is tried again."""
    if isinstance(facts, FileFacts):
        return not (facts.error or "").startswith(FAILED_PREFIX)
    return isinstance(facts, FileNotFoundError | NotADirectoryError)


_SIGNATURE_FIELDS = ("state", "signatures")

CachedSignatures = tuple[str, tuple[str, ...]]
"""A file's state and encoded signatures, as :func:`cached_facts` gives them."""


def cached_facts(root: Path, rels: Iterable[str]) -> dict[str, CachedSignatures | OSError | None]:
    """What the last check read of each relative path under ``root`` — its state and digital
    signatures (:attr:`FileFacts.state`, :attr:`FileFacts.signatures`) — where its cache entry
    still matches the file (size, mtime, ctime, inode: see :func:`inspect_files`) and those
    fields are sound; ``None`` for a file not read since it last changed, an ``OSError`` where
    it cannot be looked at. Never opens a file and never writes the cache: one ``stat`` a
    file. Paths must already be known to stay inside ``root``."""
    store = FactsCache(root, _CHECKS)
    get = store.get_some
    base = str(root).rstrip(os.sep) + os.sep
    out: dict[str, CachedSignatures | OSError | None] = {}
    for rel in rels:
        if rel in out:
            continue
        try:
            st = os.stat(base + rel)
        except OSError as exc:
            out[rel] = exc
            continue
        out[rel] = get(rel, st, _SIGNATURE_FIELDS)
    return out
