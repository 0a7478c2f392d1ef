"""The engine's SimPy-shaped API, facilitator inputs, and inputs replayed at their step.

Uses tests/data/engine/points.yaml: INFO at T+01:00, dormant GO and STOP,
LATER at T+10:00, RED-IE at T+08:00 (ECCS 2 -> 3), and five decision points.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise, ScheduledInput
from simulator.errors import InputError, SimulatorError
from simulator.journal.journal import INPUT_KINDS, Journal
from simulator.players.script import DecisionsScript, ScriptSource, export_script
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "points.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load(SCENARIO, library_dirs=[])  # no templates: independent of the bundled library
    return Plan.of(loaded.scenario, loaded.content_hash)


def released(ex: Exercise) -> list[tuple[int, str, str]]:
    return [(r.t, r["inject"], r["cause"]) for r in ex.journal.of_kind("inject.released")]


# ------------------------------------------------------------------ SimPy's shape
def test_new_exercise_records_its_start_and_waits_at_t0(plan):
    ex = Exercise(plan, seed=4)
    first = ex.journal[0]
    assert (first.seq, first.t, first.kind) == (0, 0, "exercise.started")
    assert (first["scenario"], first["seed"], first["duration"]) == ("points", 4, 30 * 60)
    assert first["content_hash"] == plan.content_hash
    assert ex.journal[1].kind == "state.changed" and ex.journal[1]["cause"] == "initial"
    assert ex.now == 0 and ex.peek() == 0 and not ex.ended
    assert ex.severity.level == 2


def test_run_until_is_exclusive_and_moves_the_clock(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=60)
    assert ex.now == 60
    assert released(ex) == []  # INFO is due at 60: not yet, as in simpy
    assert ex.peek() == 60
    ex.run(until=61)
    assert released(ex) == [(60, "INFO", "timeline")]
    ex.run(until=61)  # a time already reached is a no-op, not an error
    assert ex.now == 61


def test_step_processes_one_event_at_a_time(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=60)
    before = ex.steps
    while not released(ex):
        ex.step()
    assert ex.now == 60 and ex.steps > before


def test_run_plays_to_the_end_inclusive_and_records_the_end(plan):
    ex = Exercise(plan, seed=1)
    ex.run()
    assert ex.ended and ex.now == 30 * 60
    end = ex.journal[-1]
    assert (end.kind, end.t, end["eccs"], end["steps"]) == ("exercise.ended", 30 * 60, 3, ex.steps)
    assert [r.seq for r in ex.journal] == list(range(len(ex.journal)))
    with pytest.raises(InputError, match="ended"):
        ex.note(text="too late")


def test_stepping_to_the_end_gives_the_same_journal_as_run(plan):
    """A client that only calls step() (the TUI) sees exactly what run() produces."""
    script = DecisionsScript.model_validate({"format": "cyclesim-decisions/1", "decisions": [
        {"at": "T+02:00", "team": "nat", "decision": "D04", "params": {"tlp": "TLP:AMBER"}, "rationale": "share"},
        {"on": "DP-BRANCH", "team": "nat", "option": "go", "rationale": "go ahead"},
    ]})
    by_run = Exercise(plan, seed=6, sources=[ScriptSource(script)])
    by_run.run()
    by_step = Exercise(plan, seed=6, sources=[ScriptSource(script)])
    while not by_step.ended:
        by_step.step()
    assert by_step.journal.export_bytes() == by_run.journal.export_bytes()
    assert [r.t for r in by_step.journal.of_kind("decision.submitted")] == [60, 120]
    assert by_step.now == 30 * 60  # nothing after the scenario's end was played


# ------------------------------------------------------------------ facilitator inputs
def test_fire_releases_a_dormant_inject_now_and_only_once(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=90)
    ex.fire("GO")
    ex.fire("GO")
    assert released(ex)[-1] == (90, "GO", "facilitator")
    assert [r["reason"] for r in ex.journal.of_kind("facilitator.ignored")] == ["inject already released"]
    with pytest.raises(InputError, match="unknown inject"):
        ex.fire("NOPE")


def test_hold_keeps_an_inject_back_until_released(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=30)
    ex.hold("LATER")
    ex.run(until=700)
    assert [(r.t, r["inject"]) for r in ex.journal.of_kind("inject.held")] == [(600, "LATER")]
    assert "LATER" not in [i for _, i, _ in released(ex)]
    ex.release("LATER")
    assert released(ex)[-1] == (700, "LATER", "facilitator")


def test_release_before_its_time_puts_the_inject_back_on_schedule(plan):
    ex = Exercise(plan, seed=1)
    ex.hold("LATER")
    ex.run(until=100)
    ex.release("LATER")
    ex.run()
    assert (600, "LATER", "timeline") in released(ex)
    assert not ex.journal.of_kind("inject.held")


def test_ad_hoc_inject_is_delivered_and_checked(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=200)
    ident = ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="Phone call from the minister", body="Call me.")
    ex.run(until=201)
    assert ident == "ADHOC-1"
    delivered = [r for r in ex.journal.of_kind("inject.delivered") if r["inject"] == ident]
    assert [(r.t, r["actor"], r["teams"], r["title"]) for r in delivered] == [(200, "CSIRT-IE", ["nat"], "Phone call from the minister")]
    with pytest.raises(InputError, match="unknown recipient"):
        ex.add_inject(sender="EXCON", to=["NOBODY"], title="x")
    with pytest.raises(InputError, match="unknown sender"):
        ex.add_inject(sender="NOBODY", to=["CSIRT-IE"], title="x")
    assert ("NOBODY",) not in plan.__dict__.get("_recipients", {}), "a refused 'to' is not kept by the plan"


def test_the_plan_s_recipient_lists_are_shared_and_no_run_changes_them(plan):
    first = Exercise(plan, seed=1)
    first.run()
    kept = {to: list(actors) for to, actors in plan.__dict__["_recipients"].items()}
    assert kept, "the runs asked the plan for recipients"
    second = Exercise(plan, seed=2)
    second.run()
    assert {to: actors for to, actors in plan.__dict__["_recipients"].items() if to in kept} == kept
    released = [r for r in second.journal.of_kind("inject.released")]
    assert released and all(r["to"] is plan.recipients(plan.injects[r["inject"]].to) for r in released
                            if r["inject"] in plan.injects), "one list per 'to', shared by the records"


def test_observation_is_recorded_and_validated(plan):
    ex = Exercise(plan, seed=1)
    ex.note(text="Shared early", kind="strength", objective="OBJ-1", team="nat")
    ex.note(text="Rated", kind="rating", rating="S")
    noted = ex.journal.of_kind("observation.noted")
    assert [(r["category"], r["text"], r["rating"]) for r in noted] == [("strength", "Shared early", None), ("rating", "Rated", "S")]
    with pytest.raises(InputError):
        ex.note(text="x", kind="gossip")
    with pytest.raises(InputError):
        ex.note(text="x", kind="rating", rating="A")


def test_channel_input_is_checked(plan):
    ex = Exercise(plan, seed=1)
    with pytest.raises(InputError):
        ex.set_channel("no-such-channel", "cut")
    with pytest.raises(InputError):
        ex.set_channel("csirt-IE-net", "exploded")


# ------------------------------------------------------------------ inputs replay at their step
def _session(plan: Plan, seed: int) -> Exercise:
    """A facilitated session: inputs arrive between steps, at odd moments."""
    ex = Exercise(plan, seed=seed)
    ex.run(until=45)
    ex.hold("LATER")
    ex.run(until=61)
    ex.submit("nat", point="DP-BRANCH", option="stop", rationale="not yet")
    ex.step()
    ex.step()
    ex.fire("GO")
    ex.set_channel("csirt-IE-net", "degraded")
    ex.note(text="calm under pressure", kind="strength", team="nat")
    ex.run(until=300)
    ex.submit("nat", decision="D06", rationale="refused: ECCS is 2")
    ex.run(until=700)
    ex.release("LATER")
    ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="ad hoc")
    ex.run()
    return ex


def test_every_input_is_journalled_with_its_step(plan):
    ex = _session(plan, seed=2)
    inputs = ex.journal.inputs()
    assert {r.kind for r in inputs} == INPUT_KINDS
    assert all(isinstance(r["step"], int) for r in inputs)
    assert [r["step"] for r in inputs] == sorted(r["step"] for r in inputs)


def test_feeding_the_inputs_back_reproduces_the_journal_byte_for_byte(plan):
    original = _session(plan, seed=2)
    script = DecisionsScript.model_validate(export_script(original.journal, "points", 2))
    replay = Exercise(plan, seed=2, sources=[ScriptSource(script)])
    replay.run()
    assert replay.journal.export_bytes() == original.journal.export_bytes()


def test_step_numbers_do_not_depend_on_how_often_the_client_ran_the_clock(plan):
    """A TUI runs the clock at 20 Hz; a replay runs it once: the inputs' steps must agree."""
    ticked = Exercise(plan, seed=4)
    for t in range(3, 121, 3):  # ... 117, 120
        ticked.run(until=t)
    ticked.submit("nat", point="DP-BRANCH", option="go", rationale="go")
    for t in range(121, 500, 7):  # ... 492, 499
        ticked.run(until=t)
    ticked.fire("STOP")
    ticked.run()
    once = Exercise(plan, seed=4)
    once.run(until=120)
    once.submit("nat", point="DP-BRANCH", option="go", rationale="go")
    once.run(until=499)
    once.fire("STOP")
    once.run()
    assert [r["step"] for r in ticked.journal.inputs()] == [r["step"] for r in once.journal.inputs()]
    assert ticked.journal.export_bytes() == once.journal.export_bytes()
    script = DecisionsScript.model_validate(export_script(ticked.journal, "points", 4))
    replay = Exercise(plan, seed=4, sources=[ScriptSource(script)])
    replay.run()
    assert replay.journal.export_bytes() == ticked.journal.export_bytes()


