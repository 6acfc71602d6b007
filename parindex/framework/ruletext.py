"""Scoring text ↔ typed rule: read the usual Vietnamese phrases of criteria annexes.

:func:`parse_rule` turns a "cách chấm" cell into one of the rule kinds of
:mod:`parindex.framework.rules`:

- options: "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0";
- bands, each bound's word kept exactly: "trên 90%" (above, exclusive), "từ 70%" (from,
  inclusive), "đến 90%" / "70% - 90%" (to, inclusive), "dưới 70%" (below, exclusive),
  "từ 30% trở lên", "từ 80% đến dưới 100%"; on a count when no "%" is written ("từ 2 lần trở
  lên: 1,5; 1 lần: 0,75; không tổ chức: 0");
- proportional: "Tỷ lệ % hoàn thành × điểm", with a floor ("từ 80%") and the points below it;
- deductions: "-0,25 điểm/báo cáo", "trừ 0,25 điểm";
- survey items: "điều tra xã hội học", "ĐTXHH".

Text that matches none of these becomes a ``manual`` rule that keeps the text; the result says
why, so an import can list it. :func:`rule_text` writes a rule back as text that
:func:`parse_rule` reads as the same rule (the annex export relies on it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import ValidationError

from parindex.core.base import nfc
from parindex.core.lazyre import lazy
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    Rule,
    SurveyRule,
    WeightedRule,
    _fmt,
)

__all__ = [
    "ParsedRule",
    "parse_points",
    "parse_rule",
    "slug",
]

_NUM = r"\d+(?:[.,]\d+)?"
_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-"})

_SURVEY = lazy(r"điều tra xã hội học|điều tra xhh|đtxhh|khảo sát xã hội học", re.I)
_VALUE = lazy(
    r":\s*(?P<val>(?:trừ\s*)?-?\s*" + _NUM
    + r"(?:\s*(?:điểm|đ(?!\w)))?(?:\s*/\s*[^;:\n]+?)?)\s*(?=$|[;\n]|\.(?:\s|$)|\s+-\s+)",
    re.I,
)
_NA = lazy(r"(?:^|[;\n])\s*([^;\n]*?)\s*:\s*không\s+áp\s+dụng(?:\s*\((?P<policy>[^()]*)\))?"
                 r"\s*\.?\s*(?=$|[;\n])", re.I)
"""A "…: không áp dụng" clause: when the item may be marked not applicable, with what it
does in brackets when the source says so ("(tính điểm tối đa)")."""
_NA_ARISE = lazy(
    r"(?:^|[;\n])\s*([^;\n:]*?không\s+phát\s+sinh[^;\n:]*?)\s*:\s*(?P<policy>(?:được\s+)?"
    r"(?:tính\s+|đạt\s+)?(?:đủ\s+)?điểm\s+tối\s+đa|không\s+tính\s+(?:vào\s+)?(?:tổng\s+)?điểm"
    r"(?:\s+tối\s+đa)?)\s*\.?\s*(?=$|[;\n])", re.I)
"""A task that never arose, written as a scoring level: "Không phát sinh: điểm tối đa" (full
points) or "Không phát sinh: không tính vào điểm tối đa" (removed from the maximum)."""
_AWARD = lazy(r"(?<!không\s)(?:tính|đạt|được)?\s*(?:đủ\s+)?điểm\s+tối\s+đa", re.I)
_DROP = lazy(r"không\s+tính|loại\s+khỏi|trừ\s+khỏi", re.I)


def _na_policy(text: str | None) -> Literal["drop", "award-max"] | None:
    if not text:
        return None
    if _DROP.search(text):
        return "drop"
    return "award-max" if _AWARD.search(text) else None
_POINTS = lazy(r"^(?P<minus>trừ\s*|-\s*)?(?P<num>" + _NUM + r")(?:\s*(?:điểm|đ(?!\w)))?"
                     r"(?:\s*/\s*(?P<unit>.+))?$", re.I)
_PROP = lazy(
    r"tỷ\s*lệ\s*(?P<pct>%)?\s*(?P<of>[^×*;\n]*?)\s*(?:×|\*|\sx\s|nhân\s+(?:với\s+)?)\s*"
    r"(?P<mult>điểm(?:\s+tối\s+đa)?|" + _NUM + r")", re.I)
_TERM = r"\(\s*([^()/]+?)\s*/\s*([^()/]+?)\s*\)\s*(?:×|\*|x)\s*(" + _NUM + r")"
_WEIGHTED = lazy(_TERM + r"(?:\s*\+\s*" + _TERM + r")*")
_MANUAL = lazy(r"^chấm theo thực tế, bước (" + _NUM + r") điểm, có giải trình$", re.I)
_FLOOR = lazy(r"\b(?P<word>từ|trên)\s+(?P<num>" + _NUM + r")\s*%", re.I)
_FLOOR_CLAUSE = lazy(r"thấp nhất|tối thiểu", re.I)
_REPORT_WORD = lazy(r"báo\s+cáo", re.I)
_OCCURRENCE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("missing-annual", re.compile(r"không\s+(?:gửi|có|nộp)\b.*\bnăm\b", re.I)),
    ("missing", re.compile(r"không\s+(?:gửi|có|nộp)\b|\bthiếu\b", re.I)),
    ("late", re.compile(r"\btrễ\b|\bchậm\b|\bmuộn\b|quá\s+hạn", re.I)),
)
"""Penalties of a reports item, by the slip their label names (first match wins)."""
_FLOOR_PHRASE = lazy(
    r"[,;]?\s*\(\s*(?:điểm\s+)?(?:thấp\s+nhất|tối\s+thiểu)(?:\s+là)?\s*:?\s*(?P<num>-?\s*"
    + _NUM + r")\s*(?:điểm|đ)?\s*\)", re.I)
"""A floor written in brackets after the deductions: "(thấp nhất 0)", "(tối thiểu 0 điểm)"."""
_CAP_PHRASE = lazy(
    r"[,;]?\s*\(?\s*(?:(?:nhưng\s+)?(?:tổng\s+(?:số\s+)?điểm\s+trừ\s+)?không\s+quá|"
    r"(?:trừ\s+)?tối\s+đa(?:\s+trừ)?|trừ\s+không\s+quá)\s+(?P<num>" + _NUM
    + r")\s*(?:điểm|đ)\s*\)?\s*(?=$|[;.\n])", re.I)
"""A cap on the points taken off: "…, không quá 1 điểm", "(tối đa trừ 1 điểm)"."""


@dataclass(frozen=True)
class ParsedRule:
    """The rule read from a text, and how sure the reading is."""

    rule: Rule
    recognised: bool
    """False when the text was kept as a ``manual`` rule."""
    problems: tuple[str, ...] = ()
    """Why the text was not recognised or, for a recognised rule, what is doubtful in the
    reading (Vietnamese)."""
    not_applicable_when: str | None = None
    """The condition of a "…: không áp dụng" clause, if the text has one."""
    not_applicable_policy: Literal["drop", "award-max"] | None = None
    """What that case does, when the text says so: scored full, or removed from the maximum
    (None: the framework's default)."""

    @property
    def kind(self) -> str:
        return self.rule.type

    @property
    def method(self) -> str:
        return "survey" if isinstance(self.rule, SurveyRule) else "self-assessed"


def parse_points(value: Any) -> Decimal | None:
    """Points from a table cell: ``0,5``, ``"0.5"``, ``1`` or ``"2 điểm"``; None when empty.

    Raises ``ValueError`` when the cell holds something that is not a number of points.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("true/false is not a number of points")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    text = nfc(str(value)).strip().translate(_DASHES)
    if not text:
        return None
    m = re.fullmatch(r"\(?\s*(-?\s*" + _NUM + r")\s*(?:điểm)?\s*\)?", text, re.I)
    if not m:
        raise ValueError(f"'{text}' is not a number of points")
    try:
        return Decimal(m.group(1).replace(" ", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"'{text}' is not a number of points") from None


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def slug(text: str, max_len: int = 40) -> str:
    """An option id from a label: ``"Ban hành kịp thời"`` → ``"ban-hanh-kip-thoi"``."""
    plain = nfc(text).lower().replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFD", plain)
                    if unicodedata.category(c) != "Mn")
    words = re.findall(r"[a-z0-9]+", plain)
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > max_len:
            break
        out = f"{out}-{w}" if out else w[:max_len]
    return out or "muc"


def _unique_ids(labels: list[str]) -> list[str]:
    ids: list[str] = []
    for label in labels:
        base = slug(label)
        new, n = base, 2
        while new in ids:
            new, n = f"{base}-{n}", n + 1
        ids.append(new)
    return ids


@dataclass(frozen=True)
class _Clause:
    label: str
    value: str


def _clauses(text: str, raw: str | None = None) -> tuple[list[_Clause], str]:
    """Split "label: value; label: value" text; returns the clauses and the unread tail.

    ``text`` is ``raw`` with dashes unified (same length): labels are cut from ``raw`` so they
    keep the source's wording and punctuation.
    """
    raw = text if raw is None else raw
    out: list[_Clause] = []
    pos = 0
    for m in _VALUE.finditer(text):
        label = _strip_sep(raw[pos:m.start()])
        out.append(_Clause(label, m.group("val").strip()))
        pos = m.end()
    return out, _strip_sep(raw[pos:])


def _strip_sep(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return text.strip(" \t\r\n;.,-–—−•+*").strip()


# -- band labels ------------------------------------------------------------------------------
_N = r"(" + _NUM + r")\s*(%?)"
_TO = r"\s*(?:-|đến|tới)\s*"
_BAND_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...], bool]] = [
    (re.compile(r"\btừ\s+" + _N + _TO + r"dưới\s+" + _N), ("from", "below"), False),
    (re.compile(r"\btrên\s+" + _N + _TO + r"dưới\s+" + _N), ("above", "below"), False),
    (re.compile(r"\btừ\s+" + _N + _TO + _N), ("from", "to"), False),
    (re.compile(r"\btrên\s+" + _N + _TO + _N), ("above", "to"), False),
    (re.compile(r"(?<![\d,.])" + _N + _TO + r"dưới\s+" + _N), ("from", "below"), True),
    (re.compile(r"(?<![\d,.])" + _N + r"\s*(?:-|đến|tới)\s+" + _N), ("from", "to"), True),
    (re.compile(r"(?<![\d,.])" + _N + r"\s*-\s*" + _N), ("from", "to"), True),
    (re.compile(r"\btrên\s+" + _N + r"(?:\s*trở\s+lên)?"), ("above",), False),
    (re.compile(r"\btừ\s+" + _N + r"(?:\s+\S+){0,3}?\s*trở\s+lên"), ("from",), False),
    (re.compile(r"(?<![\d,.])" + _N + r"\s*trở\s+lên"), ("from",), False),
    (re.compile(r"\bdưới\s+" + _N), ("below",), False),
    (re.compile(r"\btừ\s+" + _N), ("from",), False),
    (re.compile(r"\b(?:đến|tới|không quá)\s+" + _N), ("to",), False),
]
"""Bound phrases, most specific first; the flag marks a lower bound written without "từ" or
"trên" (read as inclusive, and reported as a doubt)."""
_SYMBOL_RANGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(" + _NUM + r"\s*%?)\s*" + lo + r"\s*[a-z]?\s*" + hi + r"\s*(" + _NUM
                + r"\s*%?)"), words)
    for lo, hi, words in (("≤", "<", r"từ \1 đến dưới \2"), ("≤", "≤", r"từ \1 đến \2"),
                          ("<", "<", r"trên \1 đến dưới \2"), ("<", "≤", r"trên \1 đến \2"))
]
"""Ranges written with symbols, "A ≤ x < B", turned into the bound words."""
_NEGATION = lazy(r"\b(?:không|chưa)\b")
_COUNT_EXACT = lazy(r"^(?:có\s+|đạt\s+|tổ\s+chức\s+)?(\d+)\s+[^\d%;:]{1,20}$")
_PCT_EXACT = lazy(r"(?<![\d,.])(" + _NUM + r")\s*%")


@dataclass(frozen=True)
class _Bounds:
    bounds: dict[str, Decimal]
    percent: bool
    exact: Decimal | None = None
    zero: bool = False
    """A "không có / không tổ chức" band: nothing happened (count 0)."""
    bare: bool = False
    """The lower bound has no word ("20% – dưới 30%"): read as inclusive."""


def _band_bounds(label: str) -> _Bounds | None:
    low = nfc(label).lower().translate(_DASHES).replace(">=", "≥").replace("<=", "≤")
    for symbols, replacement in _SYMBOL_RANGES:  # "70% ≤ x < 90%"
        low = symbols.sub(replacement, low)
    low = re.sub(r"\b[a-z]\s*(?=[≥≤<>])", "", low)  # "x ≥ 90%" → "≥ 90%"
    low = low.replace("≥", "từ ").replace("≤", "đến ").replace(">", "trên ").replace("<", "dưới ")
    low = re.sub(r"\s+", " ", low)
    for pattern, words, bare in _BAND_PATTERNS:
        m = pattern.search(low)
        if m:
            groups = m.groups()
            nums = groups[0::2]
            pcts = groups[1::2]
            return _Bounds({w: _dec(n) for w, n in zip(words, nums, strict=True)},
                           any(pcts), bare=bare)
    negated = bool(_NEGATION.search(low))
    exact = _PCT_EXACT.findall(low)
    if len(exact) == 1 and not negated:
        return _Bounds({}, True, _dec(exact[0]))
    m = _COUNT_EXACT.match(low.strip())
    if m and not negated:
        return _Bounds({}, False, _dec(m.group(1)))
    if re.match(r"^(?:không|chưa)(?:\s+(?:có|tổ chức|thực hiện|đạt))?\b", low.strip()) and \
            not re.search(r"\d", low):
        return _Bounds({}, False, zero=True)
    return None


def _bands(clauses: list[_Clause], points: list[Decimal], prefix: str | None) -> (
    tuple[BandsRule | None, list[str]]
):
    """Bands from clauses whose labels all carry bounds; None when they do not."""
    read = [_band_bounds(c.label) for c in clauses]
    if any(r is None for r in read):
        return None, []
    reads = [r for r in read if r is not None]
    real = [r for r in reads if not r.zero]
    if not real:
        return None, []
    percent = any(r.percent for r in reads)
    if percent and any(r.zero for r in reads):
        return None, []
    lows: list[Decimal] = []
    for r in real:
        if r.exact is not None:
            lows.append(r.exact)
        else:
            lows += [v for k, v in r.bounds.items() if k in ("from", "above")]
    bands: list[dict[str, Any]] = []
    for clause, pts, r in zip(clauses, points, reads, strict=True):
        band: dict[str, Any] = {"points": pts}
        if r.zero:
            band["below"] = min(lows) if lows else Decimal(1)
        elif r.exact is not None:
            band["from"] = r.exact
            if not percent:
                band["below"] = r.exact + 1
            elif r.exact != 100:
                band["to"] = r.exact
        else:
            band.update(r.bounds)
        band["label"] = clause.label
        bands.append(band)
    data: dict[str, Any] = {"type": "bands", "measure": "percent" if percent else "count",
                            "bands": bands}
    if prefix:
        data["of"] = prefix
    try:
        rule = BandsRule.model_validate(data)
    except ValidationError as exc:
        msgs = [e["msg"].removeprefix("Value error, ") for e in exc.errors(include_url=False)]
        return None, [f"các mức chấm không khớp nhau ({'; '.join(msgs)})"]
    notes = []
    for clause, r in zip(clauses, reads, strict=True):
        if r.bare:
            low = _fmt(r.bounds["from"]) + ("%" if percent else "")
            notes.append(f"mức '{clause.label}' không ghi 'từ' hay 'trên' trước {low}: hiểu là "
                         f"từ {low} (tính cả {low})")
    return rule, notes


def _split_prefix(clauses: list[_Clause]) -> tuple[list[_Clause], str | None]:
    """"Tỷ lệ … được kiểm tra (1): Từ 30% trở lên: 1; …": what is measured, then the bands."""
    first = clauses[0].label
    if ":" not in first:
        return clauses, None
    head, _, rest = first.rpartition(":")
    return [_Clause(rest.strip(), clauses[0].value), *clauses[1:]], head.strip() or None


# -- the parser --------------------------------------------------------------------------------
def _manual(text: str, problems: list[str], na: str | None = None) -> ParsedRule:
    return ParsedRule(ManualRule(type="manual", text=text or None), False, tuple(problems), na)


def parse_rule(text: str | None, max_points: Decimal | None = None) -> ParsedRule:
    """Read a scoring text as a typed rule; unmatched text gives a ``manual`` rule keeping it.

    ``max_points`` lets the reader check a proportional multiplier ("× 0,5") and resolve
    "× điểm"; it is not used to change what the text says.
    """
    raw = nfc(text or "").strip()
    if not raw:
        return _manual("", ["không có nội dung cách chấm"])
    norm = raw.translate(_DASHES)  # same length as raw: positions carry over
    body = raw  # raw without its "không áp dụng" clause
    na_when: str | None = None
    na = _NA.search(norm) or _NA_ARISE.search(norm)
    policy: Literal["drop", "award-max"] | None = None
    if na is not None:
        na_when = _strip_sep(raw[na.start(1):na.end(1)]) or None
        policy = _na_policy(na.group("policy"))
        if na.group("policy") and policy is None:
            return _manual(raw, [f"không hiểu cách tính khi không áp dụng: "
                                 f"'{na.group('policy')}'"], na_when)
        norm, body = norm[:na.start()] + norm[na.end():], raw[:na.start()] + raw[na.end():]
        if _NA.search(norm) or _NA_ARISE.search(norm):
            return _manual(raw, ["nhiều hơn một điều kiện 'không áp dụng'"], na_when)
        if not _strip_sep(norm):
            return _manual(raw, ["chỉ có điều kiện 'không áp dụng', không có mức điểm"], na_when)
    parsed = _parse_levels(raw, norm, body, max_points, na_when)
    return replace(parsed, not_applicable_policy=policy) if policy else parsed


def _parse_levels(raw: str, norm: str, body: str, max_points: Decimal | None,
                  na_when: str | None) -> ParsedRule:
    """:func:`parse_rule` once the not-applicable clause is taken out of ``norm``/``body``."""
    if _SURVEY.search(norm) and not _VALUE.search(norm):
        return ParsedRule(SurveyRule(type="survey"), True, (), na_when)
    manual = _MANUAL.match(_strip_sep(norm))
    if manual:
        return ParsedRule(ManualRule(type="manual", step=_dec(manual.group(1))), True, (),
                          na_when)
    weighted = _WEIGHTED.search(norm)
    if weighted:
        return _weighted(raw, body[weighted.start():weighted.end()], na_when)
    prop = _PROP.search(norm)
    if prop:
        return _proportional(raw, norm, prop, max_points, na_when)
    bound: tuple[str, Decimal] | None = None
    for kind, phrase in (("floor", _FLOOR_PHRASE), ("cap", _CAP_PHRASE)):
        bm = phrase.search(norm)
        if bm is not None:
            if bound is not None:
                return _manual(raw, ["vừa có điểm thấp nhất vừa có mức trừ tối đa"], na_when)
            bound = (kind, _dec(bm.group("num").replace(" ", "")))
            norm = norm[:bm.start()] + norm[bm.end():]
            body = body[:bm.start()] + body[bm.end():]
    # "Mỗi văn bản trễ hạn trừ 0,25 điểm": a deduction written without a colon
    norm, body = (re.sub(r"(?<=\w)\s+(trừ\s+)(?=\d)", r": \1", t) for t in (norm, body))
    clauses, tail = _clauses(norm, body)
    if not clauses:
        return _manual(raw, ["không nhận ra mẫu cách chấm nào (không có cặp 'nội dung: điểm')"],
                       na_when)
    if tail:
        return _manual(raw, [f"phần chữ sau mức cuối cùng không đọc được: '{tail}'"], na_when)
    if any(not c.label for c in clauses):
        return _manual(raw, ["có mức điểm không kèm nội dung"], na_when)
    values = [_POINTS.match(c.value) for c in clauses]
    if any(v is None for v in values):  # pragma: no cover - _VALUE admits only these shapes
        return _manual(raw, ["giá trị điểm không đọc được"], na_when)
    matches = [v for v in values if v is not None]
    if any(m.group("unit") or (m.group("minus") or "").lower().startswith("trừ")
           for m in matches) or all(m.group("minus") for m in matches):
        return _deduction(raw, clauses, matches, max_points, na_when, bound)
    if bound is not None:
        return _manual(raw, ["điểm thấp nhất hoặc mức trừ tối đa ghi cho một cách chấm không "
                             "phải trừ điểm"], na_when)
    points = [(-1 if m.group("minus") else 1) * _dec(m.group("num")) for m in matches]
    levels, prefix = _split_prefix(clauses)
    bands, problems = _bands(levels, points, prefix)
    if bands is not None:
        return ParsedRule(bands, True, tuple(problems), na_when)
    if problems:
        return _manual(raw, problems, na_when)
    options = [{"id": i, "label": c.label, "points": p}
               for i, c, p in zip(_unique_ids([c.label for c in clauses]), clauses, points,
                                  strict=True)]
    doubts = ("chỉ có một mức điểm: các trường hợp khác không được ghi",) if len(options) == 1 \
        else ()
    return ParsedRule(ChoiceRule.model_validate({"type": "choice", "options": options}), True,
                      doubts, na_when)


def _weighted(raw: str, formula: str, na_when: str | None) -> ParsedRule:
    """"(b/a) × 1 + (c/a) × 0,5": counts b, c of a total a, each with its weight."""
    terms = re.findall(_TERM, formula.translate(_DASHES))
    totals = sorted({t[1] for t in terms})
    if len(totals) != 1:
        return _manual(raw, [f"công thức chia cho nhiều tổng khác nhau ({', '.join(totals)})"],
                       na_when)
    labels = [t[0] for t in terms]
    rule = WeightedRule.model_validate({
        "type": "weighted", "total_label": terms[0][1],
        "terms": [{"id": i, "label": label, "weight": _dec(w)}
                  for i, label, (_, _, w) in zip(_unique_ids(labels), labels, terms, strict=True)],
    })
    return ParsedRule(rule, True, (), na_when)


def _deduction(raw: str, clauses: list[_Clause], matches: list[re.Match[str]],
               max_points: Decimal | None, na_when: str | None,
               bound: tuple[str, Decimal] | None = None) -> ParsedRule:
    """Penalties per occurrence, and the lowest score: stated in a clause ("Điểm thấp nhất:
    0"), in brackets ("(thấp nhất 0)"), or as a cap on what is taken off ("không quá 1 điểm"
    → maximum − 1). A source that states no lowest score gets 0, said as a doubt: the
    reading never adds a floor silently."""
    penalties: list[dict[str, Any]] = []
    floor: Decimal | None = None
    problems: list[str] = []
    labels: list[str] = []
    for clause, m in zip(clauses, matches, strict=True):
        value = _dec(m.group("num"))
        negative = bool(m.group("minus"))
        if _FLOOR_CLAUSE.search(clause.label):
            floor = -value if negative else value
            continue
        if not negative:
            if max_points is not None and value != max_points:
                problems.append(f"mức '{clause.label}: {_fmt(value)}' không phải điểm trừ và "
                                f"khác điểm tối đa {_fmt(max_points)}")
            continue
        if value == 0:
            continue
        labels.append(clause.label)
        penalties.append({"label": clause.label, "points": value})
    if problems:
        return _manual(raw, problems, na_when)
    if not penalties:
        return _manual(raw, ["không có mức trừ điểm nào"], na_when)
    doubts: list[str] = []
    if bound is not None and floor is not None:
        return _manual(raw, ["điểm thấp nhất ghi hai lần"], na_when)
    if bound is not None and bound[0] == "floor":
        floor = bound[1]
    elif bound is not None:
        if max_points is None:
            return _manual(raw, [f"mức trừ tối đa {_fmt(bound[1])} điểm cần điểm tối đa của "
                                 "tiêu chí để tính điểm thấp nhất"], na_when)
        floor = max_points - bound[1]
    if floor is None:
        floor = Decimal(0)
        doubts.append("nguồn không ghi điểm thấp nhất: tạm lấy 0, đối chiếu văn bản gốc")
    for pen, pid in zip(penalties, _unique_ids(labels), strict=True):
        pen["id"] = pid
    if any(_REPORT_WORD.search(p["label"]) for p in penalties):
        for pen in penalties:
            kind = next((k for k, pattern in _OCCURRENCE_KINDS if pattern.search(pen["label"])),
                        None)
            if kind is not None:
                pen["kind"] = kind
    rule = DeductionRule.model_validate({"type": "deduction", "penalties": penalties,
                                         "floor": floor})
    return ParsedRule(rule, True, tuple(doubts), na_when)


def _proportional(raw: str, norm: str, prop: re.Match[str], max_points: Decimal | None,
                  na_when: str | None) -> ParsedRule:
    segments = [_strip_sep(s) for s in re.split(r"[;\n]", norm)]
    segments = [s for s in segments if s]
    problems: list[str] = []
    data: dict[str, Any] = {"type": "proportional"}
    of = re.sub(r"\s+", " ", prop.group("of")).strip(" :,")
    if of:
        data["of"] = f"tỷ lệ {of}"
    mult = prop.group("mult")
    if mult[0].isdigit() and max_points is not None and _dec(mult) != max_points:
        problems.append(f"hệ số nhân {mult} khác điểm tối đa {_fmt(max_points)}")
    floor_value: Decimal | None = None
    for seg in segments:
        formula = _PROP.search(seg)
        if formula is not None:
            fm = _FLOOR.search(seg[: formula.start()])
            if fm:
                floor_value = _dec(fm.group("num"))
                data["above" if fm.group("word").lower() == "trên" else "from"] = floor_value
            continue
        clauses, tail = _clauses(seg)
        if len(clauses) != 1 or tail:
            problems.append(f"không đọc được đoạn '{seg}'")
            continue
        clause = clauses[0]
        below = re.search(r"\bdưới\s+(" + _NUM + r")\s*%", clause.label.lower())
        pm = _POINTS.match(clause.value)
        if below is None or pm is None or pm.group("unit"):
            problems.append(f"không đọc được đoạn '{seg}'")
            continue
        if floor_value is not None and _dec(below.group(1)) != floor_value:
            problems.append(f"mức 'dưới {below.group(1)}%' không khớp ngưỡng "
                            f"{_fmt(floor_value)}%")
        data["below_floor_points"] = (-1 if pm.group("minus") else 1) * _dec(pm.group("num"))
    if problems:
        return _manual(raw, problems, na_when)
    return ParsedRule(ProportionalRule.model_validate(data), True, (), na_when)


# -- writing rules back as text ----------------------------------------------------------------
