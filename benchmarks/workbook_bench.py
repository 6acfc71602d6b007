"""Benchmark: export a dossier with a 5,000-document evidence register.

Copies the example dossier (without its document files) to a temporary folder, writes a
``register.yaml`` of ``--documents`` documents (default 5,000), and times

* ``export``: :func:`parindex.workbook.export.export_workbook` on that folder (load the dossier and
  its register, score, build, save; the dossier check is left out: ``benchmarks/
  check_bench.py`` measures it), and
* ``bare``: a bare openpyxl write of the same cells (same values at the same coordinates of
  the same sheets; no styles, links, merges, validation, table or chart),

interleaved, as CPU time of this process (on a shared machine wall time also measures the
neighbours), after one warm-up export. Prints medians, bests and their ratios; the write
alone (:func:`write_workbook` from the scorecard and register already loaded) is reported too.
Target: ratio of medians ≤ 1.5.

    PYTHONPATH=. /work/venv/bin/python benchmarks/workbook_bench.py [--documents 5000]
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


def cpu(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = make_dossier(tmp, args.documents)
        export_workbook(root, tmp / "warm-up.xlsx", check=False)  # and the register cache
        d = load_dossier(root)
        card = d.score()
        m = d.manifest
        heading = Heading(m.unit, m.year, m.superior, m.province)
        evidence = evidence_view(d)
        assert len(evidence.rows) == args.documents
        wb, _ = build_workbook(card, heading, evidence, link_base=root, out_dir=tmp)
        sheets = cells_of(wb)
        ncells = sum(len(c) for _, c in sheets)
        bare: list[float] = []
        full: list[float] = []
        write: list[float] = []
        for i in range(args.repeat):  # interleaved, so that load on the machine hits all
            bare.append(cpu(lambda i=i: bare_write(sheets, tmp / f"bare{i}.xlsx")))
            full.append(cpu(lambda i=i: export_workbook(root, tmp / f"export{i}.xlsx",
                                                        check=False)))
            write.append(cpu(lambda i=i: write_workbook(card, tmp / f"write{i}.xlsx", heading,
                                                        evidence, link_base=root)))
    med = statistics.median
    print(f"register documents: {args.documents}; cells: {ncells}; repeats: {args.repeat}; "
          "CPU time of this process")
    for label, times in (("bare openpyxl write of the same cells", bare),
                         ("export_workbook (load dossier + register, score, write)", full),
                         ("write_workbook alone (styles, links, validation, chart)", write)):
        print(f"{label}: median {med(times):.3f} s, best {min(times):.3f} s")
    print(f"ratio export / bare: median {med(full) / med(bare):.2f}, best "
          f"{min(full) / min(bare):.2f} (target <= 1.5)")
    print(f"ratio write / bare: median {med(write) / med(bare):.2f}, best "
          f"{min(write) / min(bare):.2f}")


if __name__ == "__main__":
    main()
