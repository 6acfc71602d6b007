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
from parindex.cli.launch import check_only, is_check, new_app
from parindex.cli.launch import run as run_app

__all__ = ["app", "main"]

app = new_app()

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
    """Console entry point: run the app, turning parindex errors into clear messages
    (:func:`parindex.cli.launch.run`); ``parindex check …`` runs the registry's ``check``
    alone (:func:`parindex.cli.launch.check_only`)."""
    args = sys.argv[1:] if argv is None else argv
    run_app(check_only() if is_check(args) else app, args)
