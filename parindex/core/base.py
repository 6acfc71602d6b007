"""The strict base every parindex model derives from.

Unknown keys are rejected (a typo such as ``pionts`` fails at load time), models are frozen,
and every string is normalised to Unicode NFC so that Vietnamese text typed on different
keyboards compares equal.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    model_validator,
)

__all__ = ["MAX_DIGITS", "Points", "Strict", "nfc"]


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C."""
    return unicodedata.normalize("NFC", text)


def _to_decimal(value: Any) -> Any:
    """Read points exactly: ``0.1`` written in YAML is the decimal 0.1, not a binary float."""
    if isinstance(value, bool):
        raise ValueError("points must be a number, not true/false")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a number of points") from None
    return value


MAX_DIGITS = 15
"""Points, counts and percentages have at most this many digits before or after the point:
``1e999999999`` or ``.nan`` in a dossier is refused at load time (with file, line and key),
never a decimal error in the middle of scoring."""


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"{value} không phải một số hữu hạn (not a finite number)")
    if value and not -MAX_DIGITS <= value.adjusted() < MAX_DIGITS:
        raise ValueError(f"{value} quá lớn hoặc quá nhiều chữ số (number out of range: at most "
                         f"{MAX_DIGITS} digits before or after the point)")
    if value.as_tuple().exponent < -MAX_DIGITS:  # type: ignore[operator]
        raise ValueError(f"{value} có quá nhiều chữ số thập phân (more than {MAX_DIGITS} "
                         "decimal places)")
    return value


def _decimal_out(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Points = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_finite),
    PlainSerializer(_decimal_out, return_type=float, when_used="json"),
]
"""A number of points held as an exact ``Decimal`` (``0,5`` and ``0.5`` are both accepted)."""


class Strict(BaseModel):
    """Base model: unknown keys forbidden, immutable, strings NFC-normalised."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {(nfc(k) if isinstance(k, str) else k): _nfc_deep(v) for k, v in value.items()}
        return value


def _nfc_deep(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list | tuple):
        return [_nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {(nfc(k) if isinstance(k, str) else k): _nfc_deep(v) for k, v in value.items()}
    return value
