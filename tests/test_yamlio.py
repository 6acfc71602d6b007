"""The YAML reader: duplicate keys, syntax errors, line numbers, NFC, exact decimals."""

from __future__ import annotations

import unicodedata
from decimal import Decimal as D
from pathlib import Path

import pytest

from parindex.core.errors import InputError
from parindex.core.yamlio import dump_yaml, format_key, parse_yaml


def test_line_map_points_at_keys_and_items() -> None:
    data, lines = parse_yaml("a:\n  b:\n    - x: 1\n    - x: 2\n")
    assert data == {"a": {"b": [{"x": 1}, {"x": 2}]}}
    assert lines.line_of(("a", "b", 1, "x")) == 4
    assert lines.line_of(("a", "b", 1, "missing")) == 4


def test_duplicate_keys_are_all_reported() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("a: 1\nb: 2\na: 3\nb: 4\n", Path("f.yaml"))
    assert [str(p) for p in exc.value.problems] == [
        "f.yaml:3 a: khóa 'a' bị lặp, đã ghi ở dòng 1 (duplicate key)",
        "f.yaml:4 b: khóa 'b' bị lặp, đã ghi ở dòng 2 (duplicate key)",
    ]


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("a: [1, 2\nb: 3\n", Path("f.yaml"))
    assert exc.value.problems[0].line is not None
    assert str(exc.value.problems[0]).startswith("f.yaml:")


def test_floats_are_read_as_exact_decimals() -> None:
    data, _ = parse_yaml("p: 0.1\nq: 0.25\n")
    assert data == {"p": D("0.1"), "q": D("0.25")}
    assert sum(data.values()) == D("0.35")


def test_text_keys_keep_numeric_looking_codes() -> None:
    data, _ = parse_yaml("code: 1.10\nserves: [1.1, 3.20]\nother: 1.10\n",
                         text_keys=("code", "serves"))
    assert data == {"code": "1.10", "serves": ["1.1", "3.20"], "other": D("1.10")}


def test_text_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "tên: Tiêu chí thành phần\n")
    data, _ = parse_yaml(nfd)
    assert data == {"tên": "Tiêu chí thành phần"}


def test_dump_keeps_vietnamese_and_order() -> None:
    text = dump_yaml({"z": "Quảng Ngãi", "a": D("0.5"), "n": D(2)}, header="Tiêu đề")
    assert text == "# Tiêu đề\nz: Quảng Ngãi\na: 0.5\nn: 2\n"
    assert parse_yaml(text)[0] == {"z": "Quảng Ngãi", "a": D("0.5"), "n": 2}


def test_format_key() -> None:
    assert format_key(("areas", 2, "criteria", 0, "max_points")) == (
        "areas[2].criteria[0].max_points")


def test_unreadable_file(tmp_path: Path) -> None:
    from parindex.core.yamlio import load_yaml

    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("tên: Quảng".encode("cp1258", errors="replace") + b"\xff")
    with pytest.raises(InputError, match="not UTF-8"):
        load_yaml(bad)


def test_impossible_date_is_a_problem_not_a_crash() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("deadline: 2021-13-01\nok: 2021-12-01\n", Path("f.yaml"))
    assert [(p.line, p.key) for p in exc.value.problems] == [(1, "deadline")]
    assert "không đọc được '2021-13-01'" in exc.value.problems[0].message
