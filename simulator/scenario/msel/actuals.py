"""Actual times of MSEL rows from a session's records, as controllers note them beside the plan.

The records come in as plain objects with ``kind``, ``t`` and ``get`` (a
journal's records); this module reads the record kinds by name and never
imports the journal or the engine, so the MSEL room stays at scenario level.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.scenario.msel.export import Actual
from simulator.timefmt import format_time


def actuals_from_records(records: Iterable) -> dict[str, Actual]:
    """Row id -> when it was released (or opened) and what became of it, in record order.

    Injects the facilitator wrote during the session come with their fields, so
    the export can give them rows of their own.
    """
    out: dict[str, Actual] = {}
    adhoc: dict[str, dict] = {}
    for r in records:
        kind = r.kind
        if kind == "facilitator.injected":
            spec = r.get("inject") or {}
            if isinstance(spec.get("id"), str):
                adhoc[spec["id"]] = spec
        elif kind == "inject.released":
            cause = r.get("cause") or ""
            how = "" if cause == "timeline" else f" ({cause})"
            ident = r.get("inject")
            out[ident] = Actual(r.t, f"released{how}", adhoc.get(ident))
        elif kind == "inject.cancelled":
            out[r.get("inject")] = Actual(None, f"cancelled at {format_time(r.t)} ({r.get('cause')})")
        elif kind == "inject.held":
            ident = r.get("inject")
            if ident not in out or out[ident].time is None:
                out[ident] = Actual(None, f"held since {format_time(r.t)}")
        elif kind == "facilitator.held":
            ident = r.get("inject")
            if ident not in out:
                out[ident] = Actual(None, "held by the facilitator")
        elif kind == "facilitator.released":
            ident = r.get("inject")
            if ident in out and out[ident].time is None and out[ident].status.startswith("held"):
                del out[ident]
        elif kind == "decision_point.opened":
            out[r.get("point")] = Actual(r.t, "open")
        elif kind == "decision_point.closed":
            ident = r.get("point")
            opened = out[ident].time if ident in out else None
            out[ident] = Actual(opened, f"closed at {format_time(r.t)}: {r.get('option')} ({r.get('how')})")
        elif kind == "decision_point.unresolved":
            ident = r.get("point")
            out[ident] = Actual(out[ident].time if ident in out else None, "unresolved at the end")
    return out
