"""Regulatory clocks as the report shows them: started, deadline, met or missed.

Built from clock.started / clock.met / clock.missed / clock.pending and
report.filed records. A clock is attributed to the inject whose state change
started it (the state.changed record just before it), so objectives tested by
that inject can be rated on it.
"""

from __future__ import annotations

from typing import Any

from simulator.report.view import ReportView


def assemble(view: ReportView) -> list[dict[str, Any]]:
    """Every clock of the run, in start order, filtered to the view's team if any."""
    clocks: dict[str, dict[str, Any]] = {}
    cause = None
    for r in view.journal:
        if r.kind == "state.changed":
            cause = r.get("cause")
            continue
        if r.kind != "clock.started":
            cause = None  # only a clock started by the same state change is attributed to it
        if r.kind == "clock.started":
            owner = r["owner"]
            clocks[r["clock"]] = {
                "clock": r["clock"], "label": r.get("label", r["clock"]), "report": r.get("report"),
                "regime": r.get("regime", ""), "basis": r.get("basis", ""), "owner": owner,
                "owner_name": view.actors.get(owner).name, "ms": view.actors.ms(owner),
                "started": view.when(r.t), "started_t": r.t, "deadline": view.when(r["deadline"]),
                "deadline_t": r["deadline"], "status": "running", "ended": None, "ended_t": None,
                "filed": None, "filed_t": None, "margin": None, "margin_text": "", "cause": cause,
                "teams": _teams_for(view, owner),
                "played_by": view.team_of_actor.get(owner),  # None: a simulated entity, answerable to no team
            }
        elif r.kind in ("clock.met", "clock.missed", "clock.pending"):
            c = clocks.get(r["clock"])
            if c is None:
                continue
            c["status"] = r.kind.split(".")[1]
            if r.kind == "clock.met":
                c["ended"], c["ended_t"] = view.when(r.t), r.t
                c["filed"], c["filed_t"] = view.when(r.t), r.t
                c["margin"] = r.get("margin", c["deadline_t"] - r.t)
                c["margin_text"] = view.duration(c["margin"]) + " to spare"
            elif r.kind == "clock.missed":
                c["ended"], c["ended_t"] = view.when(r.t), r.t
        elif r.kind == "report.filed" and r.get("late"):
            c = clocks.get(f"{r['report']}:{r['owner']}")
            if c is not None:
                c["filed"], c["filed_t"] = view.when(r.t), r.t
                c["margin"] = c["deadline_t"] - r.t
                c["margin_text"] = view.duration(-c["margin"]) + " late"
    out = []
    for c in clocks.values():
        if c["status"] == "running":  # a session not (yet) ended: the clock is open, neither met nor missed
            c["status"] = "pending"
        c["outcome"] = {"met": "met", "missed": "filed late" if c["filed"] else "missed"}.get(c["status"], "still running")
        if c["status"] == "missed" and c["filed"] is None:
            c["margin_text"] = "not filed by the end"
        if c["status"] == "pending":
            at = "at the end" if view.finished else f"when the journal stops ({view.when(view.end_t)['time']})"
            c["margin_text"] = f"{view.duration(c['deadline_t'] - view.end_t)} left {at}"
        if view.team is None or view.team in c["teams"]:
            out.append(c)
    return out


def _teams_for(view: ReportView, owner: str) -> list[str]:
    """Teams answerable for an owner's clock: the team playing it, else teams of its Member State."""
    team = view.team_of_actor.get(owner)
    if team:
        return [team]
    ms = view.actors.ms(owner)
    if not ms:
        return []
    out = []
    for t in view.teams.values():
        if t.get("facilitator"):
            continue
        if any(view.actors.ms(a) == ms for a in t.get("plays", [])):
            out.append(t["id"])
    return out
