"""``parindex new``: a dossier folder that ``score`` and ``check`` read at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parindex.core.errors import ParindexError
from parindex.core.yamlio import load_yaml
from parindex.entry.skeleton import new_dossier
from parindex.evidence.check import check_dossier
from parindex.scoring.dossier import load_dossier

from .conftest import FIXTURES
from .conftest import run_cli as run

UNIT = "Sở Tư pháp tỉnh Quảng Ngãi"
PLAN = FIXTURES / "plan" / "other_department_so_tu_phap.txt"
UNITS = FIXTURES / "plan" / "units_so_tu_phap.yaml"


def test_new_dossier_scores_everything_as_missing_input(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "stp", UNIT, 2021)
    assert made.files == ("dossier.yaml", "self-assessment.yaml", "register.yaml", "documents/")
    d = load_dossier(tmp_path / "stp")
    assert d.manifest.unit == UNIT and d.manifest.year == 2021
    assert d.manifest.province == "Quảng Ngãi"
    assert d.manifest.superior == "UBND TỈNH QUẢNG NGÃI"
    assert d.self_assessment.items == {}
    card = d.score()
    self_scored = [n for n in d.framework.leaves() if n.method != "survey"]
    assert made.items == len(self_scored) == 66
    statuses = {n.code: n.status for n in card.nodes if n.code in {s.code for s in self_scored}}
    assert set(statuses.values()) == {"missing-input"}
    report = check_dossier(tmp_path / "stp")
    assert not report.valid
    assert report.by_code() == {"missing-input": 66}


def test_skeleton_lists_every_item_with_what_its_rule_needs(tmp_path: Path) -> None:
    new_dossier(tmp_path / "stp", UNIT, 2021)
    text = (tmp_path / "stp" / "self-assessment.yaml").read_text(encoding="utf-8")
    data, _ = load_yaml(tmp_path / "stp" / "self-assessment.yaml")
    assert list(data["items"])[:3] == ["1.1.1", "1.1.2", "1.1.3"]
    assert all(v is None for v in data["items"].values())
    assert "8.1" not in data["items"]  # survey items are not self-scored
    assert ("#   option: kip-thoi = Ban hành kịp thời (1) | khong-kip-thoi = Ban hành không kịp "
            "thời (0,5) | khong-ban-hanh = Không ban hành (0)") in text
    assert "#   done: số đã thực hiện, total: tổng số — hoặc percent: tỷ lệ 0–100" in text
    assert ("#   occurrences: {tre-han: số lần Báo cáo gửi trễ hạn (-0,25/lần), khong-gui: số "
            "lần Không gửi báo cáo (-0,25/lần)}") in text
    assert "#   count: số lượng" in text
    assert text.count("not_applicable: true được phép") == 9


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "stp").mkdir()
    (tmp_path / "stp" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ParindexError, match="đã có nội dung"):
        new_dossier(tmp_path / "stp", UNIT, 2021)
    assert [p.name for p in (tmp_path / "stp").iterdir()] == ["notes.txt"]


def test_new_imports_the_plan_and_shows_its_lint(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", str(tmp_path / "stp"), "--unit", UNIT, "--year", "2021",
                       "--plan", str(PLAN), "--units", str(UNITS), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["files"][-1] == "plan.yaml"
    assert data["plan_tasks"] == len(load_dossier(tmp_path / "stp").plan.tasks) > 0
    assert data["plan_lint"]["subject"] == str(tmp_path / "stp" / "plan.yaml")
    plan = load_dossier(tmp_path / "stp").plan
    assert plan is not None and plan.framework == "qn-so-2021" and plan.issuer == UNIT
    assert {u.id for u in plan.units.units} >= {"van-phong-so"}


def test_cli_new_then_check_exits_1_with_one_report(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", str(tmp_path / "stp"), "--unit", UNIT, "--year", "2021")
    assert code == 0 and "66 tiêu chí tự chấm" in out
    code, out, _ = run(capsys, "check", str(tmp_path / "stp"), "--json")
    assert code == 1
    assert json.loads(out)["counts"] == {"error": 66, "warning": 0, "info": 0}
    code, out, _ = run(capsys, "score", str(tmp_path / "stp"), "--json")
    assert code == 0 and json.loads(out)["total"]["score"] == 0


def test_cli_new_on_a_non_empty_folder_is_a_usage_error(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> (
        None):
    (tmp_path / "dossier.yaml").write_text("kind: x\n", encoding="utf-8")
    code, _, err = run(capsys, "new", str(tmp_path), "--unit", UNIT, "--year", "2021")
    assert code == 2
    assert "đã có nội dung" in err
    assert (tmp_path / "dossier.yaml").read_text(encoding="utf-8") == "kind: x\n"
