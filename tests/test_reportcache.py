"""The kept report of an unchanged dossier (issue 17, warm re-check): given back only while
nothing the check reads has changed. One test per way it could be fooled, named after it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parindex.core.errors import InputError
from parindex.evidence import check as check_module
from parindex.evidence import reportcache
from parindex.evidence.cache import cache_folder
from parindex.evidence.check import check_dossier
from parindex.evidence.documents import FAILED_PREFIX, FileFacts, settled

from .conftest import EXAMPLE, FIXTURES

CHECK = FIXTURES / "check"
AS_OF = dt.date(2022, 1, 15)


def _dossier(tmp_path: Path, name: str = "date-mismatch") -> Path:
    """A check fixture with its framework kept inside the dossier (a framework outside it is
    not kept track of: see ``test_framework_outside_the_dossier_keeps_nothing``)."""
    folder = tmp_path / name
    shutil.copytree(CHECK / name, folder)
    shutil.copy(CHECK / "framework.yaml", folder / "framework.yaml")
    manifest = folder / "dossier.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("framework: ../framework.yaml", "framework: framework.yaml"),
                        encoding="utf-8")
    return folder


class _Runs:
    """Counts the checks actually run (a kept report runs none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = check_module._check

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(check_module, "_check", counted)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> _Runs:
    return _Runs(monkeypatch)


def _entry(folder: Path) -> Path:
    return cache_folder(folder) / reportcache.ENTRY


def test_unchanged_dossier_gets_the_same_report_without_a_check(tmp_path: Path,
                                                                runs: _Runs) -> None:
    folder = _dossier(tmp_path)
    first = check_dossier(folder, as_of=AS_OF)
    assert runs.count == 1 and _entry(folder).is_file()
    again = check_dossier(folder, as_of=AS_OF)
    assert runs.count == 1
    assert again == first
    assert again.to_dict() == first.to_dict()
    assert again.summary() == first.summary()
    assert [f.code for f in first.findings].count("date-mismatch") == 1


def test_example_dossier_kept_report_equals_the_check(tmp_path: Path, runs: _Runs) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    first = check_dossier(folder, as_of=AS_OF)
    again = check_dossier(folder, as_of=AS_OF)
    assert runs.count == 1
    assert json.dumps(again.to_dict(), ensure_ascii=False) == \
        json.dumps(first.to_dict(), ensure_ascii=False)
    assert first.counts == {"error": 3, "warning": 2, "info": 1}


@pytest.mark.parametrize("change", [
    "touched_document", "edited_register", "file_added_to_documents", "document_removed",
    "edited_self_assessment", "edited_framework", "survey_added", "folder_added_to_documents",
])
def test_any_change_to_an_input_is_a_miss(tmp_path: Path, runs: _Runs, change: str) -> None:
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF)
    doc = next((folder / "documents").iterdir())
    if change == "touched_document":
        st = doc.stat()
        os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns))  # same times: ctime still moves
    elif change == "edited_register":
        reg = folder / "register.yaml"
        reg.write_text(reg.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "file_added_to_documents":
        (folder / "documents" / "moi.pdf").write_bytes(b"%PDF-1.4\n")
    elif change == "document_removed":
        doc.unlink()
    elif change == "edited_self_assessment":
        sa = folder / "self-assessment.yaml"
        sa.write_text(sa.read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8")
    elif change == "edited_framework":
        fw = folder / "framework.yaml"
        fw.write_text(fw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "survey_added":
        (folder / "survey.yaml").write_text("kind: parindex/survey\n", encoding="utf-8")
    elif change == "folder_added_to_documents":
        (folder / "documents" / "con").mkdir()
    assert reportcache.lookup(folder, as_of=AS_OF) is None
    with contextlib.suppress(InputError):  # an input made unusable: the check says so
        check_dossier(folder, as_of=AS_OF)
    assert runs.count == 2


def test_another_day_or_ocr_setting_is_a_miss(tmp_path: Path, runs: _Runs) -> None:
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF)
    assert reportcache.lookup(folder, as_of=AS_OF + dt.timedelta(days=1)) is None
    assert reportcache.lookup(folder, as_of=AS_OF, ocr=False) is None
    assert reportcache.lookup(folder, as_of=AS_OF) is not None
    assert reportcache.lookup(folder) is None  # today, not the day of the kept report


def test_another_parindex_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF)
    monkeypatch.setattr(reportcache, "_CODE", ["an edited module"])
    assert reportcache.lookup(folder, as_of=AS_OF) is None


def test_file_changed_while_checked_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    folder = _dossier(tmp_path)
    real = check_module._check

    def editing(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        reg = folder / "register.yaml"  # edited after it was read, before the report is kept
        reg.write_text(reg.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return out

    monkeypatch.setattr(check_module, "_check", editing)
    check_dossier(folder, as_of=AS_OF)
    assert not _entry(folder).exists()


def test_stopped_reader_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _dossier(tmp_path)
    monkeypatch.setattr(check_module, "settled", lambda facts: False)
    check_dossier(folder, as_of=AS_OF)
    assert not _entry(folder).exists()


def test_settled_facts() -> None:
    def facts(error: str | None) -> FileFacts:
        return FileFacts(size=1, mtime_ns=1, sha256="0" * 64, kind="pdf", state="corrupt",
                         error=error)

    assert settled(facts(None)) and settled(facts("bad xref"))
    assert not settled(facts(FAILED_PREFIX + "time limit"))
    assert settled(FileNotFoundError()) and not settled(PermissionError())


def test_scans_left_unread_for_want_of_tesseract_are_read_once_it_is_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF)
    entry = _entry(folder)
    head, body = entry.read_bytes().split(b"\n", 1)
    data = json.loads(head)
    data["ocr_pending"] = True
    entry.write_bytes(json.dumps(data).encode() + b"\n" + body)
    from parindex.evidence import ocr

    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    assert reportcache.lookup(folder, as_of=AS_OF) is None
    assert reportcache.lookup(folder, as_of=AS_OF, ocr=False) is None  # (another setting)
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    assert reportcache.lookup(folder, as_of=AS_OF) is not None


def test_symlink_in_documents_keeps_nothing(tmp_path: Path) -> None:
    folder = _dossier(tmp_path)
    outside = tmp_path / "ngoai.pdf"
    outside.write_bytes(b"%PDF-1.4\n")
    (folder / "documents" / "lien-ket.pdf").symlink_to(outside)
    check_dossier(folder, as_of=AS_OF)
    assert not _entry(folder).exists()


def test_framework_outside_the_dossier_keeps_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "date-mismatch"
    shutil.copytree(CHECK / "date-mismatch", folder)
    shutil.copy(CHECK / "framework.yaml", tmp_path / "framework.yaml")
    check_dossier(folder, as_of=AS_OF)
    assert not _entry(folder).exists()


def test_framework_id_that_is_a_file_in_the_working_folder_is_a_miss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("documents"))
    check_dossier(folder, as_of=AS_OF)
    assert reportcache.lookup(folder, as_of=AS_OF) is not None
    work = tmp_path / "work"
    work.mkdir()
    (work / "qn-so-2021").write_text("not the shipped framework", encoding="utf-8")
    monkeypatch.chdir(work)  # load_framework would now read this file as the framework
    assert reportcache.lookup(folder.resolve(), as_of=AS_OF) is None


def _tamper(entry: Path, how: str) -> None:
    head, body = entry.read_bytes().split(b"\n", 1)
    h, b = json.loads(head), json.loads(body)
    if how == "not_json":
        entry.write_bytes(b"\x00garbage")
        return
    if how == "inputs_leave_the_dossier":
        h["inputs"]["files"] = ["../ngoai.yaml"]
    elif how == "finding_line_is_text":
        b["findings"][0][8] = "3"
    elif how == "severity_unknown":
        b["findings"][0][1] = "fatal"
    elif how == "finding_too_short":
        b["findings"][0] = b["findings"][0][:5]
    elif how == "stats_nested":
        b["stats"]["documents"] = {"x": 1}
    elif how == "extra_key":
        b["more"] = 1
    elif how == "title_not_text":
        b["titles"] = {"date-mismatch": 1}
    elif how == "digest_missing":
        del h["digest"]
    elif how == "ocr_pending_is_int":
        h["ocr_pending"] = 0
    entry.write_bytes(json.dumps(h).encode() + b"\n" + json.dumps(b).encode())


@pytest.mark.parametrize("how", [
    "not_json", "inputs_leave_the_dossier", "finding_line_is_text", "severity_unknown",
    "finding_too_short", "stats_nested", "extra_key", "title_not_text", "digest_missing",
    "ocr_pending_is_int",
])
def test_tampered_entry_is_a_miss_not_a_crash(tmp_path: Path, runs: _Runs, how: str) -> None:
    folder = _dossier(tmp_path)
    first = check_dossier(folder, as_of=AS_OF)
    assert reportcache.lookup(folder, as_of=AS_OF) is not None
    _tamper(_entry(folder), how)
    assert reportcache.lookup(folder, as_of=AS_OF) is None
    assert check_dossier(folder, as_of=AS_OF) == first
    assert runs.count == 2


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, runs: _Runs) -> None:
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF, cache=False)
    assert not _entry(folder).exists()
    check_dossier(folder, as_of=AS_OF)
    check_dossier(folder, as_of=AS_OF, cache=False)
    assert runs.count == 3


