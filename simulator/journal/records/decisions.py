"""Records of decisions, votes, decision points, the Reserve and TLP breaches."""

from __future__ import annotations

from simulator.journal.records.declare import Json, kind


# ------------------------------------------------------------------ decisions
@kind("decision.refused")
class DecisionRefused:
    team: str
    decision: str | None
    point: str | None
    option: str | None
    reason: str
    reads: Json
    default: bool


@kind("decision.accepted")
class DecisionAccepted:
    team: str
    decision: str
    name: str
    ladder: str
    level: str
    point: str | None
    option: str | None
    rationale: str
    params: Json
    reads: Json
    voting: str
    default: bool


@kind("decision.effective")
class DecisionEffective:
    decision: str
    name: str
    team: str
    params: Json
    ladder: str
    level: str


@kind("decision.downgraded")
class DecisionDowngraded:
    decision: str
    to: str
    name: str
    team: str
    reason: str


@kind("decision.failed")
class DecisionFailed:
    decision: str
    team: str
    reason: str


@kind("decision.lapsed")
class DecisionLapsed:
    decision: str
    name: str
    team: str
    reason: str


@kind("vote.round")
class VoteRound:
    decision: str
    topic: str
    round: int
    of: int
    votes: Json
    blockers: list[str]
    result: str
    evidence: float
    cohesion: float


@kind("decision_point.opened")
class DecisionPointOpened:
    point: str
    team: str
    prompt: str
    deadline: int
    default: str
    options: list[Json]
    tlp: str


@kind("decision_point.closed")
class DecisionPointClosed:
    point: str
    option: str
    how: str
    team: str
    rationale: str
    latency: int


@kind("decision_point.unresolved")
class DecisionPointUnresolved:
    point: str
    deadline: int


@kind("reserve.answered")
class ReserveAnswered:
    ms: str
    answer: str
    """approved (first in priority) or partial."""
    approved: bool
    priority: int
    requests: int
    requested: int
    entities: str
    services: str


@kind("reserve.deployed")
class ReserveDeployed:
    ms: str
    answer: str
    entities: str
    services: str


@kind("tlp.breach")
class TlpBreach:
    team: str
    decision: str
    shared_as: str
    reason: str
