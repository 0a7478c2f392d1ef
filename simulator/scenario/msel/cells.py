"""Cell readers: a MSEL cell's text back into the value a scenario file holds.

Each reader raises :class:`CellError` with a message meant for the planner;
the importer adds the cell's place. ``same_*`` helpers compare a cell with
what the export wrote, loosely (spaces, case of TLP labels, ``T+0:30`` vs
``T+00:30``), so a cell a spreadsheet merely reformatted is not a change.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from simulator.timefmt import TIME_HELP, parse_duration, parse_time

TLP_LABELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
_SPLIT = re.compile(r"[,;\n]+")
_EXPECT = re.compile(
    r"^(?P<decision>[^\s:]+)"
    r"(?:\s+by\s+(?P<team>[^\s:]+))?"
    r"(?:\s+within\s+(?P<within>[0-9dhmw: ]+?))?"
    r"(?:\s+for\s+(?P<objective>[^\s:]+))?"
    r"\s*(?::\s*(?P<description>.*))?$"
)
_AFTER = re.compile(r"^after\s+(?P<ident>[^\s+]+)\s*(?:\+\s*(?P<delay>.+))?$", re.I)
_WHEN = re.compile(r"^when\s+(?P<expr>.+)$", re.I | re.S)
NO_TRIGGER_WORDS = ("option", "decision", "facilitator", "fired", "manual", "none")


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def text(value: object) -> str:
    """Any cell value as text: numbers without a spurious '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def norm(value: str) -> str:
    """Text as compared: line ends unified, trailing spaces of each line and of the whole cell dropped."""
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()


def ids(value: str) -> list[str]:
    """A list of ids from 'A, B; C' or one per line."""
    return [part.strip() for part in _SPLIT.split(value) if part.strip()]


def tlp(value: str) -> str:
    """A TLP label as the loader would read it (``amber`` -> ``TLP:AMBER``)."""
    v = value.strip().upper()
    if v in ("WHITE", "TLP:WHITE"):
        raise CellError("TLP:WHITE was renamed TLP:CLEAR in TLP 2.0")
    bare = v[4:] if v.startswith("TLP:") else v
    if bare not in TLP_LABELS:
        raise CellError(f"{value!r} is not a TLP 2.0 label; write one of " + ", ".join(f"TLP:{x}" for x in TLP_LABELS))
    return f"TLP:{bare}"


def held(value: str) -> bool:
    v = value.strip().lower()
    if v in ("", "no", "n", "false", "0", "-"):
        return False
    if v in ("yes", "y", "true", "1", "x", "held"):
        return True
    raise CellError(f"{value!r}: write yes (held for the facilitator) or leave the cell empty")


def scenario_time(value: object) -> int:
    """Minutes from a 'T+hh:mm' cell; a clock time a spreadsheet made of '10:00' is refused with a hint."""
    if isinstance(value, (time, timedelta, datetime)) or isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError(f"the spreadsheet holds {text(value)!r} as a number or clock time; write the scenario time "
                        "as text, e.g. T+10:00 (format the column as Text)")
    try:
        return parse_time(text(value))
    except ValueError as e:
        raise CellError(str(e)) from None


def calendar_minutes(value: object, start: datetime | None) -> int:
    """Minutes since T+0 of a calendar cell ('2026-03-02 10:30', or a date-time the spreadsheet holds)."""
    if start is None:
        raise CellError("the scenario's start is not a date-time, so a calendar time cannot be read")
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(text(value).strip())
        except ValueError:
            raise CellError(f"cannot read {text(value)!r} as a calendar time; write e.g. "
                            f"{start.strftime('%Y-%m-%d %H:%M')}") from None
    if moment.tzinfo is None and start.tzinfo is not None:
        moment = moment.replace(tzinfo=start.tzinfo)
    elif moment.tzinfo is not None and start.tzinfo is None:
        moment = moment.replace(tzinfo=None)
    seconds = (moment - start).total_seconds()
    if seconds < 0:
        raise CellError(f"{text(value)!r} is before the exercise starts ({start.strftime('%Y-%m-%d %H:%M')})")
    if seconds % 60:
        raise CellError(f"{text(value)!r}: scenario times are whole minutes")
    return int(seconds // 60)


def trigger(value: str) -> tuple[str, object]:
    """('time', None), ('after', (id, minutes)), ('when', expr) or ('none', None)."""
    v = norm(value)
    low = v.lower()
    if low in ("time", "at", "scheduled"):
        return "time", None
    if not v or low.startswith(NO_TRIGGER_WORDS):
        return "none", None
    m = _AFTER.match(v)
    if m:
        delay = 0
        if m.group("delay"):
            try:
                delay = parse_duration(m.group("delay"))
            except ValueError as e:
                raise CellError(str(e)) from None
        return "after", (m.group("ident"), delay)
    m = _WHEN.match(v)
    if m:
        return "when", m.group("expr").strip()
    raise CellError(f"cannot read {v!r} as a trigger; write 'time' (and the scenario time), 'after ROW +1h', "
                    f"'when CONDITION', or 'facilitator'. {TIME_HELP}")


def expects(value: str) -> list[dict]:
    """Expected actions, one per line: ``D04 by ie within 6h for OBJ-1: share indicators``."""
    result = []
    for number, line in enumerate(norm(value).split("\n"), start=1):
        if not line.strip():
            continue
        m = _EXPECT.match(line.strip())
        if not m:
            raise CellError(f"line {number}: cannot read {line.strip()!r}; write "
                            "'DECISION [by TEAM] [within DURATION] [for OBJECTIVE][: what]', e.g. 'D04 by ie within 6h: share IoCs'")
        item: dict = {"decision": m.group("decision")}
        if m.group("team"):
            item["team"] = m.group("team")
        if m.group("within"):
            try:
                parse_duration(m.group("within"))
            except ValueError as e:
                raise CellError(f"line {number}: {e}") from None
            item["within"] = m.group("within").replace(" ", "")
        if m.group("objective"):
            item["objective"] = m.group("objective")
        if m.group("description"):
            item["description"] = m.group("description").strip()
        result.append(item)
    return result
