"""Importing criteria annex tables (xlsx, docx) as frameworks, with the import report."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex.core.errors import InputError
from parindex.framework.annex.codes import roman
from parindex.framework.annex.importer import import_annex
from parindex.framework.annex.layout import header_role
from parindex.framework.catalog import load_framework
from parindex.framework.rules import BandsRule, ChoiceRule

FIX = Path(__file__).resolve().parent / "fixtures" / "annex"


def items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for n in nodes:
            out[n["code"]] = n
            walk(n.get("criteria", []) + n.get("sub_criteria", []))

    walk(data["areas"])
    return out


def tree(data: dict[str, Any]) -> list[tuple[str, str, D | None, str | None]]:
    return [(c, n["name"], n.get("max_points"), n.get("rule", {}).get("type"))
            for c, n in items(data).items()]


def codes(report: Any, code: str) -> list[tuple[str | None, int | None]]:
    return [(f.item, f.line) for f in report.findings if f.code == code]


# -- Cà Mau rows, exactly as published ---------------------------------------------------------
@pytest.mark.parametrize("name", ["ca_mau_rows.docx", "ca_mau_rows.xlsx"])
def test_ca_mau_rows_every_rule_recognised_with_bounds_as_worded(name: str) -> None:
    result = import_annex(FIX / name, province="Cà Mau")
    stats = result.report.stats
    assert (stats["scored_items"], stats["rules_recognised"], stats["rules_kept_as_text"]) == (
        6, 6, 0)
    assert stats["rules_by_kind"] == {"bands": 1, "choice": 5}
    assert result.data["scoring_year"] == 2013
    assert result.data["title"] == "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP SỞ NĂM 2013"
    rows = items(result.data)
    band_rule = BandsRule.model_validate(rows["1.1.4"]["rule"])
    assert [(b.label, b.above, b.from_, b.to, b.below, b.points) for b in band_rule.bands] == [
        ("Thực hiện trên 90% kế hoạch", D(90), None, None, None, D(2)),
        ("Thực hiện từ 70% - 90% kế hoạch", None, D(70), D(90), None, D(1)),
        ("Dưới 70% kế hoạch", None, None, None, D(70), D(0)),
    ]
    choice = ChoiceRule.model_validate(rows["1.1.1"]["rule"])
    assert [(o.label, o.points) for o in choice.options] == [
        ("Ban hành kịp thời", D(1)), ("Ban hành không kịp thời", D("0.5")),
        ("Không ban hành", D(0))]
    assert rows["1.2.1"]["guidance"] == (
        "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng "
        "thời gian quy định: 0")
    # the excerpt stops after 1.2: area 1 says 20 but 1.1 + 1.2 = 7, reported on the area's row
    header_last = 2 if name.endswith(".docx") else 3
    assert codes(result.report, "annex-sum-mismatch") == [("1", header_last + 1)]
    assert [f.code for f in result.report.findings if f.severity != "info"] == [
        "annex-sum-mismatch"]


def test_ca_mau_two_row_header_columns() -> None:
    result = import_annex(FIX / "ca_mau_rows.docx")
    assert result.report.stats["header_rows"] == [1, 2]
    assert result.report.stats["columns"] == {
        "code": "STT", "name": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "points": "Điểm tối đa", "rule": "Cách chấm điểm", "note": "Ghi chú"}


# -- a table whose points do not add up --------------------------------------------------------
def test_bad_sums_import_with_each_mismatch_reported_by_row(tmp_path: Path) -> None:
    result = import_annex(FIX / "bad_sums.xlsx", province="Thử", year=2021)
    report = result.report
    assert not report.valid
    assert [(f.code, f.item, f.line) for f in report.findings if f.severity == "error"] == [
        ("annex-sum-mismatch", "1.1", 3), ("annex-total-mismatch", None, 9)]
    sums = next(f for f in report.findings if f.code == "annex-sum-mismatch")
    assert sums.message == ("row 3: 1.1 ghi 3 điểm nhưng các mục con cộng lại 2,5 (chênh -0,5): "
                            "1.1.1 (row 4): 1, 1.1.2 (row 5): 1,5")
    assert (report.stats["sums_checked"], report.stats["sums_mismatched"]) == (4, 2)
    # never silently fixed: the numbers stay as the table wrote them
    rows = items(result.data)
    assert rows["1.1"]["max_points"] == D(3)
    assert result.data["total_points"] == D(10)
    assert "đối chiếu row 3" in rows["1.1"]["note"]
    out = tmp_path / "bad.yaml"
    result.write(out)
    text = out.read_text(encoding="utf-8")
    assert "# THE SOURCE TABLE HAS 2 PROBLEM(S)" in text
    with pytest.raises(InputError) as err:
        load_framework(out)
    assert [p.key for p in err.value.problems] == [
        "areas[0].criteria[0].max_points", "total_points"]
    with pytest.raises(InputError) as err2:
        result.framework()
    assert [(p.key, p.line) for p in err2.value.problems] == [("1.1", 3), ("", None)]


# -- shapes of real tables ---------------------------------------------------------------------
def test_merged_cells() -> None:
    result = import_annex(FIX / "merged_cells.xlsx", province="Thử", year=2021)
    assert tree(result.data) == [
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", D(3), None),
        ("1.1", "Kế hoạch CCHC năm", D(3), None),
        ("1.1.1", "Ban hành kế hoạch kiểm tra", D(1), "choice"),
        ("1.1.2", "Ban hành kế hoạch tuyên truyền", D(1), "choice"),
        ("1.1.3", "Mức độ thực hiện kế hoạch (kể cả các nhiệm vụ phát sinh)", D(1), "bands"),
    ]
    assert codes(result.report, "annex-rule-shared") == [("1.1.2", 5)]
    assert codes(result.report, "annex-continuation-row") == [("1.1.3", 7)]
    assert result.report.valid
    result.framework()


def test_continuation_and_option_rows_in_word() -> None:
    result = import_annex(FIX / "continuation_rows.docx", province="Thử", year=2021)
    rows = items(result.data)
    assert rows["1.2"]["name"] == ("Niêm yết công khai thủ tục hành chính tại trụ sở và trên "
                                   "Trang thông tin điện tử")
    assert rows["1.2"]["guidance"] == "Đầy đủ, đúng quy định: 1\nKhông đầy đủ: 0"
    assert rows["1.1"]["guidance"] == "Từ 95% trở lên: 2;\nTừ 90% đến dưới 95%: 1; Dưới 90%: 0"
    assert [b["points"] for b in rows["1.1"]["rule"]["bands"]] == [D(2), D(1), D(0)]
    assert codes(result.report, "annex-row-skipped") == [(None, 2)]
    assert codes(result.report, "annex-option-row") == [("1.2", 8), ("1.2", 9)]
    assert result.report.stats["columns"]["points"] == "Điểm chuẩn"
    assert result.report.stats["columns"]["rule"] == "Phương pháp đánh giá"
    assert result.report.valid


def test_roman_numerals_with_criteria_numbered_inside_each_area(tmp_path: Path) -> None:
    result = import_annex(FIX / "roman_numerals.xlsx", province="Tiền Giang", id="tg-2022")
    assert [(c, p, k) for c, _, p, k in tree(result.data)] == [
        ("1", D("1.5"), None), ("1.1", D("1.5"), None), ("1.1.1", D("0.5"), "choice"),
        ("1.1.2", D(1), "deduction"), ("2", D(2), None), ("2.1", D(2), "survey"),
        ("3", D(2), None), ("3.1", D(1), "bands"), ("3.2", D(1), "proportional"),
    ]
    assert result.data["scoring_year"] == 2022
    assert result.data["total_points"] == D("5.5")
    assert items(result.data)["2.1"]["method"] == "survey"
    assert codes(result.report, "annex-survey-by-area") == [("2.1", 9)]
    # 1.1.2 is a deduction whose text states no lowest score: 0 is taken, and said
    assert codes(result.report, "annex-rule-ambiguous") == [("1.1.2", 7), ("3.1", 11)]
    floor_doubt = next(f for f in result.report.findings if f.item == "1.1.2")
    assert "không ghi điểm thấp nhất" in floor_doubt.message
    assert result.report.stats["columns"]["points"] == "chuẩn Điểm"
    out = tmp_path / "tg.yaml"
    result.write(out)
    fw = load_framework(out)
    assert (fw.id, fw.total_points, fw.survey_max) == ("tg-2022", D("5.5"), D(2))
    assert fw.node("1.1.1").item.source == "imported from roman_numerals.xlsx row 6"


def test_rules_kept_as_text_are_listed() -> None:
    result = import_annex(FIX / "rules_kept_as_text.xlsx", province="Thử", year=2021)
    stats = result.report.stats
    assert stats["rules_kept_as_text_items"] == ["1.2", "1.3"]
    assert (stats["rules_recognised"], stats["rules_kept_as_text"]) == (1, 2)
    assert stats["rules_by_kind"] == {"manual": 2, "weighted": 1}
    assert codes(result.report, "annex-rule-kept-as-text") == [("1.2", 4)]
    assert codes(result.report, "annex-rule-missing") == [("1.3", 5)]
    assert items(result.data)["1.2"]["rule"] == {"type": "manual",
                                                 "text": "Hội đồng đánh giá theo thực tế"}
    assert result.report.valid  # manual rules load; the warnings list them
    result.framework()


def test_no_criteria_table_is_unusable_input() -> None:
    with pytest.raises(InputError, match="no criteria table found"):
        import_annex(FIX / "no_criteria_table.docx")


@pytest.mark.parametrize("name", ["missing.xlsx", "table.pdf"])
def test_unreadable_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".pdf"):
        path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError):
        import_annex(path)


def test_metadata_defaults_are_reported() -> None:
    result = import_annex(FIX / "bad_sums.xlsx")
    assert result.data["id"] == "bad-sums"
    assert result.data["status"] == "provisional"
    assert result.data["level"] == "sở"
    messages = [f.message for f in result.report.findings if f.code == "annex-metadata-default"]
    assert "tỉnh không ghi (--province)" in messages


@pytest.mark.parametrize(("header", "role"), [
    ("STT", "code"), ("TT", "code"), ("Số TT", "code"),
    ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "name"),
    ("Lĩnh vực/ Tiêu chí/ Tiêu chí\nthành phần", "name"), ("Nội dung", "name"),
    ("Điểm tối đa", "points"), ("Điểm chuẩn", "points"), ("chuẩn Điểm", "points"),
    ("Thang điểm", "points"),
    ("Cách chấm", "rule"), ("Hướng dẫn chấm điểm", "rule"), ("Phương pháp đánh giá", "rule"),
    ("Điểm tự đánh giá", None), ("Điểm thẩm định", None), ("Điểm đánh giá Điều tra XHH", None),
    ("Ghi chú", "note"), ("Tài liệu kiểm chứng", "evidence"),
])
def test_header_variants(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_roman() -> None:
    assert [roman(t) for t in ("I", "IV", "VIII", "IX", "XII", "IIII", "A", "")] == [
        1, 4, 8, 9, 12, None, None, None]


# -- defects built on the fly ------------------------------------------------------------------
HEAD = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm"]
OK = "Đạt: 1; Không đạt: 0"


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "t.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in [HEAD, *rows]:
        wb.active.append(row)
    wb.save(tmp_path / name)
    return tmp_path / name


def findings(path: Path) -> list[tuple[str, str | None, int | None]]:
    report = import_annex(path, province="Thử", year=2021).report
    return [(f.code, f.item, f.line) for f in report.findings if f.severity != "info"]


def test_numbering_gap_is_a_warning(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["1", "A", 2, ""], ["1.1", "B", 1, OK], ["1.3", "C", 1, OK]])
    assert findings(path) == [("annex-numbering-gap", "1.3", 4)]


def test_excel_float_codes_that_collide_are_named(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[1, "A", 10, ""]]
    rows += [[float(f"1.{i}"), f"T{i}", 1, OK] for i in range(1, 11)]  # 1.10 becomes 1.1
    path = xlsx(tmp_path, rows)
    report = import_annex(path, province="Thử", year=2021).report
    dup = [f for f in report.findings if f.code == "annex-code-duplicate"]
    assert [(f.item, f.line) for f in dup] == [("1.1", 12)]
    assert "Excel có thể đã đổi 1.10 thành 1.1" in dup[0].message


def test_orphans_deep_codes_and_unreadable_points(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [
        ["1", "A", 2, ""], ["1.1", "B", "hai", OK], ["1.2.1", "C", 1, OK],
        ["1.1.1.1", "D", 1, OK], ["x-1", "E", 1, OK],
    ])
    assert findings(path) == [
        ("annex-points-unreadable", "1.1", 3), ("annex-code-too-deep", "1.1.1.1", 5),
        ("annex-code-orphan", "1.2.1", 4), ("annex-code-unreadable", None, 6),
    ]


def test_area_without_criteria(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["1", "A", 1, ""], ["1.1", "B", 1, OK], ["2", "C", 1, ""]])
    assert findings(path) == [("annex-area-empty", "2", 4)]


def test_rule_best_score_must_be_the_max(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["1", "A", 2, ""], ["1.1", "B", 2, OK]])
    result = import_annex(path, province="Thử", year=2021)
    assert [(f.code, f.item, f.line) for f in result.report.findings
            if f.severity == "error"] == [("annex-rule-max-mismatch", "1.1", 3)]
    with pytest.raises(InputError, match="the rule's best score is 1 but max_points is 2"):
        result.framework()


def test_letters_codes_in_names_and_parent_rules(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [
        ["", "1. Lĩnh vực A", 2, ""],
        ["", "1.1. Tiêu chí B", 2, "Chấm theo các mục a, b"],
        ["a)", "Mục a", 1, OK], ["b)", "Mục b", 1, OK],
    ])
    result = import_annex(path, province="Thử", year=2021)
    assert [(c, n) for c, n, _, _ in tree(result.data)] == [
        ("1", "Lĩnh vực A"), ("1.1", "Tiêu chí B"), ("1.1.1", "Mục a"), ("1.1.2", "Mục b")]
    assert codes(result.report, "annex-parent-rule") == [("1.1", 3)]
    assert items(result.data)["1.1"]["guidance"] == "Chấm theo các mục a, b"
    result.framework()


def test_word_table_cut_by_a_page_break(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    first = document.add_table(rows=3, cols=4)
    for r, row in enumerate([HEAD, ["1", "A", "2", ""], ["1.1", "B", "1", OK]]):
        for c, text in enumerate(row):
            first.cell(r, c).text = text
    document.add_paragraph("")
    second = document.add_table(rows=1, cols=4)
    for c, text in enumerate(["1.2", "C", "1", OK]):
        second.cell(0, c).text = text
    document.save(str(tmp_path / "cut.docx"))
    result = import_annex(tmp_path / "cut.docx", province="Thử", year=2021)
    assert [c for c, _, _, _ in tree(result.data)] == ["1", "1.1", "1.2"]
    assert items(result.data)["1.2"]["source"] == "imported from cut.docx table 2 row 1"
    assert result.report.valid


def test_section_letters_and_bonus_penalty_block(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [
        ["A", "CÁC TIÊU CHÍ CHẤM ĐIỂM", "", ""],
        ["1", "A", 1, ""],
        ["1.1", "Số lần đối thoại", 1, "Từ 2 lần trở lên: 1"],
        ["", "1 lần: 0,5", "", ""],
        ["", "Không tổ chức: 0", "", ""],
        ["B", "ĐIỂM THƯỞNG, ĐIỂM TRỪ", "", ""],
        ["1", "Có sáng kiến cấp tỉnh", 1, "Cộng 1 điểm"],
    ])
    result = import_annex(path, province="Thử", year=2021)
    assert [c for c, _, _, _ in tree(result.data)] == ["1", "1.1"]
    row = items(result.data)["1.1"]
    assert row["name"] == "Số lần đối thoại"
    assert row["guidance"] == "Từ 2 lần trở lên: 1\n1 lần: 0,5\nKhông tổ chức: 0"
    assert [(b.get("from"), b.get("below")) for b in row["rule"]["bands"]] == [
        (D(2), None), (D(1), D(2)), (None, D(1))]
    assert [(f.code, f.line) for f in result.report.findings if f.code in (
        "annex-extra-block", "annex-row-skipped")] == [("annex-row-skipped", 2)]
    # a block headed "điểm thưởng, điểm trừ": each item's group from its own text ("Cộng")
    assert [(i["code"], i["name"], i["max_points"]) for i in
            result.data["extras"]["bonus"]["items"]] == [("T1", "Có sáng kiến cấp tỉnh", D(1))]
    assert "penalty" not in result.data["extras"]


def test_bonus_and_penalty_blocks_with_caps_under_roman_areas(tmp_path: Path) -> None:
    """Written from the pattern of department tables: the blocks after the total, headed
    like the areas, the cap in the points column, items numbered from 1 in each block."""
    path = xlsx(tmp_path, [
        ["I", "CHỈ ĐẠO ĐIỀU HÀNH", 1, ""],
        ["1", "Kế hoạch CCHC", 1, OK],
        ["", "Tổng cộng", 1, ""],
        ["II", "ĐIỂM THƯỞNG", 2, ""],
        ["1", "Sáng kiến được UBND tỉnh công nhận", 1, "Có: 1; Không có: 0"],
        ["2", "Giải thưởng cấp bộ, cấp quốc gia về CCHC", 1, "Có: 1; Không có: 0"],
        ["III", "ĐIỂM TRỪ", 3, ""],
        ["1", "Vi phạm kỷ luật hành chính bị xử lý", 1,
         "Mỗi vi phạm bị xử lý trừ 0,5 điểm"],
        ["2", "Điểm tự đánh giá chênh lệch so với điểm thẩm định", 2,
         "Chênh lệch trên 10%: 2; Chênh lệch từ 5% đến 10%: 1; Dưới 5%: 0"],
        ["1.1", "Chênh lệch ở từng tiêu chí", 1, ""],
        ["", "Cộng điểm trừ", 3, ""],
    ])
    result = import_annex(path, province="Thử", year=2021)
    assert [c for c, _, _, _ in tree(result.data)] == ["1", "1.1"]
    assert result.data["total_points"] == 1  # the caps are not added to the total
    ex = result.data["extras"]
    assert (ex["bonus"]["max_points"], ex["penalty"]["max_points"]) == (D(2), D(3))
    assert [(i["code"], i["rule"]["type"], i.get("from_appraisal")) for g in ("bonus", "penalty")
            for i in ex[g]["items"]] == [
        ("T1", "choice", None), ("T2", "choice", None), ("TR1", "deduction", None),
        ("TR2", "bands", "gap-percent")]
    assert codes(result.report, "annex-extra-block") == [(None, 11)]  # the nested 1.1
    assert codes(result.report, "annex-row-skipped") == [(None, 12)]  # the block's sum
    # on a penalty item the most taken off is its maximum: no "floor not stated" doubt
    assert codes(result.report, "annex-rule-ambiguous") == []
    out = tmp_path / "t.yaml"
    result.write(out)
    fw = load_framework(out)
    assert fw.extras is not None and fw.extras.penalty is not None
    assert [it.max_points for it in fw.extras.penalty.items] == [D(1), D(2)]


def test_uncalculated_formula_points_are_named(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["1", "A", "=SUM(C3:C3)", ""], ["1.1", "B", 1, OK]])
    report = import_annex(path, province="Thử", year=2021).report
    assert [(f.code, f.line, f.message) for f in report.findings if f.severity == "error"] == [
        ("annex-points-unreadable", 2, "row 2: điểm tối đa '=SUM(C3:C3)' là công thức chưa được "
         "tính: mở bảng bằng Excel hoặc LibreOffice và lưu lại")]


def test_formula_points_recalculated_by_a_spreadsheet_engine(tmp_path: Path) -> None:
    from .libreoffice import resave_with_libreoffice

    path = xlsx(tmp_path, [["1", "A", "=SUM(C3:C4)", ""], ["1.1", "B", 1, OK],
                           ["1.2", "C", 0.5, "Đạt: 0,5; Không đạt: 0"],
                           ["", "Tổng cộng", "=C2", ""]], name="formulas.xlsx")
    result = import_annex(resave_with_libreoffice(path, tmp_path), province="Thử", year=2021)
    assert result.report.valid
    assert (result.data["total_points"], items(result.data)["1"]["max_points"]) == (
        D("1.5"), D("1.5"))


def test_duplicate_code_written_in_the_name_cell_without_an_stt_column(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    rows = [["Tiêu chí", "Điểm tối đa", "Cách chấm điểm"], ["1. A", 2, ""],
            ["1.1. B", 1, OK], ["1.1. C", 1, OK]]
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "no-stt.xlsx")
    report = import_annex(tmp_path / "no-stt.xlsx", province="Thử", year=2021).report
    dup = [(f.item, f.line) for f in report.findings if f.code == "annex-code-duplicate"]
    assert dup == [("1.1", 4)]


def test_scoring_levels_written_under_the_name_in_the_same_cell(tmp_path: Path) -> None:
    """A province table with no text in the scoring column: each criterion's cell holds its
    name, then its levels on the following lines, with points."""
    rows: list[list[Any]] = [
        ["1", "Công tác chỉ đạo, điều hành", 3, ""],
        ["1.1", "Ban hành kế hoạch CCHC năm\n- Ban hành kịp thời: 1\n- Ban hành chậm: 0,5\n"
                "- Không ban hành: 0", 1, ""],
        ["1.2", "Báo cáo định kỳ\nMỗi báo cáo trễ hạn trừ 0,25 điểm (thấp nhất 0)", 1, None],
        ["1.3", "Tỷ lệ nhiệm vụ hoàn thành\n- Từ 90% trở lên: 1\n- Dưới 90%: 0", 1, ""],
    ]
    result = import_annex(xlsx(tmp_path, rows), province="Thử", year=2021)
    got = {c: (name, kind) for c, name, _, kind in tree(result.data) if c.count(".") == 1}
    assert got == {"1.1": ("Ban hành kế hoạch CCHC năm", "choice"),
                   "1.2": ("Báo cáo định kỳ", "deduction"),
                   "1.3": ("Tỷ lệ nhiệm vụ hoàn thành", "bands")}
    seen = {f.code for f in result.report.findings}
    assert "annex-rule-missing" not in seen and "annex-rule-kept-as-text" not in seen
    assert codes(result.report, "annex-rule-in-name-cell") == [("1.1", 3), ("1.2", 4),
                                                               ("1.3", 5)]


def test_unread_text_under_the_name_is_kept_as_text_not_missing(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["1", "A", 1, ""],
                             ["1.1", "Ban hành kế hoạch\nĐánh giá theo thực tế: 1", 1, ""]]
    result = import_annex(xlsx(tmp_path, rows), province="Thử", year=2021)
    assert codes(result.report, "annex-rule-missing") == []
    # one level only: recognised as a one-option choice, said as a doubt
    assert codes(result.report, "annex-rule-ambiguous") == [("1.1", 3)]
