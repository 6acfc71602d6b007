"""Scoring rules as data: a tagged union chosen by the ``type`` key.

Each rule kind is one small class that knows how to check an item's inputs and turn them into
points. Adding a kind touches one class and the :data:`Rule` union.

Band bounds use the words of the sources: ``above`` (trên, exclusive), ``from`` (từ,
inclusive), ``to`` (đến, inclusive), ``below`` (dưới, exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from parindex.core.base import Points, Strict
from parindex.framework.inputs import ItemInput

__all__ = [
    "Band",
    "BandsRule",
    "ChoiceRule",
    "DeductionRule",
    "ManualRule",
    "OccurrenceKind",
    "Option",
    "Penalty",
    "ProportionalRule",
    "Rule",
    "RuleInputError",
    "SurveyRule",
    "WeightedRule",
    "WeightedTerm",
    "quantize",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
INF = Decimal("Infinity")


class RuleInputError(ValueError):
    """The inputs recorded for an item cannot be scored by its rule.

    Its messages are in Vietnamese: they reach officials through the check report."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("; ".join(self.messages))


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals, as score sheets do."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value else str(value)
    return text.replace(".", ",")


def _unused(inp: ItemInput, allowed: set[str]) -> list[str]:
    fields = ("option", "percent", "done", "total", "count", "counts", "occurrences", "points",
              "answers")
    used = [f for f in fields if getattr(inp, f) is not None and f not in allowed]
    return [f"trường '{f}' không dùng cho cách chấm này (cách chấm đọc: "
            f"{', '.join(sorted(allowed))})" for f in used]


def _ratio_percent(inp: ItemInput) -> Decimal:
    """A ratio in percent from ``percent`` or ``done``/``total``; raises on bad input."""
    if inp.percent is not None and (inp.done is not None or inp.total is not None):
        raise RuleInputError(["chỉ ghi 'percent' hoặc 'done'/'total', không ghi cả hai"])
    if inp.percent is not None:
        if not ZERO <= inp.percent <= HUNDRED:
            raise RuleInputError([f"tỷ lệ {_fmt(inp.percent)}% nằm ngoài khoảng 0–100"])
        return inp.percent
    if inp.done is None or inp.total is None:
        raise RuleInputError(["cách chấm này cần 'percent', hoặc 'done' và 'total'"])
    if inp.done < 0 or inp.total < 0:
        raise RuleInputError(["'done' và 'total' không được âm"])
    if inp.done > inp.total:
        raise RuleInputError([f"done {_fmt(inp.done)}/total {_fmt(inp.total)}: số đã thực "
                              "hiện không thể lớn hơn tổng số"])
    if inp.total == 0:
        raise RuleInputError(["'total' bằng 0: không có gì để tính tỷ lệ; đánh dấu không áp "
                              "dụng (not_applicable) nếu bộ tiêu chí cho phép"])
    return inp.done / inp.total * HUNDRED


class _RuleBase(Strict):
    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        """The lowest and highest score this rule can give an item worth ``max_points``."""
        raise NotImplementedError

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        """Points for ``inp``; raises :class:`RuleInputError` listing every problem."""
        raise NotImplementedError

    @property
    def self_scored(self) -> bool:
        return True

    def describe(self) -> str:
        """The rule in Vietnamese, as a score sheet would write it."""
        raise NotImplementedError


class Option(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    points: Points


class ChoiceRule(_RuleBase):
    """Named options, each worth fixed points ("Ban hành kịp thời: 1; …")."""

    type: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ChoiceRule:
        ids = [o.id for o in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"option ids repeated: {', '.join(dupes)}")
        return self

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        pts = [o.points for o in self.options]
        return min(pts), max(pts)

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"option"})
        if inp.option is None:
            errors.append("chưa chọn phương án (option); các phương án: " + self.allowed())
        else:
            for opt in self.options:
                if opt.id == inp.option:
                    if errors:
                        raise RuleInputError(errors)
                    return opt.points
            errors.append(f"không có phương án {inp.option!r}; các phương án: {self.allowed()}")
        raise RuleInputError(errors)

    def allowed(self) -> str:
        return ", ".join(f"{o.id} ({o.label}: {_fmt(o.points)})" for o in self.options)

    def describe(self) -> str:
        return "; ".join(f"{o.label}: {_fmt(o.points)}" for o in self.options)


