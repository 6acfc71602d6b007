"""Comparing two scorecards: same framework, and across frameworks whose criteria changed."""

from __future__ import annotations

from decimal import Decimal as D

from parindex.analysis.compare import COMPARE_COLUMNS, compare
from parindex.analysis.whatif import choose, count, what_if
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

from .conftest import EXAMPLE, FIXTURES

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
