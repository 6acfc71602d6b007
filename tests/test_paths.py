"""parindex.core.paths: Listings answers what os.path.isfile / os.path.islink answer, from one
listing of each folder (the register's thousands of files), and Confinement still finds a
symlink that leads out of the dossier."""

from __future__ import annotations

import os
from pathlib import Path

from parindex.core.paths import Confinement, Listings


def _tree(tmp_path: Path) -> tuple[Path, list[str]]:
    base = tmp_path / "dossier"
    docs = base / "documents"
    docs.mkdir(parents=True)
    (docs / "kh.pdf").write_bytes(b"%PDF-1.4")
    (docs / "sub").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.pdf").write_bytes(b"%PDF-1.4")
    (docs / "to-file.pdf").symlink_to(outside / "x.pdf")
    (docs / "to-folder").symlink_to(outside, target_is_directory=True)
    (docs / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (docs / "plain").write_bytes(b"")
    names = ["documents/kh.pdf", "documents/sub", "documents/to-file.pdf",
             "documents/to-folder", "documents/dangling.pdf", "documents/missing.pdf",
             "documents/plain", "documents/plain/x.pdf", "missing-folder/x.pdf",
             "documents/to-folder/x.pdf", "documents/./kh.pdf", "documents/sub/..",
             "documents/", "documents", "kh.pdf", "documents/KH.pdf", "",
             "documents//kh.pdf", str(docs / "kh.pdf"), "documents\\kh.pdf"]
    return base, names


def test_listings_answer_as_the_file_system(tmp_path: Path) -> None:
    base, names = _tree(tmp_path)
    listings = Listings()
    for name in names:
        full = os.path.join(base, name)
        assert (listings.isfile(full), listings.islink(full)) == (
            os.path.isfile(full), os.path.islink(full)), name
        assert listings.isfile_under(str(base), name) == os.path.isfile(full), name
    # one listing per folder, kept
    assert set(listings.folders) >= {str(base / "documents"), str(base / "missing-folder")}
    assert listings.folders[str(base / "missing-folder")].absent  # type: ignore[union-attr]


def test_confinement_finds_symlinks_out_of_the_dossier(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    inside = Confinement(base)
    why = {name: inside(name) for name in (
        "documents/kh.pdf", "documents/to-file.pdf", "documents/to-folder/x.pdf",
        "documents/missing.pdf", "missing-folder/x.pdf", "documents/dangling.pdf")}
    link = "liên kết tắt (symlink) trỏ ra ngoài hồ sơ"
    assert why == {"documents/kh.pdf": None, "documents/to-file.pdf": link,
                   "documents/to-folder/x.pdf": link, "documents/missing.pdf": None,
                   "missing-folder/x.pdf": None, "documents/dangling.pdf": link}


def _reference(base: Path, rel: str) -> str | None:
    """The confinement as it was written before folders were listed: a stat per path."""
    root = os.path.realpath(base)

    def within(real: str) -> bool:
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    if rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":") or os.path.isabs(rel):
        return "đường dẫn tuyệt đối"
    if ".." in rel.replace("\\", "/").split("/"):
        return "đường dẫn có '../'"
    if "\x00" in rel:
        return "đường dẫn có ký tự NUL"
    full = os.path.join(base, rel)
    inside = within(os.path.realpath(os.path.dirname(full)))
    if inside and os.path.islink(full):
        inside = within(os.path.realpath(full))
    return None if inside else "liên kết tắt (symlink) trỏ ra ngoài hồ sơ"


def test_confinement_answers_as_one_stat_per_path(tmp_path: Path) -> None:
    base, names = _tree(tmp_path)
    odd = ["", ".", "./documents/to-file.pdf", "documents//to-file.pdf", "documents/../x",
           "..", "a\\..\\b", "C:x", "\\\\share\\x", "documents/to-folder/", "x\x00y",
           "documents/to-file.pdf/", "documents/sub/", "documents//sub//kh.pdf"]
    inside = Confinement(base)
    for rel in names + odd:
        assert inside(rel) == _reference(base, rel), rel
