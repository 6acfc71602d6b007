"""What an analyst passes to the analysis functions, checked before anything is computed.

A mistake raises :class:`~parindex.core.errors.InputError` naming what is wrong and how to write
it instead; nothing passes silently. Targets are percentages of the index (``95`` for 95 %):
a value of 1 or less is refused, since it is almost surely a share (``0.95``).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.core.errors import InputError, Problem

__all__ = ["percent_target"]

HUNDRED = Decimal(100)


def percent_target(value: Any, key: str = "target", title: str = "invalid target") -> Decimal:
    """``value`` as a target index in percent: 0, or above 1 and at most 100."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InputError([Problem(f"the target must be a number of percent (e.g. 90), not "
                                  f"{type(value).__name__} {value!r}", key=key)], title)
    try:
        goal = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else (
            Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    except InvalidOperation:
        goal = Decimal("NaN")
    if not goal.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise InputError([Problem(f"the target {value!r} is not a number", key=key)], title)
    if goal <= 1 and goal > 0:
        percent = format((goal * 100).normalize(), "f")
        raise InputError([Problem(
            f"the target {value!r} is a share, not a percentage: targets are percent of the "
            f"index, 0–100 (write {percent} for {percent} %)", key=key)], title)
    if not 0 <= goal <= HUNDRED:
        raise InputError([Problem(f"the target {value!r} is outside 0–100 (percent of the "
                                  "index)", key=key)], title)
    return goal
