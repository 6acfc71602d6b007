"""Plan layouts found in real published plans, each as a small fixture written from the pattern
(not copied text): the importer must not invent tasks or years, and lint must judge a plan as a
plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parindex.core.errors import InputError
from parindex.plan.importer import import_plan, read_plan
from parindex.plan.lint import lint_plan

from .conftest import FIXTURES
from .plan_material import HEADER

PLANS = FIXTURES / "plan"


def test_objectives_numbered_like_tasks_are_not_tasks() -> None:
    plan = import_plan(PLANS / "objectives_numbered_like_tasks.txt")
    assert [t.code for t in plan.tasks] == ["3.1", "3.2"]
    assert [s.code for s in plan.sections] == ["3"]
    assert plan.tasks[0].lead == ("Văn phòng Sở",)


def test_the_year_comes_from_the_title_not_from_cited_decree_numbers() -> None:
    parsed = read_plan(PLANS / "year_only_in_cited_decrees.txt")
    assert (parsed.plan.year, parsed.year_basis, parsed.notes) == (2019, "title", ())
    assert [t.due for t in parsed.plan.tasks] == [dt.date(2019, 6, 30), dt.date(2019, 9, 30)]


def test_a_year_guessed_from_the_date_is_said(tmp_path: Path) -> None:
    path = tmp_path / "dated_only.txt"
    path.write_text("SỞ THỬ NGHIỆM\nThử, ngày 20 tháng 12 năm 2021\nCăn cứ Nghị định số "
                    "61/2018/NĐ-CP;\nI. NHIỆM VỤ\n1. Rà soát TTHC\n- Đơn vị chủ trì: Văn "
                    "phòng Sở\n", encoding="utf-8")
    parsed = read_plan(path)
    assert (parsed.plan.year, parsed.year_basis) == (2022, "date")
    assert parsed.notes and "đoán từ ngày ban hành" in parsed.notes[0]


def test_plan_import_cli_prints_the_guess_and_its_json(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    from .conftest import run_cli

    out = tmp_path / "plan.yaml"
    code, stdout, _ = run_cli(capsys, "plan", "import",
                              str(PLANS / "year_only_in_cited_decrees.txt"), "-o", str(out),
                              "--json")
    import json

    summary = json.loads(stdout)
    assert code == 0 and (summary["year"], summary["year_basis"], summary["notes"]) == (
        2019, "title", [])


def test_numbering_runs_under_one_parent_are_not_duplicates() -> None:
    plan = import_plan(PLANS / "objectives_numbered_like_tasks.txt")
    codes = {f.code for f in lint_plan(plan).findings}
    assert "plan-numbering-duplicate" not in codes


def test_a_plan_without_usable_tasks_is_an_error_worded_for_a_plan() -> None:
    plan = import_plan(PLANS / "no_usable_task.txt")
    report = lint_plan(plan)
    assert not report.valid
    assert [f.code for f in report.findings if f.severity == "error"] == ["plan-no-usable-task"]
    assert "sẵn sàng gửi" not in report.summary()
    assert report.summary().startswith("Kế hoạch CCHC năm 2022: có lỗi")


def test_a_clean_plan_is_not_called_ready_to_send() -> None:
    plan = import_plan(PLANS / "fields_in_trailing_parenthesis.txt")
    summary = lint_plan(plan).summary()
    assert "sẵn sàng gửi" not in summary and ": không có lỗi" in summary


def test_fields_in_a_trailing_parenthesis() -> None:
    plan = import_plan(PLANS / "fields_in_trailing_parenthesis.txt")
    got = [(t.code, t.title, t.lead, t.coordinating, t.products, t.due) for t in plan.tasks]
    assert got == [
        ("II.1", "Rà soát, đơn giản hóa thủ tục hành chính", ("Văn phòng Sở",),
         ("Phòng Hành chính tư pháp",), (), dt.date(2022, 6, 30)),
        ("II.2", "Tự kiểm tra công tác cải cách hành chính", ("Thanh tra Sở",), (),
         ("Báo cáo kết quả kiểm tra",), dt.date(2022, 9, 30)),
        # a parenthesis that is not fields stays in the title
        ("II.3", "Tuyên truyền cải cách hành chính (trên Cổng thông tin điện tử của Sở)", (),
         (), (), None),
    ]


def test_word_auto_numbered_paragraphs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("SỞ GIÁO DỤC THỬ NGHIỆM", "KẾ HOẠCH", "Cải cách hành chính năm 2022",
                 "I. NHIỆM VỤ"):
        document.add_paragraph(text)
    document.add_paragraph("Rà soát thủ tục hành chính (Văn phòng Sở chủ trì; thời gian: Quý "
                           "II/2022)", style="List Number")
    document.add_paragraph("Kiểm tra nội bộ (Thanh tra Sở chủ trì; thời gian: Quý III/2022)",
                           style="List Number")
    document.add_paragraph("3. Số đã gõ tay không bị đánh số lại (Văn phòng Sở chủ trì)",
                           style="List Number")
    document.save(str(tmp_path / "numbered.docx"))
    plan = import_plan(tmp_path / "numbered.docx")
    assert [(t.code, t.lead, t.due) for t in plan.tasks] == [
        ("I.1", ("Văn phòng Sở",), dt.date(2022, 6, 30)),
        ("I.2", ("Thanh tra Sở",), dt.date(2022, 9, 30)),
        ("I.3", ("Văn phòng Sở",), None)]


def test_a_task_table_annexed_to_a_short_decision(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("UBND TỈNH THỬ NGHIỆM", "SỞ CÔNG THƯƠNG THỬ NGHIỆM", "Số: 45/QĐ-SCT",
                 "Thử Nghiệm, ngày 28 tháng 12 năm 2021", "QUYẾT ĐỊNH",
                 "Về việc ban hành Kế hoạch cải cách hành chính năm 2022",
                 "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;",
                 "Căn cứ Quyết định số 12/2018/QĐ-UBND ngày 10/5/2018 của UBND tỉnh;",
                 "QUYẾT ĐỊNH:", "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách "
                 "hành chính năm 2022 của Sở.", "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
                 "KẾ HOẠCH", "Cải cách hành chính năm 2022",
                 "(Kèm theo Quyết định số 45/QĐ-SCT ngày 28/12/2021)"):
        document.add_paragraph(text)
    rows = [("1", "Ban hành kế hoạch tuyên truyền CCHC", "Văn phòng Sở", "", "Kế hoạch",
             "Quý I/2022"),
            ("2", "Rà soát quy trình nội bộ", "Phòng Quản lý thương mại", "Văn phòng Sở",
             "Báo cáo", "Quý III/2022")]
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.save(str(tmp_path / "qd.docx"))
    parsed = read_plan(tmp_path / "qd.docx")
    assert (parsed.plan.year, parsed.year_basis) == (2022, "title")
    assert [(t.code, t.lead, t.due) for t in parsed.plan.tasks] == [
        ("1", ("Văn phòng Sở",), dt.date(2022, 3, 31)),
        ("2", ("Phòng Quản lý thương mại",), dt.date(2022, 9, 30))]


def test_no_task_part_at_all_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "objectives_only.txt"
    path.write_text("KẾ HOẠCH\nCải cách hành chính năm 2022\n1. Mục đích\nNâng cao hiệu quả.\n"
                    "2. Mục tiêu\n2.1. Đạt trên 90%.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no task found"):
        import_plan(path)
