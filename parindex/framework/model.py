"""The criteria framework: areas (lĩnh vực) → criteria (tiêu chí) → sub-criteria (TCTP).

A framework is data (``criteria/*.yaml``). Its invariants are checked when it is built and
all reported together: unique codes, codes nested as the tree, children adding up to their
parent's maximum, areas adding up to the declared total, rules able to reach the maximum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from pydantic import Field, model_validator

from parindex.core.base import Points, Strict
from parindex.framework.extras import Extras
from parindex.framework.rules import Rule, SurveyRule, _fmt

__all__ = [
    "Area",
    "ClassBand",
    "Criterion",
    "Framework",
    "InvariantError",
    "Node",
    "RankingPolicy",
    "SubCriterion",
    "SurveyPolicy",
]

Level = Literal["area", "criterion", "sub-criterion"]
Method = Literal["self-assessed", "survey"]
Derive = Literal["plan-completion", "plan-reports"]
"""plan-completion: share of plan tasks done on time; plan-reports: late / missing periodic
reports of the plan's reporting schedule."""


class InvariantError(ValueError):
    """Several tree invariants broken at once; each problem is ``(key path, message)``."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m in problems))


class _Item(Strict):
    code: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    name: str = Field(min_length=1)
    max_points: Points = Field(ge=0)
    source: str = Field(min_length=1)
    """Where the row comes from, e.g. "pattern: Cà Mau 1880/QĐ-UBND 1.1.1; plan II.7.b"."""
    status: Literal["provisional", "official"] | None = None
    """Overrides the framework's status for this row."""
    guidance: str | None = None
    """The scoring guidance as written in the source (cách chấm)."""
    note: str | None = None


class RelativeDeadline(Strict):
    """ "Kịp thời" counted from another dated event: "within 15 days of the province's plan".

    ``after`` names a reference the dossier dates (``references`` in ``dossier.yaml``: a date,
    or a register document whose date counts), so one framework serves every department."""

    days: int = Field(ge=0, le=366)
    after: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str | None = None
    """What the reference is, in Vietnamese ("Kế hoạch CCHC năm của UBND tỉnh")."""


class _Scored(_Item):
    method: Method = "self-assessed"
    rule: Rule | None = None
    evidence: tuple[str, ...] = ()
    """Typical evidence, as the guidance names it."""
    document_types: tuple[str, ...] = ()
    """Type codes of the documents expected as proof (``KH``, ``QĐ``, ``BC`` …)."""
    deadline: dt.date | None = None
    """Documents proving the item must be dated on or before this day ("kịp thời")."""
    deadline_after: RelativeDeadline | None = None
    """A deadline counted from a dated reference of the dossier instead of a fixed day."""
    not_applicable_allowed: bool = False
    not_applicable_when: str | None = None
    not_applicable: Literal["drop", "award-max"] | None = None
    """What this item does when marked not applicable ("không phát sinh"), where the source
    says so per item: scored full, or removed from the maximum. None: the framework's
    ``not_applicable`` default. Setting it allows the item to be marked not applicable."""
    derive: Derive | None = None
    """Computed from the dossier's plan rather than typed (see :mod:`parindex.plan.model`)."""


class SubCriterion(_Scored):
    """Tiêu chí thành phần: always scored itself."""


class Criterion(_Scored):
    """Tiêu chí: scored itself when it has no sub-criteria."""

    sub_criteria: tuple[SubCriterion, ...] = ()


class Area(_Item):
    """Lĩnh vực."""

    criteria: tuple[Criterion, ...] = Field(min_length=1)


class ClassBand(Strict):
    """A classification band: index from ``min_index`` (inclusive) gets ``label``.

    Like every row, a band says where it comes from and whether it is official: a grade
    printed from a placeholder band would be a guess sent as a result."""

    label: str
    min_index: Points
    source: str | None = None
    status: Literal["provisional", "official"] | None = None
    """Overrides the framework's ``classification_status`` (and then ``status``)."""


class SurveyPolicy(Strict):
    rescale_when_missing: bool = True
    """Without survey results, also report the self-scored points rescaled to 100."""


TieBreak = Literal["survey_score", "appraised_score", "smaller_gap"]
"""How units with the same index are ordered: higher survey points, higher appraised points
(the self-assessed part), or a smaller gap between self-assessed and appraised points."""


