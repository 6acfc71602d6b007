"""The input forms: export, fill, import back; round trips, units' forms, every defect."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex.entry.fields import carried, needs_of
from parindex.entry.form_export import assign_units, export_forms
from parindex.entry.form_import import import_forms
from parindex.entry.form_layout import (
    INPUT_SHEET,
    META_SHEET,
    column_index,
    column_letter,
)
from parindex.entry.skeleton import new_dossier, skeleton_text
from parindex.framework.catalog import load_framework, shipped_frameworks
from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

from .conftest import EXAMPLE
from .conftest import run_cli as run
from .formtools import fill, rows_by_key

UNIT_STP = "Sở Tư pháp tỉnh Quảng Ngãi"


def _copy(tmp: Path, name: str = "copy") -> Path:
    target = tmp / name
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("documents"))
    (target / "documents").mkdir()
    return target


def _blank(dossier: Path) -> None:
    d = load_dossier(dossier)
    (dossier / "self-assessment.yaml").write_text(
        skeleton_text(d.framework, d.manifest.unit), encoding="utf-8")


def _scores(dossier: Path) -> tuple[Any, ...]:
    card = load_dossier(dossier).score().to_dict()
    return card["total"], [(n["code"], n["score"], n["status"]) for n in card["nodes"]]


def test_round_trip_of_the_example_changes_nothing(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    before = (copy / "self-assessment.yaml").read_bytes()
    export_forms(load_dossier(EXAMPLE), tmp_path / "phieu.xlsx")
    result = import_forms(copy, [tmp_path / "phieu.xlsx"])
    assert result.report.valid and result.changes == () and not result.written
    assert result.report.stats["rows"] == 66
    assert (copy / "self-assessment.yaml").read_bytes() == before


def test_round_trip_into_a_blank_copy_scores_exactly_the_same(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _blank(copy)
    export_forms(load_dossier(EXAMPLE), tmp_path / "phieu.xlsx")
    result = import_forms(copy, [tmp_path / "phieu.xlsx"])
    assert result.report.valid and len(result.changes) == 66 and result.written
    assert _scores(copy) == _scores(EXAMPLE)
    assert repr(result) == ("<FormImport self-assessment.yaml: 66 change(s), written, "
                            f"{len(result.report.findings)} finding(s), 0 error(s)>")
    html = result._repr_html_()
    assert html.count("<tr>") == 1 + 60 + 1  # heading, 60 changes, "… và 6 dòng nữa"
    assert "… và 6 dòng nữa" in html and "Nhập phiếu số liệu" in html
    original = load_dossier(EXAMPLE).self_assessment.items
    back = load_dossier(copy).self_assessment.items
    assert {c: carried(i) for c, i in back.items()} == {c: carried(i) for c, i in
                                                         original.items()}


def test_import_keeps_every_comment_and_fields_the_form_does_not_carry(tmp_path: Path) -> None:
    d = new_dossier(tmp_path / "stp", "Sở Tư pháp tỉnh Quảng Ngãi", 2021).root
    sa = d / "self-assessment.yaml"
    text = sa.read_text(encoding="utf-8").replace(
        '  "1.1.2":\n', '  "1.1.2": {option: dat, self_score: 0.5}  # đã họp thống nhất\n')
    sa.write_text(text, encoding="utf-8")
    export_forms(load_dossier(d), tmp_path / "p.xlsx")
    fw = load_dossier(d).framework
    fill(tmp_path / "p.xlsx", fw, {"1.1.1": ItemInput(option="kip-thoi"),
                                   "1.1.2": ItemInput(option="khong-dat"),
                                   "1.3.2": ItemInput(done=D(3), total=D(8), note="Ghi chú")})
    result = import_forms(d, [tmp_path / "p.xlsx"])
    assert [c.item for c in result.changes] == ["1.1.1", "1.1.2", "1.3.2"]
    new = sa.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == comments
    assert '  "1.1.2": {option: khong-dat, self_score: 0.5} # đã họp thống nhất\n' in new
    assert '  "1.1.1": {option: kip-thoi}\n' in new
    items = load_dossier(d).self_assessment.items
    assert items["1.1.2"].self_score == D("0.5")
    assert items["1.3.2"] == ItemInput(done=D(3), total=D(8), note="Ghi chú")


def test_dry_run_shows_old_and_new_and_writes_nothing(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy(tmp_path)
    export_forms(load_dossier(copy), tmp_path / "p.xlsx")
    fw = load_dossier(copy).framework
    fill(tmp_path / "p.xlsx", fw, {"1.3.2": ItemInput(done=D(5), total=D(8))})
    before = (copy / "self-assessment.yaml").read_bytes()
    code, out, _ = run(capsys, "form", "import", str(copy), str(tmp_path / "p.xlsx"),
                       "--dry-run")
    assert code == 0
    assert "1.3.2: done=3, note=Kiểm tra 03/08 phòng, đơn vị thuộc Sở (…, total=8 → done=5, " \
           "total=8  (p.xlsx, dòng 14)" in out
    assert "Xem trước: 1 tiêu chí sẽ thay đổi" in out
    assert (copy / "self-assessment.yaml").read_bytes() == before
    code, out, _ = run(capsys, "form", "import", str(copy), str(tmp_path / "p.xlsx"), "--json")
    data = json.loads(out)
    assert code == 0 and data["written"] is True and data["dry_run"] is False
    assert data["changes"] == [{"item": "1.3.2", "old": {
        "done": "3", "note": "Kiểm tra 03/08 phòng, đơn vị thuộc Sở (37,5%).", "total": "8"},
        "new": {"done": "5", "total": "8"}, "source": "p.xlsx, dòng 14"}]
    assert load_dossier(copy).self_assessment.items["1.3.2"].done == 5


def test_units_forms_hold_the_items_their_tasks_serve(tmp_path: Path) -> None:
    d = load_dossier(EXAMPLE)
    assigned = assign_units(d)
    assert assigned["2.3.1"] == ("thanh-tra-so",)
    assert assigned["6.1.1"] == ("phong-ke-hoach-tai-chinh", "chi-cuc-tdc")
    assert assigned["1.1.1"] == ("van-phong-so",)
    forms = export_forms(d, tmp_path / "phieu.xlsx", ["Thanh tra Sở", "van-phong-so"])
    assert (forms[0].path.name, forms[0].unit, forms[0].items) == (
        "phieu-thanh-tra-so.xlsx", "thanh-tra-so", ("2.3.1", "2.3.2", "2.3.3"))
    assert forms[1].path.name == "phieu-van-phong-so.xlsx" and len(forms[1].items) == 51


def test_new_then_units_forms_filled_then_import_scores_as_entered(tmp_path: Path) -> None:
    root = new_dossier(tmp_path / "so", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", 2021).root
    shutil.copy(EXAMPLE / "plan.yaml", root / "plan.yaml")  # the plan, curated (serves)
    forms = export_forms(load_dossier(root), tmp_path / "phieu.xlsx", all_units=True)
    assert len(forms) == 6
    fw = load_dossier(root).framework
    figures = load_dossier(EXAMPLE).self_assessment.items
    for form in forms:
        fill(form.path, fw, {c: figures[c] for c in form.items})
    result = import_forms(root, [f.path for f in forms])
    assert result.report.valid, result.report.summary()
    assert len(result.changes) == 66
    assert _scores(root) == _scores(EXAMPLE)


def _form_of_example(tmp_path: Path) -> tuple[Path, Path]:
    copy = _copy(tmp_path)
    export_forms(load_dossier(copy), tmp_path / "p.xlsx")
    return copy, tmp_path / "p.xlsx"


def _edit(path: Path, edits: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[INPUT_SHEET]
    for ref, value in edits.items():
        ws[ref].value = value
    wb.save(path)


def _row(path: Path, key: str) -> int:
    from openpyxl import load_workbook

    return rows_by_key(load_workbook(path)[INPUT_SHEET])[key]


def test_text_in_a_number_cell_is_a_finding_with_its_cell(tmp_path: Path) -> None:
    copy, form = _form_of_example(tmp_path)
    r = _row(form, "1.3.2")
    _edit(form, {f"F{r}": "ba", f"G{r}": "8,0"})
    result = import_forms(copy, [form])
    assert [(f.code, f.document, f.item) for f in result.report.findings] == [
        ("form-text-in-number", f"F{r}", "1.3.2")]
    assert result.report.findings[0].message == f"p.xlsx ô F{r} (tiêu chí 1.3.2): “ba” không " \
                                                "phải là số"
    assert result.changes == ()


def test_an_option_not_in_the_list_is_a_finding(tmp_path: Path) -> None:
    copy, form = _form_of_example(tmp_path)
    r = _row(form, "1.1.1")
    _edit(form, {f"{column_letter('option')}{r}": "Ban hành rất sớm"})
    result = import_forms(copy, [form])
    (finding,) = result.report.findings
    assert (finding.code, finding.document) == ("form-unknown-option", f"E{r}")
    assert "“Ban hành rất sớm” không có trong danh sách" in finding.message
    assert result.changes == ()


def test_numbers_out_of_range_are_findings(tmp_path: Path) -> None:
    copy, form = _form_of_example(tmp_path)
    r, p = _row(form, "1.3.2"), _row(form, "7.1.3")
    _edit(form, {f"F{r}": 9, f"G{r}": 8, f"H{p}": 120})
    result = import_forms(copy, [form])
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-value-out-of-range", f"F{r}"), ("form-value-out-of-range", f"H{p}")]
    assert result.changes == ()


def test_a_deleted_row_is_a_finding_and_the_rest_is_read(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    copy, form = _form_of_example(tmp_path)
    _blank(copy)
    wb = load_workbook(form)
    ws = wb[INPUT_SHEET]
    r = rows_by_key(ws)["1.1.2"]
    ws.delete_rows(r)
    wb.save(form)
    result = import_forms(copy, [form])
    assert [(f.code, f.item, f.document) for f in result.report.findings] == [
        ("form-row-missing", "1.1.2", f"A{r}")]
    assert len(result.changes) == 65
    assert "1.1.2" not in load_dossier(copy).self_assessment.items


def test_a_moved_row_is_a_finding_instead_of_a_wrong_value(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    copy, form = _form_of_example(tmp_path)
    wb = load_workbook(form)
    ws = wb[INPUT_SHEET]
    rows = rows_by_key(ws)
    a, b = rows["1.3.1"], rows["1.3.2"]
    for col in range(1, column_index("evidence") + 1):  # cut and paste of the visible cells
        ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, \
            ws.cell(a, col).value
    wb.save(form)
    result = import_forms(copy, [form])
    assert sorted((f.code, f.document) for f in result.report.findings) == [
        ("form-row-moved", f"A{a}"), ("form-row-moved", f"A{b}")]
    assert result.changes == ()


def test_a_form_of_another_dossier_year_or_framework_is_refused(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _, form = _form_of_example(tmp_path)
    other = new_dossier(tmp_path / "stp", "Sở Tư pháp tỉnh Quảng Ngãi", 2021).root
    result = import_forms(other, [form])
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-other-dossier", f"'{META_SHEET}'!B3")]
    assert "phiếu của “Sở Khoa học và Công nghệ tỉnh Quảng Ngãi”, hồ sơ của “Sở Tư pháp tỉnh " \
           "Quảng Ngãi”" in result.report.findings[0].message
    later = new_dossier(tmp_path / "skhcn22", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", 2022)
    result = import_forms(later.root, [form])
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-other-dossier", f"'{META_SHEET}'!B4")]
    wb = load_workbook(form)
    wb[META_SHEET]["B6"].value = "0000000000000000"
    wb.save(form)
    result = import_forms(_copy(tmp_path, "c2"), [form])
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-other-dossier", f"'{META_SHEET}'!B6")]
    assert result.changes == ()


def test_a_workbook_that_is_not_a_form_is_a_finding(tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "x.xlsx")
    result = import_forms(EXAMPLE, [tmp_path / "x.xlsx"], dry_run=True)
    assert [f.code for f in result.report.findings] == ["form-not-a-form"]


def test_two_units_contradicting_each_other_are_refused_with_both_values(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy(tmp_path)
    forms = export_forms(load_dossier(copy), tmp_path / "p.xlsx",
                         ["chi-cuc-tdc", "trung-tam-ung-dung"])
    fw = load_dossier(copy).framework
    fill(forms[0].path, fw, {"3.2.4": ItemInput(option="khong-day-du"),
                             "1.6": ItemInput(done=D(19), total=D(19))})
    fill(forms[1].path, fw, {"3.2.4": ItemInput(option="day-du", note="Đủ 9/9 TTHC")})
    before = load_dossier(copy).self_assessment.items["3.2.4"]
    code, out, _ = run(capsys, "form", "import", str(copy), *(str(f.path) for f in forms))
    assert code == 1
    result = import_forms(copy, [f.path for f in forms], dry_run=True)
    (finding,) = result.report.findings
    assert finding.code == "form-contradiction" and finding.item == "3.2.4"
    assert "p-chi-cuc-tdc.xlsx" in finding.message and "option=khong-day-du" in finding.message
    assert "p-trung-tam-ung-dung.xlsx" in finding.message
    assert "note=Đủ 9/9 TTHC, option=day-du" in finding.message
    assert "form-contradiction" in out
    after = load_dossier(copy).self_assessment.items
    assert after["3.2.4"] == before and after["1.6"].done == 19


def test_a_form_left_as_exported_never_undoes_another_units_answer(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    forms = export_forms(load_dossier(copy), tmp_path / "p.xlsx",
                         ["chi-cuc-tdc", "trung-tam-ung-dung"])
    fill(forms[0].path, load_dossier(copy).framework,
         {"3.2.4": ItemInput(option="khong-day-du", explanation="Thiếu 01 TTHC")})
    result = import_forms(copy, [f.path for f in forms])
    assert result.report.valid
    assert [(c.item, c.new) for c in result.changes] == [
        ("3.2.4", {"option": "khong-day-du", "explanation": "Thiếu 01 TTHC"})]


def test_the_form_is_locked_validated_and_printable(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    export_forms(load_dossier(EXAMPLE), tmp_path / "p.xlsx")
    wb = load_workbook(tmp_path / "p.xlsx")
    ws = wb[INPUT_SHEET]
    assert wb.sheetnames == [INPUT_SHEET, "Hướng dẫn", META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    assert ws.protection.sheet is True
    rows = rows_by_key(ws)
    r = rows["1.1.1"]
    assert ws.cell(r, column_index("option")).protection.locked is False
    assert ws.cell(r, column_index("explanation")).protection.locked is False
    assert ws.cell(r, column_index("name")).protection.locked is True
    assert ws.cell(r, column_index("done")).protection.locked is True  # not asked by a choice
    assert ws.cell(r, column_index("option")).value == "Ban hành kịp thời (1 điểm)"
    by_cell = {str(ref): dv for dv in ws.data_validations.dataValidation
               for ref in dv.sqref.ranges}
    opt = by_cell[f"E{r}"]
    assert opt.type == "list" and opt.formula1.startswith(f"'{META_SHEET}'!$B$")
    r2 = rows["1.3.2"]
    done = next(dv for dv in ws.data_validations.dataValidation
                if any(f"F{r2}" in rng for rng in dv.sqref.ranges))
    first = min(rng.min_row for rng in done.sqref.ranges)  # relative to the range's first cell
    assert done.type == "custom" and done.formula1 == (
        f"AND(ISNUMBER(F{first}),F{first}>=0,OR(ISBLANK(F{first}),ISBLANK(G{first}),"
        f"F{first}<=G{first}))")
    assert next(dv for dv in ws.data_validations.dataValidation
                if any(f"H{rows['7.1.3']}" in rng for rng in dv.sqref.ranges)).formula2 == "100"
    na = next(dv for dv in ws.data_validations.dataValidation
              if any(f"K{rows['2.1.1']}" in rng for rng in dv.sqref.ranges))
    assert na.formula1 == '"Không áp dụng"'
    assert not any(f"K{r}" in rng for rng in na.sqref.ranges)  # 1.1.1 has no N/A
    assert ws.cell(r, column_index("not_applicable")).protection.locked is True
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4) and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["O"].hidden is True


def test_no_formula_from_dossier_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    copy = _copy(tmp_path)
    sa = copy / "self-assessment.yaml"
    sa.write_text(sa.read_text(encoding="utf-8").replace(
        '"1.7": {option: dung-han-du}', '"1.7": {option: dung-han-du, note: "=HYPERLINK(1)"}'),
        encoding="utf-8")
    export_forms(load_dossier(copy), tmp_path / "p.xlsx")
    ws = load_workbook(tmp_path / "p.xlsx")[INPUT_SHEET]
    cell = ws.cell(rows_by_key(ws)["1.7"], column_index("note"))
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1)" and cell.quotePrefix
    assert import_forms(copy, [tmp_path / "p.xlsx"]).changes == ()


def test_export_keeps_an_existing_file_unless_forced(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.xlsx").write_bytes(b"old")
    code, _, err = run(capsys, "form", "export", str(EXAMPLE), "-o", str(tmp_path / "p.xlsx"))
    assert code == 2 and "đã tồn tại" in err and (tmp_path / "p.xlsx").read_bytes() == b"old"
    code, out, _ = run(capsys, "form", "export", str(EXAMPLE), "-o", str(tmp_path / "p.xlsx"),
                       "--force", "--json")
    assert code == 0 and len(json.loads(out)["forms"][0]["items"]) == 66


def test_a_form_saved_by_libreoffice_reads_back_the_same(tmp_path: Path) -> None:
    from .libreoffice import resave_with_libreoffice

    root = new_dossier(tmp_path / "so", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", 2021).root
    shutil.copy(EXAMPLE / "plan.yaml", root / "plan.yaml")
    (form,) = export_forms(load_dossier(root), tmp_path / "phieu.xlsx", ["chi-cuc-tdc"])
    fw = load_dossier(root).framework
    figures = load_dossier(EXAMPLE).self_assessment.items
    fill(form.path, fw, {c: figures[c] for c in form.items})
    resaved = resave_with_libreoffice(form.path, tmp_path)
    direct = import_forms(root, [form.path], dry_run=True)
    via_lo = import_forms(root, [resaved], dry_run=True)
    assert via_lo.report.valid, via_lo.report.summary()
    assert [(c.item, c.new) for c in via_lo.changes] == [(c.item, c.new) for c in direct.changes]
    assert len(via_lo.changes) == 16
    import_forms(root, [resaved])
    items = load_dossier(root).self_assessment.items
    assert {c: carried(items[c]) for c in form.items} == {c: carried(figures[c])
                                                          for c in form.items}


@pytest.mark.parametrize("framework_id", sorted(shipped_frameworks()))
def test_every_shipped_framework_goes_through_the_form(tmp_path: Path,
                                                       framework_id: str) -> None:
    fw = load_framework(framework_id)
    assert all(needs_of(n).not_applicable == fw.na_allowed(n) for n in fw.leaves())
    root = new_dossier(tmp_path / "d", "Sở Tư pháp tỉnh Quảng Ngãi", fw.scoring_year,
                       framework=framework_id).root
    export_forms(load_dossier(root), tmp_path / "p.xlsx")
    inputs = {}
    for n in fw.leaves():
        needs = needs_of(n)
        if n.method == "survey":
            continue
        if needs.options:
            inputs[n.code] = ItemInput(option=needs.options[-1][0])
        elif "percent" in needs.columns:
            inputs[n.code] = ItemInput(done=D(2), total=D(3))
        elif "count" in needs.columns:
            inputs[n.code] = ItemInput(count=D(1))
        elif needs.details:
            inputs[n.code] = ItemInput(**{needs.details[0].field: {needs.details[0].id: 1}})
    fill(tmp_path / "p.xlsx", fw, inputs)
    result = import_forms(root, [tmp_path / "p.xlsx"])
    assert result.report.valid and len(result.changes) == len(inputs)
    assert load_dossier(root).score().to_dict() == score(fw, inputs, unit=UNIT_STP).to_dict()
