"""The first record of every run: the scenario's overview, as readers need it without the scenario file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scenario.plan import Plan

DECIDE_ON = ("knowledge", "truth")
"""What decisions read: the deciding team's picture (the default), or the world (an evaluator's comparison)."""
DEFAULT_DECIDE_ON = "knowledge"


def decide_on_of(started: Mapping[str, Any]) -> str:
    """The mode a journal was played in, from its ``exercise.started`` body.

    Journals written before deciding on knowledge became the default have no
    ``decide_on`` field and were played on the world, so absence reads as
    ``truth``; every new journal played on knowledge records the field.
    """
    return str(started.get("decide_on", "truth"))


def briefing(plan: Plan, seed: int, decide_on: str = DEFAULT_DECIDE_ON) -> dict[str, Any]:
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
        **({"decide_on": decide_on} if decide_on != "truth" else {}),  # absent reads as truth: see decide_on_of
    }