def test_a_replay_that_never_reaches_a_recorded_input_fails_loudly(plan):
    original = _session(plan, seed=2)
    inputs = [ScheduledInput(r.kind, {k: v for k, v in r.data.items() if k != "step"}, r.t, r["step"])
              for r in original.journal.inputs()]
    inputs.append(ScheduledInput("observation.noted", {"text": "never", "kind": "note"}, t=1799, step=10**6))
    replay = Exercise(plan, seed=2, inputs=inputs)
    with pytest.raises(SimulatorError, match="1 recorded input\\(s\\) were never applied") as err:
        replay.run()
    assert err.value.exit_code == 1


def test_scheduled_inputs_given_to_the_constructor_replay_too(plan):
    original = _session(plan, seed=5)
    inputs = [ScheduledInput(r.kind, {k: v for k, v in r.data.items() if k != "step"}, r.t, r["step"])
              for r in original.journal.inputs()]
    replay = Exercise(plan, seed=5, inputs=inputs, journal=Journal())
    replay.run()
    assert replay.journal.export_hash() == original.journal.export_hash()


def test_a_different_seed_gives_a_different_journal(plan):
    assert _session(plan, seed=2).journal.export_hash() != _session(plan, seed=3).journal.export_hash()


def test_an_input_for_a_step_already_past_is_refused(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=300)
    ex.schedule_input(ScheduledInput("facilitator.fired", {"inject": "GO"}, t=10, step=1))
    with pytest.raises(InputError, match="came too late"):
        ex.step()


