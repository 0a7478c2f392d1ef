"""Seats and what each may see: the host filters every record before it leaves.

A seat is one team (role ``team``: it plays the team's actors), the
facilitator (exercise control: sees everything, runs the clock) or the
evaluator (sees everything, writes observations). :meth:`SeatFilter.view` is
the one place that decides what of a journal record a seat receives; a
record it returns None for never reaches the seat's socket.

For a team seat the rule is: deliveries addressed to an actor the team plays,
and allowed by TLP (TLP:RED only to an actor the inject names itself, never
through an "everyone" expansion); its own decision points and decisions; the
NIS2/DORA clocks its actors own; the start and end of the exercise, without
the world state. What a team knows of the incident reaches it as its own
situational picture (:mod:`simulator.engine.knowledge`, folded from what was
delivered to the actors it plays): a record that changes the team's picture
carries it under ``picture``, or comes as a ``picture.updated`` frame when
the record itself is not the team's to see. Ground truth never leaves the host
for a team seat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.engine.knowledge import Knowledge
from simulator.host.protocol import EVALUATOR, FACILITATOR
from simulator.journal.journal import Record
from simulator.scenario.crossref import EVERYONE
from simulator.scenario.plan import Plan

MEDIA_KINDS = frozenset({"media"})
"""Actor kinds whose messages are the public sphere: shown in a team's media feed."""

_TEAM_KINDS = frozenset({
    "decision.submitted", "decision.accepted", "decision.refused", "decision.effective", "decision.downgraded",
    "decision.failed", "decision.lapsed", "tlp.breach",
})
_POINT_KINDS = frozenset({"decision_point.opened", "decision_point.closed", "decision_point.unresolved"})
_CLOCK_KINDS = frozenset({"clock.started", "clock.met", "clock.missed", "clock.pending"})


@dataclass(frozen=True)
class Seat:
    """One seat of a served session."""

    name: str
    """What a client names in its hello: a team id, 'facilitator' or 'evaluator'."""
    role: str
    team: str | None
    """The team it decides for (the facilitator's team for exercise control)."""
    plays: frozenset[str]
    label: str

    @property
    def sees_all(self) -> bool:
        return self.role in (FACILITATOR, EVALUATOR)


def seats_of(plan: Plan) -> dict[str, Seat]:
    """Every seat of the scenario: one per playing team, then facilitator and evaluator."""
    seats: dict[str, Seat] = {}
    control = plan.facilitator()
    for team in plan.scenario.teams:
        if team.facilitator:
            continue
        if team.id in (FACILITATOR, EVALUATOR):
            from simulator.errors import InputError
            raise InputError(f"team id {team.id!r} is reserved for a role seat when the session is served; rename the team")
        seats[team.id] = Seat(team.id, "team", team.id, frozenset(team.plays), team.name)
    seats[FACILITATOR] = Seat(FACILITATOR, FACILITATOR, control.id if control else None,
                              frozenset(control.plays) if control else frozenset(), "exercise control")
    seats[EVALUATOR] = Seat(EVALUATOR, EVALUATOR, None, frozenset(), "evaluators")
    return seats


class SeatFilter:
    """Decides, record by record, what each seat receives. Feed it every record in order."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self._named: dict[str, frozenset[str]] = {
            i.id: frozenset(r for r in i.to if r != EVERYONE) for i in plan.scenario.injects}
        self._point_team = {d.id: d.team for d in plan.scenario.decision_points}
        self._media = frozenset(a for a, actor in plan.network.actors.items() if actor.kind in MEDIA_KINDS)
        self._adhoc = 0
        self._knowledge = Knowledge(plan=plan)
        self._teams = [t.id for t in plan.scenario.teams if not t.facilitator]
        self._last_picture: dict[str, tuple] = {}
        self._pictures: dict[tuple[str, int], dict[str, Any]] = {}
        """(team, seq) -> the team's picture right after that record, where the record changed it."""

    def learn(self, record: Record) -> None:
        """Note what later records need (ad-hoc injects' named recipients, each team's picture)."""
        self._knowledge.feed(record)
        for team in self._teams:
            picture = self._knowledge.team(team)
            signature = tuple(sorted((name, repr(f.value), f.learned, f.source) for name, f in picture.facts.items()))
            if signature != self._last_picture.get(team, ()):
                self._last_picture[team] = signature
                self._pictures[(team, record.seq)] = picture.as_json()
        if record.kind == "facilitator.injected":
            spec = record.get("inject") or {}
            self._adhoc += 1  # the engine numbers accepted ad-hoc injects the same way
            ident = f"ADHOC-{self._adhoc}"
            self._named[ident] = frozenset(r for r in spec.get("to", []) if r != EVERYONE)

    def view(self, seat: Seat, record: Record) -> dict[str, Any] | None:
        """What of ``record`` the seat receives (a JSON-ready dict), or None: the one filtering seam.

        The same record gives the same frame at any later call (a seat that
        catches up gets what it would have got live): pictures are kept per
        record as :meth:`learn` folded them.
        """
        out = self._view(seat, record)
        if seat.sees_all or seat.team is None:
            return out
        picture = self._pictures.get((seat.team, record.seq))
        if picture is None:
            return out
        if out is None:
            return {"kind": "picture.updated", "seq": record.seq, "t": record.t, "picture": picture}
        return {**out, "picture": picture}

    def _view(self, seat: Seat, record: Record) -> dict[str, Any] | None:
        if seat.sees_all:
            return record.as_dict()
        kind = record.kind
        if kind == "inject.delivered":
            return self._delivery(seat, record)
        if kind in _POINT_KINDS:
            team = record.get("team") or self._point_team.get(record.get("point"))
            return record.as_dict() if team == seat.team else None
        if kind in _TEAM_KINDS:
            return record.as_dict() if record.get("team") == seat.team else None
        if kind in _CLOCK_KINDS:
            return record.as_dict() if record.get("owner") in seat.plays else None
        if kind == "exercise.started":
            return self._briefing(seat, record)
        if kind == "exercise.ended":
            return {"kind": kind, "seq": record.seq, "t": record.t}
        return None  # the world state is the evaluators' truth: a team learns it through its picture

    def tlp_allows(self, seat: Seat, record: Record) -> bool:
        """TLP:RED goes to recipients the inject names, never through 'everyone'; other labels follow the addressing."""
        if record.get("tlp") != "TLP:RED":
            return True
        return record.get("actor") in self._named.get(record.get("inject"), frozenset())

    def _delivery(self, seat: Seat, record: Record) -> dict[str, Any] | None:
        actor = record.get("actor")
        if actor not in seat.plays or not self.tlp_allows(seat, record):
            return None
        out = {"kind": record.kind, "seq": record.seq, "t": record.t, "tlp": record.get("tlp"), "to": actor,
               "from": record.get("from"), "inject": record.get("inject"), "title": record.get("title"),
               "body": record.get("body")}
        if record.get("from") in self._media:
            out["feed"] = "media"
        return out

    def _briefing(self, seat: Seat, record: Record) -> dict[str, Any]:
        keep = ("scenario", "title", "summary", "description", "exercise_kind", "start", "duration", "tlp",
                "member_states", "sectors")
        out = {k: record.get(k) for k in keep}
        out["teams"] = [{"id": t["id"], "name": t["name"], "facilitator": t.get("facilitator", False)}
                        for t in record.get("teams", [])]
        out["points"] = [p for p in record.get("points", []) if p.get("team") == seat.team]
        out.update(kind=record.kind, seq=record.seq, t=record.t)
        return out
