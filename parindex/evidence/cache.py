"""Where parindex keeps what it already read, and why a cached entry can be believed.

A dossier is a folder people pass around, so nothing a dossier carries is trusted as a
verdict about itself. The cache therefore lives outside every dossier, in a per-user folder
(``$PARINDEX_CACHE_DIR``, else ``$XDG_CACHE_HOME/parindex``, else ``~/.cache/parindex``; on
Windows ``%LOCALAPPDATA%\\parindex``), one sub-folder per dossier named after the hash of the
dossier's resolved path. A copied or received dossier starts with no cache; a
``.parindex-cache/`` folder inside a dossier (where older versions kept it) is never read.

* File facts are keyed by what a user cannot set cheaply: size, modification time, change
  time (``ctime``, which ``touch -d`` and every write move to *now*) and inode (a file
  replaced by another gets a new one). Any difference is a miss: the file is read again.
* Every entry is validated on load, field by field against :class:`FileFacts`; a malformed
  entry is a miss, never a crash.
* The register's parse is keyed by the SHA-256 of ``register.yaml``'s bytes: it can only
  stand for exactly the text it was parsed from (see
  :func:`parindex.evidence.register.register_of`). What the workbook shows of the register
  (:func:`parindex.workbook.view.register_entries`) is cached beside it under the same key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import tempfile
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from parindex.core.modelcache import CACHE_ENV, cache_home

__all__ = ["CACHE_ENV", "FACTS_FILE", "FactsCache", "cache_folder", "file_key", "write_atomic"]

CACHE_VERSION = 5

FACTS_FILE = "files.json"
"""The file facts' cache file, in the dossier's cache folder."""

FileKey = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file."""


def cache_folder(root: Path) -> Path:
    """The cache folder of the dossier at ``root``: keyed by its resolved path."""
    real = os.path.realpath(root)
    name = hashlib.sha256(os.fsencode(real)).hexdigest()[:32]
    return cache_home() / "dossiers" / name


