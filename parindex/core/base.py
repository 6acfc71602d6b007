"""The strict base every parindex model derives from.

Unknown keys are rejected (a typo such as ``pionts`` fails at load time), models are frozen,
and every string is normalised to Unicode NFC so that Vietnamese text typed on different
keyboards compares equal.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_validator

__all__ = ["Points", "Strict", "nfc"]


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


def _decimal_out(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Points = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
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
