"""What the incident's parts (public sphere, assistance) need from the incident run, as a Protocol.

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
