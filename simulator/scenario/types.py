"""The scalar types of the scenario format (ids, times, TLP labels, colours), the base model and delays.

Shared by :mod:`simulator.scenario.model` and :mod:`simulator.scenario.incident_model`.
"""

from __future__ import annotations

from typing import Annotated, Literal

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
