"""SimDriver: paces an :class:`~simulator.engine.exercise.Exercise` from the UI's clock.

The engine knows nothing of wall time. The driver maps wall time to
simulation time (``sim = anchor_sim + (wall - anchor_wall) * speed / 60``,
minutes) and, on every :meth:`tick`, steps the engine up to that point under
a CPU budget, so the asyncio loop never blocks (tech-notes §3, "Recommended
pattern"). Pause, resume and speed changes only *re-anchor* the mapping, so
wall time spent paused never counts. The clock is injectable: tests pass a
fake one and call :meth:`tick` themselves.

Besides paced play there are two "as fast as allowed" modes, both stopping
at something a person should look at: the last step of the speed ladder
("to next event") pauses after the next notable record, and
:meth:`jump_to_next_inject` runs until the next MSEL inject is released.
A jump never runs through a decision point's window: it stops when a point
opens, and the clock is paused after every jump, so the facilitator looks
before the exercise runs on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from simulator.engine.exercise import Exercise
from simulator.journal.journal import Record

SPEEDS: tuple[int, ...] = (1, 10, 60, 600, 3600)
"""Paced speeds as multiples of real time (×60 = one exercise minute per second)."""

EVENT_MODE = len(SPEEDS)
"""Index of the last step of the ladder: run to the next notable event, then pause."""

DEFAULT_SPEED = 2
"""×60 when the facilitator starts: a 30-hour tutorial plays in 30 minutes."""

NOTABLE_KINDS = frozenset({
    "inject.delivered", "decision_point.opened", "decision_point.closed", "severity.changed",
    "clock.missed", "decision.effective", "decision.downgraded", "decision.failed", "exercise.ended",
})
"""Records that stop the "to next event" mode: what a team or the facilitator must see."""


def is_notable(record: Record) -> bool:
    """True for records people must look at (a delivery counts only if a team receives it)."""
    if record.kind not in NOTABLE_KINDS:
        return False
    return record.kind != "inject.delivered" or bool(record.get("teams"))


def is_inject_release(record: Record) -> bool:
    """True when an MSEL or ad-hoc inject goes out (the target of "next inject")."""
    return record.kind == "inject.released"


def is_point_opening(record: Record) -> bool:
    """True when a decision point opens: every jump stops there, so no team's window is skipped."""
    return record.kind == "decision_point.opened"


@dataclass(frozen=True)
class TickResult:
    """What one tick did, for the app to react to."""

    steps: int = 0
    stopped: str = ""
    """Why a fast mode stopped: "event", "inject", "point" (a jump met a decision point), "end", or ""."""
    over_budget: bool = False


