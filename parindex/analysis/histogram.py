"""The distribution of the index over any number of runs, in memory that does not grow.

The index is a whole number of hundredths of a percent, so counting the runs per value keeps
everything the simulation reports: share at or above a target, mean, standard deviation,
minimum, maximum and percentiles (computed as ``numpy.percentile``'s default linear method
would compute them on the full array).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]

__all__ = ["IndexHistogram"]


class IndexHistogram:
    """How many runs gave each index (in hundredths), plus the runs with no index (nan)."""

    def __init__(self) -> None:
        import numpy as np

        self.low_value = 0
        self.counts: IntArray = np.zeros(0, dtype=np.int64)
        self.unscorable = 0
        self.runs = 0

    def add(self, hundredths: IntArray, scorable: BoolArray) -> None:
        import numpy as np

        values = hundredths[scorable] if not scorable.all() else hundredths
        self.runs += len(hundredths)
        self.unscorable += len(hundredths) - len(values)
        if not len(values):
            return
        lo, hi = int(values.min()), int(values.max())
        if not len(self.counts):
            self.low_value = lo
        elif lo < self.low_value:  # rebase: prepend zero counts
            self.counts = np.concatenate([np.zeros(self.low_value - lo, dtype=np.int64),
                                          self.counts])
            self.low_value = lo
        size = hi - self.low_value + 1
        if size > len(self.counts):
            self.counts = np.concatenate([self.counts,
                                          np.zeros(size - len(self.counts), dtype=np.int64)])
        self.counts[:size] += np.bincount(values - self.low_value, minlength=size)

    # -- over (value, count) pairs: a few thousand distinct values at most ------------------
    def _pairs(self) -> tuple[list[int], list[int]]:
        import numpy as np

        nz = np.flatnonzero(self.counts)
        return (nz + self.low_value).tolist(), self.counts[nz].tolist()

    def share_at_least(self, target: float) -> float:
        """Share of all runs whose index (percent) is at least ``target``."""
        values, counts = self._pairs()
        hits = sum(c for v, c in zip(values, counts, strict=True) if v / 100 >= target)
        return hits / self.runs

    def mean(self) -> float:
        if self.unscorable or not self.runs:
            return math.nan
        values, counts = self._pairs()
        return sum(v * c for v, c in zip(values, counts, strict=True)) / self.runs / 100

    def std(self) -> float:
        if self.unscorable or not self.runs:
            return math.nan
        values, counts = self._pairs()
        n = self.runs
        s1 = sum(v * c for v, c in zip(values, counts, strict=True))
        s2 = sum(v * v * c for v, c in zip(values, counts, strict=True))
        return math.sqrt((n * s2 - s1 * s1) / (n * n)) / 100  # exact integers until here

    def low(self) -> float:
        if self.unscorable or not self.runs:
            return math.nan
        return self._pairs()[0][0] / 100

    def high(self) -> float:
        if self.unscorable or not self.runs:
            return math.nan
        return self._pairs()[0][-1] / 100

    def _order_stat(self, k: int, cum: IntArray) -> float:
        """The ``k``-th smallest index (0-based), in percent."""
        import numpy as np

        pos = int(np.searchsorted(cum, k, side="right"))
        return float((pos + self.low_value) / 100)

    def percentiles(self, qs: Sequence[float]) -> list[float]:
        """``numpy.percentile(all_indices, qs)`` (linear method), from the counts."""
        import numpy as np

        n = self.runs
        if self.unscorable or not n:
            return [math.nan for _ in qs]
        cum = np.cumsum(self.counts)
        quantiles = np.true_divide(np.asarray(qs, dtype=np.float64), 100)
        virtual = (n - 1) * quantiles  # numpy's linear method (Hyndman & Fan 7)
        out = []
        for v in virtual.tolist():
            if v >= n - 1:
                out.append(self._order_stat(n - 1, cum))
                continue
            if v < 0:
                out.append(self._order_stat(0, cum))
                continue
            prev = math.floor(v)
            a = np.float64(self._order_stat(prev, cum))
            b = np.float64(self._order_stat(prev + 1, cum))
            t = np.float64(v - prev)
            diff = b - a
            out.append(float(b - diff * (1 - t)) if t >= 0.5 else float(a + diff * t))
        return out
