"""What is assumed about the survey points not yet known: ``survey-assumptions.yaml``.

A distribution per survey item (a range, answer shares, or past results), in percent of the
item's maximum; each one describes itself in Vietnamese and draws shares of the maximum for
:func:`parindex.analysis.simulation.simulate`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic._internal._model_construction import ModelMetaclass

from parindex.core.base import Points, Strict
from parindex.core.errors import InputError, Problem
from parindex.core.errortext import error_message
from parindex.framework.rules import DEFAULT_ANSWER_WEIGHTS, SurveyRule

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

__all__ = [
    "DEFAULT_ASSUMPTION",
    "AnswerShares",
    "PastResults",
    "SurveyAssumptions",
    "SurveyDistribution",
    "SurveyRange",
    "load_assumptions",
]


class _RaisingInput(ModelMetaclass):
    """Models built in code (``SurveyRange(low=80, high=100)``) raise
    :class:`~parindex.core.errors.InputError` naming the field; read from a file
    (:func:`load_assumptions`, which validates without calling the class) their problems keep
    the file's line."""

    def __call__(cls, *args: Any, **data: Any) -> Any:
        try:
            return super().__call__(*args, **data)
        except ValidationError as exc:
            raise InputError(_problems(exc), f"invalid {cls.__name__}") from None


class _Assumption(Strict, metaclass=_RaisingInput):
    pass


def _problems(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        out.append(Problem(error_message(err), key=loc))
    return out


class SurveyRange(_Assumption):
    """Uniform between ``low`` and ``high`` percent of the item's max points."""

    type: Literal["range"] = "range"
    low: Points = Field(ge=0, le=100)
    high: Points = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> SurveyRange:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    def describe(self) -> str:
        return f"đều trong khoảng {_pct(self.low)}–{_pct(self.high)} điểm tối đa"

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        return rng.uniform(float(self.low), float(self.high), n) / 100


class AnswerShares(_Assumption):
    """A survey of ``respondents`` people answering with the given shares (multinomial).

    Shares are percent of the respondents and add up to 100 (``{"A": 60, "B": 30, "C": 10}``).

    Each answer earns a share of the points: the rule's ``answer_weights`` (A 100 %, B 60 %,
    C 20 %, D 0 % by default).
    """

    type: Literal["shares"] = "shares"
    shares: dict[str, Points]
    respondents: int = Field(default=100, ge=1)

    @model_validator(mode="after")
    def _percent(self) -> AnswerShares:
        values = self.shares.values()
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("shares must be non-negative and not all zero")
        total = sum(values, Decimal(0))
        if total <= 1:
            raise ValueError(f"shares add up to {_plain(total)}: they are percent of the "
                             f"respondents and add up to 100 (write 60 for 60 %)")
        if total != 100:
            raise ValueError(f"shares add up to {_plain(total)}, not 100 (percent of the "
                             "respondents)")
        return self

    def describe(self) -> str:
        parts = ", ".join(f"{k} {_pct(v)}" for k, v in self.shares.items())
        return f"tỷ lệ trả lời {parts} ({self.respondents} người)"

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        import numpy as np

        weights = rule.answer_weights or DEFAULT_ANSWER_WEIGHTS
        unknown = [k for k in self.shares if k not in weights]
        if unknown:
            raise ValueError(f"unknown answers {unknown}; allowed: {', '.join(weights)}")
        keys = list(self.shares)
        p = np.array([float(self.shares[k]) for k in keys])
        w = np.array([float(weights[k]) for k in keys])
        draws = rng.multinomial(self.respondents, p / p.sum(), size=n)
        out: FloatArray = (draws @ w) / self.respondents
        return out


class PastResults(_Assumption):
    """Normal around past results (percent of max), spread = their standard deviation.

    With a single past value the spread is ``spread`` points of percent (default 5).
    """

    type: Literal["past"] = "past"
    values: tuple[Points, ...] = Field(min_length=1)
    spread: Points = Field(default=Decimal(5), ge=0)

    @model_validator(mode="after")
    def _percent(self) -> PastResults:
        outside = [_plain(v) for v in self.values if not 0 <= v <= 100]
        if outside:
            raise ValueError(f"past results {', '.join(outside)} are outside 0–100 (percent "
                             "of the item's maximum)")
        return self

    def describe(self) -> str:
        return "theo kết quả các năm trước: " + ", ".join(_pct(v) for v in self.values)

    def sample(self, rng: np.random.Generator, n: int, rule: SurveyRule) -> FloatArray:
        import numpy as np

        vals = np.array([float(v) for v in self.values])
        sd = float(vals.std(ddof=1)) if len(vals) > 1 else float(self.spread)
        out: FloatArray = np.clip(rng.normal(float(vals.mean()), sd, n), 0, 100) / 100
        return out


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _pct(value: Decimal) -> str:
    text = format(value.normalize(), "f").replace(".", ",")
    return f"{text}%"


SurveyDistribution = Annotated[SurveyRange | AnswerShares | PastResults,
                               Field(discriminator="type")]
"""What is assumed about one survey item's result (``type``: range, shares or past)."""

DEFAULT_ASSUMPTION = SurveyRange(low=Decimal(50), high=Decimal(100))
"""Used for a pending survey item when nothing is assumed about it: deliberately wide."""


class SurveyAssumptions(_Assumption):
    """``survey-assumptions.yaml``: a distribution per survey item code, and a default.

    Values are percent of each item's maximum. A survey item with a known result keeps it
    unless the file names the item; a pending item without its own entry takes ``default``,
    else :data:`DEFAULT_ASSUMPTION` (a wide 50–100 %, stated as such in the result).
    """

    kind: Literal["parindex/survey-assumptions"] = "parindex/survey-assumptions"
    schema_version: Literal[1] = 1
    default: SurveyDistribution | None = None
    items: dict[str, SurveyDistribution] = Field(default_factory=dict)


def load_assumptions(path: Path | str) -> SurveyAssumptions:
    """Load a survey assumptions file (raises :class:`InputError` with file:line problems)."""
    from parindex.core.yamlio import load_model

    return load_model(SurveyAssumptions, Path(path), text_keys=("code",),
                      title="invalid survey assumptions file")
