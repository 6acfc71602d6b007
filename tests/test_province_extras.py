"""The province roll-up reads the bonus and penalty rows of a department's workbook and shows
them apart: never in the total, the index or the rank."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from parindex.framework.catalog import load_framework
from parindex.province.rollup import roll_up
from parindex.workbook.export import export_workbook
from parindex.workbook.layout import MAIN_SHEET

from .test_extras import CAPPED, EXTRAS

FRAMEWORK = load_framework(EXTRAS / "framework.yaml")
REVIEW = {"1.1.1": 1, "1.1.2": 0.5, "1.2": 0, "T1": 0.5, "TR1": 1}
"""The reviewer: the tree 2 → 1,5 (25 % lower: TR2 takes 1 off), T1 1 → 0,5, TR1 0,5 → 1;
T2 is not appraised and keeps the department's 1,5."""


def _inbox(tmp_path: Path, review: dict[str, float] | None = None) -> Path:
    inbox = tmp_path / "in"
    inbox.mkdir()
    path = inbox / "bang-diem.xlsx"
    export_workbook(CAPPED, path)
    if review:
        wb = openpyxl.load_workbook(path)
        ws = wb[MAIN_SHEET]
        rows = {str(c.value): c.row for c in ws["A"] if isinstance(c.value, str)}
        for code, value in review.items():
            ws[f"E{rows[code]}"] = value
        wb.save(path)
    return inbox


def test_self_assessed_extras_are_read_apart_from_the_total(tmp_path: Path) -> None:
    # the roll-up used to skip the rows below the total: a department's bonus vanished
    unit = roll_up(_inbox(tmp_path), FRAMEWORK).to_dict()["units"][0]
    assert (unit["total"], unit["index"], unit["rank"]) == (2, 66.67, 1)
    assert {k: v for k, v in unit["extras"].items() if k != "items"} == {
        "self_bonus": 2, "self_penalty": 0.5, "bonus": 2, "penalty": 0.5, "net": 1.5,
        "pending": 1, "adjusted_total": 3.5}
    assert [(i["code"], i["status"], i["points"]) for i in unit["extras"]["items"]] == [
        ("T1", "scored", 1), ("T2", "scored", 1.5), ("TR1", "scored", 0.5),
        ("TR2", "appraisal-pending", 0)]


def test_appraised_extras_and_the_penalty_computed_from_the_appraisal(tmp_path: Path) -> None:
    result = roll_up(_inbox(tmp_path, REVIEW), FRAMEWORK)
    assert [f for f in result.findings if f.severity != "info"] == []
    unit = result.to_dict()["units"][0]
    assert (unit["self_score"], unit["appraised_score"], unit["index"]) == (2, 1.5, 50)
    ex = unit["extras"]
    # bonus 0,5 + 1,5 = 2 (cap 2); penalty TR1 1 + TR2 1 (25 % lowered) = 2, capped at 1,5
    assert (ex["bonus"], ex["penalty"], ex["net"], ex["pending"], ex["adjusted_total"]) == (
        2, 1.5, 0.5, 0, 2)
    assert {i["code"]: (i["self_points"], i["points"]) for i in ex["items"]} == {
        "T1": (1, 0.5), "T2": (1.5, 1.5), "TR1": (0.5, 1), "TR2": (0, 1)}


def test_an_extra_out_of_its_range_sets_the_file_aside_like_an_item(tmp_path: Path) -> None:
    result = roll_up(_inbox(tmp_path, {"T1": 3}), FRAMEWORK)
    assert next((f.code, f.item, f.line, f.message) for f in result.findings) == (
        "province-score-out-of-range", "T1", 19, "Dòng 19: điểm thẩm định 3 ngoài khoảng 0 – 1.")
    assert result.units == () and [r for _, _, r in result.set_aside] == [
        "1 lỗi, đầu tiên: Dòng 19: điểm thẩm định 3 ngoài khoảng 0 – 1."]


@pytest.mark.parametrize("framework", ["qn-so-2021"])
def test_a_framework_without_extras_gives_null(framework: str, tmp_path: Path) -> None:
    from parindex.scoring.dossier import load_dossier

    from .conftest import EXAMPLE

    inbox = tmp_path / "in"
    inbox.mkdir()
    export_workbook(load_dossier(EXAMPLE), inbox / "a.xlsx")
    assert roll_up(inbox, load_framework(framework)).to_dict()["units"][0]["extras"] is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not "
                    "installed: cannot recalculate the summary in a real spreadsheet engine")
def test_the_summary_workbook_has_the_extras_columns_recalculated_as_the_json(
        tmp_path: Path) -> None:
    from parindex.province.summary import SUMMARY_SHEET, write_summary

    from .libreoffice import resave_with_libreoffice

    result = roll_up(_inbox(tmp_path, REVIEW), FRAMEWORK)
    summary = write_summary(result, tmp_path / "tong-hop.xlsx")
    assert [(c.ref, c.expected) for c in summary.cells if c.ref.startswith("R")] == [
        ("R5", 2)]
    ws = openpyxl.load_workbook(resave_with_libreoffice(summary.path, tmp_path),
                                data_only=True)[SUMMARY_SHEET]
    def same(got: object, want: object) -> bool:
        if isinstance(want, int | float) and not isinstance(want, bool):
            return isinstance(got, int | float) and abs(got - want) < 0.005
        return (None if got == "" else got) == want

    wrong = [(c.sheet, c.ref, ws.parent[c.sheet][c.ref].value, c.expected)
             for c in summary.cells if not same(ws.parent[c.sheet][c.ref].value, c.expected)]
    assert wrong == []
    assert [ws.cell(row=4, column=c).value for c in range(12, 19)] == [
        "Tệp", "Điểm thưởng tự đánh giá", "Điểm trừ tự đánh giá", "Điểm thưởng sau thẩm định",
        "Điểm trừ sau thẩm định", "Điểm trừ chờ kết quả thẩm định",
        "Tổng điểm sau thưởng, trừ"]
    # self 2 and 0,5; appraised 2 (T2 not appraised keeps 1,5) and 1,5 (capped); the total
    # 1,5 + 2 − 1,5: never in the total (G), the index (H) or the rank (J)
    assert [ws.cell(row=5, column=c).value for c in (7, 8, 10, *range(13, 19))] == [
        1.5, 50, 1, 2, 0.5, 2, 1.5, 0, 2]


def test_the_summary_workbook_without_extras_has_no_extras_columns(tmp_path: Path) -> None:
    from parindex.province.summary import SUMMARY_SHEET, write_summary
    from parindex.scoring.dossier import load_dossier

    from .conftest import EXAMPLE

    inbox = tmp_path / "in"
    inbox.mkdir()
    export_workbook(load_dossier(EXAMPLE), inbox / "a.xlsx")
    out = write_summary(roll_up(inbox, load_framework("qn-so-2021")), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out.path)[SUMMARY_SHEET]
    assert ws.max_column == 12 and not any(c.ref.startswith(("M", "R")) for c in out.cells)
