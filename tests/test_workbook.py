"""The exported workbook: recalculated by LibreOffice it shows the library's numbers exactly;
text never turns into a formula; an existing file is never overwritten without --force."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from parindex.cli.app import app
from parindex.core.output import OutputError
from parindex.evidence.register import register_of
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import Scorecard
from parindex.workbook.explain_sheet import explanation_rows
from parindex.workbook.export import (
    ExportResult,
    WorkbookExistsError,
    expected_value,
    export_workbook,
    write_workbook,
)
from parindex.workbook.layout import (
    EXPLAIN_SHEET,
    MAIN_SHEET,
    REGISTER_SHEET,
    SUMMARY_SHEET,
    Heading,
)
from parindex.workbook.view import EvidenceView, RegisterRow, evidence_view, view_of_documents

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Open ``files`` in LibreOffice headless and save them again: every formula recalculated.

    A private profile sets "recalculate on load: always" for Excel files (OOXMLRecalcMode=0)
    and keeps this run apart from any other LibreOffice instance.
    """
    assert SOFFICE is not None
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_PROFILE, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir),
         *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )
    out = [outdir / f.name for f in files]
    for f in out:
        assert f.is_file(), f"LibreOffice did not write {f}"
    return out


def same(got: Any, expected: Decimal | str | None) -> bool:
    if expected is None:
        return got is None or got == ""
    if isinstance(expected, Decimal):
        if isinstance(got, bool) or not isinstance(got, int | float):
            return False
        return Decimal(repr(round(got, 9))).normalize() == expected.normalize()
    return bool(got == expected)


@pytest.fixture(scope="module")
def example_card() -> Scorecard:
    from .conftest import EXAMPLE

    return load_dossier(EXAMPLE).score()


def _award_max_with_survey(card: Scorecard) -> Scorecard:
    """The example scored under policy ``award-max``, with survey points for every survey
    item (60 % of each maximum, rounded to a quarter point), under an *official* framework:
    the one case where a classification is printed."""
    from parindex.framework.inputs import ItemInput
    from parindex.scoring.scorecard import score

    fw = card.framework.model_copy(update={"not_applicable": "award-max",
                                           "status": "official",
                                           "classification_status": "official"})
    survey = {n.code: ItemInput(points=(n.nominal_max * Decimal("0.6") / Decimal("0.25"))
                                .to_integral_value() * Decimal("0.25"))
              for n in card.leaves() if n.method == "survey"}
    inputs = {n.code: n.input for n in card.leaves() if n.input is not None
              and n.method != "survey"}
    return score(fw, inputs, survey, unit=card.unit)


def _appraise(path: Path, result: ExportResult, card: Scorecard) -> dict[str, Decimal]:
    """Play the reviewer: fill Điểm thẩm định of every self-assessed leaf (one step lower
    where possible, so totals move; the first one as a formula), save in place; returns what
    was typed."""
    wb = openpyxl.load_workbook(path)
    ws = wb[MAIN_SHEET]
    typed: dict[str, Decimal] = {}
    for i, n in enumerate(card.leaves()):
        if n.method == "survey" or n.status == "not-applicable":
            continue
        value = n.score - Decimal("0.25") if (i % 3 == 0 and n.score >= Decimal("0.25")) \
            else n.score
        ws[f"E{result.rows[n.code]}"] = f"={value}+0" if not typed else float(value)
        typed[n.code] = value
    wb.save(path)
    return typed


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: cannot "
                    "recalculate the workbook in a real spreadsheet engine")
