"""Benchmark: what the CLI adds to start-up over its own libraries.

Paired runs (order rotated) of whole processes, wall and CPU time (on a shared machine the
CPU time is the steadier one):

* the floor: ``python -c "import typer, yaml, pydantic"``;
* ``python -m parindex --help``;
* ``python -m parindex check EXAMPLE`` with a warm cache (text output to a pipe);
* ``python -c "import parindex.cli.app"`` (the imports alone).

Prints min / median / max of each and of the difference to the floor in the same pair
(target: ``--help`` adds ≤ 100 ms). Also prints whether pandas, numpy, openpyxl or pypdfium2
were imported by ``--help`` or the check (they must not be; ``tests/test_startup.py`` tests it).

    PYTHONPATH=. python benchmarks/startup_bench.py [--pairs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
HEAVY = ("pandas", "numpy", "openpyxl", "pypdfium2")
PROBE = ("import sys; from parindex.cli.app import main\ntry:\n    main(sys.argv[1:])\n"
         "except SystemExit:\n    pass\n"
         f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), "
         "file=sys.stderr)")


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a whole process (CPU: user + system, from ``wait4``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def _heavy(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, env=env, check=False)
    found = [x for x in done.stderr.splitlines() if x.startswith("HEAVY=")]
    return found[-1].removeprefix("HEAVY=") if found else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parindex-startup-") as cache:
        # bytecode cached for every process, parindex's own modules too, as for an installed
        # package (with PYTHONDONTWRITEBYTECODE, as on CI machines, a checkout compiles
        # parindex's source again in every run while the floor's libraries come compiled)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PARINDEX_CACHE_DIR": cache,
               "PYTHONPYCACHEPREFIX": os.path.join(cache, "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        py = sys.executable
        commands = {
            "floor": [py, "-c", "import typer, yaml, pydantic"],
            "--help": [py, "-m", "parindex", "--help"],
            "check example (warm)": [py, "-m", "parindex", "check", str(EXAMPLE), "--as-of",
                                     "2022-01-15"],
            "import parindex.cli.app": [py, "-c", "import parindex.cli.app"],
        }
        for cmd in commands.values():
            _time(cmd, env)  # warm the file cache and the document cache
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        names = list(commands)
        for i in range(args.pairs):
            for name in names[i % len(names):] + names[:i % len(names)]:
                times[name].append(_time(commands[name], env))
        for k, label in ((0, "wall"), (1, "CPU")):
            print(f"{args.pairs} paired runs, {label} time in ms (min / median / max)")
            floor = [t[k] for t in times["floor"]]
            for name, pairs in times.items():
                ms = [t[k] * 1000 for t in pairs]
                line = (f"  {name:<26} {min(ms):6.0f} / {statistics.median(ms):6.0f} / "
                        f"{max(ms):6.0f}")
                if name != "floor":
                    extra = [(t[k] - f) * 1000 for t, f in zip(pairs, floor, strict=True)]
                    line += (f"   adds {min(extra):5.0f} / {statistics.median(extra):5.0f} / "
                             f"{max(extra):5.0f} ms over the floor")
                    if name == "--help":
                        line += " (target <= 100)"
                print(line)
        print("heavy libraries imported in the main process: "
              f"--help [{_heavy(['--help'], env)}], "
              f"check example [{_heavy(['check', str(EXAMPLE), '--as-of', '2022-01-15'], env)}]")


if __name__ == "__main__":
    main()
