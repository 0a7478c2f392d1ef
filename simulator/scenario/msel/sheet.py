"""Read a MSEL file (XLSX or CSV) into header and rows, every cell with the place it came from.

Places are what a planner finds in the spreadsheet: ``MSEL!C5`` in a
workbook, row and column numbers (1-based, the header is row 1) in a CSV.
Input is bounded: the file size, the number of rows and columns, and the
length of a cell are checked before anything is used. A CSV saved by a
spreadsheet in a European locale (``;`` between cells, a byte-order mark) is
read as well as the comma-separated file the export writes.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import InputError, Problem
from simulator.scenario.msel.columns import column_for

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""What the parts of a workbook may add up to once unpacked (a zip bomb is refused before it is read)."""
MAX_ROWS = 10_000
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32767
PREFERRED_SHEET = "MSEL"
HEADER_SEARCH = 10
"""Rows looked at for the header (exercise title rows above it are common)."""


@dataclass(frozen=True, order=True)
class SheetProblem(Problem):
    """A problem at a spreadsheet cell: ``FILE:sheet!CELL: message`` (XLSX) or ``FILE:row:column: message`` (CSV)."""

    where: str = ""

    def __str__(self) -> str:
        if self.where:
            return f"{self.path}:{self.where}: {self.message}"
        if self.line:
            return f"{self.path}:{self.line}:{self.col}: {self.message}"
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict:
        return {**super().as_dict(), "where": self.where}


@dataclass(frozen=True)
class Cell:
    """One cell's value (text, number, date...) and its place."""

    value: object
    row: int
    col: int
    where: str
    """``MSEL!C5`` for a workbook, empty for a CSV."""


@dataclass
class Table:
    """A sheet as read: file name for messages, the header cells and the data rows."""

    display: str
    sheet: str | None
    header: list[Cell]
    rows: list[list[Cell]]

    def empty(self, row: int, col: int) -> Cell:
        """The cell at ``row``, ``col`` that holds nothing (a cleared cell, or one past a short CSV line)."""
        where = ""
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter

            where = f"{self.sheet}!{get_column_letter(col)}{row}"
        return Cell("", row, col, where)

    def problem(self, cell: Cell | None, message: str) -> SheetProblem:
        if cell is None:
            return SheetProblem(self.display, 0, 0, message)
        return SheetProblem(self.display, cell.row, cell.col, message, cell.where)


def read_table(path: str | Path, display: str | None = None) -> Table:
    """The MSEL sheet of an .xlsx (the sheet named MSEL, else the first) or a .csv file."""
    path = Path(path)
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(shown, [SheetProblem(shown, 0, 0, "a MSEL is read from .xlsx or .csv")])
    try:
        size = os.stat(path).st_size
    except OSError as e:
        raise InputError(shown, [SheetProblem(shown, 0, 0, f"cannot read file: {e.strerror or e}")]) from None
    if size > MAX_FILE_BYTES:
        raise InputError(shown, [SheetProblem(shown, 0, 0, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")])
    return _read_csv(path, shown) if suffix == ".csv" else _read_xlsx(path, shown)


def _fail(shown: str, message: str, row: int = 0, col: int = 0, where: str = "") -> InputError:
    return InputError(shown, [SheetProblem(shown, row, col, message, where)])


def _read_xlsx(path: Path, shown: str) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise _fail(shown, f"not an Excel workbook (.xlsx) that can be read: {e}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(shown, f"the workbook unpacks to {unpacked} bytes; the limit is {MAX_UNPACKED_BYTES}")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _fail(shown, f"not an Excel workbook (.xlsx) that can be read: {e}") from None
    try:
        name = PREFERRED_SHEET if PREFERRED_SHEET in wb.sheetnames else wb.sheetnames[0]
        ws = wb[name]
        grid: list[list[Cell]] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if r > MAX_ROWS + 1:
                raise _fail(shown, f"more than {MAX_ROWS} rows; split the MSEL", r, 1, f"{name}!A{r}")
            cells = []
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                where = f"{name}!{get_column_letter(c)}{r}"
                if c > MAX_COLUMNS:
                    raise _fail(shown, f"more than {MAX_COLUMNS} columns", r, c, where)
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise _fail(shown, f"cell has {len(value)} characters; the limit is {MAX_CELL_CHARS}", r, c, where)
                cells.append(Cell(value, r, c, where))
            grid.append(cells)
    finally:
        wb.close()
    return _table(shown, name, grid)


def _read_csv(path: Path, shown: str) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _fail(shown, f"not UTF-8 text (byte {e.start}); save the sheet as 'CSV UTF-8'", line, 1) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    grid: list[list[Cell]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for r, values in enumerate(reader, start=1):
            if r > MAX_ROWS + 1:
                raise _fail(shown, f"more than {MAX_ROWS} rows; split the MSEL", r, 1)
            cells = []
            for c, value in enumerate(values, start=1):
                value = _unquote(value.replace("\r\n", "\n"))
                if not value.strip():
                    continue
                if c > MAX_COLUMNS:
                    raise _fail(shown, f"more than {MAX_COLUMNS} columns", r, c)
                if len(value) > MAX_CELL_CHARS:
                    raise _fail(shown, f"cell has {len(value)} characters; the limit is {MAX_CELL_CHARS}", r, c)
                cells.append(Cell(value, r, c, ""))
            grid.append(cells)
    except csv.Error as e:
        raise _fail(shown, f"cannot read as CSV: {e}", reader.line_num or 1, 1) from None
    return _table(shown, None, grid)


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _unquote(text: str) -> str:
    """Take off the apostrophe the export puts before formula-like texts."""
    if text.startswith("'") and len(text) > 1 and (text[1] in "=+-@\t\r'"):
        return text[1:]
    return text


def _table(shown: str, sheet: str | None, grid: list[list[Cell]]) -> Table:
    while grid and not grid[-1]:
        grid.pop()
    filled = [i for i, cells in enumerate(grid) if cells]
    if not filled:
        raise _fail(shown, "the sheet is empty: expected a header row (MSEL #, Scenario time, Event / inject, ...)")
    # the header is the first row naming the number column (a title row may sit above it), else the first row
    start = next((i for i in filled[:HEADER_SEARCH] if any(column_for(_text(c.value)) == "number" for c in grid[i])),
                 filled[0])
    if start is None:
        raise _fail(shown, "the sheet is empty: expected a header row (MSEL #, Scenario time, Event / inject, ...)")
    return Table(shown, sheet, grid[start], [cells for cells in grid[start + 1:]])
