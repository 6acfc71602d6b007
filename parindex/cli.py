"""The ``parindex`` command line: a thin layer over the library.

Exit codes: 0 done (for ``check``: ready to submit), 1 the dossier has error findings,
2 usage error, 3 unreadable input. Heavy libraries (pandas, openpyxl) are imported only by
the commands that use them, so ``parindex --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from .errors import InputError, ParindexError

__all__ = ["app", "main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

app = typer.Typer(
    name="parindex",
    help="Chỉ số CCHC (PAR INDEX): chấm điểm tự đánh giá, kiểm tra hồ sơ, xuất bảng điểm.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
criteria_app = typer.Typer(help="Bộ tiêu chí (criteria frameworks).", no_args_is_help=True)
app.add_typer(criteria_app, name="criteria")

# Wide enough for the score table when output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)

DossierArg = Annotated[Path, typer.Argument(help="Thư mục hồ sơ (dossier folder).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")]


def print_json(data: Any) -> None:
    """Print plain data as JSON (UTF-8, Vietnamese kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@criteria_app.command("show")
def criteria_show(
    framework: Annotated[str, typer.Argument(help="Mã bộ tiêu chí hoặc đường dẫn tệp .yaml.")]
    = "qn-so-2021",
    as_json: JsonOpt = False,
) -> None:
    """Hiển thị cây tiêu chí với điểm tối đa và cách chấm."""
    from .catalog import load_framework
    from .render import framework_tree

    fw = load_framework(framework)
    if as_json:
        print_json(fw.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    console.print(framework_tree(fw))


@criteria_app.command("list")
def criteria_list() -> None:
    """Liệt kê các bộ tiêu chí có sẵn."""
    from .catalog import load_framework, shipped_frameworks

    for fid, path in shipped_frameworks().items():
        fw = load_framework(path)
        console.print(f"{fid}\t{fw.status}\t{fw.title}", highlight=False)


@app.command("score")
def score_cmd(dossier: DossierArg, as_json: JsonOpt = False,
              areas_only: Annotated[bool, typer.Option("--areas", help="Chỉ in lĩnh vực.")]
              = False) -> None:
    """Tính điểm tự đánh giá và Chỉ số CCHC của hồ sơ."""
    from .dossier import load_dossier
    from .render import scorecard_table

    card = load_dossier(dossier).score()
    if as_json:
        print_json(card.to_dict())
        return
    console.print(scorecard_table(card, detail=not areas_only))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning parindex errors into clear messages."""
    try:
        app(args=argv)
    except InputError as exc:
        from .render import input_error  # only when needed: rich tables cost start-up time

        input_error(err_console, exc)
        raise SystemExit(EXIT_UNREADABLE) from None
    except ParindexError as exc:
        err_console.print(f"[bold red]Lỗi:[/bold red] {exc}", highlight=False)
        raise SystemExit(EXIT_UNREADABLE) from None
    except KeyboardInterrupt:
        err_console.print("Đã hủy.")
        raise SystemExit(130) from None


# Command groups defined in their own modules (cli_<topic>.py) register themselves on ``app``
# when imported; their imports go below, last in this file (they import ``app`` from here).
from . import (  # noqa: E402
    cli_annex,  # noqa: F401
    cli_check,  # noqa: F401
    cli_plan,  # noqa: F401
    cli_run,  # noqa: F401
    cli_simulate,  # noqa: F401
    cli_workbook,  # noqa: F401
)
