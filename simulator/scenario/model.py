"""The scenario format v1 as typed, immutable models.

These pydantic models are the single definition of the format: the loader
validates YAML against them, ``cyclesim schema`` prints their JSON Schema, and
the engine reads them. Cross-references (does that actor exist?) are checked by
:mod:`simulator.scenario.crossref` after the shapes are known to be right.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    model_validator,
)

from simulator.scenario.incident_model import (
    DEFAULT_RESPONDERS as DEFAULT_RESPONDERS,
)
from simulator.scenario.incident_model import (
    Adversary as Adversary,
)
from simulator.scenario.incident_model import (
    Capacity as Capacity,
)
from simulator.scenario.incident_model import (
    Consequence as Consequence,
)
from simulator.scenario.incident_model import (
    Dependency as Dependency,
)
from simulator.scenario.incident_model import (
    Exposure as Exposure,
)
from simulator.scenario.incident_model import (
    IncidentModel as IncidentModel,
)
from simulator.scenario.incident_model import (
    Lifecycle as Lifecycle,
)
from simulator.scenario.incident_model import (
    PublicSphere as PublicSphere,
)
from simulator.scenario.incident_model import (
    Reaction as Reaction,
)
from simulator.scenario.incident_model import (
    Responder as Responder,
)
from simulator.scenario.incident_model import (
    Seed as Seed,
)
from simulator.scenario.incident_model import (
    Spread as Spread,
)
from simulator.scenario.types import (
    _NUMBERS as _NUMBERS,
)
from simulator.scenario.types import (
    _TLP_LABELS as _TLP_LABELS,
)
from simulator.scenario.types import (
    EU_MEMBER_STATES as EU_MEMBER_STATES,
)
from simulator.scenario.types import (
    FORMAT as FORMAT,
)
from simulator.scenario.types import (
    MAX_HOURS as MAX_HOURS,
)
from simulator.scenario.types import (
    SECTORS as SECTORS,
)
from simulator.scenario.types import (
    TLP_ORDER as TLP_ORDER,
)
from simulator.scenario.types import (
    ActorKind as ActorKind,
)
from simulator.scenario.types import (
    Colour as Colour,
)
from simulator.scenario.types import (
    Delay as Delay,
)
from simulator.scenario.types import (
    Duration as Duration,
)
from simulator.scenario.types import (
    Effects as Effects,
)
from simulator.scenario.types import (
    Id as Id,
)
from simulator.scenario.types import (
    Level as Level,
)
from simulator.scenario.types import (
    Model as Model,
)
from simulator.scenario.types import (
    Outlook as Outlook,
)
from simulator.scenario.types import (
    Time as Time,
)
from simulator.scenario.types import (
    Tlp as Tlp,
)
from simulator.scenario.types import (
    _tlp as _tlp,
)
from simulator.scenario.types import (
    no_effects as no_effects,
)

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
