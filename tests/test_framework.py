"""Framework loading: invariants reported together, with file, line and key path."""

from __future__ import annotations

import unicodedata
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings

from parindex.core.errors import InputError, UnknownFrameworkError
from parindex.framework.catalog import framework_to_yaml, load_framework, shipped_frameworks
from parindex.framework.model import Framework

from .conftest import FIXTURES, ROOT
from .strategies import frameworks

FW = FIXTURES / "framework"


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_framework(path)
    return [str(p) for p in exc.value.problems]


def test_three_planted_mistakes_in_one_error() -> None:
    f = FW / "three_planted_mistakes.yaml"
    assert problems(f) == [
        f"{f}:20 areas[0].criteria[0].max_points: max_points is 2 but its sub-criteria add up "
        "to 1,5 (difference -0,5)",
        f"{f}:28 areas[0].criteria[0].sub_criteria[1].code: code 1.1.1 is used twice (also at "
        "areas[0].criteria[0].sub_criteria[0])",
        f"{f}:38 areas[1].criteria[0].code: code 3.1 does not sit under area 2 (expected 2.N)",
    ]


def test_typo_key_and_text_points_reported_together() -> None:
    f = FW / "typo_key_and_text_points.yaml"
    found = problems(f)
    assert len(found) == 3
    assert found[0].startswith(f"{f}:14 areas[0].max_points: ")
    assert found[1] == (f"{f}:21 areas[0].criteria[0].rule.choice.options[0].points: "
                        "thiếu khóa bắt buộc (required key is missing)")
    assert found[2] == (f"{f}:21 areas[0].criteria[0].rule.choice.options[0].pionts: "
                        "khóa không có trong lược đồ, kiểm tra chính tả (unknown key)")


def test_duplicate_yaml_key_rejected() -> None:
    f = FW / "duplicate_key.yaml"
    assert problems(f) == [f"{f}:3 id: khóa 'id' bị lặp, đã ghi ở dòng 2 (duplicate key)"]


def test_codes_stay_text_even_when_they_look_like_numbers() -> None:
    fw = load_framework(FW / "minimal_valid.yaml")
    assert [n.code for n in fw.nodes] == ["1", "1.10", "2", "2.1"]
    assert fw.self_scored_max == 1 and fw.survey_max == 2


def test_unknown_framework_names_the_shipped_ones() -> None:
    with pytest.raises(UnknownFrameworkError, match="qn-so-2021"):
        load_framework("no-such-framework")


def test_missing_file() -> None:
    with pytest.raises(InputError, match="file not found"):
        load_framework(FW / "absent.yaml")


def test_shipped_quang_ngai_framework_is_complete() -> None:
    fw = load_framework("qn-so-2021")
    assert fw.status == "provisional"
    assert fw.total_points == 100
    assert fw.self_scored_max == 80 and fw.survey_max == 20
    assert [a.code for a in fw.areas] == [str(i) for i in range(1, 9)]
    assert [a.max_points for a in fw.areas] == [D(12), D(8), D(18), D(8), D(10), D(7), D(17),
                                                D(20)]
    for node in fw.nodes:
        assert node.item.source.strip(), node.code
        assert unicodedata.is_normalized("NFC", node.name)
        if node.is_leaf:
            assert node.rule is not None
            assert node.rule.attainable(node.max_points)[1] == node.max_points
    assert shipped_frameworks()["qn-so-2021"] == ROOT / "criteria" / "qn-so-2021.yaml"


def test_shipped_frameworks_reads_each_file_once_while_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from parindex.framework import catalog

    folder = tmp_path / "criteria"
    folder.mkdir()
    src = (FW / "minimal_valid.yaml").read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(src, encoding="utf-8")
    (folder / "b.yaml").write_text("kind: something-else\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "criteria_dir", lambda: folder)
    reads: list[str] = []
    load = catalog.load_yaml

    def counting(path: Path, **kw: object) -> object:
        reads.append(path.name)
        return load(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "load_yaml", counting)
    fid = str(catalog.load_yaml(folder / "a.yaml")[0]["id"])
    reads.clear()
    assert shipped_frameworks() == {fid: folder / "a.yaml"}
    assert shipped_frameworks() == {fid: folder / "a.yaml"}
    assert reads == ["a.yaml", "b.yaml"]
    # a changed file is read again: here it now declares another id
    (folder / "a.yaml").write_text(src.replace(f"id: {fid}", "id: khac"), encoding="utf-8")
    os.utime(folder / "a.yaml", ns=(1, 1))
    assert shipped_frameworks() == {"khac": folder / "a.yaml"}
    assert reads == ["a.yaml", "b.yaml", "a.yaml", "b.yaml"]


def test_shipped_file_says_provisional_in_words() -> None:
    text = (ROOT / "criteria" / "qn-so-2021.yaml").read_text(encoding="utf-8")
    assert "status: provisional" in text
    assert "673/QĐ-UBND" in text


def test_nfc_normalisation_on_load(tmp_path: Path) -> None:
    src = (FW / "minimal_valid.yaml").read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", src)
    assert decomposed != src
    f = tmp_path / "nfd.yaml"
    f.write_text(decomposed, encoding="utf-8")
    fw = load_framework(f)
    assert fw.areas[0].name == "Lĩnh vực một"
    assert unicodedata.is_normalized("NFC", fw.title)


@settings(max_examples=80, deadline=None)
@given(frameworks())
def test_yaml_dump_then_load_round_trips(tmp_path_factory: pytest.TempPathFactory,
                                         fw: Framework) -> None:
    path = tmp_path_factory.mktemp("rt") / "fw.yaml"
    path.write_text(framework_to_yaml(fw, header="round trip"), encoding="utf-8")
    assert load_framework(path) == fw


def test_shipped_framework_round_trips(tmp_path: Path) -> None:
    fw = load_framework("qn-so-2021")
    path = tmp_path / "qn.yaml"
    path.write_text(framework_to_yaml(fw), encoding="utf-8")
    assert load_framework(path) == fw
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in path.read_text(encoding="utf-8")


def test_classification_bands_carry_source_and_status() -> None:
    from parindex.framework.catalog import load_framework

    fw = load_framework("qn-so-2021")
    assert fw.classification and all(b.source for b in fw.classification)
    assert [fw.band_status(b) for b in fw.classification] == ["provisional"] * 5
    assert not fw.classification_official
    data = fw.model_dump(by_alias=True, exclude_none=True)
    official = Framework.model_validate(data | {"status": "official",
                                                "classification_status": None})
    assert official.classification_official
    one_placeholder = Framework.model_validate(data | {
        "status": "official", "classification_status": None,
        "classification": [*data["classification"][:-1],
                           data["classification"][-1] | {"status": "provisional"}]})
    assert not one_placeholder.classification_official
    no_bands = Framework.model_validate(data | {"status": "official", "classification": []})
    assert not no_bands.classification_official


def test_each_shipped_framework_is_kept_as_its_id() -> None:
    """load_framework("<id>") reads ``<id>.yaml`` first, without parsing the whole catalogue
    (issue 17: the warm check's start-up): that file must be the one the catalogue names."""
    from parindex.framework.catalog import criteria_dir

    shipped = shipped_frameworks()
    assert shipped and all(path == criteria_dir() / f"{fid}.yaml"
                           for fid, path in shipped.items())
    assert all(load_framework(fid).id == fid for fid in shipped)
