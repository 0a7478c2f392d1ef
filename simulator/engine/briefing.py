"""The first record of every run: the scenario's overview, as readers need it without the scenario file."""

from __future__ import annotations

from typing import Any

from simulator.scenario.plan import Plan


def briefing(plan: Plan, seed: int, decide_on: str = "truth") -> dict[str, Any]:
    """The body of ``exercise.started``: scenario, seed, teams, objectives and points, and the content hash."""
    s = plan.scenario
    return {
        "scenario": s.id, "title": s.title, "summary": s.summary, "description": s.description, "exercise_kind": s.kind,
        "seed": seed, "start": s.start, "duration": s.duration,
        "content_hash": plan.content_hash, "tlp": s.tlp,
        "member_states": s.member_states, "sectors": s.sectors,
        "teams": [{"id": t.id, "name": t.name, "plays": t.plays, "facilitator": t.facilitator,
                   "organisation": t.organisation, "contact": t.contact} for t in s.teams],
        "objectives": [{"id": o.id, "title": o.title, "description": o.description, "capability": o.capability}
                       for o in s.objectives],
        "points": [{"id": d.id, "team": d.team, "prompt": d.prompt, "objectives": d.objectives}
                   for d in s.decision_points],
        **({"decide_on": decide_on} if decide_on != "truth" else {}),  # absent: journals stay as they were
    }
