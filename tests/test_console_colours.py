"""Colours of the findings list decided without rich on a plain terminal, as rich decides them
(a warm ``parindex check`` to a terminal does not import rich for it: issue 17)."""

from __future__ import annotations

import io
import os
import sys

import pytest

from parindex.cli.common import _LazyConsole, use_colours


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


ENVS = [
    {}, {"TERM": "xterm-256color"}, {"TERM": "dumb"}, {"TERM": "UNKNOWN"}, {"TERM": ""},
    {"NO_COLOR": "1"}, {"NO_COLOR": ""}, {"TERM": "dumb", "NO_COLOR": "1"},
    {"COLORTERM": "truecolor"}, {"TERM": "linux"},
]


@pytest.mark.skipif(os.name != "posix", reason="the plain-terminal answer is POSIX only")
@pytest.mark.parametrize("tty", [True, False])
@pytest.mark.parametrize("env", ENVS, ids=[repr(e) for e in ENVS])
def test_colours_without_rich_agree_with_rich(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                              tty: bool) -> None:
    for name in ("TERM", "NO_COLOR", "COLORTERM", "FORCE_COLOR", "TTY_COMPATIBLE",
                 "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = _Tty() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    lazy = _LazyConsole(stderr=False)
    plain = lazy.colours()
    assert object.__getattribute__(lazy, "_console") is None  # answered without rich
    assert lazy.file is stream
    from rich.console import Console

    real = Console(file=stream)
    assert plain == (real.is_terminal and real.color_system is not None and not real.no_color)
    assert use_colours(real) == plain
    assert plain == (tty and env.get("TERM", "").lower() not in ("dumb", "unknown")
                     and not env.get("NO_COLOR"))


@pytest.mark.parametrize("force", ["1", ""])
def test_force_color_leaves_the_decision_to_rich(monkeypatch: pytest.MonkeyPatch,
                                                 force: str) -> None:
    monkeypatch.setenv("FORCE_COLOR", force)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # not a terminal: rich is forced
    lazy = _LazyConsole(stderr=False)
    assert lazy.colours() is (force == "1")
    assert object.__getattribute__(lazy, "_console") is not None
