"""The notebooks (jupytext percent .py files, no stored outputs) run top to bottom in a real
kernel, with its own display path: no ``MPLBACKEND``, no ``%matplotlib inline``. Their saved
outputs must hold a chart (image/png) and a table (text/html) each; the leadership notebook is
also exported as ``jupyter nbconvert --to html --no-input`` and read as its audience would."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))
LEADERSHIP = ROOT / "notebooks" / "leadership-overview.py"
_RUN: dict[Path, Any] = {}


def test_the_four_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == ["comparison.py", "leadership-overview.py",
                                          "missing-evidence.py", "score-simulation.py"]


def executed(path: Path) -> Any:
    """The notebook run once per session in a python3 kernel (outputs kept in memory)."""
    if path not in _RUN:
        nb = jupytext.read(path)
        assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
        assert all(not c.get("outputs") for c in nb.cells)  # text files keep no outputs
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", ""))
                                            if p)
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)  # the kernel inherits this environment
        try:
            client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                    resources={"metadata": {"path": str(ROOT)}})
            client.execute()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        _RUN[path] = nb
    return _RUN[path]


def _outputs(nb: Any) -> list[Any]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path) -> None:
    nb = executed(path)
    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert errors == []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code_cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_hold_a_chart_and_a_table(path: Path) -> None:
    data = [o.get("data", {}) for o in _outputs(executed(path))]
    pngs = [d["image/png"] for d in data if "image/png" in d]
    tables = [d["text/html"] for d in data if "<table" in d.get("text/html", "")]
    assert pngs and tables
    # a Figure is displayed once, as an image, not as "<Figure size 800x520 with 1 Axes>"
    assert not any(d.get("text/plain", "").startswith("<Figure") and "image/png" not in d
                   for d in data)


def test_result_tables_come_from_the_results_themselves() -> None:
    html_out = [o["data"]["text/html"] for o in _outputs(executed(
        ROOT / "notebooks" / "score-simulation.py")) if "text/html" in o.get("data", {})]
    assert any(h.startswith('<div class="parindex"') for h in html_out)


def test_leadership_notebook_reads_without_code(tmp_path: Path) -> None:
    nb = executed(LEADERSHIP)
    ipynb = tmp_path / "tong-quan.ipynb"
    nbformat.write(nb, ipynb)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input",
                    str(ipynb), "--output-dir", str(tmp_path)], check=True,
                   capture_output=True, text=True)
    page = (tmp_path / "tong-quan.html").read_text(encoding="utf-8")
    body = page[page.index("<body"):]
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(
        r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)))
    # no code, no Python objects, no tracebacks: only the text, the tables and the charts
    for trace in ("import ", "parindex", "Traceback", "<Scorecard", "<Report", "Decimal(",
                  "dossier", "In [", "Out["):
        assert trace not in text, trace
    assert body.count("<img") >= 2 and body.count("<table") >= 3
    for heading in ("Chúng ta đang ở đâu", "Còn thiếu gì", "Khả năng đạt mục tiêu"):
        assert heading in text
    assert "90,04" in text  # the index, in the Vietnamese number format
