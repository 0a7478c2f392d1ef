"""The public sphere of an exercise: disinformation reach, public trust, EU cohesion.

Disinformation reach grows logistically once it exists (falsehood spreads
faster than corrections: Vosoughi, Roy and Aral, Science 2018; domain.md
§10.8), decays slowly on its own, and pulls public trust down. Coordinated
communication (D14) slows the growth and lets trust recover; a national line
that contradicts others while no coordinated line exists speeds it up and
costs trust and cohesion. The dynamics read the world state's current values
(injects and decisions move them too) and journal their own changes in steps
of ``step``, with the cause ``public sphere``.

The model is hourly: every hour (``TICK``) from the first disinformation the
three values drift by the rates above, reach's growth times a seeded noise,
and a value whose accumulated drift reaches ``step`` moves by it. Most hours
move nothing (drift below ``step``, or trust already at 0), so the hours are
not engine events: the sphere works them out ahead, in one go, from the
values and lines in force, and wakes only at the hour whose step moves the
world. What can change the course wakes it too: a change of reach, trust or
cohesion from outside (an inject, a decision, the adversary: ``noticed``) and
a communication or contradiction line (``consequence``). Either first plays
the hours before it with what they saw, then works out the rest again. The
end of a contradiction window needs no wake-up: each hour worked out ahead
knows whether it falls inside it.

The noise stays per hour: hour *n* of the sphere has the *n*-th draw of the
``incident:public`` stream, whether it was worked out once or again after a
change, so the course is the hourly one, draw for draw. A change at the
same minute as an hour comes before that hour.
"""

from __future__ import annotations

from simulator.engine.incident_port import IncidentPort
from simulator.scenario.model import Consequence, Effects, PublicSphere

TICK = 60
CONTRADICTION_HOURS = 72
"""How long contradictory national lines keep eroding cohesion."""
NAMES = ("disinfo_reach", "public_trust", "cohesion")
"""The values the sphere moves, in the order it steps them."""


