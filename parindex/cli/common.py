"""What every command shares: exit codes, consoles, common arguments, JSON output, ``--as-of``.

This module imports no command module and no heavy library; command modules import it, and
the registry (:mod:`parindex.cli.app`) imports the command modules.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, cast

import typer

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "MAX_RUNS",
    "AsOfOpt",
    "DossierArg",
    "JsonOpt",
    "PercentOpt",
    "RunsOpt",
    "SeedOpt",
    "console",
    "err_console",
    "parse_day",
    "parse_percent",
    "parse_runs",
    "parse_seed",
    "print_framework_status",
    "print_json",
    "print_report_written",
    "use_colours",
]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3



_RICH_ENV = ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR")
"""Environment variables with which rich's own decision is asked for (see ``colours``)."""


class _LazyConsole:
    """A rich ``Console`` made on first use (importing rich costs some 30 ms, which a warm
    ``parindex check`` to a pipe does not need): every attribute is the console's, except
    that ``is_terminal`` and ``file`` are answered without rich while the stream is surely not
    a terminal for rich (not a tty, and neither ``TTY_COMPATIBLE`` nor ``FORCE_COLOR`` set:
    then rich says ``False`` and writes to the stream itself); and ``file`` and
    :meth:`colours` on a plain POSIX terminal (:meth:`_tty`: the findings list written there
    needs only the stream and whether to colour it)."""

    def __init__(self, stderr: bool) -> None:
        stream = sys.stderr if stderr else sys.stdout
        # wide enough for the score table when output goes to a file or a pipe
        width = None if stream.isatty() else 140
        object.__setattr__(self, "_args", {"stderr": stderr, "width": width})
        object.__setattr__(self, "_console", None)

    def _real(self) -> Console:
        made: Console | None = object.__getattribute__(self, "_console")
        if made is None:
            from rich.console import Console

            made = Console(**object.__getattribute__(self, "_args"))
            object.__setattr__(self, "_console", made)
        return made

    def _plain(self) -> IO[str] | None:
        """The stream, if no console was made yet and rich would not call it a terminal."""
        if object.__getattribute__(self, "_console") is not None or \
                "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
            return None
        stream = sys.stderr if object.__getattribute__(self, "_args")["stderr"] else sys.stdout
        if stream is None or hasattr(stream, "rich_proxied_file"):
            return None
        try:
            return None if stream.isatty() else stream
        except (AttributeError, ValueError):
            return None

    @property
    def is_terminal(self) -> bool:
        return False if self._plain() is not None else self._real().is_terminal

    def _tty(self) -> IO[str] | None:
        """The stream, if no console was made yet and it is a POSIX terminal rich would take
        as it is (no environment variable asking rich to decide otherwise)."""
        stream = sys.stderr if object.__getattribute__(self, "_args")["stderr"] else sys.stdout
        if object.__getattribute__(self, "_console") is not None or os.name != "posix" or \
                any(v in os.environ for v in _RICH_ENV) or stream is None or \
                hasattr(stream, "rich_proxied_file") or "idlelib" in sys.modules or \
                "ipykernel" in sys.modules:
            return None
        try:
            return stream if stream.isatty() else None
        except (AttributeError, ValueError):
            return None

    def colours(self) -> bool:
        """Whether plain ANSI colours may be written to the stream, as rich decides it (a
        terminal that is not dumb, ``NO_COLOR`` unset), answered without rich on a POSIX
        terminal (:meth:`_tty`)."""
        if self._tty() is not None:
            return os.environ.get("TERM", "").lower() not in ("dumb", "unknown") and \
                os.environ.get("NO_COLOR", "") == ""
        if self._plain() is not None:
            return False
        real = self._real()
        return real.is_terminal and real.color_system is not None and not real.no_color

    @property
    def file(self) -> IO[str]:
        plain = self._plain() or self._tty()
        return plain if plain is not None else self._real().file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._real(), name, value)


def use_colours(con: Console) -> bool:
    """Whether the findings may be written to ``con``'s stream with ANSI colours: a terminal
    that takes colours, and ``NO_COLOR`` unset (see :meth:`_LazyConsole.colours`)."""
    if isinstance(con, _LazyConsole):
        return con.colours()
    return con.is_terminal and con.color_system is not None and not con.no_color


console = cast("Console", _LazyConsole(stderr=False))
err_console = cast("Console", _LazyConsole(stderr=True))

