"""The department's units (phòng, đơn vị) and the groups plans name instead of units.

Plans spell the same unit in several ways ("Trung tâm Ứng dụng và Dịch vụ KHCN", "Trung tâm
Ứng dụng và Dịch vụ khoa học công nghệ"); a :class:`UnitRegistry` maps every alias to one
unit id. Phrases such as "Các phòng, đơn vị thuộc Sở" are *groups*, not units. Names no entry
knows are kept as written: :meth:`UnitRegistry.resolve` returns ``None`` for them and the plan
lint flags them.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from parindex.core.base import Strict, nfc
from parindex.core.errors import InputError, Problem
from parindex.core.lazyre import lazy

__all__ = ["GENERIC_GROUPS", "Unit", "UnitRegistry", "load_units", "normalise_name"]

UnitKind = Literal["unit", "group", "people"]


def normalise_name(text: str) -> str:
    """Lower case, NFC, single spaces, no surrounding punctuation: the key aliases match on."""
    text = re.sub(r"\s+", " ", nfc(text)).strip(" \t.,;:")
    return text.lower()


class Unit(Strict):
    """A unit of the department (``kind: unit``), a group of units, or a group of people."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    kind: UnitKind = "unit"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    """Groups: ids of the member units; ``"*"`` means every unit of the department."""
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


GENERIC_GROUPS: tuple[Unit, ...] = (
    Unit(id="cac-phong-don-vi", name="Các phòng, đơn vị thuộc Sở", kind="group", members=("*",),
         aliases=("Các phòng, đơn vị trực thuộc Sở", "Các phòng, đơn vị thuộc cơ quan",
                  "Các phòng, đơn vị")),
    Unit(id="cac-phong-don-vi-lien-quan", name="Các phòng, đơn vị liên quan", kind="group",
         members=("*",),
         aliases=("Các phòng, đơn vị có liên quan", "Các phòng, đơn vị thuộc Sở có liên quan",
                  "Các phòng, đơn vị thuộc Sở liên quan", "Các đơn vị liên quan",
                  "Các đơn vị có liên quan", "Các cơ quan, đơn vị liên quan",
                  "Các cơ quan, đơn vị có liên quan", "Các phòng có liên quan",
                  "Các phòng liên quan")),
    Unit(id="cac-phong-thuoc-so", name="Các phòng thuộc Sở", kind="group", members=("*",),
         aliases=("Các phòng chuyên môn thuộc Sở", "Các phòng chuyên môn")),
    Unit(id="cac-don-vi-thuoc-so", name="Các đơn vị thuộc Sở", kind="group", members=("*",),
         aliases=("Các đơn vị trực thuộc Sở", "Các đơn vị sự nghiệp thuộc Sở")),
)
"""Group phrasings common to every department's plan (members: every unit)."""

_SEPARATORS = lazy(r"^(?:[\s,;.:/&+-]|và\b|cùng\b|với\b)*$", re.IGNORECASE)
_UNIT_WORDS = (r"(?:phòng|văn phòng|thanh tra|chi cục|trung tâm|tổ|ban|đội|sở|ubnd|ủy ban|"
               r"các|công chức|viên chức|cá nhân|hội đồng|đoàn|cục|bộ|lãnh đạo|giám đốc|"
               r"bộ phận|đơn vị|cơ quan)\b")
_SPLIT = lazy(r"\s*,\s*(?=" + _UNIT_WORDS + r")|\s+và\s+(?=" + _UNIT_WORDS + ")",
                    re.IGNORECASE)


def _split_unknown(text: str) -> list[str]:
    """Split text no alias matched: at ";" always, at "," or "và" before a unit-like word."""
    out: list[str] = []
    for piece in re.split(r"\s*;\s*", text):
        out += _SPLIT.split(piece)
    return out


