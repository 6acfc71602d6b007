"""What a unit records for each scored item of its self-assessment.

One :class:`ItemInput` per item code: the option chosen, the counts or ratio measured, manual
points, a not-applicable flag, the explanation (giải trình). Which fields an item needs depends
on its rule (see :mod:`parindex.framework.rules`); the rule checks them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from parindex.core.base import Points, Strict

__all__ = ["ItemInput", "SelfAssessment", "SurveyResults"]


class ItemInput(Strict):
    """The recorded facts for one scored item."""

    option: str | None = None
    """Choice rules: the id of the option chosen (e.g. ``kip-thoi``)."""
    percent: Points | None = None
    """Bands / proportional rules on a ratio: the ratio in percent (0–100)."""
    done: Points | None = None
    """With ``total``: a ratio given as counts (``done`` of ``total``)."""
    total: Points | None = None
    count: Points | None = None
    """Bands on a count (e.g. number of dialogues held)."""
    counts: dict[str, Points] | None = None
    """Weighted rules: the count of each kind, e.g. ``{b: 3, c: 1}`` with ``total: 5``."""
    occurrences: dict[str, int] | None = None
    """Deduction rules: how many times each penalty applies, e.g. ``{late: 1}``."""
    points: Points | None = None
    """Manual rules and survey items: the points themselves."""
    answers: dict[str, Points] | None = None
    """Survey items: respondents (or shares) per answer option, e.g. ``{A: 60, B: 30, C: 10}``."""
    not_applicable: bool = False
    explanation: str | None = None
    """Giải trình: why evidence is missing or how the score was reached."""
    self_score: Points | None = None
    """The score the unit wrote down, if any; the check compares it with the rule's result."""
    note: str | None = None
    derived_from: Literal["plan", "register"] | None = Field(default=None, exclude=True)
    """Set when the input was computed (e.g. from the plan) rather than typed."""


def _blank_allowed(schema: dict[str, Any]) -> None:
    """In the published schema, an item may also be written blank (not entered yet)."""
    schema["additionalProperties"] = {"anyOf": [schema["additionalProperties"],
                                                {"type": "null"}]}


class SelfAssessment(Strict):
    """``self-assessment.yaml``: the unit's inputs, keyed by item code."""

    kind: Literal["parindex/self-assessment"] = "parindex/self-assessment"
    schema_version: Literal[1] = 1
    items: dict[str, ItemInput] = Field(default_factory=dict, json_schema_extra=_blank_allowed)

    @field_validator("items", mode="before")
    @classmethod
    def _drop_blank(cls, value: Any) -> Any:
        """An item written with no value (``"1.1.1":``, as ``parindex new`` lists them) is not
        entered yet: it is left out, so it scores as missing input."""
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if v is not None}
        return value


class SurveyResults(Strict):
    """``survey.yaml``: points (or answer counts) of the survey-scored items, once known."""

    kind: Literal["parindex/survey"] = "parindex/survey"
    schema_version: Literal[1] = 1
    source: str | None = None
    items: dict[str, ItemInput] = Field(default_factory=dict)
