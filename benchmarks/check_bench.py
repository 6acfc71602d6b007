"""Benchmark of ``parindex check`` on a large synthetic dossier, against the fast C tools.

Builds a dossier of ``--files`` evidence files (default 2,000) totalling about ``--megabytes``
(default 1,000) in a temporary folder, with a realistic mix: text PDFs of a few pages (made
once with fpdf2, then varied), image-only "scanned" PDFs, DOCX files and JPEG photos; every
file is registered. Then it times, in the same run:

* the baseline: ``sha256sum`` over all files plus ``pdftotext -f 1 -l 1`` of each PDF;
* a cold check (no cache) and a warm re-check (cache filled, nothing changed), both through
  the command line (``python -m parindex check --json``), as a user runs it;

and prints the ratios cold / baseline (target ≤ 1.5) and warm / cold (target < 0.05).

    python benchmarks/check_bench.py                       # 2,000 files, ~1 GB
    python benchmarks/check_bench.py --files 200 --megabytes 100
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MIX = {"text-pdf": 0.40, "scan-pdf": 0.25, "docx": 0.20, "photo": 0.15}
"""Share of each kind of file, by count."""
WEIGHT = {"text-pdf": 0.0, "scan-pdf": 0.66, "docx": 0.02, "photo": 0.32}
"""Share of the total size each kind takes (text PDFs keep their natural size)."""

BODY = (
    "Thực hiện Kế hoạch cải cách hành chính năm 2021 của Sở Khoa học và Công nghệ tỉnh Quảng "
    "Ngãi, các phòng, đơn vị thuộc Sở đã triển khai đầy đủ các nhiệm vụ về cải cách thể chế, "
    "cải cách thủ tục hành chính, cải cách tổ chức bộ máy, xây dựng và nâng cao chất lượng đội "
    "ngũ công chức, viên chức, cải cách tài chính công và hiện đại hóa nền hành chính. "
)


def _docx(number: str, day: int, month: int, paragraphs: int, seed: int) -> bytes:
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = f"Số: {number}"
    table.cell(1, 1).text = f"Quảng Ngãi, ngày {day} tháng {month} năm 2021"
    d.add_heading("BÁO CÁO", level=1)
    rnd = random.Random(seed)
    for i in range(paragraphs):
        d.add_paragraph(f"{i + 1}. " + BODY * rnd.randint(1, 3))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _jpeg(nbytes: int, seed: int) -> bytes:
    """A JPEG of roughly ``nbytes`` (noise does not compress, so size follows pixel count)."""
    from PIL import Image

    side = max(64, int((nbytes / 0.61) ** 0.5))
    rnd = random.Random(seed)
    img = Image.frombytes("L", (side, side), rnd.randbytes(side * side))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _scan_pdf(jpeg: bytes, pages: int) -> bytes:
    """A PDF whose pages are only an image, as a scanner makes them (no text layer)."""
    from PIL import Image

    w, h = Image.open(io.BytesIO(jpeg)).size
    objs: list[bytes] = []
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i in range(pages):
        page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
                    f"/XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>".encode())
        stream = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objs.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream
                    + b"\nendstream")
        objs.append(f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
                    f"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} "
                    f">>\nstream\n".encode() + jpeg + b"\nendstream")
        _ = page
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _text_pdf(number: str, day: int, month: int, pages: int) -> bytes:
    """A text PDF of ``pages`` pages with the usual header (số ký hiệu, date line)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2021, 1, 1))
    pdf.add_font("dejavu", "", FONT)
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    pdf.multi_cell(90, 6, f"UBND TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: {number}",
                   new_x="RIGHT", new_y="TOP")
    pdf.multi_cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                   f"Quảng Ngãi, ngày {day} tháng {month} năm 2021", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 8, "BÁO CÁO", align="C", new_x="LMARGIN", new_y="NEXT")
    while pdf.pages_count < pages or pdf.get_y() < 150:
        pdf.multi_cell(0, 6, BODY * 3, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _text_pdf_templates(count: int = 4) -> list[bytes]:
    """A few text PDFs of 2–5 pages."""
    return [_text_pdf(f"{10 + i}/BC-SKHCN", 5 + i, 3 + i, 2 + i) for i in range(count)]


def build(folder: Path, files: int, megabytes: int, seed: int = 2021) -> dict[str, int]:
    """Write the synthetic dossier; returns the count of each kind of file."""
    rnd = random.Random(seed)
    docs = folder / "documents"
    docs.mkdir(parents=True)
    (folder / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi\n"
        "province: Quảng Ngãi\nyear: 2021\nframework: qn-so-2021\n", encoding="utf-8")
    counts = {k: int(files * share) for k, share in MIX.items()}
    counts["text-pdf"] += files - sum(counts.values())
    templates = _text_pdf_templates()
    text_bytes = sum(len(t) for t in templates) / len(templates) * counts["text-pdf"]
    budget = max(0.0, megabytes * 1_000_000 - text_bytes)
    per_scan = int(budget * WEIGHT["scan-pdf"] / max(1, counts["scan-pdf"]))
    per_photo = int(budget * WEIGHT["photo"] / max(1, counts["photo"]))
    scan_images = [_jpeg(per_scan // 2, seed + i) for i in range(8)]
    lines = ["kind: parindex/register", "documents:"]
    n = 0
    for kind, count in counts.items():
        for _ in range(count):
            n += 1
            day, month = rnd.randint(1, 28), rnd.randint(1, 12)
            if kind == "text-pdf":
                t = rnd.randrange(len(templates))
                name = f"documents/bc-{n:05d}.pdf"
                # the same template, made unique by a trailing comment (readers ignore it)
                (folder / name).write_bytes(templates[t] + f"% copy {n}\n".encode())
                number, day, month = f"{10 + t}/BC-SKHCN", 5 + t, 3 + t
            elif kind == "scan-pdf":
                name = f"documents/scan-{n:05d}.pdf"
                img = scan_images[n % len(scan_images)] + n.to_bytes(4, "big")
                (folder / name).write_bytes(_scan_pdf(img, 2))
                number = f"{n}/QĐ-SKHCN"
            elif kind == "docx":
                name = f"documents/cv-{n:05d}.docx"
                number = f"{n}/BC-SKHCN"
                (folder / name).write_bytes(_docx(number, day, month, rnd.randint(3, 12), n))
            else:
                name = f"documents/anh-{n:05d}.jpg"
                number = ""
                (folder / name).write_bytes(_jpeg(per_photo, seed + 1000 + n))
            lines.append(f"- id: d{n:05d}")
            if number:
                lines.append(f"  number: {number}")
                lines.append(f"  date: 2021-{month:02d}-{day:02d}")
            lines.append(f"  files: [{name}]")
            lines.append("  proves: ['1.2.2']")
    (folder / "register.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "self-assessment.yaml").write_text(
        "kind: parindex/self-assessment\nitems:\n  '1.2.2': {option: dat}\n", encoding="utf-8")
    return counts



def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def baseline(folder: Path) -> float:
    files = sorted(str(p) for p in (folder / "documents").iterdir())
    pdfs = [f for f in files if f.endswith(".pdf")]
    start = time.perf_counter()
    subprocess.run(["sha256sum", *files], check=True, stdout=subprocess.DEVNULL)
    for pdf in pdfs:
        subprocess.run(["pdftotext", "-q", "-f", "1", "-l", "1", pdf, "-"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


API = """
import datetime as dt, json, resource, shutil, sys, time
from pathlib import Path
from parindex.evidence.check import check_dossier
folder = Path(sys.argv[1])
day = dt.date(2022, 1, 15)
shutil.rmtree(folder / ".parindex-cache", ignore_errors=True)
t = time.perf_counter(); check_dossier(folder, as_of=day, cache=False, workers=1, ocr=False)
cold1 = time.perf_counter() - t
t = time.perf_counter(); check_dossier(folder, as_of=day, cache=False, ocr=False)
cold = time.perf_counter() - t
check_dossier(folder, as_of=day, ocr=False)  # fill the cache
t = time.perf_counter(); report = check_dossier(folder, as_of=day, ocr=False)
warm = time.perf_counter() - t
print(json.dumps({"cold": cold, "cold1": cold1, "warm": warm, "findings": len(report.findings),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                  / 1024}))
"""


def api_times(folder: Path, env: dict[str, str]) -> dict[str, float]:
    """Cold and warm check through the library, timed inside one Python process."""
    out = subprocess.run([sys.executable, "-c", API, str(folder)], check=True, env=env,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic dossier")
    parser.add_argument("--dossier", type=Path,
                        help="time an existing synthetic dossier (made with --keep) again")
    args = parser.parse_args()
    for tool in ("sha256sum", "pdftotext"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed for this benchmark")
    work = Path(tempfile.mkdtemp(prefix="parindex-bench-"))
    folder = args.dossier or work / "dossier"
    try:
        if args.dossier is None:
            t0 = time.perf_counter()
            counts = build(folder, args.files, args.megabytes)
            print(f"built {sum(counts.values())} files "
                  f"({', '.join(f'{v} {k}' for k, v in counts.items())}) "
                  f"in {time.perf_counter() - t0:.1f} s")
        files = list((folder / "documents").iterdir())
        print(f"dossier: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.0f} "
              f"MB, {os.cpu_count()} CPU(s)")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # no OCR: the baseline reads no scan either (OCR per page: benchmarks/scan_bench.py)
        check = [sys.executable, "-m", "parindex", "check", str(folder), "--json",
                 "--as-of", "2022-01-15", "--no-ocr"]
        baseline(folder)  # warm the page cache once, so every timing reads from memory
        base = baseline(folder)
        api = api_times(folder, env)
        shutil.rmtree(folder / ".parindex-cache", ignore_errors=True)
        cold = _time([*check, "--no-cache"], env)
        _time(check, env)  # fill the cache
        warm = _time(check, env)
        print(f"baseline (sha256sum + pdftotext -f 1 -l 1 per PDF): {base:7.2f} s")
        print(f"library  cold check_dossier(cache=False):          {api['cold']:7.2f} s   "
              f"{api['cold'] / base:.2f}× baseline (target ≤ 1.5)")
        print(f"library  cold, one reader process (workers=1):     {api['cold1']:7.2f} s   "
              f"{api['cold1'] / base:.2f}× baseline")
        print(f"library  warm check_dossier() re-check:            {api['warm']:7.2f} s   "
              f"{api['warm'] / api['cold'] * 100:.1f} % of cold (target < 5 %)")
        print(f"command  cold parindex check --no-cache:           {cold:7.2f} s   "
              f"{cold / base:.2f}× baseline (target ≤ 1.5)")
        print(f"command  warm parindex check (cached):             {warm:7.2f} s   "
              f"{warm / cold * 100:.1f} % of cold (target < 5 %; includes Python start-up "
              "and imports)")
        print(f"memory: check process {api['rss_mb']:.0f} MB peak, reader workers "
              f"{api['workers_rss_mb']:.0f} MB peak; {int(api['findings'])} findings")
        if args.keep and args.dossier is None:
            print(f"dossier kept in {folder}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
