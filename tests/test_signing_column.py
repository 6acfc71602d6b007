"""The ``Ký số`` column (parindex.evidence.signing): per evidence document, whether its file
carries a digital signature, as the last check read it — in the register sheet (``register
export``, ignored by ``register import``) and in the workbook's register (read back as
shown). A file changed since the check is "Chưa kiểm tra": the cache is never believed over
the file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parindex.evidence.check import check_dossier
from parindex.evidence.documents import FileFacts
from parindex.evidence.register import SHEET_COLUMNS, load_register, register_from_xlsx
from parindex.evidence.signatures import SignatureFacts, encode_signatures
from parindex.evidence.signing import (
    INTACT,
    INVALID,
    NO_FILE,
    NOT_CHECKED,
    UNREADABLE_FILE,
    UNREADABLE_SIGNATURE,
    UNSIGNED,
    document_signature,
    file_signature,
    register_signatures,
)
from parindex.workbook.export import export_workbook
from parindex.workbook.layout import REGISTER_SHEET
from parindex.workbook.read import read_workbook

from .conftest import EXAMPLE, run_cli
from .test_signatures import AS_OF, DOC, UNIT, VN, _add_text_after_signing, _dossier, _sign, _signer


def _facts(state: str = "text", *sigs: SignatureFacts, kind: str = "pdf") -> FileFacts:
    return FileFacts(10, 0, "0" * 64, kind, state,  # type: ignore[arg-type]
                     signatures=encode_signatures(sigs))


GOOD = SignatureFacts("S1", "Nguyễn Văn A", UNIT, "2020-12-28T09:00:00+07:00", intact=True)


@pytest.mark.parametrize(("facts", "value"), [
    (None, NOT_CHECKED),
    (FileNotFoundError(2, "No such file"), NO_FILE),
    (_facts("corrupt"), UNREADABLE_FILE),
    (_facts("encrypted"), UNREADABLE_FILE),
    (_facts("empty"), UNREADABLE_FILE),
    (_facts("text"), UNSIGNED),
    (_facts("no-text"), UNSIGNED),
    (_facts("text", kind="docx"), UNSIGNED),
    (_facts("image", kind="image"), UNSIGNED),
    (_facts("text", GOOD), INTACT),
    (_facts("text", GOOD, SignatureFacts("S2", intact=False)), INVALID),
    (_facts("text", SignatureFacts("S1", intact=True, modified=True)), INVALID),
    (_facts("text", GOOD, SignatureFacts("?", error="ValueError: bad")), UNREADABLE_SIGNATURE),
])
def test_value_of_a_file(facts: Any, value: str) -> None:
    assert file_signature(facts) == value


def test_value_of_a_document_of_several_files() -> None:
    assert document_signature(()) is None
    assert document_signature((UNSIGNED, INTACT)) == INTACT  # a signed letter, its annex
    assert document_signature((INTACT, INVALID, UNSIGNED)) == INVALID
    assert document_signature((UNSIGNED, NOT_CHECKED)) == NOT_CHECKED
    assert document_signature((UNSIGNED, UNSIGNED)) == UNSIGNED


@pytest.fixture
def signed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example with the plan 210/KH-SKHCN signed by the unit, checked once."""
    pdf = _sign((EXAMPLE / "documents" / f"{DOC}.pdf").read_bytes(),
                dt.datetime(2020, 12, 28, 15, 30, tzinfo=VN), _signer(tmp_path / "ca", UNIT),
                monkeypatch)
    folder = _dossier(tmp_path, pdf)
    check_dossier(folder, as_of=AS_OF, ocr=False)
    return folder


def _column(sheet: Path) -> dict[str, str | None]:
    ws = openpyxl.load_workbook(sheet).active
    header = [c.value for c in ws[1]]
    assert header == [label for _, label in SHEET_COLUMNS] + ["Ký số"]
    return {row[0].value: row[-1].value for row in ws.iter_rows(min_row=2)}


