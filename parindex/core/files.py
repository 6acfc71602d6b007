"""Reading untrusted input files within bounds: the one way parindex opens a file it reads.

A dossier is a folder people pass around, so every file in it is untrusted. Whatever the
reader (YAML, plan text, an .xlsx or .docx package), the file goes through here first:

- only a **regular file** is opened: a FIFO named ``x.xlsx`` would make a reader wait forever,
  ``/dev/zero`` would be read until memory runs out;
- its **size** is bounded (:data:`LIMITS`), and the error says which limit was hit;
- an Office package (.xlsx, .docx) has its zip directory checked **before** a parser unpacks it
  (:func:`check_package`): declared unpacked sizes, the compression ratio of each part and the
  number of parts are bounded, so a "zip bomb" is refused in milliseconds; an encrypted
  (password-protected) workbook, which is an OLE container and not a zip, is named as such.

Every refusal is an :class:`InputError` naming the file, in Vietnamese with the English term in
brackets.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from parindex.core.errors import InputError, Problem

__all__ = [
    "LIMITS",
    "Limits",
    "check_package",
    "check_regular",
    "check_zip",
    "read_bounded",
    "read_text_bounded",
]

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds on what parindex reads. Far above any real dossier, far below a hang."""

    yaml_bytes: int = 4 * MiB
    """A YAML file (framework, dossier, self-assessment, register, plan …): a register of
    10,000 documents is some 3 MiB; 8 MiB of YAML already takes half a minute to validate."""
    yaml_nodes: int = 1_000_000
    """Values a YAML file may expand to, aliases counted each time they are used."""
    yaml_depth: int = 100
    """Nesting of a YAML document."""
    text_bytes: int = 256 * 1024
    """A plan given as text or read from a .docx: a real year's plan is some 30 KiB; parsing
    takes about 2 ms per task, so this bounds an import to seconds."""
    package_bytes: int = 50 * MiB
    """An .xlsx or .docx file as stored."""
    unpacked_bytes: int = 100 * MiB
    """The sum of the declared unpacked sizes of an .xlsx or .docx package's parts."""
    part_ratio: int = 200
    """Unpacked size / packed size of one part larger than :attr:`ratio_from` bytes."""
    ratio_from: int = 1 * MiB
    parts: int = 10_000
    """Parts (files) inside one package."""
    table_rows: int = 5_000
    """Rows of an annex table (a framework has a few hundred)."""
    sheet_rows: int = 100_000
    """Rows of a register or scoring sheet read back."""
    merged_cells: int = 1_000_000
    """Cells covered by the merged ranges of one workbook: openpyxl makes an object for
    each when it loads a sheet (a range declared over the whole sheet is 17 billion); a real
    form merges a few thousand."""
    register_bytes: int = 32 * MiB
    """The evidence register (``register.yaml``): it is read and validated document by
    document, so memory follows its documents, not its text (50,000 fully filled documents
    are some 20 MiB of YAML and 90 MiB of memory); its limit on values after alias expansion
    grows with it (:meth:`for_register`)."""
    register_documents: int = 100_000
    """Documents in a register (as many as the rows of a register sheet)."""

    def for_register(self) -> Limits:
        """The limits a register's YAML is read with: :attr:`register_bytes`, and as many
        values per byte as any YAML file may have (8,000,000 for 32 MiB)."""
        return replace(self, yaml_bytes=self.register_bytes,
                       yaml_nodes=self.yaml_nodes * self.register_bytes // self.yaml_bytes)


LIMITS = Limits()


def _mib(n: int) -> str:
    if n < MiB:
        return f"{n / 1024:.0f} KiB"
    return f"{n / MiB:.1f}".replace(".", ",") + " MiB"


def _fail(path: Path, message: str, title: str) -> InputError:
    return InputError([Problem(message, path)], title)


def _regular(path: Path, st: os.stat_result, limit: int, title: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise _fail(path, "là một thư mục, không phải tệp (is a folder)", title)
    if not stat.S_ISREG(st.st_mode):
        raise _fail(path, "không phải tệp thông thường (not a regular file: FIFO, thiết bị …); "
                          "chỉ đọc tệp thông thường", title)
    if st.st_size > limit:
        raise _fail(path, f"tệp quá lớn (file too large): {_mib(st.st_size)}, giới hạn "
                          f"{_mib(limit)}", title)


def _open_error(path: Path, exc: OSError, title: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return _fail(path, "không tìm thấy tệp (file not found)", title)
    if isinstance(exc, PermissionError):
        return _fail(path, "không có quyền đọc tệp (permission denied)", title)
    return _fail(path, f"không đọc được tệp (cannot read): {exc.strerror or exc}", title)


def check_regular(path: Path | str, limit: int, title: str = "cannot read file") -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file of at most ``limit`` bytes.

    For files a library opens itself (openpyxl, python-docx): call this first."""
    file = Path(path)
    try:
        st = os.stat(file)
    except OSError as exc:
        raise _open_error(file, exc, title) from None
    _regular(file, st, limit, title)


def read_bounded(path: Path | str, limit: int, title: str = "cannot read file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; else :class:`InputError`.

    The file is opened without blocking (a FIFO is refused, not waited on) and checked on the
    open descriptor; at most ``limit + 1`` bytes are read, so a file growing meanwhile is
    refused too."""
    file = Path(path)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _open_error(file, exc, title) from None
    try:
        _regular(file, os.fstat(fd), limit, title)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _open_error(file, exc, title) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _fail(file, f"tệp quá lớn (file too large): hơn {_mib(limit)}", title)
    return data


def read_text_bounded(path: Path | str, limit: int, title: str = "cannot read file",
                      encoding: str = "utf-8") -> str:
    """:func:`read_bounded`, decoded; text that is not UTF-8 is an :class:`InputError`."""
    return decode_text(read_bounded(path, limit, title), path, title, encoding)


def decode_text(data: bytes, path: Path | str, title: str = "cannot read file",
                encoding: str = "utf-8") -> str:
    """The bytes :func:`read_bounded` gave for ``path``, decoded as
    :func:`read_text_bounded` does."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _fail(Path(path), f"không phải văn bản UTF-8 (not UTF-8 text, byte {exc.start})",
                    title) from None


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


_ROW_TAGS = {"xlsx": (r"xl/worksheets/[^/]*\.xml", (b"<row ", b"<row>", b"<row/")),
             "docx": (r"word/document\.xml", (b"<w:tr ", b"<w:tr>", b"<w:tr/"))}


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]{0,200}?\bref\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?"
                    rb"(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?[\"']")
_TAG_MAX = 512
"""More than any one ``<mergeCell …>`` tag: the stream is scanned in chunks overlapping by it."""


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _count_parts(package: zipfile.ZipFile, kind: str) -> tuple[tuple[str, int],
                                                                   tuple[str, int]]:
    """The part with the most rows (sheet rows, Word table rows) and the worksheet whose
    merged ranges cover the most cells, each with its count: one pass over each unpacked
    stream (sizes were checked first), without parsing the XML."""
    pattern, tags = _ROW_TAGS[kind]
    keep = max(len(t) for t in tags) - 1
    most_rows, most_merged = ("", 0), ("", 0)
    for info in package.infolist():
        if not re.fullmatch(pattern, info.filename):
            continue
        rows = merged = 0
        tail = buf = b""
        with package.open(info) as part:
            while True:
                chunk = part.read(MiB)
                data = tail + chunk
                rows += sum(data.count(t) for t in tags)
                tail = data[-keep:]
                if kind == "xlsx":
                    buf += chunk
                    limit = len(buf) if not chunk else max(len(buf) - _TAG_MAX, 0)
                    done = 0
                    for m in _MERGE.finditer(buf):
                        if m.start() >= limit:
                            break
                        r0, c0 = int(m[2]), _column(m[1])
                        r1, c1 = (int(m[4]), _column(m[3])) if m[3] else (r0, c0)
                        merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
                        done = m.end()
                    buf = buf[max(done, limit):]
                if not chunk:
                    break
        if rows > most_rows[1]:
            most_rows = (info.filename, rows)
        if merged > most_merged[1]:
            most_merged = (info.filename, merged)
    return most_rows, most_merged


def _merged_cells(package: zipfile.ZipFile) -> tuple[str, int]:
    """The worksheet whose merged ranges cover the most cells, and how many."""
    return _count_parts(package, "xlsx")[1]


def check_zip(package: zipfile.ZipFile, file: Path, title: str = "cannot read file",
              limits: Limits = LIMITS) -> list[zipfile.ZipInfo]:
    """Check an open zip's directory (parts, declared sizes, ratios); :class:`InputError` if
    it would unpack past :data:`LIMITS`. For readers that stream one part themselves."""
    infos = package.infolist()
    if len(infos) > limits.parts:
        raise _fail(file, f"gói có {len(infos)} phần, giới hạn {limits.parts} (too many parts)",
                    title)
    total = 0
    for info in infos:
        total += info.file_size
        if (info.file_size > limits.ratio_from
                and info.file_size > limits.part_ratio * max(info.compress_size, 1)):
            raise _fail(file, f"phần {info.filename!r} nén tỉ lệ bất thường (compression ratio "
                              f"over {limits.part_ratio}: {_mib(info.file_size)} từ "
                              f"{info.compress_size} byte): có thể là zip bomb", title)
    if total > limits.unpacked_bytes:
        raise _fail(file, f"giải nén ra {_mib(total)}, giới hạn {_mib(limits.unpacked_bytes)} "
                          "(unpacked size too large)", title)
    return infos


def check_package(path: Path | str, title: str = "cannot read file",
                  limits: Limits = LIMITS, *, max_rows: int | None = None) -> io.BytesIO:
    """Check an .xlsx/.docx package before a parser unpacks it; :class:`InputError` if unsafe.

    A regular file of bounded size; a zip whose parts declare bounded sizes (in total, and in
    ratio to their packed size); an encrypted workbook is reported as password-protected and
    an old binary one (.xls/.doc) as such, instead of "File is not a zip file".

    With ``max_rows``, a worksheet (an .xlsx) or the Word tables (a .docx) with more rows are
    refused too, before any XML is parsed.

    Returns the file's bytes as checked: parse those (openpyxl and python-docx take a file
    object), not the path again, which may have changed meanwhile."""

    file = Path(path)
    data = read_bounded(file, limits.package_bytes, title)
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise _fail(file, "tệp được bảo vệ bằng mật khẩu (password-protected): mở bằng "
                              "Excel/Word, bỏ mật khẩu rồi lưu lại", title)
        raise _fail(file, "tệp định dạng cũ .xls/.doc (Office 97–2003): mở bằng Excel/Word và "
                          "lưu lại thành .xlsx/.docx", title)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = check_zip(package, file, title, limits)
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        what = ("không phải tệp Word .docx đọc được (not a readable .docx file"
                if file.suffix.lower() == ".docx" else
                "không phải bảng tính Excel đọc được (not an Excel workbook / not an .xlsx "
                "workbook")
        raise _fail(file, f"{what}: {exc})", title) from None
    kind = "docx" if any(i.filename == "word/document.xml" for i in infos) else "xlsx"
    if max_rows is not None or kind == "xlsx":  # (merged cells: worksheets only)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            try:
                (part, rows), (sheet, cells) = _count_parts(package, kind)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a bad CRC, a cut stream
                raise _fail(file, f"gói .xlsx/.docx bị hỏng (damaged package: {exc})",
                            title) from None
        if max_rows is not None and rows > max_rows:
            raise _fail(file, f"{part} có {rows} dòng, giới hạn {max_rows} (too many rows)",
                        title)
        if cells > limits.merged_cells:
            raise _fail(file, f"{sheet} gộp (merge) {cells} ô, giới hạn {limits.merged_cells} "
                              "(too many merged cells)", title)
    return io.BytesIO(data)
