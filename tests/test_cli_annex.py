"""``parindex criteria import`` / ``export`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parindex.cli.app import app, main
from parindex.cli.common import EXIT_FINDINGS, EXIT_UNREADABLE
from parindex.framework.annex.importer import import_annex
from parindex.framework.catalog import load_framework

FIX = Path(__file__).resolve().parent / "fixtures" / "annex"
runner = CliRunner()


def test_export_then_import(tmp_path: Path) -> None:
    table, out = tmp_path / "qn.xlsx", tmp_path / "qn.yaml"
    res = runner.invoke(app, ["criteria", "export", "qn-so-2021", "-o", str(table)])
    assert res.exit_code == 0, res.output
    assert "96 dòng tiêu chí" in " ".join(res.output.split())
    res = runner.invoke(app, ["criteria", "import", str(table), "-o", str(out), "--id",
                              "qn-so-2021", "--province", "Quảng Ngãi"])
    assert res.exit_code == 0, res.output
    assert load_framework(out).id == "qn-so-2021"


def test_import_json_equals_the_library_report(tmp_path: Path) -> None:
    out = tmp_path / "new-folder" / "bad.yaml"
    res = runner.invoke(app, ["criteria", "import", str(FIX / "bad_sums.xlsx"), "-o", str(out),
                              "--year", "2021", "--province", "Thử", "--json"])
    assert res.exit_code == EXIT_FINDINGS
    printed = json.loads(res.stdout)
    expected = import_annex(FIX / "bad_sums.xlsx", year=2021, province="Thử").report.to_dict()
    assert printed == json.loads(json.dumps(expected, default=str))
    assert out.exists()


def test_import_of_a_file_without_table_is_unreadable(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["criteria", "import", str(FIX / "no_criteria_table.docx"), "-o",
              str(tmp_path / "x.yaml")])
    assert exc.value.code == EXIT_UNREADABLE
    assert "no criteria table found" in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "x.yaml").exists()


def test_bad_level_is_a_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["criteria", "import", str(FIX / "bad_sums.xlsx"), "-o",
                              str(tmp_path / "x.yaml"), "--level", "tỉnh"])
    assert res.exit_code == 2


def test_cli_import_stays_light() -> None:
    code = ("import sys, parindex.cli.app; "
            "print(sorted(m for m in ('openpyxl', 'docx', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
