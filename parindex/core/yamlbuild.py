"""Building plain data with line numbers from YAML, streamed from the parser's events.

PyYAML's ``compose`` builds a node tree of the whole file (a node and two marks per value)
before anything is read from it: for a register of 20,000 documents the tree alone is some
90 MB, and the peak of reading the register. :func:`build` reads the parser's events instead
and builds each value as soon as it is complete, so a file is never held twice; only what an
alias may point to (an anchored value) is kept as nodes, exactly as the composer would.

The result is the one the composed tree gave (same values, same :class:`LineMap`, the same
problems in the same order), checked by ``tests/test_yamlbuild.py`` against the node-tree
builder that stays here for anchored values (:class:`NodeBuilder`). In particular the
:data:`~parindex.core.files.LIMITS` are applied as before the streaming: values after alias
expansion (an alias counts each time it is used: "billion laughs"), nesting, no recursive
alias; a document past a limit is refused with the first violation :func:`measure` would have
named, and its values past the limit are never built.

``items=(key, each)`` streams the items of the top-level sequence under ``key`` to ``each``
(index, value, their own :class:`LineMap`) instead of keeping them: the register validates each
document as it is read (:func:`parindex.evidence.register.load_register`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from parindex.core.base import nfc
from parindex.core.errors import Problem
from parindex.core.files import LIMITS, Limits

__all__ = ["STREAMED", "LineMap", "Location", "NodeBuilder", "TooBig", "build", "format_key",
           "measure"]

Location = tuple[str | int, ...]

# The C loader is several times faster; fall back to pure Python where it is missing.
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# typed Any: the events' marks are typed optional, but a parsed event always has them
_ScalarEvent: Any = ScalarEvent
_AliasEvent: Any = AliasEvent
_CollectionStart: Any = CollectionStartEvent

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


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


class TooBig(Exception):
    """A YAML document past one of :data:`LIMITS` (the message says which)."""

    def __init__(self, message: str, line: int, path: Location) -> None:
        super().__init__(message)
        self.line = line
        self.path = path


def _too_many(line: int, path: Location, limits: Limits) -> TooBig:
    return TooBig(f"tài liệu YAML mở rộng quá {limits.yaml_nodes:,} giá trị".replace(",", ".")
                  + " (alias expansion limit: \"billion laughs\"?)", line, path)


def _too_deep(line: int, path: Location, limits: Limits) -> TooBig:
    return TooBig(f"lồng nhau quá {limits.yaml_depth} cấp (nesting depth limit)", line, path)


def measure(node: Node, path: Location = (), sizes: dict[int, int] | None = None,
            open_: set[int] | None = None, limits: Limits | None = None) -> int:
    """The values ``node`` expands to (an alias counts each time it is used); :class:`TooBig`
    past :data:`LIMITS` (values, nesting, an alias to a collection that contains it). Each
    distinct node is visited once (``sizes``), so this is fast even for a document that would
    expand to billions of values."""
    sizes = {} if sizes is None else sizes
    open_ = set() if open_ is None else open_
    limits = LIMITS if limits is None else limits

    def size(node: Node, path: Location) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if not isinstance(node, yaml.CollectionNode):
            return 1
        line = node.start_mark.line + 1
        if id(node) in open_:
            raise TooBig("alias tự tham chiếu chính nó (recursive alias)", line, path)
        if len(path) > limits.yaml_depth:
            raise _too_deep(line, path, limits)
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
        if total > limits.yaml_nodes:
            raise _too_many(line, path, limits)
        sizes[id(node)] = total
        return total

    return size(node, path)


class NodeBuilder:
    """Plain data from composed nodes, recording each path's line and every problem."""

    def __init__(self, file: Path | None, text_keys: frozenset[str]) -> None:
        self.linemap = LineMap(file)
        self.problems: list[Problem] = []
        self.text_keys = text_keys
        self.constructor = Loader("")

    def build(self, node: Node, path: Location, as_text: bool = False) -> Any:
        self.linemap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problems.append(
                        Problem("a key must be plain text", self.linemap.file,
                                key_node.start_mark.line + 1, format_key(path))
                    )
                    continue
                key = nfc(str(key_node.value))
                child = (*path, key)
                if key in out:
                    self.duplicate(key, child, key_node.start_mark.line + 1)
                    continue
                self.linemap.lines[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child, key in self.text_keys)
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), as_text) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node, path, as_text)

    def duplicate(self, key: str, child: Location, line: int) -> None:
        first = self.linemap.lines.get(child)
        self.problems.append(Problem(f"khóa {key!r} bị lặp, đã ghi ở dòng {first} "
                                     "(duplicate key)", self.linemap.file, line,
                                     format_key(child)))

    def scalar(self, node: ScalarNode, path: Location, as_text: bool) -> Any:
        if as_text and node.tag != _NULL:
            return nfc(str(node.value))
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:  # e.g. an impossible date: 2021-13-01
            self.problems.append(Problem(f"không đọc được {node.value!r} (cannot read): {exc}",
                                         self.linemap.file, node.start_mark.line + 1,
                                         format_key(path)))
            return str(node.value)
        finally:
            # no cache of what was built: it would keep every scalar's node to the end
            self.constructor.constructed_objects.clear()
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


