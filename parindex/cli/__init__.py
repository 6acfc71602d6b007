"""The command line. :func:`main` is the console entry point (``parindex``); the commands are
registered in :mod:`parindex.cli.app`, loaded on first call so that importing this package
costs nothing (``parindex check`` does not load it: :mod:`parindex.cli.launch`)."""

from __future__ import annotations

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run ``parindex`` with ``argv`` (default: the process's arguments)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    from parindex.cli.launch import is_check

    if is_check(args):  # the fast path: neither the registry nor the other command modules
        from parindex.cli.launch import check_only, run

        run(check_only(), args)
        return
    from parindex.cli.app import main as run_app

    run_app(args)
