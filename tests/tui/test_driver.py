"""SimDriver: the wall-to-sim mapping, pause, speeds, fast modes and the CPU budget."""

from __future__ import annotations

from tui_helpers import FakeClock

from simulator.engine.exercise import Exercise
from tui.driver import EVENT_MODE, SPEEDS, SimDriver, is_notable


def _driver(tutorial, **kwargs):
    clock = FakeClock()
    ex = Exercise(tutorial, seed=1)
    return ex, clock, SimDriver(ex, clock=clock, budget=float("inf"), **kwargs)


def test_paced_time_follows_wall_clock_and_pause_ignores_it(tutorial):
    ex, clock, d = _driver(tutorial, speed=SPEEDS.index(60))
    d.resume()
    clock.advance(30)  # 30 s at ×60 = 30 minutes
    d.tick()
    assert ex.now == 30
    # TUT-01 is due at T+00:30: the events of that instant have fired, not just the clock
    assert any(r["inject"] == "TUT-01" for r in ex.journal.of_kind("inject.released"))
    d.pause()
    clock.advance(10_000)
    d.tick()
    assert ex.now == 30
    d.resume()
    clock.advance(1)
    d.tick()
    assert ex.now == 31


def test_speed_change_reanchors_without_a_jump(tutorial):
    ex, clock, d = _driver(tutorial, speed=SPEEDS.index(60))
    d.resume()
    clock.advance(10)
    d.tick()
    assert ex.now == 10
    d.faster()  # ×600
    assert d.speed == 600
    d.tick()
    assert ex.now == 10, "changing speed must not move the clock by itself"
    clock.advance(1)
    d.tick()
    assert ex.now == 20
    d.set_speed(0)  # ×1: one minute per minute
    clock.advance(59)
    d.tick()
    assert ex.now == 20
    clock.advance(1)
    d.tick()
    assert ex.now == 21


def test_event_mode_runs_to_the_next_notable_record_then_pauses(tutorial):
    ex, clock, d = _driver(tutorial, speed=EVENT_MODE)
    d.resume()
    seen = len(ex.journal)
    result = d.tick()
    assert result.stopped == "event" and d.paused
    new = ex.journal.since(seen)
    assert any(is_notable(r) for r in new)
    assert ex.now == 30  # the first thing anyone sees: TUT-01 raises ECCS at T+00:30
    clock.advance(10_000)
    d.tick()
    assert ex.now == 30, "paused after the event, whatever the wall clock does"


def test_jump_to_next_inject_works_while_paused_and_keeps_the_pause(tutorial):
    ex, clock, d = _driver(tutorial)
    assert d.paused
    d.jump_to_next_inject()
    assert d.state_label == "JUMPING"
    d.tick()
    assert ex.now == 30 and d.paused and not d.jumping
    assert ex.journal.of_kind("inject.released")[-1]["inject"] == "TUT-01"
    d.jump_to_next_inject()
    assert d.tick().stopped == "point"  # DP-SHARE opens on the way: the jump stops there
    d.jump_to_next_inject()
    d.tick()
    assert ex.journal.of_kind("inject.released")[-1]["inject"] == "TUT-02"
    assert ex.now == 120


def test_a_jump_while_running_pauses_and_stops_at_a_decision_point(tutorial):
    """Issue 13: n while the clock runs stops where a point opens (before TUT-02) and leaves the clock paused."""
    ex, clock, d = _driver(tutorial, speed=SPEEDS.index(60))
    d.resume()
    d.jump_to_next_inject()
    assert d.tick().stopped == "inject" and ex.now == 30
    assert d.paused and not d.jumping, "the facilitator looks before the exercise runs on"
    clock.advance(10_000)
    d.tick()
    assert ex.now == 30
    d.resume()
    d.jump_to_next_inject()
    result = d.tick()
    opened = ex.journal.of_kind("decision_point.opened")
    assert result.stopped == "point" and [r["point"] for r in opened] == ["DP-SHARE"]
    assert ex.now == opened[0].t < 120 and d.paused
    assert "DP-SHARE" in ex.open_points()
    assert ex.journal.of_kind("inject.released")[-1]["inject"] == "TUT-01"  # TUT-02 still to come
    d.jump_to_next_inject()
    assert d.tick().stopped == "inject" and ex.now == 120


def test_budget_spreads_a_long_catch_up_over_ticks(tutorial):
    ex = Exercise(tutorial, seed=1)
    clock = FakeClock()
    perf = FakeClock()

    def slow_perf():
        perf.advance(0.015)  # every reading costs 15 ms: at most two steps per tick
        return perf.t

    d = SimDriver(ex, clock=clock, perf=slow_perf, budget=0.02, speed=SPEEDS.index(3600))
    d.resume()
    clock.advance(30)  # asks for 30 hours at once
    result = d.tick()
    assert result.over_budget and not ex.ended
    assert result.steps <= 2
    before = ex.now
    for _ in range(2000):
        if ex.ended:
            break
        clock.advance(0.05)
        d.tick()
    assert ex.ended and ex.now == ex.duration and before < ex.duration


def test_paced_play_ends_the_exercise_at_its_duration(tutorial):
    ex, clock, d = _driver(tutorial, speed=SPEEDS.index(3600))
    d.resume()
    clock.advance(31 * 60)
    result = d.tick()
    assert result.stopped == "end" and ex.ended
    assert ex.journal[-1].kind == "exercise.ended"
    assert d.state_label == "ENDED"


def test_engine_errors_pause_and_are_reported(tutorial):
    ex, clock, d = _driver(tutorial)
    errors = []
    d.on_error = errors.append

    def broken():
        raise RuntimeError("boom")

    ex.step = broken
    d.resume()
    clock.advance(3600)
    result = d.tick()
    assert result.stopped == "error" and d.paused and str(errors[0]) == "boom"
