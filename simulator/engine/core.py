"""What every part of an exercise shares: the simpy clock, the plan, seeded streams, the journal.

The exercise is composed of parts (:class:`~simulator.engine.transport.Transport`,
:class:`~simulator.engine.filing.Filing`, the decision desk) that each hold
their own state and talk through small public methods; this core is the one
thing they all hold. Nothing here reads the wall clock or the global
``random``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, cast

import simpy
from simpy.events import NORMAL, URGENT, Event, Timeout

from simulator.engine.rng import Streams
from simulator.journal.journal import Journal, Record
from simulator.scenario.plan import Plan


class Core:
    """The shared clock, plan, randomness and journal of one exercise."""

    def __init__(self, plan: Plan, seed: int, journal: Journal):
        self.plan = plan
        self.seed = seed
        self.journal = journal
        self._append = journal.append
        self.env = simpy.Environment()
        self.rng = Streams(seed)
        self._message_seq = 0

    @property
    def now(self) -> int:
        """Minutes since T+0."""
        return int(self.env.now)

    def record(self, kind: str, data: dict[str, Any]) -> Record:
        """Append a record at the current time."""
        return self._append(int(self.env.now), kind, data)

    def start(self, process: Generator[Any, Any, Any]) -> None:
        """Run a generator as a simpy process."""
        self.env.process(process)

    def timeout(self, minutes: float) -> simpy.Timeout:
        """An event ``minutes`` from now, for processes to yield."""
        return self.env.timeout(minutes)

    def later(self, minutes: int, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` after ``minutes`` of scenario time, as one engine event (cheaper than a process)."""
        Timeout(self.env, minutes, (fn, args)).callbacks.append(_call)

    def wait_then(self, minutes: int, fn: Callable[..., None], *args: Any) -> None:
        """Wait ``minutes``, then call ``fn(*args)``: ``start()`` of a process that does only that, event for event.

        A replay starts one such process per timed inject and point; as a
        :class:`_Wait` it costs no generator and no simpy Process machinery, and
        it schedules exactly the events the process would (so step numbers and
        the journal do not change).
        """
        _Wait(self.env, minutes, fn, args)

    def next_message_id(self) -> str:
        """The id of the next message put on the network (``m1``, ``m2``, …), shared by every sender."""
        self._message_seq += 1
        return f"m{self._message_seq}"


def _call(event: Event) -> None:
    """The callback of :meth:`Core.later`'s timeout: its value is the function and its arguments."""
    fn, args = cast("tuple[Callable[..., None], tuple[Any, ...]]", event.value)
    fn(*args)


class _Wait(Event):
    """What ``env.process`` makes of ``yield env.timeout(minutes); fn(*args)``, event for event.

    The same three events at the same places in simpy's queue: an initialize
    event now (urgent), which creates the timeout; the timeout, which calls
    ``fn``; then this object, the process's end, scheduled when ``fn`` returns
    (or, failed, raises ``fn``'s exception from the step that processes it, as
    simpy does for a failed process nobody waits for).
    """

    def __init__(self, env: simpy.Environment, minutes: int, fn: Callable[..., None], args: tuple[Any, ...]):
        self.env = env
        self.callbacks = []
        self._minutes = minutes
        self._fn = fn
        self._args = args
        start = Event(env)
        start._ok = True
        start._value = None
        start.callbacks.append(self._start)
        env.schedule(start, URGENT)

    def _start(self, _event: Event) -> None:
        try:
            Timeout(self.env, self._minutes).callbacks.append(self._fire)
        except BaseException as e:  # a process's failure: raised by the step that processes its end
            self._end(False, e)

    def _fire(self, _event: Event) -> None:
        try:
            self._fn(*self._args)
        except BaseException as e:  # as above
            self._end(False, e)
        else:
            self._end(True, None)

    def _end(self, ok: bool, value: Any) -> None:
        self._ok = ok
        self._value = value
        self.env.schedule(self, NORMAL)