DossierArg = Annotated[Path, typer.Argument(help="Thư mục hồ sơ (dossier folder).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")]

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(value: str | dt.date | None) -> dt.date | None:
    """``2022-01-15`` or ``15/01/2022`` → a date; anything else is a usage error (exit 2)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = _DMY.fullmatch(text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    raise typer.BadParameter(f"ngày không hợp lệ: {value!r} (dùng 2022-01-15 hoặc 15/01/2022)",
                             param_hint="'--as-of'")


AsOfOpt = Annotated[dt.date | None, typer.Option(
    "--as-of", parser=parse_day, metavar="NGÀY",
    help="Ngày xét (mặc định: hôm nay): 2022-01-15 hoặc 15/01/2022.")]
"""The one ``--as-of`` option: parsed at the command line, a bad date exits 2 everywhere."""


MAX_RUNS = 1_000_000
"""The most Monte Carlo runs one ``simulate`` makes (the probability is then known to ±0,1 %)."""


def _int(value: str | int, option: str, what: str) -> int:
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip().replace("_", ""))
    except ValueError:
        raise typer.BadParameter(f"{what} phải là số nguyên: {value!r}",
                                 param_hint=f"'{option}'") from None


def parse_runs(value: str | int) -> int:
    """``--runs``: a whole number from 1 to :data:`MAX_RUNS` (else a usage error, exit 2)."""
    runs = _int(value, "--runs", "số lần mô phỏng")
    if not 1 <= runs <= MAX_RUNS:
        raise typer.BadParameter(f"số lần mô phỏng phải từ 1 đến {MAX_RUNS:,}".replace(",", ".")
                                 + f" (đã cho {value})", param_hint="'--runs'")
    return runs


def parse_seed(value: str | int) -> int:
    """``--seed``: a whole number from 0 to 2⁶⁴ − 1 (numpy refuses negative seeds)."""
    seed = _int(value, "--seed", "hạt giống ngẫu nhiên")
    if not 0 <= seed < 2**64:
        raise typer.BadParameter(f"hạt giống ngẫu nhiên phải từ 0 đến 2^64 − 1 (đã cho {value})",
                                 param_hint="'--seed'")
    return seed


def parse_percent(value: str | float) -> float:
    """``--target``: a percentage from 0 to 100 (``nan``, ``inf`` are a usage error)."""
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) \
            else float(value)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= 100:  # also false for nan
        raise typer.BadParameter(f"mục tiêu phải là một số từ 0 đến 100 (đã cho {value})",
                                 param_hint="'--target'")
    return number


RunsOpt = Annotated[int, typer.Option(
    "--runs", parser=parse_runs, metavar="SỐ",
    help=f"Số lần mô phỏng (1 đến {MAX_RUNS:,}).".replace(",", "."))]
SeedOpt = Annotated[int, typer.Option(
    "--seed", parser=parse_seed, metavar="SỐ", help="Hạt giống ngẫu nhiên (số nguyên ≥ 0).")]
PercentOpt = Annotated[float, typer.Option(
    "--target", parser=parse_percent, metavar="%", help="Mục tiêu Chỉ số CCHC (%), 0–100.")]


def print_json(data: Any) -> None:
    """Print plain data as JSON (UTF-8, Vietnamese kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_framework_status(status: str, grade_withheld: str | None, framework: str = "") -> None:
    """Say loudly, after writing a workbook or a report, that the framework is provisional
    (the score is then a reconstruction, not the official result) and why no grade is
    printed."""
    if status != "official":
        name = f" {framework}" if framework else ""
        console.print(f"[bold yellow]CHÚ Ý: bộ tiêu chí{name} là KHUNG TẠM THỜI, chưa phải bảng "
                      "chính thức: điểm tối đa và cách chấm phải được đối chiếu lại với bảng "
                      "chính thức trước khi gửi.[/bold yellow]", highlight=False)
    if grade_withheld:
        console.print(f"Không ghi xếp loại: {grade_withheld}", highlight=False)


def print_report_written(out: Path, content: Any) -> None:
    """What ``report`` and ``run`` say once the report
    (:class:`~parindex.report.content.ReportContent`) is written."""
    console.print(f"Đã ghi {out} (báo cáo: tổng điểm tự đánh giá {content.total_score}, chỉ "
                  f"số {content.index}%; số ký hiệu {content.number}).", highlight=False)
    print_framework_status("provisional" if content.provisional else "official",
                           content.grade_withheld)
