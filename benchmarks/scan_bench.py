"""Benchmark of ``parindex register scan`` against a cold ``parindex check``, and OCR per page.

Builds the synthetic dossier of ``benchmarks/check_bench.py`` (default 2,000 files, ~1 GB:
text PDFs, image-only scans, DOCX, photos), then times through the command line, each run
with an empty cache (a temporary ``PARINDEX_CACHE_DIR``, wiped before every run):

* a cold ``parindex check --no-ocr`` of the dossier (every file registered);
* a cold ``parindex register scan --dry-run --no-ocr`` of the same dossier with its register
  emptied (every file read and a register entry drafted from its text layer);

and prints scan / check (target ≤ 1.5). Beside it, the OCR time per scanned page: the heading
area of the example dossier's scanned decision read by Tesseract (``--ocr-runs`` times), and
of the first scans of the synthetic dossier (noise pages: Tesseract's worst case).

    python benchmarks/scan_bench.py                        # 2,000 files, ~1 GB
    python benchmarks/scan_bench.py --files 200 --megabytes 100
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_bench import build  # noqa: E402

EXAMPLE_SCAN = ROOT / "evidence" / "so-khcn-quang-ngai-2021" / "documents" / \
    "qd-vi-tri-viec-lam-2021.pdf"


def _time(cmd: list[str], env: dict[str, str], cache: Path) -> float:
    shutil.rmtree(cache, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _ocr_seconds(paths: list[Path]) -> list[float]:
    from parindex.evidence.ocr import ocr_file

    out = []
    for path in paths:
        start = time.perf_counter()
        got = ocr_file(path, "pdf")  # no sha256: the in-process memo is not used
        if got.status != "done":
            print(f"  OCR of {path.name}: {got.status} {got.error or ''}")
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2, help="runs of each command")
    parser.add_argument("--ocr-runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parindex-scan-bench-"))
    folder = work / "dossier"
    cache = work / "cache"
    try:
        t0 = time.perf_counter()
        counts = build(folder, args.files, args.megabytes)
        print(f"built {sum(counts.values())} files "
              f"({', '.join(f'{v} {k}' for k, v in counts.items())}) "
              f"in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPU(s)")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PARINDEX_CACHE_DIR": str(cache)}
        py = [sys.executable, "-m", "parindex"]
        registered = (folder / "register.yaml").read_text(encoding="utf-8")
        empty = folder.parent / "empty"
        shutil.copytree(folder, empty, symlinks=True)
        (empty / "register.yaml").write_text(
            "kind: parindex/register\nschema_version: 1\ndocuments: []\n", encoding="utf-8")
        assert (folder / "register.yaml").read_text(encoding="utf-8") == registered
        subprocess.run(["cat", *map(str, (folder / "documents").iterdir())],
                       stdout=subprocess.DEVNULL, check=True)  # page cache warm for both
        checks, scans = [], []
        for _ in range(args.runs):
            checks.append(_time([*py, "check", str(folder), "--as-of", "2022-01-15",
                                 "--no-ocr", "--no-cache", "--json"], env, cache))
            scans.append(_time([*py, "register", "scan", str(empty), "--dry-run", "--no-ocr",
                                "--json"], env, cache))
        check, scan = min(checks), min(scans)
        print(f"cold parindex check --no-ocr:               {check:7.2f} s "
              f"(runs {', '.join(f'{c:.2f}' for c in checks)})")
        print(f"cold parindex register scan --no-ocr:       {scan:7.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in scans)})   "
              f"{scan / check:.2f}× the cold check (target ≤ 1.5)")
        from parindex.evidence.ocr import tesseract_available

        if not tesseract_available():
            print("OCR: tesseract with the Vietnamese model is not installed")
            return
        example = _ocr_seconds([EXAMPLE_SCAN] * args.ocr_runs)
        print(f"OCR per scanned page (example decision, heading area, {args.ocr_runs} runs): "
              f"median {statistics.median(example):.2f} s, min {min(example):.2f} s, "
              f"max {max(example):.2f} s")
        noise = sorted((folder / "documents").glob("scan-*.pdf"))[:3]
        if noise:
            got = _ocr_seconds(noise)
            print(f"OCR per scanned page (synthetic noise scans, {len(got)}): "
                  f"median {statistics.median(got):.2f} s, max {max(got):.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
