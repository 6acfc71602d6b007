"""The example dossier with 1.1.1 due "15 days after the province's plan" (a deadline counted
from a dated reference) instead of 31/12/2020; shared by the check, gains and signature tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from parindex.framework.catalog import criteria_dir

from .conftest import EXAMPLE

PLAN_LABEL = "Kế hoạch CCHC năm 2021 của UBND tỉnh"


def make_relative(folder: Path, references: str, label: str = PLAN_LABEL) -> Path:
    """Give the dossier ``folder`` a copy of qn-so-2021 (``khung.yaml``) where 1.1.1 is due 15
    days after ``ke-hoach-tinh``, and append ``references`` to its ``dossier.yaml``."""
    text = (criteria_dir() / "qn-so-2021.yaml").read_text(encoding="utf-8")
    fixed = "            deadline: 2020-12-31\n            rule:\n              type: choice\n" \
            "              options:\n                - {id: kip-thoi"
    assert text.count(fixed) == 1
    text = text.replace(fixed, fixed.replace(
        "deadline: 2020-12-31", "deadline_after: {days: 15, after: ke-hoach-tinh, label: "
        f"{label}}}"))
    (folder / "khung.yaml").write_text(text, encoding="utf-8")
    manifest = (folder / "dossier.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace("framework: qn-so-2021", "framework: khung.yaml")
    (folder / "dossier.yaml").write_text(manifest + references, encoding="utf-8")
    return folder


def relative_deadline_dossier(tmp_path: Path, references: str) -> Path:
    """A copy of the example under ``tmp_path`` made relative by :func:`make_relative`."""
    target = tmp_path / "hs"
    shutil.copytree(EXAMPLE, target)
    return make_relative(target, references)


def self_scored(folder: Path, option: str) -> Path:
    """The dossier with 1.1.1 self-scored ``option`` instead of "kịp thời"."""
    sa = folder / "self-assessment.yaml"
    text = sa.read_text(encoding="utf-8")
    assert text.count('"1.1.1": {option: kip-thoi}') == 1
    sa.write_text(text.replace('"1.1.1": {option: kip-thoi}', f'"1.1.1": {{option: {option}}}'),
                  encoding="utf-8")
    return folder
