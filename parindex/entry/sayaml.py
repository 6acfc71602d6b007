"""Updating ``self-assessment.yaml`` in place: every comment, every key order, every field the
forms do not carry is kept (ruamel.yaml round-trip mode).

The project's reader (:mod:`parindex.core.yamlio`) still validates the result, with line
numbers, before it replaces the file atomically; and the result is compared field by field
with what was asked, so an update can never lose data silently.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.errors import InputError, ParindexError
from parindex.core.files import LIMITS, read_text_bounded
from parindex.core.yamlio import parse_yaml, problems_from_validation
from parindex.entry.fields import CARRIED, carried
from parindex.entry.form_layout import canonical
from parindex.framework.inputs import SelfAssessment
from parindex.framework.model import Framework

__all__ = ["update_self_assessment"]

_EMPTY = """\
kind: parindex/self-assessment
schema_version: 1
items:
"""


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _plain(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        m = CommentedMap((k, _plain(v)) for k, v in value.items())
        m.fa.set_flow_style()
        return m
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and len(value) > _FOLD_AT:
        return _folded(value)
    return value


_FOLD_AT = 88


def _folded(text: str) -> Any:
    """Long text as a folded block (``>-``), lines broken at single spaces as people write it;
    it reads back as the same one-line text."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if text != text.strip() or "  " in text or "\t" in text:
        return text  # folding would not give back the same spaces: leave it to the emitter
    out = FoldedScalarString(text)
    folds, start, last = [], 0, -1
    for i, ch in enumerate(text):
        if ch == " ":
            if i - start > _FOLD_AT and last > start:
                folds.append(last)
                start = last + 1
            last = i
    if len(text) - start > _FOLD_AT and last > start:
        folds.append(last)
    out.fold_pos = folds
    return out


