"""A scenario as MSEL rows: one per inject and decision point, in timeline order, every cell as text.

The cell texts made here are also what the importer compares a sheet with:
a cell that still reads as exported leaves its field alone, so an unchanged
sheet gives back the same scenario. Each format function therefore has a
reader in :mod:`.cells` that turns the text back into the YAML value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from simulator.scenario.model import DecisionPoint, Effects, ExpectedAction, Inject, Scenario
from simulator.timefmt import calendar, format_duration, format_time

INJECT = "Inject"
POINT = "Decision point"
ADHOC = "Ad-hoc inject"
CALENDAR_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class MselRow:
    """One MSEL row: what it is, when it is planned, and its cells as text (keyed by column key)."""

    number: str
    kind: str
    planned: int | None
    cells: dict[str, str] = field(default_factory=dict)
    tlp: str = ""


def msel_rows(scenario: Scenario) -> list[MselRow]:
    """Every inject and decision point as a row, sorted by planned time (unplanned last, in file order)."""
    planned = planned_times(scenario)
    fired_by = _fired_by(scenario)
    objectives = {o.id: o for o in scenario.objectives}
    start = start_of(scenario)
    rows: list[tuple[tuple, MselRow]] = []
    for index, inj in enumerate(scenario.injects):
        rows.append(((planned[inj.id] is None, planned[inj.id] or 0, 0, index),
                     inject_row(inj, planned[inj.id], fired_by.get(inj.id, []), objectives, start)))
    for index, dp in enumerate(scenario.decision_points):
        rows.append(((planned[dp.id] is None, planned[dp.id] or 0, 1, index),
                     point_row(dp, planned[dp.id], objectives, start)))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def start_of(scenario: Scenario) -> datetime | None:
    """T+0 on the calendar, or None when the start is not an ISO date-time (the loader checks it)."""
    try:
        return datetime.fromisoformat(scenario.start)
    except ValueError:
        return None


def planned_times(scenario: Scenario) -> dict[str, int | None]:
    """Planned release of every inject and point: its ``at``, or its parent's plus the delay; None if unknown."""
    items = {i.id: i for i in scenario.injects} | {d.id: d for d in scenario.decision_points}
    memo: dict[str, int | None] = {}

    def resolve(ident: str, seen: frozenset) -> int | None:
        if ident in memo:
            return memo[ident]
        item = items.get(ident)
        result = None
        if item is not None and ident not in seen:
            if item.at is not None:
                result = item.at
            elif item.after is not None:
                parent = resolve(item.after.inject, seen | {ident})
                result = None if parent is None else parent + item.after.delay
        memo[ident] = result
        return result

    return {ident: resolve(ident, frozenset()) for ident in items}


def _fired_by(scenario: Scenario) -> dict[str, list[str]]:
    fired: dict[str, list[str]] = {}
    for dp in scenario.decision_points:
        for opt in dp.options:
            for ident in opt.fires:
                fired.setdefault(ident, []).append(f"option {dp.id}/{opt.id}")
    for d in scenario.decisions:
        for ident in d.fires:
            fired.setdefault(ident, []).append(f"decision {d.id}")
    return fired


# ---------------------------------------------------------------- cell texts

def time_text(minutes: int | None) -> str:
    return "" if minutes is None else format_time(minutes)


def calendar_text(start: datetime | None, minutes: int | None) -> str:
    if start is None or minutes is None:
        return ""
    return calendar(start, minutes).strftime(CALENDAR_FORMAT)


def trigger_text(item: Inject | DecisionPoint, fired_by: Sequence[str] = ()) -> str:
    if item.at is not None:
        return "time"
    if item.after is not None:
        return f"after {item.after.inject}" + (f" +{format_duration(item.after.delay).replace(' ', '')}" if item.after.delay else "")
    if item.when is not None:
        return f"when {item.when}"
    return ", ".join(fired_by) if fired_by else "facilitator"


def list_text(values: list[str]) -> str:
    return ", ".join(values)


def expects_text(expects: list[ExpectedAction]) -> str:
    return "\n".join(expect_line(e) for e in expects)


def expect_line(e: ExpectedAction) -> str:
    text = e.decision
    if e.team:
        text += f" by {e.team}"
    if e.within is not None:
        text += f" within {format_duration(e.within).replace(' ', '')}"
    if e.objective:
        text += f" for {e.objective}"
    if e.description:
        text += f": {e.description}"
    return text


def yes_text(flag: bool) -> str:
    return "yes" if flag else ""


def effects_text(effects: Effects) -> str:
    """A one-line reading of the effects, e.g. 'impact IE/health=yellow; significant HOSP-IE-1'."""
    parts = []
    for key, value in effects.model_dump(mode="json", exclude_defaults=True).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={'/'.join(v) if isinstance(v, list) else v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        parts.append(f"{key} {value}")
    return "; ".join(parts)


def inject_row(inj: Inject, planned: int | None, fired_by: list[str], objectives: dict, start: datetime | None) -> MselRow:
    notes = []
    if inj.template:
        notes.append(f"library template: {inj.template}")
    if not inj.effects.is_empty():
        notes.append(f"effects: {effects_text(inj.effects)}")
    cells = {
        "number": inj.id,
        "kind": INJECT,
        "time": time_text(planned),
        "calendar": calendar_text(start, planned),
        "title": inj.title,
        "from": inj.from_,
        "to": list_text(inj.to),
        "channel": inj.channel or "",
        "tlp": inj.tlp,
        "body": inj.body,
        "expects": expects_text(inj.expects),
        "objectives": list_text(inj.objectives),
        "capabilities": _capabilities(inj.objectives, objectives),
        "trigger": trigger_text(inj, fired_by),
        "held": yes_text(inj.held),
        "notes": "\n".join(notes),
    }
    return MselRow(inj.id, INJECT, planned, cells, inj.tlp)


def point_row(dp: DecisionPoint, planned: int | None, objectives: dict, start: datetime | None) -> MselRow:
    deadline = (f"within {format_duration(dp.within).replace(' ', '')}" if dp.within is not None
                else f"deadline {format_time(dp.deadline or 0)}")
    options = " | ".join(f"{o.id}" + (f" ({o.decision})" if o.decision else "") for o in dp.options)
    cells = {
        "number": dp.id,
        "kind": POINT,
        "time": time_text(planned),
        "calendar": calendar_text(start, planned),
        "title": dp.prompt,
        "from": "",
        "to": dp.team,
        "channel": "",
        "tlp": "",
        "body": "",
        "expects": f"decide {deadline}; default {dp.default}",
        "objectives": list_text(dp.objectives),
        "capabilities": _capabilities(dp.objectives, objectives),
        "trigger": trigger_text(dp),
        "held": "",
        "notes": f"options: {options} (see the Decision points sheet)",
    }
    return MselRow(dp.id, POINT, planned, cells)


def _capabilities(ids: list[str], objectives: dict) -> str:
    seen: list[str] = []
    for ident in ids:
        cap = objectives[ident].capability if ident in objectives else ""
        if cap and cap not in seen:
            seen.append(cap)
    return ", ".join(seen)
