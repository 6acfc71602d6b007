"""Finding and loading frameworks: shipped ones by id, or any framework file by path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from parindex.core.errors import InputError, Problem, UnknownFrameworkError
from parindex.core.yamlio import dump_yaml, load_model, load_yaml
from parindex.framework.location import criteria_dir
from parindex.framework.model import Framework

__all__ = ["criteria_dir", "framework_to_yaml", "load_framework", "shipped_frameworks"]

_TEXT_KEYS = (
    "code", "codes", "id", "label", "name", "title", "source", "guidance", "note", "evidence",
    "document_types", "legal_basis", "of",
)


def shipped_frameworks() -> dict[str, Path]:
    """Framework id → file, for every framework shipped in :func:`criteria_dir`.

    Each file is read once while it is unchanged (same size and modification time): every
    dossier loaded by id asks, and reading the shipped files was most of loading one."""
    files = []
    for path in sorted(criteria_dir().glob("*.yaml")):
        try:
            st = path.stat()
        except OSError:
            continue
        files.append((path, st.st_mtime_ns, st.st_size))
    return dict(_shipped(tuple(files)))


@cache
def _shipped(files: tuple[tuple[Path, int, int], ...]) -> tuple[tuple[str, Path], ...]:
    out: dict[str, Path] = {}
    for path, _, _ in files:
        try:
            data, _ = load_yaml(path, text_keys=_TEXT_KEYS)
        except InputError:
            continue
        if isinstance(data, dict) and data.get("kind") == "parindex/framework" and "id" in data:
            out[str(data["id"])] = path
    return tuple(out.items())


def load_framework(ref: str | Path, *, cache: bool = False) -> Framework:
    """Load a framework by shipped id (``qn-so-2021``) or by the path of a YAML file.

    With ``cache``, the validated framework is kept in the per-user cache under the SHA-256
    of the file's bytes and rebuilt from there while they are the same (a warm ``check``
    spends no time parsing and validating it: :mod:`parindex.core.modelcache`).
    Raises :class:`InputError` listing every problem (file, line, key) when the file is
    invalid, and :class:`UnknownFrameworkError` when ``ref`` names nothing.
    """
    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml"} or path.exists():
        if not path.exists():
            raise InputError([Problem("không tìm thấy tệp (file not found)", path)],
                             "cannot read framework")
        return _load_path(path.resolve(), path.stat().st_mtime_ns, cache)
    named = criteria_dir() / f"{ref}.yaml"  # a shipped framework is kept as <id>.yaml
    if not any(c in str(ref) for c in "/\\") and named.is_file():
        try:
            fw = _load_path(named, named.stat().st_mtime_ns, cache)
        except InputError:
            fw = None  # the catalogue below says what is wrong, or names the right file
        if fw is not None and fw.id == str(ref):
            return fw
    shipped = shipped_frameworks()
    if str(ref) in shipped:
        target = shipped[str(ref)]
        return _load_path(target, target.stat().st_mtime_ns, cache)
    known = ", ".join(sorted(shipped)) or "(none)"
    raise UnknownFrameworkError(
        f"no framework {str(ref)!r}: give a shipped id ({known}) or the path of a .yaml file"
    )


@cache
def _load_path(path: Path, mtime_ns: int, cache: bool) -> Framework:
    return load_model(Framework, path, text_keys=_TEXT_KEYS, title="invalid framework file",
                      cache=cache)


def framework_to_yaml(fw: Framework, header: str = "") -> str:
    """The framework as readable YAML that :func:`load_framework` reads back unchanged."""
    data = fw.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    head = {"kind": fw.kind, "schema_version": fw.schema_version}
    return dump_yaml({**head, **data}, header=header)
