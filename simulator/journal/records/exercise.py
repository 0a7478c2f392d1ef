"""Records of the exercise's frame, its inputs, and injects and messages on their way."""

from __future__ import annotations

from simulator.journal.records.declare import From, Json, kind


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