class RankingPolicy(Strict):
    """How the province ranks its units (by index, highest first)."""

    tie_break: tuple[TieBreak, ...] = ()
    """Tried in order on equal indexes; units still equal share a rank (reported as ties)."""
    source: str | None = None
    """Where the rule comes from."""


@dataclass(frozen=True)
class Node:
    """A flattened view of one scored or summed item of the tree."""

    code: str
    name: str
    level: Level
    max_points: Decimal
    parent: str | None
    item: Area | Criterion | SubCriterion
    area: str

    @property
    def is_leaf(self) -> bool:
        if isinstance(self.item, Area):
            return False
        if isinstance(self.item, Criterion):
            return not self.item.sub_criteria
        return True

    @property
    def rule(self) -> Rule | None:
        return None if isinstance(self.item, Area) else self.item.rule

    @property
    def method(self) -> Method:
        if isinstance(self.item, Area):
            methods = [s.method for c in self.item.criteria for s in (c.sub_criteria or (c,))]
            return "survey" if all(m == "survey" for m in methods) else "self-assessed"
        return self.item.method


class Framework(Strict):
    """A PAR INDEX criteria framework for one level of government and scoring year."""

    kind: Literal["parindex/framework"] = "parindex/framework"
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    province: str
    level: Literal["sở", "huyện", "xã"]
    scoring_year: int = Field(ge=2000, le=2100)
    legal_basis: tuple[str, ...] = ()
    status: Literal["provisional", "official"]
    status_note: str | None = None
    total_points: Points = Field(gt=0)
    precision: int = Field(default=2, ge=0, le=4)
    """Decimals kept on each scored item (score sheets use 2)."""
    not_applicable: Literal["drop", "award-max"] = "drop"
    """What a not-applicable item does: removed from score and max (drop), or scored full."""
    survey: SurveyPolicy = SurveyPolicy()
    classification: tuple[ClassBand, ...] = ()
    classification_source: str | None = None
    classification_status: Literal["provisional", "official"] | None = None
    """Status of the bands as a whole; defaults to the framework's ``status``."""
    ranking: RankingPolicy = RankingPolicy()
    areas: tuple[Area, ...] = Field(min_length=1)
    extras: Extras | None = None
    """Bonus and penalty items outside ``total_points`` (:mod:`parindex.framework.extras`)."""

    @model_validator(mode="after")
    def _check_tree(self) -> Framework:
        problems = _tree_problems(self)
        if problems:
            raise InvariantError(problems)
        return self

    # -- navigation ------------------------------------------------------------------------
    @cached_property
    def nodes(self) -> tuple[Node, ...]:
        """Every area, criterion and sub-criterion in document order."""
        out: list[Node] = []
        for area in self.areas:
            out.append(Node(area.code, area.name, "area", area.max_points, None, area, area.code))
            for crit in area.criteria:
                out.append(Node(crit.code, crit.name, "criterion", crit.max_points, area.code,
                                crit, area.code))
                for sub in crit.sub_criteria:
                    out.append(Node(sub.code, sub.name, "sub-criterion", sub.max_points,
                                    crit.code, sub, area.code))
        return tuple(out)

    @cached_property
    def by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    def node(self, code: str) -> Node:
        try:
            return self.by_code[code]
        except KeyError:
            raise KeyError(f"no item {code!r} in framework {self.id}") from None

    def leaves(self) -> tuple[Node, ...]:
        """The scored items (sub-criteria, and criteria without sub-criteria)."""
        return tuple(n for n in self.nodes if n.is_leaf)

    @cached_property
    def _children(self) -> dict[str, tuple[Node, ...]]:
        out: dict[str, list[Node]] = {}
        for n in self.nodes:
            if n.parent is not None:
                out.setdefault(n.parent, []).append(n)
        return {k: tuple(v) for k, v in out.items()}

    def children(self, code: str) -> tuple[Node, ...]:
        """The direct children of ``code`` in document order (empty for a scored item)."""
        return self._children.get(code, ())

    @property
    def self_scored_max(self) -> Decimal:
        return sum((n.max_points for n in self.leaves() if n.method != "survey"), Decimal(0))

    @property
    def survey_max(self) -> Decimal:
        return sum((n.max_points for n in self.leaves() if n.method == "survey"), Decimal(0))

    def na_allowed(self, node: Node) -> bool:
        """May this scored item be marked not applicable?"""
        item = node.item
        return bool(getattr(item, "not_applicable_allowed", False)
                    or getattr(item, "not_applicable", None) is not None)

    def na_policy(self, node: Node) -> Literal["drop", "award-max"]:
        """What a not-applicable mark does on this item: its own rule, else the default."""
        return getattr(node.item, "not_applicable", None) or self.not_applicable

    def band_status(self, band: ClassBand) -> Literal["provisional", "official"]:
        """A band's status: its own, else the classification's, else the framework's."""
        return band.status or self.classification_status or self.status

    @property
    def classification_official(self) -> bool:
        """True when there are bands and every one of them is official."""
        return bool(self.classification) and all(
            self.band_status(b) == "official" for b in self.classification)

    def classify(self, index: Decimal) -> str | None:
        """The classification label for an index in percent, if the framework has bands."""
        best: ClassBand | None = None
        for band in self.classification:
            if index >= band.min_index and (best is None or band.min_index > best.min_index):
                best = band
        return best.label if best else None