def test_libreoffice_recalculation_equals_the_scorecard(
        tmp_path: Path, example_dossier: Path, example_card: Scorecard) -> None:
    """Both copies, as exported, appraised by a reviewer, and under the other policies
    (not-applicable items scored full, survey points known, official bands: graded)."""
    from parindex.workbook.diff import appraisal_diff
    from parindex.workbook.read import read_workbook

    (tmp_path / "in").mkdir()
    runs: list[tuple[Path, dict[str, Decimal], ExportResult, Scorecard]] = []
    other_card = _award_max_with_survey(example_card)
    typed: dict[str, Decimal] = {}
    for working in (False, True):
        name = "lam-viec" if working else "gui-so"
        plain = tmp_path / "in" / f"{name}.xlsx"
        result = export_workbook(example_dossier, plain, working=working)
        appraised = tmp_path / "in" / f"{name}-tham-dinh.xlsx"
        shutil.copy(plain, appraised)
        typed = _appraise(appraised, result, example_card)
        assert typed, "the example must have self-assessed items to appraise"
        other = tmp_path / "in" / f"{name}-award-max.xlsx"
        other_result = write_workbook(other_card, other, Heading("Đơn vị", 2021),
                                      working=working)
        runs += [(plain, {}, result, example_card), (appraised, typed, result, example_card),
                 (other, {}, other_result, other_card)]
        # every formula of the workbook is in the checked list
        wb = openpyxl.load_workbook(plain)
        formulas = {(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows()
                    for c in row if c.data_type == "f"}
        assert formulas == {(c.sheet, c.ref) for c in result.formula_cells}
        fields = {c.field for c in other_result.formula_cells if c.code is None}
        assert {"classification", "appraised_classification"} <= fields  # graded
        assert not {c.field for c in result.formula_cells} & {"classification",
                                                               "appraised_classification"}

    outs = recalculate([r[0] for r in runs], tmp_path / "out", tmp_path / "profile")
    checked = 0
    for out, (_, given, res, card) in zip(outs, runs, strict=True):
        wb = openpyxl.load_workbook(out, data_only=True)
        wrong = []
        for cell in res.formula_cells:
            got = wb[cell.sheet][cell.ref].value
            want = expected_value(cell, card, given)
            if not same(got, want):
                wrong.append(f"{out.name} {cell.sheet}!{cell.ref} {cell.code} {cell.field}: "
                             f"LibreOffice {got!r}, library {want!r}")
            checked += 1
        assert wrong == []
        # what the reviewer typed survives a save by a real spreadsheet program, in both
        back = read_workbook(out)
        assert back.framework.id == card.framework.id
        assert back.appraised() == given
        assert back.register == evidence_view(load_dossier(example_dossier)).rows or \
            card is other_card
        if card is example_card:
            assert back.report.counts == {
                "error": 0, "warning": 0,
                "info": 0 if given else sum(1 for n in card.leaves() if n.method != "survey"
                                             and n.status != "not-applicable")}
            diff = appraisal_diff(back, example_card)
            assert diff.total.difference == sum(
                (v - example_card[c].score for c, v in given.items()), Decimal(0))
            assert diff.report.valid
            assert diff.total.self_index == example_card.total.index
    assert checked == sum(len(r[2].formula_cells) for r in runs)
    assert other_card.total.survey_given and other_card.total.pending == 0
    assert any(n.status == "not-applicable" and n.score == n.max > 0 for n in other_card.nodes)
    # the headline numbers, spelled out: submission, then working copy
    t = example_card.total
    sub = openpyxl.load_workbook(outs[0], data_only=True)[MAIN_SHEET]
    row = runs[0][2].total_row
    assert (sub[f"C{row}"].value, sub[f"D{row}"].value, sub[f"D{row + 1}"].value) == (
        100, 69.33, 90.04)
    assert sub[f"B{row + 2}"].value is None  # no "Xếp loại" row: provisional bands
    work = openpyxl.load_workbook(outs[3], data_only=True)[MAIN_SHEET]
    row = runs[3][2].total_row
    assert (work[f"C{row}"].value, work[f"D{row}"].value, work[f"J{row}"].value,
            work[f"K{row}"].value) == (100, 69.33, 97, 20)
    assert work[f"D{row + 1}"].value == float(t.index or 0) == 90.04
    assert example_card.classification == "Xuất sắc"  # what the bands would say: not printed
    graded = openpyxl.load_workbook(outs[2], data_only=True)[MAIN_SHEET]
    row = runs[2][2].total_row
    assert graded[f"B{row + 2}"].value == "Xếp loại"
    assert graded[f"D{row + 2}"].value == other_card.classification


def test_layout_of_the_working_copy(tmp_path: Path, example_dossier: Path,
                                    example_card: Scorecard) -> None:
    out = tmp_path / "bang-diem.xlsx"
    result = export_workbook(example_dossier, out, working=True)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [MAIN_SHEET, REGISTER_SHEET, EXPLAIN_SHEET, SUMMARY_SHEET]
    ws = wb[MAIN_SHEET]
    assert ws["A1"].value == "UBND TỈNH QUẢNG NGÃI"
    assert ws["A2"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"  # the province is in the line above
    assert ws["A5"].value == ("Bộ tiêu chí: Bộ tiêu chí xác định Chỉ số cải cách hành chính "
                              "cấp sở, tỉnh Quảng Ngãi, năm 2021 (tạm thời) — khung tạm thời, "
                              "chưa phải bảng chính thức")
    assert ws["A4"].value == ("BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM "
                              "2021")
    assert [ws.cell(row=7, column=i).value for i in range(1, 7)] == [
        "STT", "Lĩnh vực / Tiêu chí / Tiêu chí thành phần", "Điểm tối đa",
        "Điểm tự đánh giá", "Điểm thẩm định", "Tài liệu kiểm chứng"]
    assert (ws["G7"].value, ws["G8"].value, ws["H8"].value) == (
        "Giải trình / Ghi chú", "Giải trình", "Ghi chú")
    assert ws.freeze_panes == "C9"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$7:$8"
    # hierarchy: bold areas, indentation and outline levels
    rows = result.rows
    assert ws[f"B{rows['1']}"].font.b is True
    assert ws[f"B{rows['1.1']}"].font.b is False
    assert (ws[f"B{rows['1.1']}"].alignment.indent, ws[f"B{rows['1.1.1']}"].alignment.indent) \
        == (2, 4)
    assert (ws.row_dimensions[rows["1.1"]].outline_level,
            ws.row_dimensions[rows["1.1.1"]].outline_level) == (1, 2)
    # every cell in Times New Roman, numbers with two decimals
    fonts = {c.font.name for s in wb for row in s.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}
    assert ws[f"C{rows['1.1.1']}"].number_format == "0.00"
    assert ws[f"L{rows['1']}"].number_format == "0.00"
    # parents and totals are formulas over their children; leaves hold the library's values
    assert ws[f"D{rows['1.1']}"].value == f"=SUM(D{rows['1.1.1']}:D{rows['1.1.3']})"
    assert ws[f"D{rows['1.1.1']}"].value == 1
    assert ws[f"L{result.total_row}"].value == (
        f'=IF(J{result.total_row}-K{result.total_row}<=0,"",ROUND(D{result.total_row}/'
        f'(J{result.total_row}-K{result.total_row})*100,2))')
    # not applicable: shown, labelled, dropped from the max by formula (policy drop)
    na = rows["2.1.1"]
    assert (ws[f"D{na}"].value, ws[f"I{na}"].value, ws[f"J{na}"].value) == (
        None, "Không áp dụng", f'=IF(I{na}="Không áp dụng",0,C{na})')
    assert ws[f"G{na}"].value.startswith("Năm 2021 Sở không được UBND tỉnh giao")
    # survey rows shown, not self-scored, pending by formula
    sv = rows[example_card.leaves()[-1].code]
    assert (ws[f"D{sv}"].value, ws[f"I{sv}"].value, ws[f"K{sv}"].value) == (
        None, "Chờ điều tra XHH", f"=IF(ISNUMBER(D{sv}),0,C{sv})")
    # reviewer cells: validated 0 … max, one rule per distinct max
    dvs = ws.data_validations.dataValidation
    leaves = [n for n in example_card.leaves() if n.method != "survey"]
    assert sum(len(list(dv.sqref.ranges)) for dv in dvs) == len(leaves)
    by_cell = {str(rng): dv for dv in dvs for rng in dv.sqref.ranges}
    dv = by_cell[f"E{rows['1.1.3']}"]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0",
                                                                "1.5")
    # summary: per area max, score, index and a native bar chart
    sm = wb[SUMMARY_SHEET]
    assert sm["C4"].value == f"='{MAIN_SHEET}'!J{rows['1']}"
    assert len(sm._charts) == 1
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
        assert "<barChart><barDir val=\"bar\"/>" in z.read("xl/charts/chart1.xml").decode()
    # the register: one row per document, items' evidence listed with locators and linked
    from parindex.evidence.check import check

    dossier = load_dossier(example_dossier)
    view = evidence_view(dossier, check(dossier))
    reg = wb[REGISTER_SHEET]
    assert len(view.rows) == len(register_of(dossier).documents) > 0
    assert [reg.cell(row=4 + i, column=2).value for i in range(len(view.rows))] == [
        r.number for r in view.rows]
    assert reg.cell(row=4 + len(view.rows), column=2).value is None
    # several documents: one a line, plain text (a cell hyperlink makes LibreOffice run the
    # lines together: tests/test_workbook_print.py); a single document: linked to its file
    f111 = ws[f"F{rows['1.1.1']}"]
    assert f111.value.split("\n") == ["205/QĐ-SKHCN (Điều 1)", "210/KH-SKHCN"]
    assert f111.hyperlink is None and f111.alignment.wrap_text is True
    assert not f111.font.underline
    f112 = ws[f"F{rows['1.1.2']}"]
    assert f112.value == "210/KH-SKHCN (Mục II, III)"
    assert f112.hyperlink.target.endswith("/documents/kh-cchc-2021.pdf")
    # items without complete evidence are listed for explanation, with the reason
    ex = wb[EXPLAIN_SHEET]
    listed = {ex.cell(row=r, column=2).value: ex.cell(row=r, column=5).value
              for r in range(4, ex.max_row + 1)}
    assert list(listed) == [n.code for n, _ in explanation_rows(example_card, view)]
    # the problems planted in the example, found by the check
    assert listed["6.4"] == ("6.4 (Quản lý, sử dụng tài sản công đúng quy định) tự chấm 1,5 "
                             "điểm nhưng chưa có tài liệu kiểm chứng và chưa có giải trình.")
    assert listed["7.1.1"] == ("Văn bản ngày 12/01/2021, sau thời hạn 31/12/2020 của tiêu chí "
                               "7.1.1, nhưng tự chấm là kịp thời.")
    assert listed["3.5"] == "170/BC-SKHCN: Sổ ghi 170/BC-SKHCN, văn bản ghi 107/BC-SKHCN."
    assert listed["2.1.1"] == "Không áp dụng"
    assert "Chưa có tài liệu kiểm chứng" in listed.values()
    assert "1.1.1" not in listed
    # without a register, every self-assessed item would be listed
    assert len(explanation_rows(example_card, EvidenceView())) == len(leaves)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["parindex.framework"] == "qn-so-2021"
    assert (props["parindex.copy"], props["parindex.framework_status"]) == ("working",
                                                                             "provisional")
    # no grade from a self-score under provisional bands: no "Xếp loại" anywhere
    assert not any(c.value == "Xếp loại" for s in wb for row in s.iter_rows() for c in row)


CHECK_MESSAGES = ("Sổ ghi 170/BC-SKHCN, văn bản ghi 107/BC-SKHCN",
                  "nhưng tự chấm là kịp thời", "(chưa có giải trình)",
                  "chưa có tài liệu kiểm chứng và chưa có giải trình")
"""What the pre-submission check says about the example's planted problems."""
WORKING_HEADERS = ("Tình trạng", "Điểm tối đa tính chỉ số", "Điểm chờ điều tra XHH",
                   "Chỉ số (%)")


def _texts(wb: Any) -> list[str]:
    return [str(c.value) for s in wb for row in s.iter_rows() for c in row
            if c.value is not None]


def test_layout_of_the_submission(tmp_path: Path, example_dossier: Path,
                                  example_card: Scorecard) -> None:
    """The standard form only: eight columns, the report line, the signatures, the register;
    no working column, no check message, no grade."""
    out = tmp_path / "gui-so.xlsx"
    result = export_workbook(example_dossier, out)
    assert result.working is False and result.grade_withheld is not None
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [MAIN_SHEET, REGISTER_SHEET]
    ws = wb[MAIN_SHEET]
    assert ws.max_column == 8
    assert (ws["A1"].value, ws["A2"].value, ws["F1"].value, ws["F2"].value) == (
        "UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert ws["A5"].value == ("(Kèm theo Báo cáo số …/BC-SKHCN ngày …/…/2022 của Sở Khoa học "
                              "và Công nghệ tỉnh Quảng Ngãi)")
    assert [ws.cell(row=7, column=i).value for i in range(1, 10)] == [
        "STT", "Lĩnh vực / Tiêu chí / Tiêu chí thành phần", "Điểm tối đa",
        "Điểm tự đánh giá", "Điểm thẩm định", "Tài liệu kiểm chứng", "Giải trình / Ghi chú",
        None, None]
    assert (ws["G8"].value, ws["H8"].value) == ("Giải trình", "Ghi chú")
    texts = _texts(wb)
    joined = "\n".join(texts)
    for banned in (*CHECK_MESSAGES, *WORKING_HEADERS, "Xếp loại", "Xuất sắc",
                   "khung tạm thời, chưa phải bảng chính thức", "Chờ điều tra XHH"):
        assert banned not in joined, banned
    # an item without evidence shows the department's giải trình, or nothing
    rows = result.rows
    assert ws[f"F{rows['6.4']}"].value is None and ws[f"G{rows['6.4']}"].value is None
    assert ws[f"G{rows['2.1.1']}"].value.startswith("Năm 2021 Sở không được UBND tỉnh giao")
    # evidence: one document per line, plain wrapped text (a link would print one line)
    f121 = ws[f"F{rows['1.2.1']}"]
    assert f121.value.split("\n") == ["38/BC-SKHCN", "95/BC-SKHCN", "160/BC-SKHCN",
                                       "251/BC-SKHCN (Phụ lục 1: danh mục báo cáo đã gửi)"]
    assert f121.hyperlink is None and f121.alignment.wrap_text is True
    assert ws.row_dimensions[rows["1.2.1"]].height >= 5 * 11 * 1.3
    assert not [c.coordinate for row in ws.iter_rows(min_row=9) for c in row if c.hyperlink]
    # totals and index: live formulas; the index leaves out what has no self-score
    t = result.total_row
    assert ws[f"D{t}"].value == "=SUM(" + ",".join(f"D{rows[a.code]}"
                                                  for a in example_card.areas) + ")"
    assert ws[f"D{t + 1}"].value == (
        f'=IF(C{t}-SUMPRODUCT(1-ISNUMBER(D9:D{t - 1}),C9:C{t - 1})<=0,"",'
        f'ROUND(D{t}/(C{t}-SUMPRODUCT(1-ISNUMBER(D9:D{t - 1}),C9:C{t - 1}))*100,2))')
    assert ws[f"B{t + 1}"].value == "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)"
    # signatures, then the provisional status stated once, under them
    labels = {c.value: c.row for row in ws.iter_rows(min_row=t) for c in row if c.value}
    assert labels["NGƯỜI LẬP BIỂU"] == labels["THỦ TRƯỞNG ĐƠN VỊ"]
    assert labels["(Ký, ghi rõ họ tên)"] == labels["(Ký tên, đóng dấu)"] \
        == labels["NGƯỜI LẬP BIỂU"] + 1
    assert labels["Quảng Ngãi, ngày … tháng … năm 2022"] == labels["NGƯỜI LẬP BIỂU"] - 1
    note = [v for v, r in labels.items() if str(v).startswith("Ghi chú: bảng điểm lập theo "
                                                               "bộ tiêu chí tạm thời")]
    assert len(note) == 1 and labels[note[0]] > labels["NGƯỜI LẬP BIỂU"]
    assert ws.print_area == f"'{MAIN_SHEET}'!$A$1:$H${labels[note[0]]}"
    # print: A4 landscape, fitted to the width, header rows repeated, page numbers
    for sheet, titles in ((ws, "$7:$8"), (wb[REGISTER_SHEET], "$3:$3")):
        assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == (
            "landscape", 9)
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == titles
        assert sheet.oddFooter.center.text == "Trang &P/&N"
    fonts = {c.font.name for s in wb for row in s.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}
    assert {ws[f"{col}{rows['1.1.3']}"].number_format for col in "CDE"} == {"0.00"}
    # the framework's status, where it is harmless: the document properties
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert (props["parindex.copy"], props["parindex.framework_status"]) == ("submission",
                                                                             "provisional")
    assert wb.properties.description == (
        "Lập theo Bộ tiêu chí xác định Chỉ số cải cách hành chính cấp sở, tỉnh Quảng Ngãi, "
        "năm 2021 (tạm thời) (bộ tiêu chí tạm thời, chưa phải bảng chính thức).")
    # the register: every document, boxed and wrapped
    reg = wb[REGISTER_SHEET]
    numbers = [r.number for r in evidence_view(load_dossier(example_dossier)).rows]
    assert [reg.cell(row=4 + i, column=2).value for i in range(len(numbers))] == numbers
    assert all(reg.cell(row=4 + i, column=c).alignment.wrap_text
               and reg.cell(row=4 + i, column=c).border.left.style == "thin"
               for i in range(len(numbers)) for c in range(1, 8))


def test_heading_name_does_not_repeat_the_province() -> None:
    from parindex.scoring.dossier import heading_name

    assert heading_name("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "UBND TỈNH QUẢNG NGÃI",
                        "Quảng Ngãi") == "Sở Khoa học và Công nghệ"
    assert heading_name("Sở Nội vụ thành phố Đà Nẵng", "UBND THÀNH PHỐ ĐÀ NẴNG",
                        "Đà Nẵng") == "Sở Nội vụ"
    # not named by the body above, or no body above: kept whole
    assert heading_name("Sở Tư pháp tỉnh Quảng Ngãi", "BỘ TƯ PHÁP", "Quảng Ngãi") == \
        "Sở Tư pháp tỉnh Quảng Ngãi"
    assert heading_name("Sở Tư pháp tỉnh Quảng Ngãi", None, "Quảng Ngãi") == \
        "Sở Tư pháp tỉnh Quảng Ngãi"


def test_report_line_and_signers_from_the_dossier(tmp_path: Path, example_dossier: Path) -> None:
    dossier = tmp_path / "d"
    shutil.copytree(example_dossier, dossier)
    manifest = dossier / "dossier.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + (
        "submission:\n  report_number: 12/BC-SKHCN\n  report_date: 2022-01-10\n"
        "  prepared_by: Nguyễn Văn A\n  head: Trần Thị B\n"
        "  head_title: \"KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\"\n"), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    export_workbook(dossier, out, check=False)
    ws = openpyxl.load_workbook(out)[MAIN_SHEET]
    assert ws["A5"].value == ("(Kèm theo Báo cáo số 12/BC-SKHCN ngày 10/01/2022 của Sở Khoa "
                              "học và Công nghệ tỉnh Quảng Ngãi)")
    values = {c.value: (c.row, c.column) for row in ws.iter_rows() for c in row if c.value}
    title_row, title_col = values["KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"]
    assert values["NGƯỜI LẬP BIỂU"] == (title_row, 1) and title_col == 6
    assert values["Nguyễn Văn A"] == (title_row + 6, 1)
    assert values["Trần Thị B"] == (title_row + 6, 6)


@pytest.mark.parametrize("path", [
    "/etc/passwd", "//host/share/x.pdf", "\\\\host\\share\\x.pdf", "C:/Windows/x.pdf",
    "c:x.pdf", "file:///etc/passwd", "http://example.com/x.pdf", "../../etc/passwd",
    "documents/../../x.pdf", "",
])
def test_links_never_leave_the_dossier(tmp_path: Path, example_card: Scorecard,
                                       path: str) -> None:
    """A path the check flags as outside the dossier is shown as text, never linked (the
    register's Tệp column, the working copy's evidence cell)."""
    from parindex.workbook.cells import _file_link

    base = tmp_path / "dossier"
    base.mkdir()
    assert _file_link(path, base, tmp_path) is None
    assert _file_link(path, None, tmp_path) is None
    view = EvidenceView(rows=(RegisterRow("15/KH-SKHCN", "Kế hoạch", None, None, ("1.1.2",),
                                          path or None),))
    for working in (False, True):
        out = tmp_path / f"x-{working}.xlsx"
        result = write_workbook(example_card, out, Heading("Đơn vị", 2021), view,
                                link_base=base, working=working)
        wb = openpyxl.load_workbook(out)
        reg = wb[REGISTER_SHEET]
        assert (reg["G4"].value, reg["G4"].data_type, reg["G4"].hyperlink) == (
            path or None, "s" if path else "n", None)
        assert [c for c in result.formula_cells if c.field == "link"] == []
        link = wb[MAIN_SHEET][f"F{result.rows['1.1.2']}"].hyperlink
        # at most a link to the document's row of the register, inside the workbook
        assert link is None if not working else (link.target, link.location) == (
            None, f"'{REGISTER_SHEET}'!B4")
        with zipfile.ZipFile(out) as z:
            rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
        assert 'TargetMode="External"' not in rels


def test_links_through_a_symlink_out_of_the_dossier_are_not_written(
        tmp_path: Path, example_card: Scorecard) -> None:
    base = tmp_path / "dossier"
    (base / "documents").mkdir(parents=True)
    (base / "documents" / "kh.pdf").write_bytes(b"%PDF-1.4")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "x.pdf").write_bytes(b"%PDF-1.4")
    (base / "documents" / "out").symlink_to(secret, target_is_directory=True)
    (base / "documents" / "link.pdf").symlink_to(secret / "x.pdf")
    from parindex.workbook.cells import _file_link

    assert _file_link("documents/kh.pdf", base, tmp_path) == "dossier/documents/kh.pdf"
    assert _file_link("documents/kh.pdf", base, base) == "documents/kh.pdf"
    assert _file_link("documents/out/x.pdf", base, tmp_path) is None
    assert _file_link("documents/link.pdf", base, tmp_path) is None


