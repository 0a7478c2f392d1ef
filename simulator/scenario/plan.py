"""A scenario compiled once for play: network, catalogue and indexes.

Building a :class:`Plan` does the work every run would otherwise repeat, so
thousands of exercises can be built from one validated scenario cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.scenario.catalogue import catalogue_for
from simulator.scenario.crossref import EVERYONE
from simulator.scenario.model import (
    TLP_ORDER,
    CatalogueDecision,
    DecisionPoint,
    Inject,
    Scenario,
    Team,
)
from simulator.scenario.network import ResolvedNetwork, resolve


@dataclass(frozen=True)
class Plan:
    scenario: Scenario
    network: ResolvedNetwork
    catalogue: dict[str, CatalogueDecision]
    injects: dict[str, Inject]
    points: dict[str, DecisionPoint]
    teams: dict[str, Team]
    team_of_actor: dict[str, str]
    played: tuple[str, ...]
    followers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """inject id -> ids of injects and decision points chained 'after' it."""
    content_hash: str = ""

    @classmethod
    def of(cls, scenario: Scenario, content_hash: str = "") -> Plan:
        team_of_actor = {a: t.id for t in scenario.teams for a in t.plays}
        followers: dict[str, list[str]] = {}
        timed: list[Inject | DecisionPoint] = [*scenario.injects, *scenario.decision_points]
        for item in timed:
            if item.after is not None:
                followers.setdefault(item.after.inject, []).append(item.id)
        return cls(
            scenario=scenario,
            network=resolve(scenario.network),
            catalogue=catalogue_for(scenario),
            injects={i.id: i for i in scenario.injects},
            points={d.id: d for d in scenario.decision_points},
            teams={t.id: t for t in scenario.teams},
            team_of_actor=team_of_actor,
            played=tuple(sorted(team_of_actor)),
            followers={k: tuple(v) for k, v in followers.items()},
            content_hash=content_hash,
        )

    def recipients(self, to: list[str]) -> list[str]:
        """Recipient actors with 'everyone' expanded, without repeats, in order.

        Worked out once per distinct ``to``: the list is shared by every caller
        and every record that names it, so nobody may change it.
        """
        memo: dict[tuple[str, ...], list[str]] = self.__dict__.setdefault("_recipients", {})
        key = tuple(to)
        out = memo.get(key)
        if out is None:
            out = memo[key] = []
            for r in to:
                for actor in (self.played if r == EVERYONE else (r,)):
                    if actor not in out:
                        out.append(actor)
        return out

    def facilitator(self) -> Team | None:
        return next((t for t in self.scenario.teams if t.facilitator), None)

    def teams_for(self, actor: str) -> list[str]:
        team = self.team_of_actor.get(actor)
        return [team] if team else []

    def point_tlp(self, dp: DecisionPoint) -> str:
        """A point's prompt inherits the label of the inject it follows when that is stricter (TLP 2.0, domain.md §8 rule 3)."""
        label = self.scenario.tlp
        source = self.injects.get(dp.after.inject) if dp.after is not None else None
        if source is not None and TLP_ORDER.index(source.tlp) > TLP_ORDER.index(label):
            label = source.tlp
        return label

    def simulated_deciders(self, decision: CatalogueDecision) -> tuple[str, ...]:
        """The actors nobody plays that would take ``decision`` (its kinds), in network order.

        Exercise control takes a decision for them; deciding on knowledge, it reads what
        reached them, not the world (simulated actors act on delivery, not on release).
        """
        memo: dict[tuple[str, ...], tuple[str, ...]] = self.__dict__.setdefault("_simulated_deciders", {})
        key = tuple(decision.by)  # the answer depends on the decision's kinds only: the plan never changes
        found = memo.get(key)
        if found is None:
            kinds = set(key)
            played = set(self.played)
            found = memo[key] = tuple(a for a, spec in self.network.actors.items()
                                      if spec.kind in kinds and a not in played)
        return found

    def may_take(self, team_id: str, decision: CatalogueDecision) -> bool:
        """A team may take a decision if it plays an actor of the right kind,
        or it is the facilitator acting for an actor nobody plays."""
        memo: dict[tuple[str, tuple[str, ...]], bool] = self.__dict__.setdefault("_may_take_memo", {})
        key = (team_id, tuple(decision.by))  # the answer depends on the decision's kinds only
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._may_take(team_id, set(key[1]))
        return found

    def _may_take(self, team_id: str, kinds: set[str]) -> bool:
        team = self.teams.get(team_id)
        if team is None:
            return False
        if any(self.network.actors[a].kind in kinds for a in team.plays if a in self.network.actors):
            return True
        if team.facilitator:
            return not any(self.network.actors[a].kind in kinds for a in self.played)
        return False

    def deciding_teams(self, decision: CatalogueDecision) -> tuple[str, ...]:
        """The teams that may take ``decision``: played teams in the scenario's order, then the facilitator."""
        memo: dict[tuple[str, ...], tuple[str, ...]] = self.__dict__.setdefault("_deciding_teams", {})
        key = tuple(decision.by)
        found = memo.get(key)
        if found is None:
            teams = [t for t, spec in self.teams.items() if not spec.facilitator and self.may_take(t, decision)]
            fac = self.facilitator()
            if fac is not None and self.may_take(fac.id, decision):
                teams.append(fac.id)
            found = memo[key] = tuple(teams)
        return found
