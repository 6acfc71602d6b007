"""The real data files: what they must say, and that generated ones match their scripts.

Frameworks (``criteria/*.yaml``), dossiers (``evidence/*/``), published schemas, and the fixtures
written by scripts (``evidence/*/make_samples.py``, ``tests/fixtures/*/make_fixtures.py``): each
script is run again into a temporary folder and what it writes is compared with what is
committed (byte for byte; for .xlsx/.docx part by part, leaving out the package's own
creation time, which openpyxl sets to now).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex import load_dossier, load_framework
from parindex.evidence.register import load_register
from parindex.schema import SCHEMAS, render_schema

from .conftest import FIXTURES, ROOT, SEED_PLAN

FRAMEWORK_FILES = sorted((ROOT / "criteria").glob("*.yaml"))
DOSSIERS = sorted(p.parent for p in (ROOT / "evidence").glob("*/dossier.yaml"))
SCHEMA_FILES = sorted((ROOT / "evidence" / "schema").glob("*.json")) + sorted(
    (ROOT / "criteria").glob("*.json"))
YAML_FILES = FRAMEWORK_FILES + sorted((ROOT / "evidence").glob("*/*.yaml"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_there_is_data_to_test() -> None:
    assert FRAMEWORK_FILES and DOSSIERS and SCHEMA_FILES
    assert ROOT / "criteria" / "qn-so-2021.yaml" in FRAMEWORK_FILES
    assert ROOT / "evidence" / "so-khcn-quang-ngai-2021" in DOSSIERS


# -- every data file: text conventions and schema header -------------------------------------

@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_file_is_nfc_utf8_with_lf_and_a_schema_that_exists(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # raises on anything else
    assert unicodedata.is_normalized("NFC", text), "not NFC: Vietnamese must be composed"
    assert b"\r" not in raw and b"\t" not in raw
    assert text.endswith("\n") and not text.endswith("\n\n")
    first = text.splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"first line must name the schema: {first!r}"
    schema = (path.parent / m.group(1)).resolve()
    assert schema.is_file(), f"{m.group(1)} does not exist"
    kind = yaml.safe_load(text)["kind"]
    assert json.loads(schema.read_text(encoding="utf-8"))["properties"]["kind"]["const"] == kind


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_a_json_schema(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["$schema"].startswith("https://json-schema.org/")
    assert data["type"] == "object" and "kind" in data["properties"]


@pytest.mark.parametrize("rel", sorted(SCHEMAS))
def test_published_schema_is_in_sync(rel: str) -> None:
    committed = (ROOT / rel).read_text(encoding="utf-8")
    assert committed == render_schema(SCHEMAS[rel]), (
        f"{rel} is stale: run `python -m parindex.schema`")


# -- frameworks ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_framework_points_add_up_and_every_item_can_reach_its_maximum(path: Path) -> None:
    fw = load_framework(path)
    assert fw.total_points == sum((a.max_points for a in fw.areas), Decimal(0)) > 0
    for node in fw.nodes:
        assert node.item.source.strip(), f"{node.code} has no source"
        if node.parent is not None:
            assert node.code.startswith(node.parent + "."), node.code
        kids = fw.children(node.code)
        if kids:
            assert node.max_points == sum((k.max_points for k in kids), Decimal(0)), node.code
        else:
            assert node.rule is not None, node.code
            low, high = node.rule.attainable(node.max_points)
            assert high == node.max_points, f"{node.code}: the rule tops out at {high}"
            assert low <= high, node.code


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_framework_classification_and_deadlines(path: Path) -> None:
    fw = load_framework(path)
    if fw.classification:
        mins = [b.min_index for b in fw.classification]
        assert mins == sorted(mins, reverse=True) and len(set(mins)) == len(mins)
        assert mins[-1] == 0 and mins[0] <= 100  # every index from 0 to 100 gets a label
        assert len({b.label for b in fw.classification}) == len(mins)
    for leaf in fw.leaves():
        deadline = getattr(leaf.item, "deadline", None)
        if deadline is not None:  # the plan is due by the end of the year before, at the latest
            assert fw.scoring_year - 1 <= deadline.year <= fw.scoring_year, leaf.code


def test_shipped_framework_is_the_100_point_department_index() -> None:
    fw = load_framework(ROOT / "criteria" / "qn-so-2021.yaml")
    assert (fw.total_points, len(fw.areas), fw.scoring_year) == (100, 8, 2021)
    assert [b.label for b in fw.classification] == ["Xuất sắc", "Tốt", "Khá", "Trung bình",
                                                    "Yếu"]
    survey = [n for n in fw.leaves() if n.method == "survey"]
    assert survey and {n.area for n in survey} == {"8"}


# -- dossiers --------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", DOSSIERS, ids=lambda p: p.name)
def test_dossier_inputs_cover_exactly_the_self_assessed_items(folder: Path) -> None:
    dossier = load_dossier(folder)
    self_assessed = {n.code for n in dossier.framework.leaves() if n.method != "survey"}
    assert set(dossier.inputs) == self_assessed
    card = dossier.score()
    dropped = sum((n.nominal_max for n in card.leaves() if n.status == "not-applicable"),
                  Decimal(0))
    assert card.total.max == dossier.framework.total_points - dropped  # policy "drop"
    assert 0 < card.total.score <= card.total.max
    assert not [n.code for n in card.nodes if n.status in ("missing-input", "invalid-input")]


@pytest.mark.parametrize("folder", DOSSIERS, ids=lambda p: p.name)
def test_register_names_only_files_that_exist_with_their_hash(folder: Path) -> None:
    register = load_register(folder / "register.yaml")
    leaves = {n.code for n in load_dossier(folder).framework.leaves()}
    named = set()
    for doc in register.documents:
        assert doc.files, doc.id
        for f in doc.files:
            path = folder / f.path
            assert path.is_file(), f"{doc.id}: {f.path} missing"
            named.add(f.path)
            if f.sha256 is not None:
                assert hashlib.sha256(path.read_bytes()).hexdigest() == f.sha256, f.path
        assert {p.item for p in doc.proves} <= leaves, doc.id
    on_disk = {p.relative_to(folder).as_posix() for p in (folder / "documents").rglob("*")
               if p.is_file() and p.name != "README.md"}
    unregistered = on_disk - named
    # a file left unregistered is a planted problem, listed in the register's header
    header = "".join(line for line in (folder / "register.yaml").read_text(
        encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
    assert all(f"unregistered-file [{rel}]" in header for rel in unregistered)


def test_example_register_is_dated_within_its_period() -> None:
    folder = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
    register = load_register(folder / "register.yaml")
    dates = [d.date for d in register.documents if d.date is not None]
    assert len(dates) == len(register.documents) == 37
    # the plan is issued the December before; the self-assessment report the January after
    assert min(dates) == dt.date(2020, 12, 28) and max(dates) == dt.date(2022, 1, 10)


@pytest.mark.skipif(not SEED_PLAN.is_file(), reason="shared/seed is not beside this checkout")
def test_committed_seed_plan_is_the_shared_seed() -> None:
    copy = FIXTURES / "plan" / SEED_PLAN.name
    assert copy.read_bytes() == SEED_PLAN.read_bytes()


# -- fixtures built by scripts ---------------------------------------------------------------

def _run(script: Path, cwd: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def _files(folder: Path, generated: set[str] | None = None) -> dict[str, Path]:
    out = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
           if p.is_file() and "__pycache__" not in p.parts and ".parindex-cache" not in p.parts}
    return out if generated is None else {k: v for k, v in out.items() if k in generated}


_CREATED = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def _package_parts(path: Path) -> dict[str, bytes]:
    """The parts of an OOXML package, its creation and modification times blanked."""
    with zipfile.ZipFile(path) as z:
        return {name: _CREATED.sub(rb"\1\2", z.read(name)) for name in z.namelist()}


def _same(committed: Path, regenerated: Path) -> bool:
    if committed.suffix in (".xlsx", ".docx") and committed.read_bytes() != \
            regenerated.read_bytes():
        return _package_parts(committed) == _package_parts(regenerated)
    return committed.read_bytes() == regenerated.read_bytes()


def _regenerate(script: Path, tmp_path: Path, keep: tuple[str, ...] = ()) -> Path:
    """Run a copy of ``script`` in an empty folder (with the files in ``keep`` beside it)."""
    work = tmp_path / script.parent.name
    work.mkdir()
    shutil.copy(script, work / script.name)
    for name in keep:
        shutil.copy(script.parent / name, work / name)
    _run(work / script.name, tmp_path)
    return work


def _compare_trees(committed: Path, regenerated: Path, inputs: set[str]) -> None:
    made = _files(regenerated)
    for name in inputs:
        made.pop(name)
    assert made, "the script wrote nothing"
    ours = _files(committed, set(made))
    assert sorted(ours) == sorted(made), "the script writes files that are not committed"
    differ = [name for name in made if not _same(ours[name], made[name])]
    assert not differ, f"committed files differ from what the script writes: {differ}"


needs_samples = pytest.mark.skipif(
    not FONT.is_file(), reason="DejaVu Sans (fonts-dejavu-core) is not installed")


@needs_samples
@pytest.mark.parametrize("folder", DOSSIERS, ids=lambda p: p.name)
def test_example_documents_and_register_are_what_make_samples_writes(
        folder: Path, tmp_path: Path) -> None:
    script = folder / "make_samples.py"
    if not script.is_file():
        pytest.skip("no make_samples.py: this dossier's documents are not generated")
    pytest.importorskip("fpdf")
    pytest.importorskip("docx")
    pytest.importorskip("PIL")
    work = _regenerate(script, tmp_path)
    assert (work / "register.yaml").is_file() and (work / "documents" / "README.md").is_file()
    _compare_trees(folder, work, {script.name})


def test_check_fixtures_are_what_make_fixtures_writes(tmp_path: Path) -> None:
    pytest.importorskip("fpdf")
    folder = FIXTURES / "check"
    work = _regenerate(folder / "make_fixtures.py", tmp_path, keep=("framework.yaml",))
    made = {p.name for p in work.iterdir() if p.is_dir()}
    committed = {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert made == committed, "a fixture folder is not written by make_fixtures.py (or stale)"
    _compare_trees(folder, work, {"make_fixtures.py", "framework.yaml"})
    for d in committed:  # nothing left in a fixture folder that the script does not write
        assert set(_files(folder / d)) == set(_files(work / d)), d


def test_annex_fixtures_are_what_make_fixtures_writes(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("docx")
    folder = FIXTURES / "annex"
    work = _regenerate(folder / "make_fixtures.py", tmp_path)
    _compare_trees(folder, work, {"make_fixtures.py"})
    committed = {p.name for p in folder.iterdir() if p.suffix in (".xlsx", ".docx")}
    assert committed == {p.name for p in work.iterdir() if p.suffix in (".xlsx", ".docx")}


def test_package_comparison_ignores_only_the_creation_time(tmp_path: Path) -> None:
    def package(name: str, created: str, body: str) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("docProps/core.xml", f'<cp:x><dcterms:created xsi:type="W3CDTF">{created}'
                                            f"</dcterms:created></cp:x>")
            z.writestr("xl/sheet1.xml", body)
        return path

    a = package("a.xlsx", "2026-11-28T00:04:27Z", "<c>1</c>")
    assert _same(a, package("b.xlsx", "2026-12-01T21:30:21Z", "<c>1</c>"))
    assert not _same(a, package("c.xlsx", "2026-11-28T00:04:27Z", "<c>2</c>"))
