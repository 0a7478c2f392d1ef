"""Regulatory clocks at work: awareness starts them, reports stop them.

A part of :class:`simulator.engine.exercise.Exercise`. Simulated entities file their
reports after the delays of domain.md §10.2 (or late, or never, as the
scenario says); played entities file through decision D01.
"""

from __future__ import annotations

from dataclasses import replace

from simulator.engine.clocks import AUTO_FILING_HOURS, AWARENESS_STARTS, RULES, Clock
from simulator.engine.core import Core
from simulator.engine.transport import Transport
from simulator.scenario.model import Delay, Effects, Inject


class Filing:
    """Regulatory clocks and filed reports for one exercise; notes of early reports go out by ``transport``."""

    def __init__(self, core: Core, transport: Transport):
        self.core = core
        self.plan = core.plan
        self.transport = transport
        self.clocks: dict[str, Clock] = {}
        self._filed: dict[tuple[str, str], int] = {}
        self._aware_since: dict[str, int] = {}
        """When each entity first became aware of an incident (it reported something, or it was hit)."""

    def seen(self, entity: str) -> None:
        """``entity`` knows of an incident from now on (first time only): DORA's 24 h from awareness run from here."""
        actor = self.plan.network.actors.get(entity)
        if actor is not None and actor.kind in ("entity", "union_entity"):
            self._aware_since.setdefault(entity, self.core.now)

    def aware(self, entity: str, regime: str) -> None:
        self.seen(entity)
        actor = self.plan.network.actors[entity]
        reports = AWARENESS_STARTS if regime == "NIS2" else ("dora_initial",)
        for report in reports:
            self.start_clock(report, entity)
        if entity not in self.plan.team_of_actor and actor.reporting != "never":
            for report in reports:
                self.core.start(self._auto_file(entity, report))

    def start_clock(self, report: str, owner: str) -> Clock | None:
        rule = RULES[report]
        ident = f"{report}:{owner}"
        if ident in self.clocks:
            return None
        actor = self.plan.network.actors.get(owner)
        regime = "2023/2841" if actor is not None and (actor.union_entity or actor.kind == "union_entity") and rule.regime == "NIS2" else rule.regime
        if regime != rule.regime:  # Union entities report to CERT-EU under Regulation 2023/2841, same clocks
            rule = replace(rule, regime=regime, label=rule.label.replace(rule.regime, regime),
                           basis="Regulation (EU) 2023/2841")
        deadline = self.core.now + rule.minutes
        if report == "dora_initial" and owner in self._aware_since:
            # DORA: 4 h from classification as major, and no later than 24 h from awareness (RTS 2025/301 Art. 5)
            deadline = max(self.core.now, min(deadline, self._aware_since[owner] + 24 * 60))
        clock = Clock(ident, rule, owner, self.core.now, deadline)
        self.clocks[ident] = clock
        self.core.record("clock.started", {"clock": ident, "report": report, "regime": regime, "owner": owner,
                                       "label": rule.label, "basis": rule.basis, "deadline": clock.deadline})
        if (owner, report) in self._filed:  # filed before awareness was certain (domain.md §4.3): met at once
            clock.status, clock.ended = "met", self.core.now
            self.core.record("clock.met", {"clock": ident, "report": report, "owner": owner, "margin": rule.minutes,
                                       "label": rule.label, "filed_before": self._filed[(owner, report)]})
            return clock
        self.core.start(self._clock_deadline(clock))
        return clock

    def _clock_deadline(self, clock: Clock):
        """Missed once the deadline's minute has passed without a filing.

        Time is whole minutes, so a report filed in the deadline's own minute
        (by a simulated entity, a script or a team at the keyboard) is in
        time, whatever order that minute's events happen in: the miss is
        recorded at the minute after.
        """
        yield self.core.timeout(clock.deadline + 1 - self.core.now)
        self._miss(clock)

    def _miss(self, clock: Clock) -> None:
        if clock.status == "running":
            clock.status, clock.ended = "missed", self.core.now
            self.core.record("clock.missed", {"clock": clock.id, "report": clock.rule.report, "owner": clock.owner,
                                          "deadline": clock.deadline, "label": clock.rule.label})

    def _auto_file(self, entity: str, report: str):
        low, mode, high = AUTO_FILING_HOURS[report]
        factor = 1.5 if self.plan.network.actors[entity].reporting == "late" else 1.0
        minutes = self.core.rng.minutes(f"filing:{entity}:{report}", Delay(min=low, mode=mode, max=high), factor)
        yield self.core.timeout(minutes)
        self.file_report(entity, report, cause="simulated entity")

    def file_report(self, entity: str, report: str, cause: str) -> None:
        """An entity files a report: its clock is met (or was missed), the next starts."""
        if (entity, report) in self._filed:
            return
        self._filed[(entity, report)] = self.core.now
        clock = self.clocks.get(f"{report}:{entity}")
        if clock is not None and self.core.now > clock.deadline:
            self._miss(clock)  # filed after the deadline's minute, before its miss was played: late all the same
        late = clock is not None and clock.status == "missed"
        self.core.record("report.filed", {"owner": entity, "report": report, "cause": cause, "late": late})
        if clock is not None and clock.status == "running":
            clock.status, clock.ended = "met", self.core.now
            self.core.record("clock.met", {"clock": clock.id, "report": report, "owner": entity,
                                       "margin": clock.deadline - self.core.now, "label": clock.rule.label})
        nxt = RULES[report].then
        if nxt is not None:
            self.start_clock(nxt, entity)
            if entity not in self.plan.team_of_actor and self.plan.network.actors[entity].reporting != "never":
                self.core.start(self._auto_file(entity, nxt))
        actor = self.plan.network.actors.get(entity)
        if actor is not None and actor.ms and report.startswith(("early", "dora_initial")):
            csirt = f"CSIRT-{actor.ms}" if not actor.union_entity else "CERT-EU"
            if csirt in self.plan.network.actors:
                note = Inject.model_construct(
                    id=f"report:{report}:{entity}", title=f"{RULES[report].label} from {actor.name}",
                    from_=entity, to=[csirt], channel=None, tlp="TLP:AMBER",
                    body=f"{actor.name} files its {RULES[report].label}.", template=None,
                    effects=Effects(), expects=[], objectives=[], held=False,
                )
                self.transport.send(note, csirt)
