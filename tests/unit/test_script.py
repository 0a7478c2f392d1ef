"""Decisions scripts (simulator.players.script): `at:` and `on:` entries, exact replays, bad scripts.

Scripts used: tests/data/engine/scripts/*.yaml; scenarios: the tutorial and
tests/data/engine/points.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.cli import main
from simulator.commands.common import DEFAULT_SCENARIO
from simulator.engine.exercise import Exercise
from simulator.errors import ScenarioError
from simulator.players.policies import POLICIES
from simulator.players.script import (
    DecisionsScript,
    ScriptSource,
    export_script,
    load_script,
)
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

DATA = Path(__file__).parents[1] / "data" / "engine"
SCRIPTS = DATA / "scripts"


@pytest.fixture(scope="module")
def tutorial() -> Plan:
    loaded = load(DEFAULT_SCENARIO)
    return Plan.of(loaded.scenario, loaded.content_hash)


@pytest.fixture(scope="module")
def points() -> Plan:
    loaded = load(DATA / "points.yaml", library_dirs=[])
    return Plan.of(loaded.scenario, loaded.content_hash)


def script_of(tmp_path: Path, text: str) -> DecisionsScript:
    path = tmp_path / "decisions.yaml"
    path.write_text(text, encoding="utf-8")
    return load_script(path)


def play(plan: Plan, script: DecisionsScript, seed: int = 1, decide_on: str = "truth") -> Exercise:
    """Scripts played on the world by default here: when a script's entries fire is under test, and
    points.yaml's DP-WHEN opens on an ECCS no assessment tells the team (see the knowledge test below)."""
    ex = Exercise(plan, seed=seed, sources=[ScriptSource(script)], decide_on=decide_on)
    ex.run()
    return ex


# ------------------------------------------------------------------ at: and on:
def test_at_entry_is_submitted_at_its_time(tmp_path, points):
    ex = play(points, script_of(tmp_path, """\
format: cyclesim-decisions/1
decisions:
  - at: "T+02:00"
    team: nat
    decision: D04
    params: {tlp: "TLP:GREEN"}
    rationale: Share with peers.
"""))
    submitted = ex.journal.of_kind("decision.submitted")
    assert [(r.t, r["team"], r["decision"], r["params"], r["rationale"]) for r in submitted] == [
        (120, "nat", "D04", {"tlp": "TLP:GREEN"}, "Share with peers.")]
    accepted = ex.journal.of_kind("decision.accepted")
    assert [(r.t, r["decision"]) for r in accepted] == [(120, "D04")]


def test_at_entry_applies_after_everything_scheduled_at_that_time(tmp_path, points):
    ex = play(points, script_of(tmp_path, """\
format: cyclesim-decisions/1
decisions:
  - {at: "T+01:00", team: nat, decision: D04, rationale: share once INFO is out}
"""))
    seqs = {r.kind: r.seq for r in ex.journal if r.t == 60 and r.kind in ("inject.released", "decision_point.opened", "decision.submitted")}
    assert seqs["decision.submitted"] > seqs["inject.released"] and seqs["decision.submitted"] > seqs["decision_point.opened"]


def test_on_entry_answers_the_point_as_soon_as_it_opens(tmp_path, points):
    ex = play(points, script_of(tmp_path, """\
format: cyclesim-decisions/1
decisions:
  - on: DP-BRANCH
    team: nat
    option: go
    rationale: Go as soon as we are asked.
  - on: DP-WHEN
    team: nat
    option: inform
    rationale: ECCS 3 - inform CyCLONe.
"""))
    closed = {r["point"]: r for r in ex.journal.of_kind("decision_point.closed")}
    assert (closed["DP-BRANCH"].t, closed["DP-BRANCH"]["how"], closed["DP-BRANCH"]["latency"]) == (60, "decided", 0)
    assert (closed["DP-WHEN"].t, closed["DP-WHEN"]["option"], closed["DP-WHEN"]["latency"]) == (480, "inform", 0)
    assert closed["DP-DEFAULT"]["how"] == "default"  # points the script does not name still default
    assert any(r["decision"] == "D06" for r in ex.journal.of_kind("decision.accepted"))


def test_on_entry_waits_for_its_point_to_open(tmp_path, points):
    script = script_of(tmp_path, """\
format: cyclesim-decisions/1
decisions:
  - {on: DP-WHEN, team: nat, option: later, rationale: not now}
""")
    ex = Exercise(points, seed=1, sources=[ScriptSource(script)])
    ex.run(until=480)
    assert not ex.journal.of_kind("decision.submitted")  # DP-WHEN opens when ECCS reaches 3, at T+08:00
    ex.run()
    assert [(r.t, r["point"], r["option"]) for r in ex.journal.of_kind("decision.submitted")] == [(480, "DP-WHEN", "later")]


# ------------------------------------------------------------------ the tutorial's key decisions
def test_key_decisions_script_reproduces_the_same_journal_every_run(tutorial):
    script = load_script(SCRIPTS / "tutorial-key.yaml")
    first, second = play(tutorial, script), play(tutorial, script)
    assert first.journal.export_hash() == second.journal.export_hash()
    passive = Exercise(tutorial, seed=1)
    passive.run()
    assert first.journal.export_hash() != passive.journal.export_hash()
    submitted = [(r.t, r["decision"] or r["option"]) for r in first.journal.of_kind("decision.submitted")]
    assert [d for _, d in submitted] == ["share-amber", "D05", "escalate", "D07"]
    assert (300, "D05") in submitted and (1200, "D07") in submitted
    assert {r["point"]: r["option"] for r in first.journal.of_kind("decision_point.closed")} == {
        "DP-SHARE": "share-amber", "DP-ESCALATE": "escalate"}


