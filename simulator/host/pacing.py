"""The host's clock: simulated minutes per wall second, stepped in small CPU budgets.

The engine knows no wall time. :class:`Pacer` maps wall time to a target
simulation time (``anchor_sim + (wall - anchor_wall) * speed``) and steps the
engine up to it, at most ``budget`` CPU seconds per call, so the host's event
loop keeps serving seats. ``speed="max"`` runs as fast as the budget allows;
:meth:`Pacer.advance_to` runs to a time and pauses there (for facilitators
and tests). Pausing and speed changes re-anchor, so paused time never counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from simulator.engine.exercise import Exercise

Speed = float | str
MAX = "max"


class Pacer:
    """Drives one exercise from the host's loop."""

    def __init__(self, exercise: Exercise, *, speed: Speed = 60.0, clock: Callable[[], float] = time.monotonic,
                 budget: float = 0.02, perf: Callable[[], float] = time.perf_counter):
        self.ex = exercise
        self.speed: Speed = speed
        self.clock = clock
        self.budget = budget
        self.perf = perf
        self.running = False
        self.target: int | None = None
        self._anchor_sim = float(exercise.now)
        self._anchor_wall = clock()

    @property
    def state(self) -> str:
        if self.ex.ended:
            return "ended"
        if self.target is not None:
            return "advancing"
        return "running" if self.running else "paused"

    def _reanchor(self) -> None:
        self._anchor_sim = float(self.ex.now)
        self._anchor_wall = self.clock()

    def run(self) -> None:
        if not self.running:
            self._reanchor()
            self.running = True

    def pause(self) -> None:
        self.running = False
        self.target = None
        self._reanchor()

    def set_speed(self, speed: Speed) -> None:
        self._reanchor()
        self.speed = speed

    def advance_to(self, t: int) -> None:
        """Run as fast as allowed to ``t`` (capped at the end), then pause."""
        self.target = min(int(t), self.ex.duration + 1)

    def position(self) -> float:
        if self.target is not None:
            return float(self.target)
        if not self.running:
            return float(self.ex.now)
        if self.speed == MAX:
            return float(self.ex.duration + 1)
        return self._anchor_sim + (self.clock() - self._anchor_wall) * float(self.speed)

    def tick(self) -> int:
        """Step the engine towards where the clock says it should be; returns the steps taken."""
        ex = self.ex
        if ex.ended or (not self.running and self.target is None):
            return 0
        goal = self.position()
        limit = min(int(goal), ex.duration)
        start = self.perf()
        steps = 0
        while not ex.ended and ex.peek() <= limit:
            ex.step()
            steps += 1
            if self.perf() - start > self.budget:
                if self.target is None and self.speed != MAX:
                    self._reanchor()  # no debt: a slow host slows the exercise instead of lurching later
                return steps
        if not ex.ended:
            if goal > ex.duration:
                ex.run()  # nothing left before the end: finish
            elif limit > ex.now:
                ex.run(until=limit)  # only moves the clock: nothing is due before it
        if self.target is not None and (ex.ended or ex.now >= self.target):
            self.target = None
            self.running = False
            self._reanchor()
        return steps

    def drain(self) -> None:
        """Play out everything due at the current instant (after an input)."""
        ex = self.ex
        while not ex.ended and ex.peek() <= ex.now:
            ex.step()
