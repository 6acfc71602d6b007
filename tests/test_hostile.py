"""The hostile corpus: a dossier (or a file) built to break parindex, one case per defect.

A dossier is passed from hand to hand, so each case is something a received dossier or a
careless command could bring. Each asserts the exact outcome: the exit code (2 usage, 3
unreadable input), a message naming the file and the key, and that no file outside the
intended output was created or changed (the tmp tree is snapshotted). Cases that would hang or
eat memory run in a subprocess whose peak RSS is measured (``os.wait4``), with a generous
bound; a kill timer only guards the suite against a hang, nothing is timed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core.errors import InputError
from parindex.core.files import Limits, MiB, check_package, read_bounded
from parindex.core.output import OutputError, OutputExistsError, write_output
from parindex.scoring.dossier import load_dossier
from tests.conftest import ROOT, run_cli

GiB = 1024 * MiB
FRAMEWORK = ROOT / "criteria" / "qn-so-2021.yaml"


# -- helpers ----------------------------------------------------------------------------------

def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a digest of its content."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), root) + "/"] = "dir"
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path) or not os.path.isfile(path):
                out[rel] = "special"
            else:
                with open(path, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def dossier(tmp: Path, *, files: str = "", sa: str = "", name: str = "d") -> Path:
    """A minimal dossier: the shipped framework, the given ``files:`` block and inputs."""
    folder = tmp / name
    folder.mkdir()
    (folder / "dossier.yaml").write_text(
        "kind: parindex/dossier\nunit: Sở Thử\nprovince: Quảng Ngãi\nyear: 2021\n"
        f"framework: qn-so-2021\n{files}", encoding="utf-8")
    if sa:
        (folder / "self-assessment.yaml").write_text(sa, encoding="utf-8")
    return folder


def run_sub(*args: str, cwd: Path) -> tuple[int, str, str, int]:
    """Run ``parindex`` in a subprocess: (exit code, stdout, stderr, peak RSS in bytes)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(cwd / ".out", "w+b") as out, open(cwd / ".err", "w+b") as err:
        proc = subprocess.Popen([sys.executable, "-m", "parindex", *args], cwd=cwd,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        guard = threading.Timer(120, proc.kill)  # a hang fails the test, never the suite
        guard.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            guard.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        texts = out.read().decode(), err.read().decode()
    (cwd / ".out").unlink()
    (cwd / ".err").unlink()
    return proc.returncode, texts[0], texts[1], usage.ru_maxrss * 1024


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    def call(*args: str) -> tuple[int, str, str]:
        code, out, err = run_cli(capsys, *args)
        return code, out, one_line(err)
    yield call


# -- paths named in dossier.yaml stay inside the dossier ------------------------------------

def test_files_register_dotdot_does_not_overwrite_a_file_outside(tmp_path: Path, cli) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    d = dossier(tmp_path, files="files:\n  register: ../victim.txt\n")
    sheet = tmp_path / "so.xlsx"
    run_cli_export = cli("register", "export", str(dossier(tmp_path, name="other")), str(sheet))
    assert run_cli_export[0] == 0
    before = snapshot(tmp_path)
    code, _, err = cli("register", "import", str(d), str(sheet))
    assert code == 3
    assert "dossier.yaml:7 files.register: '../victim.txt' nằm ngoài thư mục hồ sơ" in err
    assert snapshot(tmp_path) == before


def test_files_documents_absolute_is_not_walked(tmp_path: Path, cli) -> None:
    d = dossier(tmp_path, files="files:\n  documents: /etc\n")
    code, out, err = cli("check", str(d), "--json")
    assert code == 3
    assert "files.documents: '/etc' nằm ngoài thư mục hồ sơ (đường dẫn tuyệt đối)" in err
    assert "passwd" not in out
    assert json.loads(out)["error"]["problems"][0]["key"] == "files.documents"


def test_files_register_symlink_leading_out_is_refused(tmp_path: Path, cli) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("kind: parindex/register\n", encoding="utf-8")
    d = dossier(tmp_path)
    (d / "register.yaml").symlink_to(outside)
    code, _, err = cli("register", "import", str(d), str(tmp_path / "x.xlsx"))
    assert code == 3 and "files.register: 'register.yaml' nằm ngoài" in err
    assert "symlink" in err


_part = st.sampled_from(["..", "a", "documents", ".", "b.yaml"])
_escaping = st.one_of(
    st.lists(_part, min_size=1, max_size=4).filter(lambda p: ".." in p).map("/".join),
    st.sampled_from(["/etc", "/tmp/x.yaml", "\\\\host\\share", "C:/x", "C:\\x"]),
)


@given(key=st.sampled_from(["self_assessment", "survey", "plan", "register", "documents"]),
       rel=_escaping)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_files_key_is_confined(tmp_path_factory: pytest.TempPathFactory, key: str,
                                     rel: str) -> None:
    tmp = tmp_path_factory.mktemp("conf")
    d = dossier(tmp, files=f"files:\n  {key}: {json.dumps(rel)}\n")
    with pytest.raises(InputError) as exc:
        load_dossier(d)
    (problem,) = exc.value.problems
    assert problem.key == f"files.{key}" and problem.line == 7
    assert problem.file == d / "dossier.yaml" and "nằm ngoài thư mục hồ sơ" in problem.message


def test_framework_outside_the_dossier_is_read_when_a_regular_file(tmp_path: Path, cli) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(FRAMEWORK, shared / "qn.yaml")
    d = dossier(tmp_path)
    text = (d / "dossier.yaml").read_text(encoding="utf-8")
    (d / "dossier.yaml").write_text(text.replace("framework: qn-so-2021",
                                                 "framework: ../shared/qn.yaml"), "utf-8")
    code, _, _ = cli("score", str(d), "--json")
    assert code == 0


def test_framework_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    d = dossier(tmp_path)
    text = (d / "dossier.yaml").read_text(encoding="utf-8")
    (d / "dossier.yaml").write_text(text.replace("qn-so-2021", "/dev/zero"), "utf-8")
    code, _, err, rss = run_sub("score", str(d), cwd=tmp_path)
    assert code == 3
    assert "/dev/zero: không phải tệp thông thường" in one_line(err)
    assert rss < GiB


# -- only regular files are opened ------------------------------------------------------------

def _unblock(fifo: Path) -> threading.Timer:
    """Should a reader wait on ``fifo`` after all, open its other end after a while so that the
    test fails instead of hanging the suite."""
    def release() -> None:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK) if fifo.exists() else None
        if fd is not None:
            os.close(fd)

    timer = threading.Timer(30, release)
    timer.start()
    return timer


