"""Reading and writing the YAML files people edit (frameworks, dossiers, plans, registers).

PyYAML silently keeps the last of two equal keys; here a duplicate key is an error. Every value
is mapped back to the line it came from, so that a validation error can say
``criteria/qn.yaml:42 areas[2].criteria[0].max_points: …``. All text is normalised to NFC.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.files import LIMITS, read_text_bounded

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

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

# The C loader is several times faster; fall back to pure Python where it is missing.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineMap:
    """Where each key path of a loaded YAML document was written (1-based lines)."""

    file: Path | None
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """The line of ``loc`` or of its nearest ancestor that was written in the file."""
        path = tuple(loc)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        path = tuple(loc)
        return Problem(message, self.file, self.line_of(path), format_key(path))


def format_key(loc: Iterable[str | int]) -> str:
    """``('areas', 2, 'max_points')`` → ``areas[2].max_points``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _TooBig(Exception):
    """A YAML document past one of :data:`LIMITS` (the message says which)."""

    def __init__(self, message: str, line: int, path: Location) -> None:
        super().__init__(message)
        self.line = line
        self.path = path


def _measure(root: yaml.Node) -> None:
    """Refuse a document past :data:`LIMITS` before it is built: the values it expands to
    (an alias counts each time it is used: "billion laughs"), its nesting, an alias to a
    collection that contains it. Each distinct node is visited once, so this is fast even
    for a document that would expand to billions of values."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node, path: Location) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if not isinstance(node, yaml.CollectionNode):
            return 1
        line = node.start_mark.line + 1
        if id(node) in open_:
            raise _TooBig("alias tự tham chiếu chính nó (recursive alias)", line, path)
        if len(path) > LIMITS.yaml_depth:
            raise _TooBig(f"lồng nhau quá {LIMITS.yaml_depth} cấp (nesting depth limit)", line,
                          path)
        open_.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                total += 1 + size(v, (*path, key))
        else:
            for i, item in enumerate(node.value):
                total += size(item, (*path, i))
        open_.discard(id(node))
        if total > LIMITS.yaml_nodes:
            raise _TooBig(f"tài liệu YAML mở rộng quá {LIMITS.yaml_nodes:,} giá trị".replace(
                ",", ".") + " (alias expansion limit: \"billion laughs\"?)", line, path)
        sizes[id(node)] = total
        return total

    size(root, ())


class _Builder:
    def __init__(self, file: Path | None, text_keys: frozenset[str]) -> None:
        self.linemap = LineMap(file)
        self.problems: list[Problem] = []
        self.text_keys = text_keys
        self.constructor = _Loader("")

    def build(self, node: yaml.Node, path: Location, as_text: bool = False) -> Any:
        self.linemap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem("a key must be plain text", self.linemap.file,
                                key_node.start_mark.line + 1, format_key(path))
                    )
                    continue
                key = nfc(str(key_node.value))
                child = (*path, key)
                if key in out:
                    first = self.linemap.lines.get(child)
                    self.problems.append(
                        Problem(
                            f"khóa {key!r} bị lặp, đã ghi ở dòng {first} (duplicate key)",
                            self.linemap.file,
                            key_node.start_mark.line + 1,
                            format_key(child),
                        )
                    )
                    continue
                self.linemap.lines[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child, key in self.text_keys)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), as_text) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if as_text and node.tag != "tag:yaml.org,2002:null":
            return nfc(str(node.value))
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:  # e.g. an impossible date: 2021-13-01
            self.problems.append(Problem(f"không đọc được {node.value!r} (cannot read): {exc}",
                                         self.linemap.file, node.start_mark.line + 1,
                                         format_key(path)))
            return str(node.value)
        if isinstance(value, float):  # keep what was written: 0.1 stays exactly 0.1
            if value != value or value in (float("inf"), float("-inf")):
                self.problems.append(Problem(
                    f"{node.value!r} không phải một số hữu hạn (not a finite number)",
                    self.linemap.file, node.start_mark.line + 1, format_key(path)))
                return str(node.value)
            value = Decimal(str(node.value).replace("_", ""))
        elif isinstance(value, str):
            value = nfc(value)
        return value


def load_yaml(
    path: Path | str, *, text_keys: Iterable[str] = ("code", "codes", "serves", "criteria")
) -> tuple[Any, LineMap]:
    """Parse a YAML file into plain data and a :class:`LineMap`.

    Values under a key named in ``text_keys`` stay text even when they look like numbers
    (``code: 1.10`` is the code "1.10", not the float 1.1). Raises :class:`InputError` for
    unreadable files, YAML syntax errors and duplicate keys.
    """
    file = Path(path)
    text = read_text_bounded(file, LIMITS.yaml_bytes, "cannot read file")
    return parse_yaml(text, file, text_keys=text_keys)


def parse_yaml(
    text: str, file: Path | None = None, *, text_keys: Iterable[str] = ("code", "codes")
) -> tuple[Any, LineMap]:
    """Parse YAML text; see :func:`load_yaml`."""
    if len(text) > LIMITS.yaml_bytes:
        raise InputError([Problem(f"văn bản YAML quá lớn (YAML too large): {len(text):,} ký tự, "
                                  f"giới hạn {LIMITS.yaml_bytes:,}".replace(",", "."), file)],
                         "cannot parse YAML")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise InputError([Problem(f"lồng nhau quá sâu (nesting too deep; limit "
                                  f"{LIMITS.yaml_depth})", file)], "cannot parse YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            [Problem(f"lỗi cú pháp YAML (YAML syntax error): {msg}", file, line)],
            "cannot parse YAML",
        ) from None
    try:
        if node is not None:
            _measure(node)
    except _TooBig as exc:
        raise InputError([Problem(str(exc), file, exc.line, format_key(exc.path))],
                         "YAML file past a limit") from None
    builder = _Builder(file, frozenset(text_keys))
    data = None if node is None else builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems, "YAML file has duplicate keys or unreadable values")
    return data, builder.linemap


def problems_from_validation(exc: ValidationError, linemap: LineMap) -> list[Problem]:
    """Turn a pydantic error into problems with file, line and key path.

    Invariant checks inside models raise :class:`parindex.framework.model.InvariantError` carrying
    several problems at once; those are unpacked so that each gets its own line.
    """
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    failed = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(f[: len(loc)] == loc and f != loc for f in failed):
            continue  # an empty list only because its items failed: the items say why
        original = (err.get("ctx") or {}).get("error")
        nested = getattr(original, "problems", None)
        if nested:
            for sub_loc, message in nested:
                problems.append(linemap.problem((*loc, *sub_loc), message))
            continue
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "khóa không có trong lược đồ, kiểm tra chính tả (unknown key)"
        elif err["type"] == "missing":
            message = "thiếu khóa bắt buộc (required key is missing)"
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        problems.append(linemap.problem(loc, message))
    return problems


def load_model(
    model: type[M],
    path: Path | str,
    *,
    text_keys: Iterable[str] = ("code", "codes", "serves", "criteria"),
    context: Mapping[str, Any] | None = None,
    title: str = "",
) -> M:
    """Load and validate a YAML file as ``model``; all problems raised together."""
    return load_model_lines(model, path, text_keys=text_keys, context=context, title=title)[0]


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
    if not isinstance(data, dict):
        raise InputError([Problem("tệp phải bắt đầu bằng các cặp khóa: giá trị "
                                  "(expected a mapping)", Path(path), 1)])
    try:
        return model.model_validate(data, context=dict(context or {})), linemap
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
