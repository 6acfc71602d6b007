"""Reading and writing the YAML files people edit (frameworks, dossiers, plans, registers).

PyYAML silently keeps the last of two equal keys; here a duplicate key is an error. Every value
is mapped back to the line it came from, so that a validation error can say
``criteria/qn.yaml:42 areas[2].criteria[0].max_points: …``. All text is normalised to NFC.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from parindex.core.errors import InputError, Problem
from parindex.core.errortext import error_message
from parindex.core.files import LIMITS, Limits, decode_text, read_bounded, read_text_bounded
from parindex.core.modelcache import load_model_cached
from parindex.core.yamlbuild import Each, LineMap, Location, TooBig, build, format_key

__all__ = [
    "LineMap",
    "Location",
    "dump_yaml",
    "format_key",
    "load_model",
    "load_model_lines",
    "load_yaml",
    "problems_from_validation",
    "write_text_atomic",
]

M = TypeVar("M", bound=BaseModel)


def load_yaml(
    path: Path | str, *, text_keys: Iterable[str] = ("code", "codes", "serves", "criteria"),
    items: tuple[str, Each] | None = None, limits: Limits = LIMITS,
) -> tuple[Any, LineMap]:
    """Parse a YAML file into plain data and a :class:`LineMap` (within ``limits``).

    Values under a key named in ``text_keys`` stay text even when they look like numbers
    (``code: 1.10`` is the code "1.10", not the float 1.1). Raises :class:`InputError` for
    unreadable files, YAML syntax errors and duplicate keys.
    """
    file = Path(path)
    text = read_text_bounded(file, limits.yaml_bytes, "cannot read file")
    return parse_yaml(text, file, text_keys=text_keys, items=items, limits=limits)


def parse_yaml(
    text: str, file: Path | None = None, *, text_keys: Iterable[str] = ("code", "codes"),
    items: tuple[str, Each] | None = None, limits: Limits = LIMITS,
) -> tuple[Any, LineMap]:
    """Parse YAML text; see :func:`load_yaml`. With ``items=(key, each)``, the items of the
    top-level sequence under ``key`` are handed to ``each`` as they are read, not kept (the
    data holds :data:`~parindex.core.yamlbuild.STREAMED` there): see
    :mod:`parindex.core.yamlbuild`."""
    if len(text) > limits.yaml_bytes:
        size, most = (f"{n:,}".replace(",", ".") for n in (len(text), limits.yaml_bytes))
        raise InputError([Problem(f"văn bản YAML quá lớn (YAML too large): {size} ký tự, "
                                  f"giới hạn {most}", file)], "cannot parse YAML")
    try:
        data, linemap, problems = build(text, file, frozenset(text_keys), items, limits)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            [Problem(f"lỗi cú pháp YAML (YAML syntax error): {msg}", file, line)],
            "cannot parse YAML",
        ) from None
    except TooBig as exc:
        raise InputError([Problem(str(exc), file, exc.line, format_key(exc.path))],
                         "YAML file past a limit") from None
    if problems:
        raise InputError(problems, "YAML file has duplicate keys or unreadable values")
    return data, linemap


def problems_from_validation(exc: ValidationError, linemap: LineMap,
                             prefix: Location = ()) -> list[Problem]:
    """Turn a pydantic error into problems with file, line and key path.

    Invariant checks inside models raise :class:`parindex.framework.model.InvariantError` carrying
    several problems at once; those are unpacked so that each gets its own line. ``prefix``
    is where the validated value sits in the file (an item validated on its own).
    """
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    failed = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    for err in errors:
        loc = (*prefix, *err["loc"])
        own = tuple(err["loc"])
        if err["type"] == "too_short" and any(f[: len(own)] == own and f != own for f in failed):
            continue  # an empty list only because its items failed: the items say why
        original = (err.get("ctx") or {}).get("error")
        nested = getattr(original, "problems", None)
        if nested:
            for sub_loc, message in nested:
                problems.append(linemap.problem((*loc, *sub_loc), message))
            continue
        problems.append(linemap.problem(loc, error_message(err)))
    return problems


def load_model(
    model: type[M],
    path: Path | str,
    *,
    text_keys: Iterable[str] = ("code", "codes", "serves", "criteria"),
    context: Mapping[str, Any] | None = None,
    title: str = "",
    cache: bool = False,
) -> M:
    """Load and validate a YAML file as ``model``; all problems raised together.

    With ``cache`` (and no ``context``), the validated model is kept in the per-user cache
    under the SHA-256 of the file's bytes and rebuilt from there while they are the same
    (:mod:`parindex.core.modelcache`)."""
    if not cache or context:
        return load_model_lines(model, path, text_keys=text_keys, context=context,
                                title=title)[0]
    file = Path(path)
    keys = tuple(text_keys)

    def read(source: bytes) -> M:
        data, linemap = parse_yaml(decode_text(source, file), file, text_keys=keys)
        return _validated(model, data, linemap, file, None, title)

    return load_model_cached(model, file, read_bounded(file, LIMITS.yaml_bytes),
                             read, options=(title, *keys))


def load_model_lines(
    model: type[M],
    path: Path | str,
    *,
    text_keys: Iterable[str] = ("code", "codes", "serves", "criteria"),
    context: Mapping[str, Any] | None = None,
    title: str = "",
) -> tuple[M, LineMap]:
    """:func:`load_model`, with the :class:`LineMap` of the file (to name lines later)."""
    data, linemap = load_yaml(path, text_keys=text_keys)
    return _validated(model, data, linemap, Path(path), context, title), linemap


def _validated(model: type[M], data: Any, linemap: LineMap, path: Path,
               context: Mapping[str, Any] | None, title: str) -> M:
    if not isinstance(data, dict):
        raise InputError([Problem("tệp phải bắt đầu bằng các cặp khóa: giá trị "
                                  "(expected a mapping)", path, 1)])
    try:
        return model.model_validate(data, context=dict(context or {}))
    except ValidationError as exc:
        raise InputError(
            problems_from_validation(exc, linemap), title or f"invalid {model.__name__} file"
        ) from None


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value.normalize()))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)


def dump_yaml(data: Any, header: str = "") -> str:
    """Dump plain data as readable YAML (Vietnamese kept as is, key order kept)."""
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
        default_flow_style=False,
    )
    if header:
        body = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + body
    return body


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
