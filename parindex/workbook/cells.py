"""Writing cells of the scoring workbook: styles prepared once and copied onto cells, text
that never becomes a formula, formulas built by this package, links, row heights and page
setup. openpyxl is imported inside the functions (the CLI stays light)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.core.sheetcell import clean_text, looks_like_formula

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DATE_FORMAT", "FONT", "NUMBER_FORMAT"]  # and the helpers below, by name

FONT = "Times New Roman"
NUMBER_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _lit(value: Decimal) -> str:
    """A number as a formula literal."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sheet_ref(sheet: str, ref: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + ref


class _Styles:
    """Style arrays prepared once and copied onto cells (much faster than per-cell objects)."""

    def __init__(self, ws: Worksheet) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._ws = ws
        self.Alignment, self.Font, self.PatternFill, self.box = Alignment, Font, PatternFill, box

    def get(self, *, bold: bool = False, italic: bool = False, size: float = 12,
            number: bool = False, wrap: bool = True, indent: int = 0,
            horizontal: str | None = None, fill: str | None = None, border: bool = True,
            colour: str | None = None, underline: bool = False, date: bool = False,
            text_prefix: bool = False) -> Any:
        key = (bold, italic, size, number, wrap, indent, horizontal, fill, border, colour,
               underline, date, text_prefix)
        style = self._cache.get(key)
        if style is None:
            from openpyxl.cell.cell import Cell

            proto = Cell(self._ws)  # detached: not part of the sheet
            proto.font = self.Font(name=FONT, sz=size, b=bold, i=italic, color=colour,
                                   u="single" if underline else None)
            proto.alignment = self.Alignment(
                wrap_text=wrap, vertical="center", indent=indent,
                horizontal=horizontal or ("right" if number else None))
            if border:
                proto.border = self.box
            if fill:
                proto.fill = self.PatternFill("solid", fgColor=fill)
            if number:
                proto.number_format = NUMBER_FORMAT
            if date:
                proto.number_format = DATE_FORMAT
            if text_prefix:
                proto.quotePrefix = True
            style = proto._style
            self._cache[key] = style
        return style


    def shared(self, **kwargs: Any) -> Any:
        """The style of :meth:`get` as one array for many cells (``_put(..., shared=True)``):
        its hash, whether it styles anything and its number in the workbook are found once,
        not at every cell when the workbook is saved. Such an array must never be changed in
        place (no style set on its cells afterwards)."""
        key = ("shared", *sorted(kwargs.items()))
        style = self._cache.get(key)
        if style is None:
            style = self._cache[key] = _frozen_style_class()(self.get(**kwargs))
            style._hash = hash(tuple(style))
            style._any = any(style)
            style._id = None
        return style


@functools.cache
def _frozen_style_class() -> Any:
    """A style array whose hash is computed once (openpyxl hashes a cell's style array each
    time it looks up the style's id, once per cell when saving)."""
    from openpyxl.styles.cell_style import StyleArray

    class FrozenStyle(StyleArray):  # type: ignore[misc]
        __slots__ = ("_any", "_hash", "_id")

        def __hash__(self) -> int:
            return self._hash  # type: ignore[no-any-return]

    return FrozenStyle


@functools.cache
def _shared_cell_class() -> Any:
    """A cell whose style array is a shared :class:`FrozenStyle` (:meth:`_Styles.shared`).

    When saving, openpyxl asks each cell twice whether it has a style (``any`` over its
    array) and looks its array up in the workbook's style list (two hashes and two
    dictionary look-ups): a sixth of the save of a large register. Such a cell answers from
    its shared array, which knows both; the number is looked up once, the first time the
    array is saved, so that styles are numbered in the same order as by openpyxl. A cell
    given another style array afterwards answers as any cell."""
    from openpyxl.cell.cell import Cell

    frozen = _frozen_style_class()
    style_id = Cell.style_id.fget
    has_style = Cell.has_style.fget

    class SharedStyleCell(Cell):  # type: ignore[misc]
        __slots__ = ()

        @property
        def has_style(self) -> bool:
            style = self._style
            if type(style) is frozen:
                return style._any  # type: ignore[no-any-return]
            return has_style(self)  # type: ignore[no-any-return]

        @property
        def style_id(self) -> int:
            style = self._style
            if type(style) is not frozen:
                return style_id(self)  # type: ignore[no-any-return]
            number = style._id
            if number is None:
                number = style._id = self.parent.parent._cell_styles.add(style)
            return number  # type: ignore[no-any-return]

    return SharedStyleCell


