"""Reading evidence files: streaming SHA-256, text of PDF and DOCX, a cache of both.

Each file gives a :class:`FileFacts`: size, SHA-256, what kind of file it is, whether text
could be read (a scanned PDF has none; an encrypted or corrupt file cannot be opened) and the
text of its first page. Nothing here raises for a bad file: the state is recorded and the check
turns it into a finding.

Hashing reads in 1 MiB chunks, and PDF text is read from the first page only (where the số ký
hiệu and the date line are), so memory stays flat whatever the file sizes. Facts are cached in
``.parindex-cache/`` inside the dossier, keyed by (path, size, mtime_ns): an unchanged file is
never read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from .base import nfc

__all__ = [
    "CACHE_DIR",
    "FactsCache",
    "FileFacts",
    "FileState",
    "file_kind",
    "inspect_file",
    "inspect_files",
]

CACHE_DIR = ".parindex-cache"
CACHE_VERSION = 1
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


@dataclass(frozen=True)
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


def _pdf_text(path: Path) -> tuple[FileState, str, int | None, str | None]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            return "encrypted", "", None, str(exc)
        return "corrupt", "", None, str(exc)
    try:
        pages = len(pdf)
        if pages == 0:
            return "corrupt", "", 0, "no pages"
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
        return "corrupt", "", None, str(exc)
    finally:
        pdf.close()
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))[:TEXT_HEAD]
    return ("text" if text.strip() else "no-text"), text, pages, None


def _docx_text(path: Path) -> tuple[FileState, str, int | None, str | None]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        parts: list[str] = []
        size = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines = [cell.text for row in block.rows for cell in row.cells]
            else:
                lines = [block.text]
            for line in lines:
                parts.append(line)
                size += len(line) + 1
            if size >= TEXT_HEAD:
                break
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, XML errors …
        return "corrupt", "", None, f"{type(exc).__name__}: {exc}"
    text = nfc("\n".join(parts))[:TEXT_HEAD]
    return ("text" if text.strip() else "no-text"), text, None, None


def inspect_file(path: Path) -> FileFacts:
    """Hash and read one file. ``OSError`` (missing, no permission) propagates."""
    st = path.stat()
    kind = file_kind(path)
    if st.st_size == 0:
        return FileFacts(0, st.st_mtime_ns, hashlib.sha256().hexdigest(), kind, "empty")
    sha, head = _hash_and_head(path)
    state: FileState
    text, pages, error = "", None, None
    if kind == "pdf":
        if b"%PDF" not in head and not _has_pdf_marker(path):
            state, error = "corrupt", "no %PDF header"
        else:
            state, text, pages, error = _pdf_text(path)
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
    return FileFacts(st.st_size, st.st_mtime_ns, sha, kind, state, text, pages, error)


def _has_pdf_marker(path: Path) -> bool:
    """The PDF header may follow up to 1 KiB of junk."""
    with open(path, "rb") as fh:
        return b"%PDF" in fh.read(1024)


class FactsCache:
    """Facts of files already read, keyed by relative path and checked by size and mtime."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.file = root / CACHE_DIR / "files.json"
        self.enabled = enabled
        self.entries: dict[str, dict[str, object]] = {}
        self.dirty = False
        if enabled:
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION and isinstance(data.get("files"), dict):
                    self.entries = data["files"]
            except (OSError, ValueError, AttributeError):
                self.entries = {}

    def get(self, rel: str, st: os.stat_result) -> FileFacts | None:
        entry = self.entries.get(rel)
        if entry is None or entry.get("size") != st.st_size or (
                entry.get("mtime_ns") != st.st_mtime_ns):
            return None
        try:
            return FileFacts(**entry)  # type: ignore[arg-type]
        except TypeError:
            return None

    def put(self, rel: str, facts: FileFacts) -> None:
        self.entries[rel] = asdict(facts)
        self.dirty = True

    def save(self) -> None:
        """Write the cache; a read-only dossier simply keeps no cache."""
        if not (self.enabled and self.dirty):
            return
        try:
            self.file.parent.mkdir(exist_ok=True)
            gitignore = self.file.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            tmp = self.file.with_name(f".{self.file.name}.tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": self.entries},
                                      ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.file)
            self.dirty = False
        except OSError:
            pass


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are read."""


def inspect_files(
    root: Path, rels: Iterable[str], *, cache: bool = True, progress: Progress | None = None,
) -> dict[str, FileFacts | OSError]:
    """Facts for each relative path under ``root`` (an ``OSError`` where it cannot be read).

    Paths must already be known to stay inside ``root``."""
    store = FactsCache(root, cache)
    names = list(dict.fromkeys(rels))
    out: dict[str, FileFacts | OSError] = {}
    total = len(names)
    for done, rel in enumerate(names, start=1):
        path = root / rel
        try:
            st = path.stat()
            facts = store.get(rel, st)
            if facts is None:
                facts = inspect_file(path)
                store.put(rel, facts)
            out[rel] = facts
        except OSError as exc:
            out[rel] = exc
        if progress is not None:
            progress(done, total)
    # forget files that are gone, so the cache does not grow forever
    stale = [k for k in store.entries if k not in out]
    for k in stale:
        del store.entries[k]
        store.dirty = True
    store.save()
    return out
