"""OCR of scans in the check: readings flagged as OCR, bounded readers, no Tesseract."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from parindex.evidence import ocr
from parindex.evidence.check import check_dossier
from parindex.evidence.heading import read_heading
from parindex.evidence.register import load_register, save_register

from .conftest import EXAMPLE

AS_OF = dt.date(2022, 1, 15)
SCAN = "qd-vi-tri-viec-lam-2021"
needs_tesseract = pytest.mark.skipif(
    not ocr.tesseract_available(),
    reason="tesseract with the Vietnamese model (tesseract-ocr-vie) not installed")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    return folder


@needs_tesseract
def test_ocr_reads_the_heading_of_the_scanned_decision_with_diacritics() -> None:
    got = ocr.ocr_file(EXAMPLE / "documents" / f"{SCAN}.pdf", "pdf")
    assert got.status == "done"
    heading = read_heading(got.text)
    assert heading.number is not None and heading.number.raw == "1250/QĐ-UBND"
    assert heading.date == dt.date(2021, 8, 30)
    assert heading.title is not None and heading.title.value == "Quyết định"
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" in got.text  # NFC, marks kept


@needs_tesseract
def test_check_says_what_ocr_read_on_the_scan() -> None:
    report = check_dossier(EXAMPLE, as_of=AS_OF, cache=False)
    scanned = [f.message for f in report.findings if f.code == "evidence-file-scanned"]
    assert scanned == [f"Tệp documents/{SCAN}.pdf là ảnh quét, không có lớp chữ; OCR đọc "
                       "được số 1250/QĐ-UBND, ngày 30/08/2021."]


@needs_tesseract
def test_register_differing_from_the_ocr_reading_is_a_warning_of_its_own(
        tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    reg = load_register(folder / "register.yaml")
    docs = tuple(d.model_copy(update={"number": "1205/QĐ-UBND",
                                      "date": dt.date(2021, 8, 3)}) if d.id == SCAN else d
                 for d in reg.documents)
    save_register(reg.model_copy(update={"documents": docs}), folder / "register.yaml")
    report = check_dossier(folder, as_of=AS_OF, cache=False)
    got = [(f.severity, f.code, f.message) for f in report.findings if f.document == SCAN]
    assert got == [
        ("warning", "ocr-date-mismatch",
         "Sổ ghi ngày 03/08/2021, OCR đọc trên bản quét ngày 30/08/2021."),
        ("warning", "ocr-number-mismatch",
         "Sổ ghi 1205/QĐ-UBND, OCR đọc trên bản quét 1250/QĐ-UBND."),
        ("info", "evidence-file-scanned",
         f"Tệp documents/{SCAN}.pdf là ảnh quét, không có lớp chữ; OCR đọc được số "
         "1250/QĐ-UBND, ngày 30/08/2021."),
    ]


def test_without_tesseract_the_check_says_ocr_is_not_available(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    report = check_dossier(_copy(tmp_path), as_of=AS_OF, cache=False)
    unavailable = [(f.severity, f.message) for f in report.findings
                   if f.code == "ocr-unavailable"]
    assert unavailable == [("info", "2 tệp ảnh quét không được đọc vì máy chưa cài Tesseract "
                                    "(tiếng Việt).")]
    assert [f.message for f in report.findings if f.code == "evidence-file-scanned"] == [
        f"Tệp documents/{SCAN}.pdf là ảnh quét, không có lớp chữ."]


def test_no_ocr_option_reads_no_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kw: object) -> ocr.OcrResult:
        raise AssertionError("OCR ran")

    monkeypatch.setattr("parindex.evidence.documents.ocr_file", boom)
    report = check_dossier(_copy(tmp_path), as_of=AS_OF, cache=False, ocr=False)
    assert "ocr-unavailable" not in {f.code for f in report.findings}


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + \
        chunk(b"IEND", b"")


@needs_tesseract
def test_huge_image_is_not_decoded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(60_000, 60_000))
    got = ocr.ocr_file(bomb, "image")
    assert got.status == "too-large"
    bomb.write_bytes(_png_header(10_000, 9_000))  # under Pillow's own limit, over ours
    got = ocr.ocr_file(bomb, "image")
    assert got.status == "too-large" and got.error == "10000×9000 pixels"


@needs_tesseract
def test_broken_image_and_pdf_fail_without_raising(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 64)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    assert ocr.ocr_file(tmp_path / "x.jpg", "image").status == "failed"
    assert ocr.ocr_file(tmp_path / "x.pdf", "pdf").status == "failed"


@needs_tesseract
def test_tesseract_is_stopped_at_the_timeout() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((2400, 2400), 80).save(buf, "PNG")
    got = ocr.ocr_png(buf.getvalue(), timeout=0.05)
    assert got.status == "timeout" and got.error == "more than 0.05 s"


@needs_tesseract
def test_large_page_is_rendered_within_the_pixel_bound(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14_400, 14_400).close()  # the largest page PDF allows: 5 m × 5 m
    path = tmp_path / "big.pdf"
    pdf.save(str(path))
    pdf.close()
    sizes: list[int] = []
    real = ocr.ocr_png

    def measure(png: bytes, **kw: float) -> ocr.OcrResult:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            sizes.append(image.size[0] * image.size[1])
        return real(png, **kw)

    monkeypatch.setattr(ocr, "ocr_png", measure)
    assert ocr.ocr_file(path, "pdf").status == "done"
    assert 0 < sizes[0] <= ocr.MAX_PIXELS
