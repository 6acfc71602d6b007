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

from parindex.core.errors import InputError, Problem

__all__ = ["Confinement", "confined"]


class Confinement:
    """Tells whether a relative path stays inside the folder ``root``.

    Each folder is resolved once; a file is resolved only when it is itself a symlink, so
    checking thousands of paths of one dossier costs a few ``realpath`` calls."""

    def __init__(self, root: Path | str) -> None:
        self.root = os.path.realpath(root)
        self.base = str(root)
        self.folders: dict[str, bool] = {}
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
        if ".." in rel.replace("\\", "/").split("/"):  # the parts PurePosixPath would give
            return "đường dẫn có '../'"
        if "\x00" in rel:
            return "đường dẫn có ký tự NUL"
        full = os.path.join(self.base, rel)
        folder = os.path.dirname(full)
        inside = self.folders.get(folder)
        if inside is None:
            inside = self.folders[folder] = self.within(os.path.realpath(folder))
        if inside and os.path.islink(full):
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
