"""The scenario format v1 as typed, immutable models.

These pydantic models are the single definition of the format: the loader
validates YAML against them, ``cyclesim schema`` prints their JSON Schema, and
the engine reads them. Cross-references (does that actor exist?) are checked by
:mod:`simulator.scenario.crossref` after the shapes are known to be right.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from simulator.scenario.patterns import DURATION_PATTERN, TIME_PATTERN, TLP_PATTERN
from simulator.timefmt import MAX_MINUTES, parse_duration, parse_time

FORMAT = "cyclesim/1"
MAX_HOURS = MAX_MINUTES // 60
"""Longest delay in hours (delays are written in hours; times and durations in minutes are bounded by the parser)."""

# ---------------------------------------------------------------- scalar types

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", description="identifier: letters, digits, _ . -")]

Time = Annotated[
    int,
    BeforeValidator(parse_time),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "description": "scenario time: 'T+26:00', 'T+3d4h', 'T+90m'",
                    "patternErrorMessage": "not a scenario time; write 'T+26:00', 'T+3d4h' or 'T+90m'"}),
]
"""A point in scenario time, held as whole minutes since T+0."""

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "description": "duration: '26:00', '3d4h', '2h', '45m'",
                    "patternErrorMessage": "not a duration; write '26:00', '3d4h', '2h' or '45m'"}),
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
    WithJsonSchema({"anyOf": [{"type": "string", "enum": list(TLP_ORDER)},
                              {"type": "string", "pattern": TLP_PATTERN, "patternErrorMessage": "not a TLP 2.0 label"}],
                    "description": "TLP 2.0 label: TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED "
                                   "(any case; 'TLP:' may be left out)"}),
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


_NUMBERS = (int, float, int | None, float | None)


class Model(BaseModel):
    """Base: unknown keys are errors, values never change after load, true/false is not a number."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_number(cls, value, info):
        # pydantic would read `capacity: true` as 1; the schema (and an author) would not
        if isinstance(value, bool) and cls.model_fields[info.field_name].annotation in _NUMBERS:
            raise ValueError(f"expected a number, got {str(value).lower()}")
        return value


class Delay(Model):
    """A triangular delay in hours (domain.md §10.2): min <= mode <= max."""

    min: float = Field(ge=0, le=MAX_HOURS, allow_inf_nan=False, description="shortest delay, hours")
    mode: float = Field(ge=0, le=MAX_HOURS, allow_inf_nan=False, description="most likely delay, hours")
    max: float = Field(ge=0, le=MAX_HOURS, allow_inf_nan=False, description="longest delay, hours")

    @model_validator(mode="after")
    def _ordered(self) -> Delay:
        if not self.min <= self.mode <= self.max:
            raise ValueError(f"delay needs min <= mode <= max, got {self.min} / {self.mode} / {self.max}")
        return self

    @property
    def mean_hours(self) -> float:
        return (self.min + self.mode + self.max) / 3


# ---------------------------------------------------------------- metadata

class Objective(Model):
    """An exercise objective the evaluators rate (HSEEP: P/S/M/U)."""

    id: Id = Field(description="objective id, e.g. OBJ-1 (injects and points name it)")
    title: str = Field(description="short name of the objective, as evaluators rate it")
    description: str = Field("", description="what meeting the objective looks like")
    capability: str = Field("", description="the capability it tests, for the improvement plan")


class Team(Model):
    """A group of participants and the actors they play; one team is the facilitator (EXCON)."""

    id: Id = Field(description="team id, used by decision points and decisions scripts")
    name: str = Field(description="team name shown to players and in the report")
    plays: list[Id] = Field(default_factory=list, description="actor ids this team plays")
    facilitator: bool = Field(False, description="exercise control: sees everything, may act for simulated actors")
    organisation: str = Field("", description="the organisation the team stands for")
    contact: str = Field("", description="point of contact, for the improvement plan")


# ---------------------------------------------------------------- network

