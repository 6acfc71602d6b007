"""The files of a dossier's folder: walked without leaving it, and paths made comparable.

:func:`walk_files` lists the files under the documents folder with the reason a symlink
leaves the dossier (it is then never opened); :func:`norm_path` makes a register path
comparable with a walked one (``documents//a.pdf``, ``./documents/a.pdf``, backslashes).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from parindex.core.paths import Confinement

__all__ = ["IGNORED_NAMES", "norm_path", "walk_files"]

IGNORED_NAMES = frozenset({"readme.md", "readme.txt", "thumbs.db", "desktop.ini"})
"""File names in the dossier that are never evidence (plus hidden files and ``~$`` locks)."""


def walk_files(root: Path, folder: Path, inside: Confinement | None = None
               ) -> Iterator[tuple[str, str | None]]:
    """Files under ``folder`` as (path relative to root, reason it leaves the dossier).

    With ``inside`` (the confinement of ``root``), the regular files met (not symlinks, in
    folders reached without following one) are added to ``inside.regular``: they need no
    path check (the check walks the documents folder before it checks the register)."""
    within = Confinement(root).within
    regular = inside.regular if inside is not None else None
    prefix = len(str(root)) + 1
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES:
                continue
            rel = entry.path[prefix:].replace(os.sep, "/")
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not within(target):
                    yield rel, "liên kết tắt (symlink) trỏ ra ngoài hồ sơ"
                    continue
                if os.path.isdir(target):
                    continue  # a link to a folder inside the dossier: its files are seen there
                yield rel, None
            elif entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                if regular is not None:
                    regular.add(rel)
                yield rel, None


def norm_path(rel: str) -> str:
    text = rel.replace("\\", "/")
    parts = text.split("/")
    if "" not in parts and "." not in parts:  # already normal: no empty or "." part
        return text
    return PurePosixPath(text).as_posix()