FORMULA_LIKE = '=HYPERLINK("http://example.com/x","bấm vào đây")'


def _tiny_register() -> EvidenceView:
    return EvidenceView(rows=(
        RegisterRow("15/KH-SKHCN", FORMULA_LIKE, dt.date(2021, 1, 15), "Sở KH&CN",
                    ("1.1.1", "1.1.2"), "documents/15-KH-SKHCN.pdf"),
        RegisterRow("=1+1", "+Kế hoạch tuyên truyền", None, "@issuer", ("1.1.1",),
                    "-documents/a.pdf"),
    ), incomplete={"1.1.2": "Thiếu trang ký ban hành"})


def test_formula_like_text_stays_text(tmp_path: Path, example_card: Scorecard) -> None:
    out = tmp_path / "x.xlsx"
    write_workbook(example_card, out, Heading("=Đơn vị", 2021, "-Cấp trên"), _tiny_register())
    wb = openpyxl.load_workbook(out)
    reg = wb[REGISTER_SHEET]
    assert (reg["D4"].value, reg["D4"].data_type) == (FORMULA_LIKE, "s")
    assert (reg["B5"].value, reg["B5"].data_type) == ("=1+1", "s")
    assert reg["D4"].quotePrefix and reg["B5"].quotePrefix and reg["E5"].quotePrefix
    assert reg["G4"].value == ('=HYPERLINK("documents/15-KH-SKHCN.pdf",'
                               '"documents/15-KH-SKHCN.pdf")')  # our formula, our link
    main = wb[MAIN_SHEET]
    assert (main["A2"].value, main["A2"].data_type) == ("=ĐƠN VỊ", "s")
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "<f>HYPERLINK(&quot;http" not in xml and "<f>1+1" not in xml
    assert 'HYPERLINK("http://example.com/x"' in xml  # present, as text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_formula_like_text_stays_text_in_libreoffice(tmp_path: Path,
                                                     example_card: Scorecard) -> None:
    out = tmp_path / "in" / "x.xlsx"
    out.parent.mkdir()
    result = write_workbook(example_card, out, Heading("Đơn vị", 2021), _tiny_register())
    (again,) = recalculate([out], tmp_path / "out", tmp_path / "profile")
    reg = openpyxl.load_workbook(again)[REGISTER_SHEET]
    assert (reg["D4"].value, reg["B5"].value, reg["E5"].value) == (FORMULA_LIKE, "=1+1",
                                                                   "@issuer")
    assert reg["D4"].data_type == "s"
    values = openpyxl.load_workbook(again, data_only=True)
    links = [c for c in result.formula_cells if c.field == "link"]
    assert [(c.ref, values[c.sheet][c.ref].value) for c in links] == [
        ("G4", "documents/15-KH-SKHCN.pdf"), ("G5", "-documents/a.pdf")]