class Actor(Model):
    """A node of the response network (domain.md §10.1)."""

    id: Id = Field(description="actor id, e.g. CSIRT-IE (senders, recipients and channels name it)")
    name: str = Field(description="display name")
    kind: ActorKind = Field(description="what the actor is: entity, csirt, cyclone, presidency... (decides who may take which decision)")
    level: Level = Field(description="Blueprint level: entity, technical, operational, political, external, environment or control")
    ms: str | None = Field(None, description="Member State code, for national actors and entities")
    sector: str | None = Field(None, description="NIS2 sector, for entities, e.g. health")
    capacity: int = Field(4, ge=1, le=1000, description="messages handled at once before a queue forms")
    handling: Delay | None = Field(None, description="time to handle one message, hours")
    essential: bool = Field(False, description="NIS2 essential entity")
    financial: bool = Field(False, description="financial entity under DORA")
    union_entity: bool = Field(False, description="Union institution, body or agency (reports to CERT-EU)")
    reporting: Literal["auto", "late", "never"] = Field(
        "auto", description="how a simulated entity files its reports: on time (auto), 50% slower (late), or not at all")
    description: str = Field("", description="free text for planners")


class Channel(Model):
    """A way messages travel between actors, with a delay and a capacity."""

    id: Id = Field(description="channel id, named by injects and by effects")
    from_: Id = Field(alias="from", description="id of the actor the channel starts at")
    to: list[Id] = Field(min_length=1, description="actor ids the channel reaches")
    delay: Delay = Field(description="time a message takes, hours (triangular min/mode/max)")
    capacity: int = Field(50, ge=1, le=100000, description="messages in transit at once")
    bidirectional: bool = Field(True, description="messages also travel back from each recipient to the sender")
    description: str = Field("", description="free text for planners")


class Network(Model):
    """The network a scenario plays on: the bundled EU default, extended or overridden."""

    base: Literal["eu-default", "none"] = Field("eu-default", description="start from the bundled EU network (eu-default) or from nothing (none)")
    actors: list[Actor] = Field(default_factory=list, description="added, or replacing a default actor of the same id")
    channels: list[Channel] = Field(default_factory=list, description="added, or replacing a default channel of the same id")
    remove: list[Id] = Field(default_factory=list, description="default actors or channels to leave out")


# ---------------------------------------------------------------- state changes

class Effects(Model):
    """Changes to the exercise state that an inject, incident or decision brings."""

    impact: dict[str, Colour] = Field(default_factory=dict, description="'MS/sector': colour, e.g. 'IE/health': red")
    outlook: Outlook | None = Field(None, description="how the situation is expected to evolve: improving, stable, worsening")
    cross_border: bool | None = Field(None, description="the incident affects more than one Member State")
    capacity_exceeded: list[str] = Field(default_factory=list, description="MS whose response capacity is exceeded")
    capacity_restored: list[str] = Field(default_factory=list, description="MS whose response capacity is back")
    threat_severity: Literal["none", "low", "medium", "high"] | None = Field(None, description="threat level for the ECCS: none, low, medium, high")
    exposure: Literal["limited", "wide"] | None = Field(None, description="how widely the vulnerability or tool is deployed: limited or wide")
    internal_market: bool | None = Field(None, description="the internal market is affected (ECCS)")
    public_safety: bool | None = Field(None, description="public safety is at risk (ECCS)")
    cross_border_dependency: bool | None = Field(None, description="services in other MS depend on the affected ones (ECCS)")
    attribution: Literal["none", "suspected", "assessed", "attributed", "coordinated"] | None = Field(None, description="how far attribution has gone: none < suspected < assessed < attributed < coordinated")
    confidence: Literal["none", "low", "moderate", "high"] | None = Field(None, description="confidence of the attribution assessment")
    state_actor: bool | None = Field(None, description="a State actor is behind the incident")
    criminal_group: bool | None = Field(None, description="a criminal group is behind the incident")
    partner_attribution: bool | None = Field(None, description="a partner (e.g. NATO ally) has attributed publicly")
    attributed_by: list[str] = Field(default_factory=list, description="MS that publicly attribute")
    evidence: float | None = Field(None, ge=0, le=1, description="raise the evidence package to at least this")
    cohesion: float | None = Field(None, ge=-1, le=1, description="change of EU cohesion, e.g. +0.1")
    public_trust: float | None = Field(None, ge=-1, le=1, description="change, e.g. -0.1")
    disinfo_reach: float | None = Field(None, ge=-1, le=1, description="change, e.g. +0.2")
    significant: list[Id] = Field(default_factory=list, description="entities aware of a significant incident: NIS2 clocks start")
    major: list[Id] = Field(default_factory=list, description="financial entities classifying a major incident: DORA clocks start")
    reported: dict[Id, list[Literal["early_warning", "notification", "final_report", "dora_initial", "dora_intermediate", "dora_final"]]] = Field(
        default_factory=dict, description="reports an entity files: stops those clocks")
    channels: dict[Id, Literal["up", "degraded", "cut"]] = Field(default_factory=dict, description="channel id: up, degraded or cut")
    flags: dict[Id, bool] = Field(default_factory=dict, description="scenario-defined flags, read by flag('name')")
    cyclone: Literal["none", "informed", "officers", "executives"] | None = Field(None, description="EU-CyCLONe activation: none < informed < officers < executives")
    ipcr: Literal["monitoring", "information_sharing", "full"] | None = Field(None, description="IPCR mode: monitoring < information_sharing < full")
    art222: bool | None = Field(None, description="the solidarity clause (TFEU Art. 222) is invoked")
    art427: bool | None = Field(None, description="mutual assistance (TEU Art. 42(7)) is invoked")
    reserve_requested: bool | None = Field(None, description="EU Cybersecurity Reserve support has been requested")

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