def test_register_export_shows_what_the_check_read(
        signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "so.xlsx"
    code, out, _ = run_cli(capsys, "register", "export", str(signed), str(sheet))
    assert code == 0 and "Lưu ý" not in out
    column = _column(sheet)
    assert column.pop(DOC) == INTACT
    assert set(column.values()) == {UNSIGNED} and len(column) == 36
    # derived, never input: the import ignores it, whatever it says
    wb = openpyxl.load_workbook(sheet)
    for row in wb.active.iter_rows(min_row=2):
        row[-1].value = "Có – hợp lệ (sửa tay)"
    wb.save(sheet)
    assert register_from_xlsx(sheet) == load_register(signed / "register.yaml")
    # an old sheet without the column imports the same
    wb.active.delete_cols(len(SHEET_COLUMNS) + 1)
    wb.save(sheet)
    assert openpyxl.load_workbook(sheet).active.max_column == len(SHEET_COLUMNS)
    assert register_from_xlsx(sheet) == load_register(signed / "register.yaml")


def test_a_file_changed_since_the_check_is_not_believed(
        signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = signed / "documents" / f"{DOC}.pdf"
    tampered = _add_text_after_signing(target.read_bytes())
    stat = target.stat()
    target.write_bytes(tampered)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old time: ctime moves
    sheet = tmp_path / "so.xlsx"
    code, out, _ = run_cli(capsys, "register", "export", str(signed), str(sheet))
    assert code == 0
    assert _column(sheet)[DOC] == NOT_CHECKED
    assert " ".join(out.split()).endswith(
        f"Lưu ý: 1 tệp chưa được kiểm tra từ lần sửa gần nhất, cột Ký số ghi “Chưa kiểm tra”: "
        f"chạy parindex check {signed} rồi xuất lại.")
    check_dossier(signed, as_of=AS_OF, ocr=False)
    run_cli(capsys, "register", "export", str(signed), str(sheet), "--force")
    assert _column(sheet)[DOC] == INVALID


def test_never_checked_and_missing_and_outside(tmp_path: Path) -> None:
    from parindex.evidence.register import EvidenceDocument

    folder = tmp_path / "d"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "a.pdf").write_bytes(b"%PDF-1.4\n")
    docs = [EvidenceDocument.model_validate({"id": i, "files": files}) for i, files in (
        ("a", ["documents/a.pdf"]), ("b", ["documents/khong-co.pdf"]), ("c", ["../x.pdf"]),
        ("d", []))]
    paths = [[f.path for f in d.files] for d in docs]
    assert register_signatures(folder, paths) == [(NOT_CHECKED,), (NO_FILE,), (NO_FILE,), ()]


def test_workbook_register_has_the_column_and_reads_it_back(signed: Path,
                                                           tmp_path: Path) -> None:
    for working in (False, True):
        out = tmp_path / f"bang-diem-{working}.xlsx"
        export_workbook(signed, out, working=working)
        ws = openpyxl.load_workbook(out)[REGISTER_SHEET]
        assert ws["H3"].value == "Ký số"
        values = {ws.cell(r, 2).value: ws.cell(r, 8).value for r in range(4, ws.max_row + 1)}
        assert values.pop("210/KH-SKHCN") == INTACT
        assert set(values.values()) == {UNSIGNED}
        back = read_workbook(out)
        assert {r.number: r.signature for r in back.register}["210/KH-SKHCN"] == INTACT
        assert back.to_dict()["register"][1]["signature"] == INTACT
    # a workbook written before the column: read back without it
    wb = openpyxl.load_workbook(out)
    wb[REGISTER_SHEET].delete_cols(8)
    wb.save(out)
    assert {r.signature for r in read_workbook(out).register} == {None}


def test_export_without_check_takes_only_what_is_cached(tmp_path: Path, signed: Path) -> None:
    out = tmp_path / "x.xlsx"
    (signed / "documents" / f"{DOC}.pdf").touch()  # changed since the check: ctime moves
    export_workbook(signed, out, check=False)
    ws = openpyxl.load_workbook(out)[REGISTER_SHEET]
    values = {ws.cell(r, 2).value: ws.cell(r, 8).value for r in range(4, ws.max_row + 1)}
    assert values["210/KH-SKHCN"] == NOT_CHECKED
    export_workbook(signed, out, force=True)  # the check reads it again
    ws = openpyxl.load_workbook(out)[REGISTER_SHEET]
    assert ws.cell(5, 8).value == INTACT


def test_a_malformed_cache_entry_is_not_believed(signed: Path) -> None:
    import json

    from parindex.evidence.cache import cache_folder
    from parindex.evidence.documents import _CHECKS

    rel = f"documents/{DOC}.pdf"
    docs = [[rel]]
    assert register_signatures(signed, docs) == [(INTACT,)]
    cache = cache_folder(signed) / "files.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    at = 4 + list(_CHECKS).index("signatures")
    for bad in (["not a signature"], 5):
        data["files"][rel][at] = bad
        cache.write_text(json.dumps(data), encoding="utf-8")
        assert register_signatures(signed, docs) == [
            (UNREADABLE_SIGNATURE if isinstance(bad, list) else NOT_CHECKED,)]
