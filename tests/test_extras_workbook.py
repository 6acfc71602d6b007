"""The bonus and penalty rows of the workbook: apart, below the index; recalculated by
LibreOffice they show the library's figures; read back and compared by the appraisal diff."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from parindex.framework.catalog import load_framework
from parindex.province.rollup import roll_up
from parindex.scoring.dossier import load_dossier
from parindex.workbook.diff import appraisal_diff
from parindex.workbook.export import expected_value, export_workbook
from parindex.workbook.layout import MAIN_SHEET, SUMMARY_SHEET
from parindex.workbook.read import read_workbook

from .conftest import run_cli
from .test_extras import CAPPED, EXTRAS
from .test_workbook import SOFFICE, recalculate, same

D = Decimal
FRAMEWORK = EXTRAS / "framework.yaml"
REVIEW = {"1.1.1": D(1), "1.1.2": D("0.5"), "1.2": D(0), "T1": D("0.5"), "TR1": D(1)}
"""The reviewer: the tree 2 → 1,5 (25 % lower: TR2 takes 1 off), T1 1 → 0,5, TR1 0,5 → 1;
T2 is left empty: not appraised, its self-assessed 1,5 stands."""


def _rows(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[MAIN_SHEET]
    return {str(c.value): c.row for c in ws["A"] if isinstance(c.value, str) and c.value}


def _appraise(path: Path) -> None:
    rows = _rows(path)
    wb = openpyxl.load_workbook(path)
    for code, value in REVIEW.items():
        wb[MAIN_SHEET][f"E{rows[code]}"] = float(value)
    wb.save(path)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: cannot "
                    "recalculate the workbook in a real spreadsheet engine")
@pytest.mark.parametrize("working", [False, True], ids=["submission", "working-copy"])
def test_extras_rows_recalculated_by_libreoffice_equal_the_library(
        tmp_path: Path, working: bool) -> None:
    card = load_dossier(CAPPED).score()
    (tmp_path / "in").mkdir()
    plain = tmp_path / "in" / "bang-diem.xlsx"
    result = export_workbook(CAPPED, plain, working=working)
    wb = openpyxl.load_workbook(plain)
    formulas = {(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"}
    assert formulas == {(c.sheet, c.ref) for c in result.formula_cells}
    extra_cells = {(c.code, c.field): c.ref for c in result.formula_cells
                   if c.field.startswith(("extras", "adjusted")) and c.sheet == MAIN_SHEET}
    assert set(extra_cells) == {("bonus", "extras_points"), ("bonus", "extras_appraised"),
                                ("penalty", "extras_points"), ("penalty", "extras_appraised"),
                                (None, "adjusted_score"), (None, "adjusted_appraised"),
                                (None, "adjusted_index"), (None, "adjusted_appraised_index")}
    appraised = tmp_path / "in" / "tham-dinh.xlsx"
    shutil.copy(plain, appraised)
    _appraise(appraised)
    outs = recalculate([plain, appraised], tmp_path / "out", tmp_path / "profile")
    for out, typed in zip(outs, ({}, REVIEW), strict=True):
        book = openpyxl.load_workbook(out, data_only=True)
        wrong = [f"{c.sheet}!{c.ref} {c.code} {c.field}: LibreOffice "
                 f"{book[c.sheet][c.ref].value!r}, library {expected_value(c, card, typed)!r}"
                 for c in result.formula_cells if c.sheet in (MAIN_SHEET, SUMMARY_SHEET)
                 and not same(book[c.sheet][c.ref].value, expected_value(c, card, typed))]
        assert wrong == []
    ws = openpyxl.load_workbook(outs[1], data_only=True)[MAIN_SHEET]
    # self-assessed: bonus 2,5 capped at 2, penalty 0,5, 2 + 2 − 0,5; the total stays 2
    assert [ws[extra_cells[k]].value for k in (
        ("bonus", "extras_points"), ("penalty", "extras_points"), (None, "adjusted_score"))] \
        == [2, 0.5, 3.5]
    assert ws[f"D{result.total_row}"].value == 2
    # the adjusted index on the index's own denominator (4 − 1 survey point pending): the
    # library's figure, 3,5 / 3 × 100
    adjusted_index = extra_cells[(None, "adjusted_index")]
    assert ws[adjusted_index].value == pytest.approx(116.67) and card.adjusted_index == D(
        "116.67")
    assert ws[f"B{ws[adjusted_index].row}"].value == "CHỈ SỐ SAU THƯỞNG, TRỪ (%)"
    # appraised: bonus 0,5 + 1,5 (T2 not appraised: its 1,5 stands) = 2, penalty 1 (TR2,
    # computed from the appraisal, shows no points in the sheet), 1,5 + 2 − 1
    assert [ws[extra_cells[k]].value for k in (
        ("bonus", "extras_appraised"), ("penalty", "extras_appraised"),
        (None, "adjusted_appraised"), (None, "adjusted_appraised_index"))] == [2, 1, 2.5, 83.33]
    inbox = tmp_path / "roll-up"
    inbox.mkdir()
    shutil.copy(outs[1], inbox)  # the province reads the same file: the same bonus
    rolled = roll_up(inbox, load_framework(FRAMEWORK)).units[0].card.extras
    assert rolled is not None and rolled.bonus.points == D(2)

    if working:  # the summary sheet: the bonus, the penalty, the score and index with them
        summary = openpyxl.load_workbook(outs[1], data_only=True)[SUMMARY_SHEET]
        rows = [[c.value for c in row] for row in summary.iter_rows(min_row=6, max_row=9)]
        assert rows == [
            [None, "TỔNG CỘNG", 4, 1, 2, 66.67, 1.5, 50],
            [None, "ĐIỂM THƯỞNG (ngoài tổng điểm)", 2, None, 2, None, 2, None],
            [None, "ĐIỂM TRỪ (ngoài tổng điểm)", 1.5, None, 0.5, None, 1, None],
            [None, "TỔNG ĐIỂM SAU THƯỞNG, TRỪ", None, None, 3.5, 116.67, 2.5, 83.33]]
    back = read_workbook(outs[1], FRAMEWORK)
    assert back.report.valid
    assert [(e.code, e.group, e.self_score, e.appraised) for e in back.extras] == [
        ("T1", "bonus", D(1), D("0.5")), ("T2", "bonus", D("1.5"), None),
        ("TR1", "penalty", D("0.5"), D(1)), ("TR2", "penalty", None, None)]
    diff = appraisal_diff(back, card)
    assert [(e.code, e.self_points, e.appraised, e.computed) for e in diff.extras] == [
        ("T1", D(1), D("0.5"), False), ("T2", D("1.5"), None, False),
        ("TR1", D("0.5"), D(1), False), ("TR2", None, D(1), True)]  # 25 % > 10 %: 1 off


def test_an_extra_left_blank_is_not_appraised_in_diff_and_in_the_roll_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # diff used to count nothing for T2 and the sheet's formulas took it as 0, while the
    # province kept the department's 1,5: one rule now, as for the tree's items
    inbox = tmp_path / "in"
    inbox.mkdir()
    path = inbox / "bang-diem.xlsx"
    export_workbook(CAPPED, path)
    _appraise(path)  # T2 left blank
    unit = roll_up(inbox, load_framework(FRAMEWORK)).units[0]
    rolled = {i["code"]: i["points"] for i in unit.to_dict()["extras"]["items"]}
    diff = appraisal_diff(read_workbook(path, FRAMEWORK), load_dossier(CAPPED).score())
    assert [(e.code, e.appraised, e.difference, e.appraised_items, e.appraisable_items)
            for e in diff.extras] == [
        ("T1", D("0.5"), D("-0.5"), 1, 1), ("T2", None, 0, 0, 1), ("TR1", D(1), D("0.5"), 1, 1),
        ("TR2", D(1), D(1), 0, 0)]
    # the points that stand: the tree's rule (self-assessed + difference), and the computed one
    standing = {e.code: e.appraised if e.computed else (e.self_points or 0) + e.difference
                for e in diff.extras}
    assert standing == {c: D(str(v)) for c, v in rolled.items()} == {
        "T1": D("0.5"), "T2": D("1.5"), "TR1": D(1), "TR2": D(1)}
    code, out, _ = run_cli(capsys, "diff", str(CAPPED), str(path))
    rows = [[c.strip() for c in x.split("│")[1:-1]] for x in out.splitlines()]
    assert code == 0 and [r for r in rows if r[:1] == ["T2"]] == [
        ["T2", "Điểm thưởng", "1,50", "–", "+0,00", "0/1"]]  # not appraised, as areas say


def test_appraisal_gap_item_waits_for_every_appraisable_item(tmp_path: Path) -> None:
    card = load_dossier(CAPPED).score()
    path = tmp_path / "bang-diem.xlsx"
    export_workbook(CAPPED, path)
    rows = _rows(path)
    wb = openpyxl.load_workbook(path)
    wb[MAIN_SHEET][f"E{rows['1.1.1']}"] = 0.5  # 1.1.2 and 1.2 not appraised yet
    wb.save(path)
    diff = appraisal_diff(read_workbook(path, FRAMEWORK), card)
    assert {e.code: (e.appraised, e.computed) for e in diff.extras}["TR2"] == (None, False)


def test_extra_rows_read_back_report_unknown_and_missing_codes(tmp_path: Path) -> None:
    path = tmp_path / "bang-diem.xlsx"
    export_workbook(CAPPED, path)
    rows = _rows(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[MAIN_SHEET]
    ws[f"A{rows['T2']}"] = "TR1"  # a penalty code in the bonus block
    ws[f"E{rows['T1']}"] = 3  # above T1's 1 point
    wb.save(path)
    back = read_workbook(path, FRAMEWORK)
    got = sorted((f.code, f.item) for f in back.report.findings
                 if f.item in ("T1", "T2", "TR1"))
    assert got == [("workbook-missing-row", "T2"), ("workbook-score-out-of-range", "T1"),
                   ("workbook-unknown-row", "TR1")]
    assert [e.code for e in back.extras] == ["T1", "TR1", "TR2"]


def test_a_workbook_written_before_the_adjusted_index_row_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "bang-diem.xlsx"
    export_workbook(CAPPED, path)
    new = read_workbook(path, FRAMEWORK)
    wb = openpyxl.load_workbook(path)
    ws = wb[MAIN_SHEET]
    row = next(c.row for c in ws["B"] if c.value == "CHỈ SỐ SAU THƯỞNG, TRỪ (%)")
    ws.delete_rows(row)  # the layout before the row: the adjusted score, then the basis note
    wb.save(path)
    old = read_workbook(path, FRAMEWORK)
    assert old.report.valid and old.report.findings == new.report.findings
    assert old.extras == new.extras and old.items == new.items
