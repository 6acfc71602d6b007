"""Bonus and penalty items (extras) in the simulation layer: gains, what-if, compare, target.

The fixture framework (tests/fixtures/extras/framework.yaml): a 4-point tree; bonus T1 (choice
1 / 0,5 / 0) and T2 (manual, step 0,25, at most 1,5) capped at 2; penalty TR1 (0,5 per
violation, at most 1) and TR2 (from the appraisal) capped at 1,5. Some tests add TR3, a choice
penalty (0,5 for a report sent late) the unit can still avoid during the year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.analysis.compare import compare
from parindex.analysis.extragains import RECORDED
from parindex.analysis.gains import opportunities, where_the_points_are
from parindex.analysis.target import reach_target
from parindex.analysis.whatif import Change, choose, manual, occurrences, what_if, what_if_scores
from parindex.core.errors import InputError
from parindex.framework.catalog import load_framework
from parindex.framework.extras import ExtraGroup
from parindex.framework.inputs import ItemInput
from parindex.scoring.scorecard import score

from .conftest import EXAMPLE, FIXTURES, run_cli

FRAMEWORK = FIXTURES / "extras" / "framework.yaml"
NOTE = ("Điểm thưởng, điểm trừ nằm ngoài tổng điểm của bộ tiêu chí: chúng chỉ thay đổi tổng "
        "điểm sau thưởng, trừ, không thay đổi tổng điểm và Chỉ số CCHC.")
TR3 = """      - code: TR3
        name: Báo cáo định kỳ gửi trễ hạn
        max_points: 0.5
        source: fixture
        rule:
          type: choice
          options:
            - {id: dung-han, label: Gửi đúng hạn, points: 0}
            - {id: tre-han, label: Gửi trễ hạn, points: 0.5}
"""
TREE = """  1.1.1: {option: kip-thoi}
  1.1.2: {option: dat}
  '1.2': {option: khong-dat}
