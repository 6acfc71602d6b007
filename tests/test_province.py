"""The province roll-up (Sở Nội vụ): department workbooks appraised by openpyxl (one re-saved
by LibreOffice), a survey table, a hand-made score sheet, bad files set aside, the summary
workbook recalculated by LibreOffice, appraisal rounds, ranking and ties, the CLI."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.framework.catalog import load_framework
from parindex.framework.model import Framework
from parindex.province.columns import Columns
from parindex.province.formulas import check_sum
from parindex.province.rollup import ProvinceResult, roll_up
from parindex.province.sheet import read_sheet
from parindex.province.summary import write_summary
from parindex.province.survey import read_survey

from .conftest import run_cli
from .libreoffice import resave_with_libreoffice
from .province_material import (
    UNITS,
    Department,
    fill_appraisal,
    make_department,
    survey_inputs,
    write_hand_made,
    write_survey_table,
)

H = Decimal("0.01")


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework("qn-so-2021")


@pytest.fixture(scope="module")
def departments(tmp_path_factory: pytest.TempPathFactory) -> list[Department]:
    root = tmp_path_factory.mktemp("province")
    deps = [make_department(i, root) for i in range(3)]
    # the third department's workbook went through a real spreadsheet program
    resaved = resave_with_libreoffice(deps[2].workbook, root)
    shutil.copyfile(resaved, deps[2].workbook)
    return deps


@pytest.fixture(scope="module")
def folder(departments: list[Department], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("inbox")
    for d in departments:
        shutil.copyfile(d.workbook, out / d.workbook.name)
    return out


@pytest.fixture(scope="module")
def survey_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("survey") / "dieu-tra.xlsx"
    write_survey_table(path, ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Tư pháp", "Sở Xây dựng"],
                       [0, 1, 2])
    return path


@pytest.fixture(scope="module")
def result(folder: Path, survey_file: Path, fw: Framework) -> ProvinceResult:
    return roll_up(folder, fw, read_survey(survey_file, fw))


def _close(a: Any, b: Decimal | None) -> bool:
    if b is None:
        return a is None
    return a is not None and abs(Decimal(str(a)) - b) < H / 2


# -- roll-up equals score -----------------------------------------------------------------------


def test_rollup_equals_score_per_department(result: ProvinceResult,
                                            departments: list[Department]) -> None:
    data = result.to_dict()
    assert [f for f in data["findings"] if f["severity"] != "info"] == []
    by_unit = {u["unit"]: u for u in data["units"]}
    assert sorted(by_unit) == sorted(UNITS)
    for d in departments:
        u = by_unit[d.unit]
        t = d.expected.total
        assert _close(u["total"], t.score)
        assert _close(u["index"], t.index)
        assert _close(u["appraised_score"], t.self_score)
        assert _close(u["survey_score"], t.survey_score)
        assert u["classification"] == d.expected.classification
        for area in u["areas"]:
            assert _close(area["index"], d.expected[area["code"]].index)
            assert _close(area["appraised_score"], d.expected[area["code"]].score)
    expected_order = sorted(departments, key=lambda d: -(d.expected.total.index or 0))
    assert [u["unit"] for u in data["units"]] == [d.unit for d in expected_order]
    assert [u["rank"] for u in data["units"]] == [1, 2, 3]


def test_self_score_is_the_departments_own_score(result: ProvinceResult,
                                                 departments: list[Department]) -> None:
    from parindex.scoring.dossier import load_dossier

    by_unit = {u.unit: u for u in result.units}
    for d in departments:
        own = load_dossier(d.folder).score()
        assert by_unit[d.unit].self_score == own.total.self_score
        assert by_unit[d.unit].gap == own.total.self_score - d.expected.total.self_score


def test_json_keys_are_those_of_the_issue(result: ProvinceResult) -> None:
    data = result.to_dict()
    assert {"units", "findings"} <= set(data)
    for u in data["units"]:
        assert {"unit", "self_score", "appraised_score", "survey_score", "total", "index",
                "rank", "areas"} <= set(u)


def test_summary_recalculated_by_libreoffice_equals_json(result: ProvinceResult,
                                                         tmp_path: Path) -> None:
    summary = write_summary(result, tmp_path / "tong-hop.xlsx")
    assert len(summary.cells) == 3 * 5 + 5 + 8 * (3 * 2 + 1)
    resaved = resave_with_libreoffice(summary.path, tmp_path)
    wb = openpyxl.load_workbook(resaved, data_only=True)
    wrong = []
    for cell in summary.cells:
        got = wb[cell.sheet][cell.ref].value
        want = cell.expected
        if isinstance(want, int | float) and not isinstance(want, bool):
            ok = isinstance(got, int | float) and abs(got - want) < 0.005
        else:
            ok = (got if got != "" else None) == want
        if not ok:
            wrong.append((cell.sheet, cell.ref, got, want))
    assert wrong == []


def test_summary_text_is_never_a_formula(folder: Path, fw: Framework, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    src = next(folder.glob("*.xlsx"))
    wb = openpyxl.load_workbook(src)
    for p in wb.custom_doc_props:
        if p.name == "parindex.unit":
            p.value = '=HYPERLINK("http://x","y")'
    wb.save(inbox / src.name)
    res = roll_up(inbox, fw)
    out = write_summary(res, tmp_path / "t.xlsx").path
    cell = openpyxl.load_workbook(out)["Tổng hợp"]["B5"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")


# -- hand-made sheet, rounds --------------------------------------------------------------------


def test_hand_made_sheet_rolls_up_like_a_parindex_one(departments: list[Department],
                                                      fw: Framework, tmp_path: Path) -> None:
    d = departments[1]
    inbox = tmp_path / "in"
    inbox.mkdir()
    from parindex.scoring.dossier import load_dossier

    own = load_dossier(d.folder).score()
    self_points = {n.code: n.score for n in own.leaves()
                   if n.method != "survey" and n.status != "not-applicable"}
    na = {n.code for n in own.leaves() if n.status == "not-applicable"}
    write_hand_made(inbox / "so-tu-phap-tu-lam.xlsx", fw, d.unit, self_points,
                    [d.appraised_points], not_applicable=na)
    hand = roll_up(inbox, fw).to_dict()
    shutil.copyfile(d.workbook, inbox / "so-tu-phap-tu-lam.xlsx")
    ours = roll_up(inbox, fw).to_dict()
    assert hand["findings"] == ours["findings"] == []
    keep = ("self_score", "appraised_score", "survey_score", "total", "index", "rank", "areas",
            "gap", "max", "classification")
    assert [{k: u[k] for k in keep} for u in hand["units"]] == \
        [{k: u[k] for k in keep} for u in ours["units"]]
    assert hand["units"][0]["unit"] == d.unit.upper()


def test_second_round_is_final_and_changes_are_listed(fw: Framework, tmp_path: Path) -> None:
    leaves = [n for n in fw.leaves() if n.method != "survey"]
    self_points = {n.code: n.max_points for n in leaves}
    first = dict(self_points)
    first["1.1.1"] = Decimal("0.5")
    first["1.1.2"] = Decimal(0)
    second = {"1.1.2": Decimal("0.5")}
    write_hand_made(tmp_path / "so-y-te.xlsx", fw, "Sở Y tế", self_points, [first, second],
                    reviews={"1.1.2": "Chưa có báo cáo"},
                    responses={"1.1.2": "Đã bổ sung Báo cáo 12/BC-SYT"})
    res = roll_up(tmp_path, fw)
    u = res.to_dict()["units"][0]
    assert u["unit"] == "SỞ Y TẾ"
    assert u["rounds"] == 2
    assert u["appraised_score"] == float(fw.self_scored_max - Decimal("0.5"))
    assert u["changes"] == [
        {"code": "1.1.1", "round": 1, "before": 1, "after": 0.5, "review": None,
         "response": None},
        {"code": "1.1.2", "round": 1, "before": 0.5, "after": 0, "review": "Chưa có báo cáo",
         "response": "Đã bổ sung Báo cáo 12/BC-SYT"},
        {"code": "1.1.2", "round": 2, "before": 0, "after": 0.5, "review": None,
         "response": "Đã bổ sung Báo cáo 12/BC-SYT"},
    ]


def test_unappraised_workbook_ranks_on_self_scores(departments: list[Department],
                                                   fw: Framework, tmp_path: Path) -> None:
    from parindex.workbook.export import export_workbook

    export_workbook(departments[0].folder, tmp_path / "a.xlsx", check=False)
    u = roll_up(tmp_path, fw).units[0]
    assert (u.appraised_score, u.appraised_items, u.gap) == (None, 0, None)
    assert u.total == u.self_score


# -- bad files set aside ------------------------------------------------------------------------


def _set_prop(path: Path, name: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    for p in wb.custom_doc_props:
        if p.name == name:
            p.value = value
    wb.save(path)


def test_other_framework_damaged_and_duplicate_are_left_out(folder: Path, fw: Framework,
                                                            tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    shutil.copytree(folder, inbox)
    good = sorted(inbox.glob("*.xlsx"))
    shutil.copyfile(good[0], inbox / "z-ban-sao.xlsx")
    shutil.copyfile(good[1], inbox / "khac-bo-tieu-chi.xlsx")
    _set_prop(inbox / "khac-bo-tieu-chi.xlsx", "parindex.framework", "qn-so-2022")
    _set_prop(inbox / "khac-bo-tieu-chi.xlsx", "parindex.unit", "Sở Y tế")
    shutil.copyfile(good[2], inbox / "nam-khac.xlsx")
    _set_prop(inbox / "nam-khac.xlsx", "parindex.year", "2020")
    _set_prop(inbox / "nam-khac.xlsx", "parindex.unit", "Sở Nội vụ")
    data = good[0].read_bytes()
    (inbox / "hong.xlsx").write_bytes(data[: len(data) // 2])
    (inbox / "rong.xlsx").write_bytes(b"")
    res = roll_up(inbox, fw)
    assert len(res.units) == 3
    aside = {f: n for f, n, _ in res.set_aside}
    assert set(aside) == {"z-ban-sao.xlsx", "khac-bo-tieu-chi.xlsx", "nam-khac.xlsx",
                          "hong.xlsx", "rong.xlsx"}
    codes = {(f.file, f.code) for f in res.findings}
    assert {("z-ban-sao.xlsx", "province-duplicate-unit"),
            ("khac-bo-tieu-chi.xlsx", "province-wrong-framework"),
            ("nam-khac.xlsx", "province-wrong-year"), ("hong.xlsx", "province-unreadable"),
            ("rong.xlsx", "province-unreadable")} <= codes


def _edit(path: Path, ref: str, value: Any) -> None:
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0][ref] = value
    wb.save(path)


@pytest.mark.parametrize(("ref", "value", "code"), [
    ("D9", "=SUM(D10,D14)", "province-formula-edited"),    # area 1's total drops criteria
    ("E10", "=SUM(E11:E13)+1", "province-formula-edited"),
    ("D10", 99, "province-formula-edited"),                # a typed total that is not the sum
    ("E10", "=SUM(E12:E14)", "province-formula-edited"),   # criterion 1.1 over wrong rows
    ("D12", "mot diem", "province-not-a-number"),
    ("E12", 7, "province-score-out-of-range"),
    ("C12", 3, "province-max-changed"),
    ("A12", "1.1.9", "province-unknown-row"),
])
def test_a_defect_sets_the_file_aside_with_its_cell(departments: list[Department],
                                                    fw: Framework, tmp_path: Path, ref: str,
                                                    value: Any, code: str) -> None:
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    _edit(path, ref, value)
    sheet = read_sheet(path, fw)
    assert not sheet.usable
    hits = [f for f in sheet.findings if f.code == code]
    assert hits and hits[0].file == "x.xlsx"
    assert hits[0].line == int(ref[1:])
    assert roll_up(tmp_path, fw).set_aside[0][0] == "x.xlsx"


def test_number_typed_as_text_is_read_with_a_warning(departments: list[Department],
                                                     fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    _edit(path, "E12", "0,5")
    sheet = read_sheet(path, fw)
    assert sheet.usable
    assert sheet.items["1.1.2"].appraised == Decimal("0.5")
    assert [f.code for f in sheet.findings] == ["province-number-as-text"]


def test_sheet_with_too_many_rows_is_bounded(fw: Framework, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import parindex.province.sheet as sheet_mod

    monkeypatch.setattr(sheet_mod, "MAX_ROWS", 20)
    write_hand_made(tmp_path / "a.xlsx", fw, "Sở Y tế", {}, [])
    sheet = read_sheet(tmp_path / "a.xlsx", fw)
    assert "province-too-large" in {f.code for f in sheet.findings}
    assert not sheet.usable


def test_no_score_sheet_in_file(fw: Framework, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách"  # type: ignore[index]
    wb.save(tmp_path / "a.xlsx")
    assert [f.code for f in read_sheet(tmp_path / "a.xlsx", fw).findings] == \
        ["province-not-a-score-sheet"]


# -- survey table -------------------------------------------------------------------------------


def test_survey_table_points_and_shares(survey_file: Path, fw: Framework) -> None:
    table = read_survey(survey_file, fw)
    assert table.findings == ()
    assert table.units["sở tư pháp"] == survey_inputs(1)


def test_survey_value_over_the_maximum_is_a_finding(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_survey_table(path, ["Sở Y tế", "Sở Y tế"], [0, 1])
    wb = openpyxl.load_workbook(path)
    wb.active["C5"] = 9  # type: ignore[index]  # 8.1 has 8 points
    wb.active["E6"] = "nhiều"  # type: ignore[index]
    wb.save(path)
    table = read_survey(path, fw)
    assert [(f.code, f.line) for f in table.findings] == [
        ("survey-invalid-value", 5), ("survey-duplicate-unit", 6)]
    assert "8.1" not in table.units["sở y tế"]


# -- ranking ------------------------------------------------------------------------------------


def test_equal_indexes_are_ties_unless_the_framework_breaks_them(
        departments: list[Department], fw: Framework, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name, unit in (("a.xlsx", "Sở A"), ("b.xlsx", "Sở B")):
        shutil.copyfile(departments[0].workbook, inbox / name)
        _set_prop(inbox / name, "parindex.unit", unit)
    _edit(inbox / "a.xlsx", "E11", 0.25)  # A: 0.25 less appraised …
    survey = tmp_path / "s.xlsx"
    write_survey_table(survey, ["Sở A", "Sở B"], [0, 0])
    wb = openpyxl.load_workbook(survey)
    wb.active["C5"] = 6.75  # type: ignore[index]  # … and 0.25 more survey points
    wb.save(survey)
    res = roll_up(inbox, fw, read_survey(survey, fw))
    assert res.units[0].index == res.units[1].index
    assert [u.rank for u in res.units] == [1, 1]
    assert res.ties == (("Sở A", "Sở B"),)
    assert "province-tie" in {f.code for f in res.findings}
    tie_fw = fw.model_copy(update={"ranking": fw.ranking.model_copy(
        update={"tie_break": ("survey_score", "smaller_gap")})})
    res = roll_up(inbox, tie_fw, read_survey(survey, tie_fw))
    assert [(u.unit, u.rank) for u in res.units] == [("Sở A", 1), ("Sở B", 2)]
    assert res.ties == ()
    summary = write_summary(res, tmp_path / "t.xlsx")
    lo = openpyxl.load_workbook(resave_with_libreoffice(summary.path, tmp_path),
                                data_only=True)["Tổng hợp"]
    assert [lo["J5"].value, lo["J6"].value] == [1, 2]


# -- formulas and headers -----------------------------------------------------------------------


@given(st.lists(st.integers(5, 300), min_size=1, max_size=12, unique=True),
       st.integers(0, 10))
def test_check_sum_accepts_exactly_the_children(rows: list[int], col: int) -> None:
    letter = chr(65 + col)
    refs = ",".join(f"{letter}{r}" for r in rows)
    assert check_sum(f"=SUM({refs})", col, rows) is None
    assert check_sum(f'=IF(COUNT({refs})=0,"",SUM({refs}))', col, rows) is None
    assert check_sum(f"=SUM({refs},{letter}999)", col, rows) is not None
    assert check_sum(f"=SUM({refs})*2", col, rows) is not None
    assert check_sum(f"=SUM({refs})", col + 1, rows) is not None
    if len(rows) > 1:
        assert check_sum(f"=SUM({letter}{rows[0]})", col, rows) is not None


def test_columns_found_by_headers_in_any_order() -> None:
    top = ["Giải trình bổ sung", "Điểm thẩm định", None, "TT", "Tiêu chí", "Điểm chuẩn",
           "Điểm tự chấm", "Ý kiến thẩm định lần 2", "Điểm tối đa tính chỉ số"]
    below = [None, "Vòng 1", "Vòng 2", None, None, None, None, None, None]
    cols = Columns.from_rows(top, below)
    assert (cols.response, cols.appraised, cols.code, cols.name, cols.max, cols.self,
            cols.review) == (0, {1: 1, 2: 2}, 3, 4, 5, 6, {2: 7})


# -- the command --------------------------------------------------------------------------------


def test_cli_province_json_and_summary(folder: Path, survey_file: Path,
                                       result: ProvinceResult, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tong-hop.xlsx"
    code, stdout, _ = run_cli(capsys, "province", str(folder), "-o", str(out), "--survey",
                              str(survey_file), "--json")
    assert code == 0
    assert json.loads(stdout) == json.loads(json.dumps(result.to_dict(), default=str))
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Tổng hợp", "Lĩnh vực 1"]
    code, _, err = run_cli(capsys, "province", str(folder), "-o", str(out))
    assert code == 2 and "--force" in err
    code, stdout, _ = run_cli(capsys, "province", str(folder), "-o", str(out), "--force")
    assert code == 0 and "3 đơn vị tổng hợp, 0 tệp để riêng" in stdout


def test_cli_province_exit_1_when_a_file_is_set_aside(folder: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "in"
    shutil.copytree(folder, inbox)
    (inbox / "hong.xlsx").write_bytes(b"PK\x03\x04 not really")
    code, stdout, _ = run_cli(capsys, "province", str(inbox), "-o", str(tmp_path / "t.xlsx"))
    assert code == 1
    assert "Để riêng: hong.xlsx" in stdout
    code, _, _ = run_cli(capsys, "province", str(tmp_path / "nowhere"), "-o",
                         str(tmp_path / "u.xlsx"), "--framework", "qn-so-2021")
    assert code == 3


def test_fill_appraisal_helper_round_trip(departments: list[Department], fw: Framework,
                                          tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    fill_appraisal(path, {12: Decimal("0.25")})
    assert read_sheet(path, fw).items["1.1.2"].appraised == Decimal("0.25")


def test_second_round_appended_to_a_parindex_workbook(departments: list[Department],
                                                      fw: Framework, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      ) -> None:
    """The reviewer appends Điểm thẩm định lần 2 / Ý kiến thẩm định / Giải trình bổ sung to
    the right of the workbook: ``diff`` and ``province`` take the last round."""
    d = departments[0]
    path = tmp_path / "in" / "a.xlsx"
    path.parent.mkdir()
    shutil.copyfile(d.workbook, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["M7"], ws["N7"], ws["O7"] = ("Ý kiến thẩm định", "Giải trình bổ sung",
                                    "Điểm thẩm định lần 2")
    first = ws["E11"].value  # 1.1.1, appraised 0.5 in round 1
    ws["M11"] = "Kế hoạch ban hành trễ hạn"
    ws["N11"] = "Kế hoạch 02/KH-SKHCN ban hành đúng hạn, gửi kèm"
    ws["O11"] = 1
    wb.save(path)
    code, out, _ = run_cli(capsys, "diff", str(path), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["rounds"][-1] == {"code": "1.1.1", "round": 2, "before": first, "after": 1,
                                  "review": None,
                                  "response": "Kế hoạch 02/KH-SKHCN ban hành đúng hạn, gửi kèm"}
    assert {"code": "1.1.1", "round": 1, "before": 1, "after": first,
            "review": "Kế hoạch ban hành trễ hạn",
            "response": "Kế hoạch 02/KH-SKHCN ban hành đúng hạn, gửi kèm"} in data["rounds"]
    row = next(r for r in data["items"] if r["code"] == "1.1.1")
    assert (row["appraised"], row["difference"]) == (1, 0)
    want = d.expected.total.self_score + Decimal(1) - Decimal(str(first))
    assert Decimal(str(data["total"]["appraised"])) == want
    u = roll_up(path.parent, fw).units[0]
    assert (u.appraised_score, u.rounds) == (want, 2)
    code, out, _ = run_cli(capsys, "diff", str(path))
    assert "Thay đổi giữa các vòng thẩm định" in out and "02/KH-SKHCN" in out


def test_the_submission_form_without_working_columns_rolls_up_alike(
        departments: list[Department], fw: Framework, tmp_path: Path) -> None:
    """The submission workbook has no Tình trạng column: parindex writes "Không áp dụng" in
    the score cell of an item not applicable; a form filled by hand may leave it empty, and an
    empty self-score of an item that may be not applicable is read as not applicable, so the
    roll-up is the same."""
    work = tmp_path / "work"
    sub = tmp_path / "sub"
    work.mkdir()
    sub.mkdir()
    d = departments[1]
    shutil.copyfile(d.workbook, work / "a.xlsx")  # the submission, as parindex writes it
    wb = openpyxl.load_workbook(d.workbook)
    assert wb.worksheets[0].max_column == 8  # no working column
    for (cell,) in wb.worksheets[0].iter_rows(min_row=9, min_col=4, max_col=4):
        if cell.value == "Không áp dụng":
            cell.value = None  # as a form filled by hand may leave it
    wb.save(sub / "a.xlsx")
    ours, theirs = roll_up(work, fw).to_dict(), roll_up(sub, fw).to_dict()
    assert [u["index"] for u in theirs["units"]] == [u["index"] for u in ours["units"]]
    assert theirs["units"] == ours["units"]
    assert ours["findings"] == []
    assert sorted((f["code"], f["item"]) for f in theirs["findings"]) == [
        ("province-empty-as-not-applicable", "2.1.1"),
        ("province-empty-as-not-applicable", "2.1.2")]


def test_a_fifo_named_xlsx_is_set_aside_without_waiting(folder: Path, fw: Framework,
                                                        tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        ) -> None:
    import os

    inbox = tmp_path / "in"
    shutil.copytree(folder, inbox)
    os.mkfifo(inbox / "ong.xlsx")
    res = roll_up(inbox, fw)
    assert len(res.units) == 3
    assert [(f, r.split(":")[0]) for f, _, r in res.set_aside] == [("ong.xlsx", "1 lỗi, đầu tiên")]
    assert "province-unreadable" in {f.code for f in res.findings if f.file == "ong.xlsx"}
    code, _, err = run_cli(capsys, "province", str(inbox), "-o", str(inbox / "t.xlsx"))
    assert code == 2 and "ngoài thư mục" in err


def test_result_shows_itself_short_and_as_a_table(result: ProvinceResult) -> None:
    # the dataclass repr printed every scorecard of every unit (hundreds of kilobytes)
    from parindex.core.display import REPR_LIMIT, plain

    text = repr(result)
    assert len(text) < REPR_LIMIT
    assert text == (f"<ProvinceResult {result.framework.id}: 3 unit(s), 0 set aside, "
                    f"{len(result.findings)} finding(s); average index "
                    f"{plain(result.average()['index'])}>")
    html = result._repr_html_()
    assert html.count("<tr>") == 1 + 3  # the heading row and one row per unit
    assert all(u in html for u in UNITS)
    assert len(repr(result.units[0])) < REPR_LIMIT


def test_a_score_in_a_percent_formatted_cell_sets_the_file_aside(
        departments: list[Department], fw: Framework, tmp_path: Path) -> None:
    """0,5 typed in the appraisal of 1.1.2 where the cell shows 50 %: neither reading is
    taken; the file is set aside naming the row (a plain 0,5 beside it is read)."""
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["E12"], ws["E12"].number_format = 0.5, "0%"
    wb.save(path)
    sheet = read_sheet(path, fw)
    assert not sheet.usable
    assert [(f.code, f.line, f.message) for f in sheet.findings] == [
        ("province-not-a-number", 12, "Dòng 12: ô điểm định dạng phần trăm (hiện 50%): không "
                                      "rõ là 0,5 hay 50 điểm.")]
    assert sheet.items["1.1.2"].appraised is None


def test_an_appraisal_merged_over_two_items_sets_the_file_aside(
        departments: list[Department], fw: Framework, tmp_path: Path) -> None:
    """E12:E13 merged: the score belongs to 1.1.2 or 1.1.3, the roll-up does not guess."""
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["E12"] = 0.5
    ws.merge_cells("E12:E13")
    wb.save(path)
    sheet = read_sheet(path, fw)
    assert not sheet.usable
    assert [(f.code, f.line, f.item, f.message) for f in sheet.findings
            if f.code == "province-merged-score"] == [
        ("province-merged-score", 12, "1.1.2", "Dòng 12: ô điểm nằm trong vùng gộp E12:E13; ô "
                                               "không được đọc."),
        ("province-merged-score", 13, "1.1.3", "Dòng 13: ô điểm nằm trong vùng gộp E12:E13; ô "
                                               "không được đọc.")]


def test_one_items_score_merged_over_its_own_two_rows_is_read(
        departments: list[Department], fw: Framework, tmp_path: Path) -> None:
    """A long criterion name on two rows, its score cell merged down to the row below (which
    has no code): still that item's score."""
    path = tmp_path / "x.xlsx"
    shutil.copyfile(departments[0].workbook, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    last = ws.max_row + 5
    ws.insert_rows(13)  # a row below 1.1.2 without a code
    ws["E12"] = 0.5
    ws.merge_cells("E12:E13")
    assert ws.max_row < last
    wb.save(path)
    sheet = read_sheet(path, fw)
    assert [f.code for f in sheet.findings if f.code == "province-merged-score"] == []
    assert sheet.items["1.1.2"].appraised == Decimal("0.5")
