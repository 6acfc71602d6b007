"""The CLI is a thin layer: its JSON equals the library's, its exit codes are documented."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE, FIXTURES
from .conftest import run_cli as run


def test_score_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(EXAMPLE), "--json")
    assert code == 0
    data = json.loads(out, parse_float=D)
    expected = json.loads(json.dumps(load_dossier(EXAMPLE).score().to_dict(),
                                     ensure_ascii=False), parse_float=D)
    assert data == expected
    areas = [n for n in data["nodes"] if n["level"] == "area"]
    assert data["total"]["max"] == sum(a["max"] for a in areas)
    assert data["total"]["score"] == sum(a["score"] for a in areas)
    assert {"code", "name", "max", "score", "index"} <= set(data["nodes"][0])


def test_score_table_shows_areas_and_total(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(EXAMPLE), "--areas")
    assert code == 0
    assert "TỔNG CỘNG" in out and "69,33" in out


def test_criteria_show_accepts_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "criteria", "show", str(FIXTURES / "framework" /
                                                          "minimal_valid.yaml"))
    assert code == 0
    assert "1.10 Tiêu chí mười" in out


def test_invalid_framework_exits_3_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "criteria", "show",
                         str(FIXTURES / "framework" / "three_planted_mistakes.yaml"))
    assert code == 3
    assert "Traceback" not in err
    assert "code 1.1.1 is used twice (also at areas[0].criteria[0].sub_criteria[0])" in err


def test_missing_dossier_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "score", str(tmp_path))
    assert code == 3
    assert "no dossier.yaml in this folder" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "score", str(EXAMPLE), "--no-such-option")
    assert code == 2


def test_help_does_not_import_heavy_libraries() -> None:
    probe = ("import sys; from parindex.cli.app import app; "
             "heavy = [m for m in ('pandas', 'openpyxl', 'numpy', 'docx', 'pypdfium2', "
             "'matplotlib') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
    helped = subprocess.run([sys.executable, "-m", "parindex", "--help"], capture_output=True,
                            text=True)
    assert helped.returncode == 0 and "score" in helped.stdout


@pytest.mark.parametrize("command", [
    ["check", str(EXAMPLE)], ["run", str(EXAMPLE), "-o", "never-written.xlsx"],
    ["calendar", str(EXAMPLE)], ["gains", str(EXAMPLE)],
])
@pytest.mark.parametrize("bad", ["2022-13-01", "31-12-2021", "hôm nay", "32/01/2022"])
def test_bad_as_of_is_a_usage_error_in_every_command(
        capsys: pytest.CaptureFixture[str], command: list[str], bad: str) -> None:
    code, out, err = run(capsys, *command, "--as-of", bad)
    assert code == 2
    assert "ngày không hợp lệ" in err and "--as-of" in err
    assert "Traceback" not in out + err
    assert not Path("never-written.xlsx").exists()


def test_as_of_accepts_both_written_forms() -> None:
    from parindex.cli.common import parse_day

    assert parse_day("2022-01-15") == parse_day("15/01/2022") == parse_day(" 15/1/2022 ")
    assert parse_day(None) is None
