"""Automatic players for unattended runs.

``passive`` takes no decision: only decision-point defaults apply, which shows
what an exercise looks like when nobody acts. ``doctrine`` takes the
escalation and communication steps domain.md recommends (§7.6, §10.3, §10.5)
as soon as their preconditions hold, with a rationale a facilitator would
accept, and answers decision points with the first option whose decision it can
take.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from simulator.engine.clocks import RULES
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import ASSESS_READS, assess
from simulator.engine.picture import news_key
from simulator.players.news import (
    CLOCKS,
    DESK,
    POINTS,
    QUIET,
    THINK_AFTER,
    Live,
    Reads,
    Watch,
    check_reads,
    cond_reads,
    differs,
)
from simulator.scenario.conditions import Condition, parse


@dataclass(frozen=True)
class Rule:
    decision: str
    when: str
    rationale: str
    params: Callable[[Exercise, str], dict] = lambda ex, team: {}
    reads: tuple[str, ...] = ()
    """What ``params`` reads of the world state (names of :data:`~simulator.scenario.conditions.VARIABLES`):
    news of them may change what the desk says of the rule's submission, so doctrine thinks again."""


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
ASSESS_NEWS = ("eccs", *ASSESS_READS)
"""What a team's assessment step reads of its picture: the level it holds, and what :func:`assess` reads."""

DOCTRINE: tuple[Rule, ...] = (
    Rule("D04", "ms_affected >= 1", "Peers must be able to check their own networks: share the indicators at TLP:AMBER.", _d04_params),
    Rule("D05", "eccs >= 3 and cross_border", "Cross-border indicators: ask the CSIRTs Network for a coordinated response.", ),
    Rule("D06", "eccs >= 3", "ECCS 3 reached: CyCLONe officers must be informed (domain.md §7.6)."),
    Rule("D07", "eccs >= 4", "Large-scale incident (ECCS 4): activate CyCLONe executives for an impact and severity assessment."),
    Rule("D08", "cyclone >= 'executives'", "Executives are convened: issue the impact and severity assessment to the political level."),
    Rule("D28", "threat_severity >= 'high' or exposure == 'wide'", "High severity and wide exposure: publish a joint technical advisory."),
    Rule("D09", "capacity_exceeded >= 1", "National capacity is exceeded: request the EU Cybersecurity Reserve.", _reserve_params,
         reads=("significant",)),
    Rule("D11", "eccs >= 4 and (taken('D08') or eccs >= 5)", "The CyCLONe assessment shows a large-scale incident: activate IPCR information-sharing."),
    Rule("D14", "disinfo_reach >= 0.15 or public_trust <= 0.6", "Disinformation and falling trust: align public communication across the EU."),
    Rule("D12", "eccs >= 5", "EU cyber crisis (ECCS 5): full IPCR activation for strategic coordination."),
    Rule("D25", "criminal_group and eccs >= 3", "A criminal group is behind it: ask Europol EC3 for law-enforcement action."),
    Rule("D17", "confidence >= 'moderate' and (state_actor or criminal_group)", "Intelligence confidence is at least moderate: attribute publicly.", _ms_param,
         reads=("ms_affected",)),
    Rule("D18", "attributing_ms >= 2 or (attributing_ms >= 1 and partner_attribution)", "Several attributions exist: coordinate them for a stronger signal."),
    Rule("D22", "state_actor and attribution >= 'assessed'", "A State is assessed to be responsible or tolerant: deliver a démarche."),
    Rule("D20", "attribution >= 'attributed' or partner_attribution", "Attribution is public: seek an EU declaration.", _d20_params,
         reads=("attributing_ms", "partner_attribution")),
    Rule("D19", "attribution >= 'assessed' and eccs >= 3", "Signal early: an HR statement while the declaration is prepared."),
    Rule("D13", "eccs <= 3 and outlook == 'improving' and ipcr > 'monitoring'", "The crisis abates: return IPCR to monitoring."),
)
"""The doctrine, in the order it is considered."""


def _contradicts(ex: Exercise | None, decision: str) -> bool:
    """Doctrine keeps one consistent public line (domain.md §10.8): it never takes an uncoordinated national one."""
    d = ex.plan.catalogue.get(decision) if ex is not None else None
    return d is not None and any(c.kind == "contradiction" for c in d.consequences)


