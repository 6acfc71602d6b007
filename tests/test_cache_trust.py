"""The cache is never trusted over the files: one test per way it was fooled (issue 11).

Each test builds its tiny dossier from a check fixture and is named after the defect."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.evidence import documents
from parindex.evidence.cache import CACHE_ENV, FactsCache, cache_folder, cache_home, file_key
from parindex.evidence.check import check_dossier
from parindex.evidence.documents import _CHECKS, FileFacts, inspect_files
from parindex.evidence.register import register_of
from parindex.scoring.dossier import load_dossier

from .conftest import FIXTURES

CHECK = FIXTURES / "check"
AS_OF = dt.date(2022, 1, 15)


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(CHECK / name, folder)
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    return folder


def _codes(folder: Path) -> list[str]:
    return sorted(f.code for f in check_dossier(folder, as_of=AS_OF).findings)


class _Reads:
    """Names of the files read, as the reader processes (forked, so patched too) log them."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.clear()

    def names(self) -> list[str]:
        return sorted(self.log.read_text(encoding="utf-8").split())

    def clear(self) -> None:
        self.log.write_text("", encoding="utf-8")


def _count_reads(monkeypatch: pytest.MonkeyPatch, log: Path) -> _Reads:
    read = _Reads(log)
    real = documents.inspect_file

    def counting(path: Path, *ocr: bool) -> FileFacts:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(path.name + "\n")
        return real(path, *ocr)

    monkeypatch.setattr(documents, "inspect_file", counting)
    return read


def test_cache_lives_outside_the_dossier_under_the_env_folder(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "clean")
    check_dossier(folder, as_of=AS_OF)
    assert sorted(p.name for p in folder.iterdir()) == [
        "documents", "dossier.yaml", "plan.yaml", "register.yaml", "self-assessment.yaml"]
    assert cache_folder(folder).parent.parent == Path(os.environ[CACHE_ENV])
    assert sorted(p.name for p in cache_folder(folder).iterdir()) == [
        "files.json", "register.json"]  # a check computes no heading (issue 17)


def test_cache_home_without_env_is_per_user(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_home() == tmp_path / "xdg" / "parindex"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_home() == tmp_path / "home" / ".cache" / "parindex"


def test_touch_d_same_size_and_mtime_is_seen(tmp_path: Path) -> None:
    """The content changed, size kept, mtime put back (``touch -d``): ctime still moved."""
    folder = _copy(tmp_path, "clean")
    assert _codes(folder) == []
    target = folder / "documents" / "ke-hoach.docx"
    st = target.stat()
    target.write_bytes(b"x" * st.st_size)  # same size, not a DOCX any more
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert _codes(folder) == ["evidence-file-unreadable"]


def test_file_replaced_by_another_with_same_size_and_mtime_is_seen(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "clean")
    _codes(folder)
    target = folder / "documents" / "ke-hoach.docx"
    st = target.stat()
    other = folder / "other.tmp"
    other.write_bytes(b"y" * st.st_size)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, target)  # new inode
    assert _codes(folder) == ["evidence-file-unreadable"]


def test_crafted_cache_shipped_inside_the_dossier_does_not_hide_a_corrupt_pdf(
        tmp_path: Path) -> None:
    """The old place (``.parindex-cache/`` in the dossier), crafted to call the PDF sound."""
    folder = _copy(tmp_path, "evidence-file-unreadable")
    pdf = folder / "documents" / "ke-hoach.pdf"
    st = pdf.stat()
    forged = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": "0" * 64,
              "kind": "pdf", "state": "text", "pages": 1, "error": None,
              "number": "15/KH-STN", "date": "2021-02-10"}
    (folder / ".parindex-cache").mkdir()
    for version in (3, 4):
        (folder / ".parindex-cache" / "files.json").write_text(json.dumps(
            {"version": version, "files": {"documents/ke-hoach.pdf": forged}}))
        assert "evidence-file-unreadable" in _codes(folder)


