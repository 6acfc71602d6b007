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

from parindex.entry.fields import carried, needs_of
from parindex.entry.form_export import export_forms
from parindex.entry.form_import import import_forms
from parindex.entry.skeleton import new_dossier
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework, Node
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

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