class Band(Strict):
    """One band: points for a value between two bounds, each bound's inclusiveness explicit."""

    points: Points
    above: Points | None = None
    from_: Points | None = Field(default=None, alias="from")
    to: Points | None = None
    below: Points | None = None
    label: str | None = None
    """The band as worded in the source, e.g. "Thực hiện từ 70% - 90% kế hoạch"."""

    @model_validator(mode="after")
    def _one_bound_each_side(self) -> Band:
        if self.above is not None and self.from_ is not None:
            raise ValueError("give 'above' (trên, exclusive) or 'from' (từ, inclusive), not both")
        if self.to is not None and self.below is not None:
            raise ValueError("give 'to' (đến, inclusive) or 'below' (dưới, exclusive), not both")
        lo, _, hi, _ = self.interval()
        if lo > hi:
            raise ValueError(f"lower bound {_fmt(lo)} is above upper bound {_fmt(hi)}")
        return self

    def interval(self) -> tuple[Decimal, bool, Decimal, bool]:
        """``(low, low_inclusive, high, high_inclusive)``; missing bounds are 0 and infinity."""
        if self.above is not None:
            lo, lo_inc = self.above, False
        elif self.from_ is not None:
            lo, lo_inc = self.from_, True
        else:
            lo, lo_inc = ZERO, True
        if self.to is not None:
            hi, hi_inc = self.to, True
        elif self.below is not None:
            hi, hi_inc = self.below, False
        else:
            hi, hi_inc = INF, False
        return lo, lo_inc, hi, hi_inc

    def contains(self, value: Decimal) -> bool:
        lo, lo_inc, hi, hi_inc = self.interval()
        above_low = value > lo or (lo_inc and value == lo)
        below_high = value < hi or (hi_inc and value == hi)
        return above_low and below_high

    def describe(self, unit: str) -> str:
        if self.label:
            return self.label
        lo, lo_inc, hi, hi_inc = self.interval()
        parts = []
        if not (lo == 0 and lo_inc):
            parts.append(("từ " if lo_inc else "trên ") + _fmt(lo) + unit)
        if hi != INF:
            parts.append(("đến " if hi_inc else "dưới ") + _fmt(hi) + unit)
        return " ".join(parts) or "mọi giá trị"


class BandsRule(_RuleBase):
    """Points by bands on a ratio (percent) or a count."""

    type: Literal["bands"]
    measure: Literal["percent", "count"] = "percent"
    of: str | None = None
    """What is measured, e.g. "tỷ lệ nhiệm vụ hoàn thành"."""
    bands: tuple[Band, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _cover_without_overlap(self) -> BandsRule:
        problems = []
        ordered = sorted(self.bands, key=lambda b: (b.interval()[0], not b.interval()[1]))
        end, end_inc = ZERO, False
        for band in ordered:
            lo, lo_inc, hi, hi_inc = band.interval()
            unit = "%" if self.measure == "percent" else ""
            if lo < end or (lo == end and lo_inc and end_inc):
                problems.append(f"band '{band.describe(unit)}' overlaps the band before it")
            elif lo > end or (lo == end and not lo_inc and not end_inc):
                problems.append(f"values between {_fmt(end)} and {_fmt(lo)} fall in no band")
            if hi > end or (hi == end and hi_inc):
                end, end_inc = hi, hi_inc
        top = HUNDRED if self.measure == "percent" else INF
        if end < top or (end == top and not end_inc and top != INF):
            problems.append(f"values above {_fmt(end)} fall in no band")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        pts = [b.points for b in self.bands]
        return min(pts), max(pts)

    def measured(self, inp: ItemInput) -> Decimal:
        if self.measure == "percent":
            errors = _unused(inp, {"percent", "done", "total"})
            if errors:
                raise RuleInputError(errors)
            return _ratio_percent(inp)
        errors = _unused(inp, {"count"})
        if inp.count is None:
            errors.append("cách chấm này cần 'count'")
        elif inp.count < 0:
            errors.append("'count' không được âm")
        if errors:
            raise RuleInputError(errors)
        assert inp.count is not None
        return inp.count

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        value = self.measured(inp)
        for band in self.bands:
            if band.contains(value):
                return band.points
        raise RuleInputError([f"giá trị {_fmt(value)} không thuộc mức nào"])  # pragma: no cover

    def describe(self) -> str:
        unit = "%" if self.measure == "percent" else ""
        return "; ".join(f"{b.describe(unit)}: {_fmt(b.points)}" for b in self.bands)


class ProportionalRule(_RuleBase):
    """Points = ratio × max, when the ratio reaches a floor ("từ 80%: tỷ lệ % × điểm")."""

    type: Literal["proportional"]
    above: Points | None = None
    from_: Points | None = Field(default=None, alias="from")
    below_floor_points: Points = ZERO
    of: str | None = None

    @model_validator(mode="after")
    def _one_floor(self) -> ProportionalRule:
        if self.above is not None and self.from_ is not None:
            raise ValueError("give 'above' or 'from' as the floor, not both")
        return self

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        low = ZERO if self.above is None and self.from_ is None else self.below_floor_points
        return min(low, ZERO), max_points

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"percent", "done", "total"})
        if errors:
            raise RuleInputError(errors)
        pct = _ratio_percent(inp)
        if self.above is not None and not pct > self.above:
            return self.below_floor_points
        if self.from_ is not None and pct < self.from_:
            return self.below_floor_points
        if inp.percent is None:  # one division, so a value exactly on a half-hundredth stays
            assert inp.done is not None and inp.total is not None  # exact and rounds up
            return max_points * inp.done / inp.total
        return max_points * pct / HUNDRED

    def describe(self) -> str:
        if self.from_ is not None:
            floor = f"Từ {_fmt(self.from_)}% trở lên: "
        elif self.above is not None:
            floor = f"Trên {_fmt(self.above)}%: "
        else:
            floor = ""
        tail = "" if not floor else f"; dưới mức đó: {_fmt(self.below_floor_points)}"
        return f"{floor}điểm = tỷ lệ % × điểm tối đa{tail}"


