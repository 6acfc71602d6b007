"""Reading the workbook back: round trip over generated scorecards, reviewer mistakes as
findings, the appraisal difference per item and area, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from parindex.cli.app import app
from parindex.core.base import nfc
from parindex.core.errors import InputError
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.province.rounds import diff_rounds
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import Scorecard, score
from parindex.workbook.diff import appraisal_diff
from parindex.workbook.export import ExportResult, export_workbook, write_workbook
from parindex.workbook.layout import MAIN_SHEET, Heading
from parindex.workbook.read import read_workbook
from parindex.workbook.view import EvidenceView, RegisterRow

from .strategies import scenarios

Q = Decimal("0.25")

# -- generated frameworks, inputs and registers -------------------------------------------------

# Text a unit might type: Vietnamese letters, digits, punctuation, formula starters, newlines.
# Excluded: control characters (not allowed in XML), surrogates and "\r" (XML turns line
# breaks into "\n"), which YAML input cannot carry either.
_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"),
) | st.sampled_from(list("àáảãạăằắẳẵặâầấẩẫậđêềếểễệôồốổỗộơờớởỡợưừứửữự=+-@ \n"))
TEXT = st.text(_ALPHABET, min_size=1, max_size=40).map(nfc)  # dossier text is NFC (Strict)
LINE = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl",
                                                                "Zp")),
               min_size=1, max_size=20).map(nfc).filter(lambda s: s.strip() == s and "," not in s)
POINTS = st.integers(1, 12).map(lambda n: Q * n)


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    areas = []
    for a in range(1, draw(st.integers(1, 3)) + 1):
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            survey = a == 3
            def leaf(code: str, survey: bool = survey) -> dict[str, Any]:
                return {"code": code, "name": f"Tiêu chí {code}", "max_points": draw(POINTS),
                        "source": "generated", "method": "survey" if survey else
                        "self-assessed", "rule": {"type": "survey"} if survey else
                        {"type": "manual"},
                        "not_applicable_allowed": draw(st.booleans())}
            code = f"{a}.{c}"
            n_sub = draw(st.integers(0, 3))
            if n_sub:
                subs = [leaf(f"{code}.{s}") for s in range(1, n_sub + 1)]
                criteria.append({"code": code, "name": f"Tiêu chí {code}",
                                 "max_points": sum(x["max_points"] for x in subs),
                                 "source": "generated", "sub_criteria": subs})
            else:
                criteria.append(leaf(code))
        areas.append({"code": str(a), "name": f"Lĩnh vực {a}", "source": "generated",
                      "max_points": sum(c["max_points"] for c in criteria),
                      "criteria": criteria})
    return Framework.model_validate({
        "id": "gen", "title": "Bộ tiêu chí sinh ngẫu nhiên", "province": "Quảng Ngãi",
        "level": "sở", "scoring_year": 2021, "status": "provisional",
        "total_points": sum(a["max_points"] for a in areas),
        "not_applicable": draw(st.sampled_from(["drop", "award-max"])),
        "classification": [{"label": "Tốt", "min_index": 80}, {"label": "Khá", "min_index": 0}],
        "areas": areas,
    })


@st.composite
def scorecards(draw: st.DrawFn) -> tuple[Scorecard, EvidenceView]:
    fw = draw(frameworks())
    inputs: dict[str, ItemInput] = {}
    survey: dict[str, ItemInput] = {}
    for node in fw.leaves():
        mx = node.max_points
        texts = {"explanation": draw(st.none() | TEXT), "note": draw(st.none() | TEXT)}
        if node.method == "survey":
            if draw(st.booleans()):
                survey[node.code] = ItemInput(points=Q * draw(st.integers(0, int(mx / Q))))
            continue
        kind = draw(st.sampled_from(["points", "points", "missing", "na"]))
        if kind == "points":
            inputs[node.code] = ItemInput(points=Q * draw(st.integers(0, int(mx / Q))),
                                          **{**texts, "explanation": texts["explanation"]
                                             or "Giải trình"})
        elif kind == "na":
            inputs[node.code] = ItemInput(not_applicable=True, **texts)
    card = score(fw, inputs, survey, unit="Sở thử nghiệm")
    codes = [n.code for n in fw.leaves()]
    rows = draw(st.lists(st.builds(
        RegisterRow, number=LINE, title=TEXT,
        date=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 31)),
        issuer=st.none() | TEXT,
        items=st.lists(st.sampled_from(codes), unique=True, max_size=3).map(tuple),
        path=st.none() | LINE.map(lambda s: f"documents/{s}.pdf")), max_size=6))
    locators = {(i, code): draw(LINE) for i, row in enumerate(rows) for code in row.items
                if draw(st.booleans())}
    return card, EvidenceView(rows=tuple(rows), locators=locators)


def _shown(card: Scorecard, code: str) -> Decimal | None:
    n = card[code]
    fw = card.framework
    drop = fw.na_policy(fw.node(code)) == "drop"  # the item's own rule, else the default
    if n.status == "survey-pending" or (n.status == "not-applicable" and drop):
        return None
    return n.score


def _submission_status(card: Scorecard, code: str) -> str:
    """The status a submission (no ``Tình trạng`` column) reads back: only what its cells
    show (an empty score is a pending survey item or, under ``drop``, not applicable)."""
    n = card[code]
    if n.method == "survey":
        return n.status
    if n.status == "not-applicable" and card.framework.not_applicable == "drop":
        return "not-applicable"
    return "scored"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scorecards(), working=st.booleans())
def test_export_then_read_back_returns_everything_unchanged(
        tmp_path_factory: pytest.TempPathFactory, data: tuple[Scorecard, EvidenceView],
        working: bool) -> None:
    """Both copies: the submission and the working copy."""
    card, evidence = data
    out = tmp_path_factory.mktemp("rt") / "x.xlsx"
    write_workbook(card, out, Heading("Sở thử nghiệm", 2021, "UBND TỈNH"), evidence,
                   working=working)
    back = read_workbook(out, card.framework)
    assert [i.code for i in back.items] == [n.code for n in card.nodes]
    for node in card.leaves():
        item = back.by_code[node.code]
        inp = node.input
        assert item.self_score == _shown(card, node.code), node.code
        assert item.max == node.nominal_max
        assert item.status == (node.status if working else
                               _submission_status(card, node.code))
        assert item.explanation == (inp.explanation if inp else None)
        assert item.note == (inp.note if inp else None)
        assert item.evidence == tuple(r.label for r in evidence.refs(node.code))
        assert item.appraised is None
    assert back.register == evidence.rows
    assert back.report.counts["error"] == back.report.counts["warning"] == 0
    # an untouched workbook differs from nothing
    diff = appraisal_diff(back, card)
    assert diff.total.difference == 0 and diff.changed() == () and diff.edited_texts == ()
    assert diff.total.self_score == card.total.score
    assert diff.total.self_index == card.total.index
    assert [r.self_score for r in diff.rows] == [n.score for n in card.nodes]
    assert [r.max for r in diff.rows] == [n.max for n in card.nodes]
    assert appraisal_diff(back).total.self_index == card.total.index  # from the sheet alone


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scorecards(), st_data=st.data(), working=st.booleans())
def test_appraisal_and_edited_notes_read_back_and_add_up(
        tmp_path_factory: pytest.TempPathFactory, data: tuple[Scorecard, EvidenceView],
        st_data: st.DataObject, working: bool) -> None:
    card, evidence = data
    out = tmp_path_factory.mktemp("ap") / "x.xlsx"
    result = write_workbook(card, out, Heading("Sở thử nghiệm", 2021), evidence,
                            working=working)
    scorable = [n for n in card.leaves() if n.method != "survey"
                and n.status != "not-applicable"]
    typed = {n.code: Q * st_data.draw(st.integers(0, int(n.nominal_max / Q)), label=n.code)
             for n in scorable if st_data.draw(st.booleans(), label=f"appraise {n.code}")}
    notes = {n.code: st_data.draw(TEXT, label=f"note {n.code}")
             for n in card.leaves() if st_data.draw(st.booleans(), label=f"edit {n.code}")}
    wb = openpyxl.load_workbook(out)
    ws = wb[MAIN_SHEET]
    for code, value in typed.items():
        ws[f"E{result.rows[code]}"] = float(value)
    for code, text in notes.items():
        ws[f"H{result.rows[code]}"] = text
        ws[f"H{result.rows[code]}"].data_type = "s"  # as a reviewer's typed text
    wb.save(out)
    back = read_workbook(out, card.framework)
    assert back.appraised() == typed
    for node in card.leaves():
        inp = node.input
        assert back.by_code[node.code].note == notes.get(node.code, inp.note if inp else None)
    diff = appraisal_diff(back, card)
    assert diff.total.difference == sum((v - card[c].score for c, v in typed.items()),
                                        Decimal(0))
    assert {(e.code, e.workbook) for e in diff.edited_texts} == {
        (c, t) for c, t in notes.items()
        if t != (card[c].input.note if card[c].input else None)}
    for area in diff.areas:
        assert area.difference == sum((v - card[c].score for c, v in typed.items()
                                       if card[c].area == area.code), Decimal(0))
        complete = all(n.code in typed for n in scorable if n.area == area.code)
        assert (area.appraised is not None) == complete
    # a submission shows no status: an item not applicable but scored full (award-max)
    # reads as scored, so its empty appraisal is reported too
    hidden = 0 if working else sum(1 for n in card.leaves() if n.status == "not-applicable"
                                   and n.method != "survey"
                                   and card.framework.not_applicable == "award-max")
    assert back.report.by_code().get("workbook-not-appraised", 0) == \
        len(scorable) - len(typed) + hidden
    assert back.report.valid


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios())
def test_every_rule_kind_reads_back(tmp_path_factory: pytest.TempPathFactory,
                                    scenario: tuple[Framework, dict[str, ItemInput],
                                                    dict[str, ItemInput]]) -> None:
    """The shared strategies: every rule kind (a deduction may score below 0)."""
    fw, inputs, survey = scenario
    card = score(fw, inputs, survey)
    out = tmp_path_factory.mktemp("rk") / "x.xlsx"
    write_workbook(card, out, Heading("Sở thử nghiệm", 2021))
    back = read_workbook(out, fw)
    assert {n.code: back.by_code[n.code].self_score for n in card.leaves()} == {
        n.code: _shown(card, n.code) for n in card.leaves()}
    assert back.report.counts["error"] == back.report.counts["warning"] == 0
    diff = appraisal_diff(back)
    assert (diff.total.self_score, diff.total.max, diff.total.pending) == (
        card.total.score, card.total.max, card.total.pending)
    assert diff.total.self_index == card.total.index


# -- the example, appraised by a reviewer -------------------------------------------------------


@pytest.fixture(scope="module", params=[False, True], ids=["submission", "working"])
def exported(tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> tuple[Path, ExportResult, Scorecard]:
    """The example's workbook, each copy in turn."""
    from .conftest import EXAMPLE

    out = tmp_path_factory.mktemp("wb") / "bang-diem.xlsx"
    result = export_workbook(EXAMPLE, out, working=request.param)
    return out, result, load_dossier(EXAMPLE).score()


