"""The public sphere of an exercise: disinformation reach, public trust, EU cohesion.

Disinformation reach grows logistically once it exists (falsehood spreads
faster than corrections: Vosoughi, Roy and Aral, Science 2018; domain.md
§10.8), decays slowly on its own, and pulls public trust down. Coordinated
communication (D14) slows the growth and lets trust recover; a national line
that contradicts others while no coordinated line exists speeds it up and
costs trust and cohesion. The process reads the world state's current values
(injects and decisions move them too) and journals its own changes in steps
of ``step``, with the cause ``public sphere``.
"""

from __future__ import annotations

from simulator.engine.incident_port import IncidentPort
from simulator.scenario.model import Consequence, Effects, PublicSphere

TICK = 60
CONTRADICTION_HOURS = 72
"""How long contradictory national lines keep eroding cohesion."""


class PublicSphereRun:
    """Runs once disinformation appears; until then it costs nothing and records nothing."""

    def __init__(self, run: IncidentPort, spec: PublicSphere | None):
        self.run = run
        self.ex = run.ex
        self.spec = spec or PublicSphere()
        self.multiplier = 1.0
        self.coordinated = False
        self.contradicted_until = -1
        self._started = False
        self._acc = {"disinfo_reach": 0.0, "public_trust": 0.0, "cohesion": 0.0}

    def noticed(self) -> None:
        """Disinformation reach changed: start the dynamics the first time it is above zero."""
        if not self._started and self.ex.state.disinfo_reach > 0:
            self._started = True
            self.run.core.start(self._process())

    def consequence(self, decision: str, c: Consequence) -> None:
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

    def _process(self):
        s = self.spec
        draw = self.run.core.rng("incident:public").random
        env = self.run.core.env
        ex = self.ex
        duration = ex.duration
        acc = self._acc
        dt = TICK / 60
        # Every hour for the whole exercise (2,900 ticks in vital-signs, most of its engine events):
        # the names above and the spec's numbers are looked up once, not on every tick.
        amplitude, growth0, decay, step_min = s.noise, s.growth, s.decay, s.step
        trust_loss, trust_recovery, cohesion_loss = s.trust_loss, s.trust_recovery, s.cohesion_loss
        while not ex.ended:
            yield env.timeout(TICK)
            now = int(env.now)
            if ex.ended or now > duration:
                return
            st = ex.state
            r = st.disinfo_reach
            noise = 1 + amplitude * (2 * draw() - 1)
            growth = growth0 * self.multiplier * noise
            acc["disinfo_reach"] += (growth * r * (1 - r) - decay * r) * dt
            acc["public_trust"] += (-trust_loss * r + (trust_recovery if self.coordinated else 0.0)) * dt
            if now <= self.contradicted_until:
                acc["cohesion"] -= cohesion_loss * dt
            change = {}
            for name, value in acc.items():
                if abs(value) >= step_min:
                    step = round(value, 2)
                    change[name] = step
                    acc[name] = value - step
            if change and _moves(st, change):
                ex.apply_effects(Effects(**change), cause="public sphere")


def _moves(state, change: dict[str, float]) -> bool:
    """Whether these deltas change the world; one that does not (trust already at 0) would record nothing.

    Most hourly steps of a long exercise push a value already at its bound, and
    applying them built an Effects model and walked the state for nothing. A
    delta outside -1..1 counts as moving, so Effects still refuses it.
    """
    return any(not -1 <= delta <= 1 or (delta and state.shifted(name, delta) != getattr(state, name))
               for name, delta in change.items())
