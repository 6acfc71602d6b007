"""The pre-submission check: one fixture dossier per finding code, the example's planted
problems, and nothing else."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core.errors import InputError
from parindex.core.findings import CATALOGUE, COLUMNS, Report
from parindex.evidence.check import CHECK_KINDS, check, check_dossier
from parindex.evidence.register import Register
from parindex.scoring.dossier import Dossier, load_dossier

from .conftest import EXAMPLE, FIXTURES
from .relative_material import relative_deadline_dossier

CHECK = FIXTURES / "check"
AS_OF = dt.date(2022, 1, 15)
FIXTURE_CODES = sorted(p.name for p in CHECK.iterdir() if p.is_dir() and p.name != "clean")


def codes(folder: Path, **kw: object) -> list[str]:
    return [f.code for f in check_dossier(folder, as_of=AS_OF, cache=False,  # type: ignore[arg-type]
                                          **kw).findings]


def test_clean_dossier_gives_no_finding() -> None:
    report = check_dossier(CHECK / "clean", as_of=AS_OF, cache=False)
    assert report.findings == ()
    assert report.valid
    assert report.stats["documents"] == 2 and report.stats["items_proven"] == 3
    assert load_dossier(CHECK / "clean").plan is not None  # task codes are checked


@pytest.mark.parametrize("code", FIXTURE_CODES)
def test_each_fixture_gives_its_code_and_nothing_else(code: str) -> None:
    assert codes(CHECK / code) == [code]


def test_every_finding_kind_has_a_fixture() -> None:
    assert {k.code for k in CHECK_KINDS} == set(FIXTURE_CODES)
    assert all(CATALOGUE[k.code] == k for k in CHECK_KINDS)


def test_codes_are_kebab_case_with_vietnamese_text() -> None:
    for kind in CHECK_KINDS:
        assert kind.code == kind.code.lower() and " " not in kind.code
        assert kind.severity in ("error", "warning", "info")
        assert any(ch in kind.title + kind.hint for ch in "ăâđêôơưạảấầẩậếềệịọốồộớờụứừự")


EXAMPLE_FINDINGS = [
    ("error", "missing-evidence", "6.4", None, None),
    ("error", "late-evidence-scored-on-time", "7.1.1", "kh-ung-dung-cntt-2021", None),
    ("error", "number-mismatch", None, "bc-doi-thoai-lan-1-2021",
     "documents/bc-doi-thoai-lan-1-2021.pdf"),
    ("warning", "late-evidence", None, "bc-kiem-tra-iso-2021", None),
    ("warning", "unregistered-file", None, None, "documents/bc-cchc-quy-1-du-thao.docx"),
    ("info", "evidence-file-scanned", None, "qd-vi-tri-viec-lam-2021",
     "documents/qd-vi-tri-viec-lam-2021.pdf"),
]


def test_example_lists_exactly_the_planted_problems() -> None:
    report = check_dossier(EXAMPLE, as_of=AS_OF, cache=False)
    got = [(f.severity, f.code, f.item, f.document, f.file) for f in report.findings]
    assert got == EXAMPLE_FINDINGS
    assert not report.valid
    assert report.counts == {"error": 3, "warning": 2, "info": 1}
    messages = {f.code: f.message for f in report.findings}
    assert messages["number-mismatch"] == "Sổ ghi 170/BC-SKHCN, văn bản ghi 107/BC-SKHCN."
    assert messages["late-evidence-scored-on-time"] == (
        "Văn bản ngày 12/01/2021, sau thời hạn 31/12/2020 của tiêu chí 7.1.1, nhưng tự chấm là "
        "kịp thời.")


def test_planted_list_matches_the_sample_script(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_samples", EXAMPLE / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_samples", module)
    spec.loader.exec_module(module)
    assert sorted(code for code, _, _ in module.PLANTED) == sorted(
        code for _, code, *_ in EXAMPLE_FINDINGS)
    readme = (EXAMPLE / "documents" / "README.md").read_text(encoding="utf-8")
    assert "TÀI LIỆU MẪU" in readme
    assert all(f"`{code}`" in readme for _, code, *_ in EXAMPLE_FINDINGS)


@pytest.mark.parametrize(("code", "message", "where"), [
    ("number-mismatch", "Sổ ghi 15/KH-STN, văn bản ghi 51/KH-STN.",
     {"document": "ke-hoach", "file": "documents/ke-hoach.docx"}),
    ("date-mismatch", "Sổ ghi ngày 10/02/2021, văn bản ghi ngày 01/02/2021.",
     {"document": "ke-hoach"}),
    ("late-evidence", "Văn bản ngày 10/04/2021, sau thời hạn 31/03/2021 của tiêu chí 1.1.1.",
     {"item": "1.1.1"}),
    ("document-type-mismatch", "Sổ ghi loại 'Báo cáo' nhưng số ký hiệu 15/KH-STN mang mã loại "
     "KH (Kế hoạch).", {}),
    ("unexpected-document-type", "Văn bản loại TB chứng minh 1.1.1, tiêu chí yêu cầu KH, QĐ.",
     {"item": "1.1.1"}),
    ("document-outside-year", "Văn bản ngày 15/06/2020, ngoài thời kỳ đánh giá 01/01/2021 – "
     "31/12/2021.", {}),
    ("document-dated-in-future", "Ngày ban hành 01/02/2022 sau ngày kiểm tra 15/01/2022.", {}),
    ("self-score-mismatch", "Điểm tự chấm 0,5 nhưng số liệu đã nhập cho 1 điểm theo cách chấm.",
     {"item": "1.1.1"}),
    ("survey-item-self-scored", "2.1 (Mức độ hài lòng) được chấm bằng điều tra xã hội học, "
     "đơn vị không tự chấm.", {"item": "2.1"}),
    ("path-outside-dossier", "../ke-hoach.docx: đường dẫn có '../'.", {"file": "../ke-hoach.docx"}),
    ("evidence-file-missing", "Không có tệp documents/ke-hoach.docx.", {}),
    ("unknown-item", "Mã tiêu chí 1.3 không có trong bộ tiêu chí fixture-check.", {"item": "1.3"}),
    ("unknown-item-input", "Mã 1.9 không có trong bộ tiêu chí fixture-check.", {"item": "1.9"}),
    ("unknown-task", "Nhiệm vụ II.9.z không có trong kế hoạch CCHC.",
     {"task": "II.9.z", "document": "ke-hoach"}),
    ("plan-evidence-not-registered", "Nhiệm vụ II.7.b ghi tài liệu kiểm chứng 'bien-ban-hop', "
     "sổ không có mục này.", {"task": "II.7.b", "document": "bien-ban-hop"}),
])
def test_messages(code: str, message: str, where: dict[str, str]) -> None:
    (finding,) = check_dossier(CHECK / code, as_of=AS_OF, cache=False).findings
    assert finding.message == message
    assert finding.hint == CATALOGUE[code].hint
    for key, value in where.items():
        assert getattr(finding, key) == value


def _copy(tmp_path: Path, name: str = "clean") -> Path:
    folder = tmp_path / name
    shutil.copytree(CHECK / name, folder)
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    return folder


def _set_path(folder: Path, old: str, new: str) -> None:
    reg = folder / "register.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_symlink_out_of_the_dossier(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    outside = tmp_path / "secret.docx"
    shutil.move(folder / "documents" / "ke-hoach.docx", outside)
    (folder / "documents" / "ke-hoach.docx").symlink_to(outside)
    report = check_dossier(folder, as_of=AS_OF, cache=False)
    assert [(f.code, f.message) for f in report.findings] == [
        ("path-outside-dossier", "documents/ke-hoach.docx: liên kết tắt (symlink) trỏ ra ngoài "
         "hồ sơ."),
        ("path-outside-dossier", "documents/ke-hoach.docx: liên kết tắt (symlink) trỏ ra ngoài "
         "hồ sơ."),
    ]  # once as registered, once as found in the folder; the file is never read


def test_symlink_inside_the_dossier_is_fine(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "scans").mkdir()
    shutil.move(folder / "documents" / "ke-hoach.docx", folder / "scans" / "ke-hoach.docx")
    (folder / "documents" / "ke-hoach.docx").symlink_to(folder / "scans" / "ke-hoach.docx")
    assert codes(folder) == []


@pytest.mark.parametrize("path", ["/etc/hostname", "C:\\hs\\ke-hoach.docx",
                                  "documents/../../ke-hoach.docx"])
def test_absolute_and_parent_paths(tmp_path: Path, path: str) -> None:
    folder = _copy(tmp_path)
    (folder / "documents" / "ke-hoach.docx").unlink()
    _set_path(folder, "documents/ke-hoach.docx", path)
    assert codes(folder) == ["path-outside-dossier"]


def test_items_due_later_need_no_evidence_yet(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "documents" / "ke-hoach.docx").unlink()
    reg = folder / "register.yaml"
    text = reg.read_text(encoding="utf-8")
    reg.write_text(text[:text.index("- id: ke-hoach")] + text[text.index("- id: bao-cao"):],
                   encoding="utf-8")
    assert codes(folder) == ["missing-evidence", "plan-evidence-not-registered"]
    early = check_dossier(folder, as_of=dt.date(2021, 3, 1), cache=False).findings
    assert [f.code for f in early] == ["document-dated-in-future",  # the year-end report
                                       "plan-evidence-not-registered"]


def test_a_document_may_prove_an_item_due_the_year_before(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    fw = tmp_path / "framework.yaml"
    fw.write_text(fw.read_text(encoding="utf-8").replace("deadline: 2021-03-31",
                                                         "deadline: 2020-12-31"),
                  encoding="utf-8")
    _set_path(folder, "date: '2021-02-10'", "date: '2020-12-20'")
    (folder / "documents" / "ke-hoach.docx").write_bytes(
        (CHECK / "late-evidence" / "documents" / "ke-hoach.docx").read_bytes())
    got = check_dossier(folder, as_of=AS_OF, cache=False).findings
    assert [f.code for f in got] == ["date-mismatch"]  # dated 2020: not outside the period


def test_a_task_deadline_makes_a_document_late(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("due: '2021-12-31'",
                                                             "due: '2021-02-01'"),
                    encoding="utf-8")
    (finding,) = check_dossier(folder, as_of=AS_OF, cache=False).findings
    assert (finding.code, finding.task, finding.item) == ("late-evidence", "II.7.b", None)
    assert finding.message == ("Văn bản ngày 10/02/2021, sau thời hạn 01/02/2021 của nhiệm vụ "
                               "II.7.b.")


def test_without_a_plan_task_codes_are_not_checked(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "unknown-task")
    (folder / "plan.yaml").unlink()
    assert codes(folder) == []


def test_warnings_alone_leave_the_dossier_valid() -> None:
    report = check_dossier(CHECK / "unregistered-file", as_of=AS_OF, cache=False)
    assert report.valid and report.counts == {"error": 0, "warning": 1, "info": 0}


def test_report_views() -> None:
    report = check_dossier(CHECK / "number-mismatch", as_of=AS_OF, cache=False)
    frame = report.to_frame()
    assert list(frame.columns) == list(COLUMNS)
    assert frame.loc[0, "code"] == "number-mismatch"
    data = report.to_dict()
    assert data["valid"] is False and data["findings"][0]["document"] == "ke-hoach"
    assert "number-mismatch" in report.summary()


def test_cached_recheck_gives_the_same_report(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "number-mismatch")
    first = check_dossier(folder, as_of=AS_OF)
    from parindex.evidence.cache import cache_folder

    assert (cache_folder(folder) / "files.json").is_file()
    assert check_dossier(folder, as_of=AS_OF) == first
    assert codes(folder) == ["number-mismatch"]  # the cache folder is not an unregistered file


def test_check_accepts_a_loaded_dossier_and_register() -> None:
    dossier = load_dossier(CHECK / "clean")
    report = check(dossier, as_of=AS_OF, cache=False, register=Register())
    assert sorted({f.code for f in report.findings}) == [
        "missing-evidence", "plan-evidence-not-registered", "unregistered-file"]


def test_unusable_register_raises_with_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "register.yaml").write_text("documents:\n- id: a\n  proves: [{itme: 1.1.1}]\n",
                                          encoding="utf-8")
    with pytest.raises(InputError) as exc:
        check_dossier(folder, as_of=AS_OF, cache=False)
    assert [(p.line, p.key) for p in exc.value.problems] == [
        (3, "documents[0].proves[0].item"), (3, "documents[0].proves[0].itme")]


@given(st.permutations(range(37)))
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_register_order_does_not_change_the_report(tmp_path_factory: pytest.TempPathFactory,
                                                   order: list[int]) -> None:
    dossier, reg, expected = _example_copy(tmp_path_factory)
    shuffled = Register(documents=tuple(reg.documents[i] for i in order))
    assert check(dossier, as_of=AS_OF, register=shuffled) == expected


_EXAMPLE_COPY: list[tuple[Dossier, Register, Report]] = []


def _example_copy(factory: pytest.TempPathFactory) -> tuple[Dossier, Register, Report]:
    """A copy of the example, its register and report, made once (its cache is then warm)."""
    if not _EXAMPLE_COPY:
        from parindex.evidence.register import register_of

        folder = factory.mktemp("example") / "dossier"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
        dossier = load_dossier(folder)
        reg = register_of(dossier)
        assert len(reg.documents) == 37
        _EXAMPLE_COPY.append((dossier, reg, check(dossier, as_of=AS_OF, register=reg)))
    return _EXAMPLE_COPY[0]


def test_a_deadline_counted_from_a_dated_reference_is_resolved_and_shown(
        tmp_path: Path) -> None:
    # the province's plan dated 01/12/2020: due 16/12/2020, so the 28/12/2020 plan is late
    folder = relative_deadline_dossier(
        tmp_path, "references:\n  ke-hoach-tinh: {date: 2020-12-01}\n")
    report = check_dossier(folder, as_of=dt.date(2022, 1, 15))
    resolved = [f for f in report.findings if f.code == "deadline-resolved"]
    assert [(f.item, f.message) for f in resolved] == [(
        "1.1.1", "Tiêu chí 1.1.1: hạn 16/12/2020 (15 ngày sau Kế hoạch CCHC năm 2021 của UBND "
        "tỉnh ngày 01/12/2020).")]
    late = [f for f in report.findings if f.code == "late-evidence-scored-on-time"
            and f.item == "1.1.1"]
    assert {f.document for f in late} == {"qd-ban-hanh-kh-cchc-2021", "kh-cchc-2021"}
    assert "sau thời hạn 16/12/2020 (15 ngày sau" in late[0].message


def test_a_reference_dated_by_a_register_document(tmp_path: Path) -> None:
    folder = relative_deadline_dossier(
        tmp_path, "references:\n  ke-hoach-tinh: {document: kh-cchc-2021, label: Kế hoạch}\n")
    report = check_dossier(folder, as_of=dt.date(2022, 1, 15))
    msg = next(f.message for f in report.findings if f.code == "deadline-resolved")
    assert msg == ("Tiêu chí 1.1.1: hạn 12/01/2021 (15 ngày sau Kế hoạch 210/KH-SKHCN ngày "
                   "28/12/2020).")


def test_a_reference_the_dossier_does_not_date_is_a_warning(tmp_path: Path) -> None:
    report = check_dossier(relative_deadline_dossier(tmp_path, ""), as_of=dt.date(2022, 1, 15))
    missing = [f for f in report.findings if f.code == "deadline-reference-missing"]
    assert [(f.item, f.severity) for f in missing] == [("1.1.1", "warning")]
    assert "ke-hoach-tinh" in missing[0].message