@pytest.mark.parametrize("command", ["register-import", "criteria-import", "import-workbook",
                                     "plan-import", "framework"])
def test_fifo_named_like_an_input_does_not_hang(tmp_path: Path, cli, command: str) -> None:
    fifo = tmp_path / {"plan-import": "plan.txt", "framework": "fw.yaml"}.get(command, "x.xlsx")
    os.mkfifo(fifo)
    d = dossier(tmp_path)
    args = {"register-import": ["register", "import", str(d), str(fifo)],
            "criteria-import": ["criteria", "import", str(fifo), "-o", str(tmp_path / "o.yaml")],
            "import-workbook": ["import-workbook", str(fifo)],
            "plan-import": ["plan", "import", str(fifo)],
            "framework": ["criteria", "show", str(fifo)]}[command]
    before = snapshot(tmp_path)
    guard = _unblock(fifo)
    try:
        code, _, err = cli(*args)
    finally:
        guard.cancel()
    assert code == 3
    assert f"{fifo.name}: không phải tệp thông thường (not a regular file" in err
    assert snapshot(tmp_path) == before


def test_read_bounded_refuses_a_folder_and_a_big_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="là một thư mục"):
        read_bounded(tmp_path, 10)
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(InputError, match=r"big: tệp quá lớn \(file too large\)"):
        read_bounded(tmp_path / "big", 10)
    assert read_bounded(tmp_path / "big", 11) == b"x" * 11


# -- YAML: aliases, recursion, size ------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def test_yaml_billion_laughs_hits_the_expansion_limit(tmp_path: Path) -> None:
    d = dossier(tmp_path, sa="kind: parindex/self-assessment\n" + BILLION_LAUGHS)
    code, _, err, rss = run_sub("score", str(d), cwd=tmp_path)
    assert code == 3
    assert "self-assessment.yaml" in err and "alias expansion limit" in one_line(err)
    assert rss < GiB


