"""Property: whatever a unit types into the form (within what the rules accept), importing it
gives a dossier that scores exactly as those inputs scored directly."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.entry.fields import carried, needs_of, needs_of_extra
from parindex.entry.form_export import export_forms
from parindex.entry.form_import import import_forms
from parindex.entry.skeleton import new_dossier, skeleton_text
from parindex.framework.extras import ExtraItem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, Node
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

from .conftest import FIXTURES
from .formtools import fill

_TEXT = st.text(alphabet="abcdeăâđêôơưÁÀẢÃẠạếỗ ,.;()%/0123456789-=", min_size=1, max_size=60)
_WORDS = _TEXT.map(lambda s: " ".join(s.split())).filter(lambda s: s and s[0] not in "=-")


def _numbers(top: int) -> st.SearchStrategy[D]:
    ints = st.integers(0, top).map(D)
    halves = st.integers(0, top * 2).map(lambda n: D(n) / 2)
    return st.one_of(ints, halves)


@st.composite
def item_input(draw: st.DrawFn, node: Node) -> ItemInput:
    needs = needs_of(node)
    fields: dict[str, Any] = {}
    if needs.not_applicable and draw(st.integers(0, 4)) == 0:
        fields["not_applicable"] = True
    elif needs.options:
        fields["option"] = draw(st.sampled_from([o for o, _, _ in needs.options]))
    elif "percent" in needs.columns:
        if draw(st.booleans()):
            total = draw(st.integers(1, 500))
            fields.update(done=D(draw(st.integers(0, total))), total=D(total))
        else:
            fields["percent"] = draw(_numbers(100).filter(lambda v: v <= 100))
    elif "count" in needs.columns:
        fields["count"] = D(draw(st.integers(0, 30)))
    for d in needs.details:
        if draw(st.booleans()):
            fields.setdefault(d.field, {})[d.id] = draw(st.integers(0, 6))
    if draw(st.booleans()):
        fields["explanation"] = draw(_WORDS)
    if draw(st.integers(0, 3)) == 0:
        fields["note"] = draw(_WORDS)
    if not fields and needs.details:  # "no deduction" is typed as 0: a blank row is unanswered
        fields[needs.details[0].field] = {needs.details[0].id: 0}
    return ItemInput(**fields)


@st.composite
def inputs_for(draw: st.DrawFn, framework: Framework) -> dict[str, ItemInput]:
    leaves = [n for n in framework.leaves() if n.method != "survey"]
    chosen = draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=25, unique=True))
    drawn = {n.code: draw(item_input(n)) for n in chosen}
    return {c: i for c, i in drawn.items() if i != ItemInput()}  # ItemInput() types nothing


_WORK = Path(tempfile.mkdtemp(prefix="parindex-form-prop-"))
atexit.register(shutil.rmtree, _WORK, True)
_BASE = new_dossier(_WORK / "base", "Sở Tư pháp tỉnh Quảng Ngãi", 2021).root
_FW = load_dossier(_BASE).framework
export_forms(load_dossier(_BASE), _WORK / "blank.xlsx")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs_for(_FW))
def test_what_is_typed_into_the_form_scores_as_typed(inputs: dict[str, ItemInput]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "d"
        shutil.copytree(_BASE, root)
        form = fill(_WORK / "blank.xlsx", _FW, inputs, out=Path(tmp) / "p.xlsx")
        result = import_forms(root, [form])
        assert result.report.valid, result.report.summary()
        d = load_dossier(root)
        back = d.self_assessment.items
        assert {c: carried(back[c]) for c in back} == {c: carried(i) for c, i in inputs.items()
                                                       if carried(i)}
        expected = score(_FW, inputs, unit=d.manifest.unit).to_dict()
        got = d.score().to_dict()
        diff = [(a, b) for a, b in zip(got["nodes"], expected["nodes"], strict=True) if a != b]
        assert not diff, diff[:2]
        assert got == expected


@st.composite
def extra_input(draw: st.DrawFn, item: ExtraItem) -> ItemInput:
    """What a unit may type for a bonus or penalty item (never N/A; a blank row: none)."""
    needs = needs_of_extra(item)
    fields: dict[str, Any] = {}
    if needs.options:
        fields["option"] = draw(st.sampled_from([o for o, _, _ in needs.options]))
    elif "points" in needs.columns:  # quarters: the fixture's manual rule steps by 0,25
        fields["points"] = D(draw(st.integers(0, int(item.max_points * 4)))) / 4
    for d in needs.details:
        fields.setdefault(d.field, {})[d.id] = draw(st.integers(0, 6))
    if draw(st.booleans()):
        fields["explanation"] = draw(_WORDS)
    return ItemInput(**fields)


_XBASE = _WORK / "extras" / "base"
shutil.copytree(FIXTURES / "extras", _WORK / "extras")
shutil.move(_WORK / "extras" / "bonus-capped-penalty-pending", _XBASE)
_XFW = load_dossier(_XBASE).framework
(_XBASE / "self-assessment.yaml").write_text(skeleton_text(_XFW, "Sở Thử nghiệm"),
                                             encoding="utf-8")
export_forms(load_dossier(_XBASE), _WORK / "extras-blank.xlsx")


@st.composite
def inputs_with_extras(draw: st.DrawFn) -> dict[str, ItemInput]:
    assert _XFW.extras is not None
    typed = [it for _, it in _XFW.extras.items() if it.from_appraisal is None]
    extras = draw(st.lists(st.sampled_from(typed), max_size=len(typed), unique=True))
    drawn = draw(inputs_for(_XFW)) | {it.code: draw(extra_input(it)) for it in extras}
    return {c: i for c, i in drawn.items() if i != ItemInput()}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs_with_extras())
def test_bonus_and_penalty_typed_into_the_form_score_as_typed(
        inputs: dict[str, ItemInput]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "extras" / "d"  # its framework is ../framework.yaml
        shutil.copytree(_XBASE, root)
        shutil.copy(_WORK / "extras" / "framework.yaml", root.parent / "framework.yaml")
        form = fill(_WORK / "extras-blank.xlsx", _XFW, inputs, out=Path(tmp) / "p.xlsx")
        result = import_forms(root, [form])
        assert result.report.valid, result.report.summary()
        d = load_dossier(root)
        back = d.self_assessment.items
        assert {c: carried(back[c]) for c in back} == {c: carried(i) for c, i in inputs.items()
                                                       if carried(i)}
        got, expected = d.score().to_dict(), score(_XFW, inputs, unit=d.manifest.unit).to_dict()
        assert got["extras"] == expected["extras"]
        assert got == expected
