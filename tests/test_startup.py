"""Start-up stays light: ``--help`` and ``check`` on the example import no heavy library in
the main process (the time it costs is printed by ``benchmarks/startup_bench.py``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLE, ROOT

HEAVY = ("pandas", "numpy", "openpyxl", "pypdfium2")

PROBE = f"""
import sys
from parindex.cli.app import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print("HEAVY=" + ",".join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)
"""


def _heavy_imported(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, env=env, check=False)
    lines = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert lines, done.stderr
    return lines[-1].removeprefix("HEAVY=")


def test_help_imports_no_heavy_library() -> None:
    assert _heavy_imported("--help") == ""


def test_warm_check_of_the_example_imports_no_heavy_library() -> None:
    _heavy_imported("check", str(EXAMPLE), "--as-of", "2022-01-15")  # fills the cache
    assert _heavy_imported("check", str(EXAMPLE), "--as-of", "2022-01-15") == ""
    assert _heavy_imported("check", str(EXAMPLE), "--as-of", "2022-01-15", "--json") == ""


@pytest.mark.skipif((os.cpu_count() or 1) < 2,
                    reason="with one CPU the files are read in the main process")
def test_cold_check_of_the_example_reads_pdfs_outside_the_main_process() -> None:
    assert _heavy_imported("check", str(EXAMPLE), "--as-of", "2022-01-15", "--no-cache") == ""


def test_help_to_a_pipe_is_plain_and_lists_every_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = ("import sys, subprocess; from parindex.cli.app import main\ntry:\n"
             "    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print('RICH=' + str('typer.rich_utils' in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, check=False)
    assert "RICH=False" in done.stderr  # typer's rich layer: ~250 ms, for terminals only
    assert "╭" not in done.stdout
    for command in ("criteria", "score", "run", "plan", "check", "register", "export",
                    "simulate"):
        assert f"\n  {command} " in done.stdout


def test_warm_check_to_a_pipe_loads_neither_the_registry_nor_rich() -> None:
    """The fast path of ``parindex check`` (issue 17): the registry's group, the other command
    modules, rich and the reader workers cost a warm re-check some 100 ms, and it needs none."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = ("import sys; from parindex.cli import main\ntry:\n    main(sys.argv[1:])\n"
             "except SystemExit:\n    pass\nsys.stdout.flush()\n"
             "print('LOADED=' + ','.join(m for m in ('parindex.cli.app', 'parindex.cli.workbook',"
             " 'rich', 'multiprocessing') if m in sys.modules), file=sys.stderr)")
    args = [sys.executable, "-c", probe, "check", str(EXAMPLE), "--as-of", "2022-01-15"]
    subprocess.run(args, capture_output=True, env=env, check=False)  # fills the cache
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert "Hồ sơ" in done.stdout
    assert "LOADED=\n" in done.stderr + "\n", done.stderr
