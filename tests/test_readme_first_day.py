"""The README's first-day walk-through runs as written: new → forms out → forms in → check →
score → export (the units' filling of the forms is done here with openpyxl)."""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from parindex.framework.inputs import ItemInput
from parindex.scoring.dossier import load_dossier

from .conftest import FIXTURES, ROOT
from .conftest import run_cli as run
from .formtools import fill


def walkthrough() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A department's first day", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    return [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]


def test_the_first_day_runs_as_the_readme_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIXTURES / "plan" / "other_department_so_tu_phap.txt",
                tmp_path / "ke-hoach-cchc-2021.txt")
    shutil.copy(FIXTURES / "plan" / "units_so_tu_phap.yaml", tmp_path / "don-vi.yaml")
    monkeypatch.chdir(tmp_path)
    commands = walkthrough()
    assert [c[:3] for c in commands] == [
        ["parindex", "new", "ho-so-2021"], ["mkdir", "-p", "phieu"],
        ["parindex", "form", "export"], ["parindex", "form", "import"],
        ["parindex", "form", "import"], ["parindex", "check", "ho-so-2021"],
        ["parindex", "score", "ho-so-2021"], ["parindex", "export", "ho-so-2021"]]
    codes = []
    for argv in commands:
        if argv[0] == "mkdir":
            Path(argv[-1]).mkdir(parents=True, exist_ok=True)
            continue
        args = [m for a in argv[1:] for m in (sorted(glob.glob(a)) if "*" in a else [a])]
        if argv[1:3] == ["form", "import"] and "--dry-run" in argv:  # the units fill their forms
            fw = load_dossier("ho-so-2021").framework
            (form,) = sorted(Path("phieu").glob("phieu-*.xlsx"))
            fill(form, fw, {"1.1.1": ItemInput(option="kip-thoi"),
                            "1.3.2": ItemInput(done=D(2), total=D(5), note="02/05 phòng")})
        code, out, _ = run(capsys, *args)
        codes.append(code)
        if argv[1:3] == ["form", "import"]:
            assert "1.3.2: (trống) → done=2, note=02/05 phòng, total=5" in out
    assert codes == [0, 0, 0, 0, 1, 0, 0]
    items = load_dossier("ho-so-2021").self_assessment.items
    assert set(items) == {"1.1.1", "1.3.2"}
    assert Path("bang-diem-2021.xlsx").is_file()
