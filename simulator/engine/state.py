"""The exercise's world state: what the incident has done and where the EU response stands.

Changed only through :meth:`WorldState.apply`, which returns exactly what
changed so the engine can journal it (domain.md §10.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.scenario.conditions import LADDERS
from simulator.scenario.model import Effects

COLOUR_RANK = {c: i for i, c in enumerate(LADDERS["colour"])}


def _clamp(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


@dataclass
class WorldState:
    """Mutable state of one exercise run; the journal records every change."""

    impact: dict[tuple[str, str], str] = field(default_factory=dict)
    outlook: str = "stable"
    cross_border: bool = False
    capacity_exceeded: set[str] = field(default_factory=set)
    threat_severity: str = "none"
    exposure: str = "limited"
    internal_market: bool = False
    public_safety: bool = False
    cross_border_dependency: bool = False
    attribution: str = "none"
    confidence: str = "none"
    state_actor: bool = False
    criminal_group: bool = False
    partner_attribution: bool = False
    attributed_by: set[str] = field(default_factory=set)
    evidence: float = 0.0
    cohesion: float = 0.6
    public_trust: float = 0.7
    disinfo_reach: float = 0.0
    significant: set[str] = field(default_factory=set)
    major: set[str] = field(default_factory=set)
    flags: dict[str, bool] = field(default_factory=dict)
    cyclone: str = "none"
    ipcr: str = "monitoring"
    art222: bool = False
    art427: bool = False
    reserve_requested: bool = False

    # -------------------------------------------------------------- reading
    def ms_colours(self) -> dict[str, str]:
        """Worst impact colour per Member State, in MS order.

        Remembered until :meth:`apply` changes the impact: severity, every
        condition and every policy decision read it, and sorting the whole
        impact table each time was a hot spot with 27 MS x many sectors.
        """
        cached = self.__dict__.get("_ms_colours")
        if cached is None:
            worst: dict[str, str] = {}
            for (ms, _sector), colour in self.impact.items():
                if COLOUR_RANK[colour] >= COLOUR_RANK[worst.get(ms, "white")]:
                    worst[ms] = colour
            cached = dict(sorted(worst.items()))
            self.__dict__["_ms_colours"] = cached
        return dict(cached)

    def _colour_counts(self) -> tuple[int, int, int]:
        """Member States green or worse, yellow or worse, red; remembered like ms_colours."""
        counts = self.__dict__.get("_counts_cache")
        if counts is None:
            colours = self.ms_colours().values()
            counts = self.__dict__["_counts_cache"] = (
                sum(c != "white" for c in colours), sum(c in ("yellow", "red") for c in colours),
                sum(c == "red" for c in colours))
        return counts

    def sectors_hit(self) -> list[str]:
        return sorted({s for (_ms, s), c in self.impact.items() if c != "white"})

    def variables(self) -> dict[str, Any]:
        """The names conditions read (see conditions.VARIABLES)."""
        affected, yellow, red = self._colour_counts()
        return {
            "eccs": 0,  # filled in by the engine from the severity module
            "outlook": self.outlook,
            "threat_severity": self.threat_severity,
            "exposure": self.exposure,
            "cross_border": self.cross_border,
            "ms_affected": affected,
            "ms_yellow": yellow,
            "ms_red": red,
            "capacity_exceeded": len(self.capacity_exceeded),
            "internal_market": self.internal_market,
            "public_safety": self.public_safety,
            "cross_border_dependency": self.cross_border_dependency,
            "significant": len(self.significant),
            "major": len(self.major),
            "attribution": self.attribution,
            "confidence": self.confidence,
            "state_actor": self.state_actor,
            "criminal_group": self.criminal_group,
            "partner_attribution": self.partner_attribution,
            "attributing_ms": len(self.attributed_by),
            "evidence": self.evidence,
            "cohesion": self.cohesion,
            "public_trust": self.public_trust,
            "disinfo_reach": self.disinfo_reach,
            "cyclone": self.cyclone,
            "ipcr": self.ipcr,
            "art222": self.art222,
            "art427": self.art427,
            "reserve_requested": self.reserve_requested,
        }

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able picture of the whole state (for views and reports)."""
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = _plain(value) if name != "impact" else {f"{ms}/{s}": c for (ms, s), c in sorted(value.items())}
        return out

    # -------------------------------------------------------------- changing
    def apply(self, e: Effects) -> dict[str, list]:
        """Apply effects; return {name: [old, new]} for what actually changed."""
        changes: dict[str, list] = {}

        def setv(name: str, new: Any) -> None:
            old = getattr(self, name)
            if old != new:
                changes[name] = [_plain(old), _plain(new)]
                setattr(self, name, new)

        for key, colour in sorted(e.impact.items()):
            ms, _, sector = key.partition("/")
            old = self.impact.get((ms, sector), "white")
            if old != colour:
                changes[f"impact.{key}"] = [old, colour]
                self.impact[(ms, sector)] = colour
                self.__dict__.pop("_ms_colours", None)
                self.__dict__.pop("_counts_cache", None)
        for name in ("outlook", "cross_border", "threat_severity", "exposure", "internal_market", "public_safety",
                     "cross_border_dependency", "confidence", "state_actor", "criminal_group", "partner_attribution",
                     "art222", "art427", "reserve_requested"):
            value = getattr(e, name)
            if value is not None:
                setv(name, value)
        # Mechanism modes only go up: a lower step that takes effect late (D06
        # after D07, D11 after Art. 222 set IPCR full) must not undo a higher
        # one. Only IPCR deactivation (back to monitoring, D13) steps down.
        if e.cyclone is not None and LADDERS["cyclone"].index(e.cyclone) > LADDERS["cyclone"].index(self.cyclone):
            setv("cyclone", e.cyclone)
        if e.ipcr is not None and (e.ipcr == "monitoring" or LADDERS["ipcr"].index(e.ipcr) > LADDERS["ipcr"].index(self.ipcr)):
            setv("ipcr", e.ipcr)
        if e.attribution is not None and LADDERS["attribution"].index(e.attribution) > LADDERS["attribution"].index(self.attribution):
            setv("attribution", e.attribution)  # only goes up: a late D17 must not undo a coordinated attribution (D18)
        if e.capacity_exceeded or e.capacity_restored:
            setv("capacity_exceeded", (self.capacity_exceeded | set(e.capacity_exceeded)) - set(e.capacity_restored))
        if e.attributed_by:
            setv("attributed_by", self.attributed_by | set(e.attributed_by))
            if LADDERS["attribution"].index(self.attribution) < LADDERS["attribution"].index("attributed"):
                setv("attribution", "attributed")
        if e.evidence is not None and e.evidence > self.evidence:
            setv("evidence", e.evidence)
        for name in ("cohesion", "public_trust", "disinfo_reach"):
            delta = getattr(e, name)
            if delta:
                setv(name, self.shifted(name, delta))
        # a set that already holds them does not change (setv would compare, after sorting both for the record)
        if e.significant and not self.significant.issuperset(e.significant):
            setv("significant", self.significant | set(e.significant))
        if e.major and not self.major.issuperset(e.major):
            setv("major", self.major | set(e.major))
        if e.flags:
            merged = {**self.flags, **e.flags}
            setv("flags", dict(sorted(merged.items())))
        if changes:
            self.__dict__["_version"] = self.version() + 1
        return changes

    def shifted(self, name: str, delta: float) -> float:
        """What ``delta`` makes of the public-sphere value ``name`` (cohesion, trust, reach): clamped to 0..1."""
        return _clamp(getattr(self, name) + delta)

    def version(self) -> int:
        """How many times :meth:`apply` changed something: equal versions, equal state (readers cache on it)."""
        return self.__dict__.get("_version", 0)


def _plain(value: Any) -> Any:
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value
