"""``runs.csv``: one row per run, written in run order as results come in.

Columns: ``run``, ``seed``, ``player``, each varied PATH, then every key of
:func:`simulator.journal.outcome.outcome` in its order, then ``sha256``.
Results arrive out of order from a pool; :class:`RowWriter` holds them back
until the rows before them are in, so the file is the same for any number of
workers, and :meth:`RowWriter.close` writes whatever is held (an interrupted
sweep keeps every finished row, in run order).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from simulator.errors import InputError

NUMERIC = (int, float)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class RowWriter:
    """Writes rows to a CSV file in ``run`` order."""

    def __init__(self, path: Path):
        self.path = path
        self._fh: IO[str] = open(path, "w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._fh, lineterminator="\n")
        self._columns: list[str] | None = None
        self._held: dict[int, dict[str, Any]] = {}
        self._next = 0
        self.written = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self._held[row["run"]] = row
        while self._next in self._held:
            self._write(self._held.pop(self._next))
            self._next += 1
        self._fh.flush()

    def _write(self, row: dict[str, Any]) -> None:
        if self._columns is None:
            self._columns = list(row)
            self._csv.writerow(self._columns)
        self._csv.writerow([_cell(row.get(c)) for c in self._columns])
        self.written += 1

    def close(self) -> None:
        for run in sorted(self._held):
            self._write(self._held.pop(run))
        self._fh.close()


def read_runs(path: str | Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of a runs.csv, numbers as numbers and empty cells as None."""
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            columns = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty; not a runs.csv written by 'cyclesim sweep'") from None
        except csv.Error as e:
            raise InputError(f"{path}:1: not a CSV file ({e})") from None
        for need in ("run", "seed", "player", "sha256"):
            if need not in columns:
                raise InputError(f"{path}:1: no column {need!r}; not a runs.csv written by 'cyclesim sweep'")
        rows = []
        try:
            for n, cells in enumerate(reader, 2):
                if len(cells) != len(columns):
                    raise InputError(f"{path}:{n}: {len(cells)} cells, the header has {len(columns)}")
                rows.append({c: _value(v) for c, v in zip(columns, cells)})
        except csv.Error as e:
            raise InputError(f"{path}:{reader.line_num}: {e}") from None
    return columns, rows


def _value(text: str) -> Any:
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
