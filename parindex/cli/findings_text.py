"""The findings list as plain lines: what ``check`` and ``run`` print, fast at any size.

Findings of one kind with the same hint are grouped: the kind's severity, code and title once,
then one line per finding (where it is, and its full message), then the hint once. Every
message and every place is printed; only the repeated hint is not. Lines are written directly
(no rich rendering, no markup to escape): thousands of findings take milliseconds. On a
terminal that takes colours, severity, code and hint are coloured with plain ANSI codes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO

from parindex.core.findings import CATALOGUE, Finding, Report

__all__ = ["finding_lines", "write_findings"]

_NAMES = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}
_COLOURS = {"error": "31", "warning": "33", "info": "34"}


def _where(f: Finding) -> str:
    return " ".join(x for x in (f.item and f"tiêu chí {f.item}", f.document, f.task,
                                f.file if f.file != f.document else None) if x)


def _groups(report: Report) -> list[list[Finding]]:
    """Findings grouped by (code, hint), groups in order of their first finding."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        groups.setdefault((f.code, f.hint), []).append(f)
    return list(groups.values())


def finding_lines(report: Report, colour: bool = False,
                  titles: Mapping[str, str] | None = None) -> Iterator[str]:
    """The lines of the findings list, the report's headline last. Each kind's title is
    taken from ``titles`` (code → title) when given, else from the catalogue."""
    if colour:
        def paint(code: str, text: str) -> str:
            return f"\x1b[{code}m{text}\x1b[0m"
    else:
        def paint(code: str, text: str) -> str:
            return text
    for group in _groups(report):
        first = group[0]
        if titles is not None:
            named = titles.get(first.code)
        else:
            kind = CATALOGUE.get(first.code)
            named = kind.title if kind is not None else None
        title = f" — {named}" if named else ""
        count = f" ({len(group)})" if len(group) > 1 else ""
        yield (f"{paint(_COLOURS[first.severity], _NAMES[first.severity])} "
               f"{paint('1', first.code)}{title}{count}")
        for f in group:
            where = _where(f)
            yield f"    {where}: {f.message}" if where else f"    {f.message}"
        if first.hint:
            yield f"    {paint('2', '→ ' + first.hint)}"
    yield report.summary().split("\n", 1)[0]


def write_findings(stream: IO[str], report: Report, colour: bool = False,
                   titles: Mapping[str, str] | None = None) -> None:
    """Write :func:`finding_lines` to ``stream`` in one call."""
    stream.write("\n".join(finding_lines(report, colour, titles)) + "\n")
    stream.flush()
