"""Benchmark: export the example dossier with a 5,000-document evidence register.

Prints the export time as a ratio to a bare openpyxl write of the same cells (same values at
the same coordinates of the same sheets, no styles, links, merges, validation or chart),
both measured in this run, interleaved, as CPU time of this process (on a shared machine
wall time also measures the neighbours). Target: ratio of medians ≤ 1.5.

    PYTHONPATH=. /work/venv/bin/python benchmarks/workbook_bench.py [--documents 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from parindex.dossier import load_dossier
from parindex.workbook import EvidenceView, Heading, RegisterRow, build_workbook, write_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
KINDS = ("KH", "QĐ", "BC", "TB", "CV", "TTr", "HD")


def register(n: int, codes: list[str], seed: int = 2021) -> EvidenceView:
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        kind = rnd.choice(KINDS)
        rows.append(RegisterRow(
            number=f"{i}/{kind}-SKHCN",
            title=f"Về việc triển khai nhiệm vụ cải cách hành chính số {i} năm 2021 của Sở "
                  "Khoa học và Công nghệ tỉnh Quảng Ngãi",
            date=dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randrange(365)),
            issuer="Sở Khoa học và Công nghệ",
            items=tuple(rnd.sample(codes, rnd.randint(1, 2))),
            path=f"documents/{i:05d}-{kind}-SKHCN.pdf",
        ))
    return EvidenceView(rows=tuple(rows))


def cells_of(card: Any, heading: Heading, evidence: EvidenceView) -> list[tuple[str, list[
        tuple[int, int, Any]]]]:
    wb, _ = build_workbook(card, heading, evidence)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    d = load_dossier(EXAMPLE)
    card = d.score()
    heading = Heading(d.manifest.unit, d.manifest.year, d.manifest.superior, d.manifest.province)
    evidence = register(args.documents, [n.code for n in card.leaves()
                                         if n.method != "survey"])
    sheets = cells_of(card, heading, evidence)
    ncells = sum(len(c) for _, c in sheets)
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):  # interleaved, so that load on the machine hits both
            gc.collect()
            t0 = time.process_time()
            bare_write(sheets, Path(tmp) / f"bare{i}.xlsx")
            t1 = time.process_time()
            gc.collect()
            t2 = time.process_time()
            write_workbook(card, Path(tmp) / f"ours{i}.xlsx", heading, evidence,
                           link_base=EXAMPLE)
            t3 = time.process_time()
            bare.append(t1 - t0)
            ours.append(t3 - t2)
    print(f"register documents: {args.documents}; cells: {ncells}; repeats: {args.repeat}")
    print("CPU time of this process (the machine may be shared; wall time would measure the "
          "neighbours too)")
    print(f"bare openpyxl write of the same cells: best {min(bare):.3f} s, "
          f"median {statistics.median(bare):.3f} s")
    print(f"parindex export (styles, links, validation, chart): best {min(ours):.3f} s, "
          f"median {statistics.median(ours):.3f} s")
    print(f"ratio of medians: {statistics.median(ours) / statistics.median(bare):.2f}; "
          f"ratio of bests: {min(ours) / min(bare):.2f} (target <= 1.5)")

if __name__ == "__main__":
    main()