def file_key(st: os.stat_result) -> FileKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def write_atomic(folder: Path, name: str, data: bytes | object) -> None:
    """Write ``folder/name`` through a unique temporary file (two checks may run at once):
    bytes as they are, anything else as JSON streamed to the file. The folder is made
    private to the user. ``OSError`` propagates."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                text = io.TextIOWrapper(fh, encoding="utf-8")
                json.dump(data, text, ensure_ascii=False, separators=(",", ":"))
                text.flush()
                text.detach()
        os.replace(tmp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- validating an entry against the dataclass it stands for ----------------------------------

Check = Callable[[Any], bool]


_PLAIN: dict[Any, frozenset[type]] = {
    type(None): frozenset({type(None)}), None: frozenset({type(None)}),
    bool: frozenset({bool}), int: frozenset({int}), float: frozenset({int, float}),
    str: frozenset({str}),
}
"""The exact JSON types that stand for each plain type (``True`` is not an int here)."""


def _parts(tp: Any) -> tuple[frozenset[type], frozenset[str]] | None:
    """``tp`` as (exact types accepted, text literals accepted), if it is made of plain
    types and text literals only (unions of them included)."""
    origin = typing.get_origin(tp)
    if tp in _PLAIN:
        return _PLAIN[tp], frozenset()
    if origin is typing.Literal:
        values = typing.get_args(tp)
        if all(type(v) is str for v in values):
            return frozenset(), frozenset(values)
        return None
    if origin in (typing.Union, types.UnionType):
        kinds: set[type] = set()
        texts: set[str] = set()
        for arg in typing.get_args(tp):
            got = _parts(arg)
            if got is None:
                return None
            kinds |= got[0]
            texts |= got[1]
        return frozenset(kinds), frozenset(texts)
    return None


def _checker(tp: Any) -> Check:
    """A test that a JSON value is of type ``tp`` (int, str, float, bool, None, Literal,
    unions of them, tuple[X, ...]); anything else is never accepted. (Each test is one
    set look-up where it can be: the cache of tens of thousands of files is validated on
    every warm check.)"""
    parts = _parts(tp)
    if parts is not None:
        kinds, texts = parts
        if not texts:
            return lambda v: type(v) in kinds
        return lambda v: type(v) in kinds or (type(v) is str and v in texts)
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _parts(args[0])
            if inner is not None and not inner[1]:
                kinds = inner[0]
                return lambda v: type(v) is list and all(type(x) in kinds for x in v)
            check = _checker(args[0])
            return lambda v: type(v) is list and all(check(x) for x in v)
    return lambda v: False


def entry_checks(cls: type, skip: Iterable[str] = ()) -> dict[str, Check]:
    """Field name → type test, for every field of the dataclass ``cls`` except ``skip``."""
    hints = typing.get_type_hints(cls)
    left = set(skip)
    return {f.name: _checker(hints[f.name]) for f in dataclasses.fields(cls)
            if f.name not in left}


# -- the file-facts cache -------------------------------------------------------------------

class FactsCache:
    """Facts of files already read, for one dossier (see the module's docstring).

    ``files.json`` (or ``name``) maps each relative path to one flat JSON list: the four
    numbers of its :data:`FileKey`, then the value of each checked field in order (a list, not
    an object: a third of the memory and of the file for tens of thousands of files).

    A ``lazy`` cache reads its file only when it is first asked or told about a file: facts
    that only some readers need (the headings the register scan drafts from) are kept in a
    file of their own that a check never reads."""

    def __init__(self, root: Path, checks: dict[str, Check], enabled: bool = True, *,
                 name: str = FACTS_FILE, lazy: bool = False) -> None:
        self.folder = cache_folder(root)
        self.name = name
        self.enabled = enabled
        self.checks = checks
        self.names = tuple(checks)
        self.tests = tuple(checks.values())
        self.width = 4 + len(self.tests)
        self._entries: dict[str, list[Any]] | None = None
        self._at: dict[tuple[str, ...], tuple[int, ...]] = {}  # get_some's field positions
        self.dirty = False
        self.fingerprint = f"{CACHE_VERSION}:{','.join(checks)}"
        if not lazy:
            self._load()

    def _load(self) -> dict[str, list[Any]]:
        entries: dict[str, list[Any]] = {}
        if self.enabled:
            try:
                data = json.loads((self.folder / self.name).read_bytes())
                files = data.get("files") if isinstance(data, dict) else None
                if data.get("version") == self.fingerprint and isinstance(files, dict):
                    entries = files
            except (OSError, ValueError, AttributeError):
                entries = {}
        self._entries = entries
        return entries

    @property
    def entries(self) -> dict[str, list[Any]]:
        return self._load() if self._entries is None else self._entries

    @entries.setter
    def entries(self, value: dict[str, list[Any]]) -> None:
        self._entries = value

    def get(self, rel: str, st: os.stat_result) -> dict[str, Any] | None:
        """The cached fields of ``rel`` if its key still matches and every field is sound."""
        entry = self.entries.get(rel)
        if type(entry) is not list or len(entry) != self.width or entry[0] != st.st_size or \
                entry[1] != st.st_mtime_ns or entry[2] != st.st_ctime_ns or \
                entry[3] != st.st_ino:
            return None
        values = entry[4:]
        for ok, value in zip(self.tests, values, strict=True):
            if not ok(value):
                return None
        # JSON has no tuples: a list here passed a ``tuple[X, ...]`` check
        return dict(zip(self.names, [tuple(v) if type(v) is list else v for v in values],
                        strict=True))

    def get_some(self, rel: str, st: os.stat_result, names: tuple[str, ...]
                 ) -> tuple[Any, ...] | None:
        """The cached values of the fields ``names`` of ``rel``, if its key still matches and
        those fields are sound (the others are not looked at: for a reader that needs a few
        of them, at a fraction of :meth:`get`'s cost)."""
        entry = self.entries.get(rel)
        if type(entry) is not list or len(entry) != self.width or entry[0] != st.st_size or \
                entry[1] != st.st_mtime_ns or entry[2] != st.st_ctime_ns or \
                entry[3] != st.st_ino:
            return None
        at = self._at.get(names)
        if at is None:
            at = self._at[names] = tuple(self.names.index(name) for name in names)
        out = []
        for i in at:
            value = entry[4 + i]
            if not self.tests[i](value):
                return None
            out.append(tuple(value) if type(value) is list else value)
        return tuple(out)

    def put(self, rel: str, key: FileKey, fields: dict[str, Any]) -> None:
        self.entries[rel] = [*key, *(fields[name] for name in self.names)]
        self.dirty = True

    def forget(self, keep: Iterable[str]) -> None:
        """Drop files no longer asked about, so that the cache does not grow forever (a lazy
        cache that was not read is pruned the next time it is)."""
        if self._entries is None:
            return
        kept = set(keep)
        for stale in [k for k in self.entries if k not in kept]:
            del self.entries[stale]
            self.dirty = True

    def save(self) -> None:
        """Write the cache (streamed, not built as one string); where it cannot be written,
        there simply is no cache."""
        if not (self.enabled and self.dirty):
            return
        data = {"version": self.fingerprint, "files": self.entries}
        with contextlib.suppress(OSError):
            write_atomic(self.folder, self.name, data)
            self.dirty = False
