"""The ECCS severity scale (domain.md §7.6), computed from the world state.

Every level comes with the condition that fired, so each crossing in the
journal says why; :func:`summary` gives the one-line political picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.state import WorldState

NAMES = ("Baseline", "Minor", "Significant", "Serious / cross-border risk", "Large-scale", "EU cyber crisis")
COLOURS = ("white", "green", "yellow", "orange", "red", "black")
"""ECCS colours, reusing the NCISS ladder (domain.md §7.4, §7.6)."""


@dataclass(frozen=True)
class Severity:
    level: int
    reason: str

    @property
    def name(self) -> str:
        return NAMES[self.level]

    @property
    def colour(self) -> str:
        return COLOURS[self.level]


def _list(items) -> str:
    return ", ".join(items)


READS = frozenset({"impact", "capacity_exceeded", "internal_market", "public_safety", "cross_border_dependency",
                   "cross_border", "threat_severity", "exposure", "significant", "major"})
"""The world-state fields :func:`compute` reads (tests/unit/test_severity.py holds it to that)."""


def moved_by(changes: dict[str, list]) -> bool:
    """Whether a state change (``WorldState.apply``'s result: ``impact.IE/health``, ``disinfo_reach``) touches
    what ECCS is computed from; a change that does not (trust, reach, cohesion) leaves the level and reason."""
    return any(name.partition(".")[0] in READS for name in changes)


def compute(state: WorldState) -> Severity:
    """ECCS level and the condition that set it; the highest level that holds wins."""
    per_ms = state.ms_colours()
    yellow_plus = [ms for ms, c in per_ms.items() if c in ("yellow", "red")]
    red = [ms for ms, c in per_ms.items() if c == "red"]
    green_plus = [ms for ms, c in per_ms.items() if c != "white"]

    large = []
    if state.capacity_exceeded:
        large.append(f"response capacity exceeded in {_list(sorted(state.capacity_exceeded))} (NIS2 Art. 6(7))")
    if len(yellow_plus) >= 2:
        large.append(f"significant impact (yellow or worse) in {len(yellow_plus)} MS: {_list(yellow_plus)}")
    if large:
        crisis = []
        if state.internal_market:
            crisis.append("internal-market functioning affected")
        if state.public_safety:
            crisis.append("serious public-safety risk")
        if len(red) >= 2 and state.cross_border_dependency:
            crisis.append(f"red impact in {_list(red)} with cross-border dependency")
        if crisis:
            return Severity(5, "large-scale incident and " + "; ".join(crisis))
        return Severity(4, "; ".join(large))
    if red:
        return Severity(3, f"red impact in {_list(red)}")
    if yellow_plus and state.cross_border:
        return Severity(3, f"yellow impact in {_list(yellow_plus)} with cross-border indicators")
    if state.threat_severity == "high" and state.exposure == "wide":
        return Severity(3, "high threat severity with wide exposure")
    if yellow_plus:
        return Severity(2, f"yellow impact in {_list(yellow_plus)}")
    if state.significant or state.major:
        names = sorted(state.significant | state.major)
        return Severity(2, f"significant/major incident at {_list(names)}")
    if green_plus:
        return Severity(1, f"confirmed incident, green impact in {_list(green_plus)}")
    return Severity(0, "no confirmed impact")


def summary(state: WorldState, severity: Severity | None = None) -> str:
    """The one-line political picture of domain.md §7.6."""
    sev = severity or compute(state)
    per_ms = " ".join(f"{ms}({c})" for ms, c in state.ms_colours().items() if c != "white") or "none"
    sectors = ", ".join(state.sectors_hit()) or "none"
    attribution = state.attribution
    if state.attribution in ("assessed", "attributed", "coordinated") and state.confidence != "none":
        attribution += f" ({state.confidence} confidence)"
    if state.attributed_by:
        attribution += " by " + ", ".join(sorted(state.attributed_by))
    mech = [f"CyCLONe {state.cyclone}", f"IPCR {state.ipcr.replace('_', '-')}"]
    if state.art222:
        mech.append("Art. 222 invoked")
    if state.art427:
        mech.append("Art. 42(7) invoked")
    if state.reserve_requested:
        mech.append("Reserve requested")
    return (
        f"ECCS {sev.level} ({sev.colour.upper()}) · outlook {state.outlook.upper()} · {sectors} · {per_ms} · "
        f"attribution: {attribution} · {'; '.join(mech)}"
    )
