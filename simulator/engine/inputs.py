"""Inputs from outside the engine, queued for a run: recorded ones at their step, scripted ones at a time.

Replay and resume feed an exercise the inputs of a journal at the engine step
they were recorded at; decisions scripts give them a time. The queue keeps
both in order and says when the next one is due; :func:`apply_recorded` turns
a recorded input back into the call that made it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.errors import InputError
from simulator.journal.journal import INPUT_KINDS


@dataclass
class ScheduledInput:
    """An input to apply during a run: at a step (exact replay) or at a time."""

    kind: str
    payload: dict[str, Any]
    t: int
    step: int | None = None


def _step_of(inp: ScheduledInput) -> int:
    """The step of an input replayed at its step (only those are in the stepped queue)."""
    assert inp.step is not None
    return inp.step


class InputQueue:
    """Inputs waiting for their step or their time, each list in order."""

    def __init__(self) -> None:
        self._stepped: list[ScheduledInput] = []
        self._timed: list[ScheduledInput] = []

    def __bool__(self) -> bool:
        """Whether any input still waits for its step or its time."""
        return bool(self._stepped or self._timed)

    def add(self, inp: ScheduledInput) -> None:
        if inp.kind not in INPUT_KINDS:
            raise InputError(f"unknown input kind {inp.kind!r}")
        if inp.step is not None:
            self._stepped.append(inp)
            self._stepped.sort(key=_step_of)
        else:
            self._timed.append(inp)
            self._timed.sort(key=lambda i: i.t)

    def pop_stepped(self, steps: int, before: float = math.inf) -> ScheduledInput | None:
        """The next input recorded at step ``steps`` (and before time ``before``), or None; a missed one is an error."""
        if not self._stepped:
            return None
        first = self._stepped[0]
        if _step_of(first) > steps or first.t >= before:
            return None
        self._stepped.pop(0)
        if _step_of(first) < steps:
            raise InputError(f"input {first.kind} at step {first.step} came too late (now at step {steps})")
        return first

    def pop_timed(self, next_event: float, end: int, inclusive: bool) -> ScheduledInput | None:
        """The next timed input if it comes before the next event and before ``end`` (or at it, ``inclusive``)."""
        timed = self._timed[0] if self._timed else None
        if timed is None or timed.t >= next_event or not (timed.t < end or (inclusive and timed.t <= end)):
            return None
        return self._timed.pop(0)

    @property
    def unapplied(self) -> list[ScheduledInput]:
        """Recorded inputs still waiting for their step."""
        return list(self._stepped)


def apply_recorded(ex: Any, kind: str, payload: dict[str, Any]) -> Any:
    """Make again, on the exercise ``ex``, the call a recorded input came from (typed loosely: the engine imports this module)."""
    if kind == "decision.submitted":
        return ex.submit(**payload)
    if kind == "facilitator.fired":
        return ex.fire(**payload)
    if kind == "facilitator.held":
        return ex.hold(**payload)
    if kind == "facilitator.released":
        return ex.release(**payload)
    if kind == "facilitator.injected":
        spec = dict(payload["inject"])
        return ex.add_inject(sender=spec["from"], to=spec["to"], title=spec["title"], body=spec.get("body", ""),
                             tlp=spec.get("tlp", "TLP:AMBER"), channel=spec.get("channel"), recorded=True)
    if kind == "facilitator.channel":
        return ex.set_channel(**payload)
    if kind == "observation.noted":
        fields = dict(payload)
        category = fields.pop("category", None) or fields.pop("kind", None) or "note"
        return ex.note(kind=category, **fields)
    raise InputError(f"unknown input kind {kind!r}")