def test_on_knowledge_an_escalation_the_team_cannot_know_is_refused_and_the_point_waits(tutorial):
    """Deciding on knowledge (the default): at DP-ESCALATE Ireland holds no assessment of ECCS 3, so the
    script's escalation is refused with what it does not know, and the point closes by its default."""
    ex = play(tutorial, load_script(SCRIPTS / "tutorial-key.yaml"), decide_on="knowledge")
    refused = [r for r in ex.journal.of_kind("decision.refused") if r.get("option") == "escalate"]
    assert refused and "not known to ie" in refused[0]["reason"]
    closed = {r["point"]: r for r in ex.journal.of_kind("decision_point.closed")}
    assert (closed["DP-ESCALATE"]["option"], closed["DP-ESCALATE"]["how"]) == ("wait", "default")


def test_the_same_script_with_another_seed_gives_another_journal(tutorial):
    script = load_script(SCRIPTS / "tutorial-key.yaml")
    assert play(tutorial, script, seed=1).journal.export_hash() != play(tutorial, script, seed=2).journal.export_hash()


# ------------------------------------------------------------------ export
def test_exported_session_replays_byte_for_byte_from_a_file(tmp_path, tutorial, capsys):
    ex = Exercise(tutorial, seed=3)
    ex.run(until=100)
    ex.submit("ie", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="share")
    ex.run(until=400)
    ex.fire("TUT-06")
    ex.note(text="shared early", kind="strength", team="ie", objective="OBJ-1")
    ex.run()
    exported = export_script(ex.journal, "tutorial", 3)
    assert exported["format"] == "cyclesim-decisions/1" and exported["seed"] == 3
    assert [i["kind"] for i in exported["inputs"]] == ["decision.submitted", "facilitator.fired", "observation.noted"]
    path = tmp_path / "session.yaml"
    path.write_text(yaml.safe_dump(exported, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert main(["replay", "tutorial", "--seed", "3", "--decisions", str(path), "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == ex.journal.export_hash()


@pytest.mark.parametrize("source", ["doctrine", "on-entries"])
def test_inputs_from_automatic_sources_replay_from_the_export(tutorial, source):
    made = POLICIES["doctrine"]() if source == "doctrine" else ScriptSource(load_script(SCRIPTS / "tutorial-key.yaml"))
    original = Exercise(tutorial, seed=1, sources=[made])
    original.run()
    script = DecisionsScript.model_validate(export_script(original.journal, "tutorial", 1))
    replay = Exercise(tutorial, seed=1, sources=[ScriptSource(script)])
    replay.run()
    assert replay.journal.export_bytes() == original.journal.export_bytes()


# ------------------------------------------------------------------ bad scripts
def test_bad_shape_is_reported_at_its_place():
    with pytest.raises(ScenarioError) as err:
        load_script(SCRIPTS / "bad-shape.yaml")
    [problem] = err.value.problems
    assert problem.path.endswith("bad-shape.yaml")
    assert (problem.line, problem.col) == (7, 5)
    assert "give exactly one of at (a time) or on (a decision point)" in problem.message


@pytest.mark.parametrize("name, expected", [
    ("bad-shape.yaml", ["bad-shape.yaml:7:5: give exactly one of at (a time) or on (a decision point)"]),
    ("bad-refs.yaml", ["bad-refs.yaml:5:11: unknown team 'nobody'",
                       "bad-refs.yaml:10:13: 'publish-everything' is not an option of DP-SHARE"]),
])
def test_bad_script_exits_2_with_path_line_col(capsys, name, expected):
    code = main(["replay", "tutorial", "--decisions", str(SCRIPTS / name), "--quiet"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected):
        assert line.endswith(want), line
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("text, where, message", [
    ("format: cyclesim-decisions/1\ndecisions:\n  - at: [T+01:00\n", None, None),
    ("format: cyclesim-decisions/9\ndecisions: []\n", (1, 9), "format"),
    ("format: cyclesim-decisions/1\ndecisions:\n  - {at: \"T+01:00\", team: ie, decision: D04, rationale: \"\"}\n", (3, 57), "rationale"),
    ("format: cyclesim-decisions/1\ndecisions:\n  - {at: \"soon\", team: ie, decision: D04, rationale: x}\n", (3, 10), "time"),
    ("- just a list\n", (1, 1), "mapping"),
])
def test_malformed_scripts_name_the_place(tmp_path, text, where, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_script(path)
    problem = err.value.problems[0]
    assert problem.path.endswith("bad.yaml") and problem.line >= 1 and problem.col >= 1
    if where is not None:
        assert (problem.line, problem.col) == where, problem
    if message is not None:
        assert message in problem.message.lower(), problem


def test_script_for_another_scenario_is_refused(tmp_path, points):
    script = script_of(tmp_path, "format: cyclesim-decisions/1\nscenario: tutorial\ndecisions: []\n")
    with pytest.raises(ScenarioError, match="this script is for scenario 'tutorial', not 'points'"):
        Exercise(points, seed=1, sources=[ScriptSource(script)])


def test_script_entry_after_the_end_is_refused(tmp_path, points):
    script = script_of(tmp_path, """\
format: cyclesim-decisions/1
decisions:
  - {at: "T+31:00", team: nat, decision: D04, rationale: too late}
""")
    with pytest.raises(ScenarioError) as err:
        Exercise(points, seed=1, sources=[ScriptSource(script)])
    assert [(p.line, p.col) for p in err.value.problems] == [(3, 10)]
    assert "after the end of the scenario" in err.value.problems[0].message
