"""What the incident's parts (public sphere, assistance, spread) need from the incident run, as Protocols.

:class:`simulator.engine.incident.IncidentRun` provides it; the parts import
this, never the run, so the engine room has no import cycle.
"""

from __future__ import annotations

from typing import Any, Protocol

from simulator.engine.core import Core
from simulator.scenario.model import IncidentModel


class IncidentPort(Protocol):
    core: Core
    ex: Any
    """The exercise (its state, plan, duration, ``apply_effects``, ``ended``)."""
    model: IncidentModel | None

    def ms_rank(self, ms: str) -> tuple[int, int]: ...

    def speed_up(self, ms: str, share: float, cause: str) -> int: ...

    def capacity_changed(self, ms: str, why: str) -> None: ...


class SpreadPort(Protocol):
    core: Core
    ex: Any
    model: IncidentModel | None
    entities: dict[str, Any]
    """Entity id -> the entity (its ``id``, ``ms``, ``phase``, ``rank`` and ``hit_by``)."""
    exposed: dict[str, list[Any]]
    """MS -> its entities still exposed, in entity order."""
    tempo: float

    def load(self, ms: str) -> int: ...

    def factor(self, ms: str) -> float: ...

    def compromise(self, e: Any, cause: str) -> None: ...
