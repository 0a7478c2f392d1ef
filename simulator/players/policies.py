"""Automatic players for unattended runs.

``passive`` takes no decision: only decision-point defaults apply, which shows
what an exercise looks like when nobody acts. ``doctrine`` takes the
escalation and communication steps domain.md recommends (§7.6, §10.3, §10.5)
as soon as their preconditions hold, with a rationale a facilitator would
accept, and answers decision points with the first option whose decision it can
take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.engine.clocks import RULES
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import assess
from simulator.scenario.conditions import parse


@dataclass(frozen=True)
class Rule:
    decision: str
    when: str
    rationale: str
    params: Callable[[Exercise, str], dict] = lambda ex, team: {}


def _reserve_params(ex: Exercise, team: str) -> dict:
    hit = sorted(ex.state.significant) or ["the affected entities"]
    return {"entities": ", ".join(hit), "services": "incident response, forensics and recovery support",
            "mitigation": "national CSIRT on site; systems isolated; backups being restored"}


def _ms_param(ex: Exercise, team: str) -> dict:
    return {"ms": ex.desk.team_ms(team) or ""}


def _d04_params(ex: Exercise, team: str) -> dict:
    return {"tlp": "TLP:AMBER"}


def _d20_params(ex: Exercise, team: str) -> dict:
    return {"names_state": bool(ex.state.attributed_by) or ex.state.partner_attribution}


def _d23_params(ex: Exercise, team: str) -> dict:
    proposer = sorted(ex.state.attributed_by)[0] if ex.state.attributed_by else "HR"
    return {"proposer": proposer, "targets": "the group's leaders and front companies", "evidence_package": True}


RHYTHM = {"early_warning": 0, "notification": 24 * 60, "final_report": 14 * 24 * 60,
          "dora_initial": 0, "dora_intermediate": 24 * 60, "dora_final": 14 * 24 * 60}
"""How long after its clock starts a played entity files each report (NIS2 Art. 23(4): the early warning at
once, the notification when the first assessment is in, the final report on the notification's findings):
never all three at once. An hour before the deadline at the latest."""

ASSESS = "D30"
"""The assessment act: doctrine rates ECCS on each team's own picture whenever it implies a new level."""

DOCTRINE: tuple[Rule, ...] = (
    Rule("D04", "ms_affected >= 1", "Peers must be able to check their own networks: share the indicators at TLP:AMBER.", _d04_params),
    Rule("D05", "eccs >= 3 and cross_border", "Cross-border indicators: ask the CSIRTs Network for a coordinated response.", ),
    Rule("D06", "eccs >= 3", "ECCS 3 reached: CyCLONe officers must be informed (domain.md §7.6)."),
    Rule("D07", "eccs >= 4", "Large-scale incident (ECCS 4): activate CyCLONe executives for an impact and severity assessment."),
    Rule("D08", "cyclone >= 'executives'", "Executives are convened: issue the impact and severity assessment to the political level."),
    Rule("D28", "threat_severity >= 'high' or exposure == 'wide'", "High severity and wide exposure: publish a joint technical advisory."),
    Rule("D09", "capacity_exceeded >= 1", "National capacity is exceeded: request the EU Cybersecurity Reserve.", _reserve_params),
    Rule("D11", "eccs >= 4 and (taken('D08') or eccs >= 5)", "The CyCLONe assessment shows a large-scale incident: activate IPCR information-sharing."),
    Rule("D14", "disinfo_reach >= 0.15 or public_trust <= 0.6", "Disinformation and falling trust: align public communication across the EU."),
    Rule("D12", "eccs >= 5", "EU cyber crisis (ECCS 5): full IPCR activation for strategic coordination."),
    Rule("D25", "criminal_group and eccs >= 3", "A criminal group is behind it: ask Europol EC3 for law-enforcement action."),
    Rule("D17", "confidence >= 'moderate' and (state_actor or criminal_group)", "Intelligence confidence is at least moderate: attribute publicly.", _ms_param),
    Rule("D18", "attributing_ms >= 2 or (attributing_ms >= 1 and partner_attribution)", "Several attributions exist: coordinate them for a stronger signal."),
    Rule("D22", "state_actor and attribution >= 'assessed'", "A State is assessed to be responsible or tolerant: deliver a démarche."),
    Rule("D20", "attribution >= 'attributed' or partner_attribution", "Attribution is public: seek an EU declaration.", _d20_params),
    Rule("D19", "attribution >= 'assessed' and eccs >= 3", "Signal early: an HR statement while the declaration is prepared."),
    Rule("D13", "eccs <= 3 and outlook == 'improving' and ipcr > 'monitoring'", "The crisis abates: return IPCR to monitoring."),
)
"""The doctrine, in the order it is considered."""


def _contradicts(ex: Exercise | None, decision: str) -> bool:
    """Doctrine keeps one consistent public line (domain.md §10.8): it never takes an uncoordinated national one."""
    d = ex.plan.catalogue.get(decision) if ex is not None else None
    return d is not None and any(c.kind == "contradiction" for c in d.consequences)


class Passive:
    """Takes no decision; deadlines pass and defaults apply."""

    name = "passive"

    def attach(self, exercise: Exercise) -> None:
        pass


@dataclass
class Doctrine:
    """Plays every team the way domain.md recommends."""

    rules: tuple[Rule, ...] = DOCTRINE
    name: str = "doctrine"
    _ex: Exercise | None = field(default=None, repr=False)
    _scheduled: bool = False
    _done: set = field(default_factory=set, repr=False)
    _offered: dict | None = field(default=None, repr=False)
    """(team, decision) -> the decision points that offer it."""
    _closed: set = field(default_factory=set, repr=False)
    _assessing: dict = field(default_factory=dict, repr=False)
    """The level each team's assessment under way will give (one D30 at a time per level)."""
    _clock_ids: list | None = field(default=None, repr=False)
    """Ids of the clocks played entities can run (the plan never changes)."""
    _may: dict = field(default_factory=dict, repr=False)
    """Decision -> the teams that may take it, in :meth:`_teams_for`'s order (the plan never changes)."""

    @property
    def ex(self) -> Exercise:
        """The exercise this policy plays (set by :meth:`attach`)."""
        if self._ex is None:
            raise RuntimeError("attach the doctrine policy to an exercise before it plays")
        return self._ex

    def attach(self, exercise: Exercise) -> None:
        self._ex = exercise
        exercise.journal.subscribe(self._on_record)
        self._schedule()

    def _on_record(self, rec) -> None:
        if rec.kind == "decision_point.closed":
            self._closed.add(rec.data["point"])
        if rec.kind in ("state.changed", "severity.changed", "decision.effective", "decision_point.opened",
                        "decision.failed", "decision.downgraded", "decision.lapsed", "severity.reassessed"):
            self._schedule()
        elif rec.kind == "inject.delivered" and rec.data.get("teams") and self.ex.decide_on == "knowledge":
            self._schedule()  # a team's picture changed: it may now know enough to act

    def _schedule(self) -> None:
        ex = self.ex
        if self._scheduled or ex is None or ex.ended:
            return
        self._scheduled = True
        ex.soon(self._think)

    def _think(self) -> None:
        ex = self.ex
        self._scheduled = False
        if ex.ended:
            return
        self._assess()
        self._answer_points()
        world = ex.decide_on == "truth"
        ctx = ex.context() if world else None  # on the world, one context serves every team (cheap check first)
        for rule in self.rules:
            d = ex.plan.catalogue.get(rule.decision)
            if d is None or ex.desk.taken(d.id) or ex.desk.under_way(d.id) or self._tried(d.id):
                continue
            if ctx is not None and not parse(rule.when).holds(ctx):
                continue
            if world:
                team = self._team_for(d.id, rule)
                if team is None or self._asked_by_point(team, d.id):
                    continue
            else:  # the first team that may take it and knows enough to (CyCLONe's team, not a member's capital)
                cond = parse(rule.when)
                team = next((t for t in self._teams_for(d.id) if not self._asked_by_point(t, d.id)
                             and cond.holds(ex.known_context(t, decision=d.id))), None)
                if team is None:
                    continue
            params = rule.params(ex, team)
            if ex.desk.check(team, d.id, params).ok:
                self._done.add(d.id)
                ex.submit(team, decision=d.id, rationale=rule.rationale, params=params)
                if world:
                    ctx = ex.context()
        self._file_reports()

    def _assess(self) -> None:
        """Each team that assesses rates ECCS again when what it holds implies another level (D30)."""
        ex = self.ex
        d = ex.plan.catalogue.get(ASSESS)
        if d is None or ex.decide_on != "knowledge":
            return  # deciding on the world, nobody needs to assess
        for team in self._teams_for(ASSESS):
            if ex.plan.teams[team].facilitator:
                continue
            picture = ex.known(team)
            level = assess(picture)
            if level == (picture.eccs if picture.eccs is not None else 0) or self._assessing.get(team) == level:
                continue
            self._assessing[team] = level
            held = "none yet" if picture.eccs is None else f"ECCS {picture.eccs}"
            ex.submit(team, decision=ASSESS, rationale=f"What has reached us puts the incident at ECCS {level} "
                                                       f"(last assessment: {held}).")

    def _asked_by_point(self, team: str, decision: str) -> bool:
        """A decision point still to be answered puts this decision to the team: doctrine answers it there.

        Once every such point has closed (with another option, or by default), the rule may take it.
        """
        if self._offered is None:
            self._offered = {}
            for dp in self.ex.plan.points.values():
                for o in dp.options:
                    if o.decision is not None:
                        self._offered.setdefault((dp.team, o.decision), set()).add(dp.id)
        return bool(self._offered.get((team, decision), set()) - self._closed)

    def _tried(self, decision: str) -> bool:
        """Doctrine takes each measure once, and never retries one that failed."""
        return decision in self._done

    def _team_for(self, decision: str, rule: Rule) -> str | None:
        return next(iter(self._teams_for(decision)), None)

    def _teams_for(self, decision: str) -> list[str]:
        """The teams that may take ``decision``, played teams first, in the scenario's order; then control."""
        out = self._may.get(decision)
        if out is None:  # asked for every rule on every think: worked out once per decision
            ex = self.ex
            d = ex.plan.catalogue[decision]
            out = [t for t, spec in ex.plan.teams.items() if not spec.facilitator and ex.plan.may_take(t, d)]
            fac = ex.plan.facilitator()
            if fac is not None and ex.plan.may_take(fac.id, d):
                out.append(fac.id)
            self._may[decision] = out
        return out

    def _answer_points(self) -> None:
        ex = self.ex
        for point, _info in sorted(ex.open_points().items()):
            dp = ex.plan.points[point]
            choice = None
            for opt in dp.options:
                if opt.decision is None or _contradicts(ex, opt.decision):
                    continue
                team = dp.team
                d = ex.plan.catalogue[opt.decision]
                if d.repeatable and opt.decision in self._done and opt.decision != "D01":
                    continue  # doctrine took it already: not the same measure twice
                if ex.desk.already(opt.decision) or ex.desk.check(team, opt.decision, dict(opt.params)).ok:
                    choice = opt
                    break
            if choice is not None:
                self._done.add(choice.decision)
                ex.submit(dp.team, point=point, option=choice.id,
                          rationale=f"Doctrine: {ex.plan.catalogue[str(choice.decision)].name} — preconditions hold.")

    def _file_reports(self) -> None:
        """Played entities file each running report clock at once."""
        ex = self.ex
        # Only played actors' clocks, looked up by id: this runs after every record, and
        # scanning every simulated entity's clocks each time grew with the exercise.
        if self._clock_ids is None:
            actors = ex.plan.network.actors
            self._clock_ids = [f"{report}:{owner}" for owner in ex.plan.team_of_actor
                               if actors[owner].kind in ("entity", "union_entity") for report in RULES]
        played = [c for ident in self._clock_ids if (c := ex.clocks.get(ident)) is not None]
        now = ex.now
        running = (c for c in played if c.status == "running" and c.id not in self._done
                   and now >= min(c.started + RHYTHM.get(c.rule.report, 0), c.deadline - 60))
        for clock in sorted(running, key=lambda c: c.id):
            self._done.add(clock.id)
            team = ex.plan.team_of_actor[clock.owner]
            ex.submit(team, decision="D01", params={"entity": clock.owner, "report": clock.rule.report},
                      rationale=f"File the {clock.rule.label} on time.")


POLICIES = {"passive": Passive, "doctrine": Doctrine}
