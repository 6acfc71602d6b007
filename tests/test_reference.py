"""The findings reference page is generated from the catalogue and kept in sync."""

from __future__ import annotations

import re

from parindex.core.findings import CATALOGUE
from parindex.reference import render_reference

from .conftest import ROOT


def test_reference_page_is_in_sync() -> None:
    committed = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert committed == render_reference(), "stale: run `python -m parindex.reference`"


def test_codes_are_kebab_case_and_documented() -> None:
    page = render_reference()
    for code, kind in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert f"`{code}`" in page
        assert kind.title and kind.hint


def test_reference_is_complete_in_a_fresh_interpreter() -> None:
    """The page must not depend on which modules earlier tests happened to import."""
    import subprocess
    import sys

    probe = ("from parindex.reference import render_reference; "
             "from parindex.core.findings import CATALOGUE; "
             "page = render_reference(); print(len(CATALOGUE), page.count('| `'))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    render_reference()
    assert int(out[0]) == int(out[1]) == len(CATALOGUE) > 40
