"""Records of the living incident (engine/incident.py), the public sphere and assistance."""

from __future__ import annotations

from typing import Annotated

from simulator.journal.records.declare import Json, Key, kind


# ------------------------------------------------------------------ the living incident (engine/incident.py)
@kind("incident.started")
class IncidentStarted:
    model: str
    threat: str
    adversary: str
    tempo: float
    exposed: Json
    entities: int


@kind("incident.compromised")
class IncidentCompromised:
    entity: str
    ms: str
    sector: str
    loss: float
    cause: str
    tempo: float


@kind("incident.detected")
class IncidentDetected:
    entity: str
    ms: str
    loss: float


@kind("incident.contained")
class IncidentContained:
    entity: str
    ms: str
    loss: float
    cause: str


@kind("incident.recovered")
class IncidentRecovered:
    entity: str
    ms: str
    loss: float
    hours: float


@kind("incident.service")
class IncidentService:
    entity: str
    ms: str
    loss: float
    cause: str


@kind("incident.protected")
class IncidentProtected:
    ms: str
    source: str
    factor: float
    spread_factor: float
    cause: str


@kind("incident.share")
class IncidentShare:
    decision: str
    tlp: str
    to: list[str]
    reason: str


@kind("incident.patched")
class IncidentPatched:
    decision: str
    count: int
    entities: list[str]


@kind("incident.tempo")
class IncidentTempo:
    from_: Annotated[float, Key("from")]
    to: float
    cause: str
    why: str


@kind("public.line")
class PublicLine:
    decision: str
    effect: str
    why: str
    growth: list[float] | None = None


@kind("adversary.reacted")
class AdversaryReacted:
    reaction: str
    cause: str
    description: str
    tempo: list[float]
    exposed: list[str]


@kind("assistance.requested")
class AssistanceRequested:
    request: int
    pool: str
    responder: str
    ms: str
    cause: str
    free_teams: int
    waiting: int


@kind("assistance.assigned")
class AssistanceAssigned:
    request: int
    pool: str
    ms: str
    arrives_in: int
    priority: Json


@kind("assistance.arrived")
class AssistanceArrived:
    request: int
    pool: str
    ms: str
    adds: int
    entities_helped: int
    waited: int


@kind("assistance.released")
class AssistanceReleased:
    request: int
    pool: str
    ms: str


@kind("assistance.refused")
class AssistanceRefused:
    request: int
    pool: str
    ms: str
    cause: str
    reason: str