class _Step(NamedTuple):
    """A rule as doctrine plays it in an exercise."""

    rule: Rule
    decision: str
    cond: Condition
    when: Reads
    teams: tuple[tuple[str, frozenset[str]], ...]
    """The teams that may take the decision, in :meth:`Doctrine._teams_for`'s order, each with the decision
    points that put it to the team."""


class Passive:
    """Takes no decision; deadlines pass and defaults apply."""

    name = "passive"

    def attach(self, exercise: Exercise) -> None:
        pass


@dataclass
class Doctrine:
    """Plays every team the way domain.md recommends.

    It thinks between engine steps after the records that may let it act. A
    think that submits nothing changes nothing, so each part of a think (a
    team's assessment, each open decision point, each rule, the reports) runs
    only when what it read when it last ran without taking a step may have
    changed: a team's assessment when the team learns another value of a fact
    :func:`assess` reads; a point when it opens; a point or a rule when the
    desk changes a decision it read, a world variable it read changes, a
    picture it read learns another value of a fact it read, or an inject it
    waits for is delivered; a rule when a point that puts its decision to a
    team opens or closes; every part after a record doctrine does not know;
    the reports when one is due.
    ``always_think`` runs every part every time: the journal is the same
    (tests/unit/test_doctrine_skips.py).
    """

    rules: tuple[Rule, ...] = DOCTRINE
    name: str = "doctrine"
    always_think: bool = False
    """Run every part of every think (the reference the skipping is checked against)."""
    _ex: Exercise | None = field(default=None, repr=False)
    _scheduled: bool = False
    _done: set = field(default_factory=set, repr=False)
    _playbook: list | None = field(default=None, repr=False)
    """The rules as :class:`_Step` (the plan never changes)."""
    _closed: set = field(default_factory=set, repr=False)
    _assessing: dict = field(default_factory=dict, repr=False)
    """The level each team's assessment under way will give (one D30 at a time per level)."""
    _clock_ids: list | None = field(default=None, repr=False)
    """Ids of the clocks played entities can run (the plan never changes)."""
    _reads: dict = field(default_factory=dict, repr=False)
    """(decision, parameters' world reads) -> what the desk's check of it reads (the plan never changes)."""
    _log_at: int = field(default=0, repr=False)
    """How much of the knowledge fold's log of learned facts doctrine has read."""
    _desk_at: int = field(default=0, repr=False)
    """How much of the desk's :attr:`~simulator.decisions.desk.DecisionDesk.changed` doctrine has read."""
    _assessors: dict | None = field(default=None, repr=False)
    """Actor -> the assessing teams that play it."""
    _assessed: dict = field(default_factory=dict, repr=False)
    """Team -> the facts its last assessment read."""
    _to_assess: set | None = field(default=None, repr=False)
    """Teams that learned another value of something :func:`assess` reads since (None: every team)."""
    _settled_rules: int = field(default=0, repr=False)
    """How many rules are in :attr:`_lives`."""
    _lives: dict = field(default_factory=dict, repr=False)
    """Part (an open decision point, or a rule's index in :meth:`_steps`) -> what it read when it last ran without
    taking a step. A part that is not here runs at the next think."""
    _index: dict = field(default_factory=dict, repr=False)
    """(what, key) -> the parts whose :class:`Live` reads it: ``fact``, ``world``, ``delivered``, ``desk``."""
    _by_point: dict | None = field(default=None, repr=False)
    """Decision point -> the rules whose decision it puts to a team."""
    _keys: dict = field(default_factory=dict, repr=False)
    """A fact's name -> its index key (``fact``, :func:`~simulator.engine.picture.news_key`)."""
    _news: list = field(default_factory=list, repr=False)
    """(what, key) of the state changes, deliveries, points and unknown records since the parts last heard."""
    _due_at: float | None = field(default=None, repr=False)
    """When the next report of a played entity is due (None: work it out again, a clock changed)."""

    @property
    def ex(self) -> Exercise:
        """The exercise this policy plays (set by :meth:`attach`)."""
        if self._ex is None:
            raise RuntimeError("attach the doctrine policy to an exercise before it plays")
        return self._ex

    def attach(self, exercise: Exercise) -> None:
        """Play this exercise from now on; one attached halfway (a forecast's future) reads the points already closed."""
        self._ex = exercise
        self._closed.update(r.data["point"] for r in exercise.journal.of_kind("decision_point.closed"))
        exercise.journal.subscribe(self._on_record)
        self._schedule()

    def _on_record(self, rec) -> None:
        kind = rec.kind
        if kind == "state.changed":
            self._news.extend(("world", news_key(key)) for key in rec.data["changes"])
        elif kind == "inject.delivered":
            self._news.append(("delivered", rec.data["inject"]))
        elif kind == "severity.changed":
            self._news.append(("world", "eccs"))
        elif kind in CLOCKS:
            self._due_at = None
        elif kind in POINTS:
            self._news.append(("point", rec.data["point"]))
        elif kind not in QUIET and kind not in DESK:
            self._news.append(("all", kind))
        if kind == "decision_point.closed":
            self._closed.add(rec.data["point"])
        if kind in THINK_AFTER:
            self._schedule()
        elif kind == "inject.delivered" and rec.data.get("teams") and self.ex.decide_on == "knowledge":
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
        if self.always_think:
            self._unsettle(list(self._lives))
        self._hear()
        if self._to_assess == set() and self._settled_rules == len(self._steps()) and not self.always_think \
                and all(point in self._lives for point in ex.open_points()) and ex.now < (self._due_at or 0):
            return  # no part may act: nothing any of them read has changed, and no report is due
        self._assess()
        self._hear()
        for point in sorted(ex.open_points()):
            if point in self._lives:
                continue  # nothing it read has changed since doctrine last could not answer it
            watch = Watch()
            if self._answer(point, watch):
                self._hear()
            else:
                self._settle(point, watch)
        ctx = ex.context() if ex.decide_on == "truth" else None  # on the world, one context serves every team
        for i, step in enumerate(self._steps()):
            if i in self._lives:
                continue  # nothing it read has changed since it last took no step
            watch = Watch()
            if self._apply(step, watch, ctx):
                self._hear()
                ctx = ex.context() if ctx is not None else None
            else:
                self._settle(i, watch)
        self._file_reports()

    # ------------------------------------------------------------ what changed
    def _settle(self, part: int | str, watch: Watch) -> None:
        """``part`` ran and took no step having read what ``watch`` holds: it waits for news of that."""
        live = self._lives[part] = Live.of(watch)
        if isinstance(part, int):
            self._settled_rules += 1
        index = self._index
        for what, keys in (("fact", live.keys), ("world", live.world), ("delivered", live.delivered),
                           ("desk", live.desk)):
            for key in keys:
                index.setdefault((what, key), set()).add(part)

    def _unsettle(self, parts: Iterable[int | str]) -> None:
        """``parts`` run at the next chance, whatever the news."""
        for part in parts:
            live = self._lives.pop(part, None)
            if live is None:
                continue
            if isinstance(part, int):
                self._settled_rules -= 1
            index = self._index
            for what, keys in (("fact", live.keys), ("world", live.world), ("delivered", live.delivered),
                               ("desk", live.desk)):
                for key in keys:
                    index[(what, key)].discard(part)

    def _hear(self) -> None:
        """Take what happened since the parts last heard: facts learned, the desk, the state, deliveries, points."""
        ex = self.ex
        index, lives = self._index, self._lives
        changed = ex.desk.changed
        if len(changed) > self._desk_at:
            for ident in changed[self._desk_at:]:
                if parts := index.get(("desk", ident)):
                    self._unsettle(list(parts))
            self._desk_at = len(changed)
        if self._news:
            news, self._news = self._news, []
            for what, key in news:
                if what == "all":
                    self._unsettle(list(lives))
                elif what == "point":
                    self._unsettle([key, *self._rules_asked_at(key)])
                elif parts := index.get((what, key)):
                    self._unsettle(list(parts))
        log = ex.knowledge.learned_log
        if len(log) == self._log_at:
            return
        if self._assessors is None:
            self._assessors = {}
            if self._assesses():
                for team in self._teams_for(ASSESS):
                    for actor in ex.knowledge.teams.get(team, ()):
                        self._assessors.setdefault(actor, []).append(team)
        assessors, assessed, to_assess, keys = self._assessors, self._assessed, self._to_assess, self._keys
        for f in log[self._log_at:]:
            if to_assess is not None and f.actor in assessors and f.name.startswith(ASSESS_NEWS):
                for team in assessors[f.actor]:
                    if team not in to_assess and (team not in assessed or differs(assessed[team], f)):
                        to_assess.add(team)
            key = keys.get(f.name)
            if key is None:
                key = keys[f.name] = ("fact", news_key(f.name))
            parts = index.get(key)
            if parts and (moved := [part for part in parts if lives[part].moved_by(f)]):
                self._unsettle(moved)
        self._log_at = len(log)

    def _rules_asked_at(self, point: str) -> list[int]:
        """The rules whose decision ``point`` puts to a team (whether they may take it changes with the point)."""
        if self._by_point is None:
            self._by_point = {}
            for i, step in enumerate(self._steps()):
                for _team, offered in step.teams:
                    for p in offered:
                        self._by_point.setdefault(p, []).append(i)
        return self._by_point.get(point, [])

    # ------------------------------------------------------------ what is read
    def _check_reads(self, decision: str, extra: tuple[str, ...] = ()) -> tuple[Reads, frozenset[str]]:
        """What the desk's check of ``decision`` reads: its preconditions (on the deciding team's picture or the
        world), and of the world what its own rules and the ``extra`` world variables (parameters) read."""
        key = (decision, extra)
        reads = self._reads.get(key)
        if reads is None:
            requires = tuple(req.expr for req in self.ex.plan.catalogue[decision].requires)
            reads = self._reads[key] = check_reads(requires, extra)
        return reads

    def _checked(self, watch: Watch, team: str, decision: str, extra: tuple[str, ...] = ()) -> None:
        """Note what the desk reads to check ``team``'s ``decision``: the decision's own state at the desk too."""
        requires, world = self._check_reads(decision, extra)
        watch.read(self.ex.contexts.picture_for(team, decision), requires)
        watch.world |= world
        watch.desk.add(decision)

    # ------------------------------------------------------------ the parts
    def _steps(self) -> list[_Step]:
        """The rules whose decision the catalogue has, with what they read and who may take them (worked out once)."""
        if self._playbook is None:
            ex = self.ex
            offered: dict[tuple[str, str], set[str]] = {}
            for dp in ex.plan.points.values():
                for o in dp.options:
                    if o.decision is not None:
                        offered.setdefault((dp.team, o.decision), set()).add(dp.id)
            self._playbook = [
                _Step(rule, rule.decision, parse(rule.when), cond_reads(rule.when),
                      tuple((t, frozenset(offered.get((t, rule.decision), ()))) for t in self._teams_for(rule.decision)))
                for rule in self.rules if rule.decision in ex.plan.catalogue]
        return self._playbook

    def _apply(self, step: _Step, watch: Watch, ctx) -> bool:
        """Take a rule's decision for the first team that may take it and holds its condition to be true.

        ``ctx``: the world's context when deciding on truth, else None. A decision point still to be
        answered that puts the decision to a team is where doctrine answers it for that team; once every
        such point has closed (with another option, or by default), the rule may. Whether it took a step.
        """
        ex = self.ex
        desk, decision = ex.desk, step.decision
        watch.desk.add(decision)
        if decision in self._done or desk.taken(decision) or desk.under_way(decision):
            return False  # doctrine takes each measure once, and never retries one that failed
        closed = self._closed
        team: str | None = None
        if ctx is not None:
            watch.read(None, step.when)
            if step.cond.holds(ctx) and step.teams and step.teams[0][1] <= closed:
                team = step.teams[0][0]
        else:  # the first team that may take it and knows enough to (CyCLONe's team, not a member's capital)
            contexts = ex.contexts
            for t, offered in step.teams:
                if not offered <= closed:
                    continue
                picture = contexts.picture_for(t, decision)
                watch.read(picture, step.when)
                if step.cond.holds(contexts.of(picture)):
                    team = t
                    break
        if team is None:
            return False
        rule = step.rule
        self._checked(watch, team, decision, rule.reads)
        params = rule.params(ex, team)
        if not desk.allows(team, decision, params):
            return False
        self._done.add(decision)
        ex.submit(team, decision=decision, rationale=rule.rationale, params=params)
        return True

    def _assess(self) -> None:
        """Each team that assesses rates ECCS again when what it holds implies another level (D30)."""
        ex = self.ex
        news, self._to_assess = self._to_assess, set()
        if not self._assesses():
            return  # deciding on the world, nobody needs to assess
        for team in self._teams_for(ASSESS):
            if ex.plan.teams[team].facilitator:
                continue
            if news is not None and team not in news and not self.always_think:
                continue  # it holds what it held at its last assessment step
            picture = ex.known(team)
            self._assessed[team] = picture.facts
            level = assess(picture)
            if level == (picture.eccs if picture.eccs is not None else 0) or self._assessing.get(team) == level:
                continue
            self._assessing[team] = level
            held = "none yet" if picture.eccs is None else f"ECCS {picture.eccs}"
            ex.submit(team, decision=ASSESS, rationale=f"What has reached us puts the incident at ECCS {level} "
                                                       f"(last assessment: {held}).")

    def _assesses(self) -> bool:
        """Teams rate ECCS on their own pictures: the run decides on knowledge and the catalogue has D30."""
        return self.ex.decide_on == "knowledge" and ASSESS in self.ex.plan.catalogue

    def _teams_for(self, decision: str) -> tuple[str, ...]:
        """The teams that may take ``decision``, played teams first, in the scenario's order; then control."""
        return self.ex.plan.deciding_teams(self.ex.plan.catalogue[decision])

    def _answer(self, point: str, watch: Watch) -> bool:
        """Answer an open decision point with its first option whose decision doctrine can take now.

        Whether it answered.
        """
        ex = self.ex
        dp = ex.plan.points[point]
        for opt in dp.options:
            if opt.decision is None or _contradicts(ex, opt.decision):
                continue
            self._checked(watch, dp.team, opt.decision)
            d = ex.plan.catalogue[opt.decision]
            if d.repeatable and opt.decision in self._done and opt.decision != "D01":
                # doctrine took it already: not the same measure twice. Taking a step only takes
                # options away here: a point doctrine could not answer stays unanswered.
                continue
            if ex.desk.already(opt.decision) or ex.desk.allows(dp.team, opt.decision, dict(opt.params)):
                self._done.add(opt.decision)
                ex.submit(dp.team, point=point, option=opt.id, rationale=f"Doctrine: {d.name} — preconditions hold.")
                return True
        return False

    def _file_reports(self) -> None:
        """Played entities file each running report clock at its rhythm (:data:`RHYTHM`)."""
        ex = self.ex
        now = ex.now
        if self._due_at is not None and now < self._due_at and not self.always_think:
            return  # no clock changed and none is due yet
        # Only played actors' clocks, looked up by id: this runs after every record, and
        # scanning every simulated entity's clocks each time grew with the exercise.
        if self._clock_ids is None:
            actors = ex.plan.network.actors
            self._clock_ids = [f"{report}:{owner}" for owner in ex.plan.team_of_actor
                               if actors[owner].kind in ("entity", "union_entity") for report in RULES]
        played = [c for ident in self._clock_ids if (c := ex.clocks.get(ident)) is not None]
        running = (c for c in played if c.status == "running" and c.id not in self._done and now >= _due(c))
        for clock in sorted(running, key=lambda c: c.id):
            self._done.add(clock.id)
            team = ex.plan.team_of_actor[clock.owner]
            ex.submit(team, decision="D01", params={"entity": clock.owner, "report": clock.rule.report},
                      rationale=f"File the {clock.rule.label} on time.")
        self._due_at = min((_due(c) for c in played if c.status == "running" and c.id not in self._done),
                           default=math.inf)


def _due(clock) -> int:
    """When doctrine files a running clock's report: at its rhythm, an hour before the deadline at the latest."""
    return min(clock.started + RHYTHM.get(clock.rule.report, 0), clock.deadline - 60)


POLICIES = {"passive": Passive, "doctrine": Doctrine}
