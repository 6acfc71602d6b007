"""A validated model kept as JSON, rebuilt without validating it again (the framework's cache).

Reading a framework file is parsing its YAML, building pydantic's validator for the whole tree
and running it (with the NFC normalisation of every string): some 50 ms of every warm
``parindex check``. :func:`load_model_cached` keeps what was validated in the per-user cache
folder (:func:`cache_home`, outside every dossier) and rebuilds it from there while the file's
bytes are the same.

Why a cached entry can be believed, and what it can never do:

* It is keyed by the SHA-256 of the file's bytes, the model class, parindex's version and the
  reading options: any edit (one byte), another parindex or another model is a miss, and the
  file is read and validated again. A cache is never trusted over the file.
* It is JSON, never pickle: reading it runs no code. It is rebuilt field by field from the
  model's own annotations (:func:`rebuild`): each value must have exactly the type the field
  declares (``True`` is not an int, a decimal is written as text and must be a number within
  the bounds every parindex number has (:data:`~parindex.core.base.MAX_DIGITS`),
  a nested model must be one of the classes the annotation names), every field must be there
  and no other. Anything else is a miss (:class:`Miss`): the file is read as if there were no
  cache, and the entry is written again.
* Constraints beyond the type (patterns, bounds, the tree's sums) are not checked again: an
  entry is written only from a model that passed them, for exactly those bytes.

Models with shapes the rebuild does not know (private attributes, other types) are simply not
cached (:func:`dump` raises :class:`Miss`, nothing is written).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import types
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from parindex.core.base import MAX_DIGITS

__all__ = ["CACHE_ENV", "Miss", "cache_home", "dump", "load_model_cached", "parindex_version",
           "rebuild"]

CACHE_ENV = "PARINDEX_CACHE_DIR"
"""Environment variable naming the cache folder (tests and CI point it at a temporary one)."""
MODEL_CACHE_VERSION = "model-1"

M = TypeVar("M", bound=BaseModel)


def cache_home() -> Path:
    """The per-user cache folder (not created): ``$PARINDEX_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/parindex``, else ``~/.cache/parindex`` (``%LOCALAPPDATA%\\parindex`` on
    Windows)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        if base:
            return Path(base) / "parindex"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "parindex"
    return Path.home() / ".cache" / "parindex"


class Miss(Exception):
    """A cache entry that cannot stand for the model (or a model that cannot be cached)."""


# -- model → JSON data ------------------------------------------------------------------------

def dump(model: BaseModel) -> Any:
    """``model`` as JSON data :func:`rebuild` reads back: a model is ``{"$m": class name,
    "f": {field: value}, "s": [fields set]}``, a decimal ``{"$d": text}``, a date
    ``{"$t": ISO text}``, a tuple a list. Raises :class:`Miss` for anything else."""
    if type(model).__private_attributes__:
        raise Miss(f"{type(model).__name__} has private attributes")
    fields = type(model).model_fields
    values = model.__dict__
    return {"$m": type(model).__name__,
            "f": {name: _dump(values[name]) for name in fields},
            "s": sorted(model.model_fields_set)}


def _dump(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool, float):
        return value
    if kind is Decimal:
        return {"$d": str(value)}
    if kind is dt.date:
        return {"$t": value.isoformat()}
    if kind is tuple or kind is list:
        return [_dump(v) for v in value]
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise Miss("a mapping with keys that are not text")
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        return dump(value)
    raise Miss(f"cannot keep a {kind.__name__}")


# -- JSON data → model, checked against the annotations ----------------------------------------

Build = Callable[[Any], Any]
_BUILDERS: dict[Any, Build] = {}


def rebuild(cls: type[M], data: Any) -> M:
    """The model ``dump`` wrote as ``data``, every value checked against ``cls``'s
    annotations (see the module's docstring); raises :class:`Miss` when it cannot be."""
    built: M = _builder(cls)(data)
    return built


def _builder(tp: Any) -> Build:
    try:
        return _BUILDERS[tp]
    except (KeyError, TypeError):
        pass
    made = _make(tp)
    with contextlib.suppress(TypeError):
        _BUILDERS[tp] = made
    return made


def _exact(*kinds: type) -> Build:
    def build(value: Any) -> Any:
        if type(value) not in kinds:
            raise Miss(f"expected {kinds[0].__name__}")
        return value
    return build


def _decimal(value: Any) -> Decimal:
    if type(value) is not dict or value.keys() != {"$d"} or type(value["$d"]) is not str:
        raise Miss("expected a decimal")
    try:
        number = Decimal(value["$d"])
    except InvalidOperation:
        raise Miss("not a decimal") from None
    if not number.is_finite() or (number and not -MAX_DIGITS <= number.adjusted() < MAX_DIGITS) \
            or number.as_tuple().exponent < -MAX_DIGITS:  # type: ignore[operator]
        raise Miss("not a decimal parindex reads")  # the bounds of Points, always checked
    return number


