"""The register validated document by document gives what validating the whole file gave
(issue 17: the register's parse is no longer the peak memory of a check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.core.errors import InputError
from parindex.core.yamlio import load_model
from parindex.evidence.register import TEXT_KEYS, Register, load_register

ROOT = Path(__file__).resolve().parent.parent


def whole(path: Path) -> Register:
    """The reference: the whole file parsed, then validated at once (as before)."""
    return load_model(Register, path, text_keys=TEXT_KEYS, title="invalid evidence register")


def outcome(load: object, path: Path) -> object:
    try:
        reg = load(path)  # type: ignore[operator]
    except InputError as exc:
        return ("error", exc.title, [(p.message, p.file, p.line, p.key) for p in exc.problems])
    assert isinstance(reg, Register)
    return ("ok", reg.model_dump(), reg.model_fields_set,
            [(d.model_fields_set, [f.model_fields_set for f in d.files],
              [p.model_fields_set for p in d.proves]) for d in reg.documents])


def same(tmp_path: Path, text: str) -> object:
    path = tmp_path / "register.yaml"
    path.write_text(text, encoding="utf-8")
    want = outcome(whole, path)
    assert outcome(load_register, path) == want
    return want


REGISTERS = sorted(p for p in ROOT.rglob("register*.yaml") if ".git" not in p.parts)


def test_there_are_registers_to_compare() -> None:
    assert len(REGISTERS) >= 10


@pytest.mark.parametrize("path", REGISTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_register_of_the_repository(path: Path) -> None:
    assert outcome(load_register, path) == outcome(whole, path)


GOOD = "kind: parindex/register\ndocuments:\n- id: a\n  number: 1/KH-UBND\n  files: [x.pdf]\n"
ODD = {
    "valid": GOOD + "- id: b\n  date: 2021-03-05\n  proves: ['1.1', {item: '1.2', "
             "locator: trang 3}]\n  files: [{path: y.pdf, sha256: " + "a" * 64 + "}]\n",
    "empty": "kind: parindex/register\ndocuments: []\n",
    "no documents": "kind: parindex/register\n",
    "documents not a list": "kind: parindex/register\ndocuments: {id: a}\n",
    "documents null": "kind: parindex/register\ndocuments:\n",
    "not a mapping": "- id: a\n",
    "bad items": GOOD + "- id: 'b c'\n  zz: 1\n- 5\n- ~\n- [1]\n- id: d\n  files: [{}]\n"
                        "  date: 2021-13-01\n",
    "bad top and items": "zz: 1\nkind: nope\ndocuments:\n- id: 'x y'\nschema_version: 2\n"
                         "yy: 2\n",
    "bad top, good items": "kind: nope\n" + GOOD.split("\n", 1)[1] + "extra: 1\n",
    "duplicate ids": GOOD + "- id: a\n",
    "duplicate ids and a bad item": GOOD + "- id: a\n- id: 'b c'\n",
    "duplicate key": GOOD + "- id: b\n  id: c\n",
    "anchors": "kind: parindex/register\ndocuments:\n- &d {id: a, files: [x.pdf]}\n"
               "- {id: b, files: *f}\n- {id: c, files: &f [y.pdf]}\n",
    "aliased list": "kind: parindex/register\nx: &l [{id: a}]\ndocuments: *l\n",
    "nfd": "kind: parindex/register\ndocuments:\n- id: a\n  subject: Quy\u0309 ng\u0103n\n"
           "  issuer: Sở KH\u0300\n",
    "draft": GOOD + "  draft:\n    sources: {number: text}\n    proves: ['1.1']\n",
}


@pytest.mark.parametrize("name", ODD)
def test_odd_registers(tmp_path: Path, name: str) -> None:
    same(tmp_path, ODD[name])


def test_the_comparison_sees_problems_and_their_order(tmp_path: Path) -> None:
    got = same(tmp_path, ODD["bad top and items"])
    assert got[0] == "error"
    keys = [k for *_, k in got[2]]  # type: ignore[index]
    assert keys == ["kind", "schema_version", "documents[0].id", "zz", "yy"]


def test_documents_share_their_field_name_sets(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(GOOD + "- id: b\n  number: 2/KH-UBND\n  files: [y.pdf]\n", "utf-8")
    a, b = load_register(path).documents
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    assert a.files[0].__pydantic_fields_set__ is b.files[0].__pydantic_fields_set__
    assert a.model_fields_set == {"id", "number", "files"}
