"""The analyst's API: every function takes what users pass, mistakes raise, names are found.

Each mistake test is named after what an analyst typed and pins the exact error.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import pydoc
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import parindex
from parindex import InputError

from .conftest import EXAMPLE, ROOT

AS_OF = dt.date(2021, 12, 15)  # in the scoring year: gains are still open


def _problems(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


# -- a Dossier, a Path or a string --------------------------------------------------------

CALLS: dict[str, Any] = {
    "score_dossier": lambda d: parindex.score_dossier(d).to_dict(),
    "check_dossier": lambda d: parindex.check_dossier(d, as_of=AS_OF, cache=False,
                                                      workers=1).to_dict(),
    "what_if": lambda d: parindex.what_if(d, [parindex.count("1.5", 1)]).to_dict(),
    "where_the_points_are": lambda d: parindex.where_the_points_are(d, as_of=AS_OF).to_dict(),
    "reach_target": lambda d: parindex.reach_target(d, 95, as_of=AS_OF).to_dict(),
    "simulate": lambda d: parindex.simulate(d, 90, runs=200, seed=3).to_dict(),
    "compare": lambda d: parindex.compare(d, d).to_dict(),
    "build_calendar": lambda d: parindex.build_calendar(d, dt.date(2021, 10, 15)).to_dict(),
    "index_by_area": lambda d: [t.get_text() for t in parindex.index_by_area(d).axes[0].texts],
    "year_over_year": lambda d: [p.get_height() for p in parindex.year_over_year(
        {"2021": d}).axes[0].patches],
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_function_takes_a_dossier_a_path_or_a_string(name: str) -> None:
    call = CALLS[name]
    loaded = call(parindex.load_dossier(EXAMPLE))
    assert call(EXAMPLE) == loaded
    assert call(str(EXAMPLE)) == loaded


def test_the_workbook_functions_take_paths_and_dossiers(tmp_path: Path) -> None:
    out = tmp_path / "bang-diem.xlsx"
    parindex.export_workbook(str(EXAMPLE), str(out), check=False)
    reading = parindex.read_workbook(out)
    expected = parindex.appraisal_diff(reading, parindex.score_dossier(EXAMPLE)).to_dict()
    assert parindex.appraisal_diff(out, EXAMPLE).to_dict() == expected
    assert parindex.appraisal_diff(str(out), parindex.load_dossier(EXAMPLE)).to_dict() == \
        expected


def test_the_forms_take_a_folder(tmp_path: Path) -> None:
    (form,) = parindex.export_forms(str(EXAMPLE), str(tmp_path / "phieu.xlsx"))
    assert form.path == tmp_path / "phieu.xlsx" and form.path.is_file()


def test_lint_plan_takes_the_path_of_a_plan() -> None:
    plan = EXAMPLE / "plan.yaml"
    assert parindex.lint_plan(plan).to_dict() == parindex.lint_plan(
        parindex.load_plan(plan)).to_dict()


def test_something_else_than_a_dossier_is_a_type_error() -> None:
    card = parindex.score_dossier(EXAMPLE)
    with pytest.raises(TypeError, match="expected a Dossier or the path of a dossier folder, "
                                        "not Scorecard"):
        parindex.what_if(card, [])  # type: ignore[arg-type]


# -- changes --------------------------------------------------------------------------------

def _what_if(changes: Any) -> list[str]:
    with pytest.raises(InputError) as exc:
        parindex.what_if(EXAMPLE, changes)
    assert exc.value.title == "cannot apply the changes"
    return _problems(exc)


def test_a_mapping_of_changes_raises() -> None:
    assert _what_if({"1.5": {"count": 1}}) == [
        "changes: changes must be a list of changes, not dict {'1.5': {'count': 1}}; build each "
        "with choose, ratio, count, counts, occurrences, manual, not_applicable, survey, "
        "tasks_done (e.g. [count('1.5', 1)]) or Change(code, {field: value})"]


def test_a_list_of_codes_raises() -> None:
    assert _what_if(["1.5"]) == [
        "changes[0]: str '1.5' is not a change; build it with choose, ratio, count, counts, "
        "occurrences, manual, not_applicable, survey, tasks_done or Change(code, "
        "{field: value})"]


def test_a_field_the_rule_does_not_use_raises_instead_of_invalidating_the_item() -> None:
    assert _what_if([parindex.Change("1.1.1", {"count": 1})]) == [
        "changes[0].count: item 1.1.1, field 'count': its rule (choice) does not use it; it "
        "reads: option"]


def test_a_misspelt_field_raises() -> None:
    assert _what_if([parindex.Change("1.5", {"cuont": 1})]) == [
        "changes[0].cuont: item 1.5, field 'cuont': no such input field (its rule reads: "
        "count)"]


def test_values_out_of_bounds_raise_naming_item_and_field() -> None:
    assert _what_if([parindex.ratio("1.1.3", 150), parindex.ratio("1.1.3", done=40, total=34),
                     parindex.choose("1.1.1", "som")]) == [
        "changes[0].percent: item 1.1.3, field 'percent': tỷ lệ 150% nằm ngoài khoảng 0–100",
        "changes[1]: item 1.1.3, fields 'done', 'total': done 40/total 34: số đã thực hiện "
        "không thể lớn hơn tổng số",
        "changes[2].option: item 1.1.1, field 'option': không có phương án 'som'; các phương "
        "án: kip-thoi (Ban hành kịp thời: 1), khong-kip-thoi (Ban hành không kịp thời: 0,5), "
        "khong-ban-hanh (Không ban hành: 0)"]


def test_an_unknown_code_raises() -> None:
    assert _what_if(parindex.choose("9.9", "x")) == [
        "changes[0]: no scored item '9.9' in framework qn-so-2021"]


def test_one_change_needs_no_list() -> None:
    one = parindex.what_if(EXAMPLE, parindex.count("1.5", 1))
    assert one.to_dict() == parindex.what_if(EXAMPLE, [parindex.count("1.5", 1)]).to_dict()
    assert one.index_after == D("91.34")


# -- targets, shares, costs -----------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda t: parindex.reach_target(EXAMPLE, t), lambda t: parindex.simulate(EXAMPLE, t, runs=10),
], ids=["reach_target", "simulate"])
def test_a_target_given_as_a_share_is_refused_with_a_hint(call: Any) -> None:
    with pytest.raises(InputError) as exc:
        call(0.95)
    assert _problems(exc) == [
        "target: the target 0.95 is a share, not a percentage: targets are percent of the "
        "index, 0–100 (write 95 for 95 %)"]
    for bad, said in ((150, "the target 150 is outside 0–100 (percent of the index)"),
                      ("nhiều", "the target 'nhiều' is not a number"),
                      (True, "the target must be a number of percent (e.g. 90), not bool True")):
        with pytest.raises(InputError) as exc:
            call(bad)
        assert _problems(exc) == [f"target: {said}"]


def test_the_cli_refuses_a_share_as_target(capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import run_cli

    code, _, err = run_cli(capsys, "simulate", str(EXAMPLE), "--target", "0.9", "--runs", "10")
    assert code == 3 and "is a share, not a percentage" in err


def test_answer_shares_in_fractions_are_refused() -> None:
    with pytest.raises(InputError) as exc:
        parindex.AnswerShares(shares={"A": 0.6, "B": 0.3, "C": 0.1})
    assert str(exc.value) == (
        "invalid AnswerShares (1 problem(s)):\n  - shares add up to 1: they are percent of the "
        "respondents and add up to 100 (write 60 for 60 %)")


def test_answer_shares_not_adding_up_to_100_are_refused_not_renormalised() -> None:
    with pytest.raises(InputError) as exc:
        parindex.AnswerShares(shares={"A": 60, "B": 30, "C": 5})
    assert _problems(exc) == ["shares add up to 95, not 100 (percent of the respondents)"]
    assert parindex.AnswerShares(shares={"A": 60, "B": 40}).describe() == (
        "tỷ lệ trả lời A 60%, B 40% (100 người)")


def test_a_reversed_range_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError) as exc:
        parindex.SurveyRange(low=90, high=80)
    assert _problems(exc) == ["low 90 is above high 80"]
    with pytest.raises(InputError) as exc:
        parindex.SurveyAssumptions(items={"8.1": {"type": "range", "low": 90, "high": 10}})
    assert _problems(exc) == ["items.8.1.range: low 90 is above high 10"]


def test_a_file_keeps_its_line_numbers() -> None:
    with pytest.raises(InputError) as exc:
        parindex.load_assumptions(ROOT / "tests/fixtures/simulate/assumptions_reversed_range.yaml")
    (problem,) = exc.value.problems
    assert (problem.line, problem.key) == (5, "items.8.1.range")


def test_an_error_in_the_default_assumption_is_reported_under_default() -> None:
    wrong = parindex.SurveyAssumptions(default=parindex.AnswerShares(shares={"E": 100}))
    with pytest.raises(InputError) as exc:
        parindex.simulate(EXAMPLE, 90, runs=10, assumptions=wrong)
    assert _problems(exc) == [
        "default: unknown answers ['E']; allowed: A, B, C, D (the default, used for 8.1)"]


def test_costs_may_be_a_mapping_of_item_codes() -> None:
    plain = parindex.reach_target(EXAMPLE, 95, as_of=AS_OF)
    costly = parindex.reach_target(EXAMPLE, 95, as_of=AS_OF, cost={"7.2.2": 10})
    assert "7.2.2" in {g.code for g in plain.chosen}
    assert costly.reached and "7.2.2" not in {g.code for g in costly.chosen}
    assert costly.method.startswith("greedy by points per cost")


@pytest.mark.parametrize(("cost", "said"), [
    ({"9.9": 2}, "cost['9.9']: no scored item '9.9' in framework qn-so-2021"),
    ({"7.2.2": 0}, "cost['7.2.2']: the cost of item 7.2.2 must be a positive number, not 0"),
    ({"7.2.2": "cao"}, "cost['7.2.2']: the cost of item 7.2.2 must be a positive number, not "
                       "str 'cao'"),
    (10, "cost: cost must be a mapping of item codes to costs or a function of a gain, not int"),
])
def test_wrong_costs_raise(cost: Any, said: str) -> None:
    with pytest.raises(InputError) as exc:
        parindex.reach_target(EXAMPLE, 95, cost=cost)
    assert _problems(exc) == [said]


# -- names ---------------------------------------------------------------------------------

def test_the_names_a_notebook_needs_are_top_level() -> None:
    for name in ("check_dossier", "Change", "TasksDone", "choose", "ratio", "count", "counts",
                 "occurrences", "manual", "not_applicable", "survey", "tasks_done",
                 "SurveyRange", "AnswerShares", "PastResults", "index_by_area",
                 "simulation_histogram", "year_over_year", "Simulation", "TargetPlan"):
        assert name in parindex.__all__ and getattr(parindex, name) is not None


def test_no_public_name_shadows_a_module() -> None:
    import types

    for name in parindex.__all__:
        value = getattr(parindex, name)
        if importlib.util.find_spec(f"parindex.{name}") is not None:
            assert isinstance(value, types.ModuleType) and value.__name__ == f"parindex.{name}"
        else:
            assert not isinstance(value, types.ModuleType), name
    # stages are reached as attributes without importing them first
    assert parindex.analysis.__name__ == "parindex.analysis"


def test_help_is_a_short_page_listing_every_public_name() -> None:
    page = pydoc.render_doc(parindex, renderer=pydoc.plaintext)
    assert len(page.splitlines()) < 400  # 7,998 before (pydantic internals); 306 now
    assert "pydantic" not in page and "model_validate" not in page
    missing = [n for n in parindex.__all__ if n not in page]
    assert missing == []
    assert "What-if: change inputs in memory" in page


def test_import_help_and_dir_stay_light() -> None:
    probe = ("import sys, pydoc, parindex; dir(parindex); "
             "pydoc.render_doc(parindex, renderer=pydoc.plaintext); "
             "print(','.join(m for m in ('pandas', 'numpy', 'openpyxl', 'matplotlib') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == ""