class _Streamed(list[Any]):
    """The placeholder left where :func:`build` handed the items of a sequence to ``each``."""


STREAMED: list[Any] = _Streamed()
"""Stands in the data for the sequence whose items were streamed (compare with ``is``)."""

Each = Callable[[int, Any, LineMap], None]


class _Frame:
    """A collection being read: its value (None when not built), paths, running size."""

    __slots__ = ("as_text", "building", "index", "is_map", "key", "key_line", "line",
                 "mkey", "mpath", "path", "saved", "skip", "total", "value")

    def __init__(self, is_map: bool, path: Location, mpath: Location, line: int,
                 as_text: bool, building: bool) -> None:
        self.is_map = is_map
        self.path = path
        self.mpath = mpath
        self.line = line
        self.as_text = as_text
        self.building = building
        self.value: Any = ({} if is_map else []) if building else None
        self.total = 1
        self.index = 0
        self.key: str | None = None  # a mapping's pending key (None: a key is next)
        self.mkey = ""
        self.key_line = 0
        self.skip = False  # the pending value is measured, not built (duplicate, bad key)
        self.saved: dict[Location, int] | None = None  # lines of the enclosing document


class _Stream:
    def __init__(self, text: str, file: Path | None, text_keys: frozenset[str],
                 items: tuple[str, Each] | None, limits: Limits) -> None:
        self.loader = Loader(text)
        self.limits = limits
        self.nodes = NodeBuilder(file, text_keys)
        self.linemap = self.nodes.linemap
        self.problems = self.nodes.problems
        self.text_keys = text_keys
        self.items = items
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.count = 0  # values of the document so far (its root's size when it ends)
        self.stopped = False  # past a limit: nothing more is built
        self.failure: TooBig | None = None  # the first violation: only parsing goes on

    # -- events --------------------------------------------------------------------------

    def next(self) -> Any:
        return self.loader.get_event()

    def run(self) -> Any:
        try:
            self.next()  # stream start
            event = self.next()
            if isinstance(event, StreamEndEvent):
                return None
            root_mark = event.start_mark  # document start
            result = self.value(self.next())
            self.next()  # document end
            event = self.next()
            if not isinstance(event, StreamEndEvent):
                raise ComposerError("expected a single document in the stream", root_mark,
                                    "but found another document", event.start_mark)
            if self.failure is not None:
                raise self.failure
            return result
        finally:
            self.loader.dispose()

    # -- anchored values: composed as nodes, as the composer does ---------------------------

    def alias(self, event: Any) -> Node:
        if event.anchor not in self.anchors:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        return self.anchors[event.anchor]

    def anchor(self, event: Any, node: Node) -> None:
        if event.anchor in self.anchors:
            raise ComposerError("found duplicate anchor; first occurrence",
                                self.anchors[event.anchor].start_mark, "second occurrence",
                                event.start_mark)
        self.anchors[event.anchor] = node

    def compose(self, event: Any) -> Node:
        """The node of the value starting at ``event`` (anchors inside are registered)."""
        resolve = self.loader.resolve
        stack: list[tuple[Node, list[Node]]] = []  # open collections, a mapping's pending key
        while True:
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                node, _ = stack.pop()
                node.end_mark = event.end_mark
            elif event.__class__ is _AliasEvent:
                node = self.alias(event)
            elif event.__class__ is _ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(ScalarNode, event.value, event.implicit)
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                  event.style)
                if event.anchor is not None:
                    self.anchor(event, node)
            else:
                kind = MappingNode if isinstance(event, MappingStartEvent) else SequenceNode
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(kind, None, event.implicit)
                node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                if event.anchor is not None:
                    self.anchor(event, node)
                stack.append((node, []))
                event = self.next()
                continue
            if not stack:
                return node
            parent, key = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif key:
                parent.value.append((key.pop(), node))
            else:
                key.append(node)
            event = self.next()

    def measured(self, node: Node, mpath: Location) -> int:
        """The size of a composed value, :data:`failure` set when it is past a limit."""
        if self.failure is not None:
            return 0
        try:
            return measure(node, mpath, self.sizes, set(), self.limits)
        except TooBig as exc:
            self.failure = exc
            self.stopped = True
            return 0

    # -- values --------------------------------------------------------------------------

    def value(self, event: Any) -> Any:
        """Read the document's root value, starting at ``event``."""
        stack: list[_Frame] = []
        frame: _Frame | None = None
        while True:
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                done = stack.pop()
                if self.failure is None and done.total > self.limits.yaml_nodes:
                    self.failure = _too_many(done.line, done.mpath, self.limits)
                    self.stopped = True
                frame = stack[-1] if stack else None
                value = done.value
                if done.saved is not None:
                    self.item_end(done.path, value, done.saved, done.building)
                    value = None
                if frame is None:
                    return value
                self.add(frame, value, done.total)
            elif frame is not None and frame.is_map and frame.key is None:
                self.key(frame, event)
            elif isinstance(event, _CollectionStart) and event.anchor is None:
                path, mpath, as_text, building = self.child(frame)
                line = event.start_mark.line + 1
                if self.failure is None and len(mpath) > self.limits.yaml_depth:
                    self.failure = _too_deep(line, mpath, self.limits)
                    self.stopped = True
                building = building and not self.stopped
                new = _Frame(isinstance(event, MappingStartEvent), path, mpath, line, as_text,
                             building)
                self.count += 1
                if frame is not None and frame.value is STREAMED:
                    new.saved = self.item_start()
                if building:
                    self.linemap.lines.setdefault(path, line)
                    if self.items is not None and frame is not None and frame.is_map and \
                            not frame.path and frame.key == self.items[0] and not new.is_map:
                        new.value = STREAMED  # its items go to ``each``, one by one
                stack.append(new)
                frame = new
            else:
                saved = None
                if frame is not None and frame.value is STREAMED:
                    saved = self.item_start()
                path, got, size = self.leaf(event, frame)
                if saved is not None:
                    self.item_end(path, got, saved, frame is not None and frame.building)
                    got = None
                if frame is None:
                    return got
                self.add(frame, got, size)
            event = self.next()

    def item_start(self) -> dict[Location, int]:
        """An item of the streamed sequence begins: its lines go to a map of its own."""
        saved = self.linemap.lines
        self.linemap.lines = {}
        return saved

    def item_end(self, path: Location, value: Any, saved: dict[Location, int],
                 building: bool) -> None:
        """An item of the streamed sequence is complete: hand it to ``each``."""
        lines = self.linemap.lines
        self.linemap.lines = saved
        if building and not self.stopped and self.items is not None:
            index = path[-1]
            assert isinstance(index, int)
            self.items[1](index, value, LineMap(self.linemap.file, lines))

    def child(self, frame: _Frame | None) -> tuple[Location, Location, bool, bool]:
        """Path, measure path, as-text and whether built, of ``frame``'s next value."""
        if frame is None:
            return (), (), False, not self.stopped
        if frame.is_map:
            assert frame.key is not None
            return ((*frame.path, frame.key), (*frame.mpath, frame.mkey),
                    frame.key in self.text_keys, frame.building and not frame.skip)
        return ((*frame.path, frame.index), (*frame.mpath, frame.index), frame.as_text,
                frame.building)

    def leaf(self, event: Any, frame: _Frame | None) -> tuple[Location, Any, int]:
        """A scalar, an alias or an anchored value: its path, value (None when not built)
        and size."""
        path, mpath, as_text, building = self.child(frame)
        if event.__class__ is _ScalarEvent and event.anchor is None:
            self.count += 1
            if not building or self.stopped:
                return path, None, 1
            self.linemap.lines.setdefault(path, event.start_mark.line + 1)
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
            if (as_text and tag != _NULL) or tag == _STR:
                return path, nfc(event.value), 1
            scalar = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            return path, self.nodes.scalar(scalar, path, as_text), 1
        node = self.compose(event)
        size = self.measured(node, mpath)
        self.count += size
        if self.count > self.limits.yaml_nodes:
            self.stopped = True  # the root will be past the limit: build nothing more
        if not building or self.stopped:
            return path, None, size
        return path, self.nodes.build(node, path, as_text), size

    def add(self, frame: _Frame, value: Any, size: int) -> None:
        """Put a finished child value (of ``size`` values) into ``frame``."""
        if frame.is_map:
            frame.total += 1 + size
            self.count += 1
            if frame.building and not frame.skip and frame.value is not None:
                assert frame.key is not None
                frame.value[frame.key] = value
            frame.key = None
            frame.skip = False
        else:
            frame.total += size
            if frame.building and frame.value is not STREAMED and frame.value is not None:
                frame.value.append(value)
            frame.index += 1
        if self.count > self.limits.yaml_nodes:
            self.stopped = True

    def key(self, frame: _Frame, event: Any) -> None:
        """Read the key starting at ``event`` into ``frame``."""
        if event.__class__ is _ScalarEvent and event.anchor is None:
            raw, line, plain = event.value, event.start_mark.line + 1, True
        else:
            node = self.compose(event)
            plain = isinstance(node, ScalarNode)
            raw, line = (node.value if plain else "?"), node.start_mark.line + 1
        frame.mkey = str(raw)
        frame.key = nfc(str(raw)) if plain else ""
        frame.skip = False
        if not frame.building or self.stopped:
            return
        if not plain:
            self.problems.append(Problem("a key must be plain text", self.linemap.file, line,
                                         format_key(frame.path)))
            frame.skip = True
            return
        child = (*frame.path, frame.key)
        if frame.key in frame.value:
            self.nodes.duplicate(frame.key, child, line)
            frame.skip = True
            return
        self.linemap.lines[child] = line


def build(text: str, file: Path | None, text_keys: frozenset[str],
          items: tuple[str, Each] | None = None, limits: Limits | None = None
          ) -> tuple[Any, LineMap, list[Problem]]:
    """Data, line map and problems of the YAML ``text`` (see the module's docstring), within
    ``limits`` (default :data:`~parindex.core.files.LIMITS`).

    Raises ``yaml.YAMLError`` (syntax, undefined alias, more than one document) and
    :class:`TooBig` (past a limit); whatever ``each`` raises propagates."""
    stream = _Stream(text, file, text_keys, items, LIMITS if limits is None else limits)
    data = stream.run()
    return data, stream.linemap, stream.problems
