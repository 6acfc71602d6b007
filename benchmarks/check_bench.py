"""Benchmark of ``parindex check`` on a large synthetic dossier, against the real floor.

Builds a dossier of ``--files`` evidence files (default 2,000) totalling about ``--megabytes``
(default 1,000) in a temporary folder, with a realistic mix: text PDFs of a few pages (made
once with fpdf2, then varied), image-only "scanned" PDFs, DOCX files and JPEG photos; every
file is registered. Then, in paired runs (each pair measured back to back, order alternated),
it prints min / median / max of:

1. the cold check (``check_dossier(cache=False)``, timed inside its process) against the
   in-process floor: ``hashlib.sha256`` over every byte plus PDFium's first-page text of every
   PDF, in one process with the same number of forked workers (target ≤ 1.3×); the old shell
   baseline (``sha256sum`` + one ``pdftotext`` per PDF) as a second line;
2. the check's peak memory per registered file (target ≤ 4 KiB), with and without the part
   that does not grow with the files (measured on a 40-file dossier of the same mix);
3. the whole command ``parindex check DOSSIER`` (default text output), cold and warm, to a
   pipe and to a terminal, against the start-up floor ``python -c "import typer, yaml,
   pydantic"`` (targets: warm ≤ 5 % of cold at 20,000 files; at 2,000 files no more than the
   start-up floor plus 5 % of cold). "Warm" is an unchanged dossier: its last report is
   given back (:mod:`parindex.evidence.reportcache`); the line "one document touched" is
   the re-check after one file changed (the check runs, the other files' facts cached).

The cache goes to a temporary ``PARINDEX_CACHE_DIR``, removed afterwards.

    python benchmarks/check_bench.py                       # 2,000 files, ~1 GB
    python benchmarks/check_bench.py --files 20000 --megabytes 2000 --pairs 2 --skip-shell
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
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



STARTUP_FLOOR = [sys.executable, "-c", "import typer, yaml, pydantic"]
SMALL_FILES = 40
"""Files of the small dossier whose check gives the memory that does not grow with files."""


CPU: dict[int, float] = {}
"""CPU seconds (user + system, the process and the workers it waited for) of the last _run."""


def _wait(proc: subprocess.Popen[bytes]) -> float:
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], env: dict[str, str], tty: bool = False) -> float:
    """Wall time of a whole process, its output to a pipe (read fully) or to a terminal;
    its CPU time is left in ``CPU[0]`` (on a shared machine wall time also measures the
    neighbours)."""
    if not tty:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env)
        assert proc.stdout is not None
        proc.stdout.read()
        CPU[0] = _wait(proc)
        return time.perf_counter() - start
    import pty
    import threading

    master, slave = pty.openpty()

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 1 << 16):
                    break
            except OSError:
                break

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.DEVNULL,
                            env={**env, "COLUMNS": "120", "LINES": "40"})
    CPU[0] = _wait(proc)
    took = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    return took


def _timed(cmd: list[str], env: dict[str, str], tty: bool = False) -> tuple[float, float]:
    wall = _run(cmd, env, tty)
    return wall, CPU[0]


def baseline(folder: Path) -> float:
    """The old shell baseline: coreutils ``sha256sum`` + one ``pdftotext`` per PDF."""
    files = sorted(str(p) for p in (folder / "documents").iterdir())
    pdfs = [f for f in files if f.endswith(".pdf")]
    start = time.perf_counter()
    subprocess.run(["sha256sum", *files], check=True, stdout=subprocess.DEVNULL)
    for pdf in pdfs:
        subprocess.run(["pdftotext", "-q", "-f", "1", "-l", "1", pdf, "-"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


FLOOR = """
import hashlib, json, multiprocessing as mp, os, sys, time
import pypdfium2 as pdfium
folder, workers = sys.argv[1], int(sys.argv[2])
docs = os.path.join(folder, "documents")
paths = sorted(os.path.join(docs, n) for n in os.listdir(docs))

def one(path):
    digest = hashlib.sha256()
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    text = ""
    if path.endswith(".pdf"):
        pdf = pdfium.PdfDocument(path)
        page = pdf[0]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        textpage.close(); page.close(); pdf.close()
    return digest.hexdigest(), len(text)

