"""The command line. :func:`main` is the console entry point (``parindex``); the commands are
registered in :mod:`parindex.cli.app`, loaded on first call so that importing this package
costs nothing."""

from __future__ import annotations

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run ``parindex`` with ``argv`` (default: the process's arguments)."""
    from parindex.cli.app import main as run

    run(argv)
