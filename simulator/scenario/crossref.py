"""Cross-check: the meaning that shapes cannot express (references, cycles, times, routes); the last stage of loading.

Input: the :class:`~simulator.scenario.model.Scenario` the shape stage built,
and the author's file (:class:`~simulator.scenario.yamlio.YamlDoc`) to place
problems in. Output: problems, added to the sink at their place; every check
runs so that an author sees every problem of the file at once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import lru_cache
from typing import Any

from simulator.errors import ProblemSink
from simulator.scenario.catalogue import bundled, catalogue_for, param_problems
from simulator.scenario.conditions import ConditionError, parse, referenced_ids
from simulator.scenario.model import EU_MEMBER_STATES, SECTORS, Effects, Inject, Scenario
from simulator.scenario.network import resolve
from simulator.scenario.problems import add_at
from simulator.scenario.yamlio import YamlDoc
from simulator.suggest import closest
from simulator.timefmt import EARLIEST_START, LATEST_START, format_time

NETWORK_WIDE = frozenset({"csirts_network", "cyclone", "media", "public"})
"""Actor kinds that stand for a whole community: never a TLP:RED audience."""

EVERYONE = "everyone"
"""Recipient shorthand: every actor some team plays."""


@lru_cache(maxsize=4096)
def _closest(value: str, known: tuple[str, ...]) -> str | None:
    """The nearest known id, for a "did you mean" hint; remembered, since a broken file repeats its mistakes
    (ten thousand injects sent to the same unknown actor spent seconds in difflib)."""
    return closest(value, known)


def red_audience(tlp: str, to: list[str], actors) -> list[tuple[int, str]]:
    """Where a TLP:RED inject's ``to`` names no person (``everyone``, a network-wide community), and why not.

    TLP:RED is for named recipients only (TLP 2.0, domain.md §8). Scenario files are
    checked here, and so is an ad-hoc inject written during a session.
    """
    if tlp != "TLP:RED":
        return []
    out = []
    for j, r in enumerate(to):
        actor = actors.get(r)
        if r == EVERYONE or (actor is not None and actor.kind in NETWORK_WIDE):
            what = "everyone" if r == EVERYONE else f"{r} (a network-wide community)"
            out.append((j, f"TLP:RED is for named recipients only: this inject goes to {what}; "
                           "name the people who need it or use TLP:AMBER"))
    return out


class _Checker:
    def __init__(self, scenario: Scenario, doc: YamlDoc, sink: ProblemSink):
        self.s = scenario
        self.doc = doc
        self.sink = sink
        self.net = resolve(scenario.network)
        self.catalogue = catalogue_for(scenario)
        self.injects = {i.id: i for i in scenario.injects}
        self.options = {o.id for dp in scenario.decision_points for o in dp.options}
        self.teams = {t.id: t for t in scenario.teams}
        self.objectives = {o.id for o in scenario.objectives}

    def add(self, loc: tuple, message: str, *, key: bool = False) -> None:
        add_at(self.sink, self.doc, loc, message, key=key)

    def unknown(self, loc: tuple, what: str, value: str, known, *, key: bool = False) -> None:
        close = _closest(value, tuple(sorted(known)))
        hint = f"; did you mean {close!r}?" if close else ""
        self.add(loc, f"unknown {what} {value!r}{hint}", key=key)

    # ------------------------------------------------------------ checks
    def run(self) -> None:
        self.start()
        self.duplicates()
        self.member_states()
        self.network()
        self.teams_check()
        self.effects(("initial",), self.s.initial)
        self.incidents()
        self.inject_checks()
        self.chains()
        self.decision_points()
        self.custom_decisions()
        self.incident_model()
        for ms in self.s.council.stances:
            if ms not in EU_MEMBER_STATES:
                self.unknown(("council", "stances", ms), "Member State", ms, EU_MEMBER_STATES, key=True)

    def start(self) -> None:
        try:
            when = datetime.fromisoformat(self.s.start)
        except ValueError:
            self.add(("start",), f"start {self.s.start!r} is not an ISO 8601 date-time, e.g. '2026-03-02T08:00:00+01:00'")
            return
        if when.tzinfo is None:
            self.add(("start",), "start needs a UTC offset, e.g. '2026-03-02T08:00:00+01:00', so times read the same everywhere")
        elif not EARLIEST_START <= when.replace(tzinfo=None) <= LATEST_START:
            self.add(("start",), f"start {self.s.start!r} is outside the calendar the reports can show "
                                 f"({EARLIEST_START.year} to {LATEST_START.year})")
        if self.s.duration <= 0:
            self.add(("duration",), "duration must be after T+0")

    def duplicates(self) -> None:
        groups: dict[str, Any] = {
            "objectives": self.s.objectives, "teams": self.s.teams, "incidents": self.s.incidents,
            "injects": self.s.injects, "decision_points": self.s.decision_points, "decisions": self.s.decisions,
        }
        for section, items in groups.items():
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.id in seen:
                    self.add((section, i, "id"), f"duplicate id {item.id!r} (first used in {section}[{seen[item.id]}])")
                else:
                    seen[item.id] = i
        for section in ("actors", "channels"):
            counts = Counter(x.id for x in getattr(self.s.network, section))
            for i, x in enumerate(getattr(self.s.network, section)):
                if counts[x.id] > 1:
                    self.add(("network", section, i, "id"), f"duplicate id {x.id!r} in network.{section}")
        clash = set(self.injects) & set(self.options)
        for i, inj in enumerate(self.s.injects):
            if inj.id in clash:
                self.add(("injects", i, "id"), f"id {inj.id!r} is used by both an inject and a decision option")
        for i, dp in enumerate(self.s.decision_points):
            c = Counter(o.id for o in dp.options)
            for j, o in enumerate(dp.options):
                if c[o.id] > 1:
                    self.add(("decision_points", i, "options", j, "id"), f"duplicate option id {o.id!r}")

    def member_states(self) -> None:
        for i, ms in enumerate(self.s.member_states):
            if ms not in EU_MEMBER_STATES:
                self.unknown(("member_states", i), "Member State code", ms, EU_MEMBER_STATES)
        for i, sector in enumerate(self.s.sectors):
            if sector not in SECTORS:
                self.unknown(("sectors", i), "sector", sector, SECTORS)

    def network(self) -> None:
        actors = self.net.actors
        for i, a in enumerate(self.s.network.actors):
            if a.ms is not None and a.ms not in EU_MEMBER_STATES and a.kind not in ("partner", "threat_actor", "nato"):
                self.unknown(("network", "actors", i, "ms"), "Member State code", a.ms, EU_MEMBER_STATES)
            if a.sector is not None and a.sector not in SECTORS:
                self.unknown(("network", "actors", i, "sector"), "sector", a.sector, SECTORS)
            if a.kind == "entity" and a.ms and self.s.member_states and a.ms not in self.s.member_states:
                self.add(("network", "actors", i, "ms"), f"entity {a.id!r} is in {a.ms}, which is not listed in member_states")
        if self.s.network.remove:  # ids to leave out must exist before removal
            full = resolve(self.s.network.model_copy(update={"remove": []}))
            for i, rid in enumerate(self.s.network.remove):
                if rid not in full.actors and rid not in full.channels:
                    self.unknown(("network", "remove", i), "actor or channel", rid, list(full.actors) + list(full.channels))
        for i, c in enumerate(self.s.network.channels):
            if c.from_ not in actors:
                self.unknown(("network", "channels", i, "from"), "actor", c.from_, actors)
            for j, t in enumerate(c.to):
                if t not in actors:
                    self.unknown(("network", "channels", i, "to", j), "actor", t, actors)

    def teams_check(self) -> None:
        players = [t for t in self.s.teams if not t.facilitator]
        if not players:
            self.add(("teams",), "at least one team must be a playing team (facilitator: false)")
        owner: dict[str, str] = {}
        for i, t in enumerate(self.s.teams):
            for j, a in enumerate(t.plays):
                if a not in self.net.actors:
                    self.unknown(("teams", i, "plays", j), "actor", a, self.net.actors)
                elif a in owner:
                    self.add(("teams", i, "plays", j), f"actor {a!r} is already played by team {owner[a]!r}")
                else:
                    owner[a] = t.id

    def time(self, loc: tuple, minutes: int | None) -> None:
        if minutes is not None and minutes > self.s.duration:
            self.add(loc, f"{format_time(minutes)} is after the end of the scenario ({format_time(self.s.duration)})")

    def condition(self, loc: tuple, source: str | None) -> None:
        if source is None:
            return
        try:
            cond = parse(source)
        except ConditionError as e:
            self.add(loc, str(e))
            return
        for fn, ident in referenced_ids(cond):
            if fn == "taken" and ident not in self.catalogue and ident not in self.options:
                self.unknown(loc, "decision or option", ident, list(self.catalogue) + list(self.options))
            elif fn == "delivered" and ident not in self.injects:
                self.unknown(loc, "inject", ident, self.injects)
            elif fn == "impact" and ident not in EU_MEMBER_STATES:
                self.unknown(loc, "Member State code", ident, EU_MEMBER_STATES)

    def effects(self, loc: tuple, e: Effects) -> None:
        for key in e.impact:
            ms, _, sector = key.partition("/")
            if ms not in EU_MEMBER_STATES or sector not in SECTORS:
                self.add(loc + ("impact", key), f"impact key {key!r} must be 'MS/sector', e.g. 'IE/health'", key=True)
        for field in ("capacity_exceeded", "capacity_restored", "attributed_by"):
            for j, ms in enumerate(getattr(e, field)):
                if ms not in EU_MEMBER_STATES:
                    self.unknown(loc + (field, j), "Member State code", ms, EU_MEMBER_STATES)
        for field in ("significant", "major"):
            for j, ent in enumerate(getattr(e, field)):
                actor = self.net.actors.get(ent)
                if actor is None:
                    self.unknown(loc + (field, j), "entity", ent, [a for a, x in self.net.actors.items() if x.kind in ("entity", "union_entity")])
                elif actor.kind not in ("entity", "union_entity"):
                    self.add(loc + (field, j), f"{ent!r} is a {actor.kind}, not an entity; reporting clocks run for entities")
                elif field == "major" and not actor.financial:
                    self.add(loc + (field, j), f"{ent!r} is not a financial entity (financial: true); DORA clocks do not apply")
        for ent in e.reported:
            if ent not in self.net.actors:
                self.unknown(loc + ("reported", ent), "entity", ent, self.net.actors, key=True)
        for ch in e.channels:
            if ch not in self.net.channels:
                self.unknown(loc + ("channels", ch), "channel", ch, self.net.channels, key=True)

    def incidents(self) -> None:
        for i, inc in enumerate(self.s.incidents):
            for j, ent in enumerate(inc.entities):
                if ent not in self.net.actors:
                    self.unknown(("incidents", i, "entities", j), "entity", ent, self.net.actors)
            for j, change in enumerate(inc.impact):
                loc = ("incidents", i, "impact", j)
                self.time(loc + ("at",), change.at)
                if change.ms not in EU_MEMBER_STATES:
                    self.unknown(loc + ("ms",), "Member State code", change.ms, EU_MEMBER_STATES)
                if change.sector not in SECTORS:
                    self.unknown(loc + ("sector",), "sector", change.sector, SECTORS)

    def recipients(self, loc: tuple, sender: str, recipients: list[str], channel: str | None) -> None:
        actors = self.net.actors
        if sender not in actors:
            self.unknown(loc + ("from",), "actor", sender, actors)
            return
        if channel is not None and channel not in self.net.channels:
            self.unknown(loc + ("channel",), "channel", channel, self.net.channels)
            return
        for j, r in enumerate(recipients):
            if r == EVERYONE:  # every played actor must be reachable, as if named
                played = sorted({a for t in self.s.teams for a in t.plays if a in actors and a != sender})
                if channel is not None:
                    missing = [a for a in played if not self.net.channel_links(channel, sender, a)]
                    if missing:
                        self.add(loc + ("channel",), f"channel {channel!r} does not connect {sender} to "
                                 f"{', '.join(missing)} ('everyone' includes them)")
                else:
                    missing = [a for a in played if not self.net.direct_channels(sender, a)]
                    if missing:
                        self.add(loc + ("to", j), f"{sender} has no channel to {', '.join(missing)} ('everyone' "
                                 "includes them); name a channel or add one under network.channels")
                continue
            if r not in actors:
                self.unknown(loc + ("to", j), "actor", r, actors)
                continue
            if channel is not None:
                if not self.net.channel_links(channel, sender, r):
                    self.add(loc + ("channel",), f"channel {channel!r} does not connect {sender} to {r}")
            elif not self.net.direct_channels(sender, r):
                self.add(loc + ("to", j), f"{sender} has no channel to {r}; name a channel or add one under network.channels")

    def tlp_red(self, loc: tuple, inj) -> None:
        """TLP:RED is for named recipients only (TLP 2.0, domain.md §8): no community, network or 'everyone'."""
        for j, problem in red_audience(inj.tlp, inj.to, self.net.actors):
            self.add(loc + ("to", j), problem)

    def inject_checks(self) -> None:
        for i, inj in enumerate(self.s.injects):
            loc = ("injects", i)
            self.recipients(loc, inj.from_, inj.to, inj.channel)
            self.tlp_red(loc, inj)
            self.time(loc + ("at",), inj.at)
            self.condition(loc + ("when",), inj.when)
            if inj.after is not None:
                if inj.after.inject not in self.injects:
                    self.unknown(loc + ("after", "inject"), "inject", inj.after.inject, self.injects)
                self.time(loc + ("after", "delay"), inj.after.delay)
            for j, ob in enumerate(inj.objectives):
                if ob not in self.objectives:
                    self.unknown(loc + ("objectives", j), "objective", ob, self.objectives)
            for j, ex in enumerate(inj.expects):
                if ex.decision not in self.catalogue and ex.decision not in self.options:
                    self.unknown(loc + ("expects", j, "decision"), "decision or option", ex.decision, list(self.catalogue) + list(self.options))
                if ex.team is not None and ex.team not in self.teams:
                    self.unknown(loc + ("expects", j, "team"), "team", ex.team, self.teams)
                if ex.objective is not None and ex.objective not in self.objectives:
                    self.unknown(loc + ("expects", j, "objective"), "objective", ex.objective, self.objectives)
            self.effects(loc + ("effects",), inj.effects)

    def chains(self) -> None:
        """'after' chains must end at a timed inject, never loop back."""
        index = {inj.id: i for i, inj in enumerate(self.s.injects)}
        reported: set[str] = set()
        for start in self.s.injects:
            path: list[str] = []
            cur: Inject | None = start
            while cur is not None and cur.after is not None:
                if cur.id in path:
                    cycle = path[path.index(cur.id):] + [cur.id]
                    key = min(cycle[:-1])
                    if key not in reported:
                        reported.add(key)
                        self.add(("injects", index[key], "after", "inject"), "inject chain loops: " + " -> ".join(cycle))
                    break
                path.append(cur.id)
                cur = self.injects.get(cur.after.inject)
        # a chain's total time must fit the scenario when its root is timed
        for i, inj in enumerate(self.s.injects):
            total, seen = 0, set()
            cur = inj
            while cur is not None and cur.after is not None and cur.id not in seen:
                seen.add(cur.id)
                total += cur.after.delay
                cur = self.injects.get(cur.after.inject)
            if cur is not None and cur.at is not None and cur.id not in seen and inj.after is not None:
                self.time(("injects", i, "after", "delay"), cur.at + total)

    def _release_time(self, inject_id: str) -> int | None:
        """When an inject is released, if its 'after' chain ends at a timed inject."""
        total, cur, seen = 0, self.injects.get(inject_id), set()
        while cur is not None and cur.after is not None and cur.id not in seen:
            seen.add(cur.id)
            total += cur.after.delay
            cur = self.injects.get(cur.after.inject)
        if cur is None or cur.at is None or cur.id in seen:
            return None
        return cur.at + total

    def decision_points(self) -> None:
        for i, dp in enumerate(self.s.decision_points):
            loc = ("decision_points", i)
            if dp.team not in self.teams:
                self.unknown(loc + ("team",), "team", dp.team, self.teams)
            self.time(loc + ("at",), dp.at)
            self.time(loc + ("deadline",), dp.deadline)
            if dp.at is not None and dp.deadline is not None and dp.deadline <= dp.at:
                self.add(loc + ("deadline",), "deadline must be after the decision point opens")
            self.condition(loc + ("when",), dp.when)
            if dp.after is not None and dp.after.inject not in self.injects:
                self.unknown(loc + ("after", "inject"), "inject", dp.after.inject, self.injects)
            elif dp.after is not None:  # opens after an inject: must open before the end
                released = self._release_time(dp.after.inject)
                if released is not None:
                    self.time(loc + ("after", "delay"), released + dp.after.delay)
            ids = [o.id for o in dp.options]
            if dp.default not in ids:
                self.unknown(loc + ("default",), "option", dp.default, ids)
            for j, ob in enumerate(dp.objectives):
                if ob not in self.objectives:
                    self.unknown(loc + ("objectives", j), "objective", ob, self.objectives)
            for j, opt in enumerate(dp.options):
                oloc = loc + ("options", j)
                if opt.decision is not None and opt.decision not in self.catalogue:
                    self.unknown(oloc + ("decision",), "catalogue decision", opt.decision, self.catalogue)
                elif opt.decision is not None:
                    for name, message in param_problems(self.catalogue[opt.decision], dict(opt.params)):
                        self.add(oloc + ("params",) + ((name,) if name else ()), message, key=name is not None
                                 and name not in self.catalogue[opt.decision].params)
                    if dp.team in self.teams:
                        self.option_decision(oloc, dp.team, opt)
                for field in ("fires", "cancels"):
                    for k, ref in enumerate(getattr(opt, field)):
                        if ref not in self.injects:
                            self.unknown(oloc + (field, k), "inject", ref, self.injects)
                self.effects(oloc + ("effects",), opt.effects)

    def option_decision(self, loc: tuple, team_id: str, opt) -> None:
        """The point's team must be allowed to take the option's decision, with every required parameter."""
        d = self.catalogue[opt.decision]
        team = self.teams[team_id]
        actors = self.net.actors
        kinds = set(d.by)
        plays = any(actors[a].kind in kinds for a in team.plays if a in actors)
        if not plays and not team.facilitator:
            self.add(loc + ("decision",), f"team {team_id} may not take {d.id} ({d.name}): it plays no actor of kind "
                     f"{', '.join(d.by)}")
        for name, spec in d.params.items():
            value = opt.params.get(name)
            if spec.required and value in (None, ""):
                self.add(loc + ("decision",), f"option {opt.id!r}: {d.id} needs parameter {name!r} "
                         f"({spec.description}); it is required: add it under params")
            elif spec.choices and value not in (None, "") and value not in spec.choices:
                self.add(loc + ("params", name), f"option {opt.id!r}: parameter {name!r} of {d.id} must be one of "
                         f"{', '.join(map(str, spec.choices))}, not {value!r}")

    def custom_decisions(self) -> None:
        bundled_ids = {d.id for d in bundled()}
        for i, d in enumerate(self.s.decisions):
            if d.id in bundled_ids and not d.overrides:
                self.add(("decisions", i, "id"), f"{d.id} is a catalogue decision; add 'overrides: true' to replace it in this scenario, or pick another id")
            for j, req in enumerate(d.requires):
                self.condition(("decisions", i, "requires", j, "expr"), req.expr)
            for k, ref in enumerate(d.fires):
                if ref not in self.injects:
                    self.unknown(("decisions", i, "fires", k), "inject", ref, self.injects)
            if d.voting.downgrade_to and d.voting.downgrade_to not in self.catalogue:
                self.unknown(("decisions", i, "voting", "downgrade_to"), "decision", d.voting.downgrade_to, self.catalogue)
            self.effects(("decisions", i, "effects"), d.effects)


    def incident_model(self) -> None:
        """Exposure in real MS and sectors, named entities that exist there, reactions on known decisions, times in range."""
        m = self.s.incident_model
        if m is None:
            return
        base = ("incident_model",)
        groups: list[tuple[tuple, Any]] = [(base + ("exposure", i), g) for i, g in enumerate(m.exposure)]
        for j, r in enumerate(m.adversary.reactions):
            loc: tuple = base + ("adversary", "reactions", j)
            groups += [(loc + ("expose", i), g) for i, g in enumerate(r.expose)]
            if r.decision is not None and r.decision not in self.catalogue:
                self.unknown(loc + ("decision",), "decision", r.decision, self.catalogue)
            if r.by is not None:
                self.time(loc + ("by",), r.by)
        named: dict[str, tuple] = {}
        for loc, g in groups:
            if g.ms not in EU_MEMBER_STATES:
                self.unknown(loc + ("ms",), "Member State code", g.ms, EU_MEMBER_STATES)
            if g.sector not in SECTORS:
                self.unknown(loc + ("sector",), "sector", g.sector, SECTORS)
            for k, ident in enumerate(g.named):
                actor = self.net.actors.get(ident)
                if actor is None:
                    self.unknown(loc + ("named", k), "actor", ident, self.net.actors)
                elif actor.kind not in ("entity", "union_entity"):
                    self.add(loc + ("named", k), f"{ident!r} is a {actor.kind}, not an entity")
                elif actor.ms not in (None, g.ms):
                    self.add(loc + ("named", k), f"{ident!r} is in {actor.ms}, not {g.ms}")
                elif ident in named:
                    self.add(loc + ("named", k), f"{ident!r} is already exposed in another group")
                named[ident] = loc
        for i, seed in enumerate(m.seeds):
            loc = base + ("seeds", i)
            self.time(loc + ("at",), seed.at)
            if not any(g.ms == seed.ms and g.sector == seed.sector for _loc, g in groups[:len(m.exposure)]):
                self.add(loc, f"no exposure of {seed.ms}/{seed.sector} for this seed to hit")
        if m.spread.until is not None:
            self.time(base + ("spread", "until"), m.spread.until)


def check(scenario: Scenario, doc: YamlDoc, sink: ProblemSink) -> None:
    """Add every cross-reference problem of the scenario to the sink."""
    _Checker(scenario, doc, sink).run()


