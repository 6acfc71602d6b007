"""Regular expressions compiled when first used, not when their module is imported.

A module of text patterns (dates, quarters, rule wording, document headings) compiles dozens
of expressions at import; a warm ``parindex check`` imports them all and uses three. Compiling
is pure Python (``re._compiler``) and was a tenth of that command's own start-up.
:func:`lazy` gives an object that acts as the compiled pattern: the first use compiles it and
binds its methods, so later calls cost what a compiled pattern's do.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy"]

_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for what is not bound yet
        compiled = re.compile(*self._source)
        for attr in _BOUND:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}, {self._source[1]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled at its first use."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
