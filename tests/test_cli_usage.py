"""Usage errors of the command line are said in Vietnamese, with exit code 2."""

from __future__ import annotations

import pytest

from parindex.cli import main
from parindex.cli.usage import translate

from .conftest import EXAMPLE

D = str(EXAMPLE)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    code = exc.value.code
    return (code if isinstance(code, int) else -1), capsys.readouterr().err


@pytest.mark.parametrize(("args", "error"), [
    (("simulate", D, "--runs", "abc"),
     "Lỗi: Giá trị không hợp lệ cho '--runs': số lần mô phỏng phải là số nguyên: 'abc'"),
    (("score", "--as-of", "2021-12-31", D),
     "Lỗi: Không có tùy chọn --as-of (có thể là: --json)."),
    (("scre",), "Lỗi: Không có lệnh 'scre'. Có phải là 'score'?"),
    (("check",), "Lỗi: Thiếu tham số 'dossier'."),
    (("score", D, "thừa"), "Lỗi: Thừa tham số: thừa."),
    (("simulate", D, "--runs"), "Lỗi: Tùy chọn '--runs' cần một giá trị."),
])
def test_usage_errors_are_in_vietnamese_with_exit_code_2(
        capsys: pytest.CaptureFixture[str], args: tuple[str, ...], error: str) -> None:
    code, err = _run(capsys, *args)
    assert code == 2
    lines = [line for line in err.splitlines() if line]
    assert lines[-1] == error
    assert "Invalid value" not in err and "No such" not in err and "Usage:" not in err


def test_the_usage_line_and_where_help_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "gains", D, "--as-of", "2021-13-01")
    assert code == 2
    assert err.splitlines()[0].startswith("Cách dùng: ")
    assert err.splitlines()[0].endswith(" gains [OPTIONS] {dossier}")
    assert err.splitlines()[1].endswith(" gains --help' để biết cách dùng.")


def test_exit_codes_of_commands_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    # not standalone any more: a command's own exit code still reaches the shell
    assert _run(capsys, "check", D, "--as-of", "2022-01-15", "--json")[0] == 1
    assert _run(capsys, "score", "/nonexistent-dossier")[0] == 3
    main(["score", D])  # success: returns, no SystemExit
    assert "69,33" in capsys.readouterr().out


def test_no_arguments_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys)
    assert code == 2 and "Chỉ số CCHC (PAR INDEX)" in err


def test_unknown_wording_is_kept_as_it_came() -> None:
    assert translate("Something click says") == "Something click says"
    assert translate("Invalid value for '--x': 'y' is not one of 'a', 'b'.") == (
        "Giá trị không hợp lệ cho '--x': 'y' không phải một trong 'a', 'b'.")
    assert translate("Invalid value for '-n': 'x' is not a valid integer.") == (
        "Giá trị không hợp lệ cho '-n': 'x' không phải số nguyên.")
    assert translate("Invalid value for 'DOSSIER': Directory 'a' does not exist.") == (
        "Giá trị không hợp lệ cho 'DOSSIER': Không có thư mục 'a'.")
