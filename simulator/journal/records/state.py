"""Records of the world state, severity, regulatory clocks and filed reports."""

from __future__ import annotations

from typing import Annotated

from simulator.journal.records.declare import Json, Key, kind


# ------------------------------------------------------------------ world state and severity
@kind("state.changed")
class StateChanged:
    cause: str
    changes: Json


@kind("severity.changed")
class SeverityChanged:
    from_: Annotated[int, Key("from")]
    to: int
    name: str
    colour: str
    reason: str
    cause: str
    summary: str


@kind("severity.reassessed")
class SeverityReassessed:
    level: int
    reason: str
    cause: str


# ------------------------------------------------------------------ clocks and reports
@kind("clock.started")
class ClockStarted:
    clock: str
    report: str
    regime: str
    owner: str
    label: str
    basis: str
    deadline: int


@kind("clock.met")
class ClockMet:
    clock: str
    report: str
    owner: str
    margin: int
    label: str
    filed_before: int | None = None
    """Set when the report was filed before awareness started the clock."""


@kind("clock.missed")
class ClockMissed:
    clock: str
    report: str
    owner: str
    deadline: int
    label: str


@kind("clock.pending")
class ClockPending:
    clock: str
    report: str
    owner: str
    deadline: int
    label: str


@kind("report.filed")
class ReportFiled:
    owner: str
    report: str
    cause: str
    late: bool