_NO_EFFECTS: Effects | None = None


def no_effects() -> Effects:
    """The one empty :class:`Effects`, shared by every inject, option and decision that gives none.

    Models are frozen and nothing changes an Effects after load, so sharing is
    safe; a fresh one per inject cost about 2 KB each (ten thousand injects:
    20 MB).
    """
    global _NO_EFFECTS
    if _NO_EFFECTS is None:
        _NO_EFFECTS = Effects()
    return _NO_EFFECTS


class ImpactChange(Model):
    """One step of an incident's impact timeline."""

    at: Time = Field(description="when the impact changes")
    ms: str = Field(description="Member State code, e.g. IE")
    sector: str = Field(description="NIS2 sector, e.g. health")
    colour: Colour = Field(description="impact colour: white, green, yellow, red")
    outlook: Outlook | None = Field(None, description="outlook from then on: improving, stable, worsening")


class Incident(Model):
    """What happens in the world: affected entities and impact over time."""

    id: Id = Field(description="incident id")
    title: str = Field(description="short name of the incident")
    description: str = Field("", description="what happens, for planners and the report")
    entities: list[Id] = Field(default_factory=list, description="entity actor ids the incident hits")
    root_cause: Literal["system-failure", "natural-phenomena", "human-error", "malicious-action", "third-party-failure"] = Field("malicious-action", description="NIS2 root-cause category")
    impact: list[ImpactChange] = Field(default_factory=list, description="impact timeline: colour per MS and sector over time")


# ---------------------------------------------------------------- injects

class After(Model):
    """Timing relative to another inject's release."""

    inject: Id = Field(description="id of the inject whose release starts the delay")
    delay: Duration = Field(0, description="time after that release, e.g. '1h' (default: at once)")


class ExpectedAction(Model):
    """What players should do in response, for rating objectives."""

    decision: Id = Field(description="catalogue decision id (D06) or decision-point option id")
    team: Id | None = Field(None, description="team expected to act (default: any)")
    within: Duration | None = Field(None, description="expected within this time of the inject's delivery")
    objective: Id | None = Field(None, description="objective the action shows")
    description: str = Field("", description="the expected action in words, for evaluators")


class _Timed(Model):
    at: Time | None = Field(None, description="release at this scenario time, e.g. 'T+02:00'")
    after: After | None = Field(None, description="release a delay after another inject's release")
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

    id: Id = Field(description="inject id: the MSEL number, e.g. TUT-04")
    title: str = Field(description="subject line the recipients see")
    from_: Id = Field(alias="from", description="id of the sending actor")
    to: list[Id] = Field(min_length=1, description="recipient actors; 'everyone' = every played actor")
    channel: Id | None = Field(None, description="channel to use; default: the direct channel from sender to each recipient")
    tlp: Tlp = Field("TLP:AMBER", description="TLP 2.0 label: who may see it (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")
    body: str = Field("", description="the message the recipients read")
    effects: Effects = Field(default_factory=no_effects, description="changes to the exercise state when released")
    expects: list[ExpectedAction] = Field(default_factory=list, description="what players should do in response, for rating objectives")
    objectives: list[Id] = Field(default_factory=list, description="objective ids this inject exercises")
    held: bool = Field(False, description="starts held: released only by the facilitator")
    template: str | None = Field(None, description="set by the loader: library template this came from")