def test_crafted_cache_entry_with_the_shipped_size_and_mtime_is_a_miss(tmp_path: Path) -> None:
    """Whoever sends a dossier knows size and mtime, not this machine's ctime and inode."""
    folder = _copy(tmp_path, "evidence-file-unreadable")
    pdf = folder / "documents" / "ke-hoach.pdf"
    st = pdf.stat()
    sound = {"sha256": "0" * 64, "kind": "pdf", "state": "text", "pages": 1, "error": None,
             "number": "15/KH-STN", "date": "2021-02-10", "ocr": None, "signatures": []}
    store = FactsCache(folder, _CHECKS)
    assert set(sound) == set(_CHECKS)
    entry = [st.st_size, st.st_mtime_ns, 0, 0, *(sound[name] for name in _CHECKS)]
    cache_folder(folder).mkdir(parents=True, exist_ok=True)
    (cache_folder(folder) / "files.json").write_text(json.dumps(
        {"version": store.fingerprint, "files": {"documents/ke-hoach.pdf": entry}}))
    assert "evidence-file-unreadable" in _codes(folder)


def test_copied_dossier_does_not_bring_the_cache(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy(tmp_path, "clean")
    _codes(folder)
    copy = tmp_path / "received"
    shutil.copytree(folder, copy)  # times kept, as cp -a / unzip keep them
    assert cache_folder(copy) != cache_folder(folder)
    read = _count_reads(monkeypatch, tmp_path / "reads.log")
    check_dossier(copy, as_of=AS_OF)
    assert read.names() == ["bao-cao.docx", "ke-hoach.docx"]
    read.clear()
    check_dossier(copy, as_of=AS_OF)
    assert read.names() == []  # and its own cache works


WRONG_ENTRIES: list[Any] = [
    None, 7, "x", [], "short", "long", {"state": "sound"}, {"pages": "1"}, {"sha256": None},
    {"kind": 3},
    {"number": 15}, {"date": ["2021"]}, {"error": {"x": 1}},
]


@pytest.mark.parametrize("bad", WRONG_ENTRIES, ids=[repr(b)[:20] for b in WRONG_ENTRIES])
def test_cache_entry_of_the_wrong_type_is_a_miss_not_a_crash(tmp_path: Path, bad: Any) -> None:
    folder = _copy(tmp_path, "clean")
    rels = ["documents/bao-cao.docx", "documents/ke-hoach.docx"]
    good = inspect_files(folder, rels, workers=1)
    path = cache_folder(folder) / "files.json"
    data = json.loads(path.read_bytes())
    entry = data["files"][rels[0]]
    names = list(_CHECKS)
    if isinstance(bad, dict):
        for name, value in bad.items():
            entry[4 + names.index(name)] = value
    elif bad == "short":
        entry.pop()
    elif bad == "long":
        entry.append(None)
    else:
        data["files"][rels[0]] = bad
    path.write_text(json.dumps(data))
    assert inspect_files(folder, rels, workers=1) == good
    assert _codes(folder) == []


@pytest.mark.parametrize("body", ["[]", "null", '{"version": 4, "files": []}', "\x00",
                                  '{"files": {"a": 1}}'])
def test_cache_file_of_the_wrong_shape_is_ignored(tmp_path: Path, body: str) -> None:
    folder = _copy(tmp_path, "clean")
    cache_folder(folder).mkdir(parents=True, exist_ok=True)
    (cache_folder(folder) / "files.json").write_text(body)
    (cache_folder(folder) / "register.json").write_text(body)
    assert _codes(folder) == []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                    st.text(max_size=5), lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@given(st.lists(JSON, max_size=len(_CHECKS) + 2), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_entry_gives_sound_facts_or_a_miss(values: list[Any], keyed: bool) -> None:
    st_ = os.stat(__file__)
    store = FactsCache(Path("/nonexistent-dossier"), _CHECKS, enabled=False)
    store.entries = {"a": [*(file_key(st_) if keyed else (1, 2, 3, 4)), *values]}
    fields = store.get("a", st_)
    if fields is not None:
        facts = FileFacts(size=1, mtime_ns=2, **fields)
        assert type(facts.pages) in (int, type(None)) and type(facts.sha256) is str
        assert facts.state in ("text", "no-text", "image", "encrypted", "corrupt",
                               "unsupported", "empty")


def test_sound_entry_round_trips() -> None:
    st_ = os.stat(__file__)
    store = FactsCache(Path("/nonexistent-dossier"), _CHECKS, enabled=False)
    facts = FileFacts(st_.st_size, st_.st_mtime_ns, "a" * 64, "pdf", "text", "", 2, None,
                      "1/KH-X", "2021-01-02")
    store.put("a", file_key(st_), dataclasses.asdict(facts))
    store.entries = json.loads(json.dumps(store.entries))
    got = store.get("a", st_)
    assert got is not None
    assert FileFacts(size=st_.st_size, mtime_ns=st_.st_mtime_ns, **got) == facts


def _register_cache(folder: Path) -> Path:
    return cache_folder(folder) / "register.json"


def test_register_changed_with_same_size_and_mtime_is_parsed_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "clean")
    dossier = load_dossier(folder)
    assert register_of(dossier, cache=True).by_id()["ke-hoach"].number == "15/KH-STN"
    path = folder / "register.yaml"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("15/KH-STN", "16/KH-STN"),
                    encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert register_of(dossier, cache=True).by_id()["ke-hoach"].number == "16/KH-STN"


def test_edited_register_cache_in_the_dossier_is_not_used(tmp_path: Path) -> None:
    """The old place, with the old key (size:mtime), claiming another register."""
    folder = _copy(tmp_path, "clean")
    st = (folder / "register.yaml").stat()
    (folder / ".parindex-cache").mkdir()
    (folder / ".parindex-cache" / "register.json").write_text(
        f"{st.st_size}:{st.st_mtime_ns}\n" + json.dumps({"kind": "parindex/register",
                                                         "schema_version": 1,
                                                         "documents": []}))
    reg = register_of(load_dossier(folder), cache=True)
    assert [d.id for d in reg.documents] == ["ke-hoach", "bao-cao"]


@pytest.mark.parametrize("change", [
    lambda d: d.update(id=5), lambda d: d.update(date="mai"), lambda d: d.update(date=20210210),
    lambda d: d["files"].append("documents/x.pdf"), lambda d: d.update(tasks="II.7.b"),
    lambda d: d["proves"].append({"item": 1, "locator": None}), lambda d: d.update(note=[1]),
    lambda d: d.pop("number"),
], ids=["id-int", "date-word", "date-int", "file-str", "tasks-str", "item-int", "note-list",
        "key-missing"])
def test_register_cache_entry_of_the_wrong_type_is_a_miss(tmp_path: Path, change: Any) -> None:
    folder = _copy(tmp_path, "clean")
    dossier = load_dossier(folder)
    good = register_of(dossier, cache=True)
    head, _, body = _register_cache(folder).read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data["documents"][0])
    _register_cache(folder).write_bytes(head + b"\n" + json.dumps(data).encode())
    assert register_of(dossier, cache=True) == good
    assert _codes(folder) == []