def test_register_links_evidence_and_explanations(tmp_path: Path,
                                                  example_card: Scorecard) -> None:
    out = tmp_path / "sub" / "x.xlsx"
    out.parent.mkdir()
    base = tmp_path / "dossier"
    result = write_workbook(example_card, out, Heading("Đơn vị", 2021), _tiny_register(),
                            link_base=base, working=True)
    wb = openpyxl.load_workbook(out)
    ws = wb[MAIN_SHEET]
    r1, r2 = result.rows["1.1.1"], result.rows["1.1.2"]
    assert ws[f"F{r1}"].value == "15/KH-SKHCN\n=1+1"
    assert ws[f"F{r1}"].hyperlink is None  # two documents: one a line, the register links them
    assert ws[f"F{r2}"].value == "15/KH-SKHCN"
    assert ws[f"F{r2}"].hyperlink.target == "../dossier/documents/15-KH-SKHCN.pdf"
    ex = wb[EXPLAIN_SHEET]
    reasons = {ex.cell(row=r, column=2).value: ex.cell(row=r, column=5).value
               for r in range(4, ex.max_row + 1)}
    assert "1.1.1" not in reasons
    assert reasons["1.1.2"] == "Thiếu trang ký ban hành"
    assert reasons["2.1.1"] == "Không áp dụng"
    assert reasons["1.2.2"] == "Chưa có tài liệu kiểm chứng"