class UnitRegistry(Strict):
    """The units a plan may name; ``include_generic`` adds :data:`GENERIC_GROUPS`."""

    units: tuple[Unit, ...] = ()
    include_generic: bool = True

    @model_validator(mode="after")
    def _unique(self) -> UnitRegistry:
        problems: list[str] = []
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for unit in self.units:
            if unit.id in ids:
                problems.append(f"unit id {unit.id!r} is used twice")
            ids.add(unit.id)
            for name in unit.names:
                key = normalise_name(name)
                if seen.get(key, unit.id) != unit.id:
                    problems.append(f"name {name!r} belongs to both {seen[key]!r} and {unit.id!r}")
                seen[key] = unit.id
        for unit in self.units:
            problems += [f"group {unit.id!r}: unknown member {m!r}" for m in unit.members
                         if m != "*" and m not in ids]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def all_units(self) -> tuple[Unit, ...]:
        own = {u.id for u in self.units}
        extra = tuple(g for g in GENERIC_GROUPS if g.id not in own) if self.include_generic else ()
        return (*self.units, *extra)

    @cached_property
    def _by_alias(self) -> dict[str, Unit]:
        out: dict[str, Unit] = {}
        for unit in self.all_units:
            for name in unit.names:
                out.setdefault(normalise_name(name), unit)
        return out

    @cached_property
    def by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.all_units}

    def resolve(self, name: str) -> Unit | None:
        """The unit or group ``name`` refers to, or ``None`` when no entry knows it."""
        return self._by_alias.get(normalise_name(name))

    def members(self, unit_id: str) -> frozenset[str]:
        """Ids of the units a unit or group stands for (a unit stands for itself)."""
        unit = self.by_id.get(unit_id)
        if unit is None:
            return frozenset()
        if unit.kind != "group":
            return frozenset({unit.id})
        if "*" in unit.members:
            return frozenset(u.id for u in self.units if u.kind == "unit")
        return frozenset(unit.members)

    def split(self, text: str) -> tuple[str, ...]:
        """Split a field such as "Văn phòng Sở và các phòng, đơn vị liên quan" into names.

        Known names (longest alias first) are cut out as they are written, whatever commas or
        "và" they contain; the rest is split on commas, semicolons and "và" and kept as unknown
        names. Order of the text is kept, duplicates dropped.
        """
        flat = re.sub(r"\s+", " ", nfc(text)).strip().rstrip(".;:")
        lower = flat.lower()
        if len(lower) != len(flat):  # pragma: no cover - no Vietnamese letter changes length
            lower = flat
        spans: list[tuple[int, int]] = []
        for alias in sorted(self._by_alias, key=len, reverse=True):
            for match in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", lower):
                s, e = match.span()
                if all(e <= a or s >= b for a, b in spans):
                    spans.append((s, e))
        spans.sort()
        pieces: list[tuple[int, str]] = [(s, flat[s:e]) for s, e in spans]
        cursor = 0
        for s, e in [*spans, (len(flat), len(flat))]:
            gap = flat[cursor:s]
            if gap.strip() and not _SEPARATORS.match(gap):
                offset = cursor
                for part in _split_unknown(gap):
                    part = part.strip(" .,;:-")
                    part = re.sub(r"^(?:và|cùng|với)\s+|\s+(?:và|cùng|với)$", "", part,
                                  flags=re.IGNORECASE).strip(" .,;:-")
                    if part:
                        pieces.append((offset + gap.find(part), part))
            cursor = e
        out: list[str] = []
        seen: set[str] = set()
        for _, name in sorted(pieces):
            unit = self.resolve(name)
            key = unit.id if unit else normalise_name(name)
            if key not in seen:
                seen.add(key)
                out.append(name[0].upper() + name[1:] if name else name)
        return tuple(out)


def load_units(path: Path | str) -> UnitRegistry:
    """A unit registry from a YAML file: a list under ``units``, or a ``plan.yaml`` (its
    ``units.units``). Raises :class:`InputError` with file and line when it cannot be used."""
    from parindex.core.yamlio import load_yaml, problems_from_validation

    file = Path(path)
    data, linemap = load_yaml(file, text_keys=("id", "name", "aliases", "members"))
    units = data.get("units") if isinstance(data, dict) else None
    loc: tuple[str, ...] = ("units",)
    if isinstance(units, dict):
        units, loc = units.get("units"), ("units", "units")
    if not isinstance(units, list):
        raise InputError([Problem("expected a list of units under 'units'", file, 1)],
                         "invalid unit registry")
    try:
        return UnitRegistry.model_validate({"units": units})
    except ValidationError as exc:
        problems = problems_from_validation(exc, linemap)
        fixed = [Problem(p.message, file, linemap.line_of(loc), ".".join(loc)) if not p.key
                 else p for p in problems]
        raise InputError(fixed, "invalid unit registry") from None
