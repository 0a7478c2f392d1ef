"""What each part of the doctrine's think read, and which news can move it.

:class:`simulator.players.policies.Doctrine` reruns a part of a think (a team's
assessment, an open decision point, a rule) only when something it read when
it last ran, and took no step, has changed. A condition's reads are worked out
once per expression (:func:`cond_reads`); a part records what it read in a
:class:`Watch`, kept as a :class:`Live` once it settles; the record kinds below
sort the journal's news into what can and cannot move a part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from simulator.engine.knowledge import Fact, Picture
from simulator.engine.picture import variable_sources
from simulator.scenario.conditions import VARIABLES, Condition, parse, read_names, referenced_ids

QUIET = frozenset({
    "message.sent", "message.queued", "message.waiting", "message.rerouted", "inject.released", "vote.round",
    "channel.changed", "incident.started", "incident.compromised", "incident.detected", "incident.contained",
    "incident.recovered", "incident.patched", "incident.protected", "incident.service", "incident.share",
    "incident.tempo", "adversary.reacted", "public.line", "assistance.requested", "assistance.assigned",
    "assistance.arrived", "assistance.released", "assistance.refused", "reserve.answered", "reserve.deployed",
    "tlp.breach",
})
"""Records that change nothing doctrine reads but what it follows otherwise: the pictures (the knowledge
fold's log of learned facts), the world state (``state.changed``), deliveries, the clocks, the desk."""
CLOCKS = frozenset({"clock.started", "clock.met", "clock.missed", "clock.pending", "report.filed"})
DESK = frozenset({"decision.submitted", "decision.accepted", "decision.refused", "decision.effective", "decision.failed",
                  "decision.downgraded", "decision.lapsed", "severity.reassessed"})
"""Records whose change to what doctrine reads shows in the desk's :attr:`~simulator.decisions.desk.DecisionDesk.changed`,
the knowledge fold's log and the state changes that follow them (a reassessment changes no level)."""
POINTS = frozenset({"decision_point.opened", "decision_point.closed"})
THINK_AFTER = frozenset({"state.changed", "severity.changed", "decision.effective", "decision_point.opened",
                         "decision.failed", "decision.downgraded", "decision.lapsed", "severity.reassessed"})
"""Records after which doctrine thinks (and after a delivery to a played team when deciding on knowledge)."""
DESK_READS = ("capacity_exceeded",)
"""What the desk's own rules read of the world state for any decision (who_may: Art. 222 needs the MS's capacity
exceeded)."""


class Reads(NamedTuple):
    """What a condition reads that can change."""

    keys: frozenset[str]
    """:func:`~simulator.engine.picture.news_key` of the facts (in a picture) or state changes (in the world) of
    its variables."""
    delivered: frozenset[str]
    """Injects it asks ``delivered()`` of: the exercise's deliveries, whatever it is evaluated on."""
    taken: frozenset[str]
    """Decisions and options it asks ``taken()`` of: the desk."""


def reads_of(conditions: Iterable[Condition], variables: Iterable[str] = ()) -> Reads:
    """What ``conditions`` and the world ``variables`` read; ``params.x`` never changes."""
    keys: set[str] = set()
    for name in variables:
        keys.update(variable_sources(name))
    delivered: set[str] = set()
    taken: set[str] = set()
    for cond in conditions:
        for name in read_names(cond):
            if name in VARIABLES:
                keys.update(variable_sources(name))
            elif name.startswith(("flags.", "flag(")):
                keys.add("flag")
            elif name.startswith("impact("):
                keys.add("impact")
        for fn, ident in referenced_ids(cond):
            if fn in ("delivered", "taken"):
                (delivered if fn == "delivered" else taken).add(ident)
    return Reads(frozenset(keys), frozenset(delivered), frozenset(taken))


@lru_cache(maxsize=4096)
def cond_reads(expr: str) -> Reads:
    """What a condition reads (worked out once per expression: walking its tree is not free)."""
    return reads_of([parse(expr)])


@lru_cache(maxsize=4096)
def check_reads(requires: tuple[str, ...], extra: tuple[str, ...]) -> tuple[Reads, frozenset[str]]:
    """What the desk reads to check a decision with these preconditions, and ``extra`` world variables read by the
    parameters: the preconditions' reads, and the world keys the desk's own rules and the parameters read."""
    return reads_of([parse(expr) for expr in requires]), reads_of([], (*DESK_READS, *extra)).keys


@dataclass
class Watch:
    """What one part of a think read: keys in the world and in pictures, the pictures, deliveries, the desk."""

    world: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    pictures: dict[tuple[str, ...], Mapping[str, Fact]] = field(default_factory=dict)
    """Actors of a union read -> the facts it held."""
    delivered: set[str] = field(default_factory=set)
    desk: set[str] = field(default_factory=set)

    def read(self, picture: Picture | None, reads: Reads) -> None:
        """A condition with ``reads`` was evaluated on ``picture`` (None: the world)."""
        self.delivered |= reads.delivered
        self.desk |= reads.taken
        if picture is None:
            self.world |= reads.keys
        else:
            self.keys |= reads.keys
            self.pictures[picture.actors] = picture.facts


@dataclass(frozen=True)
class Live:
    """What a part of a think read when it last ran and took no step: news of anything else cannot move it."""

    world: frozenset[str]
    keys: frozenset[str]
    delivered: frozenset[str]
    desk: frozenset[str]
    by_actor: dict[str, list[Mapping[str, Fact]]]
    """Actor -> the facts of the unions read that it is part of."""

    @classmethod
    def of(cls, watch: Watch) -> Live:
        by_actor: dict[str, list[Mapping[str, Fact]]] = {}
        for actors, facts in watch.pictures.items():
            for a in actors:
                by_actor.setdefault(a, []).append(facts)
        return cls(frozenset(watch.world), frozenset(watch.keys), frozenset(watch.delivered), frozenset(watch.desk),
                   by_actor)

    def moved_by(self, fact: Fact) -> bool:
        """Whether ``fact``, just learned (a news of one of :attr:`keys`), changes what a union read holds."""
        return any(differs(facts, fact) for facts in self.by_actor.get(fact.actor, ()))


def differs(facts: Mapping[str, Fact], fact: Fact) -> bool:
    """A union that held ``facts`` may hold another value of ``fact``'s name once ``fact`` is learned.

    The union keeps the latest learned value of each name: news of the value it holds leaves that value.
    """
    held = facts.get(fact.name)
    return held is None or held.value != fact.value