class PublicSphereRun:
    """Runs once disinformation appears; until then it costs nothing and records nothing."""

    def __init__(self, run: IncidentPort, spec: PublicSphere | None):
        self.run = run
        self.core = run.core
        self.ex = run.ex
        self.spec = spec or PublicSphere()
        self.multiplier = 1.0
        self.coordinated = False
        self.contradicted_until = -1
        self._started = False
        self._origin = 0
        """Time of hour 0: hour n falls at ``_origin + n * TICK``."""
        self._last = -1
        """The last hour that falls inside the exercise."""
        self._hour = 0
        """Hours played so far; ``_acc`` and ``_values`` are as they stand after it."""
        self._acc = [0.0, 0.0, 0.0]
        self._values = (0.0, 0.0, 0.0)
        """Reach, trust and cohesion as the hours after ``_hour`` see them (until something changes them)."""
        self._noise: list[float] = []
        """Draws already taken for hours ``_hour + 1`` on, in order."""
        self._draw = self.core.rng("incident:public").random
        self._next: tuple[int, list[float], dict[str, float]] | None = None
        """The next hour that moves the world, with the accumulators after it and its change."""
        self._due: int | None = None
        self._token = 0

    # ------------------------------------------------------------ what wakes it
    def noticed(self) -> None:
        """Reach, trust or cohesion changed from outside: start the first time reach is above zero, else look again."""
        st = self.ex.state
        if not self._started:
            if st.disinfo_reach <= 0:
                return
            self._started = True
            self._origin = self.core.now
            self._last = (self.ex.duration - self._origin) // TICK
        else:
            self._catch_up()
        self._values = (st.disinfo_reach, st.public_trust, st.cohesion)
        self._look_ahead()

    def reseeded(self) -> None:
        """The stream was reseeded (a forecast's future): the hours to come get fresh noise."""
        if not self._started:
            return
        self._catch_up()  # the hours before now keep the noise they had
        self._noise.clear()
        self._due = None
        self._look_ahead()

    def consequence(self, decision: str, c: Consequence) -> None:
        if self._started:
            self._catch_up()  # the hours before this line ran with the old one
        old = self.multiplier
        if c.kind == "communication":
            self.coordinated = True
            self.multiplier = round(self.multiplier * c.factor, 4)
            trust = c.trust
        else:  # contradiction: only a line that departs from no coordinated one contradicts
            if self.coordinated:
                self.run.core.record("public.line", {"decision": decision, "effect": "aligned",
                                                     "why": "a coordinated line is in effect: the national line follows it"})
                return
            self.multiplier = round(self.multiplier * c.factor, 4)
            self.contradicted_until = self.run.core.now + CONTRADICTION_HOURS * 60
            trust = c.trust
        self.run.core.record("public.line", {"decision": decision, "effect": c.kind, "growth": [old, self.multiplier],
                                             "why": c.rationale})
        if trust:
            self.ex.apply_effects(Effects(public_trust=trust), cause=decision)
        if self._started:
            st = self.ex.state
            self._values = (st.disinfo_reach, st.public_trust, st.cohesion)
            self._look_ahead()

    # ------------------------------------------------------------ the hours
    def _catch_up(self) -> None:
        """Play the hours before now that are not played yet, with the values and lines they saw."""
        last = min((self.core.now - self._origin - 1) // TICK, self._last)
        if last > self._hour:
            hour, acc, change = self._hours(last)
            assert change is None  # the hour that moves comes first, at its time: it has been played
            self._commit(hour, acc)

    def _look_ahead(self) -> None:
        """Work out the next hour that moves the world and wake then; none before the end: sleep."""
        hour, acc, change = self._hours(self._last)
        if change is None:
            self._next, self._due = None, None
            self._token += 1
            return
        self._next = (hour, acc, change)
        due = self._origin + hour * TICK
        if due == self._due:
            return  # a wake-up is already on its way for that time
        self._due = due
        self._token += 1
        token = self._token
        self.core.later(due - self.core.now, lambda: self._wake(token))

    def _wake(self, token: int) -> None:
        if token != self._token or self.ex.ended or self._next is None:
            return
        hour, acc, change = self._next
        self._commit(hour, acc)
        self._due = None
        self.ex.apply_effects(Effects(**change), cause="public sphere")
        st = self.ex.state
        self._values = (st.disinfo_reach, st.public_trust, st.cohesion)
        self._look_ahead()

    def _commit(self, hour: int, acc: list[float]) -> None:
        del self._noise[: hour - self._hour]
        self._hour, self._acc = hour, acc

    def _hours(self, stop: int) -> tuple[int, list[float], dict[str, float] | None]:
        """Play hours ``_hour + 1`` .. ``stop`` on copies, with the values and lines in force.

        Returns the first hour whose steps move the world, the accumulators
        after it and its change; or ``stop``, the accumulators after it and
        None. A step that moves nothing (trust already at 0) is dropped, as
        the hourly model drops it. The arithmetic is the hourly model's,
        expression for expression.
        """
        s = self.spec
        r, trust, cohesion = self._values
        reach_acc, trust_acc, cohesion_acc = self._acc
        dt = TICK / 60
        growth0 = s.growth * self.multiplier
        amplitude, step_min = s.noise, s.step
        one_minus, decay_r = 1 - r, s.decay * r
        trust_drift = (-s.trust_loss * r + (s.trust_recovery if self.coordinated else 0.0)) * dt
        cohesion_drift = s.cohesion_loss * dt
        contradicted = (self.contradicted_until - self._origin) // TICK  # the last hour inside the window
        noise, draw = self._noise, self._draw
        hour, i = self._hour, 0
        while hour < stop:
            hour += 1
            if i == len(noise):
                noise.append(draw())
            growth = growth0 * (1 + amplitude * (2 * noise[i] - 1))
            i += 1
            reach_acc += (growth * r * one_minus - decay_r) * dt
            trust_acc += trust_drift
            if hour <= contradicted:
                cohesion_acc -= cohesion_drift
            if abs(reach_acc) < step_min and abs(trust_acc) < step_min and abs(cohesion_acc) < step_min:
                continue
            # Steps are taken out of the accumulators whether or not they move the world, as the hourly model does.
            reach_step = trust_step = cohesion_step = None
            if abs(reach_acc) >= step_min:
                reach_step = round(reach_acc, 2)
                reach_acc -= reach_step
            if abs(trust_acc) >= step_min:
                trust_step = round(trust_acc, 2)
                trust_acc -= trust_step
            if abs(cohesion_acc) >= step_min:
                cohesion_step = round(cohesion_acc, 2)
                cohesion_acc -= cohesion_step
            if ((reach_step is not None and _shifts(r, reach_step)) or (trust_step is not None and _shifts(trust, trust_step))
                    or (cohesion_step is not None and _shifts(cohesion, cohesion_step))):
                change = {name: step for name, step in zip(NAMES, (reach_step, trust_step, cohesion_step)) if step is not None}
                return hour, [reach_acc, trust_acc, cohesion_acc], change
        return hour, [reach_acc, trust_acc, cohesion_acc], None


def _shifts(value: float, delta: float) -> bool:
    """Whether ``delta`` moves ``value`` as ``WorldState.shifted`` has it (clamped to 0..1, rounded to 4 places).

    A delta outside -1..1 counts as moving, so Effects still refuses it.
    """
    return not -1 <= delta <= 1 or (delta != 0 and round(min(1.0, max(0.0, value + delta)), 4) != value)
