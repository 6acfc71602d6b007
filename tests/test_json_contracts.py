"""The JSON every ``--json`` command prints, and the frames' columns, are contracts.

Other tools read these keys: each test pins the exact key set of every object, nested, and the
JSON type of every value, on the example dossier. A key removed or renamed fails here; a key
added must be added here too (on purpose). Spellings are written out, never imported from the
code under test, so a rename in the code cannot rename the expectation with it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parindex import export_workbook, load_dossier, read_workbook
from parindex.evidence.check import check_dossier

from .conftest import EXAMPLE, FIXTURES, run_cli

AS_OF = "2022-01-15"

# -- a small shape language ------------------------------------------------------------------

NUM = "number"  # int or float, never bool
STR = "string"
BOOL = "boolean"
INT = "integer"
NULL = "null"


@dataclass(frozen=True)
class Opt:
    """``spec`` or null."""

    spec: Any


@dataclass(frozen=True)
class OneOf:
    """Any of ``specs``."""

    specs: tuple[Any, ...]

    def __init__(self, *specs: Any) -> None:
        object.__setattr__(self, "specs", specs)


@dataclass(frozen=True)
class Many:
    """A list whose every element matches ``spec``; ``min`` elements at least (so the element
    shape is exercised, not just an empty list)."""

    spec: Any
    min: int = 1


@dataclass(frozen=True)
class MapOf:
    """An object whose keys are not fixed (item codes, input fields): ``keys`` is the set they
    must come from (None: any string), every value matches ``value``."""

    value: Any
    keys: frozenset[str] | None = None
    min: int = 1


def _type_ok(value: Any, spec: str) -> bool:
    if spec == NUM:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if spec == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if spec == STR:
        return isinstance(value, str)
    if spec == BOOL:
        return isinstance(value, bool)
    if spec == NULL:
        return value is None
    raise AssertionError(f"unknown type {spec!r}")  # pragma: no cover


def mismatches(value: Any, spec: Any, where: str = "$") -> list[str]:
    """Every place where ``value`` does not have the shape ``spec``."""
    if isinstance(spec, Opt):
        return [] if value is None else mismatches(value, spec.spec, where)
    if isinstance(spec, OneOf):
        if any(not mismatches(value, s, where) for s in spec.specs):
            return []
        return [f"{where}: {value!r} matches none of {spec.specs}"]
    if isinstance(spec, str):
        return [] if _type_ok(value, spec) else [f"{where}: {value!r} is not a {spec}"]
    if isinstance(spec, Many):
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        out = [f"{where}: {len(value)} elements, at least {spec.min} expected"] \
            if len(value) < spec.min else []
        for i, v in enumerate(value):
            out += mismatches(v, spec.spec, f"{where}[{i}]")
        return out
    if isinstance(spec, MapOf):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        out = [f"{where}: {len(value)} keys, at least {spec.min} expected"] \
            if len(value) < spec.min else []
        for k, v in value.items():
            if spec.keys is not None and k not in spec.keys:
                out.append(f"{where}: unexpected key {k!r}")
            out += mismatches(v, spec.value, f"{where}.{k}")
        return out
    assert isinstance(spec, dict)
    if not isinstance(value, dict):
        return [f"{where}: {type(value).__name__}, not an object"]
    out = []
    if set(value) != set(spec):
        missing, extra = sorted(set(spec) - set(value)), sorted(set(value) - set(spec))
        out.append(f"{where}: keys missing {missing}, unexpected {extra}")
    for k in (k for k in spec if k in value):
        out += mismatches(value[k], spec[k], f"{where}.{k}")
    return out


def assert_shape(value: Any, spec: Any) -> None:
    problems = mismatches(value, spec)
    assert not problems, "\n".join(problems[:20])


def cli_json(capsys: pytest.CaptureFixture[str], *args: str, exit_code: int = 0) -> Any:
    code, out, err = run_cli(capsys, *args)
    assert code == exit_code, err
    return json.loads(out)


# -- the shapes ------------------------------------------------------------------------------

SEVERITY_COUNTS = {"error": INT, "warning": INT, "info": INT}
FINDING = {"code": STR, "severity": STR, "item": Opt(STR), "task": Opt(STR),
           "document": Opt(STR), "file": Opt(STR), "line": Opt(INT), "message": STR,
           "hint": STR}


def report(stats: dict[str, Any], findings: int = 1) -> dict[str, Any]:
    return {"subject": STR, "valid": BOOL, "counts": SEVERITY_COUNTS, "stats": stats,
            "findings": Many(FINDING, min=findings)}


NODE = {"code": STR, "name": STR, "level": STR, "parent": Opt(STR), "area": STR,
        "method": STR, "status": STR, "max": NUM, "score": NUM, "pending": NUM,
        "index": Opt(NUM), "nominal_max": NUM, "explanation": Opt(STR), "problem": Opt(STR)}
EXTRA_GROUP = {"max": Opt(NUM), "items_points": NUM, "points": NUM, "capped": BOOL,
               "pending": NUM}
EXTRA_ITEM = {"code": STR, "name": STR, "group": STR, "status": STR, "max": NUM, "points": NUM,
              "pending": NUM, "explanation": Opt(STR), "problem": Opt(STR)}
EXTRAS = {"bonus": EXTRA_GROUP, "penalty": EXTRA_GROUP, "net": NUM, "items": Many(EXTRA_ITEM),
          "adjusted_score": NUM, "adjusted_index": Opt(NUM)}
SCORE = {
    "framework": STR, "framework_status": STR, "unit": Opt(STR),
    "total": {"max": NUM, "score": NUM, "index": Opt(NUM), "pending": NUM, "index_basis": STR,
              "self_max": NUM, "self_score": NUM, "self_index": Opt(NUM), "survey_max": NUM,
              "survey_score": Opt(NUM), "survey_given": BOOL, "classification": Opt(STR)},
    "areas": Many(NODE),
    "nodes": Many(NODE),
    "extras": Opt(EXTRAS),
}
SCORE_WITH_EXTRAS = {**SCORE, "extras": EXTRAS}
CHECK = report({"documents": INT, "files": INT, "readable_files": INT, "bytes": INT,
                "items_proven": INT, "as_of": STR, "self_score": NUM, "self_max": NUM,
                "signed_documents": INT})
SIMULATE = {
    "target": NUM, "runs": INT, "seed": INT, "probability": NUM, "mean": NUM, "std": NUM,
    "min": NUM, "max": NUM,
    "percentiles": {"5": NUM, "25": NUM, "50": NUM, "75": NUM, "95": NUM},
    "baseline_index": Opt(NUM), "self_score": NUM, "survey_points_needed": NUM,
    "assumptions": MapOf(STR),
}
INPUT_FIELDS = frozenset({"option", "percent", "done", "total", "count", "counts",
                          "occurrences", "points", "answers"})


INPUT_VALUE = OneOf(NUM, STR, MapOf(NUM, min=0))
"""A value of an item input field: a number, an option id, or a map of counts."""
CHANGE = {"code": STR, "fields": MapOf(INPUT_VALUE, keys=INPUT_FIELDS), "label": STR}
GAIN = {"action": STR, "needed": Opt(STR), "gain": NUM, "change": CHANGE, "reason": Opt(STR)}
RECORD = {"code": Opt(STR), "finding": STR, "document": Opt(STR), "action": STR, "message": STR,
          "points_at_risk": NUM}
"""A finding of the check that puts points at risk, and what to do about it."""
GAINS = {
    "as_of": Opt(STR), "closed": BOOL, "records": Many(RECORD, min=0), "index": Opt(NUM),
    "best_index": Opt(NUM), "gainable": NUM,
    "items": Many({"code": STR, "name": STR, "area": STR, "status": STR, "score": NUM,
                   "max": NUM, "gainable": NUM, "index_gain": NUM, "gains": Many(GAIN, min=0),
                   "blocked": Many(GAIN, min=0)}),
}
GAINS_TARGET = GAINS | {"target": {
    "target": NUM, "reached": BOOL, "index_before": Opt(NUM), "index_after": Opt(NUM),
    "best_index": Opt(NUM), "shortfall": NUM, "points": NUM, "method": STR,
    "changes": Many(GAIN | {"code": STR})}}
EXTRA_CHANGE = CHANGE | {"fields": MapOf(INPUT_VALUE, keys=INPUT_FIELDS | {"explanation"},
                                         min=0)}
"""A change to a bonus or penalty item (a manual one keeps its explanation; none: no
violation)."""
EXTRA_GAIN = GAIN | {"change": EXTRA_CHANGE, "item_gain": NUM}
GAINS_EXTRAS = {
    "note": STR,
    "bonus": {"max": Opt(NUM), "points": NUM, "cap_left": Opt(NUM)},
    "penalty": {"max": Opt(NUM), "points": NUM, "pending": NUM},
    "adjusted_score": NUM, "adjusted_index": Opt(NUM), "gainable": NUM,
    "best_adjusted_score": NUM, "best_adjusted_index": Opt(NUM),
    "items": Many({"code": STR, "name": STR, "group": STR, "status": STR, "points": NUM,
                   "max": NUM, "gainable": NUM, "adjusted_index_gain": NUM,
                   "gains": Many(EXTRA_GAIN, min=0), "blocked": Many(EXTRA_GAIN, min=0)}),
    "pending": Many({"code": STR, "name": STR, "max": NUM, "reason": STR}, min=0),
}
"""``extras`` of ``gains --json``: only for a framework with bonus and penalty items."""
COMPARED = {"code": STR, "code_b": STR, "level": STR, "area": STR, "name": STR, "name_b": STR,
            "max_a": NUM, "max_b": NUM, "score_a": NUM, "score_b": NUM, "delta": NUM,
            "index_a": Opt(NUM), "index_b": Opt(NUM), "index_delta": Opt(NUM), "status_a": STR,
            "status_b": STR, "renamed": BOOL, "max_changed": BOOL}
ONLY = {"code": STR, "name": STR, "level": STR}
COMPARE_EXTRAS_SIDE = {"bonus": NUM, "penalty": NUM, "pending": NUM, "net": NUM,
                       "adjusted_score": NUM, "adjusted_index": Opt(NUM)}
COMPARE_EXTRAS = {
    "note": STR, "a": Opt(COMPARE_EXTRAS_SIDE), "b": Opt(COMPARE_EXTRAS_SIDE),
    "bonus_delta": Opt(NUM), "penalty_delta": Opt(NUM), "adjusted_score_delta": Opt(NUM),
    "adjusted_index_delta": Opt(NUM),
    "items": Many({"code": STR, "name": STR, "group": STR, "points_a": Opt(NUM),
                   "points_b": Opt(NUM), "delta": Opt(NUM)}),
}
"""``extras`` of ``compare --json``: only when a side's framework has bonus and penalty
items."""


def compare_shape(only: int) -> dict[str, Any]:
    return {
        "labels": Many(STR, min=2), "frameworks": Many(STR, min=2), "mapping": Opt(STR),
        "total": {"score_a": NUM, "score_b": NUM, "max_a": NUM, "max_b": NUM,
                  "index_a": Opt(NUM), "index_b": Opt(NUM), "index_delta": Opt(NUM)},
        "areas": Many(COMPARED), "items": Many(COMPARED),
        "only_a": Many(ONLY, min=only), "only_b": Many(ONLY, min=only),
    }


PLAN_LINT = report({"tasks": INT, "done_on_time": INT, "sections": INT, "reports": INT,
                    "usable_tasks": INT})
WORKBOOK_REPORT = report({"items": INT, "leaves": INT, "appraised": INT, "register": INT})
WORKBOOK_EXTRA = {"code": STR, "group": STR, "row": INT, "max": Opt(NUM), "self_score": Opt(NUM),
                  "appraised": Opt(NUM), "explanation": Opt(STR), "note": Opt(STR)}
EXTRA_DIFF = {"code": STR, "group": STR, "self_points": Opt(NUM), "appraised": Opt(NUM),
              "computed": BOOL, "difference": NUM, "appraised_items": INT,
              "appraisable_items": INT}
IMPORT_WORKBOOK = {
    "file": STR, "framework": STR, "unit": Opt(STR), "year": Opt(INT), "valid": BOOL,
    "items": Many({"code": STR, "name": STR, "level": STR, "row": INT, "max": NUM,
                   "self_score": Opt(NUM), "appraised": Opt(NUM), "evidence": Many(STR, min=0),
                   "explanation": Opt(STR), "note": Opt(STR), "status": Opt(STR)}),
    "register": Many({"number": Opt(STR), "date": Opt(STR), "title": Opt(STR),
                      "issuer": Opt(STR), "items": Many(STR, min=0), "path": Opt(STR),
                      "signature": Opt(STR)}),
    "extras": Many(WORKBOOK_EXTRA, min=0),
    "report": WORKBOOK_REPORT,
}
DIFF_ROW = {"code": Opt(STR), "name": STR, "level": Opt(STR), "max": NUM, "pending": NUM,
            "self_score": Opt(NUM), "appraised": Opt(NUM), "difference": Opt(NUM),
            "self_index": Opt(NUM), "appraised_index": Opt(NUM), "appraised_items": INT,
            "appraisable_items": INT}
DIFF = {
    "file": STR, "framework": STR, "unit": Opt(STR), "total": DIFF_ROW,
    "areas": Many(DIFF_ROW), "changed": Many(DIFF_ROW), "items": Many(DIFF_ROW),
    "edited_texts": Many({"code": STR, "field": STR, "dossier": Opt(STR),
                          "workbook": Opt(STR)}),
    "extras": Many(EXTRA_DIFF, min=0),
    "report": WORKBOOK_REPORT,
    "rounds": Many({"code": STR, "round": INT, "before": Opt(NUM), "after": NUM,
                    "review": Opt(STR), "response": Opt(STR)}),
}


# -- the commands ----------------------------------------------------------------------------

def test_score_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "score", str(EXAMPLE), "--json")
    assert_shape(data, SCORE)
    assert len(data["nodes"]) > len(data["areas"]) == 8
    assert data["extras"] is None  # the shipped framework has no bonus / penalty block


def test_score_json_contract_with_extras(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "score", str(FIXTURES / "extras" / "bonus-capped-penalty-pending"),
                    "--json")
    assert_shape(data, SCORE_WITH_EXTRAS)
    assert [i["status"] for i in data["extras"]["items"]] == [
        "scored", "scored", "scored", "appraisal-pending"]


def test_check_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "check", str(EXAMPLE), "--json", "--as-of", AS_OF, "--no-cache",
                    exit_code=1)  # the example has planted errors
    assert_shape(data, CHECK)
    assert {f["code"] for f in data["findings"]} >= {"number-mismatch", "missing-evidence"}


def test_simulate_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "simulate", str(EXAMPLE), "--runs", "200", "--seed", "3", "--json")
    assert_shape(data, SIMULATE)
    assert sorted(data["assumptions"]) == ["8.1", "8.2", "8.3"]


def test_gains_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "gains", str(EXAMPLE), "--json", "--as-of", AS_OF)
    assert_shape(data, GAINS | {"records": Many(RECORD)})  # the example has findings
    every = [g for i in data["items"] for g in i["gains"] + i["blocked"]]
    assert any(g["reason"] is not None for g in every)  # a blocked gain says why
    fields = [g["change"]["fields"] for g in every]
    assert {k for f in fields for k in f} >= {"option", "percent", "done", "total", "count"}
    for f in fields:  # option ids are text, occurrences a map of counts, the rest numbers
        for k, v in f.items():
            expected = {"option": STR, "occurrences": MapOf(INT, min=0),
                        "counts": MapOf(NUM, min=0)}.get(k, NUM)
            assert_shape(v, expected)


def test_gains_target_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "gains", str(EXAMPLE), "--json", "--target", "95")
    assert_shape(data, GAINS_TARGET)
    assert data["target"]["reached"] is True


def test_gains_json_contract_with_extras(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "gains", str(FIXTURES / "extras" / "bonus-capped-penalty-pending"),
                    "--json", "--as-of", AS_OF, "--future", "--target", "100")
    assert_shape(data, GAINS_TARGET | {"extras": GAINS_EXTRAS})
    assert [g["reason"] is None for i in data["extras"]["items"] for g in i["blocked"]] == [
        False]  # the recorded violation: blocked with its reason
    assert [p["code"] for p in data["extras"]["pending"]] == ["TR2"]


def test_gains_json_contract_without_extras_has_no_extras_key(
        capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "gains", str(EXAMPLE), "--json", "--as-of", AS_OF)
    assert "extras" not in data


def test_compare_json_contract_with_extras(capsys: pytest.CaptureFixture[str]) -> None:
    dossier = str(FIXTURES / "extras" / "bonus-capped-penalty-pending")
    data = cli_json(capsys, "compare", dossier, dossier, "--json")
    assert_shape(data, compare_shape(only=0) | {"extras": COMPARE_EXTRAS})
    assert "extras" not in cli_json(capsys, "compare", str(EXAMPLE), str(EXAMPLE), "--json")


def test_compare_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "compare", str(EXAMPLE), str(EXAMPLE), "--json")
    assert_shape(data, compare_shape(only=0))
    assert data["only_a"] == data["only_b"] == []


def test_compare_json_contract_codes_in_one_dossier_only(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a = _mini_dossier(tmp_path, 2021, "mini-framework.yaml",
                      '  "1.1.1": {option: khong-kip-thoi}\n')
    b = _mini_dossier(tmp_path, 2022, "mini-framework-2022.yaml",
                      '  "1.1.1": {option: kip-thoi}\n')
    data = cli_json(capsys, "compare", str(a), str(b), "--json")
    assert_shape(data, compare_shape(only=1))


def _mini_dossier(root: Path, year: int, framework: str, items: str) -> Path:
    folder = root / f"hoso-{year}"
    folder.mkdir()
    shutil.copy(FIXTURES / "simulate" / framework, folder / "fw.yaml")
    (folder / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Thử nghiệm\nprovince: Quảng Ngãi\n"
        f"year: {year}\nframework: fw.yaml\n", encoding="utf-8")
    (folder / "self-assessment.yaml").write_text(
        f"kind: parindex/self-assessment\nitems:\n{items}", encoding="utf-8")
    return folder


def test_plan_lint_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "plan", "lint", str(EXAMPLE / "plan.yaml"), "--json")
    assert_shape(data, PLAN_LINT)


@pytest.fixture(scope="module")
def appraised_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example exported, every self-assessed item appraised at its own score except
    1.1.1 (1 → 0,5, with a note) and one score typed as text (a finding)."""
    out = tmp_path_factory.mktemp("contract") / "tham-dinh.xlsx"
    result = export_workbook(EXAMPLE, out)
    card = load_dossier(EXAMPLE).score()
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    for node in card.leaves():
        if node.method != "survey" and node.status != "not-applicable":
            ws[f"E{result.rows[node.code]}"] = float(node.score)
    ws[f"E{result.rows['1.1.1']}"] = 0.5
    ws[f"H{result.rows['1.1.1']}"] = "Tổ thẩm định: ban hành trễ."
    ws[f"E{result.rows['1.1.2']}"] = "0,5"
    wb.save(out)
    assert read_workbook(out).by_code["1.1.1"].appraised == 0.5  # the cells were the right ones
    return out


