"""Test helper: have a real spreadsheet engine (LibreOffice Calc) open and re-save a workbook."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def resave_with_libreoffice(src: Path, workdir: Path) -> Path:
    """Open ``src`` in LibreOffice Calc and save it again as .xlsx (formulas recalculated).

    Skips the calling test when LibreOffice is not installed.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = workdir / "resaved"
    out.mkdir(exist_ok=True)
    profile = (workdir / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to",
         "xlsx", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "HOME": str(workdir)},
    )
    return out / src.name


def to_pdf(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Print ``files`` (.xlsx, .docx) to PDF with LibreOffice headless, as an official's
    printer would; skips the calling test without LibreOffice or poppler (pdftotext)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=240,
    )
    out = [outdir / f"{f.stem}.pdf" for f in files]
    for f in out:
        assert f.is_file(), f"LibreOffice did not write {f}"
    return out


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    """The text of a PDF as pdftotext reads it (reading order, or the page layout)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout.decode()


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box (xMin, yMin, xMax, yMax, text), read back by
    ``pdftotext -bbox``."""
    import html
    import re

    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, timeout=60).stdout.decode()
    pages = []
    for page in raw.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t
                 in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                               r'yMax="([\d.]+)">([^<]*)</word>', page)]
        pages.append(words)
    return pages


def pdf_rules(pdf: Path) -> list[list[tuple[float, float, float]]]:
    """The horizontal lines of every page (cell borders): ``(x0, y, x1)``, y from the top of
    the page like :func:`pdf_words`, read with pypdfium2."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for page in doc:
            height = page.get_size()[1]
            rules = []
            for obj in page.get_objects(max_depth=5):
                if obj.type == raw.FPDF_PAGEOBJ_PATH:
                    left, bottom, right, top = obj.get_bounds()
                    if top - bottom < 1.5 and right - left > 5:
                        rules.append((left, height - (top + bottom) / 2, right))
            pages.append(rules)
    finally:
        doc.close()
    return pages
