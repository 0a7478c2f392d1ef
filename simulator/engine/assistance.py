"""Assistance as a finite resource: responder pools with teams, onboarding, travel and a stay.

The EU Cybersecurity Reserve's trusted providers (D09, answered by the
Commission first), PESCO Cyber Rapid Response Teams (D10), help under
Art. 42(7) TEU (D16) and CSIRTs Network peers (D05) are pools of a few teams
each. A request waits for a free team; when several Member States wait, the
Cyber Solidarity Act's criteria decide (Regulation 2025/38 Art. 14(4): the
severity of the incident, essential entities concerned, cross-border
effect; domain.md §1.6): the worst-hit MS first, then the one with more
essential entities down, then the earlier request. A request that waits
longer than the pool's ``max_wait`` is refused. A team on site adds national
capacity and cuts the remaining recovery of that MS's hit entities by its
``speedup``; help that arrives late has less left to cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from simulator.engine.incident_port import IncidentPort
from simulator.scenario.model import DEFAULT_RESPONDERS, Responder


@dataclass
class Request:
    n: int
    pool: str
    ms: str
    cause: str
    t: int
    status: str = "waiting"  # waiting, assigned, refused


class Assistance:
    """The responder pools of one exercise and the requests made to them."""

    def __init__(self, run: IncidentPort, responders: list[Responder]):
        self.run = run
        self.core = run.core
        self.pools: dict[str, Responder] = {}
        for r in (responders or DEFAULT_RESPONDERS):
            self.pools.setdefault(r.kind, r)
        self.free = {kind: r.teams for kind, r in self.pools.items()}
        self.waiting: list[Request] = []
        self.on_site: dict[str, list[Responder]] = {}
        self._n = 0

    def added(self, ms: str) -> int:
        return sum(r.adds for r in self.on_site.get(ms, []))

    def factor(self, ms: str) -> float:
        f = 1.0
        for r in self.on_site.get(ms, []):
            f *= 1 - r.speedup
        return f

    def request(self, kind: str, ms: str, cause: str) -> None:
        pool = self.pools.get(kind)
        self._n += 1
        req = Request(self._n, kind, ms, cause, self.core.now)
        if pool is None:
            self.core.record("assistance.refused", {"request": req.n, "pool": kind, "ms": ms, "cause": cause,
                                                    "reason": f"no {kind} responders in this scenario"})
            return
        self.core.record("assistance.requested", {"request": req.n, "pool": pool.id, "responder": kind, "ms": ms, "cause": cause,
                                                  "free_teams": self.free[kind], "waiting": len(self._queue(kind))})
        self.waiting.append(req)
        self.core.later(pool.max_wait, lambda: self._expire(req))
        self._serve(kind)

    def _queue(self, kind: str) -> list[Request]:
        return [r for r in self.waiting if r.pool == kind and r.status == "waiting"]

    def _serve(self, kind: str) -> None:
        pool = self.pools[kind]
        while self.free[kind] > 0:
            queue = self._queue(kind)
            if not queue:
                return
            ranked = sorted(queue, key=lambda r: (tuple(-x for x in self.run.ms_rank(r.ms)), r.t, r.n))
            req = ranked[0]
            req.status = "assigned"
            self.free[kind] -= 1
            colour, essential = self.run.ms_rank(req.ms)
            rng = f"assistance:{kind}:{req.n}"
            delay = self.core.rng.minutes(rng, pool.onboarding) + self.core.rng.minutes(rng, pool.travel)
            self.core.record("assistance.assigned", {
                "request": req.n, "pool": pool.id, "ms": req.ms, "arrives_in": delay,
                "priority": {"colour": ("white", "green", "yellow", "red")[colour], "essential_down": essential,
                             "waited": self.core.now - req.t, "others_waiting": len(queue) - 1},
            })
            self.core.later(delay, partial(self._arrive, req))

    def _arrive(self, req: Request) -> None:
        if self.run.ex.ended:
            return
        pool = self.pools[req.pool]
        self.on_site.setdefault(req.ms, []).append(pool)
        n = self.run.speed_up(req.ms, pool.speedup, cause=pool.id) if self.run.model else 0
        self.core.record("assistance.arrived", {"request": req.n, "pool": pool.id, "ms": req.ms, "adds": pool.adds,
                                                "entities_helped": n, "waited": self.core.now - req.t})
        self.run.capacity_changed(req.ms, f"{pool.id} on site in {req.ms}")
        self.core.later(pool.stay, lambda: self._leave(req))

    def _leave(self, req: Request) -> None:
        if self.run.ex.ended:
            return
        pool = self.pools[req.pool]
        self.on_site[req.ms].remove(pool)
        self.free[req.pool] += 1
        self.core.record("assistance.released", {"request": req.n, "pool": pool.id, "ms": req.ms})
        self.run.capacity_changed(req.ms, f"{pool.id} left {req.ms}")
        self._serve(req.pool)

    def _expire(self, req: Request) -> None:
        if req.status == "waiting" and not self.run.ex.ended:
            req.status = "refused"
            self.core.record("assistance.refused", {"request": req.n, "pool": self.pools[req.pool].id, "ms": req.ms,
                                                    "cause": req.cause, "reason": "no team free within the pool's maximum wait"})
