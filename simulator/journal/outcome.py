"""The outcome measures of one run, computed from its journal alone.

``outcome(journal)`` is what ``replay --json`` prints under ``"outcome"`` and
what a sweep writes as the columns of ``runs.csv``: the sweep takes its columns
from the keys this function returns, so a richer incident model only has to
change this file.

Today's journal has no entity-level service model yet, so the measures are
read from the records that exist (docs/engine.md, "Journal records"):

- ``downtime_hours``: hours that Member State/sector impact cells spent at
  yellow or red (disrupted service), summed over cells, up to the end of the
  run, from the ``impact.MS/sector`` changes of ``state.changed``;
- ``entities_hit``: entities aware of a significant incident (NIS2) or
  classifying a major one (DORA): the ``significant``/``major`` sets;
- ``ms_affected``: Member States whose impact was ever worse than white;
- ``peak_eccs``: the highest ECCS level reached (``severity.changed``);
- ``time_to_recovery``: minutes from the first cell turning yellow or red
  until no cell is yellow or red any more; ``None`` when never disrupted, or
  still disrupted at the end;
- ``disinfo_peak``: the highest disinformation reach (0..1);
- ``clocks_missed``: legal clocks that ran out (``clock.missed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DISRUPTED = frozenset({"yellow", "red"})
"""Impact colours that count as disrupted service."""


def outcome(journal: Iterable) -> dict[str, Any]:
    """The outcome measures of one run (see the module docstring for each)."""
    colours: dict[str, str] = {}
    affected_ms: set[str] = set()
    entities: set[str] = set()
    disrupted_since: dict[str, int] = {}
    downtime = 0
    first_disrupted: int | None = None
    recovered_at: int | None = None
    peak_eccs = 0
    disinfo_peak = 0.0
    missed = 0
    end = 0
    for r in journal:
        kind = r.kind
        end = r.t
        if kind == "state.changed":
            for name, change in r.data["changes"].items():
                if name.startswith("impact."):
                    cell = name[len("impact."):]
                    new = change[1]
                    colours[cell] = new
                    if new != "white":
                        affected_ms.add(cell.split("/", 1)[0])
                    if new in DISRUPTED and cell not in disrupted_since:
                        disrupted_since[cell] = r.t
                        if first_disrupted is None:
                            first_disrupted = r.t
                        recovered_at = None
                    elif new not in DISRUPTED and cell in disrupted_since:
                        downtime += r.t - disrupted_since.pop(cell)
                        if not disrupted_since:
                            recovered_at = r.t
                elif name in ("significant", "major"):
                    entities.update(change[1])
                elif name == "disinfo_reach":
                    disinfo_peak = max(disinfo_peak, float(change[1]))
        elif kind == "severity.changed":
            peak_eccs = max(peak_eccs, int(r.data["to"]))
        elif kind == "clock.missed":
            missed += 1
    downtime += sum(end - since for since in disrupted_since.values())
    ttr = None
    if first_disrupted is not None and not disrupted_since and recovered_at is not None:
        ttr = recovered_at - first_disrupted
    return {
        "downtime_hours": round(downtime / 60, 2),
        "entities_hit": len(entities),
        "ms_affected": len(affected_ms),
        "peak_eccs": peak_eccs,
        "time_to_recovery": ttr,
        "disinfo_peak": round(disinfo_peak, 4),
        "clocks_missed": missed,
    }
