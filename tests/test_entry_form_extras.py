"""The bonus and penalty items (điểm thưởng, điểm trừ) in the input forms: rows after the areas
on the office's form, read back into ``self-assessment.yaml`` as if typed there; a framework
without extras gives the very same form as before."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex.core.yamlio import load_yaml
from parindex.entry.form_export import export_forms
from parindex.entry.form_extras import HELP_ELSEWHERE, HELP_HERE
from parindex.entry.form_import import import_forms
from parindex.entry.form_layout import (
    HELP_SHEET,
    INPUT_SHEET,
    META_SHEET,
    column_index,
    column_letter,
)
from parindex.entry.skeleton import skeleton_text
from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import score

from .conftest import EXAMPLE, FIXTURES
from .conftest import run_cli as run
from .formtools import fill, rows_by_key

EXTRAS = FIXTURES / "extras"
TYPED = {"1.1.1": ItemInput(option="kip-thoi"),
         "T1": ItemInput(option="cap-so"),
         "T2": ItemInput(points=D("1.25"), explanation="Giải ba hội thi CCHC của tỉnh"),
         "TR1": ItemInput(occurrences={"vi-pham": 2})}
"""What a unit types: one tree item and the three extra items a person types."""


def _dossier(tmp: Path, blank: bool = True) -> Path:
    """The extras fixture (its framework beside it, as ``../framework.yaml``), blank."""
    shutil.copytree(EXTRAS, tmp / "extras")
    root = tmp / "extras" / "bonus-capped-penalty-pending"
    if blank:
        d = load_dossier(root)
        (root / "self-assessment.yaml").write_text(
            skeleton_text(d.framework, d.manifest.unit), encoding="utf-8")
    return root


def _cells(path: Path) -> list[Any]:
    """Every cell, style, validation and page setting of a form (not its export time)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out: list[Any] = [wb.sheetnames]
    for ws in wb:
        out.append([ws.title, ws.sheet_state, ws.protection.sheet, ws.freeze_panes,
                    ws.print_title_rows, str(ws.print_area), ws.page_setup.orientation])
        for row in ws.iter_rows():
            for c in row:
                if ws.title == META_SHEET and c.coordinate == "B9":
                    continue  # "exported": the time of the export
                out.append([c.coordinate, c.value, c.data_type, c.font.b, c.fill.fgColor.rgb,
                            c.protection.locked, c.number_format, c.quotePrefix,
                            c.alignment.wrap_text])
        out.append(sorted((k, d.height) for k, d in ws.row_dimensions.items()))
        out.append(sorted((k, d.width, d.hidden) for k, d in ws.column_dimensions.items()))
        out.append(sorted(repr([dv.type, dv.formula1, dv.formula2, str(dv.sqref), dv.error])
                          for dv in ws.data_validations.dataValidation))
    return out