def _entry(values: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap((k, _plain(values[k])) for k in CARRIED if k in values)
    if not any(k in values for k in ("explanation", "note")):
        m.fa.set_flow_style()
    return m


def _set(items: Any, code: str, values: Mapping[str, Any], order: list[str]) -> None:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    current = items.get(code)
    if isinstance(current, CommentedMap):
        for name in CARRIED:
            if name in values:
                current[name] = _plain(values[name])
            elif name in current:
                del current[name]
        if any(k in current for k in ("explanation", "note")) and current.fa.flow_style():
            current.fa.set_block_style()
        return
    entry = _entry(values)
    if code in items:  # written blank ("1.1.1":): the comments above it stay where they are
        items[code] = entry
        return
    rank = {c: i for i, c in enumerate(order)}
    mine = rank.get(code, len(order))
    pos = 0
    for i, key in enumerate(items):
        if rank.get(str(key), len(order)) < mine:
            pos = i + 1
    items.insert(pos, DoubleQuotedScalarString(code), entry)


def update_self_assessment(path: Path, framework: Framework,
                           changes: Mapping[str, Mapping[str, Any]]) -> str:
    """The new text of ``path`` with the carried fields of each changed item replaced.

    ``changes`` maps an item code to its carried values (absent fields are removed; the
    others — ``self_score``, fields the forms do not know — are kept). Raises
    :class:`ParindexError` when the result would not read back as exactly that."""
    text = read_text_bounded(path, LIMITS.yaml_bytes) if path.is_file() else _EMPTY
    fast = _fill_blanks(text, changes)
    if fast is not None:
        try:
            _verify(path, text, fast, changes)
            return fast
        except (ParindexError, InputError):
            pass  # text the quick path did not render exactly: the round trip below does
    y = _yaml()
    doc = y.load(text)
    if doc is None:
        doc = y.load(_EMPTY)
    from ruamel.yaml.comments import CommentedMap

    if doc.get("items") is None:
        doc["items"] = CommentedMap()
    items = doc["items"]
    order = [n.code for n in framework.leaves()]
    order += [it.code for _, it in framework.extras.items()] if framework.extras else []
    for code, values in changes.items():
        _set(items, code, values, order)
    buf = io.StringIO()
    y.dump(doc, buf)
    new = buf.getvalue()
    _verify(path, text, new, changes)
    return new


# -- the common first-day case, without a round trip through ruamel -------------------------

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() \
            else str(int(value))
    if isinstance(value, int | float):
        return _scalar(Decimal(str(value)))
    text = str(value)
    if _SAFE.match(text) and text not in _RESERVED and not text.replace("-", "").isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _flow(values: Mapping[str, Any]) -> str:
    parts = []
    for k, v in values.items():
        if isinstance(v, dict):
            v = "{" + ", ".join(f"{a}: {_scalar(b)}" for a, b in v.items()) + "}"
        else:
            v = _scalar(v)
        parts.append(f"{k}: {v}")
    return "{" + ", ".join(parts) + "}"


def _text_block(key: str, text: str, indent: str) -> str:
    if "\n" in text or text != text.strip() or "  " in text or "\t" in text \
            or len(text) <= _FOLD_AT:
        return f"{indent}{key}: {json.dumps(text, ensure_ascii=False)}"
    lines: list[str] = []
    words, line = text.split(" "), ""
    for word in words:
        if line and len(line) + 1 + len(word) > _FOLD_AT:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    body = "".join(f"\n{indent}  {x}" for x in lines)
    return f"{indent}{key}: >-{body}"


def _render(values: Mapping[str, Any], indent: str) -> str:
    """An item's value after its ``"code":``: a flow map, or a block when it has text."""
    ordered = {k: values[k] for k in CARRIED if k in values}
    texts = {k: v for k, v in ordered.items() if k in ("explanation", "note")}
    if not texts:
        return " " + _flow(ordered)
    lines = []
    for k, v in ordered.items():
        if k in texts:
            lines.append(_text_block(k, str(v), indent))
        elif isinstance(v, dict):
            lines.append(f"{indent}{k}: {_flow(v)}")
        else:
            lines.append(f"{indent}{k}: {_scalar(v)}")
    return "\n" + "\n".join(lines)


def _fill_blanks(text: str, changes: Mapping[str, Mapping[str, Any]]) -> str | None:
    """``text`` with each changed item's blank value (``"1.1.1":`` alone on its line) filled
    in; None when an item is not written that way (the round trip through ruamel does it)."""
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    items = next((v for k, v in root.value if k.value == "items"), None)
    if not isinstance(items, yaml.MappingNode):
        return None
    spots: dict[str, tuple[int, str]] = {}
    for key, value in items.value:
        if key.value in changes:
            if not (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")
                    and value.value == ""):
                return None
            end = key.end_mark.index
            eol = text.find("\n", end)
            rest = text[end: eol if eol >= 0 else len(text)]
            if rest.strip() != ":":
                return None
            spots[str(key.value)] = (end + rest.index(":") + 1,
                                     " " * (key.start_mark.column + 2))
    if set(spots) != set(changes):
        return None
    out, cursor = [], 0
    for code, (at, indent) in sorted(spots.items(), key=lambda kv: kv[1][0]):
        out += [text[cursor:at], _render(changes[code], indent)]
        cursor = at
        while cursor < len(text) and text[cursor] in " \t":
            cursor += 1  # trailing blanks after the colon
    out.append(text[cursor:])
    return "".join(out)


def _load(text: str, path: Path) -> SelfAssessment:
    from pydantic import ValidationError

    data, linemap = parse_yaml(text, path, text_keys=("code",))
    try:
        return SelfAssessment.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, linemap),
                         "invalid self-assessment file") from None


def _verify(path: Path, old_text: str, new_text: str,
            changes: Mapping[str, Mapping[str, Any]]) -> None:
    """Everything not changed reads back equal; everything changed reads back as asked."""
    before = _load(old_text, path)
    after = _load(new_text, path)
    problems = []
    for code in set(before.items) | set(after.items):
        old, new = before.items.get(code), after.items.get(code)
        if code in changes:
            if canonical(carried(new)) != canonical(dict(changes[code])):
                problems.append(f"{code}: ghi ra khác giá trị cần ghi")
            kept = {k: v for k, v in (old.model_dump() if old else {}).items()
                    if k not in CARRIED}
            now = {k: v for k, v in (new.model_dump() if new else {}).items() if k not in CARRIED}
            if old is not None and kept != now:
                problems.append(f"{code}: mất trường không thuộc phiếu")
        elif old != new:
            problems.append(f"{code}: thay đổi ngoài ý muốn")
    if before.model_dump(exclude={"items"}) != after.model_dump(exclude={"items"}):
        problems.append("phần đầu tệp thay đổi")
    if problems:
        raise ParindexError("không ghi self-assessment.yaml: kết quả không khớp (lỗi của "
                            "parindex, xin báo lại): " + "; ".join(problems))
