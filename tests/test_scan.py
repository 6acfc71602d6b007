"""``parindex register scan``: register entries drafted from the documents themselves."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from parindex.evidence.check import check_dossier
from parindex.evidence.ocr import tesseract_available
from parindex.evidence.register import Register, load_register, save_register
from parindex.evidence.scan import scan_dossier

from .conftest import EXAMPLE
from .conftest import run_cli as run

AS_OF = dt.date(2022, 1, 15)


def _samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", EXAMPLE / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def emptied(tmp_path: Path) -> Path:
    """A copy of the example dossier whose register has no entry left."""
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    save_register(Register(), folder / "register.yaml")
    return folder


def test_drafts_back_number_type_and_date_of_every_text_layer_document(emptied: Path) -> None:
    result = scan_dossier(emptied, dry_run=True, ocr=False)
    by_file = {f.path: d for d in result.drafts for f in d.files}
    samples = [s for s in _samples().SAMPLES if s.fmt in ("pdf", "docx")]
    assert len(samples) == 36
    for s in samples:
        draft = by_file[s.file]
        # what the document says (the register of bc-doi-thoai-lan-1 is wrong on purpose)
        assert (draft.number, draft.type, draft.date) == (s.text_number or s.number, s.type,
                                                          s.date), s.id
        assert draft.subject == s.subject, s.id
        assert draft.draft is not None and "độ tin cậy: cao" in draft.draft.sources["number"]
    assert load_register(emptied / "register.yaml") == Register()  # dry run: nothing written


def test_issuer_spelled_as_the_dossier_unit_when_it_is_the_same_body(emptied: Path) -> None:
    drafts = {d.id: d for d in scan_dossier(emptied, dry_run=True, ocr=False).drafts}
    assert drafts["kh-cchc-2021"].issuer == "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
    assert drafts["kh-cchc-2021"].draft.sources["issuer"].endswith(  # type: ignore[union-attr]
        "độ tin cậy: trung bình")
    # not the unit: written from the upper-case heading, and said to be unsure
    chi_cuc = drafts["bc-dao-tao-iso-2021"]
    assert chi_cuc.issuer == "Chi cục tiêu chuẩn đo lường chất lượng tỉnh Quảng Ngãi"
    assert "độ tin cậy: thấp" in chi_cuc.draft.sources["issuer"]  # type: ignore[union-attr]


def test_suggestions_only_in_the_draft_block(emptied: Path) -> None:
    drafts = {d.id: d for d in scan_dossier(emptied, dry_run=True, ocr=False).drafts}
    doc = drafts["qd-tinh-gian-bien-che-2021"]
    assert doc.proves == () and doc.tasks == ()
    assert doc.draft is not None and doc.draft.proves == ("4.4",)
    assert doc.draft.tasks[0] == "II.3.đ"


def test_scan_without_ocr_lists_the_scan_as_unread_but_drafts_its_file(emptied: Path) -> None:
    result = scan_dossier(emptied, dry_run=True, ocr=False)
    unread = dict(result.unread)
    assert unread["documents/qd-vi-tri-viec-lam-2021.pdf"] == (
        "ảnh quét, không có lớp chữ (cần OCR)")
    draft = next(d for d in result.drafts if d.id == "qd-vi-tri-viec-lam-2021")
    assert draft.number is None and draft.files[0].sha256 is not None


@pytest.mark.skipif(not tesseract_available(),
                    reason="tesseract with the Vietnamese model (tesseract-ocr-vie) not installed")
def test_ocr_recovers_number_and_date_of_the_scanned_decision(emptied: Path) -> None:
    result = scan_dossier(emptied, dry_run=True, ocr=True)
    draft = next(d for d in result.drafts if d.id == "qd-vi-tri-viec-lam-2021")
    assert (draft.number, draft.type, draft.date) == ("1250/QĐ-UBND", "Quyết định",
                                                      dt.date(2021, 8, 30))
    assert draft.draft is not None
    assert draft.draft.sources["number"].startswith("OCR bản quét documents/qd-vi-tri")
    assert draft.draft.sources["number"].endswith("độ tin cậy: trung bình")


def test_drafts_are_appended_and_registered_entries_kept(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    before_text = (folder / "register.yaml").read_text(encoding="utf-8")
    before = load_register(folder / "register.yaml")
    result = scan_dossier(folder, ocr=False)
    assert [d.id for d in result.drafts] == ["bc-cchc-quy-1-du-thao"]
    assert result.written
    after_text = (folder / "register.yaml").read_text(encoding="utf-8")
    assert after_text.startswith(before_text.rstrip("\n"))  # comments and entries kept as is
    after = load_register(folder / "register.yaml")
    assert after.documents[:-1] == before.documents
    draft = after.documents[-1]
    assert (draft.number, draft.date) == ("38/BC-SKHCN", dt.date(2021, 3, 3))
    assert not list(folder.glob(".register.yaml*"))  # no temporary file left
    # a second scan finds nothing new, and the check says the draft is unconfirmed
    assert scan_dossier(folder, ocr=False).drafts == ()
    found = [(f.code, f.document) for f in check_dossier(folder, as_of=AS_OF, ocr=False,
                                                         cache=False).findings]
    assert ("unconfirmed-draft", "bc-cchc-quy-1-du-thao") in found
    assert ("unregistered-file", None) not in found


def test_files_of_one_document_are_grouped(emptied: Path) -> None:
    docs = emptied / "documents"
    (docs / "kh-cchc-2021-phu-luc.pdf").write_bytes(b"%PDF-1.4 broken appendix")
    shutil.copy(docs / "kh-cchc-2021.pdf", docs / "kh-cchc-2021-ban-ky-so.pdf")
    result = scan_dossier(emptied, dry_run=True, ocr=False)
    groups = {d.id: [f.path for f in d.files] for d in result.drafts}
    assert groups["kh-cchc-2021"] == ["documents/kh-cchc-2021.pdf",
                                      "documents/kh-cchc-2021-ban-ky-so.pdf",
                                      "documents/kh-cchc-2021-phu-luc.pdf"]
    assert "kh-cchc-2021-phu-luc" not in groups


def test_hostile_files_are_reported_not_raised(emptied: Path) -> None:
    docs = emptied / "documents"
    (docs / "hong.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    (docs / "anh-hong.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\xff" * 50)
    (docs / "rong.docx").write_bytes(b"")
    result = scan_dossier(emptied, dry_run=True, ocr=tesseract_available())
    unread = dict(result.unread)
    assert unread["documents/hong.pdf"] == "tệp hỏng"
    assert unread["documents/rong.docx"] == "tệp rỗng"
    assert unread["documents/anh-hong.png"].startswith("ảnh, không đọc được chữ")


def test_cli_dry_run_json(emptied: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "register", "scan", str(emptied), "--dry-run", "--json",
                       "--no-ocr")
    assert code == 0
    data = json.loads(out)
    assert data["written"] is False and len(data["drafts"]) == 38
    first = data["drafts"][0]
    assert set(first) >= {"id", "files", "draft"}
    assert load_register(emptied / "register.yaml") == Register()
    code, out, _ = run(capsys, "register", "scan", str(emptied), "--no-ocr")
    assert code == 0 and "Đã thêm 38 mục chưa xác nhận" in out
    assert len(load_register(emptied / "register.yaml").documents) == 38
