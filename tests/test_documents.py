"""Reading evidence files: every state a file can be in, the cache, parallel reading."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest

from parindex.evidence import documents
from parindex.evidence.cache import cache_folder
from parindex.evidence.documents import (
    FileFacts,
    file_kind,
    inspect_file,
    inspect_files,
)

from .conftest import EXAMPLE, FIXTURES

CHECK = FIXTURES / "check"
DOCS = EXAMPLE / "documents"


def test_text_pdf_gives_first_page_text_number_and_date() -> None:
    facts = inspect_file(DOCS / "kh-cchc-2021.pdf")
    assert (facts.kind, facts.state, facts.pages) == ("pdf", "text", 1)
    assert "TÀI LIỆU MẪU" in facts.text
    assert (facts.number, facts.date) == ("210/KH-SKHCN", "2020-12-28")
    assert facts.sha256 == hashlib.sha256((DOCS / "kh-cchc-2021.pdf").read_bytes()
                                          ).hexdigest()


def test_docx_text_in_order_with_table_cells() -> None:
    facts = inspect_file(DOCS / "cv-the-che-hoa-2021.docx")
    assert (facts.kind, facts.state) == ("docx", "text")
    lines = facts.text.splitlines()
    assert lines[1:4] == ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                          "Số: 1520/SKHCN-VP"]
    assert (facts.number, facts.date) == ("1520/SKHCN-VP", "2021-10-15")


@pytest.mark.parametrize(("path", "state"), [
    (DOCS / "qd-vi-tri-viec-lam-2021.pdf", "no-text"),
    (DOCS / "anh-niem-yet-pakn-2021.jpg", "image"),
    (CHECK / "evidence-file-encrypted" / "documents" / "ke-hoach.pdf", "encrypted"),
    (CHECK / "evidence-file-unreadable" / "documents" / "ke-hoach.pdf", "corrupt"),
    (CHECK / "evidence-file-empty" / "documents" / "ke-hoach.docx", "empty"),
    (CHECK / "unregistered-file" / "documents" / "ghi-chu.txt", "unsupported"),
])
def test_states(path: Path, state: str) -> None:
    facts = inspect_file(path)
    assert facts.state == state
    assert facts.text == "" and facts.number is None


@pytest.mark.parametrize(("name", "data", "state"), [
    ("cut.docx", b"PK\x03\x04 cut off", "corrupt"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "encrypted"),
    ("notpdf.pdf", b"<html>not a pdf</html>", "corrupt"),
    ("fake.jpg", b"GIF89a but named jpg", "image"),
    ("fake.png", b"plain text", "corrupt"),
])
def test_bad_files_never_raise(tmp_path: Path, name: str, data: bytes, state: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert inspect_file(tmp_path / name).state == state


def test_docx_without_body_part_is_corrupt(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.docx", "w") as z:
        z.writestr("word/other.xml", "<x/>")
    assert inspect_file(tmp_path / "a.docx").state == "corrupt"


def test_kinds() -> None:
    assert [file_kind(n) for n in ("a.PDF", "b.docx", "c.JPeG", "d.xlsx")] == [
        "pdf", "docx", "image", "other"]


def test_hash_streams_large_files(tmp_path: Path) -> None:
    blob = os.urandom(3 * documents.CHUNK + 17)
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + blob)
    facts = inspect_file(tmp_path / "big.png")
    assert facts.sha256 == hashlib.sha256(b"\x89PNG\r\n\x1a\n" + blob).hexdigest()


def _copy_docs(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "d"
    shutil.copytree(DOCS, root / "documents")
    return root, sorted(f"documents/{p.name}" for p in (root / "documents").iterdir())


def test_cache_hit_reads_nothing_and_change_is_seen(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root, rels = _copy_docs(tmp_path)
    first = inspect_files(root, rels, workers=1)
    assert (cache_folder(root) / "files.json").is_file()

    def boom(path: Path, *flags: bool) -> FileFacts:
        raise AssertionError(f"read {path} again")

    monkeypatch.setattr(documents, "inspect_file", boom)
    second = inspect_files(root, rels, workers=1)
    strip = {k: (v.sha256, v.state, v.number, v.date) for k, v in first.items()
             if isinstance(v, FileFacts)}
    assert {k: (v.sha256, v.state, v.number, v.date) for k, v in second.items()
            if isinstance(v, FileFacts)} == strip
    target = root / "documents" / "kh-cchc-2021.pdf"
    target.write_bytes(b"")
    with pytest.raises(AssertionError, match=r"kh-cchc-2021\.pdf again"):
        inspect_files(root, rels, workers=1)


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    root, rels = _copy_docs(tmp_path)
    cache_folder(root).mkdir(parents=True)
    (cache_folder(root) / "files.json").write_text("{not json", encoding="utf-8")
    got = inspect_files(root, rels[:2], workers=1)
    assert all(isinstance(v, FileFacts) for v in got.values())


def test_missing_file_is_an_oserror_not_a_crash(tmp_path: Path) -> None:
    got = inspect_files(tmp_path, ["documents/none.pdf"], cache=False)
    assert isinstance(got["documents/none.pdf"], FileNotFoundError)


def test_parallel_reading_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, rels = _copy_docs(tmp_path)
    monkeypatch.setattr(documents, "PARALLEL_MIN_FILES", 2)
    serial = inspect_files(root, rels, cache=False, workers=1)
    parallel = inspect_files(root, rels, cache=False, workers=2)
    assert list(parallel) == rels
    assert parallel == serial


def test_progress_reports_every_file(tmp_path: Path) -> None:
    root, rels = _copy_docs(tmp_path)
    seen: list[tuple[int, int]] = []
    inspect_files(root, rels[:3], cache=False, progress=lambda d, t: seen.append((d, t)),
                  workers=1)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_reading_loop_keeps_number_and_date_but_drops_the_text(tmp_path: Path) -> None:
    root, rels = _copy_docs(tmp_path)
    got = inspect_files(root, rels, cache=False, workers=1)
    for rel in rels:
        full = inspect_file(root / rel)
        kept = got[rel]
        assert isinstance(kept, FileFacts)
        assert kept.text == ""
        assert kept == dataclasses.replace(full, text="")
    assert any(inspect_file(root / rel).text for rel in rels)  # there was text to drop


def _hanging_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium made to loop on one file (what a file built to hang the parser does)."""
    import time

    real = documents._pdf_text

    def reader(path: Path) -> tuple[documents.FileState, str, int | None, str | None]:
        while path.name == name:
            time.sleep(0.01)
        return real(path)

    monkeypatch.setattr(documents, "_pdf_text", reader)
    monkeypatch.setattr(documents, "READ_TIMEOUT", 1.0)