"""


def _without_extras(text: str) -> str:
    return text[:text.index("\nextras:")] + "\n"


def _dossier(root: Path, items: str, *, tr3: bool = False, extras: bool = True,
             name: str = "hoso", year: int = 2021) -> Path:
    folder = root / name
    folder.mkdir()
    text = FRAMEWORK.read_text(encoding="utf-8") + (TR3 if tr3 else "")
    (folder / "fw.yaml").write_text(text if extras else _without_extras(text),
                                    encoding="utf-8")
    (folder / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Thử nghiệm\nprovince: Quảng Ngãi\n"
        f"year: {year}\nframework: fw.yaml\n", encoding="utf-8")
    (folder / "self-assessment.yaml").write_text(
        f"kind: parindex/self-assessment\nitems:\n{TREE}{items}", encoding="utf-8")
    return folder


def _extras(path: Path, as_of: dt.date | None = None) -> dict[str, Any]:
    data: dict[str, Any] = where_the_points_are(path, as_of).to_dict()["extras"]
    return data


def _item(data: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in data["items"] if i["code"] == code)
    return found


# -- gains -----------------------------------------------------------------------------------

def test_a_bonus_gain_is_worth_only_what_the_cap_leaves(tmp_path: Path) -> None:
    # bonus 0,5 + 1,25 = 1,75 of the cap 2: 0,25 left
    d = _dossier(tmp_path, "  T1: {option: cap-so}\n  T2: {points: 1.25, explanation: Giải ba}\n")
    data = _extras(d)
    assert data["note"] == NOTE
    assert data["bonus"] == {"max": 2, "points": 1.75, "cap_left": 0.25}
    t1 = _item(data, "T1")
    assert [(g["action"], g["gain"], g["item_gain"]) for g in t1["gains"]] == [
        ("Được UBND tỉnh công nhận", 0.25, 0.5)]
    t2 = _item(data, "T2")
    assert [(g["action"], g["gain"], g["item_gain"], g["change"]["fields"])
            for g in t2["gains"]] == [("chấm tối đa (có giải trình)", 0.25, 0.25,
                                        {"points": 1.5, "explanation": "Giải ba"})]
    assert data["gainable"] == 0.25  # both together: still the 0,25 the cap leaves
    html = where_the_points_are(d)._repr_html_()
    assert "Điểm thưởng, điểm trừ (ngoài tổng điểm)" in html and NOTE in html
    assert ">TR2</td>" in html and ">có thể bị trừ đến 1 điểm</td>" in html
    # the tree 2 of 3 (survey pending, rescaled), +1 gainable on 1.2; net 1,75 − 0 → 2
    assert (data["adjusted_score"], data["best_adjusted_score"]) == (3.75, 5)
    assert (data["adjusted_index"], data["best_adjusted_index"]) == (125, 166.67)


def test_a_bonus_gain_at_the_cap_is_blocked_with_the_reason(tmp_path: Path) -> None:
    d = _dossier(tmp_path, "  T1: {option: cap-so}\n  T2: {points: 1.5, explanation: Giải nhất}\n")
    t1 = _item(_extras(d), "T1")
    assert t1["gains"] == [] and t1["gainable"] == 0
    assert [(g["gain"], g["item_gain"], g["reason"]) for g in t1["blocked"]] == [
        (0, 0.5, "điểm thưởng đã đạt mức tối đa 2 điểm: thay đổi này không làm tăng tổng điểm "
                 "sau thưởng, trừ")]


def test_a_recorded_violation_is_never_offered_as_a_gain() -> None:
    data = _extras(FIXTURES / "extras" / "bonus-capped-penalty-pending")
    tr1 = _item(data, "TR1")
    assert tr1["gains"] == [] and data["gainable"] == 0
    assert [(g["action"], g["reason"]) for g in tr1["blocked"]] == [
        ("bớt 1 lần “Mỗi vi phạm bị xử lý”", RECORDED)]
    assert data["pending"] == [{
        "code": "TR2", "name": "Điểm tự đánh giá cao hơn điểm thẩm định trên 10%", "max": 1,
        "reason": "chờ kết quả thẩm định: mục này tính từ chênh lệch giữa điểm tự đánh giá và "
                  "điểm thẩm định, không nhập số liệu"}]
    assert data["penalty"] == {"max": 1.5, "points": 0.5, "pending": 1}


def test_a_choice_penalty_can_be_avoided_during_the_year_not_after(tmp_path: Path) -> None:
    d = _dossier(tmp_path, "  TR3: {option: tre-han}\n", tr3=True)
    during = _item(_extras(d, dt.date(2021, 11, 15)), "TR3")
    assert [(g["action"], g["gain"], g["reason"]) for g in during["gains"]] == [
        ("Gửi đúng hạn", 0.5, None)]
    after = _item(_extras(d, dt.date(2022, 1, 15)), "TR3")
    assert after["gains"] == []
    assert [g["reason"] for g in after["blocked"]] == [
        "năm 2021 đã kết thúc (tính đến 15/01/2022): đây là thay đổi kết quả đã qua, không còn "
        "thực hiện được"]


def test_gains_of_extras_never_move_the_tree(tmp_path: Path) -> None:
    items = "  T1: {option: khong}\n  TR3: {option: tre-han}\n"
    with_ = where_the_points_are(_dossier(tmp_path, items, tr3=True)).to_dict()
    without = where_the_points_are(_dossier(tmp_path, items, tr3=True, extras=False,
                                            name="tree")).to_dict()
    assert "extras" not in without
    extras = with_.pop("extras")
    assert with_ == without
    # T1 +1 and T2 (not claimed) +1,5 capped at 2, TR3 avoided +0,5
    assert extras["gainable"] == 2.5


def test_gains_cli_shows_extras_apart_with_the_note(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    d = _dossier(tmp_path, "  T1: {option: cap-so}\n")
    code, out, _ = run_cli(capsys, "gains", str(d), "--as-of", "2021-11-15")
    assert code == 0
    flat = " ".join(out.split())
    assert "Điểm thưởng, điểm trừ (ngoài tổng điểm)" in flat
    # T1 +0,5 and T2 +1,5 each alone; together 1,5 (the cap 2 less the 0,5 claimed)
    assert "│ T2 │ Điểm thưởng │ chấm tối đa (có giải trình) │ │ +1,50 │" in flat
    assert ("Ngoài tổng điểm: còn có thể tăng 1,5 điểm (điểm thưởng, tránh điểm trừ). "
            + NOTE) in flat


# -- what-if ---------------------------------------------------------------------------------

def test_what_if_takes_extras_inputs_and_reports_the_adjusted_change() -> None:
    d = FIXTURES / "extras" / "bonus-capped-penalty-pending"
    r = what_if(d, [choose("T1", "khong"), occurrences("TR1")])
    assert (r.score_delta, r.index_delta, r.changed) == (0, 0, ())
    ex = r.to_dict()["extras"]
    assert ex == {
        "note": NOTE, "bonus_before": 2, "bonus_after": 1.5, "penalty_before": 0.5,
        "penalty_after": 0, "net_before": 1.5, "net_after": 1.5,
        "adjusted_score_before": 3.5, "adjusted_score_after": 3.5, "adjusted_score_delta": 0,
        "adjusted_index_before": 116.67, "adjusted_index_after": 116.67,
        "adjusted_index_delta": 0,
        "items": [
            {"code": "T1", "name": "Sáng kiến cải cách hành chính được công nhận ngoài tiêu chí",
             "group": "bonus", "status_before": "scored", "status_after": "scored",
             "points_before": 1, "points_after": 0, "delta": -1},
            {"code": "TR1", "name": "Vi phạm kỷ luật, kỷ cương hành chính bị xử lý",
             "group": "penalty", "status_before": "scored", "status_after": "scored",
             "points_before": 0.5, "points_after": 0, "delta": -0.5}]}
    r = what_if(d, [occurrences("TR1", **{"vi-pham": 3})])  # 1,5 capped at the item's 1
    assert r.extras is not None and r.extras.adjusted_score_delta == D("-0.5")
    assert "Tổng điểm sau thưởng, trừ: 3,5 → 3 (-0,5)" in r._repr_html_()


def test_what_if_refuses_bad_extras_inputs_naming_item_and_field() -> None:
    d = FIXTURES / "extras" / "bonus-capped-penalty-pending"
    with pytest.raises(InputError) as err:
        what_if(d, [choose("TR2", "x"), choose("T1", "nope"), manual("T2", 3, "x"),
                    Change("T1", {"count": 1})])
    assert [(p.key, p.message.split(":")[0]) for p in err.value.problems] == [
        ("changes[0]", "penalty item TR2 is computed from the appraisal (the self-assessed "
                       "points less the appraised ones)"),
        ("changes[1].option", "item T1, field 'option'"),
        ("changes[2]", "item T2, fields 'points', 'explanation'"),
        ("changes[3].count", "item T1, field 'count'")]


# -- compare ---------------------------------------------------------------------------------

def test_compare_sets_extras_apart_from_the_tree(tmp_path: Path) -> None:
    a = _dossier(tmp_path, "  T1: {option: cap-so}\n", name="a", year=2021)
    b = _dossier(tmp_path, "  T1: {option: cap-tinh}\n  TR1: {occurrences: {vi-pham: 1}}\n",
                 name="b", year=2022)
    c = compare(a, b, ("2021", "2022"))
    data = c.to_dict()
    ex = data.pop("extras")
    side_a = {"bonus": 0.5, "penalty": 0, "pending": 1, "net": 0.5, "adjusted_score": 2.5,
              "adjusted_index": 83.33}
    side_b = {"bonus": 1, "penalty": 0.5, "pending": 1, "net": 0.5, "adjusted_score": 2.5,
              "adjusted_index": 83.33}
    assert (ex["a"], ex["b"]) == (side_a, side_b)
    assert (ex["bonus_delta"], ex["penalty_delta"], ex["adjusted_score_delta"],
            ex["adjusted_index_delta"]) == (0.5, 0.5, 0, 0)
    assert [(i["code"], i["points_a"], i["points_b"], i["delta"]) for i in ex["items"]] == [
        ("T1", 0.5, 1, 0.5), ("T2", 0, 0, 0), ("TR1", 0, 0.5, 0.5), ("TR2", 0, 0, 0)]
    plain_a = _dossier(tmp_path, "", extras=False, name="pa")
    plain_b = _dossier(tmp_path, "", extras=False, name="pb", year=2022)
    tree = compare(plain_a, plain_b, ("2021", "2022")).to_dict()
    assert "extras" not in tree
    assert data["total"] == tree["total"] and data["areas"] == tree["areas"]
    assert c.summary().endswith(
        "Tổng điểm sau thưởng, trừ 2021: 2,50 (thưởng +0,50, trừ −0,00) → 2022: 2,50 (thưởng "
        "+1,00, trừ −0,50). " + NOTE)


def test_compare_with_one_side_without_extras(tmp_path: Path) -> None:
    a = _dossier(tmp_path, "", extras=False, name="a")
    b = _dossier(tmp_path, "  T1: {option: cap-so}\n", name="b", year=2022)
    ex = compare(a, b).to_dict()["extras"]
    assert ex["a"] is None and ex["b"]["bonus"] == 0.5
    assert (ex["bonus_delta"], ex["adjusted_score_delta"]) == (None, None)
    assert ex["items"][0] == {"code": "T1", "name": "Sáng kiến cải cách hành chính được công "
                              "nhận ngoài tiêu chí", "group": "bonus", "points_a": None,
                              "points_b": 0.5, "delta": None}


# -- reach_target ----------------------------------------------------------------------------

def test_reach_target_stays_on_the_tree_index(tmp_path: Path) -> None:
    items = "  T1: {option: khong}\n  TR3: {option: tre-han}\n"
    with_ = reach_target(_dossier(tmp_path, items, tr3=True), 100)
    without = reach_target(_dossier(tmp_path, items, tr3=True, extras=False, name="t"), 100)
    assert with_.to_dict() == without.to_dict()
    assert [g.code for g in with_.chosen] == ["1.2"]  # never a bonus or penalty item
    assert with_.reached and with_.index_after == 100


# -- invariants ------------------------------------------------------------------------------

T1_OPTIONS = st.sampled_from([None, "khong", "cap-so", "cap-tinh"])
T2_POINTS = st.one_of(st.none(), st.integers(0, 6).map(lambda n: D(n) / 4))
CAPS = st.one_of(st.none(), st.sampled_from([D("0.5"), D(1), D("1.5"), D(2), D(3)]))


def _inputs(t1: str | None, t2: D | None, tr1: int) -> dict[str, ItemInput]:
    inputs = {"1.1.1": ItemInput(option="khong-kip-thoi"), "1.2": ItemInput(option="dat")}
    if t1 is not None:
        inputs["T1"] = ItemInput(option=t1)
    if t2 is not None:
        inputs["T2"] = ItemInput(points=t2, explanation="giải thưởng")
    if tr1:
        inputs["TR1"] = ItemInput(occurrences={"vi-pham": tr1})
    return inputs


@settings(max_examples=60, deadline=None)
@given(T1_OPTIONS, T2_POINTS, st.integers(0, 3), CAPS)
def test_a_bonus_gain_never_exceeds_the_cap_left(t1: str | None, t2: D | None, tr1: int,
                                                 cap: D | None) -> None:
    fw = load_framework(FRAMEWORK)
    assert fw.extras is not None and fw.extras.bonus is not None
    bonus = ExtraGroup.model_validate({**fw.extras.bonus.model_dump(), "max_points": cap})
    fw = fw.model_copy(update={"extras": fw.extras.model_copy(update={"bonus": bonus})})
    card = score(fw, _inputs(t1, t2, tr1))
    assert card.extras is not None
    opp = opportunities(card)
    assert opp.extras is not None
    left = None if cap is None else cap - card.extras.bonus.points
    bonus_gains = [g for o in opp.extras.items for g in (*o.gains, *o.blocked)
                   if g.group == "bonus"]
    for g in bonus_gains:
        assert 0 <= g.points <= g.item_points
        assert left is None or g.points <= left
        assert g.reachable == (g.points > 0)
    bonus_best = opp.extras.best.bonus.points - card.extras.bonus.points
    assert bonus_best >= 0 and (left is None or bonus_best <= left)
    # each reachable gain, applied alone, moves the adjusted score by exactly its points and
    # leaves the tree as it is
    for g in (g for g in bonus_gains if g.reachable):
        r = what_if_scores(fw, card_inputs(card), None, [g.change])
        assert r.after.total == card.total and r.extras is not None
        assert r.extras.adjusted_score_delta == g.points


def card_inputs(card: Any) -> dict[str, ItemInput]:
    tree = {n.code: n.input for n in card.leaves() if n.input is not None}
    extra = {i.code: i.input for i in card.extras.items if i.input is not None}
    return tree | extra


@settings(max_examples=60, deadline=None)
@given(T1_OPTIONS, T2_POINTS, st.integers(0, 3), T1_OPTIONS, T2_POINTS, st.integers(0, 3))
def test_extras_inputs_never_change_the_tree(t1: str | None, t2: D | None, tr1: int,
                                             n1: str | None, n2: D | None, m1: int) -> None:
    fw = load_framework(FRAMEWORK)
    changes = [c for c in (choose("T1", n1) if n1 else None,
                           manual("T2", n2, "giải") if n2 is not None else None,
                           occurrences("TR1", **({"vi-pham": m1} if m1 else {})))
               if c is not None]
    r = what_if_scores(fw, _inputs(t1, t2, tr1), None, changes)
    assert r.after.total == r.before.total and r.after.nodes == r.before.nodes
    assert r.changed == () and r.extras is not None
    assert r.extras.adjusted_score_delta == (r.after.extras.net - r.before.extras.net
                                             if r.after.extras and r.before.extras else None)


# -- no extras: the output of today ----------------------------------------------------------

DIGESTS = {
    # sha256 of each output on the example dossier (whose framework has no extras), taken on
    # main before extras entered the simulation layer; a change here must be deliberate
    "gains-json": "6f1916114d6cb8d5",
    "gains-text": "025bbddfefbb66b9",
    "gains-closed": "cd27255468732cee",
    "gains-target": "491f3f7759373261",
    "gains-target-text": "31cbb5c380881fe9",
    "compare-json": "d45b76be3e549d2e",
    "compare-text": "a474c77c530a5419",
    "whatif": "4bc2249913c11d01",
    "opp": "d39ba23e88c20fce",
    "cmp": "30905f5034251b6d",
    "target": "67c98a44fac97a19",
}


def test_without_extras_every_touched_output_is_as_before(
        capsys: pytest.CaptureFixture[str]) -> None:
    ex = str(EXAMPLE)

    def cli(*args: str) -> str:
        return run_cli(capsys, *args)[1]

    out = {
        "gains-json": cli("gains", ex, "--json", "--as-of", "2021-11-15"),
        "gains-text": cli("gains", ex, "--as-of", "2021-11-15"),
        "gains-closed": cli("gains", ex, "--as-of", "2022-01-15"),
        "gains-target": cli("gains", ex, "--json", "--target", "95"),
        "gains-target-text": cli("gains", ex, "--target", "95"),
        "compare-json": cli("compare", ex, ex, "--json"),
        "compare-text": cli("compare", ex, ex),
    }
    w = what_if(ex, [choose("1.1.1", "kip-thoi")])
    out["whatif"] = json.dumps(w.to_dict(), ensure_ascii=False) + repr(w) + w._repr_html_()
    o = where_the_points_are(ex, dt.date(2021, 11, 15))
    out["opp"] = repr(o) + o._repr_html_() + o.summary()
    c = compare(ex, ex)
    out["cmp"] = repr(c) + c._repr_html_() + c.summary()
    t = reach_target(ex, 95)
    out["target"] = json.dumps(t.to_dict(), ensure_ascii=False) + repr(t) + t.summary()
    got = {k: hashlib.sha256(v.encode()).hexdigest()[:16] for k, v in out.items()}
    assert got == DIGESTS


def test_the_digest_test_sees_a_changed_output(tmp_path: Path) -> None:
    copy = tmp_path / "hoso"
    shutil.copytree(FIXTURES / "extras" / "bonus-capped-penalty-pending", copy)
    text = (FIXTURES / "extras" / "framework.yaml").read_text(encoding="utf-8")
    (tmp_path / "framework.yaml").write_text(text, encoding="utf-8")
    with_ = json.dumps(where_the_points_are(copy).to_dict(), ensure_ascii=False)
    (tmp_path / "framework.yaml").write_text(_without_extras(text), encoding="utf-8")
    without = json.dumps(where_the_points_are(copy).to_dict(), ensure_ascii=False)
    assert '"extras"' in with_ and '"extras"' not in without
