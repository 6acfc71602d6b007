"""The ``parindex`` command line: the registry of commands, and the entry point.

Exit codes: 0 done (for ``check``: ready to submit), 1 the dossier has error findings,
2 usage error (also: an output that exists without ``--force``, or cannot be written there),
3 unreadable input (with ``--json``, the problems are also printed as JSON: ``{"error": …}``).
Every command lives in a module of its own topic; this is the one place that imports them and
names the commands. No command module imports this one.
Heavy libraries (pandas, openpyxl) are imported only inside the commands that use them, so
``parindex --help`` stays fast.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from parindex.cli import (
    check,
    criteria,
    entry,
    plan,
    province,
    report,
    run,
    score,
    simulate,
    workbook,
)
from parindex.cli.common import EXIT_UNREADABLE, EXIT_USAGE, err_console, print_json
from parindex.cli.usage import show_usage_error
from parindex.core.errors import InputError, ParindexError
from parindex.core.output import OutputError

__all__ = ["app", "main"]

app = typer.Typer(
    name="parindex",
    help="Chỉ số CCHC (PAR INDEX): chấm điểm tự đánh giá, kiểm tra hồ sơ, xuất bảng điểm.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command groups, then the commands, in the order ``--help`` lists them.
app.add_typer(criteria.criteria_app, name="criteria")
app.command("new")(entry.new_cmd)
app.add_typer(entry.form_app, name="form")
app.command("score")(score.score_cmd)
app.command("run")(run.run_cmd)
app.add_typer(plan.plan_app, name="plan")
app.command("calendar")(plan.calendar_cmd)
app.command("check")(check.check_cmd)
app.add_typer(check.register_app, name="register")
app.command("export")(workbook.export_cmd)
app.command("report")(report.report_cmd)
app.command("import-workbook")(workbook.import_workbook_cmd)
app.command("diff")(workbook.diff_cmd)
app.command("province")(province.province_cmd)
app.command("simulate")(simulate.simulate_cmd)
app.command("gains")(simulate.gains_cmd)
app.command("compare")(simulate.compare_cmd)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning parindex errors into clear messages.

    Help and usage errors are laid out with rich on a terminal only: typer's rich layer costs
    about 250 ms of imports, which a pipe or a script does not need."""
    app.rich_markup_mode = "rich" if sys.stdout.isatty() else None
    args = sys.argv[1:] if argv is None else argv
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
        err_console.print(f"[bold red]Lỗi:[/bold red] {escape(str(exc))}", highlight=False)
        raise SystemExit(EXIT_USAGE) from None
    except ParindexError as exc:
        err_console.print(f"[bold red]Lỗi:[/bold red] {escape(str(exc))}", highlight=False)
        raise SystemExit(EXIT_UNREADABLE) from None
    except KeyboardInterrupt:
        err_console.print("Đã hủy.")
        raise SystemExit(130) from None
    except Exception as exc:
        names = {c.__name__ for c in type(exc).__mro__}
        if "UsageError" in names:
            raise SystemExit(show_usage_error(exc, err_console)) from None
        if "Abort" in names:
            err_console.print("Đã hủy.")
            raise SystemExit(1) from None
        if "ClickException" in names:
            show = getattr(exc, "format_message", None)
            message = str(show()) if callable(show) else str(exc)
            err_console.print(f"[bold red]Lỗi:[/bold red] {escape(message)}", highlight=False)
            raise SystemExit(int(getattr(exc, "exit_code", 1))) from None
        raise
    if code == 130:  # typer turns an interrupt during a command into exit code 130
        err_console.print("Đã hủy.")
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        raise SystemExit(code)
