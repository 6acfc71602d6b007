"""``parindex check`` and ``parindex register``: library parity and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from parindex.evidence.check import check_dossier
from parindex.evidence.register import load_register, register_from_xlsx

from .conftest import EXAMPLE, FIXTURES
from .conftest import run_cli as run

CHECK = FIXTURES / "check"



def test_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--json", "--no-cache",
                       "--as-of", "2022-01-15")
    assert code == 1
    expected = check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15), cache=False).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected, ensure_ascii=False))


@pytest.mark.parametrize(("folder", "exit_code"), [
    ("clean", 0), ("unregistered-file", 0), ("evidence-file-scanned", 0),
    ("missing-evidence", 1), ("number-mismatch", 1),
])
def test_exit_codes(capsys: pytest.CaptureFixture[str], folder: str, exit_code: int) -> None:
    code, out, _ = run(capsys, "check", str(CHECK / folder), "--no-cache", "--as-of",
                       "15/01/2022")
    assert code == exit_code
    assert ("sẵn sàng gửi" in out) == (exit_code == 0)


def test_table_names_code_and_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(CHECK / "number-mismatch"), "--no-cache")
    assert code == 1
    assert "number-mismatch" in out and "51/KH-STN" in out


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(CHECK / "clean"), "--as-of", "31/02/2022")
    assert code == 2
    assert "ngày không hợp lệ" in err


def test_unreadable_input_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 3 and "Traceback" not in err
    folder = tmp_path / "d"
    shutil.copytree(CHECK / "clean", folder)
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    (folder / "register.yaml").write_text("documents: [\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(folder), "--no-cache")
    assert code == 3 and "YAML syntax error" in err


def test_register_export_import_round_trip(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    xlsx = tmp_path / "so.xlsx"
    code, out, _ = run(capsys, "register", "export", str(folder), str(xlsx))
    assert code == 0 and "37 tài liệu" in out
    before = load_register(folder / "register.yaml")
    assert register_from_xlsx(xlsx) == before
    (folder / "register.yaml").unlink()
    code, _, _ = run(capsys, "register", "import", str(folder), str(xlsx))
    assert code == 0
    assert load_register(folder / "register.yaml") == before


def test_findings_text_is_not_read_as_markup() -> None:
    from io import StringIO

    from rich.console import Console

    from parindex.cli.render import print_findings
    from parindex.core.findings import Finding, Report

    out = StringIO()
    report = Report.of("Hồ sơ", [Finding("missing-evidence", "error", "Tiêu đề [red]x[/red] [b",
                                         hint="Sửa [dim]")])
    print_findings(Console(file=out, width=200, color_system=None), report)
    assert "Tiêu đề [red]x[/red] [b" in out.getvalue()
    assert "→ Sửa [dim]" in out.getvalue()


def test_repeated_findings_are_grouped_with_every_message_kept() -> None:
    from io import StringIO

    from parindex.cli.findings_text import write_findings
    from parindex.core.findings import Report
    from parindex.evidence.check import FILE_MISSING, FILE_SCANNED

    scans = [FILE_SCANNED(f"Tệp documents/s{i}.pdf là ảnh quét, không có lớp chữ.",
                          document=f"s{i}", file=f"documents/s{i}.pdf") for i in range(3)]
    report = Report.of("Hồ sơ", [*scans, FILE_MISSING("Không có tệp documents/m.pdf.",
                                                      document="m", file="documents/m.pdf")])
    out = StringIO()
    write_findings(out, report)
    assert out.getvalue().splitlines() == [
        "lỗi evidence-file-missing — Không có tệp tài liệu kiểm chứng",
        "    m documents/m.pdf: Không có tệp documents/m.pdf.",
        f"    → {FILE_MISSING.hint}",
        "thông tin evidence-file-scanned — Tệp PDF chỉ có ảnh quét, không có lớp chữ (3)",
        *[f"    s{i} documents/s{i}.pdf: Tệp documents/s{i}.pdf là ảnh quét, không có lớp chữ."
          for i in range(3)],
        f"    → {FILE_SCANNED.hint}",
        "Hồ sơ: chưa đạt — 1 lỗi, 0 cảnh báo, 3 thông tin",
    ]


def test_check_text_output_lists_every_finding_of_the_example(
        capsys: pytest.CaptureFixture[str]) -> None:
    report = check_dossier(EXAMPLE, as_of=dt.date(2022, 1, 15))
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--as-of", "2022-01-15")
    assert code == 1
    for f in report.findings:
        assert f.message in out and f.hint in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--help"], ["check", str(EXAMPLE), "--as-of", "2022-01-15"],
    ["check", str(EXAMPLE), "--as-of", "2022-01-15", "--json"],
    ["check", str(EXAMPLE), "--as-of", "15/13/2022"], ["check", str(EXAMPLE), "--bogus"],
    ["check", str(EXAMPLE), "extra"], ["check", "/nonexistent/dossier"],
    ["check", "/nonexistent/dossier", "--json"],
], ids=lambda a: " ".join(a[1:])[-40:] or "no-arguments")
def test_the_check_fast_path_says_what_the_registry_says(
        capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    from parindex.cli import main
    from parindex.cli.app import app
    from parindex.cli.launch import check_only
    from parindex.cli.launch import run as launch

    said = []
    for how in (lambda: launch(app, list(args)), lambda: launch(check_only(), list(args)),
                lambda: main(list(args))):  # the entry point takes the fast path
        try:
            how()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        said.append((code, *capsys.readouterr()))
    assert said[0] == said[1] == said[2]
    assert run(capsys, *args) == said[0]


def test_the_check_fast_path_has_the_registry_command() -> None:
    import typer.main

    from parindex.cli.app import app
    from parindex.cli.launch import check_only

    full = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    fast = typer.main.get_command(check_only()).commands["check"]  # type: ignore[attr-defined]
    assert fast.callback.__wrapped__ is full.callback.__wrapped__
    def said(param: Any) -> tuple[Any, ...]:
        return (type(param).__name__, param.name, param.opts, param.secondary_opts,
                param.required, param.default, getattr(param, "help", None), param.metavar)

    assert [said(p) for p in fast.params] == [said(p) for p in full.params]
    assert fast.help == full.help


def test_readers_that_cannot_start_are_a_message_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    """The reader processes refused by the system (a cold check of a dossier with files to
    read): the CLI says it in one line and exits 3, as for any input it cannot use."""
    import multiprocessing.process

    folder = tmp_path / "date-mismatch"
    shutil.copytree(FIXTURES / "check" / "date-mismatch", folder)
    shutil.copy(FIXTURES / "check" / "framework.yaml", tmp_path / "framework.yaml")

    def refuse(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    monkeypatch.setattr("parindex.evidence.documents.PARALLEL_MIN_FILES", 0)
    code, out, err = run(capsys, "check", str(folder), "--as-of", "2022-01-15")
    assert code == 3 and out == ""
    assert "Traceback" not in err
    assert "Lỗi: không khởi động được tiến trình đọc tài liệu: the system refused a new " \
           "process" in " ".join(err.split())
