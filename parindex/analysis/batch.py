"""Scenarios as arrays: what the vectorised scorer takes (:class:`Batch`) and gives back
(:class:`BatchResult`).

Points are counted in *units* of ``10**-precision`` (hundredths for the usual 2 decimals);
each scored item has a status array (one of the codes below) and integer field arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]
    FloatArray = npt.NDArray[np.float64]

__all__ = ["INVALID", "MISSING", "NOT_APPLICABLE", "SCORED", "Batch", "BatchResult"]

MISSING, SCORED, NOT_APPLICABLE, INVALID = 0, 1, 2, 3
"""Leaf status codes in a :class:`Batch`."""


@dataclass
class Batch:
    """Inputs of ``n`` scenarios: per scored item a status array and integer field arrays.

    Arrays have length ``n`` or 1 (broadcast). Fields by rule kind: choice ``option`` (index);
    bands and proportional ``num``/``den`` (the ratio, or the count, as a fraction); weighted
    ``total`` and ``c0``, ``c1``…; deduction ``o0``, ``o1``…; survey and manual ``units``.
    """

    n: int
    status: dict[str, IntArray]
    fields: dict[str, dict[str, IntArray]]


@dataclass(frozen=True)
class BatchResult:
    """Totals of every scenario, in units of ``1 / scale`` points."""

    scale: int
    score: IntArray
    max: IntArray
    pending: IntArray
    area_score: IntArray
    """Shape ``(n, areas)``, areas in framework order."""
    area_max: IntArray
    index_hundredths: IntArray
    """The index × 100, rounded as the scorer rounds (0 where nothing is scorable)."""
    scorable: npt.NDArray[np.bool_]
    """False where the denominator (max − pending) is not positive: no index."""

    @property
    def index(self) -> FloatArray:
        """The index in percent (``nan`` where nothing is scorable)."""
        import numpy as np

        out = self.index_hundredths.astype(np.float64) / 100
        out[~self.scorable] = np.nan
        return out

    def index_at(self, i: int) -> Decimal | None:
        if not self.scorable[i]:
            return None
        return Decimal(int(self.index_hundredths[i])) / 100

    def points_at(self, i: int) -> tuple[Decimal, Decimal, Decimal]:
        """``(score, max, pending)`` of scenario ``i`` as exact decimals."""
        s = Decimal(self.scale)
        return (Decimal(int(self.score[i])) / s, Decimal(int(self.max[i])) / s,
                Decimal(int(self.pending[i])) / s)