class InjectRef(Model):
    """A use of a library template: ``use: media-report`` with parameters and overrides.

    Any inject field given here replaces the template's; ``null`` takes the
    template's timing or channel away. The other fields cannot be null after
    expansion, as in an inline inject; the schema says so (``scenario_schema``). The loader expands the use and checks the result
    as an :class:`Inject`, so the override fields have the inject's types;
    ``cyclesim schema`` shows them so that an editor checks them the same way.
    """

    use: Id = Field(description="id of a library inject template (under injects/)")
    id: Id = Field(description="id of this inject in the scenario")
    with_: dict[str, str | int | float | bool] = Field(default_factory=dict, alias="with", description="values of the template's parameters, e.g. {entity: HOSP-IE-1}")
    at: Time | None = Field(None, description="instead of the template's timing: release at this scenario time, e.g. 'T+02:00'")
    after: After | None = Field(None, description="instead of the template's timing: release a delay after another inject's release")
    when: str | None = Field(None, description="instead of the template's timing: release when this condition holds, e.g. \"eccs >= 4\"")
    title: str | None = Field(None, description="instead of the template's subject line")
    from_: Id | None = Field(None, alias="from", description="instead of the template's sender: id of the sending actor")
    to: list[Id] | None = Field(None, min_length=1, description="instead of the template's recipients: actor ids; 'everyone' = every played actor")
    channel: Id | None = Field(None, description="instead of the template's channel; default: the direct channel")
    tlp: Tlp | None = Field(None, description="instead of the template's TLP 2.0 label")
    body: str | None = Field(None, description="instead of the template's message text")
    effects: Effects | None = Field(None, description="instead of the template's effects on the exercise state")
    expects: list[ExpectedAction] | None = Field(None, description="instead of the template's expected player actions")
    objectives: list[Id] | None = Field(None, description="instead of the template's objectives: objective ids")
    held: bool | None = Field(None, description="starts held: released only by the facilitator")


class TemplateParam(Model):
    description: str = Field("", description="what the parameter is for")
    default: str | int | float | bool | None = Field(None, description="value used when a scenario gives none")


class InjectTemplate(Model):
    """A reusable inject in the library under ``injects/``."""

    id: Id = Field(description="template id, what a scenario writes after use:")
    title: str = Field(description="name of the template")
    description: str = Field("", description="what the template is for")
    params: dict[str, TemplateParam] = Field(default_factory=dict, description="parameters a scenario gives under with:")
    inject: dict[str, Any] = Field(description="inject fields; strings may use ${param}")


class InjectLibraryFile(Model):
    templates: list[InjectTemplate] = Field(description="the templates in this file")


# ---------------------------------------------------------------- decisions

class Param(Model):
    """A parameter a decision takes (e.g. the content of a Reserve request)."""

    type: Literal["text", "bool", "ms", "number"] = Field("text", description="kind of value: text, bool, ms (a Member State code) or number")
    description: str = Field("", description="what the parameter is for")
    required: bool = Field(False, description="the decision cannot be taken without it")
    choices: list[str] = Field(default_factory=list, description="the only values allowed, when given")


class Requirement(Model):
    """A precondition: an expression over state, and why it exists."""

    expr: str = Field(description="condition over the decider's picture, e.g. \"eccs >= 4\"")
    because: str = Field("", description="why the precondition exists, shown when it fails")


class Voting(Model):
    rule: Literal["none", "consensus", "unanimity"] = Field("none", description="how Member States agree: none, consensus or unanimity")
    rounds: int = Field(3, ge=1, le=10, description="failed rounds before the downgrade")
    round_delay: Delay = Field(default_factory=lambda: Delay(min=24, mode=48, max=72), description="time between two voting rounds, hours")
    downgrade_to: Id | None = Field(None, description="decision taken instead after the last failed round")
    topic: Literal["attribution", "sanctions", "statement", "general"] = Field("general", description="which stance Member States vote with")


class CatalogueDecision(Model):
    """An entry of the decision catalogue (escalation ladder or Toolbox)."""

    id: Id = Field(description="decision id, e.g. D07")
    name: str = Field(description="name shown to players")
    ladder: Literal["technical", "escalation", "toolbox", "national", "custom"] = Field(description="which ladder the decision belongs to")
    level: Level = Field(description="Blueprint level at which it is taken")
    by: list[ActorKind] = Field(description="actor kinds whose team may take it")
    source: str = Field("", description="where the rule comes from (domain.md section)")
    description: str = Field("", description="what the decision does, shown to players")
    requires: list[Requirement] = Field(default_factory=list, description="preconditions on the decider's picture")
    params: dict[str, Param] = Field(default_factory=dict, description="parameters the decider gives")
    voting: Voting = Field(default_factory=Voting, description="whether Member States vote, and how")
    delay: Delay = Field(default_factory=lambda: Delay(min=0, mode=0, max=0), description="until it takes effect, hours")
    effects: Effects = Field(default_factory=no_effects, description="changes to the exercise state once effective")
    fires: list[Id] = Field(default_factory=list, description="injects released once effective")
    repeatable: bool = Field(False, description="may be taken more than once")
    overrides: bool = Field(False, description="a scenario entry that knowingly replaces the catalogue entry of the same id")
    consequences: list[Consequence] = Field(
        default_factory=list, description="what the decision does to the incident model once effective (docs/scenario-format.md)")


