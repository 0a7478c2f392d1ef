"""The scenario format v1 as typed, immutable models.

These pydantic models are the single definition of the format: the loader
validates YAML against them, ``cyclesim schema`` prints their JSON Schema, and
the engine reads them. Cross-references (does that actor exist?) are checked by
:mod:`simulator.scenario.crossref` after the shapes are known to be right.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from simulator.timefmt import parse_duration, parse_time

FORMAT = "cyclesim/1"

# ---------------------------------------------------------------- scalar types

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", description="identifier: letters, digits, _ . -")]

Time = Annotated[
    int,
    BeforeValidator(parse_time),
    WithJsonSchema({"type": "string", "pattern": r"^[Tt]\+", "description": "scenario time: 'T+26:00', 'T+3d4h', 'T+90m'"}),
]
"""A point in scenario time, held as whole minutes since T+0."""

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "description": "duration: '26:00', '3d4h', '2h', '45m'"}),
]
"""A length of scenario time, held as whole minutes."""

_TLP_LABELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
TLP_ORDER = tuple(f"TLP:{x}" for x in _TLP_LABELS)
"""TLP labels from least to most restrictive."""


def _tlp(value: object) -> object:
    if isinstance(value, str):
        v = value.strip().upper()
        if v == "WHITE" or v == "TLP:WHITE":
            raise ValueError("TLP:WHITE was renamed TLP:CLEAR in TLP 2.0")
        if v in _TLP_LABELS:
            return f"TLP:{v}"
        return v
    return value


Tlp = Annotated[
    Literal["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"],
    BeforeValidator(_tlp),
    WithJsonSchema({"type": "string", "enum": list(TLP_ORDER) + list(_TLP_LABELS)}),
]

Colour = Literal["white", "green", "yellow", "red"]
Outlook = Literal["improving", "stable", "worsening"]
Level = Literal["entity", "technical", "operational", "political", "external", "environment", "control"]

ActorKind = Literal[
    "entity", "csirt", "competent_authority", "ccma", "government", "csirts_network", "cert_eu", "enisa",
    "cyclone", "presidency", "ipcr", "gsc", "commission", "hr_eeas", "intcen", "hwpci", "psc", "coreper",
    "council", "europol", "law_enforcement", "media", "partner", "nato", "threat_actor", "union_entity",
    "milcert", "csdp_mission", "excon", "other",
]

EU_MEMBER_STATES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)
"""ISO codes of the 27 Member States (Greece as GR, the ISO code)."""

SECTORS = (
    "energy", "transport", "banking", "financial-market-infrastructure", "health", "drinking-water",
    "waste-water", "digital-infrastructure", "ict-service-management", "public-administration", "space",
    "postal", "waste-management", "chemicals", "food", "manufacturing", "digital-providers", "research",
    "defence", "union-entities",
)
"""NIS2 Annex I/II sectors, plus defence and Union entities for the exercise kinds that need them."""


class Model(BaseModel):
    """Base: unknown keys are errors, values never change after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Delay(Model):
    """A triangular delay in hours (domain.md §10.2): min <= mode <= max."""

    min: float = Field(ge=0, allow_inf_nan=False, description="shortest delay, hours")
    mode: float = Field(ge=0, allow_inf_nan=False, description="most likely delay, hours")
    max: float = Field(ge=0, allow_inf_nan=False, description="longest delay, hours")

    @model_validator(mode="after")
    def _ordered(self) -> "Delay":
        if not self.min <= self.mode <= self.max:
            raise ValueError(f"delay needs min <= mode <= max, got {self.min} / {self.mode} / {self.max}")
        return self

    @property
    def mean_hours(self) -> float:
        return (self.min + self.mode + self.max) / 3


# ---------------------------------------------------------------- metadata

class Objective(Model):
    """An exercise objective the evaluators rate (HSEEP: P/S/M/U)."""

    id: Id
    title: str
    description: str = ""
    capability: str = Field("", description="the capability it tests, for the improvement plan")


class Team(Model):
    """A group of participants and the actors they play; one team is the facilitator (EXCON)."""

    id: Id
    name: str
    plays: list[Id] = Field(default_factory=list, description="actor ids this team plays")
    facilitator: bool = Field(False, description="exercise control: sees everything, may act for simulated actors")
    organisation: str = ""
    contact: str = Field("", description="point of contact, for the improvement plan")


