"""The register as the workbook reads it (issue 17, export at 5,000 documents): the compact
entries cached under the hash of ``register.yaml`` give the view, and so the cells, that the
whole validated register gives, and are never trusted over the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.evidence import register as register_module
from parindex.evidence.cache import cache_folder
from parindex.evidence.check import check
from parindex.evidence.register import EvidenceDocument, Register, register_of, save_register
from parindex.scoring.dossier import load_dossier
from parindex.workbook.export import export_workbook
from parindex.workbook.view import ENTRIES_CACHE, evidence_view, view_of_documents

from .conftest import EXAMPLE, FIXTURES

CHECK = FIXTURES / "check"


def _copy(tmp_path: Path, name: str = "clean") -> Path:
    folder = tmp_path / name
    shutil.copytree(CHECK / name, folder)
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    return folder


def _cache(folder: Path) -> Path:
    return cache_folder(folder) / ENTRIES_CACHE


def _of_documents(folder: Path) -> Any:
    """The view built from the whole validated register, as before the entries were cached."""
    dossier = load_dossier(folder)
    return view_of_documents(register_of(dossier).documents, dossier.root)


def _no_register(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: Any, **__: Any) -> Register:
        raise AssertionError("the register was rebuilt")

    monkeypatch.setattr(register_module, "register_of", refused)


def test_warm_view_is_read_from_the_entries_not_from_the_register(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy(tmp_path)
    cold = evidence_view(load_dossier(folder))
    assert _cache(folder).is_file()
    _no_register(monkeypatch)
    warm = evidence_view(load_dossier(folder))
    assert warm == cold
    assert [r.number for r in warm.rows] == ["15/KH-STN", "40/BC-STN"]
    assert dict(warm.locators) == {(1, "1.1.2"): "Mục I"}


def test_view_of_the_example_is_the_view_of_its_documents_cold_and_warm() -> None:
    dossier = load_dossier(EXAMPLE)
    shutil.rmtree(cache_folder(EXAMPLE), ignore_errors=True)
    expected = view_of_documents(register_of(dossier).documents, dossier.root)
    assert len(expected.rows) > 0
    # (the Ký số of each row comes from the files, not from the register: left out here)
    assert evidence_view(dossier, signatures=False) == expected  # cold: written
    assert evidence_view(load_dossier(EXAMPLE), signatures=False) == expected  # warm
    report = check(dossier)
    with_check = evidence_view(dossier, report, signatures=False)
    assert with_check.rows == expected.rows
    assert with_check.incomplete != expected.incomplete  # the check's findings are placed


def test_register_changed_with_same_size_and_times_is_read_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    assert evidence_view(load_dossier(folder)).rows[0].number == "15/KH-STN"
    path = folder / "register.yaml"
    st_ = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("15/KH-STN", "16/KH-STN"),
                    encoding="utf-8")
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
    assert path.stat().st_size == st_.st_size
    assert evidence_view(load_dossier(folder)).rows[0].number == "16/KH-STN"


def test_file_removed_after_the_entries_were_cached_is_missing(tmp_path: Path) -> None:
    """The entries hold the paths, never whether the files exist: that is looked up afresh."""
    folder = _copy(tmp_path)
    assert dict(evidence_view(load_dossier(folder)).incomplete) == {}
    (folder / "documents" / "bao-cao.docx").unlink()
    assert dict(evidence_view(load_dossier(folder)).incomplete) == {
        "1.1.2": "Tài liệu kiểm chứng chưa có tệp trong hồ sơ",
        "1.2": "Tài liệu kiểm chứng chưa có tệp trong hồ sơ"}


@pytest.mark.parametrize("change", [
    lambda e: e.__setitem__(0, 5), lambda e: e.__setitem__(3, "mai"),
    lambda e: e.__setitem__(3, 20210210), lambda e: e.__setitem__(5, "documents/x.pdf"),
    lambda e: e[5].append(7), lambda e: e[6].append([1, None]), lambda e: e[6].append(["1.1"]),
    lambda e: e.__setitem__(2, ["x"]), lambda e: e.__setitem__(4, 1.5), lambda e: e.pop(),
    lambda e: e.append(None), lambda e: e[6].append({"item": "1.1", "locator": None}),
], ids=["id-int", "date-word", "date-int", "paths-str", "path-int", "item-int", "proof-short",
        "subject-list", "issuer-float", "field-missing", "field-extra", "proof-object"])
def test_entries_cache_of_the_wrong_type_is_a_miss(tmp_path: Path, change: Any) -> None:
    folder = _copy(tmp_path)
    good = evidence_view(load_dossier(folder))
    head, _, body = _cache(folder).read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data[1])
    _cache(folder).write_bytes(head + b"\n" + json.dumps(data).encode())
    assert evidence_view(load_dossier(folder)) == good
    assert json.loads(_cache(folder).read_bytes().partition(b"\n")[2]) != data  # rewritten


@pytest.mark.parametrize("body", [b"", b"{", b"null", b"{}", b"[[]]", b"\xff\xfe"])
def test_entries_cache_that_is_not_a_list_of_entries_is_a_miss(tmp_path: Path,
                                                                body: bytes) -> None:
    folder = _copy(tmp_path)
    good = evidence_view(load_dossier(folder))
    head = _cache(folder).read_bytes().partition(b"\n")[0]
    _cache(folder).write_bytes(head + b"\n" + body)
    assert evidence_view(load_dossier(folder)) == good


def test_entries_cache_with_a_duplicate_id_is_a_miss(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    good = evidence_view(load_dossier(folder))
    head, _, body = _cache(folder).read_bytes().partition(b"\n")
    data = json.loads(body)
    data[1][0] = data[0][0]
    data[1][1] = "99/QĐ-X"
    _cache(folder).write_bytes(head + b"\n" + json.dumps(data).encode())
    assert evidence_view(load_dossier(folder)) == good


def test_entries_cache_under_another_key_is_not_used(tmp_path: Path) -> None:
    """A cache claiming another register (a key that is not this register's hash)."""
    folder = _copy(tmp_path)
    good = evidence_view(load_dossier(folder))
    body = _cache(folder).read_bytes().partition(b"\n")[2]
    _cache(folder).write_bytes(b"register-entries-1:" + b"0" * 64 + b"\n"
                               + body.replace(b"15/KH-STN", b"99/KH-STN"))
    assert evidence_view(load_dossier(folder)) == good


def _cells(path: Path) -> list[Any]:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, [(c.coordinate, c.data_type, c.value) for row in ws.iter_rows()
                        for c in row if c.value is not None]) for ws in wb.worksheets]