def test_warm_command_imports_no_check_module_and_says_the_same(tmp_path: Path) -> None:
    """``parindex check`` on an unchanged dossier: the same text and JSON, and neither the
    check nor the framework model imported (what makes it quick)."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    env = {**os.environ, "PARINDEX_CACHE_DIR": str(tmp_path / "cache")}
    probe = ("import sys, runpy\n"
             "sys.argv = ['parindex', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('parindex', run_name='__main__')\n"
             "finally:\n"
             "    heavy = [m for m in ('parindex.evidence.check', 'parindex.framework.model',"
             " 'parindex.scoring.dossier') if m in sys.modules]\n"
             "    print('HEAVY', heavy, file=sys.stderr)\n")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", probe, "check", str(folder),
                               "--as-of", "2022-01-15", *args], capture_output=True,
                              text=True, env=env, timeout=300, check=False)

    cold, cold_json = run(), run("--json", "--no-cache")
    warm, warm_json = run(), run("--json")
    assert cold.returncode == warm.returncode == 1
    assert "HEAVY ['parindex.evidence.check'" in cold.stderr
    assert "HEAVY []" in warm.stderr and "HEAVY []" in warm_json.stderr
    assert warm.stdout == cold.stdout
    assert " — " in warm.stdout.splitlines()[0]  # the kind's title, kept with the report
    assert warm_json.stdout == cold_json.stdout



def test_file_facts_removed_since_is_a_miss(tmp_path: Path, runs: _Runs) -> None:
    """``export`` reads the Ký số column from the file facts: a kept report without them
    would tell it to run check again, forever."""
    folder = _dossier(tmp_path)
    check_dossier(folder, as_of=AS_OF)
    assert reportcache.lookup(folder, as_of=AS_OF) is not None
    (cache_folder(folder) / "files.json").unlink()
    assert reportcache.lookup(folder, as_of=AS_OF) is None
    check_dossier(folder, as_of=AS_OF)
    assert runs.count == 2 and (cache_folder(folder) / "files.json").is_file()
    assert reportcache.lookup(folder, as_of=AS_OF) is not None


def test_reuse_false_runs_the_check_and_keeps_its_report(tmp_path: Path, runs: _Runs) -> None:
    """(``parindex check`` looks for a kept report itself, then asks for a check.)"""
    folder = _dossier(tmp_path)
    first = check_dossier(folder, as_of=AS_OF)
    assert check_dossier(folder, as_of=AS_OF, reuse=False) == first
    assert runs.count == 2 and reportcache.lookup(folder, as_of=AS_OF) is not None