# ---------------------------------------------------------------- network

class Actor(Model):
    """A node of the response network (domain.md §10.1)."""

    id: Id
    name: str
    kind: ActorKind
    level: Level
    ms: str | None = Field(None, description="Member State code, for national actors and entities")
    sector: str | None = None
    capacity: int = Field(4, ge=1, le=1000, description="messages handled at once before a queue forms")
    handling: Delay | None = Field(None, description="time to handle one message, hours")
    essential: bool = Field(False, description="NIS2 essential entity")
    financial: bool = Field(False, description="financial entity under DORA")
    union_entity: bool = Field(False, description="Union institution, body or agency (reports to CERT-EU)")
    reporting: Literal["auto", "late", "never"] = Field(
        "auto", description="how a simulated entity files its reports: on time (auto), 50% slower (late), or not at all")
    description: str = ""


class Channel(Model):
    """A way messages travel between actors, with a delay and a capacity."""

    id: Id
    from_: Id = Field(alias="from")
    to: list[Id] = Field(min_length=1)
    delay: Delay
    capacity: int = Field(50, ge=1, le=100000, description="messages in transit at once")
    bidirectional: bool = True
    description: str = ""


class Network(Model):
    """The network a scenario plays on: the bundled EU default, extended or overridden."""

    base: Literal["eu-default", "none"] = "eu-default"
    actors: list[Actor] = Field(default_factory=list, description="added, or replacing a default actor of the same id")
    channels: list[Channel] = Field(default_factory=list, description="added, or replacing a default channel of the same id")
    remove: list[Id] = Field(default_factory=list, description="default actors or channels to leave out")


# ---------------------------------------------------------------- state changes

class Effects(Model):
    """Changes to the exercise state that an inject, incident or decision brings."""

    impact: dict[str, Colour] = Field(default_factory=dict, description="'MS/sector': colour, e.g. 'IE/health': red")
    outlook: Outlook | None = None
    cross_border: bool | None = None
    capacity_exceeded: list[str] = Field(default_factory=list, description="MS whose response capacity is exceeded")
    capacity_restored: list[str] = Field(default_factory=list)
    threat_severity: Literal["none", "low", "medium", "high"] | None = None
    exposure: Literal["limited", "wide"] | None = None
    internal_market: bool | None = None
    public_safety: bool | None = None
    cross_border_dependency: bool | None = None
    attribution: Literal["none", "suspected", "assessed", "attributed", "coordinated"] | None = None
    confidence: Literal["none", "low", "moderate", "high"] | None = None
    state_actor: bool | None = None
    criminal_group: bool | None = None
    partner_attribution: bool | None = None
    attributed_by: list[str] = Field(default_factory=list, description="MS that publicly attribute")
    evidence: float | None = Field(None, ge=0, le=1, description="raise the evidence package to at least this")
    cohesion: float | None = Field(None, ge=-1, le=1, description="change of EU cohesion, e.g. +0.1")
    public_trust: float | None = Field(None, ge=-1, le=1, description="change, e.g. -0.1")
    disinfo_reach: float | None = Field(None, ge=-1, le=1, description="change, e.g. +0.2")
    significant: list[Id] = Field(default_factory=list, description="entities aware of a significant incident: NIS2 clocks start")
    major: list[Id] = Field(default_factory=list, description="financial entities classifying a major incident: DORA clocks start")
    reported: dict[Id, list[Literal["early_warning", "notification", "final_report", "dora_initial", "dora_intermediate", "dora_final"]]] = Field(
        default_factory=dict, description="reports an entity files: stops those clocks")
    channels: dict[Id, Literal["up", "degraded", "cut"]] = Field(default_factory=dict)
    flags: dict[Id, bool] = Field(default_factory=dict, description="scenario-defined flags, read by flag('name')")
    cyclone: Literal["none", "informed", "officers", "executives"] | None = None
    ipcr: Literal["monitoring", "information_sharing", "full"] | None = None
    art222: bool | None = None
    art427: bool | None = None
    reserve_requested: bool | None = None

    def is_empty(self) -> bool:
        """No change at all (every field at its default: None or empty).

        Every default here is None or empty, so only the fields given when the
        object was made can hold a change: looking at those alone is the same
        answer, without walking forty fields for each inject released.
        """
        values = self.__dict__
        for name in self.model_fields_set:
            value = values[name]
            if value is not None and value != {} and value != []:
                return False
        return True