def test_register_cache_with_a_duplicate_id_is_a_miss(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "clean")
    dossier = load_dossier(folder)
    good = register_of(dossier, cache=True)
    head, _, body = _register_cache(folder).read_bytes().partition(b"\n")
    data = json.loads(body)
    data["documents"][1]["id"] = data["documents"][0]["id"]
    _register_cache(folder).write_bytes(head + b"\n" + json.dumps(data).encode())
    assert register_of(dossier, cache=True) == good


def test_field_checks_accept_what_the_type_allows_and_nothing_else() -> None:
    """The set-look-up checks (issue 17: validating the cache of every warm check) accept
    exactly what the one-test-per-part checks did, for every cached field of FileFacts."""
    import types as pytypes
    import typing

    from parindex.evidence.cache import _checker
    from parindex.evidence.documents import FileFacts

    def reference(tp: Any, v: Any) -> bool:
        origin = typing.get_origin(tp)
        if tp is type(None) or tp is None:
            return v is None
        if tp is bool:
            return v is True or v is False
        if tp is int:
            return type(v) is int
        if tp is float:
            return type(v) in (int, float)
        if tp is str:
            return type(v) is str
        if origin is typing.Literal:
            return type(v) is str and v in typing.get_args(tp)
        if origin in (typing.Union, pytypes.UnionType):
            return any(reference(a, v) for a in typing.get_args(tp))
        if origin is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                return type(v) is list and all(reference(args[0], x) for x in v)
        return False

    hints = typing.get_type_hints(FileFacts)
    samples = [None, True, False, 0, 7, 1.5, "", "pdf", "text", "done", "nope", [], ["a"],
               [1], [None], ["a", 2], {}, ("a",)]
    extra = [int | None, float, bool, str | int, tuple[int, ...], typing.Literal["a"] | None,
             tuple[str | None, ...], dict[str, int]]
    for tp in [*hints.values(), *extra]:
        check = _checker(tp)
        assert [check(v) for v in samples] == [reference(tp, v) for v in samples], tp


