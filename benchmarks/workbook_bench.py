"""Benchmark: export a dossier with a 5,000-document evidence register.

Copies the example dossier (without its document files) to a temporary folder, writes a
``register.yaml`` of ``--documents`` documents (default 5,000), and times

* ``export``: :func:`parindex.workbook.export.export_workbook` on that folder (load the dossier and
  its register, score, build, save; the dossier check is left out: ``benchmarks/
  check_bench.py`` measures it), and
* ``bare``: a bare openpyxl write of the same cells (same values at the same coordinates of
  the same sheets; no styles, links, merges, validation, table or chart),

in paired runs, as CPU time of this process (on a shared machine wall time also measures the
neighbours), after one warm-up export, at 5,000 and 50,000 documents. The export pauses the
cyclic garbage collector while it builds and turns it back on when done, so the bare write
does the same inside its timed call (same GC setting for both: each pays for collecting its
own garbage when the collector comes back on). Also printed: the bare write with the
collector on, and the bare write with the collector paused around the timing, its workbook
collected after the clock stopped (how it was measured before issue 17: that spared the bare
write the collection the export pays). Prints min / median / max of each and of the paired
ratios; the write alone (:func:`write_workbook` from the scorecard and register already
loaded) is reported too. Target: export / bare <= 1.3.

A register of 50,000 documents is 19.9 MiB of YAML: within the register's own limits
(``parindex.core.files.LIMITS.register_bytes``, 32 MiB), so nothing is raised for the run.

    PYTHONPATH=. python benchmarks/workbook_bench.py [--documents 5000,50000] [--pairs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parindex.core.gcpause import paused
from parindex.evidence.register import EvidenceDocument, Register, save_register
from parindex.scoring.dossier import load_dossier
from parindex.workbook.export import build_workbook, export_workbook, write_workbook
from parindex.workbook.layout import Heading
from parindex.workbook.view import evidence_view

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
KINDS = (("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("BC", "Báo cáo"), ("TB", "Thông báo"),
         ("HD", "Hướng dẫn"))


def make_dossier(folder: Path, n: int, seed: int = 2021) -> Path:
    """The example dossier with a synthetic register of ``n`` documents."""
    root = folder / "dossier"
    root.mkdir()
    for name in ("dossier.yaml", "self-assessment.yaml", "plan.yaml"):
        if (EXAMPLE / name).is_file():
            shutil.copy(EXAMPLE / name, root / name)
    card = load_dossier(root).score()
    codes = [n.code for n in card.leaves() if n.method != "survey"]
    rnd = random.Random(seed)
    docs = []
    for i in range(1, n + 1):
        code, kind = rnd.choice(KINDS)
        docs.append(EvidenceDocument.model_validate({
            "id": f"doc-{i:05d}", "number": f"{i}/{code}-SKHCN", "type": kind,
            "date": dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randrange(365)),
            "issuer": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
            "subject": f"Về việc triển khai nhiệm vụ cải cách hành chính số {i} năm 2021 của "
                       "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
            "files": [f"documents/{i:05d}-{code}-SKHCN.pdf"],
            "proves": [{"item": c, "locator": f"trang {rnd.randint(1, 9)}"}
                       for c in rnd.sample(codes, rnd.randint(1, 2))],
        }))
    save_register(Register(documents=tuple(docs)), root / "register.yaml")
    return root


def cells_of(wb: Any) -> list[tuple[str, list[tuple[int, int, Any]]]]:
    return [(ws.title, [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row
                        if c.value is not None]) for ws in wb.worksheets]


def bare_write(sheets: list[tuple[str, list[tuple[int, int, Any]]]], out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    for title, cells in sheets:
        ws = wb.active if first else wb.create_sheet(title)
        assert ws is not None
        ws.title = title
        first = False
        for r, c, v in cells:
            ws.cell(row=r, column=c, value=v)
    wb.save(out)


def paused_bare(sheets: list[tuple[str, list[tuple[int, int, Any]]]], out: Path) -> None:
    """The bare write with the collector paused while it writes, as the export does it."""
    with paused():
        bare_write(sheets, out)


def cpu(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _stats(values: list[float], digits: int = 3) -> str:
    return (f"min {min(values):.{digits}f} / median {statistics.median(values):.{digits}f} / "
            f"max {max(values):.{digits}f}")


def run(documents: int, pairs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = make_dossier(tmp, documents)
        export_workbook(root, tmp / "warm-up.xlsx", check=False)  # and the register cache
        d = load_dossier(root)
        card = d.score()
        m = d.manifest
        heading = Heading(m.unit, m.year, m.superior, m.province)
        evidence = evidence_view(d)
        assert len(evidence.rows) == documents
        wb, _ = build_workbook(card, heading, evidence, link_base=root, out_dir=tmp)
        sheets = cells_of(wb)
        del wb
        ncells = sum(len(c) for _, c in sheets)
        bare: list[float] = []
        bare_gc: list[float] = []
        bare_old: list[float] = []
        full: list[float] = []
        write: list[float] = []
        for i in range(pairs):  # paired and interleaved, so that load on the machine hits all
            # the export pauses the collector while it builds: so does the bare write
            bare.append(cpu(lambda i=i: paused_bare(sheets, tmp / f"bare{i}.xlsx")))
            full.append(cpu(lambda i=i: export_workbook(root, tmp / f"export{i}.xlsx",
                                                        check=False)))
            write.append(cpu(lambda i=i: write_workbook(card, tmp / f"write{i}.xlsx", heading,
                                                        evidence, link_base=root)))
            bare_gc.append(cpu(lambda i=i: bare_write(sheets, tmp / f"baregc{i}.xlsx")))
            with paused():
                bare_old.append(cpu(lambda i=i: bare_write(sheets, tmp / f"bareold{i}.xlsx")))
    print(f"register documents: {documents:,}; cells: {ncells:,}; {pairs} paired runs; "
          "CPU time of this process, s (min / median / max)")
    for label, times in (("bare openpyxl write, collector paused", bare),
                         ("bare openpyxl write, collector on", bare_gc),
                         ("bare write, paused around the timing (before issue 17)",
                          bare_old),
                         ("export_workbook (load dossier + register, score, write)", full),
                         ("write_workbook alone (styles, links, validation, chart)", write)):
        print(f"  {label:<58} {_stats(times)}")
    print(f"  {'ratio export / bare, same GC setting (target <= 1.3)':<58} "
          f"{_stats([f / b for f, b in zip(full, bare, strict=True)], 2)}")
    print(f"  {'ratio write / bare, same GC setting':<58} "
          f"{_stats([w / b for w, b in zip(write, bare, strict=True)], 2)}")
    print(f"  {'ratio export / bare with the collector on':<58} "
          f"{_stats([f / b for f, b in zip(full, bare_gc, strict=True)], 2)}")
    print(f"  {'ratio export / bare paused around the timing':<58} "
          f"{_stats([f / b for f, b in zip(full, bare_old, strict=True)], 2)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", default="5000,50000",
                        help="register sizes, comma-separated")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    for n in (int(x) for x in args.documents.split(",")):
        run(n, args.pairs)


if __name__ == "__main__":
    main()
