"""Write the MSEL: XLSX (three sheets, styled for review meetings) or CSV (the MSEL sheet, UTF-8).

XLSX: the MSEL sheet has a frozen, filterable header row, column widths,
wrapped text, and TLP cells in the TLP 2.0 palette (coloured text on black,
as FIRST publishes the labels); a "Decision points" sheet lists every point
with its options, an "Objectives" sheet every objective with the rows that
exercise it. Every text is written as text, never as a formula, so a message
that begins with "=" stays a message. CSV cells that a spreadsheet would read
as a formula get a leading apostrophe, which the importer takes off again.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import InputError
from simulator.scenario.model import Inject, Scenario
from simulator.scenario.msel.columns import COLUMNS, LIVE_COLUMNS, Column
from simulator.scenario.msel.rows import ADHOC, MselRow, effects_text, inject_row, msel_rows, start_of, trigger_text
from simulator.timefmt import format_duration, format_time

MSEL_SHEET = "MSEL"
POINTS_SHEET = "Decision points"
OBJECTIVES_SHEET = "Objectives"
MAX_CELL = 32767
"""Longest text a spreadsheet cell holds (Excel's limit)."""

TLP_COLOURS = {
    "TLP:RED": "FF2B2B",
    "TLP:AMBER+STRICT": "FFC000",
    "TLP:AMBER": "FFC000",
    "TLP:GREEN": "33FF00",
    "TLP:CLEAR": "FFFFFF",
}
"""TLP 2.0 label colours (FIRST): the text colour, on a black background."""
TLP_BACKGROUND = "000000"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula."""


@dataclass(frozen=True)
class Actual:
    """What happened to a row in a session: when it was released (minutes) and its status."""

    time: int | None
    status: str
    adhoc: dict | None = None
    """For an inject written during the session: its fields as the facilitator gave them."""


def write_msel(scenario: Scenario, path: str | Path, *, actuals: Mapping[str, Actual] | None = None) -> Path:
    """Write the MSEL of ``scenario`` to ``path`` (.xlsx or .csv); with ``actuals``, add actual-time columns."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"{path}: the MSEL is written as .xlsx or .csv, not {path.suffix or 'a file without extension'!r}")
    rows = msel_rows(scenario)
    if actuals:
        rows += _adhoc_rows(scenario, rows, actuals)
    columns = COLUMNS + (LIVE_COLUMNS if actuals is not None else ())
    table = [[_cell(row, c, actuals) for c in columns] for row in rows]
    for row, values in zip(rows, table):
        for c, value in zip(columns, values):
            if len(value) > MAX_CELL:
                raise InputError(f"{row.number}: {c.header} has {len(value)} characters; a spreadsheet cell holds at most {MAX_CELL}")
    if suffix == ".csv":
        data = _csv_bytes(columns, table)
    else:
        data = _xlsx_bytes(scenario, rows, columns, table)
    _write_atomic(path, data)
    return path


def _adhoc_rows(scenario: Scenario, rows: list[MselRow], actuals: Mapping[str, Actual]) -> list[MselRow]:
    """Rows for the injects the facilitator wrote during the session, after the planned ones."""
    planned = {r.number for r in rows}
    objectives = {o.id: o for o in scenario.objectives}
    extra = []
    for ident, actual in actuals.items():
        if actual.adhoc is None or ident in planned:
            continue
        try:
            inj = Inject.model_validate(actual.adhoc)
        except ValueError:
            continue  # the engine refused it too: it was never sent
        row = inject_row(inj, None, ["facilitator (ad-hoc)"], objectives, start_of(scenario))
        extra.append(MselRow(row.number, ADHOC, None, {**row.cells, "kind": ADHOC}, row.tlp))
    return extra


def _cell(row: MselRow, column: Column, actuals: Mapping[str, Actual] | None) -> str:
    if column.key in ("actual", "status"):
        actual = (actuals or {}).get(row.number)
        if actual is None:
            return "" if column.key == "actual" else "not released"
        if column.key == "actual":
            return "" if actual.time is None else format_time(actual.time)
        return actual.status
    return row.cells.get(column.key, "")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a failed write leaves no half file."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- CSV

def csv_safe(text: str) -> str:
    """A cell text a spreadsheet will not run: formula-like texts get a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) or text.startswith("'") else text


def _csv_bytes(columns: tuple[Column, ...], table: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for values in table:
        writer.writerow([csv_safe(v) for v in values])
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- XLSX

def _xlsx_bytes(scenario: Scenario, rows: list[MselRow], columns: tuple[Column, ...], table: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F3864")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(ws, headers: list[str], widths: list[int], body: list[list[str]]):
        ws.append(headers)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        for r, values in enumerate(body, start=2):
            for c, value in enumerate(values, start=1):
                _text_cell(ws, r, c, value, wrap)
        ws.freeze_panes = "A2"
        if body:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(body) + 1}"

    wb = Workbook()
    ws = wb.active
    ws.title = MSEL_SHEET
    sheet(ws, [c.header for c in columns], [c.width for c in columns], table)
    tlp_col = [c.key for c in columns].index("tlp") + 1
    for r, row in enumerate(rows, start=2):
        if row.tlp in TLP_COLOURS:
            cell = ws.cell(row=r, column=tlp_col)
            cell.font = Font(bold=True, color=TLP_COLOURS[row.tlp])
            cell.fill = PatternFill("solid", fgColor=TLP_BACKGROUND)

    headers, widths, body = _points_table(scenario)
    sheet(wb.create_sheet(POINTS_SHEET), headers, widths, body)
    headers, widths, body = _objectives_table(scenario, rows)
    sheet(wb.create_sheet(OBJECTIVES_SHEET), headers, widths, body)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text_cell(ws, row: int, column: int, value: str, alignment) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if ILLEGAL_CHARACTERS_RE.search(value):
        raise InputError(f"{ws.title} row {row}: the text holds a control character a spreadsheet cannot store: {value[:40]!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = value if value else None
    if value:
        cell.data_type = "s"  # text, even when it begins with '='
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    cell.alignment = alignment


def _points_table(scenario: Scenario):
    headers = ["Point", "Team", "Prompt", "Trigger", "Deadline", "Default", "Option", "Label", "Decision",
               "Fires", "Cancels", "Effects", "Objectives"]
    widths = [14, 10, 40, 22, 16, 12, 16, 32, 10, 18, 18, 32, 14]
    body = []
    for dp in scenario.decision_points:
        deadline = (f"within {format_duration(dp.within)}" if dp.within is not None else format_time(dp.deadline or 0))
        for opt in dp.options:
            body.append([dp.id, dp.team, dp.prompt, trigger_text(dp), deadline, dp.default, opt.id, opt.label,
                         opt.decision or "", ", ".join(opt.fires), ", ".join(opt.cancels), effects_text(opt.effects),
                         ", ".join(dp.objectives)])
    return headers, widths, body


def _objectives_table(scenario: Scenario, rows: list[MselRow]):
    headers = ["Objective", "Title", "Description", "Capability", "Rows"]
    widths = [12, 36, 60, 28, 30]
    body = []
    for o in scenario.objectives:
        used = [r.number for r in rows if o.id in [x.strip() for x in r.cells.get("objectives", "").split(",")]]
        body.append([o.id, o.title, o.description, o.capability, ", ".join(used)])
    return headers, widths, body
