"""CLI: plan import (never silently overwriting), plan lint (--json = library), calendar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parindex.cli.app import main
from parindex.plan.lint import lint_plan
from parindex.plan.model import load_plan
from parindex.plan.schedule import build_calendar

from .conftest import EXAMPLE, FIXTURES
from .plan_material import seed_path, write_table_plan

UNITS = FIXTURES / "plan" / "units_so_khcn.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_then_refuses_to_overwrite(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.yaml"
    code, text, _ = run(capsys, "plan", "import", seed_path(), "--units", UNITS, "-o", out)
    assert code == 0 and "34 nhiệm vụ" in text
    before = out.read_text(encoding="utf-8")
    code, _, err = run(capsys, "plan", "import", seed_path(), "-o", out)
    # exit 2 like every output that exists (was 3, "unreadable input", which it is not)
    assert code == 2
    said = " ".join(err.split())
    assert f"Tệp {out} đã tồn tại; không ghi đè." in said
    assert "--merge để gộp" in said and "--force để ghi đè" in said
    assert out.read_text(encoding="utf-8") == before
    code, _, _ = run(capsys, "plan", "import", seed_path(), "-o", out, "--force")
    assert code == 0


def test_import_refused_before_reading_anything(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """An existing plan.yaml is refused before the plan text is read (a damaged text would
    otherwise be reported first, exit 3)."""
    out = tmp_path / "plan.yaml"
    out.write_text("tasks: [\n", encoding="utf-8")  # not even YAML: never read
    missing = tmp_path / "khong-co.txt"
    code, _, err = run(capsys, "plan", "import", missing, "-o", out)
    assert code == 2 and "--force" in err
    assert out.read_text(encoding="utf-8") == "tasks: [\n"


def test_import_force_over_a_damaged_plan_with_units(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.yaml"
    out.write_text("tasks: [\n", encoding="utf-8")
    code, text, _ = run(capsys, "plan", "import", seed_path(), "--units", UNITS, "-o", out,
                        "--force")
    assert code == 0 and "34 nhiệm vụ" in text
    assert len(load_plan(out).tasks) == 34


def test_import_force_keeps_the_old_plan_when_writing_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "plan.yaml"
    code, _, _ = run(capsys, "plan", "import", seed_path(), "--units", UNITS, "-o", out)
    before = out.read_text(encoding="utf-8")
    real = Path.write_text

    def half_then_full_disk(self: Path, data: str, *args: object, **kwargs: object) -> int:
        real(self, data[: len(data) // 2], encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full_disk)
    code, _, err = run(capsys, "plan", "import", seed_path(), "-o", out, "--force")
    monkeypatch.undo()
    assert code == 2 and "No space left on device" in err
    assert out.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_import_merge_keeps_the_curated_example(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.yaml"
    out.write_text((EXAMPLE / "plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, text, _ = run(capsys, "plan", "import", seed_path(), "-o", out, "--merge", "--json")
    assert code == 0
    summary = json.loads(text)
    assert summary["tasks"] == 34 and summary["merge"]["added"] == []
    assert load_plan(out).completion() == (31, 34)


def test_import_docx_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "plan", "import", write_table_plan(tmp_path / "k.docx"))
    assert code == 0 and "code: II.1.1" in text and "Thanh tra Sở" in text


def test_lint_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLE / "plan.yaml"
    code, text, _ = run(capsys, "plan", "lint", path, "--json")
    assert code == 0
    assert json.loads(text) == json.loads(json.dumps(
        lint_plan(load_plan(path), subject=str(path)).to_dict(), default=str))


def test_lint_exit_code_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text((EXAMPLE / "plan.yaml").read_text(encoding="utf-8")
                   .replace("- '2.4'", "- '9.9'", 1), encoding="utf-8")
    code, text, _ = run(capsys, "plan", "lint", bad)
    assert code == 1 and "task-serves-unknown-item" in text


def test_calendar_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "calendar", EXAMPLE, "--as-of", "15/10/2021", "--unit",
                        "Chi cục Tiêu chuẩn Đo lường Chất lượng", "--json")
    assert code == 0
    expected = build_calendar(load_plan(EXAMPLE / "plan.yaml"), dt.date(2021, 10, 15),
                              "chi-cuc-tdc").to_dict()
    assert json.loads(text) == expected


def test_calendar_text_and_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "calendar", EXAMPLE, "--as-of", "2022-01-05")
    assert code == 0 and "Quá hạn: 2" in text and "Văn phòng Sở" in text
    code, _, err = run(capsys, "calendar", EXAMPLE, "--as-of", "31-12-2021")
    assert code == 2 and "ngày không hợp lệ" in err


def test_units_can_come_from_a_curated_plan(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.yaml"
    code, _, _ = run(capsys, "plan", "import", seed_path(), "--units", EXAMPLE / "plan.yaml",
                     "-o", out)
    assert code == 0
    plan = load_plan(out)
    assert plan.units == load_plan(EXAMPLE / "plan.yaml").units
    assert not [f for f in lint_plan(plan).findings if f.code == "unknown-unit"]


def test_calendar_without_plan_is_a_clear_error(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dossier.yaml").write_text((EXAMPLE / "dossier.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    code, _, err = run(capsys, "calendar", folder)
    assert code == 3 and "chưa có plan.yaml" in err
