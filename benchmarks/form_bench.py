"""Benchmark: the input form (phiếu nhập số liệu) of a 100-item framework, out and back in.

Builds a synthetic framework of ``--items`` scored items (default 100: choice, percent bands,
proportional, count bands and deduction rules in turn) in a temporary dossier whose
``self-assessment.yaml`` answers every item, and times, interleaved, as CPU time of this process
(on a shared machine wall time also measures the neighbours), after one warm-up:

* ``export``: :func:`parindex.entry.form_export.export_forms` of the loaded dossier (styles,
  validations, protection, identity sheet, save) against ``bare write``: openpyxl writing the
  same values at the same coordinates of the same sheets (no style, validation or
  protection), and saving;
* ``import``: :func:`parindex.entry.form_import.import_forms` of that form into the dossier
  with a blank ``self-assessment.yaml`` (read, check every cell, decide, rewrite the YAML in
  round-trip mode, validate, replace atomically) against ``bare read``: openpyxl opening the
  same file (read-only, values) and reading every cell of every sheet. ``import --dry-run``
  (no YAML written) is reported too, and ``rewrite filled``: the update of a YAML file whose
  items are already filled (the ruamel round trip, not the quick fill of blank items), alone.

Prints medians, bests and the ratios of medians. Target: each ratio under 2.

    PYTHONPATH=. python benchmarks/form_bench.py [--items 100] [--repeat 15]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parindex.core.yamlio import dump_yaml
from parindex.entry.form_export import export_forms
from parindex.entry.form_import import import_forms
from parindex.entry.skeleton import skeleton_text
from parindex.scoring.dossier import load_dossier

OPTIONS = [{"id": "dat", "label": "Đạt yêu cầu", "points": 1},
           {"id": "dat-mot-phan", "label": "Đạt một phần", "points": 0.5},
           {"id": "khong-dat", "label": "Không đạt yêu cầu", "points": 0}]
RULES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"type": "choice", "options": OPTIONS}, {"option": "dat-mot-phan"}),
    ({"type": "bands", "bands": [{"from": 90, "points": 1}, {"from": 50, "below": 90,
                                                              "points": 0.5},
                                 {"below": 50, "points": 0}]},
     {"done": 41, "total": 45, "explanation": "Hoàn thành 41/45 nhiệm vụ; 04 nhiệm vụ chuyển "
                                              "sang năm sau do chưa đủ kinh phí thực hiện."}),
    ({"type": "proportional", "from": 50}, {"percent": 86, "note": "Số liệu của Văn phòng."}),
    ({"type": "bands", "measure": "count", "bands": [{"from": 2, "points": 1},
                                                     {"below": 2, "points": 0}]},
     {"count": 3}),
    ({"type": "deduction", "penalties": [{"id": "tre-han", "label": "Trễ hạn", "points": 0.25},
                                         {"id": "khong-gui", "label": "Không gửi",
                                          "points": 0.5}]},
     {"occurrences": {"tre-han": 1, "khong-gui": 0}}),
]


def make_dossier(folder: Path, n: int) -> Path:
    """A dossier with an ``n``-item framework (10 items an area) answering every item."""
    root = folder / "dossier"
    root.mkdir()
    areas, answers = [], {}
    per_area = 10
    for a in range(1, -(-n // per_area) + 1):
        crits = []
        for c in range(1, per_area + 1):
            i = (a - 1) * per_area + c - 1
            if i >= n:
                break
            rule, answer = RULES[i % len(RULES)]
            code = f"{a}.{c}"
            crits.append({"code": code, "name": f"Tiêu chí {code}: nội dung cần đánh giá",
                          "max_points": 1, "source": "benchmark", "rule": rule,
                          "document_types": ["KH", "BC"]})
            answers[code] = answer
        areas.append({"code": str(a), "name": f"Lĩnh vực {a}", "max_points": len(crits),
                      "source": "benchmark", "criteria": crits})
    fw = {"kind": "parindex/framework", "schema_version": 1, "id": "bench-100",
          "title": "Bộ tiêu chí thử", "province": "Quảng Ngãi", "level": "sở",
          "scoring_year": 2021, "status": "provisional", "total_points": n, "areas": areas}
    (root / "framework.yaml").write_text(dump_yaml(fw), encoding="utf-8")
    (root / "dossier.yaml").write_text(dump_yaml({
        "kind": "parindex/dossier", "schema_version": 1, "unit": "Sở Thử nghiệm tỉnh Quảng Ngãi",
        "province": "Quảng Ngãi", "year": 2021, "framework": "framework.yaml"}),
        encoding="utf-8")
    (root / "self-assessment.yaml").write_text(dump_yaml({
        "kind": "parindex/self-assessment", "schema_version": 1, "items": answers}),
        encoding="utf-8")
    return root


def cells_of(path: Path) -> dict[str, list[tuple[int, int, Any]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row
                       if c.value is not None] for ws in wb.worksheets}


def bare_write(cells: dict[str, list[tuple[int, int, Any]]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, values in cells.items():
        ws = wb.create_sheet(title)
        for r, c, v in values:
            ws.cell(r, c).value = v
    wb.save(path)


def bare_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None)
    wb.close()
    return n


def cpu(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = make_dossier(folder, args.items)
        dossier = load_dossier(root)
        form = folder / "phieu.xlsx"
        export_forms(dossier, form, force=True)
        cells = cells_of(form)
        sa = root / "self-assessment.yaml"
        blank = skeleton_text(dossier.framework, dossier.manifest.unit)
        sa.write_text(blank, encoding="utf-8")
        result = import_forms(root, [form])
        assert result.report.valid and len(result.changes) == args.items, result.report.summary()

        def do_import() -> None:
            import_forms(root, [form])

        from parindex.entry.sayaml import update_self_assessment

        filled = sa.read_text(encoding="utf-8")
        changes = {c.item: {**c.new, "note": "Đã sửa"} for c in result.changes}
        times: dict[str, list[float]] = {k: [] for k in ("export", "bare write", "import",
                                                          "import --dry-run", "bare read",
                                                          "rewrite filled")}
        for _ in range(args.repeat):
            times["export"].append(cpu(lambda: export_forms(dossier, form, force=True)))
            times["bare write"].append(cpu(lambda: bare_write(cells, folder / "bare.xlsx")))
            sa.write_text(blank, encoding="utf-8")
            times["import"].append(cpu(do_import))
            times["import --dry-run"].append(cpu(lambda: import_forms(root, [form],
                                                                      dry_run=True)))
            times["bare read"].append(cpu(lambda: bare_read(form)))
            sa.write_text(filled, encoding="utf-8")
            times["rewrite filled"].append(cpu(lambda: update_self_assessment(
                sa, dossier.framework, changes)))
        n_cells = sum(len(v) for v in cells.values())
        print(f"{args.items} items, {n_cells} cells, {args.repeat} rounds (CPU seconds)")
        med = {k: statistics.median(v) for k, v in times.items()}
        for k, v in times.items():
            print(f"  {k:<17} median {med[k]:.4f}  best {min(v):.4f}")
        print(f"ratio export / bare write:           {med['export'] / med['bare write']:.2f}")
        print(f"ratio import / bare read:            {med['import'] / med['bare read']:.2f}")
        print(f"ratio import --dry-run / bare read:  "
              f"{med['import --dry-run'] / med['bare read']:.2f}")


if __name__ == "__main__":
    main()