class Option(Model):
    """One choice at a decision point."""

    id: Id = Field(description="option id, unique within the point")
    label: str = Field(description="the choice as players read it")
    decision: Id | None = Field(None, description="catalogue decision this option takes")
    params: dict[str, str | int | float | bool] = Field(default_factory=dict, description="parameters of the catalogue decision")
    fires: list[Id] = Field(default_factory=list, description="injects released when chosen")
    cancels: list[Id] = Field(default_factory=list, description="injects that will not happen when chosen")
    effects: Effects = Field(default_factory=no_effects, description="changes to the exercise state when chosen")
    description: str = Field("", description="more about the choice, for players")


class DecisionPoint(_Timed):
    """A moment where a team must decide, with a deadline and a default."""

    id: Id = Field(description="decision point id, e.g. DP-SHARE")
    team: Id = Field(description="id of the team that decides")
    prompt: str = Field(description="the question the team is asked")
    options: list[Option] = Field(min_length=1, description="the choices")
    within: Duration | None = Field(None, description="deadline, after the point opens")
    deadline: Time | None = Field(None, description="deadline as an absolute time")
    default: Id = Field(description="option applied when the deadline passes")
    objectives: list[Id] = Field(default_factory=list, description="objective ids this point exercises")

    @model_validator(mode="after")
    def _one_deadline(self):
        if (self.within is None) == (self.deadline is None):
            raise ValueError("give exactly one of within (a duration) or deadline (a time)")
        return self


class Stance(Model):
    """A Member State's stance in unanimity votes (domain.md §10.3)."""

    stance: float = Field(0.5, ge=-1, le=1, description="-1 hostile to acting, +1 eager")
    topics: dict[Literal["attribution", "sanctions", "statement", "general"], Annotated[float, Field(ge=-1, le=1)]] = Field(
        default_factory=dict,
        description="stance on one topic instead of the general one, e.g. {attribution: -0.6} for a MS "
                    "that will not name a State but supports sanctions; naming a State in a declaration votes on 'attribution'")
    evidence_threshold: float = Field(0.3, ge=0, le=1, description="evidence needed before it agrees")
    reason: str = Field("", description="why it holds back, shown in the journal")


class Council(Model):
    """The unanimity model: stances and the political climate."""

    stances: dict[str, Stance] = Field(default_factory=dict, description="stance per Member State code")
    default_stance: Stance | None = Field(None, description="for MS without a stance; unset means they agree")
    k: float = Field(4.0, gt=0, le=50, description="steepness of the agreement curve")


# ---------------------------------------------------------------- the incident model
# What makes a storyline react (docs/scenario-format.md §8.1): who is exposed,
# how compromise spreads, how each hit entity detects, contains and recovers
# (scaled by national capacity and by assistance that has arrived), sector
# dependencies, the public sphere, the adversary's reactions and the
# responders. The engine plays it in simulator/engine/incident.py; catalogue
# decisions change it through their ``consequences``. Every default is an
# order of magnitude from domain.md §10.2 and §10.8, named in its description.

def _d(lo: float, mode: float, hi: float):
    return lambda: Delay(min=lo, mode=mode, max=hi)


class Exposure(Model):
    """Entities of one sector in one Member State that run the compromised product or share the dependency."""

    ms: str = Field(description="Member State code")
    sector: str = Field(description="NIS2 sector, e.g. health")
    entities: int = Field(1, ge=1, le=500, description="how many entities are exposed (simulated, numbered)")
    named: list[Id] = Field(default_factory=list, description="network actors that are among them (they come first)")
    essential: bool = Field(True, description="NIS2 essential entities (weigh in assistance priority)")
    criticality: float = Field(1.0, gt=0, le=1, description="share of an entity's service lost when it is hit")

    @model_validator(mode="after")
    def _named_fit(self) -> Exposure:
        if len(self.named) > self.entities:
            raise ValueError(f"{len(self.named)} named entities but only {self.entities} exposed")
        return self


