"""Shared fixtures: paths to the real data and to the defect fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
SEED_PLAN = ROOT.parent / "shared" / "seed" / "ke-hoach-cchc-2021-so-khcn-quang-ngai.txt"


@pytest.fixture
def example_dossier() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def resave_with_libreoffice(src: Path, workdir: Path) -> Path:
    """Open ``src`` in LibreOffice Calc and save it again as .xlsx (formulas recalculated).

    Skips the calling test when LibreOffice is not installed.
    """
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = workdir / "resaved"
    out.mkdir(exist_ok=True)
    profile = (workdir / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to",
         "xlsx", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "HOME": str(workdir)},
    )
    return out / src.name
