"""The last check's report, kept for a dossier that has not changed since (the warm re-check).

A re-check of an unchanged dossier reads no document (the file facts are cached: see
:mod:`parindex.evidence.cache`), but it still loads the framework, the plan and the register,
scores and compares everything again: about a quarter of a second for 2,000 documents, most
of it importing and building what the check needs. When nothing the check looks at has
changed, its report is the same, so it is kept, and :func:`lookup` gives it back without
importing any of that.

Why a kept report can be believed, and when it is not used:

* It is keyed, like the file facts, by what a user cannot set cheaply: size, modification
  time, change time and inode of every input — the dossier's own files (``dossier.yaml``, the
  self-assessment, the survey, the plan, the register, a framework file kept in the dossier),
  every file the register names, every entry of the documents folder (a file added, removed
  or renamed there changes the listing), the shipped frameworks' folder when the framework is
  named by id — plus parindex's own files (another version, or an edited module, is a miss),
  the day of the check (``--as-of``, default today) and whether OCR was asked for. A report
  that counted scans not read for want of Tesseract is not used once Tesseract is installed.
* The inputs are looked at before the check reads anything (:func:`snapshot`) and again
  after it; the report is kept only when both agree (a file edited while it was checked is
  checked again next time) and only when every file's facts were settled in the facts cache
  (a reader stopped for time or memory is tried again next time, as without this cache).
* Nothing is kept when an input is a symbolic link or sits below one, when the framework is a
  file outside both the dossier and the shipped frameworks' folder, or when the dossier has
  more than :data:`MAX_ENTRIES` entries: those dossiers are checked as before.
* It stands only beside the file facts the check left (the ``Ký số`` column of the
  workbook is read from them): facts removed or rewritten since are a miss.
* The entry is JSON, never pickle, validated field by field when read: anything unexpected is
  a miss, never a crash. It lives in the dossier's per-user cache folder, outside the dossier
  (``--no-cache`` neither reads nor writes it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.findings import CATALOGUE, Finding, Report
from parindex.core.modelcache import parindex_version
from parindex.evidence.cache import FACTS_FILE, cache_folder, write_atomic

if TYPE_CHECKING:
    from parindex.scoring.dossier import Dossier

__all__ = ["ENTRY", "MAX_ENTRIES", "Inputs", "Kept", "Snapshot", "inputs_for", "lookup", "snapshot",
           "store"]

ENTRY = "report.json"
"""The file, in the dossier's cache folder, holding the last check's report."""
VERSION = "report-1"
MAX_ENTRIES = 200_000
"""A dossier folder (or the shipped frameworks' folder) with more entries than this is not
walked: its report is not kept."""
MAX_DEPTH = 64
MAX_ENTRY_BYTES = 256 * 1024 * 1024
"""A kept report larger than this is not read (a miss)."""
MANIFEST = "dossier.yaml"

_Key = tuple[str, int, int, int, int]
"""(kind, size, mtime_ns, ctime_ns, inode): kind ``f`` file, ``d`` folder, ``l`` symbolic link,
``o`` anything else."""
_ABSENT: _Key = ("-", 0, 0, 0, 0)
_UNREADABLE: _Key = ("?", 0, 0, 0, 0)
_Listing = dict[str, _Key]
_SEVERITIES = frozenset({"error", "warning", "info"})
_TEXT = ("code", "severity", "message", "hint")
_WHERE = ("item", "task", "document", "file")


def _key(st: os.stat_result) -> _Key:
    mode = st.st_mode
    kind = "f" if _is(mode, 0o100000) else "d" if _is(mode, 0o040000) else \
        "l" if _is(mode, 0o120000) else "o"
    return (kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _is(mode: int, fmt: int) -> bool:
    return (mode & 0o170000) == fmt


def _walk(top: str, prefix: str, out: _Listing) -> bool:
    """Every entry below the folder ``top`` into ``out`` as ``prefix/…`` (symbolic links not
    followed). False when the walk had to stop: too many entries, too deep, unreadable."""
    stack = [(top, prefix, 0)]
    while stack:
        folder, rel, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            return False
        for entry in entries:
            name = f"{rel}/{entry.name}" if rel else entry.name
            try:
                key = _key(entry.stat(follow_symlinks=False))
            except OSError:
                return False
            out[name] = key
            if key[0] == "d":
                stack.append((entry.path, name, depth + 1))
        if len(out) > MAX_ENTRIES:
            return False
    return True


def _lstat(path: str) -> _Key | None:
    """The key of ``path`` (``_ABSENT`` if there is nothing), None if it cannot be looked at."""
    try:
        return _key(os.lstat(path))
    except (FileNotFoundError, NotADirectoryError):
        return _ABSENT
    except OSError:
        return None


@dataclass(frozen=True)
class Inputs:
    """What a check of one dossier looked at, named relative to its folder."""

    files: tuple[str, ...]
    """Files (and folders) whose key counts: the dossier's own files, the files the register
    names, the documents folder itself."""
    trees: tuple[str, ...]
    """Folders whose whole listing counts (the documents folder)."""
    criteria: bool
    """Whether the shipped frameworks' folder counts (a framework named by id)."""
    cwd_absent: tuple[str, ...] = ()
    """Names that must not exist relative to the working folder (a framework id that
    :func:`~parindex.framework.catalog.load_framework` would read as a path if they did)."""

    def as_json(self) -> dict[str, Any]:
        return {"files": list(self.files), "trees": list(self.trees),
                "criteria": self.criteria, "cwd_absent": list(self.cwd_absent)}


def _signature(root: str, inputs: Inputs, listing: _Listing | None, criteria: _Listing | None
               ) -> str | None:
    """The digest of every key ``inputs`` names: read from ``listing`` (a :func:`snapshot`)
    when given, else from the folder now. None when an input cannot stand for a kept report
    (a symbolic link, below one, unreadable, too many entries)."""
    if listing is None:
        seen: _Listing = {}  # the folders' listings first: one stat an entry
        for tree in inputs.trees:
            top = _lstat(os.path.join(root, tree))
            if top is None:
                return None
            seen[tree] = top
            if top[0] == "d" and not _walk(os.path.join(root, tree), tree, seen):
                return None

        def get(rel: str) -> _Key | None:
            key = seen.get(rel)
            if key is None:
                key = seen[rel] = _lstat(os.path.join(root, rel)) or _UNREADABLE
            return None if key is _UNREADABLE else key
        entries = seen
    else:
        def get(rel: str) -> _Key | None:
            return listing.get(rel, _ABSENT)
        entries = listing
    keys: dict[str, _Key] = {}
    for rel in (*inputs.files, *inputs.trees):
        parts = rel.split("/")
        for i in range(1, len(parts)):  # every folder on the way must be a real folder
            above = get("/".join(parts[:i]))
            if above is None or above[0] not in ("d", "-"):
                return None
        key = get(rel)
        if key is None or key[0] == "l":
            return None
        keys[rel] = key
    for tree in inputs.trees:
        start = tree + "/"
        found = {r: k for r, k in entries.items() if r.startswith(start)}
        if any(k[0] == "l" for k in found.values()):
            return None
        keys.update(found)
    if inputs.criteria:
        shipped = criteria if criteria is not None else _criteria_listing()
        if shipped is None:
            return None
        keys.update({f"<criteria>/{r}": k for r, k in shipped.items()})
    for name in inputs.cwd_absent:
        if os.path.lexists(name):
            return None
    text = json.dumps(sorted(keys.items()), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _criteria_listing() -> _Listing | None:
    folder = _shipped_dir()
    out: _Listing = {".": _lstat(str(folder)) or _ABSENT}
    if out["."][0] == "d" and not _walk(str(folder), "", out):
        return None
    return out


_CODE: list[str] = []


def code_fingerprint() -> str:
    """parindex's version and the size and modification time of each of its files (an
    edited or reinstalled parindex is another code: its reports are not reused)."""
    if _CODE:
        return _CODE[0]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # parindex/
    listing: _Listing = {}
    _walk(package, "", listing)
    parts = sorted((r, k[1], k[2]) for r, k in listing.items()
                   if "__pycache__" not in r and k[0] == "f")
    text = json.dumps([parindex_version(), parts], separators=(",", ":"))
    _CODE.append(hashlib.sha256(text.encode()).hexdigest())
    return _CODE[0]


def _root(folder: Path | str) -> Path:
    root = Path(folder)
    if root.name == MANIFEST and root.is_file():
        root = root.parent
    return root


def _header(as_of: dt.date, ocr: bool) -> dict[str, Any]:
    return {"version": VERSION, "code": code_fingerprint(), "as_of": as_of.isoformat(),
            "ocr": ocr}


# -- before the check: the inputs as they were ---------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Every entry of the dossier folder (and the shipped frameworks' folder) before a check."""

    root: Path
    listing: _Listing
    criteria: _Listing | None


def snapshot(folder: Path | str) -> Snapshot | None:
    """The dossier's entries as they are before a check reads them (None when they cannot
    stand for a kept report: see the module's docstring)."""
    root = _root(folder)
    listing: _Listing = {}
    if not _walk(str(root), "", listing):
        return None
    return Snapshot(root, listing, _criteria_listing())


# -- after the check: keep the report --------------------------------------------------------------

def store(snap: Snapshot, inputs: Inputs, report: Report, *, ocr: bool, ocr_pending: bool
          ) -> bool:
    """Keep ``report`` for the dossier of ``snap`` when its inputs are now what they were
    before the check (see the module's docstring). Whether it was kept; an unwritable cache
    folder is no error (the next check is simply not quicker)."""
    root = str(snap.root)
    before = _signature(root, inputs, snap.listing, snap.criteria)
    if before is None or before != _signature(root, inputs, None, None):
        return False
    try:
        as_of = dt.date.fromisoformat(str(report.stats.get("as_of")))
    except ValueError:
        return False
    head = {**_header(as_of, ocr), "inputs": inputs.as_json(), "digest": before,
            "ocr_pending": ocr_pending, "facts": _facts_key(snap.root)}
    titles = {f.code: CATALOGUE[f.code].title for f in report.findings if f.code in CATALOGUE}
    body = {"subject": report.subject, "verdicts": list(report.verdicts),
            "stats": report.stats, "titles": titles,
            "findings": [[getattr(f, c) for c in (*_TEXT, *_WHERE, "line")]
                         for f in report.findings]}
    data = (json.dumps(head, ensure_ascii=False, separators=(",", ":")) + "\n"
            + json.dumps(body, ensure_ascii=False, separators=(",", ":"))).encode()
    try:
        write_atomic(cache_folder(snap.root), ENTRY, data)
    except (OSError, TypeError, ValueError):
        return False
    return True


# -- the next check: give it back ------------------------------------------------------------------

@dataclass(frozen=True)
class Kept:
    """A kept report, with the titles of its findings' kinds (code → title: the catalogue
    is filled by the modules of the check, which a warm re-check does not import)."""

    report: Report
    titles: dict[str, str]


def lookup(folder: Path | str, *, as_of: dt.date | None = None, ocr: bool = True
           ) -> Kept | None:
    """The kept report of the dossier at ``folder`` for this day of check and OCR setting,
    if nothing it was made from has changed since; None otherwise (the check is then run)."""
    root = _root(folder)
    path = cache_folder(root) / ENTRY
    try:
        with open(path, "rb") as fh:
            first = fh.readline(1 << 20)
            head = json.loads(first)
            if not isinstance(head, dict):
                return None
            want = _header(as_of or dt.date.today(), ocr)
            if any(head.get(k) != v for k, v in want.items()):
                return None
            inputs = _inputs_of(head.get("inputs"))
            if inputs is None or not isinstance(head.get("digest"), str) or \
                    type(head.get("ocr_pending")) is not bool:
                return None
            if head.get("facts") != _facts_key(root):
                return None  # the file facts changed or went (the Ký số column reads them)
            if _signature(str(root), inputs, None, None) != head["digest"]:
                return None
            if head["ocr_pending"] and ocr:
                from parindex.evidence.ocr import tesseract_available

                if tesseract_available():
                    return None
            rest = fh.read(MAX_ENTRY_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(rest) > MAX_ENTRY_BYTES:
        return None
    try:
        return _report_of(json.loads(rest))
    except ValueError:
        return None


def _facts_key(root: Path) -> list[Any]:
    """The key of the file facts' cache as the check left it: a kept report stands only
    beside those facts (what ``export`` shows in the Ký số column is read from them)."""
    return list(_lstat(str(cache_folder(root) / FACTS_FILE)) or ("?",))


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(type(v) is str for v in value):
        return None
    return tuple(value)


def _inputs_of(data: Any) -> Inputs | None:
    if not isinstance(data, dict) or set(data) != {"files", "trees", "criteria", "cwd_absent"}:
        return None
    files, trees, absent = (_strings(data[k]) for k in ("files", "trees", "cwd_absent"))
    if files is None or trees is None or absent is None or type(data["criteria"]) is not bool:
        return None
    if any(not _relative(r) for r in (*files, *trees)):
        return None
    return Inputs(files, trees, data["criteria"], absent)


def _relative(rel: str) -> bool:
    """A plain path below the dossier folder (an entry naming anything else is not used)."""
    parts = rel.split("/")
    return bool(rel) and not os.path.isabs(rel) and "\\" not in rel and \
        all(p not in ("", ".", "..") for p in parts)


def _report_of(data: Any) -> Kept | None:
    if not isinstance(data, dict) or \
            set(data) != {"subject", "verdicts", "stats", "titles", "findings"}:
        return None
    subject, verdicts, stats, titles, rows = (
        data[k] for k in ("subject", "verdicts", "stats", "titles", "findings"))
    if not isinstance(titles, dict) or \
            not all(type(k) is str and type(v) is str for k, v in titles.items()):
        return None
    pair = _strings(verdicts)
    if type(subject) is not str or pair is None or len(pair) != 2 or \
            not isinstance(stats, dict) or not isinstance(rows, list):
        return None
    if not all(type(v) in (str, int, float, bool) or v is None for v in stats.values()):
        return None
    findings = []
    for row in rows:
        finding = _finding_of(row)
        if finding is None:
            return None
        findings.append(finding)
    return Kept(Report(subject, tuple(findings), stats, (pair[0], pair[1])), titles)


def _finding_of(row: Any) -> Finding | None:
    if not isinstance(row, list) or len(row) != 9:
        return None
    code, severity, message, hint, item, task, document, file, line = row
    if not all(type(v) is str for v in (code, severity, message, hint)) or \
            severity not in _SEVERITIES:
        return None
    if not all(v is None or type(v) is str for v in (item, task, document, file)):
        return None
    if not (line is None or type(line) is int):
        return None
    return Finding(code=code, severity=severity, message=message, hint=hint, item=item,
                   task=task, document=document, file=file, line=line)


def input_files(own: Iterable[str], registered: Iterable[str], documents: str) -> tuple[str, ...]:
    """The ``files`` of :class:`Inputs`: names normalised, each once, in order."""
    out: dict[str, None] = {}
    for rel in (*own, *registered, documents):
        norm = os.path.normpath(rel).replace(os.sep, "/")
        out[norm] = None
    return tuple(out)


def inputs_for(dossier: Dossier, registered: Iterable[str]) -> Inputs | None:
    """What a check of ``dossier`` reads, given the files of the register it looked at; None
    when that cannot be kept track of (a framework file outside the dossier and the shipped
    frameworks' folder, or read from the working folder)."""
    manifest = dossier.manifest
    f = manifest.files
    own = [MANIFEST, f.self_assessment, f.survey, f.plan, f.register_]
    ref = manifest.framework
    local = dossier.root / ref
    criteria = False
    absent: tuple[str, ...] = ()
    if local.suffix in {".yaml", ".yml"}:  # as load_dossier reads it
        rel = os.path.normpath(ref).replace(os.sep, "/")
        if _relative(rel):
            own.append(rel)
        elif _below(local, _shipped_dir()):
            criteria = True
        else:
            return None
    elif Path(ref).suffix.lower() in {".yaml", ".yml"} or os.path.lexists(ref):
        return None  # a path relative to the working folder (see load_framework)
    else:
        criteria, absent = True, (ref,)
    docs = os.path.normpath(f.documents).replace(os.sep, "/")
    files = input_files(own, registered, docs)
    if not all(_relative(r) for r in files):
        return None
    return Inputs(files, (docs,), criteria, absent)


def _shipped_dir() -> Path:
    from parindex.framework.location import criteria_dir

    return criteria_dir()


def _below(path: Path, folder: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real.startswith(top.rstrip(os.sep) + os.sep)
