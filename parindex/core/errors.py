"""Typed errors for input that cannot be used at all.

A dossier that is merely incomplete is *not* an error: it gives a report (see
:mod:`parindex.core.findings`). Errors here carry every problem found, each with file, line and
key path, so the user can fix them all in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["InputError", "ParindexError", "Problem", "UnknownFrameworkError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    message: str
    file: Path | None = None
    line: int | None = None
    key: str = ""

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
        parts = [p for p in (where, self.key) if p]
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class ParindexError(Exception):
    """Base class of every error parindex raises on purpose."""


class InputError(ParindexError):
    """An input file cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], title: str = "") -> None:
        self.problems = tuple(problems)
        self.title = title or "input cannot be used"
        lines = [f"{self.title} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ReaderStartError(ParindexError, RuntimeError):
    """The processes that read evidence files could not be started (the machine refused a
    process, or a reader died or hung before it was ready): no file is to blame. Also a
    ``RuntimeError``, as it was before it had a class of its own."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"không khởi động được tiến trình đọc tài liệu: {detail}")


class UnknownFrameworkError(ParindexError):
    """A framework id that is neither shipped nor a readable file."""