def _edit(src: Path, dst: Path, cells: dict[str, Any], sheet: str = MAIN_SHEET) -> Path:
    shutil.copy(src, dst)
    wb = openpyxl.load_workbook(dst)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(dst)
    return dst


def _appraise_all(exported: tuple[Path, ExportResult, Scorecard]) -> dict[str, Any]:
    _, result, card = exported
    return {f"E{result.rows[n.code]}": float(n.score) for n in card.leaves()
            if n.method != "survey" and n.status != "not-applicable"}


def test_reviewer_appraisal_is_read_and_diffed(
        tmp_path: Path, exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, card = exported
    rows = result.rows
    cells = _appraise_all(exported)
    cells[f"E{rows['1.1.1']}"] = 0.5          # 1 → 0.5
    cells[f"E{rows['1.1.3']}"] = 1.5          # 1 → 1.5
    cells[f"E{rows['3.1.1']}"] = "0,25"       # typed as text, Vietnamese comma
    cells[f"H{rows['1.1.1']}"] = "Tổ thẩm định: kế hoạch ban hành ngày 05/01/2021."
    path = _edit(src, tmp_path / "tham-dinh.xlsx", cells)
    back = read_workbook(path)
    assert back.by_code["1.1.1"].appraised == Decimal("0.5")
    assert back.by_code["1.1.1"].note == "Tổ thẩm định: kế hoạch ban hành ngày 05/01/2021."
    assert back.report.by_code() == {"workbook-number-as-text": 1}
    assert back.report.valid
    diff = appraisal_diff(back, card)
    assert [(r.code, r.self_score, r.appraised, r.difference) for r in diff.changed()] == [
        ("1.1.1", Decimal("1"), Decimal("0.5"), Decimal("-0.5")),
        ("1.1.3", Decimal("1"), Decimal("1.5"), Decimal("0.5")),
        ("3.1.1", card["3.1.1"].score, Decimal("0.25"), Decimal("0.25") - card["3.1.1"].score),
    ]
    area1 = diff.areas[0]
    assert (area1.self_score, area1.appraised, area1.difference) == (
        Decimal("9.50"), Decimal("9.50"), Decimal("0"))
    assert area1.appraised_items == area1.appraisable_items == 13
    t = diff.total
    assert t.difference == Decimal("0.25") - card["3.1.1"].score
    assert t.appraised == card.total.score + t.difference
    assert t.appraised_index == (t.appraised / (card.total.max - card.total.pending) * 100
                                 ).quantize(Decimal("0.01"))
    assert t.appraised_items == t.appraisable_items == 64
    assert [e.to_dict() for e in diff.edited_texts] == [
        {"code": "1.1.1", "field": "note", "dossier": None,
         "workbook": "Tổ thẩm định: kế hoạch ban hành ngày 05/01/2021."}]


def test_partial_appraisal_leaves_area_totals_open(
        tmp_path: Path, exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, _ = exported
    path = _edit(src, tmp_path / "mot-phan.xlsx", {f"E{result.rows['1.2.1']}": 0.5})
    back = read_workbook(path)
    assert back.report.by_code() == {"workbook-not-appraised": 63}
    diff = appraisal_diff(back)
    area1 = diff.areas[0]
    assert (area1.difference, area1.appraised, area1.appraised_items) == (
        Decimal("-0.25"), None, 1)
    assert diff.total.appraised is None and diff.total.appraised_index is None


def test_reviewer_mistakes_become_findings(
        tmp_path: Path, exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, _ = exported
    rows = result.rows
    cells = _appraise_all(exported)
    cells.update({
        f"E{rows['1.1.1']}": 1.5,                # above max 1
        f"E{rows['1.1.2']}": "đạt",              # text
        f"E{rows['1.1.3']}": -0.25,              # below 0
        f"C{rows['1.2.1']}": 2,                  # max edited
        f"A{rows['1.2.2']}": "9.9.9",            # unknown code (and 1.2.2 now missing)
        f"A{rows['1.3.1']}": "1.3.2",            # duplicate of the next row
        f"B{rows['1.4.1']}": "Tên khác",         # renamed
        f"I{rows['1.4.2']}": "Không rõ",         # unknown status
        f"E{rows['2.1.1']}": 0.5,                # appraisal on a not-applicable item
    })
    path = _edit(src, tmp_path / "loi.xlsx", cells)
    back = read_workbook(path)
    expected = {
        "workbook-appraisal-on-not-applicable": 1,
        "workbook-duplicate-row": 1,
        "workbook-max-changed": 2,  # also the row whose code became 1.3.2
        "workbook-missing-row": 2,
        "workbook-name-changed": 2,
        "workbook-not-a-number": 1,
        "workbook-not-appraised": 1,
        "workbook-score-out-of-range": 2,
        "workbook-unknown-row": 1,
        "workbook-unknown-status": 1,
    }
    if not result.working:  # no Tình trạng column: column I is not read
        del expected["workbook-unknown-status"]
    assert back.report.by_code() == expected
    assert not back.report.valid
    found = {(f.code, f.item) for f in back.report.findings}
    assert ("workbook-score-out-of-range", "1.1.1") in found
    assert ("workbook-score-out-of-range", "1.1.3") in found
    assert ("workbook-missing-row", "1.2.2") in found
    assert ("workbook-missing-row", "1.3.1") in found
    assert ("workbook-unknown-row", "9.9.9") in found
    texts = {f.code: f.message for f in back.report.findings}
    assert texts["workbook-not-a-number"] == (
        f"Ô E dòng {rows['1.1.2']} chứa chữ \u201cđạt\u201d thay vì số điểm.")


def test_formula_typed_by_the_reviewer_needs_a_calculated_value(
        tmp_path: Path, exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, _ = exported
    row = result.rows["1.1.2"]
    path = _edit(src, tmp_path / "cong-thuc.xlsx", {f"E{row}": "=0.25+0.25"})
    back = read_workbook(path)
    assert back.by_code["1.1.2"].appraised is None
    [finding] = [f for f in back.report.findings if f.code == "workbook-not-a-number"]
    assert finding.message == (f"Ô E dòng {row} chứa công thức =0.25+0.25 chưa được tính: lưu "
                               "tệp bằng Excel/LibreOffice hoặc nhập số.")


def test_not_a_workbook_raises(tmp_path: Path,
                               exported: tuple[Path, ExportResult, Scorecard]) -> None:
    bad = tmp_path / "khong-phai.xlsx"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"not an \.xlsx workbook"):
        read_workbook(bad)
    other = tmp_path / "sheet-renamed.xlsx"
    shutil.copy(exported[0], other)
    wb = openpyxl.load_workbook(other)
    wb[MAIN_SHEET].title = "Sheet1"
    wb.save(other)
    with pytest.raises(InputError, match="no sheet 'Tự chấm điểm'"):
        read_workbook(other)
    header = _edit(exported[0], tmp_path / "header.xlsx", {"D7": "Điểm"})
    with pytest.raises(InputError, match="D: expected 'Điểm tự đánh giá', found 'Điểm'"):
        read_workbook(header)


def test_self_score_changed_against_the_dossier(
        tmp_path: Path, exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, card = exported
    path = _edit(src, tmp_path / "sua.xlsx", {f"D{result.rows['1.1.1']}": 0.5})
    diff = appraisal_diff(read_workbook(path), card)
    assert [(f.code, f.item) for f in diff.report.findings
            if f.severity == "warning"] == [("workbook-self-score-changed", "1.1.1")]


def test_cli_matches_the_library(tmp_path: Path, example_dossier: Path,
                                 exported: tuple[Path, ExportResult, Scorecard]) -> None:
    src, result, card = exported
    cells = _appraise_all(exported)
    cells[f"E{result.rows['1.1.1']}"] = 0.5
    path = _edit(src, tmp_path / "tham-dinh.xlsx", cells)
    runner = CliRunner()
    res = runner.invoke(app, ["import-workbook", str(path), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == json.loads(json.dumps(read_workbook(path).to_dict(),
                                                           default=str))
    res = runner.invoke(app, ["diff", str(example_dossier), str(path), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == json.loads(json.dumps(diff_rounds(read_workbook(path), card).to_dict(),
                                         default=str))
    assert {k: v for k, v in data.items() if k != "rounds"} == json.loads(json.dumps(
        appraisal_diff(read_workbook(path), card).to_dict(), default=str))
    assert [(c["code"], c["difference"]) for c in data["changed"]] == [("1.1.1", -0.5)]
    assert data["total"]["difference"] == -0.5
    res = runner.invoke(app, ["diff", str(path)])
    assert res.exit_code == 0, res.output
    assert "1.1.1" in res.output and "-0,50" in res.output
    broken = _edit(src, tmp_path / "loi.xlsx", {f"E{result.rows['1.1.1']}": 9})
    res = runner.invoke(app, ["import-workbook", str(broken)])
    assert res.exit_code == 1
    assert "có lỗi, cần sửa — 1 lỗi" in " ".join(res.output.split())