class WeightedTerm(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    weight: Points


class WeightedRule(_RuleBase):
    """A weighted count, e.g. ``(b/a) × 1 + (c/a) × 0,5`` with ``a`` the ``total``."""

    type: Literal["weighted"]
    total_label: str = "tổng số"
    terms: tuple[WeightedTerm, ...] = Field(min_length=1)

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        weights = [t.weight for t in self.terms]
        return min(ZERO, *weights), max(weights)

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"total", "counts"})
        known = {t.id for t in self.terms}
        counts = inp.counts or {}
        errors += [f"không có số đếm {k!r}; các số đếm: {', '.join(sorted(known))}"
                   for k in counts if k not in known]
        if inp.total is None:
            errors.append(f"cách chấm này cần 'total' ({self.total_label})")
        if any(v < 0 for v in counts.values()):
            errors.append("số đếm không được âm")
        if errors:
            raise RuleInputError(errors)
        assert inp.total is not None
        if sum(counts.values(), ZERO) > inp.total:
            raise RuleInputError([f"các số đếm cộng lại bằng {_fmt(sum(counts.values(), ZERO))}, "
                                  f"lớn hơn total {_fmt(inp.total)}"])
        if inp.total == 0:
            raise RuleInputError(["'total' bằng 0: đánh dấu không áp dụng nếu được phép"])
        # one division: (3 × 0,75 + 5 × 0,375) / 11 is exactly 0,375 and must round to 0,38
        weighted = sum((counts.get(t.id, ZERO) * t.weight for t in self.terms), ZERO)
        return weighted / inp.total

    def describe(self) -> str:
        return " + ".join(f"({t.label}/{self.total_label}) × {_fmt(t.weight)}"
                          for t in self.terms)


OccurrenceKind = Literal["late", "missing", "missing-annual"]
"""What kind of slip a penalty counts, where it matters to a computed item: a report sent
late, a periodic (quarterly, 6-month) report not sent, the annual report not sent."""