class SimDriver:
    """Drives one exercise from the UI: speed ladder, pause, jumps, CPU budget."""

    def __init__(self, exercise: Exercise, *, clock: Callable[[], float] = time.monotonic,
                 budget: float = 0.02, perf: Callable[[], float] = time.perf_counter,
                 speed: int = DEFAULT_SPEED, paused: bool = True,
                 on_error: Callable[[BaseException], None] | None = None):
        """Args:
            exercise: the engine to drive; it may already be part-way (a resumed session).
            clock: wall clock in seconds; tests inject a fake.
            budget: CPU seconds one tick may spend stepping before it yields.
            perf: the clock that measures the budget.
            speed: index into the ladder (SPEEDS, then EVENT_MODE).
            paused: start paused (the briefing screen starts the clock).
            on_error: called with an exception raised inside the engine; the driver pauses.
        """
        self.ex = exercise
        self.clock = clock
        self.budget = budget
        self.perf = perf
        self.speed_index = max(0, min(EVENT_MODE, speed))
        self.paused = paused
        self.on_error = on_error
        self.error: BaseException | None = None
        self._jumping = False
        self._jump_stop: Callable[[Record], bool] = is_inject_release
        self._anchor_sim = float(exercise.now)
        self._anchor_wall = clock()

    # ------------------------------------------------------------ reading
    @property
    def event_mode(self) -> bool:
        return self.speed_index == EVENT_MODE

    @property
    def jumping(self) -> bool:
        return self._jumping

    @property
    def speed(self) -> int:
        """Multiple of real time; 0 in event mode (no pacing)."""
        return 0 if self.event_mode else SPEEDS[self.speed_index]

    @property
    def speed_label(self) -> str:
        return "to next event" if self.event_mode else f"×{self.speed}"

    @property
    def state_label(self) -> str:
        if self.ex.ended:
            return "ENDED"
        if self._jumping:
            return "JUMPING"
        return "PAUSED" if self.paused else "RUNNING"

    def position(self) -> float:
        """Where the paced clock stands now, in minutes (the engine may lag by < 1 min)."""
        if self.paused or self.event_mode or self.ex.ended:
            return float(self.ex.now)
        return self._anchor_sim + (self.clock() - self._anchor_wall) * self.speed / 60.0

    # ------------------------------------------------------------ controls
    def _reanchor(self, sim: float | None = None) -> None:
        self._anchor_sim = float(self.ex.now) if sim is None else sim
        self._anchor_wall = self.clock()

    def pause(self) -> None:
        if not self.paused:
            self._reanchor(max(float(self.ex.now), self.position()))
            self.paused = True

    def resume(self) -> None:
        if self.paused and not self.ex.ended:
            self._reanchor(max(float(self.ex.now), self._anchor_sim))
            self.paused = False
            self.error = None

    def toggle(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def set_speed(self, index: int) -> None:
        index = max(0, min(EVENT_MODE, index))
        self._reanchor(max(float(self.ex.now), self.position()) if not self.event_mode else None)
        self.speed_index = index

    def faster(self) -> None:
        self.set_speed(self.speed_index + 1)

    def slower(self) -> None:
        self.set_speed(self.speed_index - 1)

    def jump_to_next_inject(self) -> None:
        """Run (running or paused) until the next inject is released or a decision point opens, then pause."""
        self.jump_until(is_inject_release)

    def jump_until(self, stop: Callable[[Record], bool]) -> None:
        """Run until a record satisfies ``stop``, a decision point opens or the end is reached; then pause."""
        if not self.ex.ended:
            self._jumping = True
            self._jump_stop = stop

    def cancel_jump(self) -> None:
        self._jumping = False
        self._reanchor()

    # ------------------------------------------------------------ stepping
    def tick(self) -> TickResult:
        """Advance the engine to where the clock says it should be, within the budget."""
        ex = self.ex
        if ex.ended:
            return TickResult()
        try:
            if self._jumping:
                return self._jump()
            if self.paused:
                return TickResult()
            if self.event_mode:
                return self._fast(is_notable, finish=True, reason="event")
            return self._paced()
        except Exception as e:  # an engine bug must not kill the session: pause and report
            self.paused, self._jumping, self.error = True, False, e
            self._reanchor()
            if self.on_error is not None:
                self.on_error(e)
            return TickResult(stopped="error")

    def _paced(self) -> TickResult:
        ex = self.ex
        target = self.position()
        limit = min(int(target), ex.duration)
        steps, outcome = self._step_to(limit, None)
        if outcome == "budget":
            self._reanchor()  # no debt: the exercise slows down instead
            return TickResult(steps, over_budget=True)
        if limit > ex.now:
            ex.run(until=limit)
        if target >= ex.duration:
            ex.run()
            return TickResult(steps, stopped="end")
        return TickResult(steps)

    def _fast(self, stop: Callable[[Record], bool], finish: bool, reason: str) -> TickResult:
        ex = self.ex
        steps, outcome = self._step_to(ex.duration, stop)
        if outcome == "budget":
            return TickResult(steps, over_budget=True)
        if outcome == "stopped":
            self._after_fast()
            return TickResult(steps, stopped=reason)
        # nothing (more) to stop at before the end
        if ex.duration > ex.now:
            ex.run(until=ex.duration)
        elif finish:
            ex.run()
        self._after_fast()
        return TickResult(steps, stopped="end")

    def _jump(self) -> TickResult:
        target = self._jump_stop
        journal = self.ex.journal
        seen = len(journal)
        result = self._fast(lambda r: target(r) or is_point_opening(r), finish=False, reason="inject")
        if result.stopped == "inject" and not any(target(r) for r in journal.since(seen)):
            return TickResult(result.steps, stopped="point", over_budget=result.over_budget)
        return result

    def _after_fast(self) -> None:
        if self._jumping:
            self._jumping = False
            self.paused = True  # look before the exercise runs on (space resumes)
        elif self.event_mode:
            self.paused = True
        self._reanchor()

    def _step_to(self, limit: int, stop: Callable[[Record], bool] | None) -> tuple[int, str]:
        """Step events at times <= limit; returns (steps, "done" | "stopped" | "budget")."""
        ex = self.ex
        journal = ex.journal
        start = self.perf()
        steps = 0
        while not ex.ended and ex.peek() <= limit:
            seen = len(journal)
            ex.step()
            steps += 1
            if stop is not None and any(stop(r) for r in journal.since(seen)):
                # finish the instant, so what happened "at the same time" shows together
                self.drain()
                return steps, "stopped"
            if self.perf() - start > self.budget:
                return steps, "budget"
        return steps, "done"

    def drain(self) -> int:
        """Process everything due at the current instant (after an input, even while paused)."""
        ex = self.ex
        steps = 0
        while not ex.ended and ex.peek() <= ex.now:
            ex.step()
            steps += 1
        return steps
