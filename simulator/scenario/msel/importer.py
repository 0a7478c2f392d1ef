"""A MSEL sheet into a scenario: rows update the injects of the same number, new numbers become injects.

The scenario is changed as written (library ``use:`` items stay uses), and
only where a cell differs from what the export would write for it: an
unchanged sheet gives back the same scenario, a changed time changes one
``at``. Columns an import does not read (calendar aside, see below) are for
people; columns a sheet leaves out leave their fields alone.

Every problem is collected with its cell, and nothing is written unless the
whole sheet reads and the new scenario validates where it will be written:
the new file is loaded from a temporary name in the output folder (so its
library folders resolve as they will), and only then renamed into place.
A problem the loader finds in a row that came from the sheet is reported at
that row's cell.
"""

from __future__ import annotations

import copy
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import InputError, Problem, ScenarioError
from simulator.scenario.loader import LoadedScenario, load
from simulator.scenario.msel import cells as read
from simulator.scenario.msel.columns import BY_KEY, COLUMNS, column_for
from simulator.scenario.msel.rows import INJECT, POINT, MselRow, msel_rows, start_of
from simulator.scenario.msel.sheet import Cell, SheetProblem, Table, read_table
from simulator.scenario.msel.yamlout import dump_yaml
from simulator.scenario.yamlio import YamlDoc, load_yaml_file
from simulator.timefmt import format_duration, format_time

_READ = {c.key for c in COLUMNS if c.read}
_POINT_FIELDS = {"number", "kind", "time", "calendar", "trigger", "title", "to", "objectives"}
_INJECT_KEY_COLUMN = {"title": "title", "from": "from", "to": "to", "channel": "channel", "tlp": "tlp", "body": "body",
                      "expects": "expects", "objectives": "objectives", "held": "held", "at": "time",
                      "after": "trigger", "when": "trigger", "id": "number"}
_POINT_KEY_COLUMN = {"prompt": "title", "team": "to", "objectives": "objectives", "at": "time", "after": "trigger",
                     "when": "trigger", "id": "number"}


