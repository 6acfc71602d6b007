"""The evidence register: YAML and Excel, both lossless; errors name file, line and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core.errors import InputError
from parindex.evidence.register import (
    SHEET_COLUMNS,
    Draft,
    EvidenceDocument,
    EvidenceFile,
    Proof,
    Register,
    dump_register,
    load_register,
    register_from_xlsx,
    register_of,
    register_to_xlsx,
)
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE


def test_example_register_loads() -> None:
    reg = register_of(load_dossier(EXAMPLE))
    assert len(reg.documents) == 37
    plan = reg.by_id()["kh-cchc-2021"]
    assert plan.number == "210/KH-SKHCN"
    assert plan.date == dt.date(2020, 12, 28)
    assert plan.proves == (Proof(item="1.1.1"), Proof(item="1.1.2", locator="Mục II, III"))
    assert plan.type_code() == "KH"
    assert reg.by_id()["cv-the-che-hoa-2021"].type_code() == "CV"
    assert reg.by_id()["anh-niem-yet-pakn-2021"].type_code() is None


def test_shorthands_and_text_codes(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text("documents:\n- id: a\n  files: [documents/a.pdf]\n  proves: [1.10, '2.1']\n"
                    "  tasks: [II.7.b]\n", encoding="utf-8")
    doc = load_register(path).documents[0]
    assert doc.files == (EvidenceFile(path="documents/a.pdf"),)
    assert doc.items == ("1.10", "2.1")  # 1.10 stays the code "1.10", not the number 1.1


def test_all_problems_with_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text("documents:\n- id: a\n  date: 2021-13-01\n- id: b\n  proves: [{item: x}]\n"
                    "  files: [{path: a.pdf, sha256: abc}]\n  pages: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_register(path)
    got = [(p.line, p.key) for p in exc.value.problems]
    assert got == [(3, "documents[0].date"), (6, "documents[1].files[0].sha256"),
                   (5, "documents[1].proves[0].item"), (7, "documents[1].pages")]


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text("documents:\n- id: a\n- id: a\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_register(path)
    assert str(exc.value.problems[0]).endswith("document id 'a' is used twice")


one_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                   min_size=1, max_size=20).filter(lambda s: s.strip() == s and s[0] != "=")
many_lines = st.lists(one_line, min_size=1, max_size=3).map("\n".join)
codes = st.lists(st.integers(1, 12), min_size=1, max_size=3).map(
    lambda xs: ".".join(map(str, xs)))
hashes = st.none() | st.text("0123456789abcdef", min_size=64, max_size=64)
documents = st.builds(
    EvidenceDocument,
    id=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True),
    number=st.none() | st.sampled_from(["15/KH-SKHCN", "908/QĐ-UBND", "x y"]),
    type=st.none() | one_line,
    date=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)),
    issuer=st.none() | one_line,
    subject=st.none() | many_lines,
    files=st.lists(st.builds(EvidenceFile, path=one_line, sha256=hashes), max_size=3)
    .map(tuple),
    proves=st.lists(st.builds(Proof, item=codes, locator=st.none() | one_line), max_size=3)
    .map(tuple),
    tasks=st.lists(one_line.filter(lambda s: "\n" not in s), max_size=2).map(tuple),
    note=st.none() | many_lines,
    draft=st.none() | st.builds(
        Draft,
        sources=st.dictionaries(st.from_regex(r"[a-z][a-z_ ]{0,8}", fullmatch=True)
                                .filter(lambda k: k != "ghi chú"), many_lines, max_size=3),
        proves=st.lists(codes, max_size=2).map(tuple),
        tasks=st.lists(one_line, max_size=2).map(tuple)),
)
registers = st.lists(documents, max_size=4, unique_by=lambda d: d.id).map(
    lambda ds: Register(documents=tuple(ds)))


@given(registers)
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_yaml_round_trip(tmp_path: Path, reg: Register) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(dump_register(reg), encoding="utf-8")
    assert load_register(path) == reg


@given(registers)
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_xlsx_round_trip(tmp_path: Path, reg: Register) -> None:
    path = tmp_path / "register.xlsx"
    register_to_xlsx(reg, path, force=True)  # one path, many examples
    assert register_from_xlsx(path) == reg


def test_example_round_trips_through_excel(tmp_path: Path) -> None:
    reg = register_of(load_dossier(EXAMPLE))
    register_to_xlsx(reg, tmp_path / "so.xlsx")
    assert register_from_xlsx(tmp_path / "so.xlsx") == reg


def test_sheet_has_vietnamese_headings_and_one_row_per_document(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    reg = Register(documents=(EvidenceDocument(
        id="kh", number="15/KH-SKHCN", date=dt.date(2021, 3, 15),
        files=(EvidenceFile(path="documents/a.pdf"), EvidenceFile(path="documents/b.pdf",
                                                                  sha256="a" * 64)),
        proves=(Proof(item="1.1.1", locator="Mục II"), Proof(item="1.2"))),))
    register_to_xlsx(reg, tmp_path / "so.xlsx")
    ws = load_workbook(tmp_path / "so.xlsx").active
    assert [c.value for c in ws[1]] == [label for _, label in SHEET_COLUMNS]
    row = [c.value for c in ws[2]]
    assert row[:2] == ["kh", "15/KH-SKHCN"]
    assert row[3] == dt.datetime(2021, 3, 15)
    assert row[6:9] == ["documents/a.pdf\ndocuments/b.pdf", "-\n" + "a" * 64,
                        "1.1.1: Mục II\n1.2"]
    assert ws.max_row == 2


def test_hand_typed_sheet_dates_and_bad_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Mã tài liệu", "Ngày ban hành", "Tệp", "SHA-256", "Chứng minh tiêu chí"])
    ws.append(["kh", "15/3/2021", "a.pdf", None, "1.1.1"])
    ws.append([None, None, None, None, None])
    ws.append(["bc", "ngày mai", "a.pdf\nb.pdf", "-", "x"])
    wb.save(tmp_path / "so.xlsx")
    with pytest.raises(InputError) as exc:
        register_from_xlsx(tmp_path / "so.xlsx")
    # every problem of the sheet in one pass: the date that is not one, and the hashes
    assert [(p.line, p.key) for p in exc.value.problems] == [(4, "Ngày ban hành"),
                                                             (4, "SHA-256")]
    ws.delete_rows(4)
    wb.save(tmp_path / "so.xlsx")
    reg = register_from_xlsx(tmp_path / "so.xlsx")
    assert reg.documents[0].date == dt.date(2021, 3, 15)


def test_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "so.xlsx").write_text("không phải Excel", encoding="utf-8")
    with pytest.raises(InputError, match="not an Excel workbook"):
        register_from_xlsx(tmp_path / "so.xlsx")


def test_cache_gives_the_same_register(tmp_path: Path) -> None:
    import shutil

    from parindex.evidence.cache import cache_folder

    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    dossier = load_dossier(folder)
    first = register_of(dossier, cache=True)
    assert (cache_folder(folder) / "register.json").is_file()
    assert not (folder / ".parindex-cache").exists()  # nothing written into the dossier
    assert register_of(dossier, cache=True) == first == register_of(dossier)
    text = (folder / "register.yaml").read_text(encoding="utf-8")
    (folder / "register.yaml").write_text(text.replace("210/KH-SKHCN", "211/KH-SKHCN"),
                                          encoding="utf-8")
    assert register_of(dossier, cache=True).by_id()["kh-cchc-2021"].number == \
        "211/KH-SKHCN"


DRAFTED = EvidenceDocument(
    id="qd-1250", number="1250/QĐ-UBND", date=dt.date(2021, 8, 30),
    files=(EvidenceFile(path="documents/qd-1250.pdf"),),
    draft=Draft(sources={"number": "dòng 3 của documents/qd-1250.pdf: “Số: 1250/QĐ-UBND”; "
                                   "độ tin cậy: chắc chắn",
                         "date": "dòng 4\nOCR"},
                proves=("1.1.1", "3.2"), tasks=("II.7.b",)))


def test_a_drafted_entry_stays_a_draft_through_excel(tmp_path: Path) -> None:
    # the sheet used to drop draft:, so an entry nobody had checked came back confirmed
    register_to_xlsx(Register(documents=(DRAFTED,)), tmp_path / "so.xlsx")
    from openpyxl import load_workbook

    cell = load_workbook(tmp_path / "so.xlsx").active.cell(2, len(SHEET_COLUMNS)).value
    assert cell == ("Chưa xác nhận\n"
                    "number: dòng 3 của documents/qd-1250.pdf: “Số: 1250/QĐ-UBND”; độ tin cậy: "
                    "chắc chắn\ndate: dòng 4\n  OCR\n"
                    "gợi ý tiêu chí: 1.1.1\ngợi ý tiêu chí: 3.2\ngợi ý nhiệm vụ: II.7.b")
    assert register_from_xlsx(tmp_path / "so.xlsx").documents == (DRAFTED,)


def _sheet_with_draft_cell(tmp_path: Path, text: str | None) -> Path:
    from openpyxl import load_workbook

    register_to_xlsx(Register(documents=(DRAFTED,)), tmp_path / "so.xlsx")
    wb = load_workbook(tmp_path / "so.xlsx")
    wb.active.cell(2, len(SHEET_COLUMNS)).value = text
    wb.save(tmp_path / "so.xlsx")
    return tmp_path / "so.xlsx"


def test_clearing_the_draft_cell_confirms_the_entry(tmp_path: Path) -> None:
    doc = register_from_xlsx(_sheet_with_draft_cell(tmp_path, None)).documents[0]
    assert doc.draft is None and doc.number == "1250/QĐ-UBND"


def test_any_text_typed_in_the_draft_cell_keeps_the_entry_a_draft(tmp_path: Path) -> None:
    doc = register_from_xlsx(_sheet_with_draft_cell(tmp_path, "xem lại số")).documents[0]
    assert doc.draft == Draft(sources={"ghi chú": "xem lại số"})
