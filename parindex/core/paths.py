"""Paths a dossier names stay inside the dossier: the one confinement every path goes through.

A dossier is received from someone else; a path written in it (``files.register`` in
``dossier.yaml``, a file of the register) must not make parindex read or write outside its
folder: no absolute path, no ``..`` part, no symlink (of the file or of a folder on the way)
that leads out. The register check reports such paths as findings; ``dossier.yaml`` refuses
them with an :class:`InputError` naming the key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from parindex.core.errors import InputError, Problem

__all__ = ["Confinement", "Listings", "confined"]


class Listings:
    """What the entries of folders are, each folder listed once (``os.scandir``), for the
    thousands of files of a register that sit in a few folders: one listing instead of a
    ``stat`` or ``lstat`` per file.

    :meth:`isfile` and :meth:`islink` give the answers of :func:`os.path.isfile` and
    :func:`os.path.islink`; they ask the file system itself where a listing cannot tell: a
    folder that cannot be listed (it may still be searched), a name the folder does not hold
    as spelt (a case-insensitive file system may still find it), ``.`` or ``..``."""

    def __init__(self) -> None:
        self.folders: dict[str, _Listing | None] = {}
        self.joined: dict[tuple[str, str], str] = {}

    def _listing(self, folder: str) -> _Listing | None:
        if folder in self.folders:
            return self.folders[folder]
        listing: _Listing | None
        try:
            names, files, links = set(), set(), set()
            with os.scandir(folder or ".") as entries:
                for entry in entries:
                    names.add(entry.name)
                    if entry.is_symlink():
                        links.add(entry.name)
                    try:
                        if entry.is_file():  # follows a symlink, as os.path.isfile does
                            files.add(entry.name)
                    except OSError:
                        pass
            listing = _Listing(frozenset(names), frozenset(files), frozenset(links), False)
        except (FileNotFoundError, NotADirectoryError):  # nothing can be inside
            listing = _Listing(frozenset(), frozenset(), frozenset(), True)
        except OSError:
            listing = None
        self.folders[folder] = listing
        return listing

    def _known(self, folder: str, name: str) -> _Listing | None:
        if not name or name in (".", ".."):
            return None
        listing = self._listing(folder)
        if listing is None or (name not in listing.names and not listing.absent):
            return None
        return listing

    def isfile(self, path: str) -> bool:
        """``os.path.isfile(path)``, from the listing of its folder where it can."""
        folder, name = os.path.split(path)
        return self.isfile_at(folder, name, path)

    def islink(self, path: str) -> bool:
        """``os.path.islink(path)``, from the listing of its folder where it can."""
        folder, name = os.path.split(path)
        return self.islink_at(folder, name, path)

    def isfile_at(self, folder: str, name: str, path: str) -> bool:
        """:meth:`isfile` of ``path``, which is ``name`` in ``folder`` (as split by the
        caller: ``name`` holds no separator)."""
        listing = self._known(folder, name)
        if listing is None:
            return os.path.isfile(path)
        return name in listing.files

    def islink_at(self, folder: str, name: str, path: str) -> bool:
        """:meth:`islink` of ``path``, which is ``name`` in ``folder``."""
        listing = self._known(folder, name)
        if listing is None:
            return os.path.islink(path)
        return name in listing.links

    def isfile_under(self, base: str, rel: str) -> bool:
        """``os.path.isfile(os.path.join(base, rel))`` for a path ``rel`` with ``/``
        separators, without joining and splitting paths where ``rel`` is plain (not
        absolute, no ``\\`` or ``:``)."""
        if rel.startswith("/") or "\\" in rel or ":" in rel:
            return self.isfile(os.path.join(base, rel))
        head, _, name = rel.rpartition("/")
        folder = self.joined.get((base, head))
        if folder is None:
            folder = self.joined[(base, head)] = os.path.join(base, head) if head else base
        return self.isfile_at(folder, name, folder + "/" + name)


class _Listing(NamedTuple):
    names: frozenset[str]
    files: frozenset[str]
    links: frozenset[str]
    absent: bool
    """The folder does not exist (or is not a folder): nothing is inside."""


class Confinement:
    """Tells whether a relative path stays inside the folder ``root``.

    Each folder is resolved once; a file is resolved only when it is itself a symlink, so
    checking thousands of paths of one dossier costs a few ``realpath`` calls."""

    def __init__(self, root: Path | str) -> None:
        self.root = os.path.realpath(root)
        self.base = str(root)
        self.folders: dict[str, bool] = {}
        self.heads: dict[str, str] = {}
        self.listings = Listings()
        self.regular: set[str] = set()
        """Relative paths just seen, by a walk of the dossier that follows no symlink, to be
        regular files inside it: no path check is needed for them (see
        :func:`parindex.evidence.folder.walk_files`)."""

    def within(self, real: str) -> bool:
        """Is the resolved path ``real`` the root or under it?"""
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)

    def why_outside(self, rel: str) -> str | None:
        """Why ``rel`` leaves the folder (in Vietnamese), or None when it stays inside."""
        if rel in self.regular:
            return None
        if rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":") or \
                os.path.isabs(rel):
            return "đường dẫn tuyệt đối"
        if ".." in rel and ".." in rel.replace("\\", "/").split("/"):  # as PurePosixPath
            return "đường dẫn có '../'"
        if "\x00" in rel:
            return "đường dẫn có ký tự NUL"
        if os.sep == "/" and "\\" not in rel:
            # the folder of every path under one folder of the dossier, found once: what
            # os.path.split(os.path.join(base, rel)) gives, without its per-path work
            head, _, name = rel.rpartition("/")
            folder = self.heads.get(head)
            if folder is None:
                folder = self.heads[head] = os.path.split(os.path.join(self.base, rel))[0]
            full = folder + "/" + name
        else:
            full = os.path.join(self.base, rel)
            folder, name = os.path.split(full)
        inside = self.folders.get(folder)
        if inside is None:
            inside = self.folders[folder] = self.within(os.path.realpath(folder))
        if inside and self.listings.islink_at(folder, name, full):
            inside = self.within(os.path.realpath(full))
        return None if inside else "liên kết tắt (symlink) trỏ ra ngoài hồ sơ"

    __call__ = why_outside


def confined(root: Path, rel: str, *, file: Path | None = None, key: str = "",
             line: int | None = None) -> Path:
    """``root / rel`` when ``rel`` stays inside ``root``; else an :class:`InputError` naming
    ``file`` (the file that wrote the path), its line and ``key``."""
    why = Confinement(root).why_outside(rel)
    if why is not None:
        raise InputError([Problem(f"{rel!r} nằm ngoài thư mục hồ sơ ({why}); chỉ được dùng "
                                  "đường dẫn bên trong hồ sơ (path outside the dossier)",
                                  file, line, key)], "path outside the dossier")
    return root / rel
