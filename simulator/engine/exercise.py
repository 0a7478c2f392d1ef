"""The exercise engine: a scenario played on a simpy clock into a journal.

:class:`Exercise` has SimPy's shape: ``now``, ``peek()``, ``step()`` and
``run(until=...)``. Inputs from outside (decisions, facilitator actions,
observations) enter through explicit methods and are journalled with the step
at which they arrived, so feeding the same inputs to a fresh engine with the
same seed reproduces the journal byte for byte. Time is whole minutes since
T+0; nothing here reads the wall clock or the global ``random``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from simulator.decisions.desk import DecisionDesk, Outcome
from simulator.engine import severity as sev
from simulator.engine.briefing import DECIDE_ON, DEFAULT_DECIDE_ON, briefing
from simulator.engine.clocks import Clock
from simulator.engine.contexts import Contexts
from simulator.engine.core import Core
from simulator.engine.filing import Filing
from simulator.engine.incident import IncidentRun
from simulator.engine.inputs import InputQueue, ScheduledInput, apply_recorded
from simulator.engine.knowledge import Knowledge, Picture, not_known
from simulator.engine.state import WorldState
from simulator.engine.timeline import Timeline
from simulator.engine.transport import Transport
from simulator.errors import InputError, SimulatorError
from simulator.journal.journal import Journal, Record
from simulator.scenario.conditions import Context
from simulator.scenario.crossref import EVERYONE, red_audience
from simulator.scenario.model import TLP_ORDER, Delay, Effects, Inject, Scenario
from simulator.scenario.plan import Plan
from simulator.timefmt import format_time

TECHNICAL_LEVELS = frozenset({"entity", "technical"})
"""Blueprint levels whose reports carry indicators (incident reports, CSIRT and ISAC alerts)."""


class DecisionSource(Protocol):
    """Anything that feeds decisions: a script, a policy, or people at the TUI."""

    def attach(self, exercise: Exercise) -> None: ...


class Exercise:
    """One run of a scenario. Build it, then drive it with ``step``/``run``.

    Composed of parts with their own state: :attr:`core` (clock, plan, seeded
    streams, journal), :attr:`transport` (channels and messages),
    :attr:`filing` (regulatory clocks and reports), :attr:`timeline`
    (injects, decision points, conditions) and :attr:`desk` (decisions). The
    exercise keeps the world state and its severity, and is the desk's
    :class:`~simulator.decisions.ports.ExercisePort`.
    """

    def __init__(
        self,
        scenario: Scenario | Plan,
        *,
        seed: int = 0,
        journal: Journal | None = None,
        sources: Iterable[DecisionSource] = (),
        inputs: Iterable[ScheduledInput] = (),
        decide_on: str = DEFAULT_DECIDE_ON,
    ):
        if decide_on not in DECIDE_ON:
            raise InputError(f"decide_on must be one of {', '.join(DECIDE_ON)}, not {decide_on!r}")
        self.decide_on = decide_on
        """``knowledge``: preconditions and policies read the deciding team's picture; ``truth``: the world."""
        self.plan = scenario if isinstance(scenario, Plan) else Plan.of(scenario)
        self.scenario = self.plan.scenario
        self.seed = int(seed)
        self.journal = journal if journal is not None else Journal()
        self.core = Core(self.plan, self.seed, self.journal)
        self.env = self.core.env
        self.rng = self.core.rng
        self.timeline = Timeline(self)
        self.transport = Transport(self.core, self._delivered_to)
        self.filing = Filing(self.core, self.transport)
        self.state = WorldState()
        self.severity = sev.compute(self.state)
        self.steps = 0
        self.ended = False
        self._source_labels: dict[str, str] = {}
        """Team -> the strictest TLP of the technical reports that reached it (what its indicators derive from)."""
        self._adhoc_seq = 0
        self._soon: list[Callable[[], None]] = []
        self._inputs = InputQueue()
        self.contexts = Contexts(self)
        self.desk = DecisionDesk(self)
        # what each actor knows, folded from the journal as it is written (nothing is journalled for it)
        self.knowledge = Knowledge(self.journal, plan=self.plan)
        self.journal.subscribe(self.knowledge.feed)
        for inp in inputs:
            self.schedule_input(inp)
        self._start()
        self.incident = IncidentRun(self)  # the living incident: engine/incident.py
        for source in sources:
            source.attach(self)

    # ================================================================ API
    def reseed(self, seed: int) -> None:
        """Draw everything still to be drawn from ``seed``: a forecast forks the session here.

        Every random stream is reseeded; the incident redraws what it had drawn ahead
        of now (the hazard exposed entities withstand, the public sphere's noise).
        What already happened, and what is already on its way (a message in flight,
        an entity's next phase), stays as drawn.
        """
        self.core.rng.reseed(seed)
        self.incident.reseeded()

    @property
    def now(self) -> int:
        """Minutes since T+0."""
        return int(self.env.now)

    @property
    def clocks(self) -> dict[str, Clock]:
        """Regulatory clocks started so far, by id."""
        return self.filing.clocks

    @property
    def duration(self) -> int:
        return self.scenario.duration

    def peek(self) -> float:
        """Time of the next event, or infinity."""
        return self.env.peek()

    def step(self) -> None:
        """Process the next event (after any input due at this step).

        A timed input (a script's ``at:`` entry) due before the next event is
        applied instead, exactly where :meth:`run` applies it; past the
        scenario's end the exercise ends, as it does under :meth:`run`.
        """
        self._drain()
        self._apply_stepped()
        nxt = self.env.peek()
        timed = self._inputs.pop_timed(nxt, self.duration, inclusive=True)
        if timed is not None:
            self._apply_at(timed)
            return
        if nxt > self.duration:
            self._advance(self.duration)
            self._finish()
            return
        self.env.step()
        self.steps += 1
        self._drain()

    def run(self, until: int | None = None) -> None:
        """Process events with time < ``until`` (or to the end) and move the clock there."""
        end = self.duration if until is None else min(int(until), self.duration + 1)
        inclusive = until is None
        env, inputs, soon = self.env, self._inputs, self._soon
        peek, step = env.peek, env.step  # the loop runs once per engine event: no attribute lookups in it
        self._drain()
        while not self.ended:
            if inputs:  # queued from outside: at its step, or at its time when that comes before the next event
                self._apply_stepped(before=end + 1 if inclusive else end)  # an input recorded later waits for a later call
                timed = inputs.pop_timed(peek(), end, inclusive)
                if timed is not None:
                    self._apply_at(timed)
                    self._drain()
                    continue
            nxt = peek()
            if nxt > end or (not inclusive and nxt >= end):
                break
            step()
            self.steps += 1
            if soon:
                self._drain()
        if until is None or until > self.duration:
            self._advance(self.duration)
            self._finish()
        elif until > self.env.now:
            self._advance(int(until))

    # ---------------------------------------------------------- inputs
    def submit(self, team: str, *, decision: str | None = None, point: str | None = None,
               option: str | None = None, rationale: str = "", params: dict | None = None) -> Outcome:
        """A team takes a decision, or answers a decision point, with a rationale."""
        payload: dict[str, Any] = {"team": team, "decision": decision, "point": point, "option": option,
                                   "rationale": rationale, "params": dict(sorted((params or {}).items()))}
        self._input("decision.submitted", payload)
        return self.desk.submit(**payload)

    def fire(self, inject: str) -> None:
        """Release an inject now, whatever its timing (facilitator)."""
        self._need_inject(inject)
        self._input("facilitator.fired", {"inject": inject})
        self.timeline.fire(inject)

    def hold(self, inject: str) -> None:
        """Keep an inject back when its time comes (facilitator)."""
        self._need_inject(inject)
        self._input("facilitator.held", {"inject": inject})
        self.timeline.hold(inject)

    def release(self, inject: str) -> None:
        """Undo a hold; an inject whose time has passed goes out now."""
        self._need_inject(inject)
        self._input("facilitator.released", {"inject": inject})
        self.timeline.unhold(inject)

    def add_inject(self, *, sender: str, to: list[str], title: str, body: str = "",
                   tlp: str = "TLP:AMBER", channel: str | None = None, recorded: bool = False) -> str:
        """Send an ad-hoc inject written during the session; returns its id.

        TLP:RED goes to named recipients only, as in a scenario file (no ``everyone``, no
        network-wide community): refused here, not only withheld from seats, so no record
        says a team received what it never saw. ``recorded``: applied again from a journal
        written before that rule, which must still replay as it was played.
        """
        ident = f"ADHOC-{self._adhoc_seq + 1}"  # taken only once accepted: a refused one leaves no trace to replay
        spec = {"id": ident, "from": sender, "to": list(to), "title": title, "body": body, "tlp": tlp, "channel": channel}
        try:
            inj = Inject.model_validate(spec)
        except Exception as e:  # pydantic ValidationError: a facilitator typo, not a bug
            raise InputError(f"ad-hoc inject not valid: {e}") from None
        for r in inj.to:  # before Plan.recipients, which keeps the answer for every 'to' it is asked
            if r != EVERYONE and r not in self.plan.network.actors:
                raise InputError(f"ad-hoc inject: unknown recipient {r!r}")
        if sender not in self.plan.network.actors:
            raise InputError(f"ad-hoc inject: unknown sender {sender!r}")
        problems = [] if recorded else red_audience(inj.tlp, inj.to, self.plan.network.actors)
        if problems:
            raise InputError(f"ad-hoc inject: {problems[0][1]}")
        self._input("facilitator.injected", {"inject": spec})
        self._adhoc_seq += 1
        self.timeline.release(inj, cause="facilitator")
        return ident

    def set_channel(self, channel: str, status: str) -> None:
        """Degrade, cut or restore a channel (facilitator)."""
        if channel not in self.plan.network.channels or status not in ("up", "degraded", "cut"):
            raise InputError(f"unknown channel {channel!r} or status {status!r}")
        self._input("facilitator.channel", {"channel": channel, "status": status})
        self.transport.set_channel(channel, status, cause="facilitator")

    def note(self, *, text: str, kind: str = "note", objective: str | None = None,
             team: str | None = None, rating: str | None = None, author: str = "evaluator") -> None:
        """An evaluator's observation: a strength, an area for improvement, or a rating."""
        if kind not in ("strength", "improvement", "note", "rating"):
            raise InputError(f"observation kind must be strength, improvement, note or rating, not {kind!r}")
        if rating is not None and rating not in ("P", "S", "M", "U"):
            raise InputError("rating must be P, S, M or U")
        # journalled as 'category': every record's own 'kind' is its record kind
        self._input("observation.noted", {"text": text, "category": kind, "objective": objective,
                                           "team": team, "rating": rating, "author": author})

    def apply_input(self, kind: str, payload: dict[str, Any]) -> Any:
        """Apply a recorded input again (replay, resume, scripts)."""
        try:
            return apply_recorded(self, kind, payload)
        except (TypeError, KeyError, AttributeError) as e:
            raise InputError(f"recorded input {kind} at {format_time(self.now)} does not fit: {e}") from None

    def schedule_input(self, inp: ScheduledInput) -> None:
        """Queue an input for this run: at its recorded step, or at its time."""
        self._inputs.add(inp)

    def soon(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the current engine step is complete.

        Decision sources act here, between events, not from simpy processes of
        their own: what they submit is then journalled at a step boundary and
        replays exactly from its recorded step, with or without the source.
        """
        self._soon.append(fn)

    def _drain(self) -> None:
        while self._soon and not self.ended:
            self._soon.pop(0)()

    def at_point_open(self, fn: Callable[[str], None]) -> None:
        """Call fn(point_id) at the same instant whenever a decision point opens."""
        self.timeline.at_point_open(fn)

    # ---------------------------------------------------------- reading
    def context(self, params: dict | None = None) -> Context:
        """What conditions read in the world (ECCS as computed, the world state)."""
        return self.contexts.world(params)

    def known_context(self, team: str, params: dict | None = None, decision: str | None = None) -> Context:
        """What ``team``'s ``decision`` reads: its own picture; exercise control acting for actors nobody
        plays reads theirs, and acting as itself the world (:meth:`Contexts.picture_for`)."""
        return self.contexts.for_team(team, params, decision)

    def known(self, team: str) -> Picture:
        """``team``'s situational picture now (the union of its actors' pictures)."""
        return self.knowledge.team(team)

    def not_known(self, team: str, reads: dict[str, Any], reason: str, decision: str | None = None) -> str:
        """Why a precondition true in the world fails for ``team``: what the picture it read holds instead."""
        picture = self.contexts.picture_for(team, decision) or self.knowledge.team(team)
        return not_known(picture.who, picture, reads, reason)

    def open_points(self) -> dict[str, dict[str, Any]]:
        """Open decision points: each one's team, when it opened and its deadline."""
        return dict(self.timeline.open)

    def source_label(self, team: str) -> str | None:
        """The strictest TLP of the entity and technical reports that reached ``team``, or None.

        Indicators a team shares derive from those reports, and a derived product keeps the
        most restrictive label of its sources (TLP 2.0, domain.md §8 rule 3).
        """
        return self._source_labels.get(team)

    def inject_status(self, inject: str) -> str:
        """scheduled, dormant, held, released, cancelled, or unknown."""
        return self.timeline.status.get(inject, "unknown")

    def queues(self) -> dict[str, int]:
        """Messages waiting per overloaded actor."""
        return self.transport.queues()

    def summary_line(self) -> str:
        return sev.summary(self.state, self.severity)

    # ------------------------------------------------- parts' interface
    # The decision desk's ExercisePort: public, small, and all it uses.
    def record(self, kind: str, data: dict[str, Any]) -> Record:
        """Append a record at the current time."""
        return self.core.record(kind, data)

    def start(self, process) -> None:
        """Run a generator as a simpy process of this exercise."""
        self.core.start(process)

    def timeout(self, minutes: float):
        """An event ``minutes`` from now, for processes to yield."""
        return self.core.timeout(minutes)

    def start_clock(self, report: str, owner: str) -> Clock | None:
        """Start a regulatory clock (once per report and owner)."""
        return self.filing.start_clock(report, owner)

    def file_report(self, entity: str, report: str, cause: str) -> None:
        """An entity files a report: its clock is met (or was missed), the next starts."""
        self.filing.file_report(entity, report, cause)

    # ================================================================ internals

    def _input(self, kind: str, payload: dict[str, Any]) -> None:
        if self.ended:
            raise InputError("the exercise has ended")
        self.record(kind, {**payload, "step": self.steps})

    def _need_inject(self, inject: str) -> None:
        if inject not in self.plan.injects:
            raise InputError(f"unknown inject {inject!r}")

    def _advance(self, t: int) -> None:
        """Move the clock to ``t`` across a gap with no event in it.

        Not ``env.run(until=t)``: simpy 4.1 leaves its stop event in the queue
        (rescheduled at ``t`` with no callbacks), and stepping over it would
        count as an engine step. Step numbers would then depend on how often a
        client called ``run(until=...)`` (the TUI does at 20 Hz), and inputs
        recorded at a step could not be replayed by a client that called it
        less often.
        """
        if t > self.env.now:
            if self.env.peek() < t:
                raise InputError(f"an input at {format_time(t)} is out of order: events before it are still pending "
                                 f"(next at {format_time(self.env.peek())}); was it recorded against another scenario or seed?")
            # simpy 4.1.2 has no public call that moves the clock across an empty
            # gap without an event of its own (see above); nothing is scheduled
            # before t (checked), so this is exactly what run(until) would do.
            self.env._now = t

    def _apply_stepped(self, before: float = math.inf) -> None:
        while (inp := self._inputs.pop_stepped(self.steps, before)) is not None:
            self._apply_at(inp)

    def _apply_at(self, inp: ScheduledInput) -> None:
        self._advance(inp.t)
        self.apply_input(inp.kind, inp.payload)

    def _start(self) -> None:
        s = self.scenario
        self.record("exercise.started", briefing(self.plan, self.seed, self.decide_on))
        if not s.initial.is_empty():
            self.apply_effects(s.initial, cause="initial")
        self.timeline.schedule()
        for inc in s.incidents:
            for change in inc.impact:
                self.core.wait_then(change.at - self.now, self._impact_change, inc.id, change)
        self.recheck_conditions()

    def _impact_change(self, incident: str, change) -> None:
        effects = Effects(impact={f"{change.ms}/{change.sector}": change.colour}, outlook=change.outlook)
        self.apply_effects(effects, cause=incident)

    # ---------------------------------------------------------- state
    def apply_effects(self, effects: Effects, cause: str) -> None:
        """Change the world state; start clocks, file reports and rescore severity as the change requires."""
        changes = self.state.apply(effects)
        if changes:
            self.record("state.changed", {"cause": cause, "changes": changes})
        for ch, status in sorted(effects.channels.items()):
            self.transport.set_channel(ch, status, cause=cause)
        for entity in effects.significant:
            if "significant" in changes and entity in changes["significant"][1] and entity not in changes["significant"][0]:
                self.filing.aware(entity, "NIS2")
        for entity in effects.major:
            if "major" in changes and entity in changes["major"][1] and entity not in changes["major"][0]:
                self.filing.aware(entity, "DORA")
        for entity, reports in sorted(effects.reported.items()):
            for report in reports:
                self.file_report(entity, report, cause=cause)
        if changes:
            self._rescore(cause, changes)
        if "art222" in changes and changes["art222"][1] is True and self.state.ipcr != "full":
            self._art222_ipcr(cause)

    def _art222_ipcr(self, cause: str) -> None:
        """Art. 222 invoked: IPCR goes to full activation within two hours, with no further decision.

        Implementing Decision 2018/1993 and Decision 2014/415/EU (domain.md §2.1, §6; §10.2: 0/0.5/2 h).
        """
        minutes = self.rng.minutes("art222:ipcr", Delay(min=0, mode=0.5, max=2))
        self.core.later(minutes, lambda: self.apply_effects(
            Effects(ipcr="full"), cause=f"Art. 222 invoked ({cause}): IPCR full activation"))

    def _rescore(self, cause: str, changes: dict[str, list] | None = None) -> None:
        # the severity is always that of the state before this change: what ECCS does not read keeps it
        new = sev.compute(self.state) if changes is None or sev.moved_by(changes) else self.severity
        if new.level != self.severity.level:
            old = self.severity
            self.severity = new
            self.record("severity.changed", {
                "from": old.level, "to": new.level, "name": new.name, "colour": new.colour,
                "reason": new.reason, "cause": cause, "summary": sev.summary(self.state, new),
            })
        else:
            if new.reason != self.severity.reason:
                self.record("severity.reassessed", {"level": new.level, "reason": new.reason, "cause": cause})
            self.severity = new
        self.recheck_conditions()

    def recheck_conditions(self) -> None:
        """Release injects and open points whose ``when:`` condition now holds."""
        self.timeline.recheck_conditions()

    # ---------------------------------------------------------- injects
    def _delivered_to(self, inj: Inject, teams: list[str]) -> None:
        """A message reached its recipient: points chained to it open for the teams that read it."""
        sender = self.plan.network.actors.get(inj.from_)
        if teams and sender is not None and sender.level in TECHNICAL_LEVELS:
            rank = TLP_ORDER.index(inj.tlp)
            for team in teams:
                held = self._source_labels.get(team)
                if held is None or rank > TLP_ORDER.index(held):
                    self._source_labels[team] = inj.tlp
        self.timeline.delivered(inj, teams)
        self.timeline.recheck_conditions()

    def cancel(self, inject: str, cause: str) -> None:
        """Cancel an inject not yet out (an option's ``cancels``)."""
        self.timeline.cancel(inject, cause)

    def fire_from(self, inject: str, cause: str, tlp: str | None = None) -> None:
        """Release an inject because a decision or option fired it (a facilitator's hold still holds).

        ``tlp``: the label the option shares at (a share-at-RED option posts at RED), when stricter than the inject's.
        """
        self.timeline.fire_from(inject, cause, tlp)

    # ---------------------------------------------------------- decision points
    def close_point(self, ident: str, option: str, how: str, team: str, rationale: str) -> None:
        """A point is answered (``how``: decided or default)."""
        self.timeline.close_point(ident, option, how, team, rationale)

    # ---------------------------------------------------------- end
    def _finish(self) -> None:
        if self.ended:
            return
        unapplied = self._inputs.unapplied
        if unapplied:
            first = unapplied[0]
            raise SimulatorError(  # a replay that never reached a recorded input diverged: say so, exit 1
                f"{len(unapplied)} recorded input(s) were never applied: the exercise ended at step "
                f"{self.steps}, before step {first.step} ({first.kind} at T+{first.t // 60:02d}:{first.t % 60:02d})")
        for ident, info in sorted(self.timeline.open.items()):
            self.record("decision_point.unresolved", {"point": ident, "deadline": info["deadline"]})
        for clock in sorted(self.clocks.values(), key=lambda c: c.id):
            if clock.status == "running":
                self.record("clock.pending", {"clock": clock.id, "report": clock.rule.report, "owner": clock.owner,
                                               "deadline": clock.deadline, "label": clock.rule.label})
        self.record("exercise.ended", {
            "eccs": self.severity.level, "summary": sev.summary(self.state, self.severity), "steps": self.steps,
        })
        self.ended = True
