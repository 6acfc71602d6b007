"""Running the command line: the settings every parindex app shares, the fast path of
``parindex check``, and parindex's errors turned into messages and exit codes.

The registry of commands is :mod:`parindex.cli.app`. Building its group reads the signature of
every command (some 40 ms) and imports every command module; ``parindex check DOSSIER`` is run
by an app holding the registry's ``check`` command alone (:func:`check_only`), so a warm
re-check pays for neither. Everything else it says is the registry's own (the same command
function, the same app settings: ``tests/test_cli_check.py`` compares their output).
"""

from __future__ import annotations

import sys

import typer

from parindex.cli.common import EXIT_UNREADABLE, EXIT_USAGE, err_console, print_json
from parindex.core.errors import InputError, ParindexError
from parindex.core.output import OutputError

__all__ = ["check_only", "new_app", "run"]


def new_app() -> typer.Typer:
    """A parindex app with no command yet (the settings the registry and the fast path share)."""
    return typer.Typer(
        name="parindex",
        help="Chỉ số CCHC (PAR INDEX): chấm điểm tự đánh giá, kiểm tra hồ sơ, xuất bảng điểm.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def _group() -> None:
    """(A group callback: the fast app stays a group, so ``check`` stays a command name.)"""


def check_only() -> typer.Typer:
    """An app with the registry's ``check`` command and nothing else (see the module's
    docstring): run for ``parindex check …``."""
    from parindex.cli.check import check_cmd

    app = new_app()
    app.callback()(_group)
    app.command("check")(check_cmd)
    return app


def is_check(args: list[str]) -> bool:
    """Whether ``args`` run ``parindex check`` (the fast path's one command)."""
    return args[:1] == ["check"]


def run(app: typer.Typer, args: list[str]) -> None:
    """Run ``app`` with ``args``, turning parindex errors into clear messages.

    Help and usage errors are laid out with rich on a terminal only: typer's rich layer costs
    about 250 ms of imports, which a pipe or a script does not need."""
    app.rich_markup_mode = "rich" if sys.stdout.isatty() else None
    try:
        # not standalone: the parser's usage errors come here, to be said in Vietnamese
        code = app(args=args, standalone_mode=False)
    except InputError as exc:
        from parindex.cli.render import input_error  # only when needed: rich tables cost time

        input_error(err_console, exc)
        if "--json" in args:  # whoever reads the JSON gets the problems too, not an empty page
            print_json({"error": {"title": exc.title, "exit_code": EXIT_UNREADABLE,
                                  "problems": [{"message": p.message,
                                                "file": None if p.file is None else str(p.file),
                                                "line": p.line, "key": p.key}
                                               for p in exc.problems]}})
        raise SystemExit(EXIT_UNREADABLE) from None
    except OutputError as exc:  # where to write is the user's choice: a usage error
        _say_error(str(exc))
        raise SystemExit(EXIT_USAGE) from None
    except ParindexError as exc:
        _say_error(str(exc))
        raise SystemExit(EXIT_UNREADABLE) from None
    except KeyboardInterrupt:
        err_console.print("Đã hủy.")
        raise SystemExit(130) from None
    except Exception as exc:
        names = {c.__name__ for c in type(exc).__mro__}
        if "UsageError" in names:
            from parindex.cli.usage import show_usage_error

            raise SystemExit(show_usage_error(exc, err_console)) from None
        if "Abort" in names:
            err_console.print("Đã hủy.")
            raise SystemExit(1) from None
        if "ClickException" in names:
            show = getattr(exc, "format_message", None)
            _say_error(str(show()) if callable(show) else str(exc))
            raise SystemExit(int(getattr(exc, "exit_code", 1))) from None
        raise
    if code == 130:  # typer turns an interrupt during a command into exit code 130
        err_console.print("Đã hủy.")
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        raise SystemExit(code)


def _say_error(message: str) -> None:
    from rich.markup import escape  # only when there is an error to say

    err_console.print(f"[bold red]Lỗi:[/bold red] {escape(message)}", highlight=False)