class Penalty(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    points: Points = Field(gt=0)
    """Points taken off per occurrence."""
    kind: OccurrenceKind | None = None
    """The slip this penalty counts, each kind at its own rate ("trễ hạn −0,25; không gửi
    báo cáo quý −0,5; không gửi báo cáo năm −1"); items computed from the plan's reporting
    schedule count each report under its kind."""


class DeductionRule(_RuleBase):
    """Start from the maximum, take points off per occurrence, never below ``floor``."""

    type: Literal["deduction"]
    penalties: tuple[Penalty, ...] = Field(min_length=1)
    floor: Points = ZERO
    """Lowest score; negative where the source says so ("Không ban hành: -1 điểm")."""

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        return self.floor, max_points

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"occurrences"})
        known = {p.id: p for p in self.penalties}
        occ = inp.occurrences or {}
        errors += [f"không có loại trừ điểm {k!r}; các loại: {', '.join(known)}"
                   for k in occ if k not in known]
        errors += [f"số lần {k!r} không được âm" for k, v in occ.items() if v < 0]
        if errors:
            raise RuleInputError(errors)
        lost = sum((known[k].points * n for k, n in occ.items()), ZERO)
        return max(self.floor, max_points - lost)

    def describe(self) -> str:
        text = "; ".join(f"{p.label}: -{_fmt(p.points)} điểm/lần" for p in self.penalties)
        return text + f" (thấp nhất {_fmt(self.floor)})"


DEFAULT_ANSWER_WEIGHTS: dict[str, Decimal] = {
    "A": Decimal(1), "B": Decimal("0.6"), "C": Decimal("0.2"), "D": Decimal(0),
}


class SurveyRule(_RuleBase):
    """Points come from the sociological survey (điều tra xã hội học), not from the unit."""

    type: Literal["survey"]
    answer_weights: dict[str, Points] = Field(default_factory=lambda: dict(DEFAULT_ANSWER_WEIGHTS))
    """Share of the item's points each answer earns (A 100 %, B 60 %, C 20 %, D 0 %)."""

    @property
    def self_scored(self) -> bool:
        return False

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        return ZERO, max_points

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"points", "answers"})
        if (inp.points is None) == (inp.answers is None):
            errors.append("ghi kết quả điều tra bằng 'points' hoặc 'answers', một trong hai")
        if errors:
            raise RuleInputError(errors)
        if inp.points is not None:
            if not ZERO <= inp.points <= max_points:
                raise RuleInputError([f"điểm điều tra {_fmt(inp.points)} nằm ngoài 0–"
                                      f"{_fmt(max_points)}"])
            return inp.points
        assert inp.answers is not None
        unknown = [k for k in inp.answers if k not in self.answer_weights]
        if unknown:
            raise RuleInputError([f"không có phương án trả lời {k!r}; các phương án: "
                                  f"{', '.join(self.answer_weights)}" for k in unknown])
        n = sum(inp.answers.values(), ZERO)
        if n <= 0 or any(v < 0 for v in inp.answers.values()):
            raise RuleInputError(["số trả lời không được âm và không được đều bằng 0"])
        share = sum((v * self.answer_weights[k] for k, v in inp.answers.items()), ZERO) / n
        return max_points * share

    def describe(self) -> str:
        return "Điểm do điều tra xã hội học"


class ManualRule(_RuleBase):
    """Any value in [0, max] on a step, with an explanation; for rules no other kind expresses."""

    type: Literal["manual"]
    step: Points = Field(default=Decimal("0.25"), gt=0)
    text: str | None = None
    """The source's scoring text, kept when it could not be expressed as a typed rule."""

    def attainable(self, max_points: Decimal) -> tuple[Decimal, Decimal]:
        return ZERO, max_points

    def compute(self, inp: ItemInput, max_points: Decimal) -> Decimal:
        errors = _unused(inp, {"points"})
        if inp.points is None:
            errors.append("cách chấm này cần 'points'")
        elif not ZERO <= inp.points <= max_points:
            errors.append(f"điểm {_fmt(inp.points)} nằm ngoài 0–{_fmt(max_points)}")
        elif inp.points % self.step != 0:
            errors.append(f"điểm {_fmt(inp.points)} không phải bội số của {_fmt(self.step)}")
        if not (inp.explanation or "").strip():
            errors.append("chấm theo thực tế cần có giải trình ('explanation')")
        if errors:
            raise RuleInputError(errors)
        assert inp.points is not None
        return inp.points

    def describe(self) -> str:
        return self.text or f"Chấm theo thực tế, bước {_fmt(self.step)} điểm, có giải trình"


Rule = Annotated[
    ChoiceRule | BandsRule | ProportionalRule | WeightedRule | DeductionRule | SurveyRule
    | ManualRule,
    Field(discriminator="type"),
]
"""Any scoring rule; the ``type`` key picks the class."""
