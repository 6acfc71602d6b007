"""The framework's cache (issue 17): the same framework as the file gives, never trusted over
the file, and a corrupted or hostile entry is ignored (:mod:`parindex.core.modelcache`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from parindex.core import yamlio
from parindex.core.errors import InputError
from parindex.core.modelcache import Miss, cache_home, dump, rebuild
from parindex.evidence.check import check_dossier
from parindex.framework.catalog import criteria_dir, load_framework
from parindex.framework.model import Framework

from .conftest import EXAMPLE, FIXTURES

FRAMEWORKS = sorted(criteria_dir().glob("*.yaml")) + sorted(FIXTURES.rglob("framework*.yaml"))


def _entries() -> list[Path]:
    return sorted((cache_home() / "models").glob("*.json"))


def _fresh(tmp_path: Path, source: Path = FIXTURES / "check" / "framework.yaml") -> Path:
    """A framework file of its own (its cache entry is named after its path)."""
    target = tmp_path / "framework.yaml"
    shutil.copy(source, target)
    return target


def _named(path: Path) -> Path:
    name = hashlib.sha256(os.fsencode(os.path.realpath(path))).hexdigest()[:32]
    return cache_home() / "models" / f"{name}.json"


def _entry_of(path: Path) -> Path:
    load_framework(path, cache=True)
    entry = _named(path)
    assert entry.is_file()
    return entry


def _parse_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the framework file was parsed again")

    monkeypatch.setattr(yamlio, "parse_yaml", fail)


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.name)
def test_rebuilt_framework_is_the_validated_one(path: Path) -> None:
    try:
        fw = load_framework(path)
    except InputError:
        pytest.skip("an invalid framework (a fixture of its errors)")
    back = rebuild(Framework, json.loads(json.dumps(dump(fw))))
    assert back == fw
    assert back.model_dump_json() == fw.model_dump_json()
    assert back.model_fields_set == fw.model_fields_set
    assert [n.code for n in back.leaves()] == [n.code for n in fw.leaves()]


def test_warm_load_reads_the_cache_not_the_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = _fresh(tmp_path)
    first = load_framework(path, cache=True)
    _entry_of(path)
    from parindex.framework import catalog

    catalog._load_path.cache_clear()  # the process's own memo: ask the cache on disk
    _parse_fails(monkeypatch)
    assert load_framework(path, cache=True) == first


def test_one_byte_changed_is_read_again(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    load_framework(path, cache=True)
    text = path.read_text(encoding="utf-8")
    st = path.stat()
    path.write_text(text.replace("title: Bộ", "title: Bỏ", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: bytes differ
    from parindex.framework import catalog

    catalog._load_path.cache_clear()
    assert load_framework(path, cache=True).title.startswith("Bỏ")


def test_no_cache_writes_and_reads_no_framework_entry(tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    shutil.copytree(FIXTURES / "check" / "clean", folder)
    shutil.copy(FIXTURES / "check" / "framework.yaml", tmp_path / "framework.yaml")
    before = _entries()
    check_dossier(folder, as_of=dt.date(2022, 1, 15), cache=False)
    assert _entries() == before
    check_dossier(folder, as_of=dt.date(2022, 1, 15))
    assert _named(tmp_path / "framework.yaml") in _entries()


def _hostile(data: dict[str, Any]) -> list[Any]:
    """Bodies an entry may have been given, each to be ignored."""
    fields = data["f"]
    return [
        None, [], "x", {"$m": "Framework"}, {**data, "$m": "Criterion"},
        {**data, "f": {**fields, "title": 1}},
        {**data, "f": {**fields, "scoring_year": True}},
        {**data, "f": {**fields, "total_points": 4.0}},
        {**data, "f": {**fields, "total_points": {"$d": "NaN"}}},
        {**data, "f": {**fields, "total_points": {"$d": "bốn"}}},
        {**data, "f": {**fields, "total_points": {"$d": "1e999999999"}}},
        {**data, "f": {**fields, "total_points": {"$d": "4.0000000000000000001"}}},
        {**data, "f": {**fields, "status": "chính thức"}},
        {**data, "f": {**fields, "areas": {"$m": "Area"}}},
        {**data, "f": {**fields, "areas": [{"$m": "os.system", "f": {}, "s": []}]}},
        {**data, "f": {**fields, "unknown": 1}},
        {**data, "f": {k: v for k, v in fields.items() if k != "title"}},
        {**data, "s": ["not-a-field"]},
        {**data, "extra": 1},
    ]


def test_corrupted_or_hostile_entries_are_ignored(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    want = load_framework(path)
    entry = _entry_of(path)
    head, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    from parindex.framework import catalog

    bodies: list[bytes] = [b"", b"\xff\xfe", body[: len(body) // 2], b"[" * 100_000,
                           *(json.dumps(b).encode() for b in _hostile(data))]
    for bad in bodies:
        for text in (head + b"\n" + bad, bad, b"garbage\n" + body):
            entry.write_bytes(text)
            catalog._load_path.cache_clear()
            assert load_framework(path, cache=True) == want
            # the entry was written again from the file
            assert json.loads(entry.read_bytes().partition(b"\n")[2]) == data


def test_rebuild_refuses_what_the_annotations_do_not_name() -> None:
    fw = load_framework(FIXTURES / "check" / "framework.yaml")
    data = dump(fw)
    area = data["f"]["areas"][0]
    with pytest.raises(Miss):
        rebuild(Framework, {**data, "f": {**data["f"], "areas": [{**area, "$m": "Framework"}]}})
    with pytest.raises(Miss):
        rebuild(Framework, {**data, "f": {**data["f"], "precision": 2.0}})


def test_an_invalid_framework_is_not_cached(tmp_path: Path) -> None:
    path = _fresh(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("total_points: 4",
                                                             "total_points: -4"),
                    encoding="utf-8")
    before = _entries()
    for _ in range(2):
        with pytest.raises(InputError) as err:
            load_framework(path, cache=True)
        assert "total_points" in str(err.value.problems)
    assert _entries() == before


def test_warm_check_of_the_example_is_unchanged_by_the_cache() -> None:
    cold = check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15), cache=False)
    check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15))
    from parindex.framework import catalog

    catalog._load_path.cache_clear()
    warm = check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15))
    assert warm.to_dict() == cold.to_dict()


DOSSIERS = sorted({p.parent for p in Path(__file__).resolve().parent.parent.glob(
    "**/dossier.yaml") if ".venv" not in p.parts})


@pytest.mark.parametrize("folder", DOSSIERS, ids=lambda p: p.name)
def test_rebuilt_dossier_files_are_the_validated_ones(folder: Path) -> None:
    from parindex.scoring.dossier import load_dossier

    try:
        dossier = load_dossier(folder)
        plan = dossier.plan
    except InputError:
        pytest.skip("a dossier with invalid files (a fixture of its errors)")
    for model in (dossier.self_assessment, dossier.survey, plan):
        if model is None:
            continue
        back = rebuild(type(model), json.loads(json.dumps(dump(model))))
        assert back == model
        assert back.model_dump_json() == model.model_dump_json()


def test_warm_dossier_reads_its_plan_from_the_cache(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from parindex.scoring.dossier import load_dossier

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    cold = load_dossier(folder, cache=True)
    assert cold.plan is not None
    calls: list[str] = []
    real = yamlio.parse_yaml

    def counted(text: str, file: Path | None = None, **kwargs: Any) -> Any:
        calls.append(file.name if file else "?")
        return real(text, file, **kwargs)

    monkeypatch.setattr(yamlio, "parse_yaml", counted)
    warm = load_dossier(folder, cache=True)
    assert warm.plan == cold.plan and warm.self_assessment == cold.self_assessment
    assert "plan.yaml" not in calls and "self-assessment.yaml" not in calls
    (folder / "plan.yaml").write_text((folder / "plan.yaml").read_text(encoding="utf-8") + "\n",
                                      encoding="utf-8")
    assert load_dossier(folder, cache=True).plan == cold.plan
    assert "plan.yaml" in calls  # one byte more: read again