class Seed(Model):
    """Entities compromised at a given time whatever the response (the storyline's first victims)."""

    at: Time
    ms: str = Field(description="Member State code of the exposure to hit")
    sector: str = Field(description="sector of the exposure to hit")
    count: int = Field(1, ge=1, le=500, description="entities hit at that time")


class Spread(Model):
    """A seeded hazard per hour on every exposed, not yet hit entity (domain.md §10.8 modelling hints)."""

    rate: float = Field(0.004, ge=0, le=1, description="chance per hour that one exposed entity is hit (Kaseya VSA: hours to reach downstream)")
    contagion: float = Field(1.0, ge=0, le=20, description="extra hazard per hit entity already active in the same MS, as a share of rate")
    start: Time = Field(0, description="spread begins")
    until: Time | None = Field(None, description="spread stops (the adversary's campaign ends); default: the scenario's end")
    tick: Duration = Field(60, ge=10, le=1440, description="how often the hazard is drawn, minutes")


class Lifecycle(Model):
    """How one hit entity goes from compromise to recovery, in hours (triangular, domain.md §10.2)."""

    detection: Delay = Field(default_factory=_d(0.5, 3, 12), description="compromise -> confirmed (HSE: detonation -> identified ~3.5 h)")
    containment: Delay = Field(default_factory=_d(1, 6, 24), description="confirmed -> contained (internal crisis process, isolation)")
    recovery: Delay = Field(default_factory=_d(120, 400, 1200), description="contained -> service back (HSE: half the servers in ~3 weeks)")
    loss_while_compromised: float = Field(1.0, ge=0, le=1, description="service lost before containment (ransomware: all; espionage: none)")
    loss_while_contained: float = Field(0.6, ge=0, le=1, description="service lost while rebuilding")


class Capacity(Model):
    """National response capacity: entities the CSIRT and crisis cell can support at once."""

    default: int = Field(3, ge=1, le=1000, description="for a Member State not listed")
    per_ms: dict[str, int] = Field(default_factory=dict, description="capacity per Member State code, e.g. {DE: 4}")
    skill: dict[str, float] = Field(default_factory=dict, description="duration factor per MS (0.8 = 20% faster), default 1")
    overload: float = Field(0.5, ge=0, le=5, description="recovery slows by this share per entity above capacity")


class Dependency(Model):
    """An outage in one sector raising the impact in another (e.g. an MSP's outage on hospitals)."""

    from_: str = Field(alias="from", description="sector whose outage matters")
    to: str = Field(description="sector that depends on it")
    cross_border: bool = Field(False, description="the dependency crosses borders (one vendor for all MS)")
    slowdown: float = Field(1.5, ge=1, le=10, description="recovery of the dependent sector's hit entities is this much slower")


class PublicSphere(Model):
    """Disinformation reach as logistic growth; trust falls with reach (domain.md §10.8 last row, Vosoughi et al. 2018)."""

    growth: float = Field(0.08, ge=0, le=2, description="logistic growth of disinformation reach per hour")
    decay: float = Field(0.01, ge=0, le=1, description="share of reach lost per hour on its own")
    noise: float = Field(0.3, ge=0, le=1, description="relative seeded noise on growth per tick")
    trust_loss: float = Field(0.01, ge=0, le=1, description="public trust lost per hour at full reach")
    trust_recovery: float = Field(0.004, ge=0, le=1, description="trust regained per hour while communication is coordinated")
    cohesion_loss: float = Field(0.005, ge=0, le=1, description="EU cohesion lost per hour while national lines contradict each other")
    step: float = Field(0.02, gt=0, le=0.5, description="smallest change journalled (keeps the journal readable)")


class Reaction(Model):
    """The adversary answering the response: a trigger, a lag, and what it does."""

    id: Id
    on: Literal["taken", "not_taken", "contained"] = Field(
        description="taken: a decision took effect; not_taken: a decision was not effective by a time (ransom refused); "
                    "contained: this share of hit entities is contained")
    decision: Id | None = Field(None, description="for taken / not_taken")
    by: Time | None = Field(None, description="for not_taken")
    share: float = Field(0.5, gt=0, le=1, description="for contained")
    lag: Delay = Field(default_factory=_d(0, 0, 0), description="hours between the trigger and the reaction")
    tempo: float | None = Field(None, gt=0, le=10, description="multiply the adversary's tempo (spread hazard)")
    expose: list[Exposure] = Field(default_factory=list, description="new targets (moves to new sectors)")
    disinfo: float = Field(0, ge=-1, le=1, description="change of disinformation reach (a data leak feeds it)")
    trust: float = Field(0, ge=-1, le=1, description="change of public trust")
    effects: Effects = Field(default_factory=Effects, description="other state changes (flags, outlook)")
    description: str = Field("", description="what the adversary does, shown in the journal")

    @model_validator(mode="after")
    def _trigger(self) -> Reaction:
        if self.on in ("taken", "not_taken") and self.decision is None:
            raise ValueError(f"reaction on {self.on} needs a decision")
        if self.on == "not_taken" and self.by is None:
            raise ValueError("reaction on not_taken needs a time 'by'")
        return self


