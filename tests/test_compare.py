"""Comparing two scorecards: same framework, and across frameworks whose criteria changed."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from parindex.analysis.compare import COMPARE_COLUMNS, compare
from parindex.analysis.whatif import choose, count, what_if
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

from .conftest import EXAMPLE, FIXTURES, ROOT

Y2021 = load_framework(FIXTURES / "simulate" / "mini-framework.yaml")
Y2022 = load_framework(FIXTURES / "simulate" / "mini-framework-2022.yaml")
INPUTS_2021 = {"1.1.1": ItemInput(option="khong-kip-thoi"), "1.2": ItemInput(count=D(1)),
               "1.6": ItemInput(points=D("0.5"), explanation="Có giải trình")}
INPUTS_2022 = {"1.1.1": ItemInput(option="kip-thoi"), "1.2": ItemInput(count=D(3)),
               "1.7": ItemInput(points=D("0.25"), explanation="Có giải trình")}


def test_across_frameworks_matches_by_code_and_lists_the_unmatched() -> None:
    c = compare(score(Y2021, INPUTS_2021), score(Y2022, INPUTS_2022), ("2021", "2022"))
    assert not c.same_framework
    assert [n.code for n in c.only_a] == ["1.6"]
    assert [n.code for n in c.only_b] == ["1.7"]
    assert [(r.code, r.delta) for r in c.items if r.delta] == [("1.1.1", D("0.5")),
                                                             ("1.2", D("0.75"))]
    renamed = [r.code for r in c.rows if r.renamed]
    assert renamed == ["1.2"]
    assert not any(r.max_changed for r in c.rows)
    area1, area2 = c.areas
    assert area2.delta == 0
    assert (area1.a.score, area1.b.score, area1.delta) == (D("1.75"), D("2.75"), D(1))
    assert c.index_delta == D("12.5")  # 1,75/8 = 21,88 % → 2,75/8 = 34,38 %
    assert c.summary().splitlines() == [
        "Chỉ số 2021: 21,88% → 2022: 34,38% (chênh lệch +12,50 điểm phần trăm).",
        "2 tiêu chí thay đổi điểm:",
        "- 1.1.1 Ban hành kế hoạch CCHC năm: 0,50 → 1,00 (+0,50)",
        "- 1.2 Đối thoại với tổ chức, công dân: 0,75 → 1,50 (+0,75)",
        "Chỉ có trong 2021: 1.6",
        "Chỉ có trong 2022: 1.7",
    ]


def test_max_changed_is_flagged() -> None:
    data = Y2022.model_dump(by_alias=True)
    crit = data["areas"][0]["criteria"]
    crit[1]["max_points"] = D(1)  # 1.2 loses half a point …
    crit[1]["rule"]["bands"][0]["points"] = D(1)
    crit[1]["rule"]["bands"][1]["points"] = D("0.5")
    crit[3]["max_points"] = D("1.5")  # … which 1.4 gains
    crit[3]["rule"]["terms"][0]["weight"] = D("1.5")
    fw = type(Y2022).model_validate(data)
    c = compare(score(Y2021, INPUTS_2021), score(fw, INPUTS_2022))
    assert [r.code for r in c.rows if r.max_changed] == ["1.2", "1.4"]


def test_self_against_appraised_on_the_example() -> None:
    d = load_dossier(EXAMPLE)
    appraised = what_if(d, [choose("1.7", "tre-hoac-thieu"), count("1.5", 0)]).after
    c = compare(d.score(), appraised, ("tự đánh giá", "thẩm định"))
    assert c.same_framework and c.only_a == () and c.only_b == ()
    assert [(r.code, r.delta) for r in c.items if r.delta] == [("1.7", D("-0.5"))]
    assert [(r.code, r.delta) for r in c.areas if r.delta] == [("1", D("-0.5"))]
    df = c.to_frame()
    assert tuple(df.columns) == COMPARE_COLUMNS and len(df) == len(d.framework.nodes)
    data = c.to_dict()
    assert data["total"]["index_a"] == 90.04 and data["total"]["index_b"] == 89.39
    assert data["labels"] == ["tự đánh giá", "thẩm định"]


def _dossier_2022(tmp_path: Path) -> Path:
    """The example's inputs re-entered for 2022 under qn-so-2022 (codes moved as mapped)."""
    import shutil

    import yaml

    from parindex.framework.mapping import mapping_between

    target = tmp_path / "so-khcn-2022"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(
        "plan.yaml", "register.yaml", "documents"))
    manifest = yaml.safe_load((target / "dossier.yaml").read_text(encoding="utf-8"))
    manifest |= {"year": 2022, "framework": "qn-so-2022", "submission_deadline": "2023-01-15"}
    manifest.get("files", {}).pop("plan", None)
    (target / "dossier.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                         encoding="utf-8")
    a = load_framework("qn-so-2021")
    found = mapping_between(a, load_framework("qn-so-2022"))
    assert found is not None
    forward = found[0]
    sa = yaml.safe_load((target / "self-assessment.yaml").read_text(encoding="utf-8"))
    sa["items"] = {forward[c]: v for c, v in sa["items"].items()}
    sa["items"]["7.4"] = {"percent": 95}
    (target / "self-assessment.yaml").write_text(yaml.safe_dump(sa, allow_unicode=True),
                                                 encoding="utf-8")
    return target


def test_compare_across_the_2022_framework_follows_each_item_through_the_mapping(
        tmp_path: Path) -> None:
    a = load_dossier(EXAMPLE).score()
    b = load_dossier(_dossier_2022(tmp_path)).score()
    result = compare(a, b, ("2021", "2022"))
    assert result.mapping == "qn-so-2021__qn-so-2022"
    by = {r.code: r for r in result.rows}
    assert (by["7.3.1"].code_b, by["7.3.1"].delta) == ("3.7.1", 0)  # ISO moved, same points
    assert (by["7.4"].code_b, by["7.4"].b.name) == ("7.3", by["7.4"].a.name)
    assert by["2"].renamed and by["8.1"].max_changed
    assert [n.code for n in result.only_b] == ["7.4"] and result.only_a == ()
    data = result.to_dict()
    assert data["mapping"] == "qn-so-2021__qn-so-2022" and data["only_b"][0]["code"] == "7.4"
    assert "7.3 → 3.7" in result.summary()


def test_a_mapping_that_misses_a_code_is_refused(tmp_path: Path) -> None:
    import pytest

    from parindex.core.errors import InputError
    from parindex.framework.mapping import load_mapping

    shipped = load_framework("qn-so-2021")
    mapping = load_mapping(ROOT / "criteria" / "mappings" / "qn-so-2021__qn-so-2022.yaml")
    broken = mapping.model_copy(update={"pairs": mapping.pairs[1:]})
    with pytest.raises(InputError, match="neither mapped nor listed"):
        broken.check(shipped, load_framework("qn-so-2022"))
    mapping.check(shipped, load_framework("qn-so-2022"))  # the shipped one is complete
