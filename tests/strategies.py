"""Hypothesis strategies for frameworks and the inputs that fit them."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import strategies as st

from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework

QUARTERS = st.integers(min_value=1, max_value=12).map(lambda n: D(n) / 4)


@st.composite
def rules(draw: st.DrawFn, max_points: D) -> dict[str, Any]:
    kind = draw(st.sampled_from(["choice", "bands", "proportional", "deduction", "manual",
                                 "weighted"]))
    if kind == "choice":
        lower = draw(st.lists(st.integers(0, int(max_points * 4)).map(lambda n: D(n) / 4),
                              max_size=3))
        pts = [max_points, *[p for p in lower if p <= max_points]]
        return {"type": "choice", "options": [
            {"id": f"o{i}", "label": f"Lựa chọn {i}", "points": p} for i, p in enumerate(pts)]}
    if kind == "bands":
        cut = draw(st.integers(1, 99))
        return {"type": "bands", "bands": [
            {"points": max_points, "from": cut}, {"points": 0, "below": cut}]}
    if kind == "proportional":
        return {"type": "proportional", "from": draw(st.integers(0, 100))}
    if kind == "deduction":
        return {"type": "deduction", "floor": draw(st.sampled_from([D(0), -max_points])),
                "penalties": [{"id": "p", "label": "Vi phạm", "points": draw(QUARTERS)}]}
    if kind == "weighted":
        return {"type": "weighted", "terms": [
            {"id": "b", "label": "đạt", "weight": max_points},
            {"id": "c", "label": "đạt một phần", "weight": max_points / 2}]}
    return {"type": "manual", "step": D("0.25")}


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    areas = []
    n_areas = draw(st.integers(1, 3))
    for a in range(1, n_areas + 1):
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            code = f"{a}.{c}"
            survey = draw(st.booleans()) and draw(st.booleans())
            n_subs = 0 if survey else draw(st.integers(0, 3))
            if n_subs == 0:
                mx = draw(QUARTERS)
                crit: dict[str, Any] = {
                    "code": code, "name": f"Tiêu chí {code}", "max_points": mx, "source": "gen",
                    "not_applicable_allowed": draw(st.booleans())} | na_rule(draw)
                if survey:
                    crit |= {"method": "survey", "rule": {"type": "survey"}}
                else:
                    crit["rule"] = draw(rules(mx))
            else:
                subs = []
                for s in range(1, n_subs + 1):
                    mx = draw(QUARTERS)
                    subs.append({"code": f"{code}.{s}", "name": f"Thành phần {code}.{s}",
                                 "max_points": mx, "source": "gen", "rule": draw(rules(mx)),
                                 "not_applicable_allowed": draw(st.booleans())} | na_rule(draw))
                crit = {"code": code, "name": f"Tiêu chí {code}", "source": "gen",
                        "max_points": sum((x["max_points"] for x in subs), D(0)),
                        "sub_criteria": subs}
            criteria.append(crit)
        areas.append({"code": str(a), "name": f"Lĩnh vực {a}", "source": "gen",
                      "max_points": sum((x["max_points"] for x in criteria), D(0)),
                      "criteria": criteria})
    return Framework.model_validate({
        "id": "gen", "title": "Khung sinh ngẫu nhiên", "province": "Thử", "level": "sở",
        "scoring_year": 2021, "status": "provisional",
        "not_applicable": draw(st.sampled_from(["drop", "award-max"])),
        "total_points": sum((x["max_points"] for x in areas), D(0)), "areas": areas})


def na_rule(draw: st.DrawFn) -> dict[str, Any]:
    """An item's own not-applicable rule, sometimes (else the framework's default)."""
    policy = draw(st.sampled_from([None, None, "drop", "award-max"]))
    return {} if policy is None else {"not_applicable": policy}


@st.composite
def item_input(draw: st.DrawFn, fw: Framework, code: str) -> ItemInput:
    node = fw.node(code)
    rule = node.rule
    assert rule is not None
    mx = node.max_points
    if fw.na_allowed(node) and draw(st.integers(0, 5)) == 0:
        return ItemInput(not_applicable=True, explanation="Không phát sinh")
    if rule.type == "choice":
        return ItemInput(option=draw(st.sampled_from([o.id for o in rule.options])))
    if rule.type in ("bands", "proportional"):
        total = draw(st.integers(1, 50))
        return ItemInput(done=D(draw(st.integers(0, total))), total=D(total))
    if rule.type == "deduction":
        return ItemInput(occurrences={"p": draw(st.integers(0, 10))})
    if rule.type == "weighted":
        total = draw(st.integers(1, 20))
        b = draw(st.integers(0, total))
        c = draw(st.integers(0, total - b))
        return ItemInput(total=D(total), counts={"b": D(b), "c": D(c)})
    if rule.type == "survey":
        return ItemInput(points=D(draw(st.integers(0, int(mx * 4)))) / 4)
    steps = int(mx / D("0.25"))
    return ItemInput(points=D(draw(st.integers(0, steps))) / 4, explanation="Chấm theo thực tế")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Framework, dict[str, ItemInput], dict[str, ItemInput]]:
    """A framework with inputs for some of its self-scored items and maybe its survey items."""
    fw = draw(frameworks())
    inputs: dict[str, ItemInput] = {}
    survey: dict[str, ItemInput] = {}
    with_survey = draw(st.booleans())
    for node in fw.leaves():
        if node.method == "survey":
            if with_survey:
                survey[node.code] = draw(item_input(fw, node.code))
        elif draw(st.integers(0, 9)) > 0:
            inputs[node.code] = draw(item_input(fw, node.code))
    return fw, inputs, survey


@st.composite
def extras(draw: st.DrawFn) -> dict[str, Any]:
    """An ``extras`` block: a bonus and / or a penalty group, capped or not, with items of the
    rule kinds each group takes (a penalty may count occurrences or read the appraisal)."""
    out: dict[str, Any] = {}
    groups = draw(st.sampled_from([("bonus",), ("penalty",), ("bonus", "penalty")]))
    for group in groups:
        items = []
        for i in range(1, draw(st.integers(1, 3)) + 1):
            mx = draw(QUARTERS)
            code = f"{'T' if group == 'bonus' else 'TR'}{i}"
            item: dict[str, Any] = {"code": code, "name": f"Mục {code}", "max_points": mx,
                                    "source": "gen"}
            kind = draw(st.sampled_from(["choice", "manual", "bands", "deduction", "gap"]
                                        if group == "penalty" else
                                        ["choice", "manual", "bands"]))
            if kind == "deduction":
                item["rule"] = {"type": "deduction", "penalties": [
                    {"id": "p", "label": "Mỗi vi phạm", "points": draw(QUARTERS)}]}
            elif kind == "gap":
                cut = draw(st.integers(1, 99))
                item |= {"from_appraisal": "gap-percent", "rule": {"type": "bands", "bands": [
                    {"points": mx, "above": cut}, {"points": 0, "to": cut}]}}
            elif kind == "choice":
                item["rule"] = {"type": "choice", "options": [
                    {"id": "co", "label": "Có", "points": mx},
                    {"id": "khong", "label": "Không có", "points": 0}]}
            elif kind == "bands":
                cut = draw(st.integers(1, 20))
                item["rule"] = {"type": "bands", "measure": "count", "bands": [
                    {"points": mx, "from": cut}, {"points": 0, "below": cut}]}
            else:
                item["rule"] = {"type": "manual", "step": D("0.25")}
            items.append(item)
        grp: dict[str, Any] = {"items": items}
        if draw(st.booleans()):
            grp["max_points"] = draw(QUARTERS)
        out[group] = grp
    return out
