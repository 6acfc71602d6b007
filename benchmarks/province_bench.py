"""Benchmark: the province roll-up of 40 department workbooks.

Exports the example dossier's workbook once (with its evidence register), fills
``Điểm thẩm định`` with openpyxl, and copies it into 40 department workbooks (each its own
unit name and appraisal), plus a survey table for the 40. Then times, interleaved, as CPU
time of this process (the machine is shared), after one warm-up:

* ``province``: :func:`parindex.province.rollup.roll_up` over the folder with the survey
  table, and :func:`parindex.province.summary.write_summary` (what ``parindex province``
  does), and
* ``load``: openpyxl merely loading the same 40 files (``load_workbook(path)``, default
  options).

Prints medians, bests and the ratio of medians. Target: ≤ 2.

    PYTHONPATH=. python benchmarks/province_bench.py [--units 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from parindex.framework.catalog import load_framework
from parindex.province.rollup import roll_up
from parindex.province.summary import write_summary
from parindex.province.survey import read_survey
from parindex.scoring.dossier import load_dossier
from parindex.workbook.export import export_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"


def make_inbox(folder: Path, units: int) -> tuple[Path, Path]:
    """``units`` appraised department workbooks and the survey table."""
    inbox = folder / "inbox"
    inbox.mkdir()
    base = folder / "base.xlsx"
    result = export_workbook(EXAMPLE, base, check=False)
    card = load_dossier(EXAMPLE).score()
    leaves = [n for n in card.leaves() if n.method != "survey" and n.status == "scored"]
    names = []
    for i in range(units):
        wb = openpyxl.load_workbook(base)
        ws = wb.worksheets[0]
        for k, n in enumerate(leaves):
            cut = 0.25 if (i + k) % 7 == 0 and n.score >= 0.25 else 0
            ws.cell(row=result.rows[n.code], column=5, value=float(n.score) - cut)
        name = f"Sở số {i + 1:02d}"
        for p in wb.custom_doc_props:
            if p.name == "parindex.unit":
                p.value = name
        wb.save(inbox / f"bang-diem-{i + 1:02d}.xlsx")
        names.append(name)
    survey = folder / "dieu-tra.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Tên đơn vị", "8.1", "8.2", "8.3"])
    for i, name in enumerate(names):
        ws.append([i + 1, name, 6 + (i % 8) * 0.25, 3, 5.5 + (i % 5) * 0.5])
    wb.save(survey)
    return inbox, survey


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fw = load_framework("qn-so-2021")
    with tempfile.TemporaryDirectory() as tmp:
        inbox, survey = make_inbox(Path(tmp), args.units)
        files = sorted(inbox.glob("*.xlsx"))
        out = Path(tmp) / "tong-hop.xlsx"

        def province() -> None:
            result = roll_up(inbox, fw, read_survey(survey, fw), exclude=[out])
            assert len(result.units) == args.units, result.set_aside
            write_summary(result, out)

        def load() -> None:
            for f in files:
                openpyxl.load_workbook(f)

        province()
        load()
        times: dict[str, list[float]] = {"province": [], "load": []}
        for _ in range(args.repeat):
            times["province"].append(_cpu(province))
            times["load"].append(_cpu(load))
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    for k in times:
        print(f"{k:9} median {med[k]:.3f} s  best {best[k]:.3f} s  ({args.units} workbooks)")
    print(f"ratio province / load: median {med['province'] / med['load']:.2f}, "
          f"best {best['province'] / best['load']:.2f} (target ≤ 2)")


if __name__ == "__main__":
    main()