def test_the_check_never_reads_the_headings_and_the_scan_gets_them_cached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headings are cached apart (issue 17: most of the facts' size, never used by a check):
    a warm check reads ``files.json`` only; the scan finds the headings the check cached."""
    inspect = inspect_files
    folder = _copy(tmp_path, "clean")
    rels = ["documents/bao-cao.docx", "documents/ke-hoach.docx"]
    cold = inspect(folder, rels, workers=1)
    assert all(isinstance(f, FileFacts) and f.heading for f in cold.values())
    assert (cache_folder(folder) / "headings.json").is_file()
    opened: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    read = _count_reads(monkeypatch, tmp_path / "reads.log")
    warm = inspect(folder, rels, workers=1, headings=False)
    assert "headings.json" not in opened and read.names() == []
    assert all(isinstance(f, FileFacts) and f.heading == () for f in warm.values())
    assert inspect(folder, rels, workers=1) == cold and read.names() == []
    assert "headings.json" in opened
    (cache_folder(folder) / "headings.json").write_text("{not json", encoding="utf-8")
    assert inspect(folder, rels, workers=1) == cold  # a bad headings file is a miss
    assert read.names() == ["bao-cao.docx", "ke-hoach.docx"]


def test_the_check_computes_no_heading_and_the_scan_rereads_only_what_it_drafts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The heading block costs as much as finding the number and the date, and only drafting
    register entries needs it (issue 17): a check never computes one, and a scan after it
    reads again only the unregistered files it drafts from, not the registered ones."""
    folder = _copy(tmp_path, "clean")
    extra = folder / "documents" / "moi.docx"
    shutil.copy(folder / "documents" / "bao-cao.docx", extra)
    made = tmp_path / "headings.log"  # readers are forked processes: they log to a file
    made.write_text("", encoding="utf-8")
    real = documents.head_block

    def counting(text: str) -> tuple[str, ...]:
        with open(made, "a", encoding="utf-8") as fh:
            fh.write("heading\n")
        return real(text)

    monkeypatch.setattr(documents, "head_block", counting)
    check_dossier(folder, as_of=AS_OF, workers=1, ocr=False)
    assert made.read_text(encoding="utf-8") == ""
    assert not (cache_folder(folder) / "headings.json").exists()
    from parindex.evidence.scan import draft_register

    read = _count_reads(monkeypatch, tmp_path / "reads.log")
    result = draft_register(load_dossier(folder), ocr=False, workers=1)
    assert read.names() == ["moi.docx"]
    assert [d.files[0].path for d in result.drafts] == ["documents/moi.docx"]
    assert result.drafts[0].number is not None  # drafted from its heading
    assert made.read_text(encoding="utf-8") == "heading\n"
