"""The scenario's timeline: when injects go out and decision points open.

An inject or point is due at its time (``at:``), a delay after another inject
(``after:``), or once its condition holds (``when:``); a facilitator may hold,
release or fire an inject, and a decision or option may fire or cancel one. A
point chained to an inject its team receives opens after that team has read it.
:class:`Timeline` keeps each inject's status and the open and closed points, and
is a part of :class:`~simulator.engine.exercise.Exercise`, which journals the
inputs and exposes the operations the decision desk and clients use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from simulator.engine.core import Core
from simulator.scenario.conditions import Context, parse
from simulator.scenario.model import TLP_ORDER, Effects, Inject
from simulator.scenario.plan import Plan


class TimelinePort(Protocol):
    """What the timeline needs from its exercise (imported here, never the exercise: no import cycle)."""

    plan: Plan
    core: Core
    transport: Any
    """Sends a released inject to each recipient (``send(inject, recipient)``)."""
    filing: Any
    """Learns that an inject's sender is aware of its incident (``seen(actor)``)."""
    desk: Any
    """Applies a point's default at its deadline (``apply_default(point)``); counts its ``changes``."""
    state: Any
    """The world state (its ``version()``)."""
    severity: Any
    """The ECCS as computed (its ``level``)."""

    def record(self, kind: str, data: dict[str, Any]) -> Any: ...

    def context(self, params: dict | None = None) -> Context: ...

    def apply_effects(self, effects: Effects, cause: str) -> None: ...

SETTLED = ("released", "cancelled")
"""Statuses after which nothing releases an inject again."""


