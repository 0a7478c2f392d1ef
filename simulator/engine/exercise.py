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
from simulator.engine.transport import Transport
from simulator.errors import InputError, SimulatorError
from simulator.journal.journal import Journal, Record
from simulator.scenario.conditions import Context, parse
from simulator.scenario.model import TLP_ORDER, Effects, Inject, Scenario
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
    :attr:`filing` (regulatory clocks and reports) and :attr:`desk`
    (decisions). The exercise keeps the timeline (injects, decision points,
    conditions) and the world state, and is the desk's
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
        self.transport = Transport(self.core, self._delivered_to)
        self.filing = Filing(self.core, self.transport)
        self.state = WorldState()
        self.severity = sev.compute(self.state)
        self.steps = 0
        self.ended = False
        self._inject_status: dict[str, str] = {}
        self._due_held: set[str] = set()
        self._waiting_when: list[str] = []
        self._open_points: dict[str, dict[str, Any]] = {}
        self._closed_points: set[str] = set()
        self._chained: set[str] = set()
        self._source_labels: dict[str, str] = {}
        """Team -> the strictest TLP of the technical reports that reached it (what its indicators derive from)."""
        self._adhoc_seq = 0
        self._recipients: dict[tuple[str, ...], list[str]] = {}
        """An inject's 'to' -> its recipient actors ('everyone' expanded), worked out once."""
        self._soon: list[Callable[[], None]] = []
        self._point_listeners: list[Callable[[str], None]] = []
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
        if self._inject_status.get(inject) in ("released", "cancelled"):
            self.record("facilitator.ignored", {"inject": inject, "reason": f"inject already {self._inject_status[inject]}"})
            return
        self._release(self.plan.injects[inject], cause="facilitator")

    def hold(self, inject: str) -> None:
        """Keep an inject back when its time comes (facilitator)."""
        self._need_inject(inject)
        self._input("facilitator.held", {"inject": inject})
        if self._inject_status.get(inject) in ("scheduled", "dormant"):
            self._inject_status[inject] = "held"

    def release(self, inject: str) -> None:
        """Undo a hold; an inject whose time has passed goes out now."""
        self._need_inject(inject)
        self._input("facilitator.released", {"inject": inject})
        if self._inject_status.get(inject) != "held":
            return
        if inject in self._due_held:
            self._due_held.discard(inject)
            self._release(self.plan.injects[inject], cause="facilitator")
        else:
            self._inject_status[inject] = "scheduled"

    def add_inject(self, *, sender: str, to: list[str], title: str, body: str = "",
                   tlp: str = "TLP:AMBER", channel: str | None = None) -> str:
        """Send an ad-hoc inject written during the session; returns its id."""
        from simulator.scenario.model import Inject as InjectModel

        ident = f"ADHOC-{self._adhoc_seq + 1}"  # taken only once accepted: a refused one leaves no trace to replay
        spec = {"id": ident, "from": sender, "to": list(to), "title": title, "body": body, "tlp": tlp, "channel": channel}
        try:
            inj = InjectModel.model_validate(spec)
        except Exception as e:  # pydantic ValidationError: a facilitator typo, not a bug
            raise InputError(f"ad-hoc inject not valid: {e}") from None
        for r in self.plan.recipients(inj.to):
            if r not in self.plan.network.actors:
                raise InputError(f"ad-hoc inject: unknown recipient {r!r}")
        if sender not in self.plan.network.actors:
            raise InputError(f"ad-hoc inject: unknown sender {sender!r}")
        self._input("facilitator.injected", {"inject": spec})
        self._adhoc_seq += 1
        self._release(inj, cause="facilitator")
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

    def at_point_open(self, fn) -> None:
        """Call fn(point_id) at the same instant whenever a decision point opens."""
        self._point_listeners.append(fn)

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
        return dict(self._open_points)

    def source_label(self, team: str) -> str | None:
        """The strictest TLP of the entity and technical reports that reached ``team``, or None.

        Indicators a team shares derive from those reports, and a derived product keeps the
        most restrictive label of its sources (TLP 2.0, domain.md §8 rule 3).
        """
        return self._source_labels.get(team)

    def inject_status(self, inject: str) -> str:
        return self._inject_status.get(inject, "unknown")

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
        for inj in s.injects:
            if inj.held:
                self._inject_status[inj.id] = "held"
            if inj.at is not None:
                self._inject_status.setdefault(inj.id, "scheduled")
                self.core.wait_then(inj.at - self.now, self._due, inj.id)
            elif inj.after is not None:
                self._inject_status.setdefault(inj.id, "scheduled")
            elif inj.when is not None:
                self._inject_status.setdefault(inj.id, "scheduled")
                self._waiting_when.append(inj.id)
            else:
                self._inject_status.setdefault(inj.id, "dormant")
        for dp in s.decision_points:
            if dp.at is not None:
                self.core.wait_then(dp.at - self.now, self._due, dp.id)
            elif dp.when is not None:
                self._waiting_when.append(dp.id)
        for inc in s.incidents:
            for change in inc.impact:
                self.core.wait_then(change.at - self.now, self._impact_change, inc.id, change)
        self.recheck_conditions()

    def _due(self, ident: str) -> None:
        if ident in self.plan.points:
            self._open_point(ident)
            return
        status = self._inject_status.get(ident)
        if status == "held":
            self._due_held.add(ident)
            self.record("inject.held", {"inject": ident, "reason": "held by the facilitator at its time"})
        elif status == "scheduled":
            self._release(self.plan.injects[ident], cause="timeline")

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
        from simulator.scenario.model import Delay

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
        if not self._waiting_when:
            return
        ctx = self.context()
        for ident in list(self._waiting_when):
            if ident not in self._waiting_when:
                continue  # released by a nested check: an inject due above changed the state
            item = self.plan.injects.get(ident) or self.plan.points[ident]
            if parse(item.when).holds(ctx):
                self._waiting_when.remove(ident)
                self._due(ident)

    # ---------------------------------------------------------- injects
    def _release(self, inj: Inject, cause: str) -> None:
        self._inject_status[inj.id] = "released"
        to = tuple(inj.to)
        recipients = self._recipients.get(to)
        if recipients is None:  # one list per distinct 'to', shared by the records that name it (none changes it)
            recipients = self._recipients[to] = self.plan.recipients(inj.to)
        self.record("inject.released", {
            "inject": inj.id, "title": inj.title, "from": inj.from_, "to": recipients, "tlp": inj.tlp,
            "channel": inj.channel, "cause": cause, "template": inj.template,
            "objectives": inj.objectives,
            "expects": [e.model_dump(exclude_defaults=True) for e in inj.expects] if inj.expects else [],
        })
        self.filing.seen(inj.from_)  # an entity that reports an incident is aware of it (DORA's 24 h)
        for r in recipients:
            self.transport.send(inj, r)
        if not inj.effects.is_empty():
            self.apply_effects(inj.effects, cause=inj.id)
        for follower in self.plan.followers.get(inj.id, ()):
            if self._waits_for_delivery(follower, recipients):
                continue
            item = self.plan.injects.get(follower) or self.plan.points[follower]
            assert item.after is not None  # a follower is chained by its 'after'
            self.core.wait_then(item.after.delay, self._due, follower)

    def _waits_for_delivery(self, follower: str, recipients: list[str]) -> bool:
        """A decision point chained to an inject its team receives opens after that team has read it."""
        dp = self.plan.points.get(follower)
        return dp is not None and any(dp.team in self.plan.teams_for(r) for r in recipients)

    def _delivered_to(self, inj: Inject, teams: list[str]) -> None:
        """A message reached its recipient: points chained to it open for the teams that read it."""
        sender = self.plan.network.actors.get(inj.from_)
        if teams and sender is not None and sender.level in TECHNICAL_LEVELS:
            rank = TLP_ORDER.index(inj.tlp)
            for team in teams:
                held = self._source_labels.get(team)
                if held is None or rank > TLP_ORDER.index(held):
                    self._source_labels[team] = inj.tlp
        for follower in self.plan.followers.get(inj.id, ()):
            dp = self.plan.points.get(follower)
            if dp is not None and dp.after is not None and dp.team in teams and follower not in self._chained:
                self._chained.add(follower)
                self.core.wait_then(dp.after.delay, self._due, follower)
        self.recheck_conditions()

    def cancel(self, inject: str, cause: str) -> None:
        if self._inject_status.get(inject) in ("scheduled", "held", "dormant"):
            self._inject_status[inject] = "cancelled"
            if inject in self._waiting_when:
                self._waiting_when.remove(inject)
            self.record("inject.cancelled", {"inject": inject, "cause": cause})

    def fire_from(self, inject: str, cause: str, tlp: str | None = None) -> None:
        """Release an inject because a decision or option fired it (a facilitator's hold still holds).

        ``tlp``: the label the option shares at (a share-at-RED option posts at RED), when stricter than the inject's.
        """
        status = self._inject_status.get(inject)
        if status == "held":
            if inject not in self._due_held:
                self._due_held.add(inject)
                self.record("inject.held", {"inject": inject, "reason": f"held by the facilitator when {cause} fired it"})
        elif status not in ("released", "cancelled"):
            inj = self.plan.injects[inject]
            if tlp in TLP_ORDER and TLP_ORDER.index(tlp) > TLP_ORDER.index(inj.tlp):
                inj = inj.model_copy(update={"tlp": tlp})
            self._release(inj, cause=cause)

    # ---------------------------------------------------------- decision points
    def _open_point(self, ident: str) -> None:
        if ident in self._open_points or ident in self._closed_points:
            return
        dp = self.plan.points[ident]
        assert dp.deadline is not None or dp.within is not None  # the format requires one of them
        deadline = dp.deadline if dp.deadline is not None else self.now + (dp.within or 0)
        deadline = max(deadline, self.now)
        self._open_points[ident] = {"team": dp.team, "opened": self.now, "deadline": deadline}
        self.record("decision_point.opened", {
            "point": ident, "team": dp.team, "prompt": dp.prompt, "deadline": deadline, "default": dp.default,
            "options": [{"id": o.id, "label": o.label, "decision": o.decision} for o in dp.options],
            "tlp": self.plan.point_tlp(dp),
        })
        self.core.wait_then(deadline - self.now, self._deadline_passed, ident)
        for fn in self._point_listeners:
            fn(ident)

    def _deadline_passed(self, ident: str) -> None:
        if ident in self._open_points:
            self.desk.apply_default(ident)

    def close_point(self, ident: str, option: str, how: str, team: str, rationale: str) -> None:
        info = self._open_points.pop(ident)
        self._closed_points.add(ident)
        self.record("decision_point.closed", {
            "point": ident, "option": option, "how": how, "team": team, "rationale": rationale,
            "latency": self.now - info["opened"],
        })

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
        for ident in sorted(self._open_points):
            self.record("decision_point.unresolved", {"point": ident, "deadline": self._open_points[ident]["deadline"]})
        for clock in sorted(self.clocks.values(), key=lambda c: c.id):
            if clock.status == "running":
                self.record("clock.pending", {"clock": clock.id, "report": clock.rule.report, "owner": clock.owner,
                                               "deadline": clock.deadline, "label": clock.rule.label})
        self.record("exercise.ended", {
            "eccs": self.severity.level, "summary": sev.summary(self.state, self.severity), "steps": self.steps,
        })
        self.ended = True
