"""Candidate changes per rule kind: what could raise an item below its maximum.

For choice rules the better options, for bands the smallest value in each band ("cần từ 80%:
28/34"), for proportional and weighted rules the full ratio, for deductions each occurrence
removed, for manual items the maximum. Candidates are only proposals: :mod:`parindex.analysis
.gains` scores each one and keeps those that gain.
"""

from __future__ import annotations

import math
from decimal import Decimal

from parindex.analysis.whatif import Change, choose, count, manual, occurrences, ratio
from parindex.framework.extras import ExtraItem
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Node
from parindex.framework.rules import (
    BandsRule,
    ChoiceRule,
    DeductionRule,
    ManualRule,
    ProportionalRule,
    WeightedRule,
    _fmt,
    quantize,
)

__all__ = ["candidates"]

ONE = Decimal(1)


def candidates(node: Node | ExtraItem,
               inp: ItemInput | None) -> list[tuple[Change, str, str | None]]:
    """``(change, action, needed)`` that could raise ``node`` (a tree item, or a bonus or
    penalty item); scored later to keep the gains."""
    rule = node.rule
    code = node.code
    out: list[tuple[Change, str, str | None]] = []
    if isinstance(rule, ChoiceRule):
        for o in rule.options:
            out.append((choose(code, o.id, o.label), o.label, None))
    elif isinstance(rule, BandsRule):
        unit = "%" if rule.measure == "percent" else ""
        what = rule.of or ("tỷ lệ" if rule.measure == "percent" else "số lượng")
        for band in rule.bands:
            found = _band_value(code, rule, band.interval(), inp)
            if found is not None:
                change, needed = found
                out.append((change, band.label or f"{what}: {band.describe(unit)}", needed))
    elif isinstance(rule, ProportionalRule):
        total = inp.total if inp is not None and inp.percent is None else None
        what = rule.of or "tỷ lệ"
        if total:
            out.append((ratio(code, done=total, total=total), f"{what}: 100%",
                        f"{_fmt(total)}/{_fmt(total)}"))
            floor = rule.from_ if rule.from_ is not None else rule.above
            if floor is not None:
                done = _smallest_done(floor, rule.from_ is not None, total)
                if done is not None and done < total:
                    out.append((ratio(code, done=done, total=total),
                                f"{what}: đạt ngưỡng {_fmt(floor)}%",
                                f"{_fmt(done)}/{_fmt(total)}"))
        else:
            out.append((ratio(code, Decimal(100)), f"{what}: 100%", "100%"))
    elif isinstance(rule, WeightedRule):
        top = max(rule.terms, key=lambda t: t.weight)
        total = inp.total if inp is not None and inp.total else ONE
        out.append((Change(code, {"total": total, "counts": {top.id: total}}),
                    f"toàn bộ {rule.total_label} ở mức “{top.label}”",
                    f"{_fmt(total)}/{_fmt(total)}"))
    elif isinstance(rule, DeductionRule):
        occ = dict(inp.occurrences or {}) if inp is not None else {}
        labels = {p.id: p.label for p in rule.penalties}
        for pid, n in occ.items():
            for removed in range(1, n + 1):
                left = {**occ, pid: n - removed}
                out.append((Change(code, {"occurrences": {k: v for k, v in left.items() if v}}),
                            f"bớt {removed} lần “{labels.get(pid, pid)}”", None))
        if len([v for v in occ.values() if v]) > 1 or inp is None or inp.occurrences is None:
            out.append((occurrences(code), "không có lần vi phạm nào", None))
    elif isinstance(rule, ManualRule):
        explanation = (inp.explanation if inp is not None else None) or "giả định để mô phỏng"
        out.append((manual(code, node.max_points, explanation), "chấm tối đa (có giải trình)",
                    None))
    return out


def _smallest_done(bound: Decimal, inclusive: bool, total: Decimal) -> Decimal | None:
    """The smallest whole ``done`` of ``total`` reaching ``bound`` percent, if any."""
    exact = bound * total / 100
    done = Decimal(math.ceil(exact)) if inclusive else Decimal(math.floor(exact) + 1)
    return done if done <= total else None


def _band_value(code: str, rule: BandsRule, interval: tuple[Decimal, bool, Decimal, bool],
                inp: ItemInput | None) -> tuple[Change, str] | None:
    """The smallest value that falls in a band, as a change on the item, and its wording."""
    from parindex.framework.rules import Band

    lo, lo_inc, hi, hi_inc = interval
    band = Band.model_validate({"points": 0, **({"from": lo} if lo_inc else {"above": lo}),
                                **({} if hi == Decimal("Infinity") else
                                   ({"to": hi} if hi_inc else {"below": hi}))})
    if rule.measure == "count":
        n = Decimal(math.ceil(lo)) if lo_inc else Decimal(math.floor(lo) + 1)
        if not band.contains(n):
            return None
        return count(code, n), f"{_fmt(n)}"
    total = inp.total if inp is not None and inp.percent is None and inp.total else None
    if total:
        done = _smallest_done(lo, lo_inc, total)
        if done is None or not band.contains(done / total * 100):
            return None
        pct = quantize(done / total * 100)
        return ratio(code, done=done, total=total), f"{_fmt(done)}/{_fmt(total)} ({_fmt(pct)}%)"
    pct = lo if lo_inc else lo + Decimal("0.01")
    if not band.contains(pct) or pct > 100:
        return None
    return ratio(code, pct), f"{_fmt(pct)}%"
