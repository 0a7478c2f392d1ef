"""Every kind of journal record, declared once with its fields and their types.

A record is stored as ``Record(seq, t, kind, data)`` and exported as
canonical JSON, byte for byte as before; what this module adds is the
contract: each kind is a frozen dataclass below, and :func:`check` refuses,
at write time, a kind that is not declared here, a missing field, a field
that is not declared, or a value of the wrong type. Readers can enumerate
:data:`KINDS` to prove they handle every kind (see the tests).

Field names that are Python keywords (``from``) are declared with a trailing
underscore and the JSON key in ``Annotated[..., Key("from")]``.

Why dataclasses and a compiled checker rather than pydantic or msgspec: the
records stay plain dicts in memory (the export must not change and the
readers index them by key), so only validation is needed, and a per-kind
table of ``isinstance`` checks built once from these declarations costs about
a microsecond a record (``python bench/records.py``), less than building a
model instance would.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints


@dataclass(frozen=True)
class Key:
    """The JSON key of a field whose name is a Python keyword."""

    name: str


From = Annotated[str, Key("from")]
Json = dict[str, Any]
"""A JSON object whose shape belongs to another module (state changes, reads, parameters)."""

KINDS: dict[str, type] = {}
"""Record kind -> its declaration."""

INPUT_KIND_NAMES: set[str] = set()


def kind(name: str, *, is_input: bool = False) -> Callable[[type], type]:
    """Declare ``cls`` as the fields of record kind ``name`` (an input if it comes from outside the engine)."""

    def register(cls: type) -> type:
        if name in KINDS:
            raise TypeError(f"record kind {name!r} declared twice")
        KINDS[name] = dataclass(frozen=True)(cls)
        if is_input:
            INPUT_KIND_NAMES.add(name)
        return cls

    return register


# ------------------------------------------------------------------ exercise
@kind("exercise.started")
class ExerciseStarted:
    scenario: str
    title: str
    summary: str
    description: str
    exercise_kind: str
    seed: int
    start: str
    duration: int
    content_hash: str
    tlp: str
    member_states: list[str]
    sectors: list[str]
    teams: list[Json]
    objectives: list[Json]
    points: list[Json]
    decide_on: str | None = None
    """Only when decisions read the teams' pictures ("knowledge"); absent, they read the world."""


@kind("exercise.ended")
class ExerciseEnded:
    eccs: int
    summary: str
    steps: int


# ------------------------------------------------------------------ inputs
@kind("decision.submitted", is_input=True)
class DecisionSubmitted:
    team: str
    decision: str | None
    point: str | None
    option: str | None
    rationale: str
    params: Json
    step: int


@kind("facilitator.fired", is_input=True)
class FacilitatorFired:
    inject: str
    step: int


@kind("facilitator.held", is_input=True)
class FacilitatorHeld:
    inject: str
    step: int


@kind("facilitator.released", is_input=True)
class FacilitatorReleased:
    inject: str
    step: int


@kind("facilitator.injected", is_input=True)
class FacilitatorInjected:
    inject: Json
    step: int


@kind("facilitator.channel", is_input=True)
class FacilitatorChannel:
    channel: str
    status: str
    step: int


@kind("observation.noted", is_input=True)
class ObservationNoted:
    text: str
    category: str
    objective: str | None
    team: str | None
    rating: str | None
    author: str
    step: int


@kind("facilitator.ignored")
class FacilitatorIgnored:
    inject: str
    reason: str


# ------------------------------------------------------------------ injects and messages
@kind("inject.released")
class InjectReleased:
    inject: str
    title: str
    from_: From
    to: list[str]
    tlp: str
    channel: str | None
    cause: str
    template: str | None
    objectives: list[str]
    expects: list[Json]


@kind("inject.held")
class InjectHeld:
    inject: str
    reason: str


@kind("inject.cancelled")
class InjectCancelled:
    inject: str
    cause: str


@kind("inject.delivered")
class InjectDelivered:
    msg: str
    inject: str
    actor: str
    teams: list[str]
    from_: From
    title: str
    body: str
    tlp: str


@kind("message.sent")
class MessageSent:
    msg: str
    inject: str
    from_: From
    to: str
    route: list[list[str]]
    tlp: str


@kind("message.rerouted")
class MessageRerouted:
    msg: str
    inject: str
    blocked: str
    route: list[list[str]]


@kind("message.waiting")
class MessageWaiting:
    msg: str
    inject: str
    from_: From
    to: str
    reason: str


@kind("message.queued")
class MessageQueued:
    msg: str
    inject: str
    actor: str
    queue: int
    capacity: int


@kind("channel.changed")
class ChannelChanged:
    channel: str
    from_: From
    to: str
    cause: str


# ------------------------------------------------------------------ world state and severity
@kind("state.changed")
class StateChanged:
    cause: str
    changes: Json


@kind("severity.changed")
class SeverityChanged:
    from_: Annotated[int, Key("from")]
    to: int
    name: str
    colour: str
    reason: str
    cause: str
    summary: str


@kind("severity.reassessed")
class SeverityReassessed:
    level: int
    reason: str
    cause: str


