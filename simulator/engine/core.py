"""What every part of an exercise shares: the simpy clock, the plan, seeded streams, the journal.

The exercise is composed of parts (:class:`~simulator.engine.transport.Transport`,
:class:`~simulator.engine.filing.Filing`, the decision desk) that each hold
their own state and talk through small public methods; this core is the one
thing they all hold. Nothing here reads the wall clock or the global
``random``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from simulator.engine.rng import Streams
from simulator.journal.journal import Journal, Record
from simulator.scenario.plan import Plan


class Core:
    """The shared clock, plan, randomness and journal of one exercise."""

    def __init__(self, plan: Plan, seed: int, journal: Journal):
        self.plan = plan
        self.seed = seed
        self.journal = journal
        self.env = simpy.Environment()
        self.rng = Streams(seed)
        self._message_seq = 0

    @property
    def now(self) -> int:
        """Minutes since T+0."""
        return int(self.env.now)

    def record(self, kind: str, data: dict[str, Any]) -> Record:
        """Append a record at the current time."""
        return self.journal.append(int(self.env.now), kind, data)

    def start(self, process: Generator[Any, Any, Any]) -> None:
        """Run a generator as a simpy process."""
        self.env.process(process)

    def timeout(self, minutes: float) -> simpy.Timeout:
        """An event ``minutes`` from now, for processes to yield."""
        return self.env.timeout(minutes)

    def later(self, minutes: int, fn: Callable[[], None]) -> None:
        """Call ``fn`` after ``minutes`` of scenario time, as one engine event (cheaper than a process)."""
        self.env.timeout(minutes).callbacks.append(lambda _event: fn())

    def next_message_id(self) -> str:
        """The id of the next message put on the network (``m1``, ``m2``, …), shared by every sender."""
        self._message_seq += 1
        return f"m{self._message_seq}"