def _shared_cells(ws: Worksheet) -> Callable[[int, int, Any, Any, str], Any]:
    """``new(row, col, style, value, data_type)``: a new cell of ``ws`` with a shared style
    array and its value bound as given (``"s"`` text already cleaned, ``"n"`` a number or
    None, ``"d"`` a date, ``"f"`` a formula built by this package). The register's hot
    path: no type dispatch, no constructor call chain."""
    cls = _shared_cell_class()
    new = cls.__new__
    cells = ws._cells

    def make(row: int, col: int, style: Any, value: Any, data_type: str) -> Any:
        cell = new(cls)
        cell.parent = ws
        cell.row = row
        cell.column = col
        cell._value = value
        cell.data_type = data_type
        cell._hyperlink = None
        cell._comment = None
        cell._style = style
        cells[(row, col)] = cell
        return cell

    return make


@functools.cache
def _cell_classes() -> tuple[Any, Any]:
    """openpyxl's cell and style-array classes, imported once (not once per cell)."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles.cell_style import StyleArray

    return Cell, StyleArray


def _put(ws: Worksheet, row: int, col: int, value: Any, style: Any = None,
         shared: bool = False) -> Any:
    """Write a number, date or *text* (never a formula) with a prepared style.

    Cells are created directly (not through ``ws.cell``) and values bound by type: this is
    the hot path of a 5,000-document register. With ``shared`` a new cell takes the prepared
    style array itself instead of a copy: only for cells nothing restyles afterwards (not in
    a merged range, no style assigned later), as the register's body.
    """
    Cell, StyleArray = _cell_classes()
    cells = ws._cells
    cell = cells.get((row, col))
    if cell is None and shared:
        cell = cells[(row, col)] = _shared_cell_class()(ws, row, col)
        cell._style = style
    elif cell is None:  # the style array is copied by the constructor
        cell = cells[(row, col)] = Cell(ws, row, col, None, style)
    elif style is not None:
        cell._style = StyleArray(style)
    if isinstance(value, str):
        cell._value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell._value = _num(value)
        cell.data_type = "n"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell._value = value
        cell.data_type = "n"
    elif type(value) is dt.date:
        cell._value = value
        cell.data_type = "d"
    elif value is not None:
        cell.value = value
    return cell


def _put_text(ws: Worksheet, row: int, col: int, text: str | None, styles: _Styles,
              **style: Any) -> Any:
    """Text cell; text that a spreadsheet could take for a formula gets a quote prefix."""
    value = text or None
    prefix = looks_like_formula(text)
    return _put(ws, row, col, value, styles.get(text_prefix=prefix, **style))


def _put_formula(ws: Worksheet, row: int, col: int, formula: str, style: Any) -> Any:
    """Write a formula built by the workbook writer (never text from the dossier)."""
    assert formula.startswith("=")
    cell = _put(ws, row, col, None, style)
    cell._value = clean_text(formula)
    cell.data_type = "f"
    return cell


_risky = looks_like_formula


# -- links, page setup, row heights -------------------------------------------------------------


def _internal_link(cell: Any, sheet: str, ref: str) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_sheet_ref(sheet, ref))


def _file_link(path: str, base: Path | None, out_dir: Path) -> str | None:
    """A hyperlink target for a file of the dossier, relative to the workbook's folder; None
    (no link) for a path that leaves the dossier: absolute (``/etc/passwd``, ``C:\\…``), a
    network share (``//host/share``, ``\\\\host\\share``), a URL (``file:``, ``http:``),
    with ``..``, or — with ``base``, the dossier folder — through a symbolic link pointing out
    of it (what the check reports as ``path-outside-dossier``), and for a dossier that has no
    relative path from the workbook's folder (another drive)."""
    return _file_linker(base, out_dir)(path)


def _file_linker(base: Path | None, out_dir: Path) -> Callable[[str], str | None]:
    """:func:`_file_link` for many paths of one dossier and one workbook folder."""
    import posixpath

    inside = None if base is None else _inside(base)
    prefix = None if base is None else _link_prefix(base, out_dir)
    join = "" if prefix is None or prefix == "." else prefix + "/"
    normal = prefix is not None and _is_normal(prefix)

    def link(path: str) -> str | None:
        clean = path.replace("\\", "/") if "\\" in path else path
        # leaves the folder whatever the file system says: absolute, a share, a drive, a URL
        # (file:, http:, \\\\?\\C: …), or ..
        if not clean or clean[0] == "/":
            return None
        parts = clean.split("/")
        if ":" in parts[0] or ".." in parts:
            return None
        if inside is None:
            return clean
        if inside(path) is not None or prefix is None:
            return None
        if normal and "" not in parts and "." not in parts:
            # what normpath(join(prefix, clean)) gives, without its per-call work
            return join + clean
        return posixpath.normpath(posixpath.join(prefix, clean))

    return link


@functools.cache
def _inside(base: Path) -> Any:
    """The check's own test of a path against the dossier folder (symlinks resolved,
    :class:`parindex.core.paths.Confinement`), one per dossier: a link is written only where
    the check finds nothing outside."""
    from parindex.core.paths import Confinement

    return Confinement(base)


@functools.cache
def _is_normal(prefix: str) -> bool:
    import posixpath

    return bool(prefix) and not prefix.endswith("/") and posixpath.normpath(prefix) == prefix


@functools.cache
def _link_prefix(base: Path, out_dir: Path) -> str | None:
    """The dossier folder as seen from the workbook's folder (computed once per pair); None
    when there is no relative path (another drive, on Windows)."""
    target = base.resolve()
    try:
        return os.path.relpath(target, out_dir.resolve()).replace(os.sep, "/")
    except ValueError:
        return None


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 11


def _row_height(texts: Sequence[tuple[str | None, float]], points: float = 11) -> float:
    """A row height (pt) fitting wrapped ``(text, column width)`` pairs: spreadsheet programs
    do not grow rows for wrapped text written by a library, so the height is estimated, by
    wrapping whole words into lines as a spreadsheet does (a little narrower than the column,
    so that a printed cell is never cut)."""
    lines = 1
    for text, width in texts:
        if not text:
            continue
        per_line = max(1, int(width * 13.5 / points))
        if len(text) <= per_line and "\n" not in text:
            continue
        count = _lines(text, per_line)
        if count > lines:
            lines = count
    return round(lines * points * 1.3 + 4, 1)


def _lines(text: str, per_line: int) -> int:
    """The lines of ``text`` (with its line breaks) wrapped at ``per_line`` characters."""
    if "\n" not in text:
        return _wrapped_lines(text, per_line)
    return sum(_wrapped_lines(part, per_line) for part in text.split("\n"))


def _wrapped_lines(text: str, per_line: int) -> int:
    """How many lines ``text`` takes when whole words are wrapped at ``per_line`` characters
    (a word longer than a line is broken).

    Each line is the longest run of whole words, one space apart, that fits: found by one
    search for the last space that fits, not word by word (a register has thousands of
    titles to measure)."""
    if len(text) <= per_line:
        return 1
    words = " ".join(text.split())
    end = len(words)
    lines, start = 1, 0
    while end - start > per_line:
        space = words.rfind(" ", start, start + per_line + 1)
        if space > start:  # the line holds the words up to that space
            start = space + 1
            lines += 1
            continue
        # a word longer than a line at the start of this one: broken, whole lines of it,
        # the rest begins a line that later words may share
        word_end = words.find(" ", start)
        size = (end if word_end < 0 else word_end) - start
        broken = (size - 1) // per_line
        lines += broken
        start += broken * per_line
    return lines


def _height_setter(ws: Worksheet) -> Any:
    """A fast ``ws.row_dimensions[r].height = h`` for thousands of rows.

    openpyxl builds each row dimension through validating descriptors; here one is built
    normally and the others are copies of its attributes (the same state, without the
    per-attribute validation), which halves the cost of a large register.
    """
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.dimensions import RowDimension

    template = RowDimension(ws, index=1, ht=15.0)
    state = dict(template.__dict__)
    dims = ws.row_dimensions
    cls = _height_row_class()

    def set_height(row: int, height: float) -> None:
        dim = cls.__new__(cls)
        dim.__dict__.update(state)
        dim.__dict__["index"] = row
        dim.__dict__["ht"] = float(height)
        dim.parent = ws
        dim._style = None if template._style is None else StyleArray(template._style)
        dims[row] = dim

    return set_height


@functools.cache
def _height_row_class() -> Any:
    """A row dimension that only sets a height, written without openpyxl's generic walk.

    When saving, openpyxl turns each row dimension into attributes by reading every field,
    the style one through the workbook's style index (a hash per row). For a row with a
    height and nothing else that walk always gives ``ht`` and ``customHeight="1"``; this
    subclass gives the same attributes directly, and falls back to the walk as soon as the
    row carries anything else (a style, hidden, outline level, thick borders)."""
    from openpyxl.compat.strings import safe_string
    from openpyxl.worksheet.dimensions import RowDimension

    class HeightRow(RowDimension):  # type: ignore[misc]
        __fields__ = RowDimension.__fields__

        def __iter__(self) -> Any:
            d = self.__dict__
            if self._style is None and self.ht is not None and not (
                    d.get("hidden") or d.get("outlineLevel") or d.get("collapsed")
                    or d.get("thickBot") or d.get("thickTop")):
                return iter((("ht", safe_string(self.ht)), ("customHeight", "1")))
            return super().__iter__()

    return HeightRow
