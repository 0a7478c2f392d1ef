"""What conditions read: the world for the facilitator and the evaluators, a team's picture for its decisions."""

from __future__ import annotations

from typing import Any, Protocol

from simulator.engine.knowledge import picture_context
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

    def world(self, params: dict | None = None) -> Context:
        # The variables only change when the state or the severity does; the engine, the desk
        # and the doctrine ask after every record (a tenth of a short replay, cProfile), so the
        # variables (and, without params, the whole context) are kept until then. Nothing
        # writes to a context's variables; the callbacks (taken, delivered, impact) stay live.
        ex = self.ex
        key = (ex.state.version(), ex.severity.level)
        if key != self._key:
            self._key = key
            self._variables = ex.state.variables()
            self._variables["eccs"] = ex.severity.level
            self._plain = None
        if params is None and self._plain is not None:
            return self._plain
        ctx = Context(
            self._variables,
            taken=ex.desk.taken,
            delivered=lambda i: i in ex.transport.delivered,
            impact=lambda ms: ex.state.ms_colours().get(ms, "white"),
            flags=ex.state.flags,
            params=params,
        )
        if params is None:
            self._plain = ctx
        return ctx

    def for_team(self, team: str, params: dict | None = None) -> Context:
        """``team``'s picture, unless the team is exercise control or the run decides on truth."""
        ex = self.ex
        t = ex.plan.teams.get(team)
        if t is None or t.facilitator or ex.decide_on == "truth":
            return self.world(params)
        return picture_context(ex.knowledge.team(team), taken=ex.desk.taken,
                               delivered=lambda i: i in ex.transport.delivered, params=params)