def test_a_file_that_hangs_the_reader_is_unreadable_not_a_hang(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, rels = _copy_docs(tmp_path)
    sound = inspect_files(root, rels, cache=False, workers=2)
    _hanging_on("kh-cchc-2021.pdf", monkeypatch)
    got = inspect_files(root, rels, workers=2)
    stuck = got["documents/kh-cchc-2021.pdf"]
    data = (root / "documents" / "kh-cchc-2021.pdf").read_bytes()
    assert stuck == FileFacts(len(data), stuck.mtime_ns, hashlib.sha256(data).hexdigest(),
                              "pdf", "corrupt",
                              error="reader stopped: timeout, more than 1 s")
    assert {k: v for k, v in got.items() if v is not stuck} == {
        k: v for k, v in sound.items() if k != "documents/kh-cchc-2021.pdf"}
    # never cached: once the reader is sound again, the file is read again
    monkeypatch.undo()
    assert inspect_files(root, rels, workers=2) == sound


def test_a_file_that_hangs_a_spawned_reader_is_unreadable_not_a_hang(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The path of Windows (no fork): readers in spawned workers, which import the reader by
    name (``readers.inspect_hanging``, looping on one file as PDFium made to hang does)."""
    from parindex.core import workers

    from . import readers

    # the reader a spawned worker loads: a partial of a module-level function, by name
    reader = functools.partial(documents._inspect_one, ocr=True)
    assert pickle.loads(pickle.dumps(reader)).func is documents._inspect_one
    root, rels = _copy_docs(tmp_path)
    monkeypatch.setattr(workers, "START_METHOD", "spawn")
    monkeypatch.setattr(documents, "_inspect_one", readers.inspect_hanging)
    # 3 s: a spawned worker imports PDFium's bindings with its first file, slow under load
    monkeypatch.setattr(documents, "READ_TIMEOUT", 3.0)
    got = inspect_files(root, rels, cache=False, workers=2)
    stuck = got["documents/" + readers.HANGS_ON]
    data = (root / "documents" / readers.HANGS_ON).read_bytes()
    assert stuck == FileFacts(len(data), stuck.mtime_ns, hashlib.sha256(data).hexdigest(),
                              "pdf", "corrupt",
                              error="reader stopped: timeout, more than 3 s")
    monkeypatch.undo()
    sound = inspect_files(root, rels, cache=False, workers=2)
    assert {k: v for k, v in got.items() if v is not stuck} == {
        k: v for k, v in sound.items() if k != "documents/" + readers.HANGS_ON}


def test_the_check_names_a_file_that_hung_its_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from parindex.evidence.check import check_dossier

    folder = tmp_path / "hs"
    shutil.copytree(EXAMPLE, folder)
    _hanging_on("kh-cchc-2021.pdf", monkeypatch)
    report = check_dossier(folder, as_of=dt.date(2022, 1, 15), cache=False, ocr=False)
    assert [(f.severity, f.document, f.message) for f in report.findings
            if f.file == "documents/kh-cchc-2021.pdf"] == [(
                "error", "kh-cchc-2021",
                "Tệp documents/kh-cchc-2021.pdf không đọc được: đọc quá thời gian cho phép; "
                "tệp có thể bị hỏng. Mở thử tệp, lưu lại bản PDF mới rồi kiểm tra lại.")]


def _docx_with_body(path: Path, body: bytes) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", body)
    return path


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_body_with_an_entity_bomb_is_corrupt_not_expanded(tmp_path: Path) -> None:
    """Billion laughs inside word/document.xml: expat refuses the amplification, the file is
    ``corrupt`` and nothing is expanded (it is read by expat's handlers, no tree)."""
    lol = b'<!ENTITY a0 "lollollollollollollollollollol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    body = (b'<?xml version="1.0"?><!DOCTYPE w:document [' + lol + b"]><w:document " + W_NS
            + b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")
    facts = inspect_file(_docx_with_body(tmp_path / "bomb.docx", body))
    assert (facts.state, facts.text) == ("corrupt", "")
    assert facts.error is not None and facts.error.startswith("ExpatError: ")


def test_docx_body_not_well_formed_is_corrupt(tmp_path: Path) -> None:
    body = b"<w:document " + W_NS + b"><w:body><w:p><w:t>S\xe1\xbb\x91: 1/KH</w:p>"
    facts = inspect_file(_docx_with_body(tmp_path / "cut.docx", body))
    assert facts.state == "corrupt"
    assert facts.error is not None and facts.error.startswith("ExpatError: mismatched tag")


def test_docx_text_keeps_tabs_breaks_and_paragraphs_of_the_runs_only(tmp_path: Path) -> None:
    body = (b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>S\xe1\xbb\x91:</w:t><w:tab/>"
            b"<w:t>15/KH-SKHCN</w:t></w:r><w:r><w:instrText>PAGE</w:instrText><w:br/>"
            b"<w:t xml:space=\"preserve\"> ng\xc3\xa0y 5 &amp; 6</w:t></w:r></w:p><w:p><w:r>"
            b"<w:t>B</w:t></w:r></w:p></w:body></w:document>")
    facts = inspect_file(_docx_with_body(tmp_path / "runs.docx", body))
    assert facts.state == "text" and facts.number == "15/KH-SKHCN"
    from parindex.evidence.documents import _docx_text

    assert _docx_text(tmp_path / "runs.docx")[1] == "Số:\t15/KH-SKHCN\n ngày 5 & 6\nB\n"
