"""The streamed YAML builder gives what the composed node tree gave (issue 17).

The reference below is the builder parindex used before :mod:`parindex.core.yamlbuild`
(``yaml.compose``, then the limits measured on the tree, then the tree built), kept verbatim:
both must give the same data, the same line of every path and the same problems, or refuse
with the same error, on every YAML file of the repository and on odd and hostile YAML.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core.base import nfc
from parindex.core.errors import Problem
from parindex.core.files import LIMITS
from parindex.core.yamlbuild import STREAMED, LineMap, Location, TooBig, build, format_key

ROOT = Path(__file__).resolve().parent.parent
_Loader: Any = yaml.CSafeLoader
REGISTER_KEYS = ("id", "number", "type", "issuer", "subject", "path", "sha256", "item",
                 "locator", "tasks", "note", "code", "proves", "files", "date", "sources")


# -- the reference: the node-tree builder as it was -------------------------------------------

class _OldTooBig(Exception):
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
            raise _OldTooBig("alias tự tham chiếu chính nó (recursive alias)", line, path)
        if len(path) > LIMITS.yaml_depth:
            raise _OldTooBig(f"lồng nhau quá {LIMITS.yaml_depth} cấp (nesting depth limit)", line,
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
            raise _OldTooBig(f"tài liệu YAML mở rộng quá {LIMITS.yaml_nodes:,} giá trị".replace(
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


def reference(text: str, text_keys: frozenset[str]) -> tuple[Any, ...]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        return ("nesting",)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return ("syntax", getattr(exc, "problem", None) or str(exc),
                None if mark is None else mark.line)
    try:
        if node is not None:
            _measure(node)
    except _OldTooBig as exc:
        return ("limit", str(exc), exc.line, exc.path)
    builder = _Builder(Path("f.yaml"), text_keys)
    data = None if node is None else builder.build(node, ())
    return ("ok", data, builder.linemap.lines, builder.problems)


def streamed(text: str, text_keys: frozenset[str], items: str | None = None) -> tuple[Any, ...]:
    got: list[tuple[int, Any, dict[Location, int]]] = []

    def each(index: int, value: Any, lines: LineMap) -> None:
        got.append((index, value, lines.lines))

    try:
        data, linemap, problems = build(text, Path("f.yaml"), text_keys,
                                        None if items is None else (items, each))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return ("syntax", getattr(exc, "problem", None) or str(exc),
                None if mark is None else mark.line)
    except TooBig as exc:
        return ("limit", str(exc), exc.line, exc.path)
    lines = dict(linemap.lines)
    if items is not None and isinstance(data, dict) and data.get(items) is STREAMED:
        assert [i for i, _, _ in got] == list(range(len(got)))
        data = {**data, items: [v for _, v, _ in got]}
        for _, _, item_lines in got:
            assert not set(item_lines) & set(lines)
            lines.update(item_lines)
    else:
        assert not got
    return ("ok", data, lines, problems)


def same(text: str, text_keys: tuple[str, ...] = ("code", "codes")) -> None:
    keys = frozenset(text_keys)
    want = reference(text, keys)
    assert streamed(text, keys) == want
    got = streamed(text, keys, items="documents")
    if want[0] == "ok" and got[0] == "ok":
        assert got[1] == want[1] and got[3] == want[3]
        assert got[2] == want[2]  # every path's line, items' included
    else:
        assert got == want


# -- the files of the repository ----------------------------------------------------------------

REPO_YAML = sorted(p for p in ROOT.rglob("*.y*ml") if ".git" not in p.parts
                   and ".venv" not in p.parts and p.suffix in (".yaml", ".yml"))


def test_there_are_yaml_files_to_compare() -> None:
    assert len(REPO_YAML) > 50


@pytest.mark.parametrize("path", REPO_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    same(text, REGISTER_KEYS if "register" in path.name else ("code", "codes", "serves",
                                                              "criteria"))


# -- odd and hostile YAML ---------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Quảng Ngãi")
ODD = [
    "",
    "# only a comment\n",
    "---\n",
    "--- 5\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\nb: 2\na: 3\nb: 4\n",  # duplicate keys
    "a: {x: 1, x: 2}\nb: [1, {y: 1, y: 2}]\n",
    "? [1, 2]\n: x\nb: 1\n",  # a key that is not text
    "? {a: 1}\n: {deep: [1, 2]}\n",
    "a: &x {p: 1, q: [1, 2]}\nb: *x\nc: [*x, *x]\n",  # anchors and aliases
    "a: &x 1\nb: &x 2\nc: *x\n",  # a duplicate anchor
    "a: *nowhere\n",
    "a: &r [1, *r]\n",  # a recursive alias
    "a: &r {x: *r}\n",
    "&top {a: 1, b: *top}\n",
    "? &k key\n: 1\n*k : 2\n",  # an alias as a key, duplicated
    "a: &k key\n*k : 2\n",
    "? &c [1]\n: x\nb: *c\n",  # an anchor defined inside a key
    "<<: {a: 1}\nb: 2\n",
    "a: !!str 5\nb: !!int '7'\nc: ! 5\nd: !custom x\ne: !!float 1e400\n",
    "p: 0.1\nq: 1_000.5\nr: .nan\ns: -.inf\nt: 1e5\n",
    "d: 2021-13-01\ne: 2021-12-01\nf: 2021-12-01 10:00:00\n",
    "code: 1.10\ncodes: [1.1, 3.20, ~, null]\nother: 1.10\nx: {code: 2.0}\n",
    "n: ~\nm: null\nk: \nl: ''\nb: [yes, no, on, off, true]\n",
    f"{NFD}: {NFD}\nlist: ['{NFD}', \"{NFD}\"]\ncode: {NFD}\n",
    "flow: {a: [1, 2, {b: c}], d: e}\nblock: |\n  line 1\n  line 2\nfold: >\n  a\n  b\n",
    "a:\n  # comment\n  b: 1 # trailing\n  c:\n    - 1\n    -\n    - [ ]\n    - { }\n",
    "1: a\n2.5: b\nnull: c\ntrue: d\n",
    "a: [1, 2\nb: 3\n",  # syntax error
    "a: 'unterminated\n",
    "documents:\n- id: a\n  files: [x.pdf]\n- id: b\n  id: c\n- 5\n- [1, 2]\n- ~\n",
    "documents: []\nkind: x\n",
    "documents:\n- &d {id: a, number: 1/QĐ-UBND}\n- *d\n- {id: b, proves: ['1.1']}\n",
    "documents: &all\n- id: a\nother: *all\n",
    "documents:\n- id: a\ndocuments:\n- id: b\n",
    "x:\n  documents:\n  - id: a\n",
    "documents: {id: a}\n",
    "- documents:\n  - 1\n",
    "documents:\n- id: a\n  date: 2021-13-45\n- id: b\n  x: {y: 1, y: 2}\n",
    "[" * 101 + "]" * 101,
    "[" * 99 + "]" * 99,
    "".join("  " * i + "a:\n" for i in range(120)) + "  " * 120 + "x\n",
    "[" * 1001 + "]" * 1001,
    "a: &a [" + ", ".join(["x"] * 10) + "]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)),  # billion laughs
    # (with the limit of 10,000 values these tests set)
    "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 200) + "]\n",
    "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 200)
    + "]\nc: [" + "[" * 150 + "]" * 150 + "]\n",  # over the limit, then too deep
    "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 98) + "]\n",
    "documents:\n" + "".join(f"- {{id: d{i}, files: &f{i} [a, b, c]}}\n" for i in range(3000)),
    "a: &a [" + "[" * 120 + "]" * 120 + "]\n",
    "a: &a [" + "[" * 95 + "]" * 95 + "]\nb: {c: {d: *a}}\nc: " + "[" * 9 + "*a" + "]" * 9
    + "\n",
]


@pytest.fixture()
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from parindex.core import yamlbuild

    small = LIMITS.__class__(yaml_nodes=10_000)
    monkeypatch.setattr(yamlbuild, "LIMITS", small)
    monkeypatch.setitem(globals(), "LIMITS", small)


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_odd_and_hostile_yaml(text: str, small_limit: None) -> None:
    same(text)
    same(text, REGISTER_KEYS)


def test_billion_laughs_is_refused_without_building() -> None:
    text = ODD[-7]
    assert reference(text, frozenset())[0] == "limit"
    got = streamed(text, frozenset())
    assert got[0] == "limit" and "billion laughs" in got[1]


def test_values_past_the_limit_are_never_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 uses of a 1,001-value list, limit 100,000 values: the uses are built only while
    the document is within the limit (a refused file costs at most what the largest accepted
    one does), never all 2,000 (2 million values)."""
    from parindex.core import yamlbuild

    built = []
    real = yamlbuild.NodeBuilder.build

    def counting(self: Any, node: Any, path: Any, as_text: bool = False) -> Any:
        built.append(path)
        return real(self, node, path, as_text)

    monkeypatch.setattr(yamlbuild.NodeBuilder, "build", counting)
    monkeypatch.setattr(yamlbuild, "LIMITS", LIMITS.__class__(yaml_nodes=100_000))
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 2000) + "]\n"
    with pytest.raises(TooBig):
        build(text, None, frozenset())
    assert len([p for p in built if len(p) == 2 and p[0] == "b"]) == 98


