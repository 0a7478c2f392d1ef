"""The public sphere the long way, for tests: a process that wakes every hour and applies every step.

:class:`simulator.engine.public.PublicSphereRun` works the hours out ahead and
wakes only at an hour whose step moves the world; this reference is the
hourly model as it reads (engine events every hour, every step applied,
trust at 0 or not). :func:`course` is a journal as two ways of playing it
can be compared, record for record: without what the number of engine events
changes (``step``, ``steps``), and each minute's records in a fixed order.
"""

from __future__ import annotations

from simulator.engine import public
from simulator.journal.journal import canonical
from simulator.scenario.model import Effects


class HourlySphere(public.PublicSphereRun):
    def noticed(self) -> None:
        if not self._started and self.ex.state.disinfo_reach > 0:
            self._started = True
            self.core.start(self._every_hour())

    def _catch_up(self) -> None:
        """Nothing to catch up: every hour is played at its time."""

    def _look_ahead(self) -> None:
        """Nothing to work out ahead: every hour is played at its time."""

    def _every_hour(self):
        s, ex, dt = self.spec, self.ex, public.TICK / 60
        acc = dict.fromkeys(public.NAMES, 0.0)
        while not ex.ended:
            yield self.core.timeout(public.TICK)
            now = self.core.now
            if ex.ended or now > ex.duration:
                return
            r = ex.state.disinfo_reach
            growth = s.growth * self.multiplier * (1 + s.noise * (2 * self._draw() - 1))
            acc["disinfo_reach"] += (growth * r * (1 - r) - s.decay * r) * dt
            acc["public_trust"] += (-s.trust_loss * r + (s.trust_recovery if self.coordinated else 0.0)) * dt
            if now <= self.contradicted_until:
                acc["cohesion"] -= s.cohesion_loss * dt
            change = {}
            for name, value in acc.items():
                if abs(value) >= s.step:
                    change[name] = round(value, 2)
                    acc[name] = value - change[name]
            if change:
                ex.apply_effects(Effects(**change), cause="public sphere")


def course(journal) -> list[tuple[int, str, str]]:
    """The journal without engine-event counts, each minute's records in a fixed order."""
    return sorted((r.t, r.kind, canonical({k: v for k, v in r.data.items() if k not in ("step", "steps")}))
                  for r in journal)