def test_existing_file_is_left_untouched_without_force(tmp_path: Path,
                                                       example_dossier: Path) -> None:
    out = tmp_path / "bang-diem.xlsx"
    out.write_bytes(b"do not overwrite")
    with pytest.raises(WorkbookExistsError, match="đã tồn tại"):
        export_workbook(example_dossier, out)
    assert out.read_bytes() == b"do not overwrite"
    runner = CliRunner()
    res = runner.invoke(app, ["export", str(example_dossier), "-o", str(out)])
    assert res.exit_code == 2
    message = " ".join(res.output.split())
    assert "đã tồn tại; không ghi đè. Dùng --force để ghi đè" in message
    assert out.read_bytes() == b"do not overwrite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang-diem.xlsx"]  # no temp left
    res = runner.invoke(app, ["export", str(example_dossier), "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert "Lưu ý: hồ sơ còn 3 lỗi, 2 cảnh báo (xem parindex check)" in " ".join(
        res.output.split())  # the example's planted problems
    assert openpyxl.load_workbook(out).sheetnames[0] == MAIN_SHEET
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang-diem.xlsx"]


def test_failed_write_leaves_nothing(tmp_path: Path, example_card: Scorecard,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl.workbook.workbook as wbmod

    def boom(self: Any, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(wbmod.Workbook, "save", boom)
    out = tmp_path / "x.xlsx"
    with pytest.raises(OutputError, match="disk full"):  # a typed error naming the file
        write_workbook(example_card, out, Heading("Đơn vị", 2021))
    assert list(tmp_path.iterdir()) == []


def test_cli_export_writes_the_submission_and_with_working_the_working_copy(
        tmp_path: Path, example_dossier: Path) -> None:
    runner = CliRunner()
    sub, work = tmp_path / "gui-so.xlsx", tmp_path / "lam-viec.xlsx"
    res = runner.invoke(app, ["export", str(example_dossier), "-o", str(sub)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert f"Đã ghi {sub} (bản gửi Sở Nội vụ; 96 dòng tiêu chí" in text
    assert ("CHÚ Ý: bộ tiêu chí qn-so-2021 là KHUNG TẠM THỜI, chưa phải bảng chính thức"
            in text)
    assert ("Không ghi xếp loại: Thang xếp loại của bộ tiêu chí là tạm thời, chưa phải thang "
            "chính thức.") in text
    assert "bản làm việc (--working) ghi các tiêu chí liên quan" in text
    res = runner.invoke(app, ["export", str(example_dossier), "-o", str(work), "--working"])
    assert res.exit_code == 0, res.output
    assert f"Đã ghi {work} (bản làm việc; 96 dòng tiêu chí" in " ".join(res.output.split())
    assert openpyxl.load_workbook(sub).sheetnames == [MAIN_SHEET, REGISTER_SHEET]
    assert openpyxl.load_workbook(work).sheetnames == [MAIN_SHEET, REGISTER_SHEET,
                                                       EXPLAIN_SHEET, SUMMARY_SHEET]
    # import-workbook and diff read both
    for path in (sub, work):
        res = runner.invoke(app, ["import-workbook", str(path), "--json"])
        assert res.exit_code == 0, res.output
        res = runner.invoke(app, ["diff", str(example_dossier), str(path), "--json"])
        assert res.exit_code == 0, res.output


def test_cli_export_refuses_other_suffix(tmp_path: Path, example_dossier: Path) -> None:
    res = CliRunner().invoke(app, ["export", str(example_dossier), "-o",
                                   str(tmp_path / "x.csv")])
    assert res.exit_code == 2
    assert ".xlsx" in res.output


def test_view_of_register_documents(tmp_path: Path) -> None:
    from types import SimpleNamespace as NS

    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "kh.pdf").write_bytes(b"%PDF-1.4")
    docs = [
        NS(id="kh-15", number="15/KH-SKHCN", subject="Kế hoạch CCHC năm 2021",
           date=dt.date(2021, 1, 15), issuer="Sở KH&CN",
           files=[NS(path="documents/kh.pdf"), NS(path="documents/kh-phu-luc.pdf")],
           proves=[NS(item="1.1.1", locator="Điều 1"), NS(item="1.1.2", locator=None),
                   NS(item="1.1.1", locator="Mục II")]),
        NS(id="bc-quy-1", number=None, subject=None, date=None, issuer=None, files=[],
           proves=[NS(item="1.2.1", locator=None)]),
        NS(id="tb-3", number="3/TB-SKHCN", subject="Thông báo", date=None, issuer=None,
           files=[NS(path="documents/mat.pdf")], proves=[NS(item="1.1.2", locator="trang 2")]),
    ]
    view = view_of_documents(docs, tmp_path)
    assert view.rows == (
        RegisterRow("15/KH-SKHCN", "Kế hoạch CCHC năm 2021", dt.date(2021, 1, 15), "Sở KH&CN",
                    ("1.1.1", "1.1.2"), "documents/kh.pdf"),
        RegisterRow("bc-quy-1", "", None, None, ("1.2.1",), None),
        RegisterRow("3/TB-SKHCN", "Thông báo", None, None, ("1.1.2",), "documents/mat.pdf"),
    )
    assert [r.label for r in view.refs("1.1.2")] == ["15/KH-SKHCN", "3/TB-SKHCN (trang 2)"]
    assert [r.label for r in view.refs("1.1.1")] == ["15/KH-SKHCN (Điều 1)"]
    assert dict(view.incomplete) == {"1.2.1": "Tài liệu kiểm chứng chưa có tệp trong hồ sơ"}


def test_control_characters_do_not_corrupt_the_file(tmp_path: Path,
                                                    example_card: Scorecard) -> None:
    from dataclasses import replace

    from parindex.framework.inputs import ItemInput

    n = example_card["1.1.1"]
    pasted = replace(n, input=ItemInput(option="kip-thoi", explanation="Dán từ Word\x0b\x00 xong",
                                        note="x" * 40000))
    card = replace(example_card, nodes=tuple(pasted if m.code == "1.1.1" else m
                                             for m in example_card.nodes))
    out = tmp_path / "x.xlsx"
    result = write_workbook(card, out, Heading("Đơn vị", 2021))
    ws = openpyxl.load_workbook(out)[MAIN_SHEET]
    row = result.rows["1.1.1"]
    assert ws[f"G{row}"].value == "Dán từ Word xong"
    assert len(ws[f"H{row}"].value) == 32767 and ws[f"H{row}"].value.endswith("…")


def test_a_file_outside_the_dossier_is_not_evidence_in_the_view(tmp_path: Path) -> None:
    # /etc/passwd and ../ outside the dossier "existed" for the workbook's view: a dossier
    # could make the officer's workbook vouch for files of the machine
    from types import SimpleNamespace as NS

    dossier = tmp_path / "hs"
    (dossier / "documents").mkdir(parents=True)
    (tmp_path / "ngoai.pdf").write_bytes(b"%PDF-1.4")
    docs = [NS(id=f"d{i}", number=None, subject=None, date=None, issuer=None,
               files=[NS(path=path)], proves=[NS(item=item, locator=None)])
            for i, (path, item) in enumerate([("/etc/passwd", "1.1.1"), ("../ngoai.pdf", "1.1.2"),
                                              ("documents/../../ngoai.pdf", "1.1.3")])]
    assert Path("/etc/passwd").is_file()
    view = view_of_documents(docs, dossier)
    assert dict(view.incomplete) == {
        code: "Tài liệu kiểm chứng chưa có tệp trong hồ sơ" for code in ("1.1.1", "1.1.2",
                                                                          "1.1.3")}


def test_reasons_of_several_documents_one_a_line(example_dossier: Path) -> None:
    """Giải trình: an item whose two documents both have a problem gives each document's
    reason on a line of its own (they were run together with "; ")."""
    from parindex.core.findings import Report
    from parindex.evidence.check import DATE_MISMATCH, NUMBER_MISMATCH

    report = Report.of("x", [
        NUMBER_MISMATCH("Sổ ghi 38/BC-SKHCN, văn bản ghi 83/BC-SKHCN.",
                        document="bc-cchc-quy-1-2021"),
        DATE_MISMATCH("Sổ ghi ngày 02/06/2021, văn bản ghi ngày 20/06/2021.",
                      document="bc-cchc-6-thang-2021"),
    ])
    view = evidence_view(load_dossier(example_dossier), report)
    assert view.incomplete["1.2.1"].split("\n") == [  # in the report's order
        "95/BC-SKHCN: Sổ ghi ngày 02/06/2021, văn bản ghi ngày 20/06/2021.",
        "38/BC-SKHCN: Sổ ghi 38/BC-SKHCN, văn bản ghi 83/BC-SKHCN."]