class Adversary(Model):
    """The threat actor's tempo and its declared reactions."""

    name: str = Field("", description="the threat actor's name, for the journal")
    tempo: float = Field(1.0, gt=0, le=10, description="multiplies the spread hazard")
    reactions: list[Reaction] = Field(default_factory=list, description="how it answers the response: trigger, lag, effect")


class Responder(Model):
    """A pool of assistance teams: the Reserve's trusted providers, a PESCO CRRT, Art. 42(7) or peer help."""

    id: Id
    kind: Literal["reserve", "crrt", "mutual", "peer"] = Field(
        description="reserve: D09 (Regulation 2025/38); crrt: D10; mutual: Art. 42(7), D16; peer: CSIRTs Network, D05")
    teams: int = Field(1, ge=1, le=100, description="teams that can be deployed at once")
    onboarding: Delay = Field(default_factory=_d(4, 24, 48), description="contracting and briefing, hours")
    travel: Delay = Field(default_factory=_d(4, 12, 48), description="to the site, hours (Reserve approval -> on site 12/48/120 h)")
    adds: int = Field(2, ge=0, le=100, description="national capacity one team adds")
    speedup: float = Field(0.35, ge=0, le=0.95, description="share of the remaining recovery time a team saves")
    stay: Duration = Field(10 * 24 * 60, ge=60, description="how long a team stays before it is free again")
    max_wait: Duration = Field(5 * 24 * 60, ge=0, description="a request waiting longer is refused")


DEFAULT_RESPONDERS = (
    Responder(id="reserve-providers", kind="reserve", teams=2),
    Responder(id="pesco-crrt", kind="crrt", teams=1, onboarding=Delay(min=12, mode=24, max=72), adds=1, speedup=0.25),
    Responder(id="art427-help", kind="mutual", teams=2, onboarding=Delay(min=24, mode=48, max=96), speedup=0.3),
    Responder(id="csirt-peers", kind="peer", teams=3, onboarding=Delay(min=2, mode=12, max=48),
              travel=Delay(min=0, mode=0, max=0), adds=1, speedup=0.15),
)
"""Used when a model lists no responders (domain.md §10.2 Reserve rows, §10.3 D05, D09, D10, D16)."""


class IncidentModel(Model):
    """The living incident of a scenario (DESIGN: 'the incident lives')."""

    id: Id = "incident"
    threat: str = Field("", description="what it is, in a line")
    exposure: list[Exposure] = Field(min_length=1, description="who is exposed")
    seeds: list[Seed] = Field(default_factory=list, description="compromises that happen whatever the response")
    spread: Spread = Field(default_factory=Spread, description="how compromise spreads among the exposed")
    lifecycle: Lifecycle = Field(default_factory=Lifecycle, description="detection, containment and recovery of a hit entity")
    capacity: Capacity = Field(default_factory=Capacity, description="national response capacity")
    dependencies: list[Dependency] = Field(default_factory=list, description="sectors whose outage raises impact in others")
    public: PublicSphere = Field(default_factory=PublicSphere, description="disinformation, trust and cohesion dynamics")
    adversary: Adversary = Field(default_factory=Adversary, description="tempo and declared reactions of the threat actor")
    responders: list[Responder] = Field(default_factory=list, description="default: Reserve 2 teams, CRRT 1, Art. 42(7) 2, peers 3")
    colours: tuple[int, int, int] = Field((1, 2, 4), description="active hit entities in a MS/sector cell for green, yellow, red")
    drives_impact: bool = Field(
        True, description="the model sets MS/sector impact colours and capacity_exceeded (and so ECCS) from active hits; "
                          "false leaves both to the injects (load still slows recovery)")


