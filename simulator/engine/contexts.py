"""What conditions read: the world for the facilitator and the evaluators, a team's picture for its decisions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from simulator.engine.knowledge import Fact, Picture, picture_context
from simulator.scenario.conditions import Context


class ContextSource(Protocol):
    """What the contexts read from an exercise (an :class:`~simulator.engine.exercise.Exercise`)."""

    state: Any
    severity: Any
    desk: Any
    transport: Any
    plan: Any
    knowledge: Any
    decide_on: str


class Contexts:
    """Builds condition contexts for one exercise, keeping the world's until the state or ECCS changes."""

    def __init__(self, exercise: ContextSource):
        self.ex = exercise
        self._key: tuple[int, int] | None = None
        self._variables: dict[str, Any] = {}
        self._plain: Context | None = None
        self._for_control: dict[tuple[str, str | None], tuple[str, tuple[str, ...]] | None] = {}
        """(control team, decision) -> the name and actors of the simulated deciders it reads for, or None."""
        self._pictured: dict[str, tuple[Mapping[str, Fact], Context]] = {}
        """Picture's ``who`` -> (its facts, their context without params): kept while the facts are the same."""

    def world(self, params: dict | None = None) -> Context:
        # The variables only change when the state or the severity does; the engine, the desk
        # and the doctrine ask after every record (a tenth of a short replay, cProfile), so the
        # variables and the whole context (with params, a copy that has them) are kept until then.
        # Nothing writes to a context's variables; the callbacks (taken, delivered, impact) stay live.
        ex = self.ex
        key = (ex.state.version(), ex.severity.level)
        if key != self._key:
            self._key = key
            self._variables = ex.state.variables()
            self._variables["eccs"] = ex.severity.level
            self._plain = None
        if self._plain is not None:
            return self._plain if params is None else self._plain.with_params(params)
        ctx = Context(
            self._variables,
            taken=ex.desk.taken,
            delivered=lambda i: i in ex.transport.delivered,
            impact=lambda ms: ex.state.ms_colours().get(ms, "white"),
            flags=ex.state.flags,
        )
        self._plain = ctx
        return ctx if params is None else ctx.with_params(params)

    def picture_for(self, team: str, decision: str | None = None) -> Picture | None:
        """The picture ``team``'s ``decision`` reads, or None when it reads the world.

        A played team reads its own picture. Exercise control taking a decision for
        actors nobody plays reads what reached those actors (their union): a simulated
        CyCLONe activates its executives once the escalation has reached it, not when
        the world crosses ECCS 4. Control acting as itself, and every decision of a run
        that decides on truth, read the world.
        """
        ex = self.ex
        t = ex.plan.teams.get(team)
        if t is None or ex.decide_on == "truth":
            return None
        if not t.facilitator:
            return ex.knowledge.team(team)
        key = (team, decision)
        if key not in self._for_control:  # the plan never changes: worked out once per decision
            d = ex.plan.catalogue.get(decision) if decision is not None else None
            actors = ex.plan.simulated_deciders(d) if d is not None and ex.plan.may_take(team, d) else ()
            # no actors: control as itself (or refused for who it is, not for what it knows)
            self._for_control[key] = (_simulated(team, actors, d.by), actors) if d is not None and actors else None
        found = self._for_control[key]
        return None if found is None else ex.knowledge.simulated(*found)

    def for_team(self, team: str, params: dict | None = None, decision: str | None = None) -> Context:
        """What ``team``'s ``decision`` reads: :meth:`picture_for` as a condition context, or the world."""
        return self.of(self.picture_for(team, decision), params)

    def of(self, picture: Picture | None, params: dict | None = None) -> Context:
        """The condition context of ``picture`` (None: the world's).

        A picture's context is kept until its facts change (with params, a copy
        that has them): the doctrine and the desk read every team's after every
        record that may let it act, and Knowledge hands out the same facts until
        one of the team's actors learns something. Nothing writes to a context's
        variables; the callbacks (taken, delivered) stay live, the rest is the
        facts'.
        """
        if picture is None:
            return self.world(params)
        kept = self._pictured.get(picture.who)
        if kept is None or kept[0] is not picture.facts:
            ex = self.ex
            ctx = picture_context(picture, taken=ex.desk.taken, delivered=lambda i: i in ex.transport.delivered)
            kept = self._pictured[picture.who] = (picture.facts, ctx)
        return kept[1] if params is None else kept[1].with_params(params)


def _simulated(team: str, actors: tuple[str, ...], kinds) -> str:
    """How a simulated decider is named in a refusal: ``excon for the simulated CYCLONE``."""
    if len(actors) <= 3:
        return f"{team} for the simulated {', '.join(actors)}"
    return f"{team} for the simulated {'/'.join(sorted(kinds))} actors ({len(actors)})"
