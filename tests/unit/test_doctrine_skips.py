"""Doctrine skips the parts of a think that cannot act, and the journal does not show it.

A think that submits nothing changes nothing, so doctrine runs each part of a
think (a team's assessment, the decision points, each rule, the reports) only
when something it read last time may have changed. These tests hold the
shortcuts to what they stand for: every bundled scenario played with them
gives the journal of a doctrine that runs every part of every think; the
desk's quick answer is its full check's and it logs every change of what its
answers read; a kept context is the one built afresh; news of a value a union
already holds cannot move it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from simulator.bundled import scenarios_dir
from simulator.decisions.desk import DecisionDesk
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import Fact, Knowledge, Picture, picture_context
from simulator.engine.picture import news_key
from simulator.players.news import Live, Watch, reads_of
from simulator.players.policies import Doctrine, Rule
from simulator.players.script import ScriptSource, load_script
from simulator.scenario.conditions import Context, parse
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIOS = sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


@cache
def _plan(scenario: str) -> Plan:
    loaded = load(scenarios_dir() / f"{scenario}.yaml")
    return Plan.of(loaded.scenario, loaded.content_hash)


def _play(scenario: str, seed: int, decide_on: str, *sources) -> Exercise:
    ex = Exercise(_plan(scenario), seed=seed, sources=list(sources), decide_on=decide_on)
    ex.run()
    return ex


class _Counting(Doctrine):
    """Doctrine that counts how often its rules run."""

    runs = 0

    def _apply(self, step, watch, ctx):
        self.runs += 1
        return super()._apply(step, watch, ctx)


@pytest.mark.parametrize("decide_on", ["knowledge", "truth"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_skipping_gives_the_journal_of_a_doctrine_that_thinks_every_time(scenario, decide_on):
    skipping, thorough = _Counting(), _Counting(always_think=True)
    fast = _play(scenario, 2, decide_on, skipping)
    slow = _play(scenario, 2, decide_on, thorough)
    assert [r.kind for r in fast.journal].count("decision.submitted") > 0, "doctrine took no step: nothing compared"
    assert fast.journal.export_hash() == slow.journal.export_hash(), (
        f"{scenario} ({decide_on}): a part of a think was skipped that would have acted")
    assert skipping.runs < thorough.runs, "nothing was skipped: the comparison shows nothing"


@pytest.mark.parametrize("decide_on", ["knowledge", "truth"])
def test_a_script_s_steps_are_news_to_doctrine_playing_beside_it(decide_on):
    """replay --decisions script --policy doctrine: the script answers points and takes decisions in between."""
    script = load_script(Path(__file__).parents[1] / "data" / "engine" / "scripts" / "tutorial-key.yaml")

    def played(always: bool) -> Exercise:
        return _play("tutorial", 1, decide_on, ScriptSource(script), Doctrine(always_think=always))

    fast, slow = played(False), played(True)
    assert {"D05", "D07"} <= {r["decision"] for r in fast.journal if r.kind == "decision.submitted"}
    assert fast.journal.export_hash() == slow.journal.export_hash()


def test_doctrine_attached_halfway_like_a_forecast_s_player_starts_from_what_happened():
    def played(always: bool) -> Exercise:
        ex = Exercise(_plan("vital-signs"), seed=4)
        ex.run(until=36 * 60)  # a session's past, played by people who took no step
        Doctrine(always_think=always).attach(ex)
        ex.run()
        return ex

    fast, slow = played(False), played(True)
    assert any(r.kind == "decision.submitted" and r.t >= 36 * 60 for r in fast.journal)
    assert fast.journal.export_hash() == slow.journal.export_hash()


@pytest.mark.parametrize("decide_on", ["knowledge", "truth"])
def test_a_rule_that_waits_for_a_delivery_acts_when_it_comes(decide_on):
    """No bundled rule or precondition reads delivered(): a doctrine of one rule that does."""
    def played(always: bool) -> Exercise:
        rule = Rule("D03", "delivered('TUT-04')", "test: the Belgian report is in")
        return _play("tutorial", 1, decide_on, Doctrine(rules=(rule,), always_think=always))

    fast, slow = played(False), played(True)
    assert fast.journal.export_hash() == slow.journal.export_hash()
    delivered = min(r.t for r in fast.journal if r.kind == "inject.delivered" and r["inject"] == "TUT-04")
    taken = [r.t for r in fast.journal if r.kind == "decision.submitted" and r["decision"] == "D03"]
    assert taken and taken[0] >= delivered
    if decide_on == "knowledge":  # the delivery to a played team is a reason to think: it acts at once
        assert taken[0] == delivered


def test_the_desk_s_quick_answer_is_its_check_s_on_every_question_doctrine_asks(monkeypatch):
    asked = []
    quick = DecisionDesk.allows

    def both(desk, team, decision, params=None):
        answer = quick(desk, team, decision, params)
        assert answer == desk.check(team, decision, params).ok, (team, decision, params)
        asked.append(answer)
        return answer

    monkeypatch.setattr(DecisionDesk, "allows", both)
    for scenario in ("vital-signs", "cycles-political"):
        for decide_on in ("knowledge", "truth"):
            _play(scenario, 3, decide_on, Doctrine())
    assert True in asked and False in asked


def test_a_kept_picture_context_reads_like_one_built_afresh_after_every_record():
    ex = _play("vital-signs", 3, "knowledge", Doctrine())
    k = Knowledge(plan=ex.plan)
    contexts = type(ex.contexts)(ex)  # the exercise's callbacks, a cache of its own
    compared = 0
    for r in ex.journal:
        k.feed(r)
        ex.knowledge = k  # type: ignore[misc]  # the contexts read pictures as they stood at this record
        for team in ("ie", "cyclone", "presidency", "excon"):
            picture = contexts.picture_for(team, "D06")
            if picture is None:
                continue
            kept, fresh = contexts.of(picture), picture_context(picture, taken=ex.desk.taken, delivered=lambda i: False)
            with_params = contexts.of(picture, {"tlp": "TLP:RED"})
            assert kept.variables == fresh.variables and kept.roots == fresh.roots, (r.seq, team)
            assert [kept.functions["impact"](ms).value for ms in ("IE", "BE", "NL", "AT", "DE", "MT")] == \
                   [fresh.functions["impact"](ms).value for ms in ("IE", "BE", "NL", "AT", "DE", "MT")]
            assert with_params.roots["params"] == {"tlp": "TLP:RED"} and kept.roots["params"] == {}
            assert with_params.variables is kept.variables
            compared += 1
    assert compared > 1000


def test_with_params_leaves_the_context_it_comes_from_as_it_was():
    ctx = Context({"eccs": 3}, flags={"x": True}, params={"a": 1})
    other = ctx.with_params({"a": 2})
    assert parse("params.a == 2 and eccs >= 3 and flag('x')").holds(other)
    assert parse("params.a == 1").holds(ctx) and not parse("params.a == 1").holds(other)
    assert not parse("params.a == 1").holds(ctx.with_params(None))


def _fact(actor: str, name: str, value, t: int = 1) -> Fact:
    return Fact(name, value, t, "X", "test", actor)


def test_news_of_a_value_the_union_read_holds_does_not_move_it_and_another_value_does():
    k = Knowledge()
    k.teams["ie"] = ["CSIRT-IE", "GOV-IE"]
    k._teach("CSIRT-IE", "outlook", "worsening", 1, "X", "test")
    watch = Watch()
    watch.read(k.team("ie"), reads_of([parse("outlook == 'worsening' or ms_red >= 1")]))
    live = Live.of(watch)
    assert live.keys == {"outlook", "impact"}
    assert not live.moved_by(_fact("GOV-IE", "outlook", "worsening", 5)), "the union holds worsening whoever wins"
    assert live.moved_by(_fact("GOV-IE", "outlook", "improving", 5))
    assert live.moved_by(_fact("GOV-IE", "impact.IE/health", "red")), "a fact the union did not hold"
    assert not live.moved_by(_fact("CSIRT-BE", "outlook", "improving")), "not an actor of a union read"
    k._teach("GOV-IE", "outlook", "worsening", 5, "Y", "test")
    assert k.team("ie").value("outlook") == "worsening"


def test_what_a_condition_reads_is_named_as_the_news_that_can_move_it():
    reads = reads_of([parse("ms_red >= 2 and flags.x and delivered('VS-1') and taken('D08') and attributing_ms >= 1"),
                      parse("impact('IE') >= 'red' or flag('y') or params.a == 1")], ["capacity_exceeded"])
    assert reads.keys == {"impact", "flag", "attributed_by", "capacity_exceeded"}
    assert reads.delivered == {"VS-1"} and reads.taken == {"D08"}
    for change in ("impact.IE/health", "flags", "capacity_exceeded", "attributed_by"):  # a state.changed record's keys
        assert news_key(change) in reads.keys
    for fact in ("impact.BE/energy", "flag.x", "capacity_exceeded.IE", "attributed_by.FR"):  # a picture's facts
        assert news_key(fact) in reads.keys
    assert news_key("cross_border_dependency") != news_key("cross_border")
    watch = Watch()
    watch.read(None, reads)
    watch.read(Picture("ie", 0, {}, actors=("CSIRT-IE",)), reads_of([parse("outlook == 'improving'")]))
    live = Live.of(watch)
    assert live.world == reads.keys and live.keys == {"outlook"} and live.desk == {"D08"}
    assert set(live.by_actor) == {"CSIRT-IE"}


@pytest.mark.parametrize("scenario", ["tutorial", "cycles-political"])
def test_the_desk_logs_every_change_of_what_its_answers_read(scenario):
    ex = Exercise(_plan(scenario), seed=1, sources=[Doctrine()])
    desk = ex.desk
    seen: list[tuple] = []

    def state() -> dict:
        return {"effective": set(desk._effective), "under way": set(desk._under_way),
                "reserve": set(desk._reserve_requests)}

    def after(record) -> None:
        if seen:
            mark, before = seen[-1]
            now, logged = state(), set(desk.changed[mark:])
            for table in ("effective", "under way"):
                moved = before[table] ^ now[table]
                assert moved <= logged, f"{table}: {moved - logged} changed at {record.kind} and was not logged"
            if before["reserve"] != now["reserve"]:
                assert "D09" in logged, f"a Reserve request at {record.kind} was not logged"
        seen.append((desk.changes, state()))

    ex.journal.subscribe(after)
    ex.run()
    assert desk.changes == len(desk.changed) > 0 and len({c for c, _s in seen}) > 1


def test_doctrine_attached_halfway_knows_the_points_that_closed_before():
    """A forecast's doctrine is attached after the past replays: a point closed then no longer holds its rule back.

    vital-signs, seed 1, passive to T+20:00: DP-SHARE closed by default ('hold'), and doctrine's
    information-sharing rule (D04) waits for the points that offer D04 to close. It did not see that
    close, and never shared in any future forked after it.
    """
    from simulator.commands.common import scenario_path
    from simulator.engine.exercise import Exercise
    from simulator.players.policies import Doctrine
    from simulator.scenario.loader import load
    from simulator.scenario.plan import Plan

    loaded = load(scenario_path("vital-signs"))
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1)
    ex.run(until=20 * 60)
    assert "DP-SHARE" in {r.data["point"] for r in ex.journal.of_kind("decision_point.closed")}
    assert not [r for r in ex.journal.of_kind("decision.submitted") if r.data["decision"] == "D04"]
    Doctrine().attach(ex)
    ex.run(until=21 * 60)
    shared = [r.data["team"] for r in ex.journal.of_kind("decision.submitted") if r.data["decision"] == "D04"]
    assert shared == ["ie"]
