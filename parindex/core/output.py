"""Writing output files: the one safe way every command writes what a user asked for.

:func:`write_output` checks the target before any work is wasted on it and writes through a
temporary file in the same folder, so that:

- a missing or read-only folder, or ``-o`` naming a folder, is a clear :class:`OutputError`
  (exit 2), not a traceback;
- an existing file is kept unless ``force`` (:class:`OutputExistsError`, exit 2); even with
  ``force`` the file is replaced in one step (never half-written);
- an output that is one of the command's own inputs (``criteria import x.xlsx -o x.xlsx``) or a
  file of the dossier that must not be replaced (``register export D D/register.yaml``) is
  refused, ``force`` or not;
- the temporary file is always removed, whatever fails.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from parindex.core.errors import ParindexError

__all__ = ["OutputError", "OutputExistsError", "check_output", "write_output",
           "write_text_output"]


class OutputError(ParindexError):
    """The output file cannot be written where it was asked for (a usage error: exit 2)."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"Không ghi được {path}: {message}")


class OutputExistsError(OutputError):
    """The output file exists and ``force`` was not given (the file is left untouched)."""

    def __init__(self, path: Path, hint: str | None = None) -> None:
        self.path = path
        ParindexError.__init__(self, f"Tệp {path} đã tồn tại; không ghi đè. "
                               + (hint or "Dùng --force để ghi đè, hoặc chọn tên tệp khác."))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def check_output(path: Path | str, *, force: bool = False,
                 inputs: Iterable[Path | str] = (), parents: bool = False) -> Path:
    """Raise :class:`OutputError` unless ``path`` can be written; see the module docstring.

    ``inputs`` are files the output must never replace (the command's inputs, the dossier's
    own files). With ``parents``, missing folders on the way may be created (by
    :func:`write_output`): the nearest existing one must then be a writable folder. Call it
    before the work, so that a wrong ``-o`` fails at once; it creates nothing."""
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    for source in inputs:
        if _same(out, Path(source)):
            raise OutputError(out, "đây là tệp đầu vào của lệnh (the output is one of the "
                                   "inputs); chọn tên tệp khác")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(out, "đây là một thư mục, hãy ghi tên tệp (the output names a "
                                   "folder)")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(out, "không phải tệp thông thường (not a regular file)")
        if not force:
            raise OutputExistsError(out)
    if parents:
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    if not parent.is_dir():
        what = "không phải thư mục (not a folder)" if parent.exists() else \
            "không tồn tại (no such folder)"
        raise OutputError(out, f"thư mục {parent} {what}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(out, f"không có quyền ghi vào thư mục {parent} (read-only folder)")
    return out


def write_output(path: Path | str, write: Callable[[Path], object], *, force: bool = False,
                 inputs: Iterable[Path | str] = (), parents: bool = False) -> Path:
    """Check ``path`` (:func:`check_output`), then ``write(tmp)`` and move ``tmp`` into place.

    Without ``force``, a file that appears at ``path`` meanwhile is not overwritten either
    (the temporary file is hard-linked into place, which fails if the name exists)."""
    out = check_output(path, force=force, inputs=inputs, parents=parents)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if parents:
            out.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        if force:
            os.replace(tmp, out)
        else:
            try:
                os.link(tmp, out)  # fails if ``out`` appeared meanwhile: never overwrite
            except FileExistsError:
                raise OutputExistsError(out) from None
            except OSError:  # file systems without hard links
                if out.exists():
                    raise OutputExistsError(out) from None
                os.replace(tmp, out)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
    return out


def write_text_output(path: Path | str, text: str, *, force: bool = False,
                      inputs: Iterable[Path | str] = (), parents: bool = False) -> Path:
    """:func:`write_output` for UTF-8 text."""
    return write_output(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force,
                        inputs=inputs, parents=parents)