# -- generated YAML ---------------------------------------------------------------------------

_scalars = st.sampled_from(["1", "0.1", "x", "'1.10'", "~", "2021-03-05", "2021-02-30", "yes",
                            "\"a b\"", ".inf", NFD, "1_0", "0x1f", "!!str 3", "*a", "*b"])
_keys = st.sampled_from(["id", "code", "a", "b", "documents", "files", "date", NFD, "1"])


def _node(depth: int) -> st.SearchStrategy[str]:
    if depth <= 0:
        return _scalars
    inner = _node(depth - 1)
    anchored = st.tuples(st.sampled_from(["", "&a ", "&b "]), inner).map(lambda t: t[0] + t[1])
    return st.one_of(
        _scalars,
        st.lists(anchored, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_keys, anchored), max_size=4).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_keys, _node(3)), max_size=5))
def test_generated_yaml(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"{k}: {v}\n" for k, v in pairs)
    same(text)
    same(text, REGISTER_KEYS)


@settings(max_examples=100, deadline=None)
@given(st.lists(_node(2), max_size=6))
def test_generated_register_documents(items: list[str]) -> None:
    text = "kind: parindex/register\ndocuments:\n" + "".join(f"- {v}\n" for v in items)
    same(text, REGISTER_KEYS)


def test_helpers_are_the_ones_parindex_uses() -> None:
    assert format_key(("a", 1, "b")) == "a[1].b"
    assert nfc(NFD) != NFD and isinstance(Decimal("1"), Decimal) and Problem("m").line is None


def test_too_large_text_is_said_with_vietnamese_thousands() -> None:
    # the whole message went through replace(",", "."): "25.020.001 ký tự. giới hạn"
    from parindex.core.errors import InputError
    from parindex.core.files import LIMITS, Limits
    from parindex.core.yamlio import parse_yaml

    small = Limits(**{**LIMITS.__dict__, "yaml_bytes": 1000})
    with pytest.raises(InputError) as exc:
        parse_yaml("a: " + "x" * 1500, limits=small)
    assert exc.value.problems[0].message == (
        "văn bản YAML quá lớn (YAML too large): 1.503 ký tự, giới hạn 1.000")