class Timeline:
    """The injects' statuses and the decision points of one exercise."""

    def __init__(self, exercise: TimelinePort):
        self.ex = exercise
        self.plan = exercise.plan
        self.core = exercise.core
        self.status: dict[str, str] = {}
        """Inject -> scheduled, dormant (no timing of its own), held, released or cancelled."""
        self.open: dict[str, dict[str, Any]] = {}
        """Open decision point -> its team, when it opened and its deadline."""
        self._closed: set[str] = set()
        self._due_held: set[str] = set()
        self._waiting_when: list[str] = []
        self._chained: set[str] = set()
        self._point_listeners: list[Callable[[str], None]] = []
        self._checked: tuple[int, int, int, int] | None = None
        """What the ``when:`` conditions could read when they were last all checked (see :meth:`recheck_conditions`)."""

    def schedule(self) -> None:
        """Set every inject's status and put the timed injects and points on the clock."""
        s, now, wait_then = self.plan.scenario, self.core.now, self.core.wait_then
        for inj in s.injects:
            if inj.held:
                self.status[inj.id] = "held"
            if inj.at is not None:
                self.status.setdefault(inj.id, "scheduled")
                wait_then(inj.at - now, self.due, inj.id)
            elif inj.after is not None:
                self.status.setdefault(inj.id, "scheduled")
            elif inj.when is not None:
                self.status.setdefault(inj.id, "scheduled")
                self._waiting_when.append(inj.id)
            else:
                self.status.setdefault(inj.id, "dormant")
        for dp in s.decision_points:
            if dp.at is not None:
                wait_then(dp.at - now, self.due, dp.id)
            elif dp.when is not None:
                self._waiting_when.append(dp.id)

    def due(self, ident: str) -> None:
        """An inject's or point's time has come."""
        if ident in self.plan.points:
            self._open_point(ident)
            return
        status = self.status.get(ident)
        if status == "held":
            self._due_held.add(ident)
            self.ex.record("inject.held", {"inject": ident, "reason": "held by the facilitator at its time"})
        elif status == "scheduled":
            self.release(self.plan.injects[ident], cause="timeline")

    def recheck_conditions(self) -> None:
        """Release injects and open points whose ``when:`` condition now holds.

        A condition reads the world context: the state, the ECCS, what the desk has
        taken and which injects were delivered. When none of these has changed
        since every waiting condition was last checked, none can hold now that did
        not hold then, and nothing is checked (the engine asks after every state
        change and every delivery: most deliveries change nothing a condition reads).
        """
        if not self._waiting_when:
            return
        ex = self.ex
        stamp = (ex.state.version(), ex.severity.level, ex.desk.changes, len(ex.transport.delivered))
        if stamp == self._checked:
            return
        self._checked = stamp
        ctx = ex.context()
        for ident in list(self._waiting_when):
            if ident not in self._waiting_when:
                continue  # released by a nested check: an inject due above changed the state
            item = self.plan.injects.get(ident) or self.plan.points[ident]
            if parse(item.when).holds(ctx):
                self._waiting_when.remove(ident)
                self.due(ident)

    # ---------------------------------------------------------- injects
    def release(self, inj: Inject, cause: str) -> None:
        """Send an inject to its recipients now; apply its effects; start what follows it."""
        ex = self.ex
        self.status[inj.id] = "released"
        recipients = self.plan.recipients(inj.to)  # one list per distinct 'to', shared by the records that name it
        ex.record("inject.released", {
            "inject": inj.id, "title": inj.title, "from": inj.from_, "to": recipients, "tlp": inj.tlp,
            "channel": inj.channel, "cause": cause, "template": inj.template,
            "objectives": inj.objectives,
            "expects": [e.model_dump(exclude_defaults=True) for e in inj.expects] if inj.expects else [],
        })
        ex.filing.seen(inj.from_)  # an entity that reports an incident is aware of it (DORA's 24 h)
        for r in recipients:
            ex.transport.send(inj, r)
        if not inj.effects.is_empty():
            ex.apply_effects(inj.effects, cause=inj.id)
        for follower in self.plan.followers.get(inj.id, ()):
            if self._waits_for_delivery(follower, recipients):
                continue
            item = self.plan.injects.get(follower) or self.plan.points[follower]
            assert item.after is not None  # a follower is chained by its 'after'
            self.core.wait_then(item.after.delay, self.due, follower)

    def fire(self, inject: str) -> None:
        """A facilitator fires an inject now, whatever its timing (an already settled one is ignored)."""
        status = self.status.get(inject)
        if status in SETTLED:
            self.ex.record("facilitator.ignored", {"inject": inject, "reason": f"inject already {status}"})
            return
        self.release(self.plan.injects[inject], cause="facilitator")

    def hold(self, inject: str) -> None:
        """Keep an inject back when its time comes."""
        if self.status.get(inject) in ("scheduled", "dormant"):
            self.status[inject] = "held"

    def unhold(self, inject: str) -> None:
        """Undo a hold; an inject whose time has passed goes out now."""
        if self.status.get(inject) != "held":
            return
        if inject in self._due_held:
            self._due_held.discard(inject)
            self.release(self.plan.injects[inject], cause="facilitator")
        else:
            self.status[inject] = "scheduled"

    def cancel(self, inject: str, cause: str) -> None:
        """An option cancels an inject not yet out."""
        if self.status.get(inject) in ("scheduled", "held", "dormant"):
            self.status[inject] = "cancelled"
            if inject in self._waiting_when:
                self._waiting_when.remove(inject)
            self.ex.record("inject.cancelled", {"inject": inject, "cause": cause})

    def fire_from(self, inject: str, cause: str, tlp: str | None = None) -> None:
        """Release an inject because a decision or option fired it (a facilitator's hold still holds)."""
        status = self.status.get(inject)
        if status == "held":
            if inject not in self._due_held:
                self._due_held.add(inject)
                self.ex.record("inject.held", {"inject": inject, "reason": f"held by the facilitator when {cause} fired it"})
        elif status not in SETTLED:
            inj = self.plan.injects[inject]
            if tlp in TLP_ORDER and TLP_ORDER.index(tlp) > TLP_ORDER.index(inj.tlp):
                inj = inj.model_copy(update={"tlp": tlp})
            self.release(inj, cause=cause)

    def _waits_for_delivery(self, follower: str, recipients: list[str]) -> bool:
        """A decision point chained to an inject its team receives opens after that team has read it."""
        dp = self.plan.points.get(follower)
        return dp is not None and any(dp.team in self.plan.teams_for(r) for r in recipients)

    def delivered(self, inj: Inject, teams: list[str]) -> None:
        """``inj`` reached ``teams``: points chained to it open for the teams that read it."""
        for follower in self.plan.followers.get(inj.id, ()):
            dp = self.plan.points.get(follower)
            if dp is not None and dp.after is not None and dp.team in teams and follower not in self._chained:
                self._chained.add(follower)
                self.core.wait_then(dp.after.delay, self.due, follower)

    # ---------------------------------------------------------- decision points
    def at_point_open(self, fn: Callable[[str], None]) -> None:
        """Call fn(point_id) at the same instant whenever a decision point opens."""
        self._point_listeners.append(fn)

    def _open_point(self, ident: str) -> None:
        if ident in self.open or ident in self._closed:
            return
        now = self.core.now
        dp = self.plan.points[ident]
        assert dp.deadline is not None or dp.within is not None  # the format requires one of them
        deadline = dp.deadline if dp.deadline is not None else now + (dp.within or 0)
        deadline = max(deadline, now)
        self.open[ident] = {"team": dp.team, "opened": now, "deadline": deadline}
        self.ex.record("decision_point.opened", {
            "point": ident, "team": dp.team, "prompt": dp.prompt, "deadline": deadline, "default": dp.default,
            "options": [{"id": o.id, "label": o.label, "decision": o.decision} for o in dp.options],
            "tlp": self.plan.point_tlp(dp),
        })
        self.core.wait_then(deadline - now, self._deadline_passed, ident)
        for fn in self._point_listeners:
            fn(ident)

    def _deadline_passed(self, ident: str) -> None:
        if ident in self.open:
            self.ex.desk.apply_default(ident)

    def close_point(self, ident: str, option: str, how: str, team: str, rationale: str) -> None:
        """A point is answered (``how``: decided or default)."""
        info = self.open.pop(ident)
        self._closed.add(ident)
        self.ex.record("decision_point.closed", {
            "point": ident, "option": option, "how": how, "team": team, "rationale": rationale,
            "latency": self.core.now - info["opened"],
        })