def test_unknown_input_kind_is_refused(plan):
    ex = Exercise(plan, seed=1)
    with pytest.raises(InputError, match="unknown input kind"):
        ex.schedule_input(ScheduledInput("facilitator.danced", {}, t=0))


def test_nothing_in_the_engine_is_random_outside_the_seeded_streams(plan):
    import random

    random.seed(1)
    a = Exercise(plan, seed=9)
    a.run()
    random.seed(2)
    [random.random() for _ in range(7)]
    b = Exercise(plan, seed=9)
    b.run()
    assert a.journal.export_hash() == b.journal.export_hash()


def test_an_ad_hoc_red_inject_to_everyone_is_refused_live_and_replays_as_recorded(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=200)
    with pytest.raises(InputError, match="TLP:RED is for named recipients only: this inject goes to everyone"):
        ex.add_inject(sender="EXCON", to=["everyone"], title="Eyes only", tlp="TLP:RED")
    assert not ex.journal.of_kind("facilitator.injected"), "a refused inject leaves no trace"
    ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="Eyes only", tlp="TLP:RED")  # a named recipient: fine
    # a journal written before the rule holds such an inject: it replays as it was played
    ex.add_inject(sender="EXCON", to=["everyone"], title="Old session", tlp="TLP:RED", recorded=True)
    assert [r["inject"]["title"] for r in ex.journal.of_kind("facilitator.injected")] == ["Eyes only", "Old session"]
