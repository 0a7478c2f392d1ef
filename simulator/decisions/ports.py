"""What the decision desk needs from the exercise it serves, as a typed interface.

The desk sits below the engine: it imports this Protocol, never the engine,
and the engine's :class:`~simulator.engine.exercise.Exercise` provides it.
Every member here is public on the exercise; the desk reaches no private.
"""

from __future__ import annotations

import random
from collections.abc import Generator
from typing import Any, Protocol

from simulator.scenario.conditions import Context
from simulator.scenario.model import Delay, Effects, Scenario
from simulator.scenario.plan import Plan


class Randomness(Protocol):
    """Seeded named streams (the engine's :class:`~simulator.engine.rng.Streams`)."""

    def __call__(self, name: str) -> random.Random: ...

    def minutes(self, name: str, delay: Delay, factor: float = 1.0) -> int: ...


class WorldView(Protocol):
    """The parts of the world state the desk reads (votes weigh evidence and cohesion)."""

    evidence: float
    cohesion: float
    capacity_exceeded: set[str]

    def ms_colours(self) -> dict[str, str]: ...


class ExercisePort(Protocol):
    """The exercise as the desk sees it (read-only properties, so any exercise's own types fit)."""

    @property
    def plan(self) -> Plan: ...

    @property
    def scenario(self) -> Scenario: ...

    @property
    def rng(self) -> Randomness: ...

    @property
    def state(self) -> WorldView: ...

    @property
    def now(self) -> int: ...

    def record(self, kind: str, data: dict[str, Any]) -> Any: ...

    def start(self, process: Generator[Any, Any, Any]) -> None: ...

    def timeout(self, minutes: float) -> Any: ...

    def context(self, params: dict | None = None) -> Context: ...

    def known_context(self, team: str, params: dict | None = None, decision: str | None = None) -> Context: ...

    def not_known(self, team: str, reads: dict[str, Any], reason: str, decision: str | None = None) -> str: ...

    def open_points(self) -> dict[str, dict[str, Any]]: ...

    def close_point(self, ident: str, option: str, how: str, team: str, rationale: str) -> None: ...

    def cancel(self, inject: str, cause: str) -> None: ...

    def fire_from(self, inject: str, cause: str, tlp: str | None = None) -> None: ...

    def source_label(self, team: str) -> str | None: ...

    def apply_effects(self, effects: Effects, cause: str) -> None: ...

    def recheck_conditions(self) -> None: ...

    def file_report(self, entity: str, report: str, cause: str) -> None: ...

    def start_clock(self, report: str, owner: str) -> Any: ...
