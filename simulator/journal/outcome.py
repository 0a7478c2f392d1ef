"""The outcome measures of one run, computed from its journal alone.

``outcome(journal)`` is what ``replay --json`` prints under ``"outcome"``,
what a sweep writes as its columns and what the report's counterfactual
compares. The same scenario, seed and decisions give the same journal, so the
same outcome.

With an incident model (``incident.*`` records, docs/scenario-format.md):

- ``downtime_hours``: service-hours lost, summed over entities: each
  ``incident.*`` record with an ``entity`` carries its service ``loss``
  (0..1) from then on; integrated to the end of the run;
- ``entities_hit``: entities compromised (``incident.compromised``);
- ``ms_affected``: Member States with a hit entity;
- ``time_to_recovery``: minutes from the first hit until every hit entity has
  recovered; ``None`` if one has not by the end.

Without one (a scenario played from its injects alone) the same names are
read from the impact table: ``downtime_hours`` is the hours MS/sector cells
spent yellow or red, ``entities_hit`` the entities aware of a significant or
major incident, ``ms_affected`` the MS ever worse than white, and
``time_to_recovery`` from the first yellow/red cell until none is left.

Either way: ``peak_eccs`` (highest ECCS level), ``disinfo_peak`` (highest
disinformation reach, 0..1) and ``clocks_missed`` (``clock.missed`` records).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DISRUPTED = frozenset({"yellow", "red"})
"""Impact colours that count as disrupted service when there is no incident model."""

KEYS = ("downtime_hours", "entities_hit", "ms_affected", "peak_eccs", "time_to_recovery", "disinfo_peak", "clocks_missed")
"""The measures, in the order tables show them."""

UNITS = {
    "downtime_hours": "hours, summed over entities or cells",
    "entities_hit": "entities",
    "ms_affected": "Member States",
    "peak_eccs": "ECCS level",
    "time_to_recovery": "minutes",
    "disinfo_peak": "reach, 0 to 1",
    "clocks_missed": "clocks",
}
"""What each measure's value counts, as :func:`outcome` returns it (and a sweep's runs.csv holds it)."""
IN_MINUTES = frozenset({"time_to_recovery"})
"""Measures counted in minutes: pages, tables and annexes write them as durations (``3d 4h``)."""
NO_VALUE = {"time_to_recovery": "never disrupted, or not recovered by the end"}
"""What a run without a value of a measure means, where it means something."""


def outcome(journal: Iterable) -> dict[str, Any]:
    """The outcome measures of one run (see the module docstring for each)."""
    records = list(journal)
    end = records[-1].t if records else 0
    peak_eccs, disinfo_peak, missed = 0, 0.0, 0
    modelled = False
    for r in records:
        if r.kind == "severity.changed":
            peak_eccs = max(peak_eccs, int(r.data["to"]))
        elif r.kind == "clock.missed":
            missed += 1
        elif r.kind == "state.changed" and "disinfo_reach" in r.data["changes"]:
            disinfo_peak = max(disinfo_peak, float(r.data["changes"]["disinfo_reach"][1]))
        elif r.kind == "incident.started":
            modelled = True
    measures = _entities(records, end) if modelled else _cells(records, end)
    return {
        "downtime_hours": measures[0],
        "entities_hit": measures[1],
        "ms_affected": measures[2],
        "peak_eccs": peak_eccs,
        "time_to_recovery": measures[3],
        "disinfo_peak": round(disinfo_peak, 4),
        "clocks_missed": missed,
    }


def _entities(records: list, end: int) -> tuple[float, int, int, int | None]:
    loss: dict[str, tuple[int, float]] = {}
    lost = 0.0
    hit: set[str] = set()
    ms: set[str] = set()
    recovered: set[str] = set()
    first: int | None = None
    last_recovery = 0
    for r in records:
        if not r.kind.startswith("incident.") or "entity" not in r.data or "loss" not in r.data:
            continue
        entity = r.data["entity"]
        since, value = loss.get(entity, (r.t, 0.0))
        lost += value * (r.t - since)
        loss[entity] = (r.t, float(r.data["loss"]))
        if r.kind == "incident.compromised":
            hit.add(entity)
            ms.add(r.data["ms"])
            recovered.discard(entity)
            first = r.t if first is None else first
        elif r.kind == "incident.recovered":
            recovered.add(entity)
            last_recovery = max(last_recovery, r.t)
    lost += sum(value * (end - since) for since, value in loss.values())
    ttr = last_recovery - first if first is not None and hit and hit <= recovered else None
    return round(lost / 60, 2), len(hit), len(ms), ttr


def _cells(records: list, end: int) -> tuple[float, int, int, int | None]:
    affected: set[str] = set()
    entities: set[str] = set()
    since: dict[str, int] = {}
    downtime = 0
    first: int | None = None
    recovered_at: int | None = None
    for r in records:
        if r.kind != "state.changed":
            continue
        for name, change in r.data["changes"].items():
            if name.startswith("impact."):
                cell, new = name[len("impact."):], change[1]
                if new != "white":
                    affected.add(cell.split("/", 1)[0])
                if new in DISRUPTED and cell not in since:
                    since[cell] = r.t
                    first = r.t if first is None else first
                    recovered_at = None
                elif new not in DISRUPTED and cell in since:
                    downtime += r.t - since.pop(cell)
                    if not since:
                        recovered_at = r.t
            elif name in ("significant", "major"):
                entities.update(change[1])
    downtime += sum(end - t for t in since.values())
    ttr = recovered_at - first if first is not None and not since and recovered_at is not None else None
    return round(downtime / 60, 2), len(entities), len(affected), ttr
