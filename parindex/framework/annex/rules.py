"""Read the texts of a scored item: its scoring text as a typed rule
(:mod:`parindex.framework.ruletext`), its evidence cell as document types, deadline and
evidence lines; what cannot be read, or reads doubtfully, is a finding on its source row."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from parindex.framework.annex.findings import (
    RULE_AMBIGUOUS,
    RULE_KEPT_AS_TEXT,
    RULE_MAX_MISMATCH,
    RULE_MISSING,
    RULE_SHARED,
    SURVEY_BY_AREA,
    Recorder,
)
from parindex.framework.annex.tree import Entry
from parindex.framework.rules import SurveyRule, _fmt
from parindex.framework.ruletext import ParsedRule, parse_rule

__all__ = ["RuleReader", "evidence_fields"]

_SURVEY_AREA = re.compile(r"điều tra xã hội học|đtxhh|điều tra xhh", re.I)


class RuleReader:
    """Scoring texts → typed rules, counting the kinds read and the items kept as text."""

    def __init__(self, rec: Recorder, by_code: dict[str, Entry]) -> None:
        self.rec = rec
        self.by_code = by_code
        self.kinds: dict[str, int] = {}
        self.kept: list[str] = []

    def read(self, e: Entry, out: dict[str, Any]) -> None:
        """Add the rule of the scored item ``e`` to its framework data ``out``."""
        parsed = self._parse(e)
        if e.rule_shared:
            self.rec.at(RULE_SHARED, f"cách chấm của {e.code} lấy từ ô gộp ở dòng trên", e.row,
                        e.code)
        self.kinds[parsed.kind] = self.kinds.get(parsed.kind, 0) + 1
        self._check_reading(e, parsed)
        out.update(_rule_fields(parsed))
        if e.points is not None:
            _, high = parsed.rule.attainable(e.points)
            if high != e.points:
                self.rec.at(RULE_MAX_MISMATCH, f"{e.code}: mức cao nhất của cách chấm là "
                            f"{_fmt(high)} nhưng điểm tối đa ghi {_fmt(e.points)}", e.row,
                            e.code)

    def _parse(self, e: Entry) -> ParsedRule:
        """The rule of ``e``; without a scoring text in a sociological-survey area, a survey."""
        top = self.by_code.get(e.code.split(".")[0])
        if not e.rule_text and top is not None and _SURVEY_AREA.search(top.name):
            parsed = parse_rule("điều tra xã hội học", e.points)
            self.rec.at(SURVEY_BY_AREA, f"{e.code} thuộc lĩnh vực '{top.name}': chấm bằng điều "
                        "tra xã hội học", e.row, e.code)
            return parsed
        return parse_rule(e.rule_text, e.points)

    def _check_reading(self, e: Entry, parsed: ParsedRule) -> None:
        if parsed.recognised and parsed.problems:
            self.rec.at(RULE_AMBIGUOUS, f"{e.code}: {'; '.join(parsed.problems)}", e.row, e.code)
        if not parsed.recognised:
            self.kept.append(e.code)
            if e.rule_text:
                self.rec.at(RULE_KEPT_AS_TEXT, f"{e.code}: '{e.rule_text}' — "
                            f"{'; '.join(parsed.problems)}", e.row, e.code)
            else:
                self.rec.at(RULE_MISSING, f"{e.code} không có cách chấm", e.row, e.code)


def _rule_fields(parsed: ParsedRule) -> dict[str, Any]:
    """The item fields a rule sets: method, rule, not-applicable case."""
    out: dict[str, Any] = {}
    if isinstance(parsed.rule, SurveyRule):
        out["method"] = "survey"
    out["rule"] = parsed.rule.model_dump(mode="python", by_alias=True, exclude_none=True,
                                         exclude_defaults=True)
    out["rule"]["type"] = parsed.kind
    if parsed.not_applicable_when:
        out["not_applicable_allowed"] = True
        out["not_applicable_when"] = parsed.not_applicable_when
    if parsed.not_applicable_policy:
        out["not_applicable"] = parsed.not_applicable_policy
    return out


def evidence_fields(text: str) -> dict[str, Any]:
    """The evidence cell: "Loại văn bản: KH, QĐ" and "Hạn: 31/12/2020" lines, then the rest."""
    out: dict[str, Any] = {}
    evidence: list[str] = []
    for line in (x.strip() for x in text.splitlines()):
        types = re.match(r"loại văn bản\s*:\s*(.+)$", line, re.I)
        due = re.match(r"hạn\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})$", line, re.I)
        if types:
            out["document_types"] = [t.strip() for t in types.group(1).split(",") if t.strip()]
        elif due:
            try:
                out["deadline"] = dt.date(int(due[3]), int(due[2]), int(due[1]))
            except ValueError:
                evidence.append(line)
        elif line:
            evidence.append(line)
    if evidence:
        out["evidence"] = evidence
    return out