def test_yaml_recursive_alias_is_named(tmp_path: Path, cli) -> None:
    d = dossier(tmp_path, sa="kind: parindex/self-assessment\nitems: &a [*a]\n")
    code, _, err = cli("score", str(d))
    assert code == 3
    assert "self-assessment.yaml:2 items[0]: alias tự tham chiếu chính nó (recursive alias)" in err


def test_yaml_deep_nesting_is_refused(tmp_path: Path, cli) -> None:
    d = dossier(tmp_path, sa="items: " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = cli("score", str(d))
    assert code == 3 and "self-assessment.yaml" in err
    assert "nesting" in err


def test_yaml_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    filler = "# " + "x" * 98 + "\n"
    d = dossier(tmp_path, sa="kind: parindex/self-assessment\n" + filler * (5 * MiB // 100))
    code, _, err, rss = run_sub("score", str(d), cwd=tmp_path)
    assert code == 3
    assert re.search(r"self-assessment.yaml: tệp quá lớn \(file too large\): 5,\d MiB, giới hạn "
                     r"4,0 MiB", one_line(err))
    assert rss < GiB


# -- the register: larger than other YAML, still bounded (issue 17) ------------------------------

def test_register_larger_than_other_yaml_is_read(tmp_path: Path, cli) -> None:
    """The register is read document by document: 5 MiB (past the 4 MiB of other YAML files)
    is read; a self-assessment as large is not."""
    filler = "# " + "x" * 98 + "\n"
    d = dossier(tmp_path)
    (d / "register.yaml").write_text("kind: parindex/register\n" + filler * (5 * MiB // 100)
                                     + "documents:\n- id: a\n  files: [documents/a.pdf]\n",
                                     encoding="utf-8")
    code, out, err = cli("check", str(d), "--as-of", "2022-01-15", "--json")
    assert code == 1, err
    assert json.loads(out)["stats"]["documents"] == 1


def test_register_over_its_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    filler = "# " + "x" * 98 + "\n"
    d = dossier(tmp_path)
    (d / "register.yaml").write_text("kind: parindex/register\n" + filler * (33 * MiB // 100),
                                     encoding="utf-8")
    code, _, err, rss = run_sub("check", str(d), cwd=tmp_path)
    assert code == 3
    assert re.search(r"register.yaml: tệp quá lớn \(file too large\): 33,\d MiB, giới hạn "
                     r"32,0 MiB", one_line(err))
    assert rss < GiB


def test_register_billion_laughs_is_refused_fast_with_bounded_memory(tmp_path: Path) -> None:
    """Its limit of values grows with its size (8,000,000 for 32 MiB): a billion laughs in a
    document is still refused when its anchors are read, before anything is expanded."""
    laughs = BILLION_LAUGHS.replace("\n", "\n  ").rstrip()
    d = dossier(tmp_path)
    (d / "register.yaml").write_text("kind: parindex/register\ndocuments:\n- id: a\n  note:\n"
                                     f"    {laughs.replace(chr(10) + '  ', chr(10) + '    ')}\n",
                                     encoding="utf-8")
    code, _, err, rss = run_sub("check", str(d), cwd=tmp_path)
    assert code == 3
    assert "register.yaml" in err and "alias expansion limit" in one_line(err)
    assert "8.000.000 giá trị" in one_line(err)
    assert rss < GiB


def test_register_with_too_many_documents_is_refused_at_the_first_one_past(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from parindex.core.files import LIMITS
    from parindex.evidence import register

    monkeypatch.setattr(register, "LIMITS", replace(LIMITS, register_documents=3))
    path = tmp_path / "register.yaml"
    path.write_text("kind: parindex/register\ndocuments:\n" + "".join(
        f"- id: d{i}\n" for i in range(5)), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        register.load_register(path)
    (problem,) = exc.value.problems
    assert (problem.message, problem.line, problem.key) == (
        "sổ có hơn 3 tài liệu, giới hạn 3 (too many documents in the register)", 6,
        "documents[3]")


# -- numbers that are not numbers -------------------------------------------------------------

@given(key=st.sampled_from(["done", "self_score", "percent", "points", "total"]),
       value=st.sampled_from([".nan", ".inf", "-.inf", ".NaN", "1.0e+999999", '"1e999999999"',
                              '"nan"', '"Infinity"', '"-1e-999999"', '"1e16"', "1e400",
                              '"0.0000000000000001"']))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_non_finite_or_huge_numbers_name_file_and_key(
        tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
        key: str, value: str) -> None:
    tmp = tmp_path_factory.mktemp("num")
    d = dossier(tmp, sa=f'kind: parindex/self-assessment\nitems:\n  "1.3.2": {{{key}: {value}}}\n')
    code, out, err = run_cli(capsys, "check", str(d), "--json", "--as-of", "2022-01-10")
    assert code == 3, (key, value, err)
    problems = json.loads(out)["error"]["problems"]
    assert [(Path(p["file"]).name, p["line"], p["key"]) for p in problems] == \
        [("self-assessment.yaml", 3, f"items.1.3.2.{key}")]
    assert "Traceback" not in err


# -- spreadsheets and Word files: checked before they are unpacked ----------------------------

def _zip(path: Path, parts: dict[str, bytes | int], *, head: bytes = b"",
         unit: bytes = b"\0") -> Path:
    """A zip whose parts are bytes, or ``head`` then ``n`` bytes of ``unit`` repeated, written
    in chunks (a bomb)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if isinstance(data, int):
                with z.open(name, "w", force_zip64=True) as fh:
                    fh.write(head)
                    chunk = unit * (MiB // len(unit))
                    for _ in range(data // MiB):
                        fh.write(chunk)
            else:
                z.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet of 64 MiB of zeros packed into some 64 KiB (the 1 GB one is the same, longer)."""
    return _zip(tmp_path_factory.mktemp("bomb") / "bomb.xlsx",
                {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 64 * MiB})


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path, zip_bomb: Path) -> None:
    bomb = Path(shutil.copy(zip_bomb, tmp_path / "bomb.xlsx"))
    before = snapshot(tmp_path)
    code, _, err, rss = run_sub("import-workbook", str(bomb), cwd=tmp_path)
    assert code == 3
    assert "bomb.xlsx: phần 'xl/worksheets/sheet1.xml' nén tỉ lệ bất thường" in one_line(err)
    assert rss < GiB
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["criteria-import", "register-import", "criteria-docx",
                                     "plan-docx", "form-import"])
def test_every_package_reader_checks_first(tmp_path: Path, cli, command: str,
                                           zip_bomb: Path) -> None:
    suffix = ".docx" if command.endswith("docx") else ".xlsx"
    bomb = Path(shutil.copy(zip_bomb, tmp_path / f"bomb{suffix}"))
    d = dossier(tmp_path)
    args = {"criteria-import": ["criteria", "import", str(bomb), "-o", str(tmp_path / "o.yaml")],
            "criteria-docx": ["criteria", "import", str(bomb), "-o", str(tmp_path / "o.yaml")],
            "register-import": ["register", "import", str(d), str(bomb)],
            "plan-docx": ["plan", "import", str(bomb)],
            "form-import": ["form", "import", str(d), str(bomb)]}[command]
    before = snapshot(tmp_path)
    code, _, err = cli(*args)
    assert code == 3
    assert f"bomb{suffix}: phần 'xl/worksheets/sheet1.xml' nén tỉ lệ bất thường" in err
    assert snapshot(tmp_path) == before


def test_unpacked_size_and_parts_limits(tmp_path: Path) -> None:
    pkg = _zip(tmp_path / "a.xlsx", {f"p{i}.xml": b"<x/>" * 100 for i in range(5)})
    with pytest.raises(InputError, match=r"giải nén ra .* \(unpacked size too large\)"):
        check_package(pkg, limits=Limits(unpacked_bytes=1000))
    with pytest.raises(InputError, match=r"gói có 5 phần, giới hạn 4 \(too many parts\)"):
        check_package(pkg, limits=Limits(parts=4))
    assert check_package(pkg).read(2) == b"PK"


def test_password_protected_workbook_says_so(tmp_path: Path, cli) -> None:
    # an encrypted OOXML file is an OLE (CFB) container holding an "EncryptionInfo" stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016 + "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "mat-khau.xlsx").write_bytes(ole + b"\0" * 512)
    code, _, err = cli("criteria", "import", str(tmp_path / "mat-khau.xlsx"), "-o",
                       str(tmp_path / "o.yaml"))
    assert code == 3
    assert "mat-khau.xlsx: tệp được bảo vệ bằng mật khẩu (password-protected)" in err
    (tmp_path / "cu.xlsx").write_bytes(ole[:8] + b"\0" * 2048)
    code, _, err = cli("import-workbook", str(tmp_path / "cu.xlsx"))
    assert code == 3 and "tệp định dạng cũ .xls/.doc" in err


def test_annex_with_too_many_rows_is_refused_unparsed(tmp_path: Path, cli) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for r in range(1, 5002))
    sheet = f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode()
    table = _zip(tmp_path / "phu-luc.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    code, _, err = cli("criteria", "import", str(table), "-o", str(tmp_path / "o.yaml"))
    assert code == 3
    assert "xl/worksheets/sheet1.xml có 5001 dòng, giới hạn 5000 (too many rows)" in err
    assert not (tmp_path / "o.yaml").exists()


def test_word_table_rows_are_counted_too(tmp_path: Path) -> None:
    body = b"<w:document><w:body><w:tbl>" + b"<w:tr><w:trPr/></w:tr>" * 30 + b"</w:tbl>"
    doc = _zip(tmp_path / "phu-luc.docx", {"word/document.xml": body + b"</w:body></w:document>"})
    with pytest.raises(InputError, match=r"word/document.xml có 30 dòng, giới hạn 29"):
        check_package(doc, max_rows=29)
    check_package(doc, max_rows=30)


def test_register_sheet_with_too_many_rows_is_refused(tmp_path: Path, cli) -> None:
    sheet = b"<worksheet><sheetData>" + b"<row/>" * 100_001 + b"</sheetData></worksheet>"
    book = _zip(tmp_path / "so.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    d = dossier(tmp_path)
    code, _, err = cli("register", "import", str(d), str(book))
    assert code == 3
    assert "so.xlsx: xl/worksheets/sheet1.xml có 100001 dòng, giới hạn 100000 (too many rows)" \
        in err


# -- a plan text that is far too long ---------------------------------------------------------

def test_plan_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    task = "1. Nhiệm vụ thử năm 2021\n- Sản phẩm: Báo cáo\n"
    (tmp_path / "plan.txt").write_text("II. NHIỆM VỤ\n" + task * (2 * MiB // len(task)), "utf-8")
    code, _, err, rss = run_sub("plan", "import", "plan.txt", "-o", "plan.yaml", cwd=tmp_path)
    assert code == 3
    assert "plan.txt: tệp quá lớn (file too large)" in one_line(err)
    assert "giới hạn 256 KiB" in one_line(err)
    assert not (tmp_path / "plan.yaml").exists() and rss < GiB


# -- outputs: one safe-writing path -----------------------------------------------------------

def _commands(tmp: Path, out: Path) -> dict[str, list[str]]:
    d = tmp / "d" if (tmp / "d").exists() else dossier(tmp)
    (tmp / "plan.txt").write_text("II. NHIỆM VỤ\n1. Việc năm 2021\n- Sản phẩm: X\n", "utf-8")
    return {
        "plan import": ["plan", "import", str(tmp / "plan.txt"), "-o", str(out)],
        "export": ["export", str(d), "-o", str(out), "--no-check"],
        "register export": ["register", "export", str(d), str(out)],
        "criteria export": ["criteria", "export", "qn-so-2021", "-o", str(out)],
        "form export": ["form", "export", str(d), "-o", str(out)],
    }


@pytest.mark.parametrize("command", ["plan import", "export", "register export",
                                     "criteria export", "form export"])
@pytest.mark.parametrize("where", ["missing-folder", "names-a-folder", "unwritable-folder"])
def test_output_that_cannot_be_written_is_a_usage_error(tmp_path: Path, cli, command: str,
                                                        where: str) -> None:
    if where == "missing-folder":
        out = tmp_path / "khong-co" / "out.xlsx"
        expected = "không tồn tại (no such folder)"
    elif where == "names-a-folder":
        out = tmp_path / "folder.xlsx"
        out.mkdir()
        expected = "đây là một thư mục"
    else:
        out = Path("/proc/parindex-hostile.xlsx")  # not writable, even by root
        expected = "Không ghi được /proc/parindex-hostile.xlsx"
    args = _commands(tmp_path, out)[command]
    before = snapshot(tmp_path)
    code, _, err = cli(*args)
    if command == "criteria export" and where == "missing-folder":  # documented: it makes them
        assert code == 0 and out.is_file()
        return
    assert code == 2, err
    assert expected in err
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_a_usage_error(tmp_path: Path, cli) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        code, _, err = cli(*_commands(tmp_path, ro / "x.xlsx")["register export"])
    finally:
        ro.chmod(0o755)
    assert code == 2 and "read-only folder" in err


@pytest.mark.parametrize("command", ["register export", "criteria export", "form export"])
def test_existing_output_is_kept_unless_force(tmp_path: Path, cli, command: str) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"keep me")
    args = _commands(tmp_path, out)[command]
    code, _, err = cli(*args)
    assert code == 2 and "đã tồn tại; không ghi đè. Dùng --force" in err
    assert out.read_bytes() == b"keep me"
    code, _, _ = cli(*args, "--force")
    assert code == 0 and out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_register_export_over_the_dossier_register_is_refused(tmp_path: Path, cli) -> None:
    d = dossier(tmp_path)
    (d / "register.yaml").write_text("kind: parindex/register\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for extra in ([], ["--force"]):
        code, _, err = cli("register", "export", str(d), str(d / "register.yaml"), *extra)
        assert code == 2 and "đây là tệp đầu vào của lệnh" in err
    assert snapshot(tmp_path) == before


def test_criteria_import_over_its_own_input_is_refused(tmp_path: Path, cli) -> None:
    table = tmp_path / "x.xlsx"
    assert cli("criteria", "export", "qn-so-2021", "-o", str(table))[0] == 0
    before = snapshot(tmp_path)
    for extra in ([], ["--force"]):
        code, _, err = cli("criteria", "import", str(table), "-o", str(table), *extra)
        assert code == 2 and "đây là tệp đầu vào của lệnh" in err
    assert snapshot(tmp_path) == before


def test_temporary_file_is_removed_when_the_writer_fails(tmp_path: Path) -> None:
    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        write_output(tmp_path / "x.xlsx", broken)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "x.xlsx").write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        write_output(tmp_path / "x.xlsx", broken)
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


def test_control_characters_in_register_export_are_dropped(tmp_path: Path, cli) -> None:
    d = dossier(tmp_path)
    (d / "register.yaml").write_text(
        'kind: parindex/register\ndocuments:\n- id: a\n  subject: "Trích\\vyếu\\x01"\n', "utf-8")
    code, _, _ = cli("register", "export", str(d), str(tmp_path / "so.xlsx"))
    assert code == 0
    from parindex.evidence.register import register_from_xlsx

    assert register_from_xlsx(tmp_path / "so.xlsx").documents[0].subject == "Tríchyếu"


# -- command-line arguments -------------------------------------------------------------------

@given(args=st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "-0.5", "100.01", "abc"]).map(lambda v: ["--target", v]),
    st.integers(max_value=-1).map(lambda v: ["--seed", str(v)]),
    st.integers(min_value=1_000_001).map(lambda v: ["--runs", str(v)]),
    st.integers(max_value=0).map(lambda v: ["--runs", str(v)])))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_simulate_arguments_out_of_range_are_usage_errors(
        capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, _, err = run_cli(capsys, "simulate", str(ROOT / "evidence" / "so-khcn-quang-ngai-2021"),
                           *args)
    assert code == 2
    expected = {"--target": "mục tiêu phải là một số từ 0 đến 100",
                "--seed": "hạt giống ngẫu nhiên phải từ 0",
                "--runs": "số lần mô phỏng phải từ 1 đến 1.000.000"}[args[0]]
    assert expected in one_line(err)


def test_json_error_shape_is_stable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = dossier(tmp_path, sa="kind: parindex/self-assessment\nitems: {x: 1\n")
    code, out, _ = run_cli(capsys, "check", str(d), "--json")
    assert code == 3
    data = json.loads(out)
    assert list(data) == ["error"] and list(data["error"]) == ["title", "exit_code", "problems"]
    assert list(data["error"]["problems"][0]) == ["message", "file", "line", "key"]
    assert io.StringIO(out).read().startswith("{")


def test_province_folder_with_a_fifo_and_a_bomb_sets_them_aside(tmp_path: Path, cli,
                                                              zip_bomb: Path) -> None:
    folder = tmp_path / "bang-diem"
    folder.mkdir()
    os.mkfifo(folder / "so-a.xlsx")
    shutil.copy(zip_bomb, folder / "so-b.xlsx")
    guard = _unblock(folder / "so-a.xlsx")
    try:
        code, out, _ = cli("province", str(folder), "-o", str(tmp_path / "tong-hop.xlsx"),
                           "--framework", "qn-so-2021", "--json")
    finally:
        guard.cancel()
    assert code == 1
    unreadable = {f["file"]: f["message"] for f in json.loads(out)["findings"]
                  if f["code"] == "province-unreadable"}
    assert sorted(unreadable) == ["so-a.xlsx", "so-b.xlsx"]
    assert unreadable["so-a.xlsx"] == ("Tệp so-a.xlsx: không phải tệp thông thường (not a "
                                       "regular file: FIFO, thiết bị …); chỉ đọc tệp thông thường.")
    assert re.fullmatch(r"Tệp so-b.xlsx: phần 'xl/worksheets/sheet1.xml' nén tỉ lệ bất thường "
                        r"\(compression ratio over 200: 64,0 MiB từ \d+ byte\): có thể là zip "
                        r"bomb\.", unreadable["so-b.xlsx"])


def test_registered_docx_bomb_is_a_finding_not_unpacked(tmp_path: Path) -> None:
    d = dossier(tmp_path)
    (d / "documents").mkdir()
    # well-formed XML that never closes a paragraph: a streaming parser keeps every element
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    _zip(d / "documents" / "bom.docx", {"word/document.xml": 128 * MiB},
         head=b"<w:document " + w + b"><w:body><w:p>", unit=b"<w:r/>")
    (d / "register.yaml").write_text(
        "kind: parindex/register\ndocuments:\n- id: bom\n  files: [documents/bom.docx]\n",
        "utf-8")
    before = snapshot(tmp_path)
    code, out, _, rss = run_sub("check", str(d), "--json", "--no-cache", cwd=tmp_path)
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["code"] == "evidence-file-unreadable"]
    assert [(f["document"], f["file"]) for f in found] == [("bom", "documents/bom.docx")]
    assert rss < GiB
    assert snapshot(tmp_path) == before


def _merged_package(path: Path, refs: list[str]) -> Path:
    """A minimal workbook package whose one sheet declares ``refs`` as merged ranges."""
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData/><mergeCells count="{len(refs)}">{merges}</mergeCells></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_merged_cells_are_counted_exactly_across_the_reading_chunks(tmp_path: Path) -> None:
    """60,000 ranges of 2 cells (1.6 MB of XML: tags fall on the 1 MiB chunk boundary) are
    counted once each; one more range of a million cells goes over the limit."""
    from parindex.core.files import LIMITS, _merged_cells

    refs = [f"A{r}:B{r}" for r in range(1, 60_001)]
    with zipfile.ZipFile(_merged_package(tmp_path / "many.xlsx", refs)) as z:
        assert _merged_cells(z) == ("xl/worksheets/sheet1.xml", 120_000)
    check_package(tmp_path / "many.xlsx")  # under the limit: accepted
    huge = _merged_package(tmp_path / "huge.xlsx", [*refs, "C1:C1000000"])
    with pytest.raises(InputError) as got:
        check_package(huge)
    assert got.value.problems[0].message == (
        f"xl/worksheets/sheet1.xml gộp (merge) {120_000 + 1_000_000} ô, giới hạn "
        f"{LIMITS.merged_cells} (too many merged cells)")
