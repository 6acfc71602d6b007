"""Writing a framework as an annex table, and reading it back."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from parindex.framework.annex.export import HEADERS, annex_rows, export_annex
from parindex.framework.annex.importer import import_annex
from parindex.framework.catalog import load_framework
from parindex.framework.model import Area, Framework
from parindex.framework.rulewriting import rule_signature

from .conftest import FIXTURES
from .strategies import extras, frameworks


def shape(fw: Framework) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for n in fw.nodes:
        item = n.item
        extra: tuple[object, ...] = ()
        if not isinstance(item, Area):
            extra = (item.method, fw.na_allowed(n), item.not_applicable,
                     item.document_types,
                     item.deadline, item.evidence,
                     rule_signature(item.rule) if item.rule and n.is_leaf else None)
        out.append((n.code, n.level, n.name, n.max_points, *extra))
    return out


def test_shipped_framework_round_trips_through_the_annex_table(tmp_path: Path) -> None:
    fw = load_framework("qn-so-2021")
    table = tmp_path / "qn.xlsx"
    written = export_annex(fw, table)
    assert (written.rows, written.not_round_trip) == (96, ())
    result = import_annex(table, id=fw.id, province=fw.province)
    assert result.report.valid
    assert [f.code for f in result.report.findings] == []
    stats = result.report.stats
    assert (stats["rules_recognised"], stats["rules_kept_as_text"]) == (69, 0)
    assert stats["rules_by_kind"] == {"bands": 23, "choice": 37, "deduction": 2,
                                      "proportional": 4, "survey": 3}
    out = tmp_path / "qn.yaml"
    result.write(out)
    back = load_framework(out)
    assert shape(back) == shape(fw)
    assert (back.total_points, back.scoring_year, back.title, back.legal_basis) == (
        fw.total_points, fw.scoring_year, fw.title, fw.legal_basis)
    # band bounds, one by one, are the shipped ones (not only equal signatures)
    assert [b.model_dump(by_alias=True, exclude={"label"})
            for b in back.node("1.3.2").item.rule.bands] == [  # type: ignore[union-attr]
        {"points": D(1), "above": None, "from": D(30), "to": None, "below": None},
        {"points": D("0.5"), "above": None, "from": D(20), "to": None, "below": D(30)},
        {"points": D(0), "above": None, "from": None, "to": None, "below": D(20)},
    ]


def test_per_item_not_applicable_and_report_kinds_round_trip(tmp_path: Path) -> None:
    """An item's own "không phát sinh" rule and the kinds of a reports deduction survive the
    annex table, like every other field."""
    fw = load_framework("qn-so-2021")
    data = fw.model_dump(by_alias=True, exclude_none=True)
    policies = {"2.1.2": "award-max", "3.3.3": "drop"}
    for area in data["areas"]:
        for crit in area["criteria"]:
            for item in [crit, *crit.get("sub_criteria", [])]:
                if item["code"] in policies:
                    item["not_applicable"] = policies[item["code"]]
    changed = Framework.model_validate(data)
    result = import_annex(export_annex(changed, tmp_path / "t.xlsx").path, id=fw.id,
                          province=fw.province)
    assert [f.code for f in result.report.findings] == []
    result.write(tmp_path / "t.yaml")
    back = load_framework(tmp_path / "t.yaml")
    assert shape(back) == shape(changed)
    assert {c: back.na_policy(back.node(c)) for c in policies} == policies
    kinds = [p.kind for p in back.node("1.2.1").item.rule.penalties]  # type: ignore[union-attr]
    assert kinds == ["late", "missing"]


def test_table_layout_read_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    fw = load_framework("qn-so-2021")
    export_annex(fw, tmp_path / "qn.xlsx")
    ws = load_workbook(tmp_path / "qn.xlsx").active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values.index(list(HEADERS))
    assert values[header + 1][:3] == ["1", "Công tác chỉ đạo, điều hành cải cách hành chính", 12]
    assert values[-1][1:3] == ["Tổng cộng", 100]
    sub = next(v for v in values if v[0] == "1.1.1")
    assert sub[3] == "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0"
    assert sub[2] == 1


def test_rows_keep_not_applicable_and_survey_wording() -> None:
    rows = {r[0]: r for r in annex_rows(load_framework("qn-so-2021"))}
    assert rows["8.1"][3] == "Điểm do điều tra xã hội học"
    assert str(rows["1.3.3"][3]).endswith(
        "; Qua kiểm tra không phát hiện vấn đề cần xử lý: không áp dụng")
    assert rows["1"][3] == ""


def test_exported_table_resaved_by_libreoffice_imports_the_same(tmp_path: Path) -> None:
    from .libreoffice import resave_with_libreoffice

    fw = load_framework("qn-so-2021")
    export_annex(fw, tmp_path / "qn.xlsx")
    result = import_annex(resave_with_libreoffice(tmp_path / "qn.xlsx", tmp_path),
                          id=fw.id, province=fw.province)
    assert result.report.valid and result.report.findings == ()
    assert shape(result.framework()) == shape(fw)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fw=frameworks())
def test_any_framework_round_trips(fw: Framework, tmp_path: Path) -> None:
    table = tmp_path / "gen.xlsx"
    assert export_annex(fw, table, force=True).not_round_trip == ()  # one path, many examples
    result = import_annex(table, id=fw.id, province=fw.province, year=fw.scoring_year)
    assert result.report.valid
    assert result.report.stats["rules_kept_as_text_items"] == []
    assert shape(result.framework()) == shape(fw)


def extras_shape(fw: Framework) -> list[tuple[object, ...]]:
    if fw.extras is None:
        return []
    return [(g, grp.max_points, it.code, it.name, it.max_points, it.from_appraisal,
             it.document_types, it.evidence, rule_signature(it.rule))
            for g, grp in fw.extras.groups() for it in grp.items]


def test_bonus_and_penalty_blocks_round_trip(tmp_path: Path) -> None:
    """Both groups, their caps, a choice, a manual, an occurrence count and the penalty read
    from the appraisal: written after the total, read back into extras."""
    fw = load_framework(FIXTURES / "extras" / "framework.yaml")
    written = export_annex(fw, tmp_path / "t.xlsx")
    assert (written.rows, written.not_round_trip) == (7, ())
    result = import_annex(written.path, id=fw.id, province=fw.province)
    assert [(f.code, f.item) for f in result.report.findings] == [
        ("annex-extra-item", "T1"), ("annex-extra-item", "T2"), ("annex-extra-item", "TR1"),
        ("annex-extra-item", "TR2")]
    assert result.report.stats["extra_items"] == 4
    result.write(tmp_path / "t.yaml")
    back = load_framework(tmp_path / "t.yaml")
    assert shape(back) == shape(fw)
    assert extras_shape(back) == extras_shape(fw)
    assert [g.max_points for _, g in back.extras.groups()] == [D(2), D("1.5")]  # type: ignore[union-attr]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fw=frameworks(), block=extras())
def test_any_extras_block_round_trips(fw: Framework, block: dict[str, object],
                                      tmp_path: Path) -> None:
    fw = Framework.model_validate({**fw.model_dump(by_alias=True), "extras": block})
    table = tmp_path / "gen.xlsx"
    assert export_annex(fw, table, force=True).not_round_trip == ()
    result = import_annex(table, id=fw.id, province=fw.province, year=fw.scoring_year)
    assert result.report.valid
    codes = {it.code for _, it in fw.extras.items()}  # type: ignore[union-attr]
    assert {f.code for f in result.report.findings if f.item in codes} == {"annex-extra-item"}
    back = result.framework()
    assert shape(back) == shape(fw)
    assert extras_shape(back) == extras_shape(fw)