def _digest(path: Path) -> str:
    text = json.dumps(_cells(path), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


EXAMPLE_FORM = "c7d9f8ec84fb8477"
"""``_digest`` of the example's whole-dossier form as written before the forms knew extras
(measured with main at 1ca404f)."""


def test_a_framework_without_extras_gives_the_same_form_as_before(tmp_path: Path) -> None:
    export_forms(load_dossier(EXAMPLE), tmp_path / "p.xlsx")
    assert _digest(tmp_path / "p.xlsx") == EXAMPLE_FORM
    forms = export_forms(load_dossier(EXAMPLE), tmp_path / "u.xlsx", all_units=True)
    assert len(forms) == 6 and all(f.extras == () for f in forms)


def test_the_extras_rows_follow_the_areas_with_their_columns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = _dossier(tmp_path, blank=False)
    (form,) = export_forms(load_dossier(root), tmp_path / "p.xlsx")
    assert (form.items, form.extras) == (("1.1.1", "1.1.2", "1.2"), ("T1", "T2", "TR1"))
    assert form.to_dict()["extras"] == ["T1", "T2", "TR1"]
    wb = load_workbook(form.path)
    ws = wb[INPUT_SHEET]
    rows = rows_by_key(ws)
    assert list(rows) == ["1.1.1", "1.1.2", "1.2", "T1", "T2", "TR1", "TR1#occurrences:vi-pham"]
    assert [rows[k] for k in rows] == [6, 7, 8, 10, 11, 13, 14]
    assert ws["A9"].value == "Điểm thưởng (ngoài tổng điểm, tối đa 2 điểm; để trống nếu " \
                              "không có)"
    assert ws["A12"].value == "Điểm trừ (ngoài tổng điểm, tối đa 1,5 điểm; để trống nếu " \
                              "không có)"
    assert ws.max_row == 14  # TR2 (computed from the appraisal) has no row
    opt, pts, cnt = (column_letter(c) for c in ("option", "points", "count"))
    # the values of the dossier, pre-filled
    assert (ws[f"{opt}10"].value, ws[f"{pts}11"].value, ws[f"{cnt}14"].value) == (
        "Được UBND tỉnh công nhận (1 điểm)", 1.5, 1)
    assert ws["B14"].value == "   – Mỗi vi phạm bị xử lý (-0,5 điểm/lần)"
    assert ws[f"{column_letter('max')}11"].value == 1.5
    by_cell = {str(ref): dv for dv in ws.data_validations.dataValidation
               for ref in dv.sqref.ranges}
    assert by_cell[f"{opt}10"].type == "list"
    assert by_cell[f"{opt}10"].formula1.startswith(f"'{META_SHEET}'!$B$")
    assert (by_cell[f"{pts}11"].type, by_cell[f"{pts}11"].formula2) == ("decimal", "1.5")
    assert by_cell[f"{cnt}14"].type == "whole"
    na = column_index("not_applicable")
    assert all(ws.cell(r, na).protection.locked for r in (10, 11, 13))  # never N/A
    assert ws.cell(10, column_index("explanation")).protection.locked is False
    assert ws.print_area == f"'{INPUT_SHEET}'!$A$1:${column_letter('evidence')}$14"
    help_text = [c.value for c in wb[HELP_SHEET]["A"]]
    assert help_text[-1] == HELP_HERE


def test_extras_typed_in_the_form_score_as_typed_in_yaml(tmp_path: Path) -> None:
    root = _dossier(tmp_path)
    sa = root / "self-assessment.yaml"
    comments = [line for line in sa.read_text(encoding="utf-8").splitlines()
                if line.lstrip().startswith("#")]
    (form,) = export_forms(load_dossier(root), tmp_path / "p.xlsx")
    d = load_dossier(root)
    fill(form.path, d.framework, TYPED)
    result = import_forms(root, [form.path])
    assert result.report.valid, result.report.summary()
    assert [c.item for c in result.changes] == ["1.1.1", "T1", "T2", "TR1"]
    assert result.report.stats["rows"] == 6
    text = sa.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    assert '  "T1": {option: cap-so}\n' in text
    assert '  "TR1": {occurrences: {vi-pham: 2}}\n' in text
    back = load_dossier(root)
    assert back.self_assessment.items == TYPED
    card = back.score()
    ex = card.extras
    assert ex is not None
    direct = score(back.framework, TYPED)
    assert card.to_dict()["extras"] == direct.to_dict()["extras"]
    assert (card.adjusted_score, card.adjusted_index) == (
        direct.adjusted_score, direct.adjusted_index) == (D("1.75"), D("58.33"))
    assert [(i.code, i.status, i.points, i.pending) for i in ex.items] == [
        ("T1", "scored", D("0.5"), D(0)), ("T2", "scored", D("1.25"), D(0)),
        ("TR1", "scored", D(1), D(0)), ("TR2", "appraisal-pending", D(0), D(1))]
    assert (ex.bonus.points, ex.bonus.capped, ex.penalty.points, ex.net) == (
        D("1.75"), False, D(1), D("0.75"))
    again = import_forms(root, [form.path])  # imported: nothing left to change
    assert again.report.valid and again.changes == ()


@pytest.mark.parametrize(("col", "key", "value", "code", "says"), [
    ("points", "T2", "một", "form-text-in-number", "“một” không phải là số"),
    ("points", "T2", 2, "form-value-out-of-range", "điểm 2 lớn hơn điểm tối đa 1,5"),
    ("option", "T1", "Cấp bộ", "form-unknown-option", "“Cấp bộ” không có trong danh sách"),
    ("count", "TR1#occurrences:vi-pham", 1.5, "form-value-out-of-range",
     "1,5: cần số nguyên không âm"),
    ("not_applicable", "T1", "Không áp dụng", "form-unknown-option",
     "không được đánh dấu không áp dụng"),
])
def test_a_bad_cell_of_an_extra_row_is_a_finding_with_its_cell(
        tmp_path: Path, col: str, key: str, value: Any, code: str, says: str) -> None:
    from openpyxl import load_workbook

    root = _dossier(tmp_path)
    (form,) = export_forms(load_dossier(root), tmp_path / "p.xlsx")
    wb = load_workbook(form.path)
    ws = wb[INPUT_SHEET]
    r = rows_by_key(ws)[key]
    ws.cell(r, column_index(col)).value = value
    wb.save(form.path)
    result = import_forms(root, [form.path])
    item = key.partition("#")[0]
    assert [(f.code, f.item, f.document) for f in result.report.findings] == [
        (code, item, f"{column_letter(col)}{r}")]
    assert says in result.report.findings[0].message
    assert result.changes == () and not result.written


def test_a_form_exported_before_the_extras_changed_is_refused(tmp_path: Path) -> None:
    root = _dossier(tmp_path)
    (form,) = export_forms(load_dossier(root), tmp_path / "p.xlsx")
    fill(form.path, load_dossier(root).framework, TYPED)
    fw = root.parent / "framework.yaml"
    fw.write_text(fw.read_text(encoding="utf-8").replace("step: 0.25", "step: 0.5"),
                  encoding="utf-8")
    result = import_forms(root, [form.path])
    assert [(f.code, f.document) for f in result.report.findings] == [
        ("form-other-dossier", f"'{META_SHEET}'!B6")]
    assert result.changes == ()


def test_only_the_office_form_carries_the_extras(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    root = _dossier(tmp_path)
    data, _ = load_yaml(EXAMPLE / "plan.yaml")
    assert isinstance(data, dict)
    units = {"kind": "parindex/plan", "schema_version": data.get("schema_version", 1),
             "year": 2021, "issuer": "Sở Thử nghiệm", "framework": "fixture-extras",
             "units": data["units"]}
    (root / "plan.yaml").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
    forms = export_forms(load_dossier(root), tmp_path / "p.xlsx", ["Thanh tra Sở"])
    assert [(f.unit, f.items, f.extras) for f in forms] == [("thanh-tra-so", (), ())]
    wb = load_workbook(forms[0].path)
    assert list(rows_by_key(wb[INPUT_SHEET])) == []
    assert [c.value for c in wb[HELP_SHEET]["A"]][-1] == HELP_ELSEWHERE
    forms = export_forms(load_dossier(root), tmp_path / "a.xlsx", all_units=True)
    assert [(f.unit, f.extras) for f in forms] == [("van-phong-so", ("T1", "T2", "TR1"))]
    wb = load_workbook(forms[0].path)
    assert list(rows_by_key(wb[INPUT_SHEET]))[3:] == ["T1", "T2", "TR1",
                                                      "TR1#occurrences:vi-pham"]
    assert [c.value for c in wb[HELP_SHEET]["A"]][-1] == HELP_HERE
    code, out, _ = run(capsys, "form", "export", str(root), "-o", str(tmp_path / "c.xlsx"))
    assert code == 0
    assert out.strip().endswith(": 3 tiêu chí, 3 mục điểm thưởng, điểm trừ.")


def test_extra_rows_saved_by_libreoffice_read_back_the_same(tmp_path: Path) -> None:
    from .libreoffice import resave_with_libreoffice

    root = _dossier(tmp_path)
    (form,) = export_forms(load_dossier(root), tmp_path / "p.xlsx")
    fill(form.path, load_dossier(root).framework, TYPED)
    resaved = resave_with_libreoffice(form.path, tmp_path)
    direct = import_forms(root, [form.path], dry_run=True)
    via_lo = import_forms(root, [resaved], dry_run=True)
    assert via_lo.report.valid, via_lo.report.summary()
    assert [(c.item, c.new) for c in via_lo.changes] == [(c.item, c.new) for c in direct.changes]
    assert [c.item for c in via_lo.changes] == ["1.1.1", "T1", "T2", "TR1"]