def _date(value: Any) -> dt.date:
    if type(value) is not dict or value.keys() != {"$t"} or type(value["$t"]) is not str:
        raise Miss("expected a date")
    try:
        return dt.date.fromisoformat(value["$t"])
    except ValueError:
        raise Miss("not a date") from None


def _make(tp: Any) -> Build:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _builder(args[0])
    if tp is None or tp is type(None):
        return _exact(type(None))
    if tp is str or tp is bool:
        return _exact(tp)
    if tp is int:
        return _exact(int)
    if tp is float:
        return _exact(float, int)
    if tp is Decimal:
        return _decimal
    if tp is dt.date:
        return _date
    if origin is typing.Literal:
        allowed = frozenset((type(a), a) for a in args)

        def literal(value: Any) -> Any:
            if (type(value), value) not in allowed:
                raise Miss("not one of the literal values")
            return value
        return literal
    if origin in (typing.Union, types.UnionType):
        models = {a.__name__: a for a in args if isinstance(a, type) and issubclass(a, BaseModel)}
        tagged = {name: _builder(cls) for name, cls in models.items()}
        choices = [_builder(a) for a in args if a not in models.values()]

        def union(value: Any) -> Any:
            if tagged and type(value) is dict and type(value.get("$m")) is str:
                chosen = tagged.get(value["$m"])  # a model names its class: no trying
                if chosen is not None:
                    return chosen(value)
            for choice in choices:
                with contextlib.suppress(Miss):
                    return choice(value)
            raise Miss("matches no member of the union")
        return union
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _builder(args[0])

        def sequence(value: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise Miss("expected a list")
            return tuple(item(v) for v in value)
        return sequence
    if origin is dict and args and args[0] is str:
        each = _builder(args[1])

        def mapping(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise Miss("expected a mapping")
            return {k: each(v) for k, v in value.items()}
        return mapping
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model_builder(tp)
    raise Miss(f"cannot rebuild {tp!r}")


def _model_builder(cls: type[BaseModel]) -> Build:
    if cls.__private_attributes__:
        raise Miss(f"{cls.__name__} has private attributes")
    fields = cls.model_fields
    names = frozenset(fields)
    order = tuple(fields)
    builders: dict[str, Build] = {}

    def build(value: Any) -> BaseModel:
        if not builders:  # filled on first use: a model may name itself (a tree)
            for name, info in fields.items():
                builders[name] = _builder(info.annotation)
        if type(value) is not dict or value.keys() != {"$m", "f", "s"} or \
                value["$m"] != cls.__name__:
            raise Miss(f"expected a {cls.__name__}")
        given, fields_set = value["f"], value["s"]
        if type(given) is not dict or given.keys() != names or type(fields_set) is not list \
                or not all(type(n) is str and n in names for n in fields_set):
            raise Miss(f"not the fields of {cls.__name__}")
        model = cls.__new__(cls)
        done = {name: builders[name](given[name]) for name in order}
        object.__setattr__(model, "__dict__", done)
        object.__setattr__(model, "__pydantic_fields_set__", set(fields_set))
        object.__setattr__(model, "__pydantic_extra__", None)
        object.__setattr__(model, "__pydantic_private__", None)
        return model
    return build


# -- the cache of one file's model ---------------------------------------------------------------

def parindex_version() -> str:
    from importlib import import_module

    return str(getattr(import_module("parindex"), "__version__", "?"))


def load_model_cached(model: type[M], path: Path, source: bytes, read: Callable[[bytes], M],
                      *, options: Iterable[str] = (), cache: bool = True) -> M:
    """``read(source)`` (the validated model of a file's bytes), kept in the cache folder
    under the SHA-256 of ``source``, ``model``, parindex's version and ``options``, and
    rebuilt from there while all of them are the same (see the module's docstring). One entry
    per file (named after its resolved path): a new content replaces the old one. Where the
    cache cannot be read or written, there simply is none."""
    if not cache:
        return read(source)
    key = hashlib.sha256(source).hexdigest()
    head = json.dumps([MODEL_CACHE_VERSION, parindex_version(),
                       f"{model.__module__}.{model.__qualname__}", sorted(options), key],
                      ensure_ascii=True, separators=(",", ":"))
    name = hashlib.sha256(os.fsencode(os.path.realpath(path))).hexdigest()[:32]
    file = cache_home() / "models" / f"{name}.json"
    try:
        first, _, body = file.read_bytes().partition(b"\n")
        if first.decode("ascii") == head:
            return rebuild(model, json.loads(body))
    except (OSError, ValueError, UnicodeError, RecursionError, Miss):
        pass
    got = read(source)
    with contextlib.suppress(OSError, Miss, ValueError, RecursionError):
        body_text = json.dumps(dump(got), ensure_ascii=False, separators=(",", ":"))
        _write(file, head.encode("ascii") + b"\n" + body_text.encode("utf-8"))
    return got


def _write(file: Path, data: bytes) -> None:
    import tempfile

    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