def test_import_workbook_json_contract(capsys: pytest.CaptureFixture[str],
                                       appraised_workbook: Path) -> None:
    data = cli_json(capsys, "import-workbook", str(appraised_workbook), "--json")
    assert_shape(data, IMPORT_WORKBOOK)


def test_diff_json_contract(capsys: pytest.CaptureFixture[str], appraised_workbook: Path
                            ) -> None:
    data = cli_json(capsys, "diff", str(EXAMPLE), str(appraised_workbook), "--json")
    assert_shape(data, DIFF)
    assert [r["code"] for r in data["changed"]] == ["1.1.1"]
    assert [(r["code"], r["round"], r["before"], r["after"]) for r in data["rounds"]] == [
        ("1.1.1", 1, 1, 0.5)]
    assert data["extras"] == []  # the shipped framework has no bonus / penalty block


def test_workbook_json_contracts_with_extras(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    dossier = FIXTURES / "extras" / "bonus-capped-penalty-pending"
    out = tmp_path / "bang-diem.xlsx"
    export_workbook(dossier, out)
    framework = str(FIXTURES / "extras" / "framework.yaml")
    data = cli_json(capsys, "import-workbook", str(out), "--framework", framework, "--json")
    assert_shape(data, {**IMPORT_WORKBOOK, "extras": Many(WORKBOOK_EXTRA, min=4),
                        "register": Many(IMPORT_WORKBOOK["register"].spec, min=0)})
    data = cli_json(capsys, "diff", str(dossier), str(out), "--json")
    assert_shape(data, {**DIFF, "extras": Many(EXTRA_DIFF, min=4),
                        "changed": Many(DIFF_ROW, min=0),
                        "rounds": Many(DIFF["rounds"].spec, min=0),
                        "edited_texts": Many(DIFF["edited_texts"].spec, min=0)})


# -- frames ----------------------------------------------------------------------------------

SCORECARD_COLUMNS = ["code", "name", "level", "parent", "area", "method", "status", "max",
                     "score", "pending", "index", "explanation", "problem"]
REPORT_COLUMNS = ["code", "severity", "item", "task", "document", "file", "line", "message",
                  "hint"]


def test_scorecard_frame_columns() -> None:
    card = load_dossier(EXAMPLE).score()
    frame = card.to_frame()
    assert list(frame.columns) == SCORECARD_COLUMNS
    assert len(frame) == len(card.nodes)
    # every column is filled from the node's dict: a key dropped there leaves a column of NaN
    for column in ("code", "name", "level", "area", "method", "status", "max", "score",
                   "pending", "index"):
        assert frame[column].notna().any(), column


def test_report_frame_columns() -> None:
    report_ = check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15), cache=False)
    frame = report_.to_frame()
    assert list(frame.columns) == REPORT_COLUMNS
    assert len(frame) == len(report_.findings) > 0
    for column in ("code", "severity", "message", "hint"):
        assert frame[column].notna().all(), column


def test_the_shape_checker_catches_a_removed_key_and_a_wrong_type() -> None:
    good = {"a": 1, "b": [{"c": "x"}]}
    spec = {"a": NUM, "b": Many({"c": STR})}
    assert mismatches(good, spec) == []
    assert mismatches({"b": [{"c": "x"}]}, spec) == ["$: keys missing ['a'], unexpected []"]
    assert mismatches({"a": True, "b": []}, spec) == [
        "$.a: True is not a number", "$.b: 0 elements, at least 1 expected"]
    assert mismatches({"a": 1, "b": [{"c": "x", "d": 2}]}, spec) == [
        "$.b[0]: keys missing [], unexpected ['d']"]
