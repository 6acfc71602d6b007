"""Code mappings between two frameworks: following an item across a change of framework.

Frameworks change (the national method of 2022 renamed and re-cut the areas), and so do the
codes: ISO 9001, 7.3 in one year, is 3.7 the next. A mapping is data, reviewed by a person,
and lists every code of both frameworks: each code of the first either maps to one code of
the second or is listed as unmapped (dropped), and each code of the second is either the
target of one pair or listed as unmapped (new). Shipped mappings live in
``criteria/mappings/<from>__<to>.yaml``; :func:`mapping_between` finds one in either
direction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from parindex.core.base import Strict
from parindex.core.errors import InputError, Problem
from parindex.core.yamlio import load_model
from parindex.framework.model import Framework

__all__ = ["CodeMapping", "MappedPair", "Unmapped", "load_mapping", "mapping_between"]


class MappedPair(Strict):
    from_: str = Field(alias="from", pattern=r"^[0-9]+(\.[0-9]+)*$")
    to: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    note: str | None = None
    """What changed on the way (renamed, points, moved), in the reviewer's words."""


class Unmapped(Strict):
    code: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    note: str | None = None


class CodeMapping(Strict):
    """Which code of framework ``from`` is which code of framework ``to``."""

    kind: Literal["parindex/mapping"] = "parindex/mapping"
    schema_version: Literal[1] = 1
    from_: str = Field(alias="from")
    to: str
    status: Literal["provisional", "official"]
    source: str = Field(min_length=1)
    reviewed: str = Field(min_length=1)
    """Who checked the pairs against the two frameworks, and how."""
    pairs: tuple[MappedPair, ...] = ()
    unmapped_from: tuple[Unmapped, ...] = ()
    """Codes of ``from`` with no counterpart (dropped)."""
    unmapped_to: tuple[Unmapped, ...] = ()
    """Codes of ``to`` with no counterpart (new)."""

    @property
    def id(self) -> str:
        return f"{self.from_}__{self.to}"

    def forward(self) -> dict[str, str]:
        return {p.from_: p.to for p in self.pairs}

    def check(self, a: Framework, b: Framework) -> None:
        """Raise :class:`InputError` unless the mapping covers ``a`` and ``b`` exactly once."""
        problems: list[str] = []
        if (a.id, b.id) != (self.from_, self.to):
            problems.append(f"mapping {self.id} is not for {a.id} → {b.id}")
        seen_a: dict[str, int] = {}
        seen_b: dict[str, int] = {}
        for p in self.pairs:
            seen_a[p.from_] = seen_a.get(p.from_, 0) + 1
            seen_b[p.to] = seen_b.get(p.to, 0) + 1
        for u in self.unmapped_from:
            seen_a[u.code] = seen_a.get(u.code, 0) + 1
        for u in self.unmapped_to:
            seen_b[u.code] = seen_b.get(u.code, 0) + 1
        for fw, seen, side in ((a, seen_a, "from"), (b, seen_b, "to")):
            codes = set(fw.by_code)
            problems += [f"{side} {c}: not a code of {fw.id}" for c in sorted(set(seen) - codes)]
            problems += [f"{side} {c}: listed {n} times" for c, n in sorted(seen.items())
                         if n > 1]
            problems += [f"{side} {c}: neither mapped nor listed as unmapped"
                         for c in sorted(codes - set(seen))]
        if problems:
            raise InputError([Problem(m, key="pairs") for m in problems],
                             f"mapping {self.id} does not fit the frameworks")


def load_mapping(path: Path | str) -> CodeMapping:
    return load_model(CodeMapping, path, text_keys=("from", "to", "code", "note", "source",
                                                    "reviewed"), title="invalid code mapping")


def mapping_between(a: Framework, b: Framework, folder: Path | None = None) -> (
    tuple[dict[str, str], CodeMapping] | None
):
    """The shipped mapping from ``a`` to ``b`` (``a``'s code → ``b``'s code), checked against
    both frameworks, read in either direction; None when none is shipped."""
    from parindex.framework.catalog import criteria_dir

    base = folder or criteria_dir() / "mappings"
    forward = base / f"{a.id}__{b.id}.yaml"
    backward = base / f"{b.id}__{a.id}.yaml"
    if forward.is_file():
        mapping = load_mapping(forward)
        mapping.check(a, b)
        return mapping.forward(), mapping
    if backward.is_file():
        mapping = load_mapping(backward)
        mapping.check(b, a)
        return {to: frm for frm, to in mapping.forward().items()}, mapping
    return None
