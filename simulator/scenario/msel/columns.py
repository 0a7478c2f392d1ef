"""The MSEL columns: header text, width, the synonyms an import accepts, and whether it is read back.

One table serves the export (headers, widths, order) and the import (which
header names mean which column). Header names are matched after
:func:`normalise_header`: case, spaces, dots, colons and a trailing "(s)" do
not matter, so "Inject #", "inject no." and "INJECT NUMBER" all mean the
number column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One MSEL column."""

    key: str
    """Internal name, used by rows and the importer."""
    header: str
    """Header text written on export."""
    width: int
    """Column width in the XLSX, in characters."""
    synonyms: tuple[str, ...] = ()
    """Other header names an import accepts (compared after normalising)."""
    read: bool = True
    """Whether an import reads the column; derived columns are for people only."""
    description: str = ""
    """What the column holds (docs/msel.md says the same)."""


COLUMNS: tuple[Column, ...] = (
    Column("number", "MSEL #", 12, ("#", "no", "number", "inject #", "inject no", "inject number", "inject id",
                                    "id", "event #", "event no", "msel no", "msel number", "serial"),
           description="the inject's or decision point's id; the key an import matches rows by"),
    Column("kind", "Type", 14, ("type", "kind", "row type", "item type"),
           description="Inject or Decision point"),
    Column("time", "Scenario time", 13, ("time", "t+", "scenario time", "planned time", "exercise time", "scheduled time",
                                         "planned", "game time"),
           description="planned release as T+hh:mm; for a row triggered after another row it is computed"),
    Column("calendar", "Calendar time", 17, ("calendar", "calendar time", "date/time", "date time", "datetime",
                                             "real time", "wall clock", "date"),
           description="the scenario time on the calendar (the scenario's start plus T+)"),
    Column("title", "Event / inject", 40, ("title", "inject", "event", "event/inject", "event / inject", "inject title",
                                           "subject", "heading", "event title", "prompt"),
           description="the inject's title, or a decision point's prompt"),
    Column("from", "From", 14, ("from", "sender", "source", "originator", "sent by"),
           description="the sending actor's id"),
    Column("to", "To", 22, ("to", "recipient", "recipients", "player", "players", "addressee", "addressees", "team"),
           description="recipient actor ids, comma-separated; for a decision point, the deciding team"),
    Column("channel", "Channel", 14, ("channel", "method", "delivery method", "mode", "means"),
           description="the channel id; empty for the direct channel"),
    Column("tlp", "TLP", 15, ("tlp", "tlp label", "marking", "classification", "traffic light protocol"),
           description="TLP 2.0 label"),
    Column("body", "Message", 60, ("message", "body", "description", "content", "inject text", "text", "details",
                                   "message body", "inject description"),
           description="the message the recipients read"),
    Column("expects", "Expected player actions", 40, ("expected player actions", "expected action", "expected actions",
                                                       "expected response", "expected outcome", "expected player action"),
           description="one per line: DECISION [by TEAM] [within DURATION] [for OBJECTIVE][: what]"),
    Column("objectives", "Objectives", 14, ("objective", "objectives", "exercise objective", "exercise objectives"),
           description="objective ids, comma-separated"),
    Column("capabilities", "Capabilities", 24, ("capability", "capabilities", "core capability", "core capabilities"),
           read=False, description="the capabilities those objectives test (from the objectives sheet)"),
    Column("trigger", "Trigger", 26, ("trigger", "triggered by", "timing", "trigger condition", "release"),
           description="time | after ROW [+DURATION] | when CONDITION | option POINT/OPTION | facilitator"),
    Column("held", "Held", 7, ("held", "hold", "on hold"),
           description="yes: released only by the facilitator"),
    Column("notes", "Notes", 40, ("notes", "note", "remarks", "comments", "controller notes"),
           read=False, description="library template, effects, options: for reading; an import ignores it"),
)

LIVE_COLUMNS: tuple[Column, ...] = (
    Column("actual", "Actual time", 13, ("actual", "actual time", "released at"), read=False,
           description="when the inject was released in the session (console export only)"),
    Column("status", "Status", 16, ("status", "state"), read=False,
           description="released, cancelled, held, scheduled... in the session (console export only)"),
)
"""Appended after the planned columns when the live console exports the MSEL."""

BY_KEY = {c.key: c for c in COLUMNS + LIVE_COLUMNS}


def normalise_header(text: object) -> str:
    """A header as compared: lower case, single spaces, no dots/colons/underscores, no trailing '(s)'."""
    s = str(text or "").strip().lower().replace("_", " ")
    s = re.sub(r"\(s\)$", "s", s)
    s = re.sub(r"[.:]+", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


_LOOKUP: dict[str, str] = {}
for _c in COLUMNS + LIVE_COLUMNS:
    for _name in (_c.header,) + _c.synonyms:
        _LOOKUP.setdefault(normalise_header(_name), _c.key)


def column_for(header: object) -> str | None:
    """The column key a header names, or None for a column this format does not know."""
    return _LOOKUP.get(normalise_header(header))
