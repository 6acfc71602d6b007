"""OCR of scans: the heading area of a scanned page read with Tesseract (Vietnamese model).

A PDF page without a text layer, or a photo, is rendered (PDF pages with pypdfium2, images
with Pillow), cropped to the heading area of the first page (:data:`HEAD_FRACTION` of its
height: the heading block, number, date line and trích yếu stand there), bounded to
:data:`MAX_PIXELS`, and handed to the ``tesseract`` program as PNG on its standard input.

Tesseract runs as a subprocess rather than through a binding: the one thing that bounds a
reader of hostile files in time is a process that can be killed (``timeout``), and a crash of
Tesseract or Leptonica on a strange image then stays outside parindex. The text is NFC (the
Vietnamese model writes decomposed marks at times). Nothing here raises for a bad file: the
status says what happened.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parindex.core.base import nfc

__all__ = [
    "HEAD_FRACTION",
    "MAX_PIXELS",
    "OCR_STATES",
    "OcrResult",
    "OcrStatus",
    "needs_ocr",
    "ocr_file",
    "tesseract_available",
]

OcrStatus = Literal["done", "unavailable", "failed", "timeout", "too-large"]

HEAD_FRACTION = 0.45
"""Share of the first page's height read by default (from the top)."""
DPI = 300
"""Rendering resolution of a PDF page: what Tesseract's models are trained for."""
MAX_PIXELS = 12_000_000
"""Largest image handed to Tesseract (a heading area of an A4 page at 300 dpi is ~4 MP)."""
MAX_SOURCE_PIXELS = 80_000_000
"""Images larger than this are not decoded at all (a decompression bomb)."""
TIMEOUT = 60.0
"""Seconds Tesseract may take for one file before it is stopped."""
LANGUAGE = "vie"
OCR_STATES = ("no-text", "image")
"""File states (see :mod:`parindex.evidence.documents`) whose text can only come from OCR."""


@dataclass(frozen=True)
class OcrResult:
    status: OcrStatus
    text: str = ""
    error: str | None = None
    seconds: float = 0.0


@functools.lru_cache(maxsize=1)
def tesseract_available() -> bool:
    """Whether ``tesseract`` is installed with the Vietnamese model."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in out.stdout.split()


def needs_ocr(state: str, status: str | None) -> bool:
    """Whether a file cached in ``state`` with OCR ``status`` should be read by OCR now: never
    tried, or tried while Tesseract was missing and it is installed now."""
    if state not in OCR_STATES:
        return False
    return status is None or (status == "unavailable" and tesseract_available())


def _pdf_head_png(path: Path, fraction: float) -> bytes | OcrResult:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        return OcrResult("failed", error=str(exc))
    try:
        if len(pdf) == 0:
            return OcrResult("failed", error="no pages")
        page = pdf[0]
        try:
            width, height = page.get_size()
            if not (width > 0 and height > 0):
                return OcrResult("failed", error="page without a size")
            scale = DPI / 72
            area = width * height * fraction * scale * scale
            if area > MAX_PIXELS:
                scale *= (MAX_PIXELS / area) ** 0.5
            crop_bottom = height * (1 - fraction)
            bitmap = page.render(scale=scale, crop=(0, crop_bottom, 0, 0), grayscale=True)
            try:
                image = bitmap.to_pil()
            finally:
                bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        return OcrResult("failed", error=str(exc))
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _image_head_png(path: Path, fraction: float) -> bytes | OcrResult:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_SOURCE_PIXELS:
                    return OcrResult("too-large", error=f"{width}×{height} pixels")
                image.draft("L", (width, height))
                head = image.convert("L").crop((0, 0, width, max(1, int(height * fraction))))
    except Image.DecompressionBombError as exc:
        return OcrResult("too-large", error=str(exc))
    except (OSError, ValueError, SyntaxError) as exc:
        return OcrResult("failed", error=f"{type(exc).__name__}: {exc}")
    w, h = head.size
    if w * h > MAX_PIXELS:
        factor = (MAX_PIXELS / (w * h)) ** 0.5
        head = head.resize((max(1, int(w * factor)), max(1, int(h * factor))))
    buf = io.BytesIO()
    head.save(buf, "PNG")
    return buf.getvalue()


def ocr_png(png: bytes, *, timeout: float = TIMEOUT) -> OcrResult:
    """Text of a PNG image read by Tesseract (Vietnamese), bounded by ``timeout`` seconds."""
    import time

    if not tesseract_available():
        return OcrResult("unavailable")
    exe = shutil.which("tesseract") or "tesseract"
    # one thread per Tesseract: files are already read by one process per CPU
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    try:
        out = subprocess.run([exe, "stdin", "stdout", "-l", LANGUAGE, "--psm", "4"],
                             input=png, capture_output=True, timeout=timeout, env=env,
                             check=False)
    except subprocess.TimeoutExpired:
        return OcrResult("timeout", error=f"more than {timeout:g} s",
                         seconds=time.perf_counter() - start)
    except OSError as exc:
        return OcrResult("failed", error=str(exc))
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        tail = out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        return OcrResult("failed", error=f"tesseract exit {out.returncode}: {' '.join(tail)}",
                         seconds=seconds)
    text = nfc(out.stdout.decode("utf-8", "replace"))
    return OcrResult("done", text, seconds=seconds)


_MEMO: dict[tuple[str, str, float] | None, OcrResult] = {}
"""OCR results of this process by file content: the same scan is not read twice while the
on-disk cache is off (``--no-cache``, tests) or two paths hold the same file."""


def ocr_file(path: Path, kind: str, *, fraction: float = HEAD_FRACTION,
             timeout: float = TIMEOUT, sha256: str | None = None) -> OcrResult:
    """OCR of the heading area of a scanned PDF's first page or of an image file."""
    if not tesseract_available():
        return OcrResult("unavailable")
    key = (sha256, kind, fraction) if sha256 is not None else None
    if key is not None and key in _MEMO:
        return _MEMO[key]
    png = _pdf_head_png(path, fraction) if kind == "pdf" else _image_head_png(path, fraction)
    result = png if isinstance(png, OcrResult) else ocr_png(png, timeout=timeout)
    if key is not None and result.status in ("done", "failed", "too-large"):
        _MEMO[key] = result
    return result
