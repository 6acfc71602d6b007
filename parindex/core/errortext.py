"""pydantic's validation errors said in Vietnamese, for the people who fix the files.

Every message an official reads about their dossier is in Vietnamese; pydantic words its
errors in English ("Input should be a valid integer"). :func:`error_message` gives the
Vietnamese for the kinds of error a typed file meets (a wrong type, a value out of bounds,
a choice not in the list, a date that is not a date), with pydantic's own words kept in
parentheses for whoever reads the code. Errors of other kinds keep pydantic's message;
errors raised by parindex's own validators (``Value error, …``) are parindex's words already.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["error_message"]

_Say = Callable[[Mapping[str, Any]], str]


def _fixed(text: str) -> _Say:
    return lambda ctx: text


_NUMBER = _fixed("phải là một số")
_WHOLE = _fixed("phải là số nguyên")
_DATE = _fixed("phải là một ngày có thật, viết dạng 2021-03-15")
_MAPPING = _fixed("phải là một bảng “khóa: giá trị”")
_LIST = _fixed("phải là một danh sách")
_BOOL = _fixed("phải là true hoặc false")


def _choices(ctx: Mapping[str, Any]) -> str:
    return "phải là một trong các giá trị: " + str(ctx.get("expected", "")).replace(" or ",
                                                                                  " hoặc ")


def _min_text(ctx: Mapping[str, Any]) -> str:
    n = ctx.get("min_length")
    return "không được để trống" if n == 1 else f"cần ít nhất {n} ký tự"


_SAY: dict[str, _Say] = {
    "int_parsing": _WHOLE, "int_type": _WHOLE, "int_from_float": _WHOLE,
    "float_parsing": _NUMBER, "float_type": _NUMBER, "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER, "finite_number": _fixed("phải là một số hữu hạn"),
    "bool_parsing": _BOOL, "bool_type": _BOOL,
    "date_parsing": _DATE, "date_type": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _fixed("phải là một ngày, không kèm giờ"),
    "string_type": _fixed("phải là chữ (một đoạn văn bản)"),
    "list_type": _LIST, "tuple_type": _LIST, "set_type": _LIST,
    "dict_type": _MAPPING, "model_type": _MAPPING, "model_attributes_type": _MAPPING,
    "literal_error": _choices, "enum": _choices,
    "greater_than": lambda ctx: f"phải lớn hơn {ctx.get('gt')}",
    "greater_than_equal": lambda ctx: f"phải lớn hơn hoặc bằng {ctx.get('ge')}",
    "less_than": lambda ctx: f"phải nhỏ hơn {ctx.get('lt')}",
    "less_than_equal": lambda ctx: f"phải nhỏ hơn hoặc bằng {ctx.get('le')}",
    "too_short": lambda ctx: f"cần ít nhất {ctx.get('min_length')} mục",
    "too_long": lambda ctx: f"nhiều nhất {ctx.get('max_length')} mục",
    "string_too_short": _min_text,
    "string_too_long": lambda ctx: f"nhiều nhất {ctx.get('max_length')} ký tự",
    "string_pattern_mismatch": lambda ctx: f"không đúng dạng yêu cầu ({ctx.get('pattern')})",
    "extra_forbidden": _fixed("khóa không có trong lược đồ, kiểm tra chính tả"),
    "missing": _fixed("thiếu khóa bắt buộc"),
}

_ENGLISH = {"extra_forbidden": "unknown key", "missing": "required key is missing"}
"""The two kinds whose English, said before this module, stays as it was."""


def error_message(err: Mapping[str, Any]) -> str:
    """The message of one of ``ValidationError.errors()``: Vietnamese where the kind is known
    (pydantic's words in parentheses), parindex's own validators' words as they are."""
    message = str(err.get("msg", ""))
    if message.startswith("Value error, "):
        return message[len("Value error, "):]
    say = _SAY.get(str(err.get("type", "")))
    if say is None:
        return message
    english = _ENGLISH.get(str(err.get("type")), message)
    return f"{say(err.get('ctx') or {})} ({english})"
