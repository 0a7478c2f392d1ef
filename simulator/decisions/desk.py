"""The decision desk: who may decide what, preconditions, votes, delays and effects.

Every submission ends in a record an evaluator can read: refused (with the
failing condition and the values it read) or accepted, then, after the
catalogue's delay and any unanimity rounds, effective or downgraded
(domain.md §10.3, §10.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from simulator.decisions import who_may
from simulator.decisions.ports import ExercisePort
from simulator.scenario.catalogue import param_problems
from simulator.scenario.conditions import parse
from simulator.scenario.model import (
    EU_MEMBER_STATES,
    TLP_ORDER,
    CatalogueDecision,
    Delay,
    Effects,
    Option,
    Stance,
)

_BOUND = frozenset(d for rule in who_may.RULES for d in rule.decisions)
"""Decisions some who-may rule binds: the others need no :class:`~simulator.decisions.who_may.Asking`."""

PREPARATION = Delay(min=24, mode=72, max=168)
"""Hours from acceptance of a unanimity decision to its first round: the text is prepared in HWPCI / COREPER
(PSC meets about twice a week, COREPER weekly: domain.md §10.2 calendar note, §5.3)."""


@dataclass(frozen=True)
class Check:
    """Whether a team may take a decision now, and why not."""

    ok: bool
    reasons: tuple[str, ...] = ()
    """Why not: who may, once only, the parameters; then one per unmet precondition, in their order."""
    reads: dict[str, Any] = field(default_factory=dict)
    conditions: tuple[tuple[str, bool, str], ...] = ()
    """(expression, holds, why it exists) for each precondition."""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class Outcome:
    """What became of a submission."""

    accepted: bool
    reason: str = ""
    decision: str | None = None


class DecisionDesk:
    """Takes submissions for one exercise and plays their consequences."""

    def __init__(self, exercise: ExercisePort):
        self.ex = exercise
        self._effective: dict[str, int] = {}
        self._under_way: dict[str, int] = {}
        self._reserve_requests: dict[str, int] = {}
        """Member State -> when it requested the Reserve (one request per MS and incident)."""
        self._reserve_answers: list[str] = []
        self.changed: list[str] = []
        """The decisions and options whose state :meth:`check` and :meth:`taken` read of the desk itself changed,
        in order (in effect, under way; a Reserve request under ``D09``): an answer about others stays the same
        (a policy that checks after every record reads what was added since it last looked)."""

    # ------------------------------------------------------------ reading
    @property
    def changes(self) -> int:
        """How many times what the desk's answers read of the desk itself changed (see :attr:`changed`)."""
        return len(self.changed)

    def taken(self, ident: str) -> bool:
        """A catalogue decision has taken effect, or an option was chosen."""
        return ident in self._effective

    def under_way(self, ident: str) -> bool:
        return ident in self._under_way

    def already(self, decision: str) -> bool:
        """A non-repeatable decision already in effect or under way (taking it again changes nothing)."""
        d = self.ex.plan.catalogue.get(decision)
        return d is not None and not d.repeatable and (decision in self._effective or decision in self._under_way)

    def check(self, team: str, decision: str, params: dict | None = None) -> Check:
        """Can ``team`` take ``decision`` now? Reads state, never changes it."""
        plan = self.ex.plan
        d = plan.catalogue.get(decision)
        if d is None:
            return Check(False, (f"unknown decision {decision!r}",))
        if team not in plan.teams:
            return Check(False, (f"unknown team {team!r}",))
        reasons, params = self._refusals(team, d, params or {})
        # decide on what you know: preconditions read the deciding team's picture; a
        # failure that is true in the world is "not known to you yet", not "not true"
        ctx = self.ex.known_context(team, params, d.id)
        reads: dict[str, Any] = {}
        conditions = []
        for req in d.requires:
            verdict = parse(req.expr).evaluate(ctx)
            reads.update(verdict.reads)
            conditions.append((req.expr, verdict.ok, req.because))
            if not verdict.ok:
                because = f" — {req.because}" if req.because else ""
                if parse(req.expr).holds(self.ex.context(params)):
                    reasons.append(self.ex.not_known(team, verdict.reads, verdict.reason, d.id) + because)
                else:
                    reasons.append(f"{verdict.reason}{because}")
        return Check(not reasons, tuple(reasons), dict(sorted(reads.items())), tuple(conditions))

    def allows(self, team: str, decision: str, params: dict | None = None) -> bool:
        """``check(team, decision, params).ok``, without working out reasons, reads and texts.

        The doctrine asks after every record that may let it act, for every open
        point's options and every rule whose condition holds; most answers are no.
        """
        plan = self.ex.plan
        d = plan.catalogue.get(decision)
        if d is None or team not in plan.teams:
            return False
        reasons, filled = self._refusals(team, d, params or {})
        if reasons:
            return False
        ctx = self.ex.known_context(team, filled, d.id)
        return all(parse(req.expr).holds(ctx) for req in d.requires)

    def _refusals(self, team: str, d: CatalogueDecision, given: dict) -> tuple[list[str], dict]:
        """Why ``team`` may not take ``d`` with ``given`` params, preconditions aside (who, once only, the params),
        and the params filled with their defaults."""
        reasons: list[str] = []
        if not self.ex.plan.may_take(team, d):
            kinds = ", ".join(d.by)
            reasons.append(f"team {team} plays no actor that may take {d.id} ({kinds})")
        if not d.repeatable:
            if d.id in self._effective:
                reasons.append(f"{d.id} already took effect at {_t(self._effective[d.id])}")
            elif d.id in self._under_way:
                reasons.append(f"{d.id} is already under way (accepted at {_t(self._under_way[d.id])})")
        reasons += [message for _, message in param_problems(d, given)]  # unknown names, wrong shapes
        params = self._params(d, given)
        for name, spec in d.params.items():
            value = params.get(name)
            if spec.required and value in (None, ""):
                reasons.append(f"parameter {name!r} is required ({spec.description})")
            elif spec.choices and value not in (None, "") and value not in spec.choices:
                reasons.append(f"parameter {name!r} must be one of {', '.join(spec.choices)}, not {value!r}")
            elif spec.type == "ms" and value not in (None, "") and value not in EU_MEMBER_STATES:
                reasons.append(f"parameter {name!r} must be a Member State code, not {value!r}")
        reasons += self._who_may(team, d.id, params)
        return reasons, params

    def _who_may(self, team: str, decision: str, params: dict) -> list[str]:
        """Who may decide what, beyond the actor kinds: the rules of :mod:`simulator.decisions.who_may`."""
        if decision not in _BOUND:
            return []
        plan = self.ex.plan
        actors = plan.network.actors
        return who_may.refusals(who_may.Asking(
            team=team, decision=decision, params=params, own_ms=self.own_ms(team),
            facilitator=plan.teams[team].facilitator, capacity_exceeded=self.ex.state.capacity_exceeded,
            reserve_asked=self._reserve_requests,
            entity_kind=lambda a: actors[a].kind if a in actors else None,
            entity_team=plan.team_of_actor.get))

    def own_ms(self, team: str) -> str | None:
        """The Member State a team plays (its first played actor with one), or None."""
        actors = self.ex.plan.network.actors
        for a in self.ex.plan.teams[team].plays:
            if a in actors and actors[a].ms:
                return actors[a].ms
        return None

    def _params(self, d: CatalogueDecision, given: dict) -> dict:
        out = {}
        for name, spec in d.params.items():
            default: Any = False if spec.type == "bool" else ""
            out[name] = given.get(name, default)
        for name, value in given.items():
            out.setdefault(name, value)
        return out

    # ------------------------------------------------------------ submitting
    def submit(self, team: str, decision: str | None, point: str | None, option: str | None,
               rationale: str, params: dict) -> Outcome:
        ex = self.ex
        refuse = lambda reason, **extra: self._refuse(team, decision, point, option, reason, **extra)  # noqa: E731
        if not rationale or not rationale.strip():
            return refuse("a rationale is required")
        if team not in ex.plan.teams:
            return refuse(f"unknown team {team!r}")
        opt: Option | None = None
        if point is not None:
            info = ex.open_points().get(point)
            if info is None:
                return refuse(f"decision point {point!r} is not open")
            dp = ex.plan.points[point]
            if team != dp.team and not ex.plan.teams[team].facilitator:
                return refuse(f"decision point {point} is for team {dp.team}, not {team}")
            opt = next((o for o in dp.options if o.id == option), None)
            if opt is None:
                return refuse(f"{option!r} is not an option of {point} ({', '.join(o.id for o in dp.options)})")
            decision = opt.decision
            params = {**opt.params, **params}
        if decision is None and opt is None:
            return refuse("name a decision or a decision point and option")
        if opt is not None and decision is not None and self.already(decision):
            # the point asks for a step already taken: choosing it closes the point
            assert point is not None  # an option always comes with its point
            ex.close_point(point, opt.id, "decided", team, rationale)
            self._option(opt, point)
            return Outcome(True, reason=f"{decision} already taken or under way", decision=decision)
        check: Check | None = None
        if decision is not None:
            check = self.check(team, decision, params)
            if not check.ok:
                return refuse(check.reason, reads=check.reads)
        if point is None and decision is not None:
            # taken from the catalogue, but it answers an open point of the team's: it closes that point
            point, opt = self._point_answered_by(team, decision)
            option = opt.id if opt is not None else None
        if point is not None:
            assert opt is not None  # a point is answered with one of its options
            ex.close_point(point, opt.id, "decided", team, rationale)
            self._option(opt, point)
            check = None  # the option's effects may have changed what the check read: _accept reads again
        if decision is not None:
            self._accept(team, decision, params, rationale, point, option, check=check)
        return Outcome(True, decision=decision)

    def _point_answered_by(self, team: str, decision: str) -> tuple[str | None, Option | None]:
        """The first open decision point of ``team`` with an option that takes ``decision``."""
        for point in self.ex.open_points():
            dp = self.ex.plan.points[point]
            if dp.team != team:
                continue
            opt = next((o for o in dp.options if o.decision == decision), None)
            if opt is not None:
                return point, opt
        return None, None

    def apply_default(self, point: str) -> None:
        """The deadline passed: the scenario's default option applies."""
        ex = self.ex
        dp = ex.plan.points[point]
        opt = next(o for o in dp.options if o.id == dp.default)
        rationale = f"deadline passed without a decision: default option {opt.id!r} applied"
        ex.close_point(point, opt.id, "default", dp.team, rationale)
        self._option(opt, point)
        if opt.decision is not None:
            check = self.check(dp.team, opt.decision, dict(opt.params))
            if not check.ok and not ex.plan.teams[dp.team].facilitator:
                # the default stands for the team even if its kind could not take it by hand
                fac = ex.plan.facilitator()
                if fac is not None:
                    by_control = self.check(fac.id, opt.decision, dict(opt.params))
                    # refused either way: say why for the point's own team, not for exercise control
                    check = by_control if by_control.ok else check
            if check.ok:
                self._accept(dp.team, opt.decision, dict(opt.params), rationale, point, opt.id, default=True)
            else:
                self._refuse(dp.team, opt.decision, point, opt.id, check.reason, reads=check.reads, default=True)

    def _option(self, opt: Option, point: str) -> None:
        ex = self.ex
        self._took_effect(opt.id)
        for inj in opt.cancels:
            ex.cancel(inj, cause=f"{point}:{opt.id}")
        if not opt.effects.is_empty():
            ex.apply_effects(opt.effects, cause=f"{point}:{opt.id}")
        for inj in opt.fires:
            ex.fire_from(inj, cause=f"{point}:{opt.id}", tlp=_label(opt.params.get("tlp")))
        ex.recheck_conditions()  # conditions may read taken('<option>')

    def _refuse(self, team, decision, point, option, reason, reads=None, default=False) -> Outcome:
        self.ex.record("decision.refused", {
            "team": team, "decision": decision, "point": point, "option": option, "reason": reason,
            "reads": reads or {}, "default": default,
        })
        return Outcome(False, reason, decision)

    def _accept(self, team, decision, params, rationale, point, option, default=False, check=None) -> None:
        """Accept a decision; ``check``: the desk's check of it, made with nothing recorded since (else it checks)."""
        ex = self.ex
        d = ex.plan.catalogue[decision]
        if check is None and not default:
            check = self.check(team, decision, params)
        reads = check.reads if check is not None else {}
        if not d.repeatable:
            self._under_way[decision] = ex.now
            self.changed.append(decision)
        if decision == "D09" and (self.own_ms(team) or team) not in self._reserve_requests:
            self._reserve_requests[self.own_ms(team) or team] = ex.now  # one request per MS: the first stands
            self.changed.append(decision)
        ex.record("decision.accepted", {
            "team": team, "decision": decision, "name": d.name, "ladder": d.ladder, "level": d.level,
            "point": point, "option": option, "rationale": rationale, "params": params, "reads": reads,
            "voting": d.voting.rule, "default": default,
        })
        ex.start(self._take_effect(d, team, params))

    # ------------------------------------------------------------ consequences
    def _take_effect(self, d: CatalogueDecision, team: str, params: dict):
        ex = self.ex
        accepted_at = ex.now
        if d.voting.rule == "unanimity":
            # the text is prepared in HWPCI / COREPER before the first round, not voted at minute zero
            yield ex.timeout(ex.rng.minutes(f"prepare:{d.id}", PREPARATION))
            topic = "attribution" if params.get("names_state") else d.voting.topic
            agreed = yield from self._unanimity(d, topic)
            if not agreed and params.get("names_state"):
                # the Presidency proposes a weaker text: the same declaration without naming the State
                params = {**params, "names_state": False}
                ex.record("decision.downgraded", {"decision": d.id, "to": d.id, "name": f"{d.name} (without naming a State)",
                                                   "team": team, "reason": f"no unanimity on naming a State after {d.voting.rounds} rounds"})
                agreed = yield from self._unanimity(d, d.voting.topic)
            if not agreed:
                self._no_longer_under_way(d.id)
                if d.voting.downgrade_to:
                    lower = ex.plan.catalogue[d.voting.downgrade_to]
                    ex.record("decision.downgraded", {"decision": d.id, "to": lower.id, "name": lower.name, "team": team,
                                                       "reason": f"no unanimity after {d.voting.rounds} rounds"})
                    if not self.taken(lower.id) or lower.repeatable:
                        yield from self._delay_then_apply(lower, team, {})
                else:
                    ex.record("decision.failed", {"decision": d.id, "team": team,
                                                   "reason": f"no unanimity after {d.voting.rounds} rounds"})
                return
        yield from self._delay_then_apply(d, team, params, since=accepted_at)

    def _delay_then_apply(self, d: CatalogueDecision, team: str, params: dict, since: int | None = None):
        """Wait out the decision's delay, counted from acceptance: the vote rounds are part of it."""
        ex = self.ex
        minutes = ex.rng.minutes(f"decision:{d.id}", d.delay)
        if since is not None:
            minutes = max(0, since + minutes - ex.now)
        if minutes:
            yield ex.timeout(minutes)
        self._no_longer_under_way(d.id)
        lapsed = self._overtaken(d, params) if minutes else None
        if lapsed:
            ex.record("decision.lapsed", {"decision": d.id, "name": d.name, "team": team,
                                           "reason": f"overtaken by events: {lapsed}"})
            return
        self._took_effect(d.id)
        effects = self._effects(d, team, params)
        ex.record("decision.effective", {"decision": d.id, "name": d.name, "team": team, "params": params,
                                          "ladder": d.ladder, "level": d.level})
        if not effects.is_empty():
            ex.apply_effects(effects, cause=d.id)
        for inj in d.fires:
            ex.fire_from(inj, cause=d.id)
        self._special(d, team, params)
        ex.recheck_conditions()  # conditions may read taken('<decision>')

    def _took_effect(self, ident: str) -> None:
        """A decision or an option is in effect from now (the first time counts)."""
        if ident not in self._effective:
            self._effective[ident] = self.ex.now
            self.changed.append(ident)

    def _no_longer_under_way(self, decision: str) -> None:
        if self._under_way.pop(decision, None) is not None:
            self.changed.append(decision)

    def _overtaken(self, d: CatalogueDecision, params: dict) -> str | None:
        """The first precondition that no longer holds when the decision would take effect."""
        ctx = self.ex.context(self._params(d, params))
        for req in d.requires:
            verdict = parse(req.expr).evaluate(ctx)
            if not verdict.ok:
                return verdict.reason
        return None

    def _effects(self, d: CatalogueDecision, team: str, params: dict) -> Effects:
        effects = d.effects
        if d.id == "D17":
            ms = params.get("ms") or self.team_ms(team)
            if ms in EU_MEMBER_STATES:
                effects = effects.model_copy(update={"attributed_by": [ms]})
        return effects

    def _special(self, d: CatalogueDecision, team: str, params: dict) -> None:
        """Consequences the data cannot express: reports, the Reserve, TLP breaches."""
        ex = self.ex
        if d.id == "D01":
            entity = params.get("entity") or self._team_entity(team)
            report = params.get("report") or "early_warning"
            if entity in ex.plan.network.actors:
                ex.file_report(entity, report, cause=f"{d.id} by {team}")
        elif d.id == "D09":
            ex.start_clock("reserve_answer", "COMMISSION")
            ex.start(self._reserve_answer(self.own_ms(team) or team, params))
        elif d.id == "D04":
            tlp = str(params.get("tlp") or "TLP:AMBER").upper()
            if not tlp.startswith("TLP:"):
                tlp = "TLP:" + tlp
            source = ex.source_label(team) or "TLP:AMBER"  # incident reports are AMBER unless marked otherwise
            if tlp in TLP_ORDER and TLP_ORDER.index(tlp) < TLP_ORDER.index(source):
                wider = "anyone" if tlp == "TLP:CLEAR" else "a wider audience than its sources allow"
                ex.record("tlp.breach", {"team": team, "decision": d.id, "shared_as": tlp,
                                          "reason": f"indicators from {source} reports were shared as {tlp}, to "
                                                    f"{wider}: a derived product keeps its sources' strictest label "
                                                    "unless they agree (TLP 2.0, domain.md §8)"})
            elif tlp == "TLP:RED":
                ex.record("tlp.breach", {"team": team, "decision": d.id, "shared_as": tlp,
                                          "reason": "TLP:RED is for named recipients only, and the CSIRTs Network is a "
                                                    "community: a wider audience than RED allows (TLP 2.0)"})

    def _reserve_answer(self, ms: str, params: dict):
        """One answer per request within 48 h; competing requests are ranked (Regulation (EU) 2025/38, domain.md §1.6).

        Priority: capacity exceeded, then the worst impact colour, then the earlier request. The first in
        line is approved; the others get partial support. An approved or partial answer leads to a
        deployment when the responders are on site (domain.md §10.2: 12/48/120 h).
        """
        ex = self.ex
        from simulator.scenario.model import Delay

        minutes = ex.rng.minutes("reserve:answer", Delay(min=1, mode=24, max=48))
        yield ex.timeout(minutes)
        if ms in self._reserve_answers:
            return  # answered already: never twice, never contradictory
        colours = ex.state.ms_colours()
        rank = ["white", "green", "yellow", "red"]

        def key(m: str) -> tuple:
            return (m not in ex.state.capacity_exceeded, -rank.index(colours.get(m, "white")), self._reserve_requests[m], m)

        waiting = sorted((m for m in self._reserve_requests if m not in self._reserve_answers), key=key)
        priority = len(self._reserve_answers) + waiting.index(ms) + 1
        answer = "approved" if priority == 1 else "partial"
        self._reserve_answers.append(ms)
        ex.file_report("COMMISSION", "reserve_answer", cause="Commission decision on the Reserve request")
        ex.record("reserve.answered", {"ms": ms, "answer": answer, "approved": answer == "approved", "priority": priority,
                                        "requests": len(self._reserve_requests), "requested": self._reserve_requests[ms],
                                        "entities": params.get("entities", ""), "services": params.get("services", "")})
        on_site = ex.rng.minutes("reserve:deploy", Delay(min=12, mode=48, max=120))
        yield ex.timeout(on_site)
        ex.record("reserve.deployed", {"ms": ms, "answer": answer, "entities": params.get("entities", ""),
                                        "services": params.get("services", "") if answer == "approved"
                                        else "part of the services requested, after prioritisation"})

    def team_ms(self, team: str) -> str | None:
        actors = self.ex.plan.network.actors
        for a in self.ex.plan.teams[team].plays:
            if a in actors and actors[a].ms:
                return actors[a].ms
        colours = self.ex.state.ms_colours()
        worst = sorted(colours, key=lambda m: (-["white", "green", "yellow", "red"].index(colours[m]), m))
        return worst[0] if worst else None

    def _team_entity(self, team: str) -> str | None:
        actors = self.ex.plan.network.actors
        for a in self.ex.plan.teams[team].plays:
            if a in actors and actors[a].kind in ("entity", "union_entity"):
                return a
        return None

    # ------------------------------------------------------------ unanimity
    def _unanimity(self, d: CatalogueDecision, topic: str):
        """Seeded voting rounds; each failed round costs time (domain.md §10.3)."""
        ex = self.ex
        council = ex.scenario.council
        rng = ex.rng(f"vote:{d.id}" if topic == d.voting.topic else f"vote:{d.id}:{topic}")
        for rnd in range(1, d.voting.rounds + 1):
            votes: dict[str, dict[str, Any]] = {}
            blockers = []
            for ms in EU_MEMBER_STATES:
                stance: Stance | None = council.stances.get(ms) or council.default_stance
                if stance is None:
                    votes[ms] = {"agree": True, "p": 1.0, "reason": "no reservations"}
                    continue
                leaning = next((v for k, v in stance.topics.items() if k == topic), stance.stance)
                score = ex.state.evidence - stance.evidence_threshold + leaning + (ex.state.cohesion - 0.6)
                p = 1.0 / (1.0 + math.exp(-council.k * score))
                agree = rng.random() < p
                reason = "agrees" if agree else (stance.reason or "not convinced")
                votes[ms] = {"agree": agree, "p": round(p, 3), "reason": reason}
                if not agree:
                    blockers.append(ms)
            ex.record("vote.round", {"decision": d.id, "topic": topic, "round": rnd, "of": d.voting.rounds, "votes": votes,
                                      "blockers": blockers, "result": "agreed" if not blockers else "blocked",
                                      "evidence": ex.state.evidence, "cohesion": ex.state.cohesion})
            if not blockers:
                return True
            if rnd < d.voting.rounds:
                yield ex.timeout(ex.rng.minutes(f"vote-delay:{d.id}", d.voting.round_delay))
        return False


def _label(value) -> str | None:
    """A TLP parameter as a label (``RED`` -> ``TLP:RED``), or None."""
    if not value:
        return None
    text = str(value).upper()
    return text if text.startswith("TLP:") else "TLP:" + text


def _t(minutes: int) -> str:
    from simulator.timefmt import format_time

    return format_time(minutes)
