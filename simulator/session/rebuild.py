"""Rebuilding a session's exercise from its stored journal, record for record.

Resuming is replaying: a fresh engine with the session's seed is fed the
stored inputs (decisions, facilitator actions, ad-hoc injects, observations),
each at the step and time it was recorded at, and every record it produces is
compared with the stored one (:meth:`Record.line`, the canonical JSON).

Inputs are applied here, between engine steps, through the public API
(``run(until=t)`` then ``apply_input``), rather than by handing them to the
engine as ``ScheduledInput`` s. The engine applies a scheduled input at the
start of the next ``step()`` and then processes the next event in the same
call; when the stored journal *ends* with an input (a facilitator acted, then
the terminal died) that would run the exercise one event further than it had
got, possibly hours of scenario time. Applying inputs at their journal
position stops the rebuild exactly where the session stopped. The only records
added are those of a step the crash interrupted half-way, which the engine
determines completely.
"""

from __future__ import annotations

from collections import deque

from simulator.engine.briefing import decide_on_of
from simulator.engine.exercise import Exercise
from simulator.errors import EXIT_FAILURE, SimulatorError
from simulator.journal.journal import INPUT_KINDS, Journal, Record
from simulator.scenario.plan import Plan
from simulator.timefmt import format_time


class DivergenceError(SimulatorError):
    """The rebuilt journal is not the stored one (exit 1: the inputs were fine, the replay was not)."""

    exit_code = EXIT_FAILURE


class CheckingJournal(Journal):
    """A journal that compares each record with the stored one at the same seq.

    Records past the stored ones are passed to :meth:`_extra` (kept in memory
    here; the session journal commits them). Once a record differs nothing
    more is passed on, so a diverging rebuild never writes.
    """

    def __init__(self, expected: list[Record]):
        super().__init__()
        self.expected = expected
        self.divergence: tuple[int, Record, Record] | None = None

    def _persist(self, record: Record) -> None:
        if record.seq < len(self.expected):
            if self.divergence is None and record.line() != self.expected[record.seq].line():
                self.divergence = (record.seq, self.expected[record.seq], record)
            return
        if self.divergence is None:
            self._extra(record)

    def _extra(self, record: Record) -> None:
        """A record beyond the stored journal (the rest of an interrupted step, or new play)."""


def rebuild(plan: Plan, seed: int, journal: CheckingJournal, *, where: str = "session") -> Exercise:
    """A fresh exercise brought to where the stored journal ends; DivergenceError if it cannot be."""
    stored = journal.expected
    n = len(stored)
    inputs = deque(r for r in stored if r.kind in INPUT_KINDS)
    if n and stored[0].kind == "exercise.started":
        ex = Exercise(plan, seed=seed, journal=journal, decide_on=decide_on_of(stored[0].data))
    else:
        ex = Exercise(plan, seed=seed, journal=journal)  # nothing stored yet: a new exercise
    while len(journal) < n and journal.divergence is None and not ex.ended:
        nxt = inputs[0] if inputs else None
        if nxt is not None and nxt.seq == len(journal):
            step = nxt.data.get("step")
            if isinstance(step, int) and ex.steps < step and ex.peek() <= ex.duration:
                ex.step()  # events that left no record before this input
                continue
            inputs.popleft()
            _apply(ex, nxt, where)
            continue
        if ex.peek() > ex.duration:
            ex.run()  # the end: what remains open is recorded at the scenario's end
        else:
            ex.step()
    if journal.divergence is not None:
        raise DivergenceError(describe(where, *journal.divergence))
    if len(journal) < n:
        missing = stored[len(journal)]
        raise DivergenceError(
            f"{where}: the rebuilt exercise ended after {len(journal)} records, but the session has {n}; "
            f"stored record #{missing.seq} ({missing.kind} at {format_time(missing.t)}) was never produced. "
            "Nothing was changed.")
    return ex


def _apply(ex: Exercise, rec: Record, where: str) -> None:
    payload = {k: v for k, v in rec.data.items() if k != "step"}
    step = rec.data.get("step")
    if step != ex.steps:
        raise DivergenceError(
            f"{where}: input record #{rec.seq} ({rec.kind} at {format_time(rec.t)}) was taken at engine step "
            f"{step}, but the rebuilt engine is at step {ex.steps}. Nothing was changed.")
    try:
        if rec.t > ex.now:
            ex.run(until=rec.t)
        ex.apply_input(rec.kind, payload)
    except SimulatorError as e:
        raise DivergenceError(f"{where}: input record #{rec.seq} ({rec.kind} at {format_time(rec.t)}) "
                              f"is refused by the rebuilt engine: {e}. Nothing was changed.") from None
    except (TypeError, KeyError, ValueError, AttributeError) as e:
        raise DivergenceError(f"{where}: input record #{rec.seq} ({rec.kind}) is damaged and cannot be "
                              f"applied: {e!r}. Nothing was changed.") from None


def describe(where: str, seq: int, stored: Record, rebuilt: Record) -> str:
    """The first differing record, both ways, with the fields that differ."""
    a, b = stored.as_dict(), rebuilt.as_dict()
    fields = sorted(k for k in set(a) | set(b) if a.get(k, object()) != b.get(k, object()))
    return (f"{where}: the rebuilt journal differs from the stored one at record #{seq} "
            f"({stored.kind} at {format_time(stored.t)}); differing fields: {', '.join(fields)}\n"
            f"  stored:  {_short(stored.line())}\n"
            f"  rebuilt: {_short(rebuilt.line())}\n"
            "Nothing was changed.")


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