class ImpactChange(Model):
    """One step of an incident's impact timeline."""

    at: Time
    ms: str
    sector: str
    colour: Colour
    outlook: Outlook | None = None


class Incident(Model):
    """What happens in the world: affected entities and impact over time."""

    id: Id
    title: str
    description: str = ""
    entities: list[Id] = Field(default_factory=list)
    root_cause: Literal["system-failure", "natural-phenomena", "human-error", "malicious-action", "third-party-failure"] = "malicious-action"
    impact: list[ImpactChange] = Field(default_factory=list)


# ---------------------------------------------------------------- injects

class After(Model):
    """Timing relative to another inject's release."""

    inject: Id
    delay: Duration = 0


class ExpectedAction(Model):
    """What players should do in response, for rating objectives."""

    decision: Id = Field(description="catalogue decision id (D06) or decision-point option id")
    team: Id | None = None
    within: Duration | None = Field(None, description="expected within this time of the inject's delivery")
    objective: Id | None = None
    description: str = ""


class _Timed(Model):
    at: Time | None = None
    after: After | None = None
    when: str | None = Field(None, description="condition over state, e.g. \"eccs >= 4\"")

    @model_validator(mode="after")
    def _one_trigger(self):
        given = [k for k in ("at", "after", "when") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of at / after / when, not {' and '.join(given)}")
        return self


class Inject(_Timed):
    """A message from the exercise to the players (MSEL row).

    With none of ``at``, ``after`` or ``when`` an inject is fired only by a
    decision option or by the facilitator.
    """

    id: Id
    title: str
    from_: Id = Field(alias="from")
    to: list[Id] = Field(min_length=1, description="recipient actors; 'everyone' = every played actor")
    channel: Id | None = Field(None, description="channel to use; default: the direct channel from sender to each recipient")
    tlp: Tlp = "TLP:AMBER"
    body: str = ""
    effects: Effects = Field(default_factory=Effects)
    expects: list[ExpectedAction] = Field(default_factory=list)
    objectives: list[Id] = Field(default_factory=list)
    held: bool = Field(False, description="starts held: released only by the facilitator")
    template: str | None = Field(None, description="set by the loader: library template this came from")


class InjectRef(Model):
    """A use of a library template: ``use: media-report`` with parameters and overrides."""

    use: Id
    id: Id
    with_: dict[str, Union[str, int, float, bool]] = Field(default_factory=dict, alias="with")
    at: Any = None
    after: Any = None
    when: Any = None
    title: Any = None
    from_: Any = Field(None, alias="from")
    to: Any = None
    channel: Any = None
    tlp: Any = None
    body: Any = None
    effects: Any = None
    expects: Any = None
    objectives: Any = None
    held: Any = None


class TemplateParam(Model):
    description: str = ""
    default: Union[str, int, float, bool, None] = None


class InjectTemplate(Model):
    """A reusable inject in the library under ``injects/``."""

    id: Id
    title: str
    description: str = ""
    params: dict[str, TemplateParam] = Field(default_factory=dict)
    inject: dict[str, Any] = Field(description="inject fields; strings may use ${param}")


class InjectLibraryFile(Model):
    templates: list[InjectTemplate]


# ---------------------------------------------------------------- decisions

class Param(Model):
    """A parameter a decision takes (e.g. the content of a Reserve request)."""

    type: Literal["text", "bool", "ms", "number"] = "text"
    description: str = ""
    required: bool = False
    choices: list[str] = Field(default_factory=list, description="the only values allowed, when given")


class Requirement(Model):
    """A precondition: an expression over state, and why it exists."""

    expr: str
    because: str = ""


class Voting(Model):
    rule: Literal["none", "consensus", "unanimity"] = "none"
    rounds: int = Field(3, ge=1, le=10, description="failed rounds before the downgrade")
    round_delay: Delay = Field(default_factory=lambda: Delay(min=24, mode=48, max=72))
    downgrade_to: Id | None = Field(None, description="decision taken instead after the last failed round")
    topic: Literal["attribution", "sanctions", "statement", "general"] = "general"


class CatalogueDecision(Model):
    """An entry of the decision catalogue (escalation ladder or Toolbox)."""

    id: Id
    name: str
    ladder: Literal["technical", "escalation", "toolbox", "national", "custom"]
    level: Level
    by: list[ActorKind] = Field(description="actor kinds whose team may take it")
    source: str = Field("", description="where the rule comes from (domain.md section)")
    description: str = ""
    requires: list[Requirement] = Field(default_factory=list)
    params: dict[str, Param] = Field(default_factory=dict)
    voting: Voting = Field(default_factory=Voting)
    delay: Delay = Field(default_factory=lambda: Delay(min=0, mode=0, max=0), description="until it takes effect, hours")
    effects: Effects = Field(default_factory=Effects)
    fires: list[Id] = Field(default_factory=list)
    repeatable: bool = False
    overrides: bool = Field(False, description="a scenario entry that knowingly replaces the catalogue entry of the same id")


class Option(Model):
    """One choice at a decision point."""

    id: Id
    label: str
    decision: Id | None = Field(None, description="catalogue decision this option takes")
    params: dict[str, Union[str, int, float, bool]] = Field(default_factory=dict)
    fires: list[Id] = Field(default_factory=list, description="injects released when chosen")
    cancels: list[Id] = Field(default_factory=list, description="injects that will not happen when chosen")
    effects: Effects = Field(default_factory=Effects)
    description: str = ""


class DecisionPoint(_Timed):
    """A moment where a team must decide, with a deadline and a default."""

    id: Id
    team: Id
    prompt: str
    options: list[Option] = Field(min_length=1)
    within: Duration | None = Field(None, description="deadline, after the point opens")
    deadline: Time | None = Field(None, description="deadline as an absolute time")
    default: Id = Field(description="option applied when the deadline passes")
    objectives: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_deadline(self):
        if (self.within is None) == (self.deadline is None):
            raise ValueError("give exactly one of within (a duration) or deadline (a time)")
        return self


class Stance(Model):
    """A Member State's stance in unanimity votes (domain.md §10.3)."""

    stance: float = Field(0.5, ge=-1, le=1, description="-1 hostile to acting, +1 eager")
    topics: dict[Literal["attribution", "sanctions", "statement", "general"], float] = Field(
        default_factory=dict,
        description="stance on one topic instead of the general one, e.g. {attribution: -0.6} for a MS "
                    "that will not name a State but supports sanctions; naming a State in a declaration votes on 'attribution'")
    evidence_threshold: float = Field(0.3, ge=0, le=1, description="evidence needed before it agrees")
    reason: str = Field("", description="why it holds back, shown in the journal")


class Council(Model):
    """The unanimity model: stances and the political climate."""

    stances: dict[str, Stance] = Field(default_factory=dict)
    default_stance: Stance | None = Field(None, description="for MS without a stance; unset means they agree")
    k: float = Field(4.0, gt=0, le=50, description="steepness of the agreement curve")


# ---------------------------------------------------------------- scenario

class Scenario(Model):
    """A complete, validated exercise scenario."""

    format: Literal["cyclesim/1"]
    id: Id
    title: str
    summary: str = Field(description="one line, shown by 'cyclesim list'")
    description: str = ""
    tlp: Tlp = "TLP:GREEN"
    kind: str = Field("", description="exercise kind, e.g. 'BlueOLEx-style executive'")
    start: str = Field(description="calendar date-time of T+0, ISO 8601, e.g. '2026-03-02T08:00:00+01:00'")
    duration: Time
    objectives: list[Objective] = Field(default_factory=list)
    teams: list[Team] = Field(min_length=1)
    network: Network = Field(default_factory=Network)
    member_states: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    initial: Effects = Field(default_factory=Effects, description="state at T+0")
    incidents: list[Incident] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)
    decision_points: list[DecisionPoint] = Field(default_factory=list)
    decisions: list[CatalogueDecision] = Field(default_factory=list, description="scenario-specific decisions added to the catalogue")
    council: Council = Field(default_factory=Council)
    libraries: list[str] = Field(default_factory=list, description="extra inject library folders, inside the scenario's folder")


class RawScenario(Scenario):
    """The scenario as written: injects may still be library references."""

    injects: list[Union[InjectRef, Inject]] = Field(default_factory=list)  # type: ignore[assignment]
