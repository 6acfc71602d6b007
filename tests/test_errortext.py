"""pydantic's validation errors said in Vietnamese (an official fixes the file from them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from parindex.core.errors import InputError
from parindex.core.errortext import error_message
from parindex.scoring.dossier import load_dossier


class _Form(BaseModel):
    year: int = 2021
    share: float = 0.0
    on: bool = False
    day: dt.date = dt.date(2021, 1, 1)
    kind: Literal["sở", "huyện", "xã"] = "sở"
    count: Annotated[int, Field(ge=0, le=10)] = 0
    name: Annotated[str, Field(min_length=1)] = "x"
    codes: list[str] = []
    note: str = ""

    @field_validator("note")
    @classmethod
    def _own(cls, value: str) -> str:
        if value == "sai":
            raise ValueError("ghi chú không hợp lệ (parindex's own words)")
        return value


def _said(**data: object) -> tuple[str, str]:
    """(what parindex says, pydantic's own message) for the one error ``data`` makes."""
    with pytest.raises(ValidationError) as got:
        _Form.model_validate(data)
    (err,) = got.value.errors(include_url=False)
    return error_message(err), err["msg"]


@pytest.mark.parametrize(("data", "vietnamese"), [
    ({"year": "abc"}, "phải là số nguyên"),
    ({"share": "nhiều"}, "phải là một số"),
    ({"on": "maybe"}, "phải là true hoặc false"),
    ({"day": "2021-02-30"}, "phải là một ngày có thật, viết dạng 2021-03-15"),
    ({"kind": "tỉnh"}, "phải là một trong các giá trị: 'sở', 'huyện' hoặc 'xã'"),
    ({"count": -1}, "phải lớn hơn hoặc bằng 0"),
    ({"count": 11}, "phải nhỏ hơn hoặc bằng 10"),
    ({"name": ""}, "không được để trống"),
    ({"codes": "1.1"}, "phải là một danh sách"),
    ({"note": 5}, "phải là chữ (một đoạn văn bản)"),
    ({"other": 1}, "khóa không có trong lược đồ, kiểm tra chính tả"),
])
def test_known_kinds_are_said_in_vietnamese_with_pydantic_words_kept(
        data: dict[str, object], vietnamese: str) -> None:
    if "other" in data:
        class _Strict(_Form, extra="forbid"):
            pass

        with pytest.raises(ValidationError) as got:
            _Strict.model_validate(data)
        (err,) = got.value.errors(include_url=False)
        assert error_message(err) == f"{vietnamese} (unknown key)"
        return
    said, english = _said(**data)
    assert said == f"{vietnamese} ({english})"


def test_own_validator_words_are_kept_as_they_are() -> None:
    assert _said(note="sai")[0] == "ghi chú không hợp lệ (parindex's own words)"


def test_an_unknown_kind_keeps_pydantic_message() -> None:
    assert error_message({"type": "some_new_kind", "msg": "Something new"}) == "Something new"


def test_dossier_year_typed_as_text_names_file_line_and_key_in_vietnamese(
        tmp_path: Path) -> None:
    (tmp_path / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Thử nghiệm\nprovince: Quảng Ngãi\nyear: hai nghìn\n"
        "framework: qn-so-2021\n", encoding="utf-8")
    with pytest.raises(InputError) as got:
        load_dossier(tmp_path)
    (problem,) = got.value.problems
    assert (problem.line, problem.key) == (4, "year")
    assert problem.message == ("phải là số nguyên (Input should be a valid integer, unable to "
                               "parse string as an integer)")
