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

The register's ``Ký số`` column (:mod:`parindex.evidence.signing`) is taken from the check's
cache of file facts, one ``stat`` a file. With ``--files``, every document gets a file (a few
bytes) and the cache is filled as a check would leave it (one file in ten signed), in a cache
folder of the run's own; the cost of the column is then printed, paired: building the
register's view with and without it, and the export with and without it. Without
``--files`` the column costs a failed ``stat`` a document (the files do not exist).

    PYTHONPATH=. python benchmarks/workbook_bench.py [--documents 5000,50000] [--pairs 5]
        [--files]
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


def add_files(root: Path) -> int:
    """A file for each document of ``root``'s register and the facts cache a check would
    leave for them (one in ten signed, intact); returns the number of files."""
    import os

    from parindex.evidence.cache import FactsCache, file_key
    from parindex.evidence.documents import _CHECKS
    from parindex.evidence.register import load_register
    from parindex.evidence.signatures import SignatureFacts, encode_signatures

    store = FactsCache(root, _CHECKS)
    signed = encode_signatures([SignatureFacts("Signature1", "Nguyễn Văn A", "Sở KH&CN",
                                               "2021-03-01T09:00:00+07:00", intact=True)])
    count = 0
    for i, doc in enumerate(load_register(root / "register.yaml").documents):
        for f in doc.files:
            path = root / f.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4\n%%EOF\n")
            st = os.stat(path)
            store.put(f.path, file_key(st), {
                "sha256": "0" * 64, "kind": "pdf", "state": "text", "pages": 1, "error": None,
                "number": doc.number, "date": None, "ocr": None,
                "signatures": signed if i % 10 == 0 else ()})
            count += 1
    store.save()
    return count


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


def run(documents: int, pairs: int, files: bool = False) -> None:
    import os

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["PARINDEX_CACHE_DIR"] = str(tmp / "cache")  # never the user's cache
        root = make_dossier(tmp, documents)
        if files:
            assert add_files(root) == documents
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
        unsigned: list[float] = []
        view_with: list[float] = []
        view_without: list[float] = []
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
            unsigned.append(cpu(lambda i=i: export_workbook(root, tmp / f"nosig{i}.xlsx",
                                                            check=False, signatures=False)))
            view_with.append(cpu(lambda: evidence_view(d)))
            view_without.append(cpu(lambda: evidence_view(d, signatures=False)))
        signed = sum(r.signature == "Có – nguyên vẹn" for r in evidence.rows)
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
    where = (f"files present, cache warm, {signed:,} signed" if files else
             "no files (a failed stat each)")
    print(f"  Ký số column ({where}):")
    for label, times in (("export_workbook without the column (signatures=False)", unsigned),
                         ("evidence_view with the column", view_with),
                         ("evidence_view without the column", view_without)):
        print(f"  {label:<58} {_stats(times)}")
    print(f"  {'column cost in the view, s (paired difference)':<58} "
          f"{_stats([a - b for a, b in zip(view_with, view_without, strict=True)])}")
    print(f"  {'ratio export with / without the column':<58} "
          f"{_stats([f / u for f, u in zip(full, unsigned, strict=True)], 2)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", default="5000,50000",
                        help="register sizes, comma-separated")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--files", action="store_true",
                        help="give each document a file and a warm facts cache")
    args = parser.parse_args()
    for n in (int(x) for x in args.documents.split(",")):
        run(n, args.pairs, args.files)


if __name__ == "__main__":
    main()
