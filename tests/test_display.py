"""Every result type shows itself: a short repr, an HTML table, a DataFrame of fixed dtypes.

Measured on the example dossier (the real sizes before: a Scorecard's repr was 107,855
characters, a TargetPlan's 217,066, a Comparison's 309,529).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from parindex.analysis.compare import compare
from parindex.analysis.gains import where_the_points_are
from parindex.analysis.simulation import simulate
from parindex.analysis.target import reach_target
from parindex.analysis.whatif import count, ratio, what_if
from parindex.core.display import REPR_LIMIT, frame
from parindex.evidence.check import check
from parindex.plan.schedule import build_calendar
from parindex.scoring.dossier import Dossier, load_dossier
from parindex.workbook.diff import appraisal_diff
from parindex.workbook.export import export_workbook
from parindex.workbook.read import read_workbook

from .conftest import EXAMPLE

S, F, INT, N, B, T = "string", "float64", "int64", "Int64", "bool", "datetime64[ns]"
AS_OF = dt.date(2021, 12, 15)  # in the scoring year: gains are still open


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return load_dossier(EXAMPLE)


@pytest.fixture(scope="module")
def results(dossier: Dossier, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    card = dossier.score()
    changed = what_if(dossier, [ratio("1.1.3", done=34, total=34), count("1.5", 1)])
    out = tmp_path_factory.mktemp("wb") / "bang-diem.xlsx"
    export_workbook(dossier, out, check=False)
    reading = read_workbook(out)
    assert dossier.plan is not None
    return {
        "Scorecard": card,
        "Report": check(dossier, as_of=AS_OF, cache=False, workers=1),
        "WhatIf": changed,
        "Opportunities": where_the_points_are(dossier, as_of=AS_OF),
        "Opportunities after the year": where_the_points_are(dossier, as_of=dt.date(2022, 1, 10)),
        "TargetPlan": reach_target(dossier, 95, as_of=AS_OF),
        "TargetPlan out of reach": reach_target(dossier, 100, as_of=AS_OF),
        "Simulation": simulate(dossier, 90, runs=500, seed=1),
        "Comparison": compare(card, changed.after, ("trước", "sau")),
        "Calendar": build_calendar(dossier.plan, dt.date(2021, 10, 15)),
        "WorkbookReading": reading,
        "AppraisalDiff": appraisal_diff(reading, card),
    }


DTYPES: dict[str, dict[str, str]] = {
    "Scorecard": {"code": S, "name": S, "level": S, "parent": S, "area": S, "method": S,
                  "status": S, "max": F, "score": F, "pending": F, "index": F,
                  "explanation": S, "problem": S},
    "Report": {"code": S, "severity": S, "item": S, "task": S, "document": S, "file": S,
               "line": N, "message": S, "hint": S},
    "WhatIf": {"code": S, "name": S, "level": S, "area": S, "status_before": S,
               "status_after": S, "max_before": F, "max_after": F, "score_before": F,
               "score_after": F, "delta": F},
    "Opportunities": {"code": S, "name": S, "area": S, "status": S, "score": F, "max": F,
                      "action": S, "needed": S, "gain": F, "index_gain": F, "reachable": B,
                      "reason": S},
    "TargetPlan": {"code": S, "name": S, "area": S, "action": S, "needed": S,
                   "score_before": F, "score_after": F, "gain": F, "index_gain": F},
    "Simulation": {"percentile": INT, "index": F},
    "Comparison": {"code": S, "code_b": S, "level": S, "area": S, "name": S, "name_b": S,
                   "max_a": F, "max_b": F, "score_a": F, "score_b": F, "delta": F, "index_a": F,
                   "index_b": F, "index_delta": F, "status_a": S, "status_b": S,
                   "renamed": B, "max_changed": B},
    "Calendar": {"due": T, "kind": S, "code": S, "title": S, "what": S, "units": S,
                 "state": S},
    "WorkbookReading": {"code": S, "name": S, "level": S, "row": INT, "max": F,
                        "self_score": F, "appraised": F, "evidence": S, "explanation": S,
                        "note": S, "status": S},
    "AppraisalDiff": {"code": S, "name": S, "level": S, "max": F, "pending": F,
                      "self_score": F, "appraised": F, "difference": F, "self_index": F,
                      "appraised_index": F, "appraised_items": INT, "appraisable_items": INT},
}
DTYPES["TargetPlan out of reach"] = DTYPES["TargetPlan"]
DTYPES["Opportunities after the year"] = DTYPES["Opportunities"]
KINDS = sorted(DTYPES)


@pytest.mark.parametrize("kind", KINDS)
def test_repr_is_one_or_two_short_lines(results: dict[str, Any], kind: str) -> None:
    text = repr(results[kind])
    assert len(text) < REPR_LIMIT, text
    assert text.count("\n") <= 1
    assert text.startswith(f"<{kind.split()[0]} ")


@pytest.mark.parametrize("kind", KINDS)
def test_html_is_a_compact_table(results: dict[str, Any], kind: str) -> None:
    page = results[kind]._repr_html_()
    assert page.startswith('<div class="parindex"') and "<table" in page
    assert len(page) < 40_000
    assert "<script" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_to_frame_has_fixed_columns_and_dtypes(results: dict[str, Any], kind: str) -> None:
    table = results[kind].to_frame()
    assert {c: str(t) for c, t in table.dtypes.items()} == DTYPES[kind]
    assert results[kind].to_frame.__doc__


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_result_keeps_the_dtypes(kind: str) -> None:
    expected = DTYPES[kind]
    kinds = {S: "text", F: "float", INT: "int", N: "Int", B: "bool", T: "date"}
    empty = frame([], [(c, kinds[t]) for c, t in expected.items()])  # type: ignore[misc]
    assert {c: str(t) for c, t in empty.dtypes.items()} == expected


def test_headline_numbers_in_the_reprs(results: dict[str, Any]) -> None:
    assert repr(results["Scorecard"]) == (
        "<Scorecard qn-so-2021 · Sở Khoa học và Công nghệ tỉnh Quảng Ngãi: index 90.04 "
        "(Xuất sắc), score 69.33 of 97, survey pending 20; 8 areas, 69 items>")
    assert repr(results["WhatIf"]) == (
        "<WhatIf 2 change(s): index 90.04 → 91.99 (+1.95), score +1.5; 2 item(s) changed>")
    assert repr(results["TargetPlan out of reach"]).startswith(
        "<TargetPlan target 100: out of reach (index 90.04, at best ")


def test_points_are_floats_rounded_to_the_precision_whatever_the_data(
        results: dict[str, Any]) -> None:
    card = results["Scorecard"].to_frame()
    # an integer maximum next to 0.5 steps: float64 both, never int64 or object
    assert card.loc[card.code == "1", "max"].item() == 12.0
    assert card.loc[card.code == "1.1.1", "score"].dtype == "float64"
    assert card.loc[card.code == "8.1", "index"].isna().all()
    assert card.loc[card.level == "area", "index"].round(2).equals(
        card.loc[card.level == "area", "index"])


def test_report_frame_has_one_kind_of_missing(results: dict[str, Any]) -> None:
    table = results["Report"].to_frame()
    import pandas as pd

    assert all(v is pd.NA for v in table.loc[table.item.isna(), "item"])
    assert not any(v is None for v in table.to_numpy().ravel())


def test_simulation_percentiles_have_int_keys_and_the_json_keeps_strings(
        results: dict[str, Any]) -> None:
    sim = results["Simulation"]
    assert list(sim.percentiles) == [5, 25, 50, 75, 95]
    assert list(sim.to_dict()["percentiles"]) == ["5", "25", "50", "75", "95"]
    table = sim.to_frame()
    assert table.percentile.tolist() == [0, 5, 25, 50, 75, 95, 100]
    assert table["index"].iloc[0] == sim.min and table["index"].iloc[-1] == sim.max
    assert sim.to_dict()["std"] == round(sim.std, 4)


def test_html_escapes_dossier_text(dossier: Dossier) -> None:
    from parindex.core.findings import Finding, Report

    page = Report.of("<b>x</b>", [Finding("missing-input", "error", "<script>")])._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>x" not in page


def test_dossier_repr_is_short(dossier: Dossier) -> None:
    assert repr(dossier) == ("<Dossier so-khcn-quang-ngai-2021: Sở Khoa học và Công nghệ "
                             "tỉnh Quảng Ngãi, 2021, framework qn-so-2021, 66 inputs>")