class Consequence(Model):
    """What a catalogue decision does to the incident once effective, with its rationale.

    kinds: ``indicators`` (spread x factor in the MS whose CSIRT received the
    share, after delivery); ``isolation`` (the decider's MS: spread x factor,
    hit entities contained now, service x cost for ``duration``);
    ``advisory`` (a share of the exposed, unhit entities patched; spread x
    factor everywhere); ``assistance`` (ask the ``responder`` pool);
    ``communication`` (disinformation growth x factor; trust recovers);
    ``contradiction`` (a national line while no coordinated one is in
    effect: growth x factor, trust and cohesion fall); ``tempo`` (the
    adversary's tempo x factor after ``lag``); ``decryptor`` (remaining
    recovery x factor, adversary tempo x 1.2: paying invites more attacks).
    """

    kind: Literal["indicators", "isolation", "advisory", "assistance", "communication", "contradiction", "tempo", "decryptor"] = Field(
        description="what it acts on (see docs/decisions.md, Consequences on the incident)")
    factor: float = Field(1.0, ge=0, le=10, description="multiplier the kind applies")
    share: float = Field(0.0, ge=0, le=1, description="advisory: share of exposed entities patched")
    cost: float = Field(0.0, ge=0, le=1, description="isolation: service lost by the isolated, unhit entities")
    duration: Duration = Field(0, ge=0, description="isolation: how long the service cost lasts")
    lag: Delay = Field(default_factory=_d(0, 0, 0), description="hours before it takes hold")
    responder: Literal["reserve", "crrt", "mutual", "peer"] | None = Field(None, description="assistance: the responder pool asked")
    trust: float = Field(0.0, ge=-1, le=1, description="one-off change of public trust")
    rationale: str = Field("", description="why, with the source (domain.md section)")

    @model_validator(mode="after")
    def _needs(self) -> Consequence:
        if self.kind == "assistance" and self.responder is None:
            raise ValueError("an assistance consequence names its responder kind")
        return self


CatalogueDecision.model_rebuild()  # its consequences are declared just above


# ---------------------------------------------------------------- scenario

class Scenario(Model):
    """A complete, validated exercise scenario."""

    format: Literal["cyclesim/1"] = Field(description="format version: cyclesim/1")
    id: Id = Field(description="scenario id: the file name without .yaml")
    title: str = Field(description="title of the exercise")
    summary: str = Field(description="one line, shown by 'cyclesim list'")
    description: str = Field("", description="the storyline, for the briefing")
    tlp: Tlp = Field("TLP:GREEN", description="TLP 2.0 label of the scenario as a whole; prompts inherit it")
    kind: str = Field("", description="exercise kind, e.g. 'BlueOLEx-style executive'")
    start: str = Field(description="calendar date-time of T+0, ISO 8601, e.g. '2026-03-02T08:00:00+01:00'")
    duration: Time = Field(description="when the exercise ends, e.g. 'T+30:00'")
    objectives: list[Objective] = Field(default_factory=list, description="exercise objectives the evaluators rate")
    teams: list[Team] = Field(min_length=1, description="the teams that play, and exercise control")
    network: Network = Field(default_factory=Network, description="actors and channels: the EU default, extended or overridden")
    member_states: list[str] = Field(default_factory=list, description="Member State codes that take part, e.g. [IE, BE]")
    sectors: list[str] = Field(default_factory=list, description="NIS2 sectors in play, e.g. [health]")
    initial: Effects = Field(default_factory=no_effects, description="state at T+0")
    incidents: list[Incident] = Field(default_factory=list, description="what happens in the world: entities hit and impact over time")
    injects: list[Inject] = Field(default_factory=list, description="the MSEL: messages to the players, inline or library uses (use:)")
    decision_points: list[DecisionPoint] = Field(default_factory=list, description="moments where a team must decide, with a deadline and a default")
    decisions: list[CatalogueDecision] = Field(default_factory=list, description="scenario-specific decisions added to the catalogue")
    council: Council = Field(default_factory=Council, description="Member State stances for unanimity votes")
    incident_model: IncidentModel | None = Field(
        None, description="the living incident: exposure, spread, recovery, public sphere, adversary, assistance")
    libraries: list[str] = Field(default_factory=list, description="extra inject library folders, inside the scenario's folder")


class RawScenario(Scenario):
    """The scenario as written: injects may still be library references."""

    injects: list[InjectRef | Inject] = Field(  # type: ignore[assignment]
        default_factory=list, description="the MSEL: messages to the players, inline or library uses (use:)")
