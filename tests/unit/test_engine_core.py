"""Core's cheap stand-ins for simpy processes schedule, event for event, what the processes would.

``Core.wait_then`` replaces ``start()`` of a process that waits and then calls
a function; ``Core.later`` a timeout with a callback. Step numbers are
journalled (inputs are replayed at their step), so the stand-ins must put the
same events in simpy's queue at the same times, priorities and positions; each
test runs the same story once with processes and once with the stand-in and
compares every step.
"""

from __future__ import annotations

from functools import cache

import pytest

from simulator.bundled import scenarios_dir
from simulator.engine.core import Core
from simulator.journal.journal import Journal
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan


@cache
def _plan() -> Plan:
    return Plan.of(load(scenarios_dir() / "tutorial.yaml").scenario)


def _story(core: Core, calls: list, processes: bool) -> None:
    """Waits at 0, 5 and 5 minutes; the first one starts two more and a later() from inside its call."""
    env = core.env

    def wait_then(minutes, fn, *args):
        if processes:
            def proc():
                yield env.timeout(minutes)
                fn(*args)
            core.start(proc())
        else:
            core.wait_then(minutes, fn, *args)

    def note(name):
        calls.append((env.now, name))

    def first(name):
        note(name)
        wait_then(0, note, "nested-0")
        core.later(0, note, "later-0")
        wait_then(3, note, "nested-3")

    wait_then(5, first, "a")
    wait_then(0, note, "b")
    core.later(5, note, "later-5")
    wait_then(5, note, "c")


def _trace(processes: bool, story=_story) -> tuple[list, list, BaseException | None]:
    core = Core(_plan(), 1, Journal())
    env, steps, calls = core.env, [], []
    story(core, calls, processes)
    error = None
    try:
        while env.peek() != float("inf"):
            steps.append(env._queue[0][:3])  # (time, priority, event id): where the next event sits in the queue
            env.step()
    except Exception as e:  # compared between the two runs below
        error = e
    return steps, calls, error


def test_wait_then_schedules_the_events_a_process_would():
    by_process, by_wait = _trace(processes=True), _trace(processes=False)
    assert by_wait == by_process
    steps, calls, error = by_wait
    assert error is None and len(steps) == 3 * 5 + 2  # five waits of three events each, two later() timeouts
    assert calls == [(0, "b"), (5, "later-5"), (5, "a"), (5, "c"), (5, "later-0"), (5, "nested-0"), (8, "nested-3")]


def _failing(core: Core, calls: list, processes: bool) -> None:
    env = core.env

    def boom():
        calls.append(env.now)
        core.later(0, calls.append, "queued by it")
        raise ValueError("bad input at minute 2")

    if processes:
        def proc():
            yield env.timeout(2)
            boom()
        core.start(proc())
    else:
        core.wait_then(2, boom)
    core.later(2, calls.append, "at 2")
    core.later(3, calls.append, "later still")


@pytest.mark.parametrize("processes", [True, False])
def test_a_failing_call_ends_the_run_at_the_step_a_failed_process_would(processes):
    steps, calls, error = _trace(processes, _failing)
    # the event the failing call queued runs before the process's end, which raises; the next one never runs
    assert calls == ["at 2", 2, "queued by it"]
    assert isinstance(error, ValueError) and str(error) == "bad input at minute 2"
    assert isinstance(error.__cause__, ValueError)
    assert len(steps) == 5  # the last is the end of the process, which raises
    assert steps == _trace(not processes, _failing)[0]