def _tree_problems(fw: Framework) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    seen: dict[str, tuple[str | int, ...]] = {}

    def see(code: str, loc: tuple[str | int, ...]) -> None:
        if code in seen:
            problems.append(((*loc, "code"), f"code {code} is used twice "
                             f"(also at {_key(seen[code])})"))
        else:
            seen[code] = loc

    def sums(parent_max: Decimal, children: list[Decimal], loc: tuple[str | int, ...],
             what: str) -> None:
        total = sum(children, Decimal(0))
        if total != parent_max:
            diff = total - parent_max
            problems.append(((*loc, "max_points"),
                             f"max_points is {_fmt(parent_max)} but its {what} add up to "
                             f"{_fmt(total)} (difference {'+' if diff > 0 else ''}{_fmt(diff)})"))

    def scored(item: Criterion | SubCriterion, loc: tuple[str | int, ...]) -> None:
        if item.rule is None:
            problems.append(((*loc, "rule"), "a scored item needs a rule"))
            return
        is_survey = isinstance(item.rule, SurveyRule)
        if is_survey != (item.method == "survey"):
            problems.append(((*loc, "method"), "method 'survey' goes with a rule of type "
                             "'survey', and only with it"))
        low, high = item.rule.attainable(item.max_points)
        if high != item.max_points:
            problems.append(((*loc, "rule"), f"the rule's best score is {_fmt(high)} but "
                             f"max_points is {_fmt(item.max_points)}"))
        if low < 0 and low < -item.max_points * 10:
            problems.append(((*loc, "rule"), f"the rule's lowest score {_fmt(low)} is "
                             "implausible"))

    for ai, area in enumerate(fw.areas):
        aloc: tuple[str | int, ...] = ("areas", ai)
        see(area.code, aloc)
        if "." in area.code:
            problems.append(((*aloc, "code"), f"area code {area.code} must be a single number"))
        sums(area.max_points, [c.max_points for c in area.criteria], aloc, "criteria")
        for ci, crit in enumerate(area.criteria):
            cloc = (*aloc, "criteria", ci)
            see(crit.code, cloc)
            if _parent(crit.code) != area.code:
                problems.append(((*cloc, "code"), f"code {crit.code} does not sit under area "
                                 f"{area.code} (expected {area.code}.N)"))
            if crit.sub_criteria:
                if crit.rule is not None:
                    problems.append(((*cloc, "rule"), "a criterion with sub-criteria is the sum "
                                     "of them and takes no rule of its own"))
                sums(crit.max_points, [s.max_points for s in crit.sub_criteria], cloc,
                     "sub-criteria")
                for si, sub in enumerate(crit.sub_criteria):
                    sloc = (*cloc, "sub_criteria", si)
                    see(sub.code, sloc)
                    if _parent(sub.code) != crit.code:
                        problems.append(((*sloc, "code"), f"code {sub.code} does not sit under "
                                         f"criterion {crit.code} (expected {crit.code}.N)"))
                    scored(sub, sloc)
            else:
                scored(crit, cloc)
    total = sum((a.max_points for a in fw.areas), Decimal(0))
    if total != fw.total_points:
        diff = total - fw.total_points
        problems.append((("total_points",), f"total_points is {_fmt(fw.total_points)} but the "
                         f"areas add up to {_fmt(total)} (difference "
                         f"{'+' if diff > 0 else ''}{_fmt(diff)})"))
    return problems


def _parent(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _key(loc: tuple[str | int, ...]) -> str:
    from parindex.core.yamlio import format_key

    return format_key(loc)

