"""``parindex run``: score, check and workbook in one command."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.workbook.read import read_workbook

from .conftest import EXAMPLE
from .conftest import run_cli as run


def test_run_prints_score_and_report_and_writes_the_submission_and_the_report(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "bang-diem.xlsx"
    code, out, _ = run(capsys, "run", str(EXAMPLE), "-o", str(target), "--as-of", "2022-01-15")
    assert code == 0
    assert "TỔNG CỘNG" in out and "90,04" in out
    assert "missing-evidence" in out and "3 lỗi, 2 cảnh báo, 1 thông tin" in out
    assert target.is_file()
    back = read_workbook(target)
    assert back.report.valid
    import openpyxl

    assert [p.value for p in openpyxl.load_workbook(target).custom_doc_props
            if p.name == "parindex.copy"] == ["submission"]
    doc = tmp_path / "bang-diem-bao-cao.docx"
    assert doc.is_file()
    flat = " ".join(out.split())
    assert f"Đã ghi {doc} (báo cáo: tổng điểm tự đánh giá 69,33, chỉ số 90,04%" in flat
    assert "CHÚ Ý: bộ tiêu chí qn-so-2021 là KHUNG TẠM THỜI" in flat
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang-diem-bao-cao.docx",
                                                          "bang-diem.xlsx"]


def test_run_strict_exits_1_on_error_findings(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    code, _, _ = run(capsys, "run", str(EXAMPLE), "-o", str(tmp_path / "x.xlsx"), "--strict",
                     "--as-of", "2022-01-15")
    assert code == 1


def test_run_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"keep me")
    code, _, err = run(capsys, "run", str(EXAMPLE), "-o", str(target))
    assert code == 2
    assert "--force" in err
    assert target.read_bytes() == b"keep me"
    # the report too, and then nothing is written
    target.unlink()
    doc = tmp_path / "x-bao-cao.docx"
    doc.write_bytes(b"keep me")
    code, _, err = run(capsys, "run", str(EXAMPLE), "-o", str(target))
    assert code == 2 and "--force" in err
    assert doc.read_bytes() == b"keep me" and not target.exists()
