"""The incident model of a scenario: exposure, spread, entity lifecycle, dependencies, public sphere, adversary, responders.

Also the consequences a catalogue decision has on it. Played by
:mod:`simulator.engine.incident`; documented in docs/scenario-format.md §8.1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    model_validator,
)

from simulator.scenario.types import Delay, Duration, Effects, Id, Model, Time

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
    tick: Duration = Field(60, ge=10, le=1440, description="the hazard's time step, minutes: hits fall on ticks")


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
    noise: float = Field(0.3, ge=0, le=1, description="relative seeded noise on growth, drawn each hour")
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