def test_export_from_the_cached_entries_writes_the_same_cells(tmp_path: Path) -> None:
    """Cold (caches written), warm (the register's entries and the plan, self-assessment …
    rebuilt from the caches) and from the files alone: the same cells."""
    dossier = tmp_path / "hs"
    shutil.copytree(EXAMPLE, dossier)
    # without the Ký số column, which the entries do not hold (it is read from the files)
    cold = export_workbook(dossier, tmp_path / "cold.xlsx", check=False, working=True,
                           signatures=False)
    assert _cache(dossier).is_file()
    warm = export_workbook(dossier, tmp_path / "warm.xlsx", check=False, working=True,
                           signatures=False)
    # the dossier's models read without the per-user cache, the register validated whole
    whole = export_workbook(load_dossier(dossier), tmp_path / "whole.xlsx", check=False,
                            working=True, evidence=_of_documents(dossier))
    assert _cells(cold.path) == _cells(warm.path) == _cells(whole.path)
    assert cold.rows == warm.rows == whole.rows


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=12)
_items = st.sampled_from(["1.1", "1.1.1", "1.1.2", "1.2", "2.1.1"])


@st.composite
def _registers(draw: st.DrawFn) -> Register:
    docs = []
    for i in range(draw(st.integers(0, 6))):
        docs.append(EvidenceDocument.model_validate({
            "id": f"d{i}",
            "number": draw(st.none() | _line),
            "type": draw(st.none() | _line),
            "date": draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 31))),
            "issuer": draw(st.none() | _line),
            "subject": draw(st.none() | _text),
            "files": draw(st.lists(st.sampled_from(
                ["documents/a.pdf", "documents/b.pdf", "documents/khong-co.pdf", "../x.pdf"]),
                max_size=3)),
            "proves": [{"item": item, "locator": locator} for item, locator in draw(
                st.lists(st.tuples(_items, st.none() | _line), max_size=4))],
        }))
    return Register(documents=tuple(docs))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(register=_registers())
def test_cached_entries_give_the_view_of_the_register(tmp_path: Path,
                                                      register: Register) -> None:
    folder = tmp_path / "hs"
    if not folder.exists():
        folder = _copy(tmp_path, "clean").rename(folder)
        (folder / "documents" / "a.pdf").write_bytes(b"%PDF-1.4")
    save_register(register, folder / "register.yaml")
    expected = _of_documents(folder)
    assert evidence_view(load_dossier(folder), signatures=False) == expected  # cold
    assert evidence_view(load_dossier(folder), signatures=False) == expected  # warm
