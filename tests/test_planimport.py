"""The importer: the seed, another department's prose plan, a .docx table plan, re-import."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core.errors import InputError
from parindex.plan.importer import import_plan
from parindex.plan.lines import logical_lines
from parindex.plan.lint import lint_plan
from parindex.plan.merge import merge_plans
from parindex.plan.model import Plan, dump_plan, load_plan
from parindex.plan.units import UnitRegistry, load_units

from .conftest import FIXTURES
from .plan_material import ROMAN_ROWS, seed_path, write_prose_plan, write_table_plan

PLAN_FIX = FIXTURES / "plan"
SEED = seed_path()

SEED_CODES = [
    "II.1.a", "II.1.b", "II.1.c", "II.1.d", "II.1.đ",
    "II.2.a", "II.2.b", "II.2.c", "II.2.d", "II.2.đ", "II.2.e", "II.2.g", "II.2.h", "II.2.i",
    "II.2.k", "II.2.l",
    "II.3.a", "II.3.b", "II.3.c", "II.3.d", "II.3.đ",
    "II.4.a", "II.4.b", "II.4.d",
    "II.5.a", "II.5.b",
    "II.6.1", "II.6.2.a", "II.6.2.b", "II.6.3.a", "II.6.3.b", "II.6.4",
    "II.7.b", "II.7.b-2",
]


def registry(name: str) -> UnitRegistry:
    return load_units(FIXTURES / "plan" / name)


@pytest.fixture(scope="module")
def seed() -> Plan:
    return import_plan(SEED, registry("units_so_khcn.yaml"))


def test_seed_every_task_of_sections_ii_1_to_ii_7(seed: Plan) -> None:
    assert [t.code for t in seed.tasks] == SEED_CODES
    assert seed.year == 2021
    assert [s.code for s in seed.sections] == ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6",
                                               "II.6.2", "II.6.3", "II.7"]


def test_seed_fields_wherever_written(seed: Plan) -> None:
    no_lead = {"II.2.h", "II.2.i", "II.4.d"}
    no_product = no_lead | {"II.6.3.a", "II.6.3.b"}
    for task in seed.tasks:
        assert bool(task.all_leads) == (task.code not in no_lead), task.code
        assert bool(task.products) == (task.code not in no_product), task.code
        assert (task.timeframe is not None) == (task.code not in no_lead), task.code
        if task.code not in no_lead:
            assert task.all_coordinating, task.code
        for name in (*task.all_leads, *task.all_coordinating):
            assert seed.resolve(name) is not None, (task.code, name)
        if task.timeframe is not None:
            assert task.timeframe.unparsed == (), task.code


def test_seed_no_line_breaks_or_double_spaces_in_text(seed: Plan) -> None:
    texts = [t.title for t in seed.tasks] + [p for t in seed.tasks for p in t.products]
    texts += [t.timeframe.text for t in seed.tasks if t.timeframe]
    for text in texts:
        assert "\n" not in text and "  " not in text and text == text.strip()
    assert seed.task("II.1.b").title == (
        "Xây dựng, tham mưu ban hành văn bản quy phạm pháp luật theo đúng quy định của pháp luật")


def test_seed_units_split_on_registry_names(seed: Plan) -> None:
    e = seed.task("II.2.e")
    assert e.lead == ("Văn phòng Sở", "Chi cục Tiêu chuẩn Đo lường Chất lượng",
                      "Trung tâm Ứng dụng và Dịch vụ KHCN")
    assert e.coordinating == ("Các phòng, đơn vị thuộc Sở",)
    assert seed.task("II.3.d").coordinating == ("Văn phòng Sở",
                                                "Các phòng, đơn vị thuộc Sở có liên quan")
    assert seed.resolve("Các phòng, đơn vị thuộc Sở").kind == "group"  # type: ignore[union-attr]
    lead = seed.task("II.1.đ").lead
    assert len(lead) == 1 and seed.resolve(lead[0]).id == "to-cong-tac-kiem-tra"  # type: ignore[union-attr]


def test_seed_activities_of_2g(seed: Plan) -> None:
    g = seed.task("II.2.g")
    assert g.lead == ()
    assert [a.title for a in g.activities] == [
        "Niêm yết bảng thông báo hướng dẫn tiếp nhận phản ánh, kiến nghị về quy định hành chính "
        "tại trụ sở của Sở và các đơn vị thuộc Sở về tiếp nhận, giải quyết TTHC",
        "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức đối với TTHC",
    ]
    assert all(len(a.lead) == 3 and a.coordinating == ("Các phòng, đơn vị thuộc Sở",)
               for a in g.activities)
    assert len(g.products) == 2 and g.timeframe is not None


def test_seed_plus_field_without_activity_goes_to_task(seed: Plan) -> None:
    tf = seed.task("II.6.2.b").timeframe
    assert tf is not None and tf.external == ("Theo kế hoạch được phê duyệt",)


def test_seed_timeframes(seed: Plan) -> None:
    tf61 = seed.task("II.6.1").timeframe
    assert tf61 is not None and [d.due for d in tf61.deadlines] == [dt.date(2020, 12, 31)]
    assert tf61.ongoing is not None and tf61.ongoing.end == dt.date(2021, 12, 31)
    tf = seed.task("II.6.2.a").timeframe
    assert tf is not None and (tf.deadlines[0].start, tf.deadlines[0].due) == (
        dt.date(2021, 1, 1), dt.date(2021, 9, 30))
    assert seed.task("II.2.l").due == dt.date(2021, 12, 5)
    assert seed.task("II.7.b").due == dt.date(2020, 12, 31)
    assert seed.task("II.7.b-2").due is None


def test_seed_reporting_schedule_as_written(seed: Plan) -> None:
    assert [(r.id, r.due) for r in seed.reports] == [
        ("quy-1", dt.date(2020, 3, 3)), ("6-thang", dt.date(2020, 6, 3)),
        ("quy-3", dt.date(2020, 9, 3)), ("nam", dt.date(2020, 11, 25))]
    assert seed.reports[0].timeframe.text == "Trước ngày 03/3/2020."


def test_logical_lines_join_broken_lines_and_drop_blanks() -> None:
    text = " a) Xây dựng kế hoạch \n\n kiểm tra năm 2021: \n\n- Sản phẩm: Kế hoạch \n\n của Sở. \n"
    assert [t for _, t in logical_lines(text)] == [
        "a) Xây dựng kế hoạch kiểm tra năm 2021:", "- Sản phẩm: Kế hoạch của Sở."]


def test_logical_lines_bare_numbers_page_numbers_and_dashes_inside_names() -> None:
    text = ("II. NHIỆM VỤ\n1.\n Cải cách thể chế\na) Rà soát văn bản\n\n 3 \n\n của Sở:\n"
            "- Đơn vị phối hợp: Phòng Kế hoạch\n- Tài chính.\n"
            "- Đơn vị chủ trì: Phòng Kế hoạch \n- \nTài chính.\n")
    assert [t for _, t in logical_lines(text)] == [
        "II. NHIỆM VỤ", "1. Cải cách thể chế", "a) Rà soát văn bản của Sở:",
        "- Đơn vị phối hợp: Phòng Kế hoạch - Tài chính.",
        "- Đơn vị chủ trì: Phòng Kế hoạch - Tài chính."]


def test_other_department_other_numbering_and_wording() -> None:
    plan = import_plan(PLAN_FIX / "other_department_so_tu_phap.txt",
                       registry("units_so_tu_phap.yaml"))
    assert (plan.issuer, plan.number, plan.date, plan.year) == (
        "Sở Tư pháp", "245/KH-STP", dt.date(2020, 12, 28), 2021)
    assert plan.title == "Kế hoạch cải cách hành chính năm 2021 của Sở Tư pháp"
    assert [t.code for t in plan.tasks] == ["II.1.1", "II.1.2", "II.2.1", "II.2.3", "II.3.1",
                                            "II.3.2"]
    first = plan.task("II.1.1")
    assert first.lead == ("Phòng Xây dựng và Kiểm tra văn bản",)
    assert first.coordinating == ("Văn phòng Sở", "Các phòng, đơn vị có liên quan")
    assert first.products == ("Quyết định của UBND tỉnh",)
    assert first.due == dt.date(2021, 6, 30)
    assert plan.task("II.2.1").coordinating == ("Phòng Hành chính tư pháp",
                                                "Phòng Bổ trợ tư pháp")
    assert plan.task("II.1.2").products == ("Báo cáo kết quả kiểm tra",
                                            "văn bản kiến nghị xử lý")
    assert plan.task("II.1.2").timeframe.periodic  # type: ignore[union-attr]
    assert plan.task("II.3.1").timeframe.deadlines[0].start == dt.date(2021, 4, 1)  # type: ignore[union-attr]
    assert plan.task("II.2.3").timeframe.unparsed == ("Sau khi có ý kiến của lãnh đạo",)  # type: ignore[union-attr]
    assert plan.resolve("Ban Pháp chế HĐND tỉnh") is None
    assert [(r.id, r.due) for r in plan.reports] == [
        ("quy-1", dt.date(2021, 3, 15)), ("6-thang", dt.date(2021, 6, 15)),
        ("quy-3", dt.date(2021, 9, 15)), ("nam", dt.date(2021, 11, 15))]


def test_docx_table_layout(tmp_path: Path) -> None:
    plan = import_plan(write_table_plan(tmp_path / "ke-hoach.docx"))
    assert (plan.issuer, plan.number, plan.date) == ("Sở Xây dựng", "12/KH-SXD",
                                                     dt.date(2021, 1, 5))
    assert [t.code for t in plan.tasks] == ["II.1.1", "II.1.2", "II.2.1"]
    assert [s.code for s in plan.sections] == ["II.1", "II.2"]
    t = plan.task("II.1.1")
    assert t.title == "Rà soát văn bản quy phạm pháp luật do Sở tham mưu"
    assert t.lead == ("Thanh tra Sở",)
    assert t.coordinating == ("Văn phòng Sở", "Các phòng, đơn vị thuộc Sở")
    assert t.due == dt.date(2021, 6, 30)
    assert plan.task("II.1.2").products == ("Kế hoạch", "báo cáo")
    assert plan.task("II.2.1").products == ()
    assert [(r.id, r.due) for r in plan.reports] == [("quy-1", dt.date(2021, 3, 10)),
                                                     ("nam", dt.date(2021, 11, 20))]


def test_docx_prose_layout(tmp_path: Path) -> None:
    lines = ["II. NHIỆM VỤ", "1. Cải cách thủ tục hành chính",
             "a) Niêm yết công khai TTHC:", "- Đơn vị chủ trì: Văn phòng Sở.",
             "- Sản phẩm: TTHC được niêm yết.", "- Thời gian thực hiện: Quý I/2021."]
    plan = import_plan(write_prose_plan(tmp_path / "p.docx", lines))
    assert [(t.code, t.lead, t.due) for t in plan.tasks] == [
        ("II.1.a", ("Văn phòng Sở",), dt.date(2021, 3, 31))]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.pdf", b"%PDF", "unsupported file type"),
    ("no_tasks.txt", "Chỉ có một đoạn văn năm 2021.".encode(), "no task found"),
    ("no_year.txt", "II. NHIỆM VỤ\n1. Việc\n- Sản phẩm: X\n".encode(), "cannot tell the plan"),
    ("bad.docx", b"not a zip", "not a readable .docx"),
])
def test_unusable_input_raises_input_error(tmp_path: Path, name: str, content: bytes,
                                           message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        import_plan(path)
    assert message in str(err.value)


def test_merge_keeps_curation_and_reports_changes() -> None:
    example = load_plan(Path(__file__).parent.parent / "evidence" / "so-khcn-quang-ngai-2021"
                        / "plan.yaml")
    fresh = import_plan(SEED, example.units)
    result = merge_plans(example, fresh)
    merged = result.plan
    assert [t.code for t in merged.tasks] == SEED_CODES
    for code in SEED_CODES:
        old, new = example.task(code), merged.task(code)
        assert (new.serves, new.status, new.completed, new.evidence) == (
            old.serves, old.status, old.completed, old.evidence)
    # fields filled in where the document is silent, and corrected readings, are kept
    assert result.changed == () and result.added == () and result.removed == ()
    assert merged.task("II.2.h").lead == example.task("II.2.h").lead
    assert merged.task("II.6.2.b").due == dt.date(2021, 10, 31)
    assert merged.completion() == example.completion()


def test_merge_reports_changed_added_removed_tasks() -> None:
    example = load_plan(Path(__file__).parent.parent / "evidence" / "so-khcn-quang-ngai-2021"
                        / "plan.yaml")
    fresh = import_plan(SEED, example.units)
    tasks = [t for t in fresh.tasks if t.code != "II.1.a"]
    tasks[0] = tasks[0].model_copy(update={"title": "Tiêu đề mới"})
    tasks.append(tasks[-1].model_copy(update={"code": "II.7.c", "label": "c)"}))
    result = merge_plans(example, fresh.model_copy(update={"tasks": tuple(tasks)}))
    assert (result.changed, result.added, result.removed) == (("II.1.b",), ("II.7.c",),
                                                              ("II.1.a",))
    assert result.plan.task("II.1.b").title == "Tiêu đề mới"
    assert result.plan.task("II.1.b").status == example.task("II.1.b").status
    assert [r.sent for r in result.plan.reports] == [r.sent for r in example.reports]
    assert result.plan.issuer == example.issuer and result.plan.example


# -- property: any well-formed prose plan, however the PDF broke its lines, imports intact ------

_WORDS = ("xây dựng", "kế hoạch", "kiểm tra", "thủ tục", "hành chính", "rà soát", "công khai",
          "báo cáo", "đào tạo", "bồi dưỡng", "niêm yết", "tổ chức", "năm 2021", "TTHC")
_UNITS = ("Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính",
          "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Ứng dụng và Dịch vụ KHCN")
_TIMES = ("Quý I/2021", "Quý II - IV/2021", "Tháng 9/2021", "Thường xuyên trong năm",
          "Trước ngày 30/6/2021", "Theo kế hoạch của Sở Nội vụ")
_LETTERS = "abcdđeghik"

_title = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=12).map(
    lambda ws: (ws[0][0].upper() + ws[0][1:] + " " + " ".join(ws[1:])).strip())
_task = st.tuples(_title, st.lists(st.sampled_from(_UNITS), min_size=1, max_size=3, unique=True),
                  st.lists(st.sampled_from(_UNITS), max_size=2, unique=True), _title,
                  st.sampled_from(_TIMES))
_plan = st.lists(st.tuples(_title, st.lists(_task, min_size=1, max_size=4)), min_size=1,
                 max_size=4)


def _broken(text: str, cuts: list[int]) -> list[str]:
    """Cut a logical line where a PDF would, with blank lines and page-break spaces."""
    words = text.split(" ")
    out, start = [], 0
    for c in sorted({c % len(words) for c in cuts} - {0}):
        out.append(" ".join(words[start:c]) + " ")
        start = c
    out.append(" ".join(words[start:]))
    return [p for line in out for p in (line, "", " ")][:-2]


@given(_plan, st.lists(st.integers(min_value=1, max_value=30), max_size=3))
@settings(max_examples=40, deadline=None)
def test_any_well_formed_prose_plan_imports_intact(
        sections: list[tuple[str, list[tuple[str, list[str], list[str], str, str]]]],
        cuts: list[int]) -> None:
    lines = ["I. MỤC ĐÍCH, YÊU CẦU", "- Hoàn thành kế hoạch năm 2021.", "II. NHIỆM VỤ CỤ THỂ"]
    for s, (stitle, tasks) in enumerate(sections, start=1):
        lines += _broken(f"{s}. {stitle}", cuts)
        for t, (title, lead, coord, product, when) in enumerate(tasks):
            lines += _broken(f"{_LETTERS[t]}) {title}:", cuts)
            lines += _broken(f"- Đơn vị chủ trì thực hiện: {'; '.join(lead)}.", cuts)
            if coord:
                lines.append(f"- Đơn vị phối hợp: {', '.join(coord)}.")
            lines += _broken(f"- Sản phẩm: {product}.", cuts)
            lines.append(f"- Thời gian thực hiện: {when}.")
    path = Path(tempfile.mkdtemp()) / "plan.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    plan = import_plan(path, registry("units_so_khcn.yaml"), year=2021)
    expected = [(f"II.{s}.{_LETTERS[t]}", title, tuple(lead), tuple(coord), (product,), when)
                for s, (_, tasks) in enumerate(sections, start=1)
                for t, (title, lead, coord, product, when) in enumerate(tasks)]
    got = [(t.code, t.title, t.lead, t.coordinating, t.products,
            t.timeframe.text.rstrip(".") if t.timeframe else None) for t in plan.tasks]
    assert got == expected
    assert lint_plan(plan).findings == ()
    again = path.with_name("plan.yaml")
    again.write_text(dump_plan(plan), encoding="utf-8")
    assert load_plan(again) == plan


def test_tasks_numbered_right_under_the_part(tmp_path: Path) -> None:
    path = tmp_path / "plan_tasks_under_part.txt"
    path.write_text("II. NHIỆM VỤ NĂM 2021\n1. Ban hành kế hoạch kiểm tra\n- Đơn vị chủ trì: "
                    "Thanh tra Sở.\n- Sản phẩm: Kế hoạch.\n- Thời gian thực hiện: Quý I/2021.\n"
                    "3. Tổ chức đối thoại\n- Đơn vị chủ trì: Văn phòng Sở.\n- Sản phẩm: Báo cáo."
                    "\n- Thời gian thực hiện: Quý III/2021.\n", encoding="utf-8")
    plan = import_plan(path, registry("units_so_khcn.yaml"))
    assert [(t.code, t.section) for t in plan.tasks] == [("II.1", "II"), ("II.3", "II")]
    assert [s.code for s in plan.sections] == ["II"]
    assert [(f.code, f.task) for f in lint_plan(plan).findings] == [
        ("plan-numbering-gap", "II.2")]


def test_committed_seed_is_the_shared_seed() -> None:
    from .conftest import SEED_PLAN

    if not SEED_PLAN.is_file():
        pytest.skip("shared/seed is not beside this checkout")
    assert SEED.read_bytes() == SEED_PLAN.read_bytes()


def test_a_later_solutions_part_is_not_read_as_tasks(tmp_path: Path) -> None:
    path = tmp_path / "plan_with_solutions_part.txt"
    path.write_text("II. NHIỆM VỤ TRỌNG TÂM\n1. Ban hành kế hoạch\n- Đơn vị chủ trì: Văn phòng "
                    "Sở.\n- Sản phẩm: Kế hoạch.\n- Thời gian thực hiện: Quý I/2021.\n"
                    "III. GIẢI PHÁP THỰC HIỆN\n1. Tăng cường sự chỉ đạo của lãnh đạo Sở.\n"
                    "2. Nâng cao trách nhiệm người đứng đầu.\n", encoding="utf-8")
    plan = import_plan(path, registry("units_so_khcn.yaml"))
    assert [t.code for t in plan.tasks] == ["II.1"]


def test_docx_table_with_roman_areas_and_restarting_numbers(tmp_path: Path) -> None:
    plan = import_plan(write_table_plan(tmp_path / "k.docx", ROMAN_ROWS),
                       registry("units_so_khcn.yaml"))
    assert [(t.code, t.section, t.lead) for t in plan.tasks] == [
        ("I.1", "I", ("Văn phòng Sở",)), ("I.2", "I", ("Thanh tra Sở",)),
        ("II.1", "II", ("Văn phòng Sở",))]
    assert [(s.code, s.title) for s in plan.sections] == [
        ("I", "CẢI CÁCH THỂ CHẾ"), ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH")]
    assert [r.id for r in plan.reports] == ["quy-1", "nam"]
    assert lint_plan(plan).findings == ()