t = time.perf_counter()
if workers > 1:
    with mp.get_context("fork").Pool(workers) as pool:
        got = list(pool.imap(one, paths, chunksize=4))
else:
    got = [one(p) for p in paths]
print(json.dumps({"seconds": time.perf_counter() - t, "files": len(got)}))
"""
"""The in-process floor: hashlib over every byte, PDFium's first-page text of every PDF."""


COLD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path

def hwm():  # peak RSS of this process in KiB (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

from parindex.evidence.check import check_dossier
folder, workers = Path(sys.argv[1]), int(sys.argv[2])
day = dt.date(2022, 1, 15)
before = hwm()
t = time.perf_counter()
report = check_dossier(folder, as_of=day, cache=sys.argv[3] == "warm", workers=workers,
                       ocr=False)  # the floor reads no scan either (OCR: scan_bench.py)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "findings": len(report.findings),
                  "rss_before_kib": before,
                  "rss_kib": hwm()}))
"""
"""The library's check, timed inside one process like the floor (imports not timed)."""


def _json_run(code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _stats(values: list[float]) -> str:
    return (f"min {min(values):.3f} / median {statistics.median(values):.3f} / "
            f"max {max(values):.3f}")


def _line(name: str, values: list[float], unit: str = "s") -> None:
    print(f"  {name:<52} {_stats(values)} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=3, help="paired runs of each comparison")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic dossier")
    parser.add_argument("--dossier", type=Path,
                        help="time an existing synthetic dossier (made with --keep) again")
    parser.add_argument("--skip-shell", action="store_true",
                        help="leave out the old sha256sum + pdftotext baseline")
    args = parser.parse_args()
    for tool in ("sha256sum", "pdftotext"):
        if shutil.which(tool) is None and not args.skip_shell:
            sys.exit(f"{tool} is needed for this benchmark (or --skip-shell)")
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
        n_files = len(files)
        print(f"dossier: {n_files} files, {sum(p.stat().st_size for p in files) / 1e6:.0f} "
              f"MB, {os.cpu_count()} CPU(s), {args.workers} worker(s), {args.pairs} paired "
              "runs (min / median / max)")
        # bytecode cached for every process, parindex's own modules too, as for an installed
        # package (pip compiles it; a checkout run with PYTHONDONTWRITEBYTECODE would compile
        # parindex's source again in every timed run, and the floor's libraries not)
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "PARINDEX_CACHE_DIR": str(work / "cache"),
               "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        w = str(args.workers)
        _json_run(FLOOR, [str(folder), w], env)  # page cache warm for every timing below

        # 1. cold check vs the in-process floor, same worker count, paired
        floors, colds, ratios, mem = [], [], [], []
        for i in range(args.pairs):
            order = (0, 1) if i % 2 == 0 else (1, 0)
            got: dict[int, dict[str, float]] = {}
            for which in order:
                got[which] = (_json_run(FLOOR, [str(folder), w], env) if which == 0 else
                              _json_run(COLD, [str(folder), w, "cold"], env))
            floors.append(got[0]["seconds"])
            colds.append(got[1]["seconds"])
            ratios.append(got[1]["seconds"] / got[0]["seconds"])
            mem.append(got[1])
        print("cold check vs in-process floor (hashlib + pypdfium2 first-page text):")
        _line("floor", floors)
        _line("library check_dossier(cache=False)", colds)
        _line("ratio cold / floor (target <= 1.3)", ratios, "x")

        if not args.skip_shell:
            shells = [baseline(folder) for _ in range(max(1, args.pairs // 2))]
            print("second line: the old shell baseline")
            _line("sha256sum + pdftotext -f 1 -l 1 per PDF", shells)
            _line("ratio cold (median) / shell", [statistics.median(colds) / s
                                                   for s in shells], "x")

        # 2. memory of the check (main process)
        print("check peak memory (main process; reader workers separate):")
        peak = [m["rss_kib"] / 1024 for m in mem]
        grown = [(m["rss_kib"] - m["rss_before_kib"]) / n_files for m in mem]
        _line("peak RSS, cold check", peak, "MiB")
        _line("peak growth per registered file, fixed part included", grown, "KiB")
        # what does not grow with the files (the framework, the models' validators built on
        # first use): the same check of a small dossier of the same mix, in the same run
        small = work / "small"
        if args.dossier is None or not small.exists():
            build(small, SMALL_FILES, max(1, args.megabytes * SMALL_FILES // n_files))
        n_small = len(list((small / "documents").iterdir()))
        fixed = [_json_run(COLD, [str(small), w, "cold"], env) for _ in range(len(mem))]
        fixed_kib = [(m["rss_kib"] - m["rss_before_kib"]) for m in fixed]
        _line(f"peak growth of a {n_small}-file dossier (fixed part)",
              [k / 1024 for k in fixed_kib], "MiB")
        base = statistics.median(fixed_kib)
        _line("growth per registered file beyond it (target <= 4)",
              [(m["rss_kib"] - m["rss_before_kib"] - base) / (n_files - n_small)
               for m in mem], "KiB")
        warm_mem = _json_run(COLD, [str(folder), w, "warm"], env)  # fills the cache
        warm_mem = _json_run(COLD, [str(folder), w, "warm"], env)
        print(f"  peak RSS, warm check: {warm_mem['rss_kib'] / 1024:.0f} MiB, growth "
              f"{(warm_mem['rss_kib'] - warm_mem['rss_before_kib']) / n_files:.2f} KiB/file; "
              f"{int(warm_mem['findings'])} findings")

        # 3. whole command: cold, then warm to a pipe and to a terminal, vs start-up floor
        check = [sys.executable, "-m", "parindex", "check", str(folder), "--as-of",
                 "2022-01-15", "--no-ocr"]  # no OCR: the floor reads no scan either
        runs = {name: ([], []) for name in ("cold", "start", "pipe", "tty", "json", "touched")}
        touched = min((folder / "documents").rglob("*.pdf"))  # re-read when touched

        def record(name: str, got: tuple[float, float]) -> None:
            runs[name][0].append(got[0])
            runs[name][1].append(got[1])

        for _ in range(max(1, args.pairs // 2)):
            record("cold", _timed([*check, "--no-cache"], env))
        _run(check, env)  # fill the cache
        _run(STARTUP_FLOOR, env)  # (and the floor's bytecode cache)
        for _ in range(args.pairs * 2):
            record("start", _timed(STARTUP_FLOOR, env))
            record("pipe", _timed(check, env))
            record("tty", _timed(check, env, tty=True))
            record("json", _timed([*check, "--json"], env))
            st = touched.stat()
            os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns))  # ctime moves: a change
            record("touched", _timed(check, env))
        for k, label in ((0, "wall"), (1, "CPU (process + workers)")):
            cold = statistics.median(runs["cold"][k])
            starts, pipes, ttys = runs["start"][k], runs["pipe"][k], runs["tty"][k]
            print(f"whole command `parindex check DOSSIER` (text output), {label} time:")
            _line("cold, --no-cache", runs["cold"][k])
            _line("start-up floor: python -c 'import typer, yaml, pydantic'", starts)
            _line("warm, to a pipe", pipes)
            _line("warm, to a terminal (pty)", ttys)
            _line("warm, --json to a pipe", runs["json"][k])
            _line("one document touched (report not kept for it: check, facts cached)",
                  runs["touched"][k])
            _line("warm pipe / cold (target <= 5 % at 20,000 files)",
                  [100 * p / cold for p in pipes], "%")
            _line("warm terminal / cold", [100 * t / cold for t in ttys], "%")
            _line("(warm pipe - start-up floor) / cold (target <= 5 % at 2,000)",
                  [100 * (p - s) / cold for p, s in zip(pipes, starts, strict=True)], "%")
            _line("(warm terminal - start-up floor) / cold",
                  [100 * (t - s) / cold for t, s in zip(ttys, starts, strict=True)], "%")
            _line("(one touched - start-up floor) / cold (no target)",
                  [100 * (t - s) / cold for t, s in
                   zip(runs["touched"][k], starts, strict=True)], "%")
        if args.keep and args.dossier is None:
            print(f"dossier kept in {folder}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(work / "cache", ignore_errors=True)


if __name__ == "__main__":
    main()