# ------------------------------------------------------------------ clocks and reports
@kind("clock.started")
class ClockStarted:
    clock: str
    report: str
    regime: str
    owner: str
    label: str
    basis: str
    deadline: int


@kind("clock.met")
class ClockMet:
    clock: str
    report: str
    owner: str
    margin: int
    label: str
    filed_before: int | None = None
    """Set when the report was filed before awareness started the clock."""


@kind("clock.missed")
class ClockMissed:
    clock: str
    report: str
    owner: str
    deadline: int
    label: str


@kind("clock.pending")
class ClockPending:
    clock: str
    report: str
    owner: str
    deadline: int
    label: str


@kind("report.filed")
class ReportFiled:
    owner: str
    report: str
    cause: str
    late: bool


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


# ================================================================== checking
Check = Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return type(v) is int


def _is_float(v: Any) -> bool:
    return (type(v) is float and math.isfinite(v)) or type(v) is int


def _checker(tp: Any) -> Check:
    """A predicate for values of type ``tp`` (str, int, float, bool, None, X | None, list[X], dict)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _checker(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        parts = [_checker(a) for a in get_args(tp)]
        return lambda v: any(p(v) for p in parts)
    if origin is list:
        (item,) = get_args(tp)
        each = _checker(item)
        return lambda v: isinstance(v, (list, tuple)) and all(each(x) for x in v)
    if origin is dict or tp is dict:
        return lambda v: isinstance(v, dict)
    if tp is type(None) or tp is None:
        return lambda v: v is None
    if tp is bool:
        return lambda v: type(v) is bool
    if tp is int:
        return _is_int
    if tp is float:
        return _is_float
    if tp is str:
        return lambda v: type(v) is str
    if tp is Any:
        return lambda v: True
    raise TypeError(f"no checker for record field type {tp!r}")


def _type_name(tp: Any) -> str:
    if get_origin(tp) is Annotated:
        return _type_name(get_args(tp)[0])
    return str(tp).replace("typing.", "") if not isinstance(tp, type) else tp.__name__


@dataclass(frozen=True)
class FieldSpec:
    key: str
    attr: str
    required: bool
    check: Check
    type_name: str


def _specs(cls: type) -> dict[str, FieldSpec]:
    hints = get_type_hints(cls, include_extras=True)
    out: dict[str, FieldSpec] = {}
    for f in fields(cls):
        tp = hints[f.name]
        key = f.name
        if get_origin(tp) is Annotated:
            key = next((m.name for m in get_args(tp)[1:] if isinstance(m, Key)), key)
        required = f.default is f.default_factory  # both MISSING: no default
        out[key] = FieldSpec(key, f.name, required, _checker(tp), _type_name(tp))
    return out


SPECS: dict[str, dict[str, FieldSpec]] = {name: _specs(cls) for name, cls in KINDS.items()}
"""Record kind -> JSON key -> how to check it."""
_REQUIRED: dict[str, frozenset[str]] = {k: frozenset(f for f, s in v.items() if s.required) for k, v in SPECS.items()}
_ALLOWED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in SPECS.items()}


class RecordError(TypeError):
    """A record that does not fit its declaration: a bug in the code that wrote it."""


def check(kind_name: str, data: dict[str, Any]) -> None:
    """Raise :class:`RecordError` unless ``data`` fits the declaration of ``kind_name``."""
    specs = SPECS.get(kind_name)
    if specs is None:
        raise RecordError(f"unknown record kind {kind_name!r}: declare it in simulator/journal/records.py")
    keys = data.keys()
    if not (_REQUIRED[kind_name] <= keys <= _ALLOWED[kind_name]):
        missing = sorted(_REQUIRED[kind_name] - keys)
        extra = sorted(keys - _ALLOWED[kind_name])
        raise RecordError(f"{kind_name} record: " + "; ".join(
            ([f"missing field(s) {', '.join(missing)}"] if missing else [])
            + ([f"undeclared field(s) {', '.join(extra)}"] if extra else [])))
    for key, value in data.items():
        spec = specs[key]
        if not spec.check(value):
            raise RecordError(f"{kind_name} record: field {key!r} must be {spec.type_name}, not {value!r:.80}")


def example(kind_name: str) -> dict[str, Any]:
    """A record body of ``kind_name`` with a plausible value in every field (for tests of readers)."""
    hints = get_type_hints(KINDS[kind_name], include_extras=True)
    return {spec.key: _sample(hints[spec.attr], spec.key) for spec in SPECS[kind_name].values()}


def _sample(tp: Any, name: str) -> Any:
    origin = get_origin(tp)
    if origin is Annotated:
        return _sample(get_args(tp)[0], name)
    if origin in (Union, types.UnionType):
        return _sample(next(a for a in get_args(tp) if a is not type(None)), name)
    if origin is list:
        return [_sample(get_args(tp)[0], name)]
    if origin is dict or tp is dict:
        return {}
    if tp is bool:
        return False
    if tp is int:
        return 1
    if tp is float:
        return 0.5
    return f"{name}-1"
