"""The incident's spread: exposed entities hit by a seeded hazard, an engine event only at a tick that hits.

Part of :class:`simulator.engine.incident.IncidentRun`. Each tick of
``spread.tick`` minutes an exposed entity is hit with chance
1 - exp(-hazard of that tick), the hazard growing with the rate, the
adversary's tempo, the protection of its MS and the active compromises there
(contagion). The spread is not an event every tick: each MS keeps a
:class:`Front` of its cumulative hazard, each exposed entity draws once what it
withstands, and the spread wakes at the first tick that hits one. Whatever
changes the hazard (a hit, a recovery, protection, the tempo, new exposure,
patches) makes it look again (:meth:`Spread.changed`); with no one exposed or
no hazard it sleeps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.engine.incident_port import SpreadPort

ACTIVE = ("compromised", "detected", "contained")
"""The phases of an entity that is hit and not yet recovered."""


@dataclass
class Front:
    """The spread in one MS: its cumulative hazard, and the exposed entities it will reach.

    Every exposed entity of a MS has the same hazard per tick, so one sum
    serves them all: ``cumulative(k)`` is the hazard a tick-k entity of the MS
    has been under since the spread began, linear in k while the hazard per
    tick stays (``base`` at tick ``at``, then ``per_tick`` a tick). An entity
    first seen exposed at cumulative hazard c draws once what it withstands,
    w = -ln(1 - u), and is hit on the first tick at which ``cumulative`` reaches
    c + w (``Entity.hit_by``): the chance of a hit on a tick is then
    1 - exp(-hazard of that tick), as the format says, whatever the hazard did
    before. The front is rebased only when its hazard per tick or its exposed
    entities change.
    """

    base: float = 0.0
    at: int = 0
    per_tick: float = 0.0
    exposed: tuple[Any, ...] = ()
    next: int | None = None
    """The first tick that hits one of ``exposed``; None: none before the spread ends."""

    def cumulative(self, tick: int) -> float:
        return self.base + (tick - self.at) * self.per_tick


class Spread:
    """The spread of one incident model, started by :meth:`start` once the model is built."""

    def __init__(self, run: SpreadPort):
        self.run = run
        self.core = run.core
        self._grid = 0
        """Time of spread tick 0: tick n falls at ``_grid + n * spread.tick``."""
        self._grid_last = -1
        """The last tick before ``spread.until``."""
        self._tick = 0
        """Spread ticks played so far."""
        self._fronts: dict[str, Front] = {}
        self.due: int | None = None
        """When the next hit comes; None: the spread sleeps."""
        self._token = 0
        self._ready = False
        self._hitting = False

    def start(self) -> None:
        spread = self.run.model.spread  # type: ignore[union-attr]  # started only with a model
        until = spread.until if spread.until is not None else self.run.ex.duration
        self._grid = max(spread.start, self.core.now)
        self._grid_last = (until - self._grid) // spread.tick
        self._ready = True
        self._plan()

    def reseeded(self) -> None:
        """The streams were reseeded (a forecast's future): exposed entities draw again what they withstand.

        What an entity withstands is memoryless: from its front's cumulative hazard
        now, a fresh draw of the same law gives the future the same distribution.
        """
        if not self._ready:
            return
        for f in self._fronts.values():
            f.exposed = ()  # rebase every front (at its cumulative hazard now) at the next look
        for e in self.run.entities.values():
            if e.phase == "exposed":
                e.hit_by = None
        self.due = None
        self._token += 1
        self.changed()

    def changed(self) -> None:
        """Something the hazard reads changed (a hit, a recovery, protection, tempo, exposure): look again.

        The ticks before now had the hazards worked out before the change; a
        change at the same minute as a tick comes before that tick.
        """
        if not self._ready or self._hitting:
            return  # before the model is built, or inside a tick, which looks again when it is done
        tick = self.run.model.spread.tick  # type: ignore[union-attr]
        last = min((self.core.now - self._grid - 1) // tick, self._grid_last)
        if last > self._tick:
            self._tick = last
        if self._tick < self._grid_last:
            self._plan()

    def _plan(self) -> None:
        """Rebase each MS's front whose hazard or exposure changed and wake at the first tick that hits.

        No exposed entity, no hazard, or no hit before ``until``: the spread
        sleeps until something changes.
        """
        run, k = self.run, self._tick
        spread = run.model.spread  # type: ignore[union-attr]
        rate, contagion, dt = spread.rate, spread.contagion, spread.tick / 60
        exposed = {ms: group for ms, group in run.exposed.items() if group}
        tempo, limit = run.tempo, self._grid_last - k
        fronts, first = self._fronts, None
        for ms in fronts.keys() - exposed.keys():
            fronts[ms].exposed, fronts[ms].next = (), None
        for ms, group in exposed.items():
            f = fronts.get(ms) or fronts.setdefault(ms, Front(at=k))
            per_tick = (rate * tempo * run.factor(ms) * (1 + contagion * run.load(ms))) * dt
            if per_tick != f.per_tick or len(group) != len(f.exposed) or any(a is not b for a, b in zip(group, f.exposed)):
                f.base, f.at, f.per_tick, f.exposed = f.cumulative(k), k, per_tick, tuple(group)
                for e in group:
                    if e.hit_by is None:
                        e.hit_by = f.base - math.log1p(-self.core.rng(f"incident:spread:{e.id}").random())
                f.next = None
                if per_tick > 0 and limit > 0:
                    ticks = min(_ticks_to(f.base, per_tick, e.hit_by, limit) for e in group if e.hit_by is not None)
                    f.next = k + ticks if ticks <= limit else None
            if f.next is not None and (first is None or f.next < first):
                first = f.next
        if first is None:
            self.due = None
            self._token += 1
            return
        due = self._grid + first * spread.tick
        if due == self.due:
            return  # a wake-up is already on its way for that time
        self.due = due
        self._token += 1
        self.core.later(due - self.core.now, self._hit, self._token, first)

    def _hit(self, token: int, tick: int) -> None:
        """The tick that hits: every exposed entity its MS's cumulative hazard has reached, in entity order.

        The hits are decided on the hazard this tick had before any of them is applied: what one
        causes (a tempo change, contagion) counts from the next tick.
        """
        if token != self._token or self.run.ex.ended:
            return
        hits = []
        for f in self._fronts.values():
            if f.next == tick:
                reached = f.cumulative(tick)
                hits += [e for e in f.exposed if e.phase == "exposed" and e.hit_by is not None and reached >= e.hit_by]
        self._tick, self.due = tick, None
        self._hitting = True
        try:
            for e in sorted(hits, key=lambda e: e.rank):
                self.run.compromise(e, "spread")
        finally:
            self._hitting = False
        self._plan()


def _ticks_to(hazard: float, per_tick: float, withstands: float, limit: int) -> int:
    """Ticks until ``hazard`` grown by ``per_tick`` a tick reaches ``withstands``: at least 1; ``limit + 1`` if not within ``limit``.

    Worked out by the very expression the tick adds (``hazard + n * per_tick``),
    so the tick it names is the tick that hits.
    """
    need = (withstands - hazard) / per_tick
    if need > limit:
        return limit + 1
    n = max(1, math.ceil(need))
    while hazard + n * per_tick < withstands:
        n += 1
    while n > 1 and hazard + (n - 1) * per_tick >= withstands:
        n -= 1
    return n