@dataclass
class ImportResult:
    """What an import changed: ids updated (with the fields), ids added."""

    updated: dict[str, list[str]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    output: Path | None = None


def import_msel(sheet_path: str | Path, scenario_path: str | Path, output: str | Path, *,
                sheet_display: str | None = None) -> ImportResult:
    """Apply the MSEL at ``sheet_path`` to the scenario at ``scenario_path``; write the result to ``output``."""
    table = read_table(sheet_path, sheet_display)
    loaded = load(scenario_path)
    raw = load_yaml_file(scenario_path).data
    assert isinstance(raw, dict), "the loader has checked that a scenario is a mapping"
    job = _Import(table, loaded, copy.deepcopy(raw))
    job.run()
    if job.problems:
        raise InputError(f"{table.display}: the MSEL has problems", job.problems)
    header = (f"Written by 'cyclesim msel import {table.display} --into {scenario_path}'.\n"
              "Comments of the original file are not kept.")
    text = dump_yaml(job.data, header)
    output = Path(output)
    _validate_and_write(text, output, job)
    job.result.output = output
    return job.result


class _Import:
    def __init__(self, table: Table, loaded: LoadedScenario, data: dict):
        self.table = table
        self.scenario = loaded.scenario
        self.data = data
        self.start = start_of(self.scenario)
        self.original: dict[str, MselRow] = {r.number: r for r in msel_rows(self.scenario)}
        self.injects = {i.id: i for i in self.scenario.injects}
        self.points = {d.id: d for d in self.scenario.decision_points}
        self.problems: list[Problem] = []
        self.result = ImportResult()
        self.row_of: dict[str, dict[str, Cell]] = {}
        """id -> the cells of the sheet row that changed or added it (for placing loader problems)."""
        self.columns: dict[int, str] = {}

    # ------------------------------------------------------------ header and rows
    def problem(self, cell: Cell | None, message: str) -> None:
        self.problems.append(self.table.problem(cell, message))

    def run(self) -> None:
        seen_keys: dict[str, Cell] = {}
        for cell in self.table.header:
            key = column_for(read.text(cell.value))
            if key is None:
                self.result.ignored_columns.append(read.text(cell.value))
                continue
            if key in seen_keys:
                self.problem(cell, f"column {read.text(cell.value)!r} means {BY_KEY[key].header!r}, "
                                   f"which column {read.text(seen_keys[key].value)!r} already is")
                continue
            seen_keys[key] = cell
            self.columns[cell.col] = key
        if "number" not in seen_keys:
            first = self.table.header[0] if self.table.header else None
            self.problem(first, "no 'MSEL #' column (or 'Inject #', 'ID', 'No'): rows cannot be matched to injects")
            return
        numbers: dict[str, Cell] = {}
        for cells in self.table.rows:
            row = {self.columns[c.col]: c for c in cells if c.col in self.columns}
            if not any(read.norm(read.text(c.value)) for c in row.values()):
                continue
            line = cells[0].row
            for col, key in self.columns.items():  # a cleared cell is a change to empty, not a missing column
                row.setdefault(key, self.table.empty(line, col))
            number: Cell | None = row["number"]
            if number is not None and not read.norm(read.text(number.value)):
                number = None
            if number is None:
                self.problem(cells[0], f"this row has no {BY_KEY['number'].header}; give the inject's id")
                continue
            ident = read.norm(read.text(number.value))
            if ident in numbers:
                self.problem(number, f"{ident!r} is also the number of row {numbers[ident].row}")
                continue
            numbers[ident] = number
            self.row(ident, row)

    def row(self, ident: str, row: dict[str, Cell]) -> None:
        kind_cell = row.get("kind")
        kind = read.norm(read.text(kind_cell.value)).lower() if kind_cell else ""
        if kind in ("decision point", "decision", "point", "dp", "decision-point"):
            kind = POINT
        elif kind in ("inject", "injects", "event", "message", "ad-hoc inject", "adhoc inject", "ad-hoc", ""):
            kind = INJECT if kind or ident not in self.points else POINT
        else:
            self.problem(kind_cell, f"{read.text(kind_cell.value if kind_cell else '')!r} is not a row type; "
                                    "write Inject or Decision point")
            return
        if kind == POINT:
            if ident in self.injects:
                self.problem(kind_cell, f"{ident!r} is an inject in the scenario, not a decision point")
            elif ident not in self.points:
                self.problem(row["number"], f"decision point {ident!r} is not in the scenario; a new decision point "
                                            "needs options and a default, so add it to the scenario file")
            else:
                self.update_point(ident, row)
        elif ident in self.points:
            self.problem(kind_cell, f"{ident!r} is a decision point in the scenario, not an inject")
        elif ident in self.injects:
            self.update_inject(ident, row)
        else:
            self.add_inject(ident, row)

    # ------------------------------------------------------------ changes
    def changed(self, ident: str, row: dict[str, Cell], key: str) -> bool:
        """Whether the sheet's cell differs from what the export wrote (a missing column never does)."""
        cell = row.get(key)
        if cell is None:
            return False
        new, old = read.norm(read.text(cell.value)), read.norm(self.original[ident].cells.get(key, ""))
        if new == old:
            return False
        try:
            if key in ("to", "objectives"):
                return read.ids(new) != read.ids(old)
            if key == "tlp" and old:
                return read.tlp(new) != old
            if key == "time" and new and old:
                return read.scenario_time(cell.value) != read.scenario_time(old)
            if key == "held":
                return read.held(new) != read.held(old)
            if key == "calendar" and new and old:
                return read.calendar_minutes(cell.value, self.start) != read.calendar_minutes(old, self.start)
        except read.CellError:
            return True  # the reader reports it
        return True

    def read_cell(self, row: dict[str, Cell], key: str, reader):
        cell = row[key]
        try:
            return reader(read.text(cell.value)) if reader is not read.scenario_time else reader(cell.value)
        except read.CellError as e:
            self.problem(cell, f"{BY_KEY[key].header}: {e}")
            return _BAD

    def update_inject(self, ident: str, row: dict[str, Cell]) -> None:
        item = self._raw_item("injects", ident)
        is_ref = "use" in item
        orig = self.injects[ident]
        fields: list[str] = []
        simple = (("title", "title", lambda t: t), ("from", "from", str.strip), ("body", "body", lambda t: t),
                  ("to", "to", read.ids), ("objectives", "objectives", read.ids), ("tlp", "tlp", read.tlp),
                  ("channel", "channel", lambda t: t.strip() or None), ("expects", "expects", read.expects),
                  ("held", "held", read.held))
        for key, yaml_key, reader in simple:
            if key in _READ and self.changed(ident, row, key):
                value = self.read_cell(row, key, reader)
                if value is _BAD:
                    continue
                if key in ("title", "body"):
                    value = read.norm(value) + ("\n" if key == "body" and "\n" in read.norm(value) else "")
                if key == "title" and not value:
                    self.problem(row[key], f"{BY_KEY[key].header}: an inject needs a title")
                    continue
                if key == "to" and not value:
                    self.problem(row[key], f"{BY_KEY[key].header}: an inject needs at least one recipient")
                    continue
                _set(item, yaml_key, value, is_ref, getattr(orig, "from_" if key == "from" else key, None))
                fields.append(yaml_key)
        fields += self._timing(ident, row, item, is_ref, orig)
        if fields:
            self.result.updated[ident] = fields
            self.row_of[ident] = row

    def update_point(self, ident: str, row: dict[str, Cell]) -> None:
        item = self._raw_item("decision_points", ident)
        orig = self.points[ident]
        fields: list[str] = []
        for key in ("from", "channel", "tlp", "body", "expects", "held"):
            if key in row and self.changed(ident, row, key):
                self.problem(row[key], f"{BY_KEY[key].header}: a decision point has no such field; change its "
                                       "options, deadline and default in the scenario file")
        if self.changed(ident, row, "title"):
            prompt = read.norm(read.text(row["title"].value))
            if not prompt:
                self.problem(row["title"], f"{BY_KEY['title'].header}: a decision point needs a prompt")
            else:
                item["prompt"] = prompt
                fields.append("prompt")
        if self.changed(ident, row, "to"):
            teams = read.ids(read.text(row["to"].value))
            if len(teams) != 1:
                self.problem(row["to"], f"{BY_KEY['to'].header}: a decision point is decided by one team; write its id")
            else:
                item["team"] = teams[0]
                fields.append("team")
        if self.changed(ident, row, "objectives"):
            _set(item, "objectives", read.ids(read.text(row["objectives"].value)), False, None)
            fields.append("objectives")
        fields += self._timing(ident, row, item, False, orig)
        if fields:
            self.result.updated[ident] = fields
            self.row_of[ident] = row

    def add_inject(self, ident: str, row: dict[str, Cell]) -> None:
        item: dict = {"id": ident}
        for key, label in (("title", "a title"), ("from", "a sender (From)"), ("to", "recipients (To)")):
            if key not in row or not read.norm(read.text(row[key].value)):
                self.problem(row["number"], f"new inject {ident!r} needs {label}")
                return
        item["title"] = read.norm(read.text(row["title"].value))
        item["from"] = read.norm(read.text(row["from"].value))
        item["to"] = read.ids(read.text(row["to"].value))
        bad = False
        for key, reader in (("channel", str.strip), ("tlp", read.tlp), ("body", read.norm), ("expects", read.expects),
                            ("objectives", read.ids), ("held", read.held)):
            if key in row and read.norm(read.text(row[key].value)):
                value = self.read_cell(row, key, reader)
                bad = bad or value is _BAD
                if value is not _BAD and value not in ("", [], False):
                    item[key] = value + "\n" if key == "body" and "\n" in value else value
        kind, value = self._read_trigger(row)
        if kind is _BAD or bad:
            return
        if kind == "time":
            minutes = self._read_time(row, None)
            if minutes is _BAD:
                return
            if minutes is None:
                self.problem(row.get("trigger") or row["number"], f"new inject {ident!r} is triggered by time but "
                                                                  "has no scenario time")
                return
            item["at"] = format_time(minutes)
        elif kind != "none":
            item[kind] = _trigger_value(kind, value)
        self.data.setdefault("injects", [])
        if not isinstance(self.data["injects"], list):
            self.data["injects"] = []
        self.data["injects"].append(_ordered(item))
        self.result.added.append(ident)
        self.row_of[ident] = row

    # ------------------------------------------------------------ timing
    def _read_trigger(self, row: dict[str, Cell]):
        if "trigger" not in row:
            return ("time", None) if "time" in row or "calendar" in row else ("none", None)
        value = self.read_cell(row, "trigger", read.trigger)
        return (_BAD, None) if value is _BAD else value

    def _read_time(self, row: dict[str, Cell], original: int | None):
        """The minutes the time and calendar cells give: whichever was changed from ``original`` wins."""
        values = {}
        for key, reader in (("time", lambda v: read.scenario_time(v)),
                            ("calendar", lambda v: read.calendar_minutes(v, self.start))):
            cell = row.get(key)
            if cell is None or not read.norm(read.text(cell.value)):
                continue
            try:
                values[key] = reader(cell.value)
            except read.CellError as e:
                self.problem(cell, f"{BY_KEY[key].header}: {e}")
                return _BAD
        if not values:
            return None
        if len(set(values.values())) == 1:
            return next(iter(values.values()))
        moved = [k for k, v in values.items() if v != original]
        if len(moved) == 1:
            return values[moved[0]]
        self.problem(row["time"], f"{BY_KEY['time'].header} {format_time(values['time'])} and "
                                  f"{BY_KEY['calendar'].header} {read.text(row['calendar'].value)} "
                                  f"(= {format_time(values['calendar'])}) disagree; change one and clear or match the other")
        return _BAD

    def _timing(self, ident: str, row: dict[str, Cell], item: dict, is_ref: bool, orig) -> list[str]:
        trigger_changed = self.changed(ident, row, "trigger")
        time_changed = self.changed(ident, row, "time") or self.changed(ident, row, "calendar")
        if not (trigger_changed or time_changed):
            return []
        if trigger_changed:
            kind, value = self._read_trigger(row)
            if kind is _BAD:
                return []
        else:
            kind = "time" if orig.at is not None else ("after" if orig.after is not None else
                                                       ("when" if orig.when is not None else "none"))
            value = None
        planned = self.original[ident].planned
        if kind == "time":
            minutes = self._read_time(row, planned)
            if minutes is _BAD:
                return []
            if minutes is None:
                self.problem(row.get("time") or row.get("trigger"), f"{ident!r} is triggered by time but has no scenario time")
                return []
            if orig.at == minutes and not trigger_changed:
                return []
            _set_trigger(item, "at", format_time(minutes), is_ref, orig)
            return ["at"]
        if time_changed:
            cell = row.get("time") if self.changed(ident, row, "time") else row.get("calendar")
            if cell is not None and read.norm(read.text(cell.value)):
                label = read.norm(self.original[ident].cells.get("trigger", "")) if not trigger_changed else kind
                self.problem(cell, f"{BY_KEY[self.columns[cell.col]].header}: this row is triggered by {label!r}, so its "
                                   "time is computed; change the Trigger cell (write 'time' there to fix the row at this time)")
                return []
        if not trigger_changed:
            return []
        if kind == "none":
            _set_trigger(item, None, None, is_ref, orig)
            return ["trigger"]
        _set_trigger(item, kind, _trigger_value(kind, value), is_ref, orig)
        return [kind]

    def _raw_item(self, section: str, ident: str) -> dict:
        for item in self.data.get(section) or []:
            if isinstance(item, dict) and item.get("id") == ident:
                return item
        raise AssertionError(f"{ident} is in the loaded scenario but not in its file")  # pragma: no cover


_BAD = object()


def _trigger_value(kind: str, value):
    if kind == "after":
        ident, delay = value
        return {"inject": ident, "delay": format_duration(delay).replace(" ", "")} if delay else {"inject": ident}
    return value


def _set(item: dict, key: str, value, is_ref: bool, original) -> None:
    """Set a field. An empty value is left out of an inline inject; on a library use it overrides
    the template's value when the template gives one."""
    if value not in (None, [], False):
        item[key] = value
    elif is_ref and original not in (None, [], False):
        item[key] = value
    else:
        item.pop(key, None)


def _set_trigger(item: dict, key: str | None, value, is_ref: bool, orig) -> None:
    for k in ("at", "after", "when"):
        if k == key:
            continue
        if k in item:
            del item[k]
        if is_ref and getattr(orig, k) is not None:
            item[k] = None  # the template gives this trigger: override it away
    if key is not None:
        item[key] = value


def _ordered(item: dict) -> dict:
    order = ("id", "title", "at", "after", "when", "from", "to", "channel", "tlp", "held", "body", "objectives", "expects")
    return {k: item[k] for k in order if k in item} | {k: v for k, v in item.items() if k not in order}


# ---------------------------------------------------------------- validate, place problems, write

def _validate_and_write(text: str, output: Path, job: _Import) -> None:
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{output}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            load(tmp)
        except ScenarioError as e:
            doc = load_yaml_file(tmp)
            raise InputError(f"{job.table.display}: the imported scenario does not validate",
                             [_place(p, doc, job, str(output)) for p in e.problems]) from None
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _place(p: Problem, doc: YamlDoc, job: _Import, output: str) -> Problem:
    """A loader problem in the new file, at the sheet cell it came from when a sheet row made that part."""
    for section, key_column in (("injects", _INJECT_KEY_COLUMN), ("decision_points", _POINT_KEY_COLUMN)):
        items = doc.data.get(section) if isinstance(doc.data, dict) else None
        if not isinstance(items, list):
            continue
        starts = [(doc.position((section, i))[0], i) for i in range(len(items))]
        owner = max((s for s in starts if s[0] <= p.line), default=None)
        if owner is None:
            continue
        following = [s for s in starts if s[0] > owner[0]]
        end = following[0][0] if following else None
        if end is not None and p.line >= end:
            continue
        item = items[owner[1]]
        ident = item.get("id") if isinstance(item, dict) else None
        row = job.row_of.get(ident) if isinstance(ident, str) else None
        if row is None or not isinstance(item, dict):
            continue
        keys = sorted(((doc.position((section, owner[1], k), key=True)[0], k) for k in item), reverse=True)
        field_key = next((k for line, k in keys if line <= p.line), "id")
        cell = row.get(key_column.get(field_key, "number")) or row["number"]
        message = p.message
        return job.table.problem(cell, message)
    return SheetProblem(output, p.line, p.col, f"{p.message} (in the scenario as imported; nothing was written)")
