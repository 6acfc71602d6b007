"""``parindex simulate`` and ``parindex gains``: JSON equals the library, seeds reproduce."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from parindex.analysis.assumptions import load_assumptions
from parindex.analysis.gains import reach_target, where_the_points_are
from parindex.analysis.simulation import simulate
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE, FIXTURES
from .test_cli import run

ASSUMPTIONS = FIXTURES / "simulate" / "assumptions.yaml"


def _lib(data: object) -> object:
    return json.loads(json.dumps(data, ensure_ascii=False))


def test_simulate_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", str(EXAMPLE), "--target", "90", "--runs", "3000",
                       "--seed", "5", "--json")
    assert code == 0
    data = json.loads(out)
    assert data == _lib(simulate(load_dossier(EXAMPLE), 90, runs=3000, seed=5).to_dict())
    assert {"probability", "mean", "percentiles"} <= set(data)
    assert data["runs"] == 3000 and data["seed"] == 5


def test_simulate_same_seed_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("simulate", str(EXAMPLE), "--runs", "2000", "--seed", "11", "--json",
            "--assumptions", str(ASSUMPTIONS))
    first = run(capsys, *args)
    second = run(capsys, *args)
    assert first == second and first[0] == 0
    data = json.loads(first[1])
    expected = simulate(load_dossier(EXAMPLE), 90, runs=2000, seed=11,
                        assumptions=load_assumptions(ASSUMPTIONS)).to_dict()
    assert data == _lib(expected)


def test_simulate_reads_the_dossier_assumptions_file(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "hoso"
    shutil.copytree(EXAMPLE, folder)
    (folder / "survey-assumptions.yaml").write_bytes(ASSUMPTIONS.read_bytes())
    code, out, _ = run(capsys, "simulate", str(folder), "--runs", "100", "--json")
    assert code == 0
    assert json.loads(out)["assumptions"]["8.1"] == ("theo kết quả các năm trước: 82,5%, 86%, "
                                                     "88,25%")


def test_simulate_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", str(EXAMPLE), "--runs", "500", "--target", "85")
    assert code == 0
    assert "Xác suất đạt ≥ 85,00%" in out and "Phân vị 50%" in out
    assert "8.1: đều trong khoảng 50%–100% điểm tối đa" in out


def test_simulate_bad_input_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "simulate", str(EXAMPLE), "--assumptions",
                       str(FIXTURES / "simulate" / "assumptions_reversed_range.yaml"))
    assert code == 3 and "assumptions_reversed_range.yaml:5" in err
    code, _, err = run(capsys, "simulate", str(EXAMPLE), "--assumptions", "khong-co.yaml")
    assert code == 3 and "file not found" in err
    code, _, _ = run(capsys, "simulate", str(EXAMPLE), "--runs", "0")
    assert code == 2


def test_gains_json_equals_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gains", str(EXAMPLE), "--as-of", "2022-01-10", "--target",
                       "95", "--json")
    assert code == 0
    d = load_dossier(EXAMPLE)
    day = dt.date(2022, 1, 10)
    expected = where_the_points_are(d, as_of=day).to_dict()
    expected["target"] = reach_target(d, 95, as_of=day).to_dict()
    assert json.loads(out) == _lib(expected)


def test_gains_table_and_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gains", str(EXAMPLE), "--target", "99")
    assert code == 0 and "Đạt 99% với 9 thay đổi" in out
    code, _, err = run(capsys, "gains", str(EXAMPLE), "--as-of", "2022-13-01")
    assert code == 2 and "ngày không hợp lệ" in err


def _mini_dossier(root: Path, year: int, framework: str, items: str) -> Path:
    folder = root / f"hoso-{year}"
    folder.mkdir()
    (folder / "fw.yaml").write_bytes((FIXTURES / "simulate" / framework).read_bytes())
    (folder / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Thử nghiệm\nprovince: Quảng Ngãi\n"
        f"year: {year}\nframework: fw.yaml\n", encoding="utf-8")
    (folder / "self-assessment.yaml").write_text(
        f"kind: parindex/self-assessment\nitems:\n{items}", encoding="utf-8")
    return folder


def test_compare_two_years_across_frameworks(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    from parindex.analysis.compare import compare

    a = _mini_dossier(tmp_path, 2021, "mini-framework.yaml",
                      '  "1.1.1": {option: khong-kip-thoi}\n  "1.6": {points: 0.5, '
                      'explanation: Có}\n')
    b = _mini_dossier(tmp_path, 2022, "mini-framework-2022.yaml",
                      '  "1.1.1": {option: kip-thoi}\n  "1.7": {points: 0.25, '
                      'explanation: Có}\n')
    code, out, _ = run(capsys, "compare", str(a), str(b), "--json")
    assert code == 0
    data = json.loads(out)
    expected = compare(load_dossier(a).score(), load_dossier(b).score(),
                       ("2021 (hoso-2021)", "2022 (hoso-2022)")).to_dict()
    assert data == _lib(expected)
    assert data["only_a"] == [{"code": "1.6", "name": "Chấm theo thực tế",
                               "level": "criterion"}]
    assert [x["code"] for x in data["only_b"]] == ["1.7"]
    code, out, _ = run(capsys, "compare", str(a), str(b))
    assert code == 0 and "Chỉ có trong 2021 (hoso-2021): 1.6" in out


def test_gains_after_the_year_lists_only_what_the_record_still_needs(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gains", str(EXAMPLE), "--as-of", "2022-01-10")
    assert code == 0
    assert "Việc còn làm được cho hồ sơ" in out and "Điểm còn có thể tăng" not in out
    assert "415/415" not in out and "Năm 2021 đã kết thúc" in out
    code, out, _ = run(capsys, "gains", str(EXAMPLE), "--as-of", "2022-01-10", "--future")
    assert code == 0 and "Điểm còn có thể tăng" in out
