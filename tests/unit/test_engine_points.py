"""Decision points: deadlines and defaults, branching options, refused options.

tests/data/engine/points.yaml (ECCS 2 from T+0; RED-IE at T+08:00 makes it 3):
DP-DEFAULT, DP-BRANCH and DP-REFUSE open at T+01:00, DP-CHAIN 30 min after
the Irish team reads INFO, DP-WHEN as soon as ECCS reaches 3.

DP-WHEN opens on the world's ECCS, which no assessment tells the teams here:
the tests that answer it play on the world (``decide_on="truth"``), since the
point's mechanics, not what the team knows, are under test
(tests/unit/test_knowledge.py covers deciding on knowledge).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "points.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load(SCENARIO, library_dirs=[])  # no templates: independent of the bundled library
    return Plan.of(loaded.scenario, loaded.content_hash)


def closed(ex: Exercise, point: str):
    found = [r for r in ex.journal.of_kind("decision_point.closed") if r["point"] == point]
    assert len(found) <= 1
    return found[0] if found else None


def released(ex: Exercise) -> dict[str, tuple[int, str]]:
    return {r["inject"]: (r.t, r["cause"]) for r in ex.journal.of_kind("inject.released")}


def test_points_open_at_their_time_with_their_deadline(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=61)
    opened = {r["point"]: r for r in ex.journal.of_kind("decision_point.opened")}
    assert {p: (r.t, r["deadline"], r["default"]) for p, r in opened.items()} == {
        "DP-DEFAULT": (60, 180, "wait"), "DP-BRANCH": (60, 300, "stop"), "DP-REFUSE": (60, 240, "hold")}
    assert [o["id"] for o in opened["DP-BRANCH"]["options"]] == ["go", "stop"]
    assert set(ex.open_points()) == {"DP-DEFAULT", "DP-BRANCH", "DP-REFUSE"}


def test_deadline_applies_the_default_and_says_so(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=200)
    rec = closed(ex, "DP-DEFAULT")
    assert (rec.t, rec["option"], rec["how"], rec["team"], rec["latency"]) == (180, "wait", "default", "nat", 120)
    assert "deadline passed" in rec["rationale"]
    assert "DP-DEFAULT" not in ex.open_points()


def test_default_option_fires_its_injects(plan):
    ex = Exercise(plan, seed=1)
    ex.run()
    assert closed(ex, "DP-BRANCH")["how"] == "default"
    assert released(ex)["STOP"] == (300, "DP-BRANCH:stop")
    assert "GO" not in released(ex)
    assert released(ex)["LATER"] == (600, "timeline")


def test_chosen_option_fires_one_branch_and_cancels_another(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=120)
    out = ex.submit("nat", point="DP-BRANCH", option="go", rationale="we go ahead")
    assert out.accepted and out.decision is None
    ex.run()
    rec = closed(ex, "DP-BRANCH")
    assert (rec.t, rec["option"], rec["how"], rec["latency"]) == (120, "go", "decided", 60)
    assert released(ex)["GO"] == (120, "DP-BRANCH:go")
    assert [(r.t, r["inject"], r["cause"]) for r in ex.journal.of_kind("inject.cancelled")] == [(120, "LATER", "DP-BRANCH:go")]
    assert "LATER" not in released(ex) and "STOP" not in released(ex)
    assert ex.inject_status("LATER") == "cancelled"
    assert ex.desk.taken("go")  # conditions can ask taken('go')


def test_refused_option_keeps_the_point_open_until_an_answer_or_the_deadline(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=120)
    out = ex.submit("nat", point="DP-REFUSE", option="escalate", rationale="inform CyCLONe")
    assert not out.accepted
    assert "eccs >= 3 is false (eccs = 2)" in out.reason
    refused = ex.journal.of_kind("decision.refused")[-1]
    assert (refused["point"], refused["option"], refused["decision"]) == ("DP-REFUSE", "escalate", "D06")
    assert "DP-REFUSE" in ex.open_points()
    assert closed(ex, "DP-REFUSE") is None
    ex.run()
    rec = closed(ex, "DP-REFUSE")
    assert (rec.t, rec["option"], rec["how"]) == (240, "hold", "default")


def test_point_answered_after_a_refusal(plan):
    ex = Exercise(plan, seed=1)
    ex.run(until=120)
    assert not ex.submit("nat", point="DP-REFUSE", option="escalate", rationale="try").accepted
    assert ex.submit("nat", point="DP-REFUSE", option="hold", rationale="hold then").accepted
    assert (closed(ex, "DP-REFUSE")["how"], closed(ex, "DP-REFUSE")["option"]) == ("decided", "hold")


@pytest.mark.parametrize("team, point, option, reason", [
    ("nat", "DP-NOPE", "x", "decision point 'DP-NOPE' is not open"),
    ("nat", "DP-WHEN", "inform", "decision point 'DP-WHEN' is not open"),  # not yet: ECCS is 2
    ("nat", "DP-BRANCH", "maybe", "'maybe' is not an option of DP-BRANCH (go, stop)"),
])
def test_bad_answers_are_refused_with_a_reason(plan, team, point, option, reason):
    ex = Exercise(plan, seed=1)
    ex.run(until=61)
    out = ex.submit(team, point=point, option=option, rationale="x")
    assert (out.accepted, out.reason) == (False, reason)


def test_chained_point_opens_after_its_team_has_read_the_inject(plan):
    ex = Exercise(plan, seed=1)
    ex.run()
    info = [r for r in ex.journal.of_kind("inject.delivered") if r["inject"] == "INFO"]
    assert [(r.t, r["teams"]) for r in info] == [(60, ["nat"])]  # exercise control's channel has no delay
    opened = [r for r in ex.journal.of_kind("decision_point.opened") if r["point"] == "DP-CHAIN"]
    assert [(r.t, r["deadline"]) for r in opened] == [(90, 150)]
    assert (closed(ex, "DP-CHAIN").t, closed(ex, "DP-CHAIN")["how"]) == (150, "default")


def test_conditional_point_opens_when_the_state_first_meets_it(plan):
    ex = Exercise(plan, seed=1)
    ex.run()
    severity = [(r.t, r["to"]) for r in ex.journal.of_kind("severity.changed")]
    assert severity == [(0, 2), (480, 3)]  # the initial state, then RED-IE
    opened = [r for r in ex.journal.of_kind("decision_point.opened") if r["point"] == "DP-WHEN"]
    assert [(r.t, r["deadline"]) for r in opened] == [(480, 540)]


def test_an_option_whose_decision_holds_takes_it(plan):
    ex = Exercise(plan, seed=1, decide_on="truth")
    ex.run(until=481)
    out = ex.submit("nat", point="DP-WHEN", option="inform", rationale="ECCS 3: inform CyCLONe")
    assert out.accepted and out.decision == "D06"
    accepted = ex.journal.of_kind("decision.accepted")[-1]
    assert (accepted["decision"], accepted["point"], accepted["option"]) == ("D06", "DP-WHEN", "inform")
    ex.run()
    assert ex.state.cyclone == "informed"


def test_a_decision_taken_from_the_catalogue_answers_the_open_point_that_offers_it(plan):
    """Issue 13: D06 taken directly closes DP-WHEN (option inform); no default, no 'missed' point."""
    ex = Exercise(plan, seed=1, decide_on="truth")
    ex.run(until=481)
    assert "DP-WHEN" in ex.open_points()
    out = ex.submit("nat", decision="D06", rationale="ECCS 3: inform CyCLONe now")
    assert out.accepted and "DP-WHEN" not in ex.open_points()
    rec = closed(ex, "DP-WHEN")
    assert (rec.t, rec["option"], rec["how"], rec["team"]) == (481, "inform", "decided", "nat")
    accepted = ex.journal.of_kind("decision.accepted")[-1]
    assert (accepted["decision"], accepted["point"], accepted["option"]) == ("D06", "DP-WHEN", "inform")
    ex.run()
    assert closed(ex, "DP-WHEN")["how"] == "decided"  # the deadline applied no default
    assert not [r for r in ex.journal.of_kind("decision.accepted") if r["decision"] == "D06" and r.get("default")]
    from simulator.report import build

    point = next(p for p in build(ex.journal)["points"] if p["point"] == "DP-WHEN")
    assert (point["how"], point["option"]) == ("decided", "inform")


def test_a_catalogue_decision_leaves_other_teams_points_open(tmp_path):
    def add_team(data):
        data["teams"].insert(1, {"id": "be", "name": "Belgian team", "plays": ["CSIRT-BE", "CCMA-BE"]})

    ex = _variant(tmp_path, add_team)
    ex.run(until=481)
    assert ex.submit("be", decision="D06", rationale="ours, not theirs").accepted
    assert "DP-WHEN" in ex.open_points()


def _variant(tmp_path, change) -> Exercise:
    import yaml

    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "points-variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load(path, library_dirs=[])
    return Exercise(Plan.of(loaded.scenario), seed=1, decide_on="truth")


def test_points_still_open_at_the_end_are_recorded_unresolved(tmp_path):
    late = {"id": "DP-LATE", "team": "nat", "at": "T+29:00", "within": "4h", "prompt": "Too late?",
            "default": "no", "options": [{"id": "no", "label": "No"}]}
    ex = _variant(tmp_path, lambda data: data["decision_points"].append(late))
    ex.run()
    unresolved = ex.journal.of_kind("decision_point.unresolved")
    assert [(r.t, r["point"], r["deadline"]) for r in unresolved] == [(30 * 60, "DP-LATE", 29 * 60 + 240)]
    assert closed(ex, "DP-LATE") is None
    assert ex.journal[-1].kind == "exercise.ended"


def test_only_the_points_team_or_the_facilitator_may_answer(tmp_path):
    def add_team(data):
        data["teams"].insert(1, {"id": "be", "name": "Belgian team", "plays": ["CSIRT-BE"]})

    ex = _variant(tmp_path, add_team)
    ex.run(until=61)
    out = ex.submit("be", point="DP-BRANCH", option="go", rationale="not ours")
    assert (out.accepted, out.reason) == (False, "decision point DP-BRANCH is for team nat, not be")
    assert ex.submit("excon", point="DP-BRANCH", option="stop", rationale="control decides").accepted
