"""The caches behind situational pictures cannot go stale.

:class:`~simulator.engine.knowledge.Knowledge` keeps each team's merged facts,
and a picture keeps what it derives from them (colours, variables, members,
flags, the level a team would assess), until one of the team's actors learns
something. These tests fold a whole doctrine run record by record and compare
every cached read with the same values worked out from scratch, and check that
what a reader gets cannot change what the next reader gets.
"""

from __future__ import annotations

from functools import cache

import pytest

from simulator.bundled import scenarios_dir
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import Fact, Knowledge, Picture, assess
from simulator.players.policies import Doctrine
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan


@cache
def _run() -> Exercise:
    plan = Plan.of(load(scenarios_dir() / "vital-signs.yaml").scenario)
    ex = Exercise(plan, seed=3, sources=[Doctrine()])
    ex.run()
    return ex


def _from_scratch(k: Knowledge, team: str) -> Picture:
    """The team picture as Knowledge.team built it before it cached: merged now, nothing derived yet."""
    merged: dict[str, Fact] = {}
    for a in k.teams.get(team, ()):
        for name, f in k.pictures.get(a, {}).items():
            old = merged.get(name)
            if old is None or f.learned > old.learned:
                merged[name] = f
    return Picture(team, k.at, merged)


def _derived(p: Picture) -> tuple:
    return (p.ms_colours(), p.variables(), p.flags(), p.members("capacity_exceeded"), p.members("significant"),
            p.eccs, assess(p))


def test_every_cached_team_read_equals_the_picture_worked_out_from_scratch_after_every_record():
    ex = _run()
    k = Knowledge(plan=ex.plan)
    checked = 0
    for r in ex.journal:
        k.feed(r)
        for team in ("ie", "cyclone", "presidency", "csirts-network"):
            cached, fresh = k.team(team), _from_scratch(k, team)
            assert list(cached.facts.items()) == list(fresh.facts.items()), (r.seq, team)  # same facts, same order
            assert _derived(cached) == _derived(fresh), (r.seq, team)
            checked += 1
    assert checked > 1000
    assert k.team("ie").as_json() == ex.knowledge.team("ie").as_json(), "the live fold and a fold of its journal agree"


def test_a_picture_read_after_an_actor_learns_shows_what_it_learned():
    k = Knowledge()
    k.teams["ie"] = ["CSIRT-IE", "GOV-IE"]
    before = k.team("ie")
    assert before.ms_colours() == {} and before.variables()["ms_red"] == 0 and assess(before) == 0
    k._teach("GOV-IE", "impact.IE/health", "red", 10, "VS-01", "test")
    k._teach("CSIRT-IE", "capacity_exceeded.IE", True, 10, "VS-01", "test")
    after = k.team("ie")
    assert after.ms_colours() == {"IE": "red"}
    assert after.variables()["ms_red"] == 1 and after.variables()["capacity_exceeded"] == 1
    assert after.members("capacity_exceeded") == ["IE"]
    assert assess(after) > 0
    assert before.ms_colours() == {}, "a picture already handed out keeps what it showed"
    k._teach("CSIRT-IE", "capacity_exceeded.IE", False, 20, "VS-02", "test")
    assert k.team("ie").members("capacity_exceeded") == [] and k.team("ie").variables()["capacity_exceeded"] == 0


def test_an_actor_of_another_team_learning_keeps_the_cache_and_its_own_team_does_not():
    k = Knowledge()
    k.teams.update({"ie": ["CSIRT-IE"], "be": ["CSIRT-BE"]})
    k._teach("CSIRT-IE", "impact.IE/health", "red", 1, "X", "test")
    ie = k.team("ie")
    k.at = 2  # feed() moves it with every record
    k._teach("CSIRT-BE", "impact.BE/energy", "yellow", 2, "Y", "test")
    assert k.team("ie").facts is ie.facts, "nothing the Irish team plays learned anything: nothing rebuilt"
    assert k.team("be").ms_colours() == {"BE": "yellow"}
    assert k.team("ie").at == 2, "the picture's time follows the fold even when its facts are kept"


def test_what_a_reader_gets_is_its_own_copy_and_the_facts_are_read_only():
    k = Knowledge()
    k.teams["ie"] = ["CSIRT-IE"]
    k._teach("CSIRT-IE", "impact.IE/health", "yellow", 1, "X", "test")
    p = k.team("ie")
    p.variables()["ms_red"] = 99
    p.ms_colours()["IE"] = "red"
    p.members("capacity_exceeded").append("MT")
    again = k.team("ie")
    assert again.variables()["ms_red"] == 0 and again.ms_colours() == {"IE": "yellow"}
    assert again.members("capacity_exceeded") == []
    with pytest.raises(TypeError):
        again.facts["impact.IE/health"] = None  # type: ignore[index]


def test_doctrine_teams_for_is_the_plan_s_answer():
    ex = _run()
    doctrine = Doctrine()
    doctrine._ex = ex
    for d in ex.plan.catalogue.values():
        played = [t for t, spec in ex.plan.teams.items() if not spec.facilitator and ex.plan.may_take(t, d)]
        fac = ex.plan.facilitator()
        control = [fac.id] if fac is not None and ex.plan.may_take(fac.id, d) else []
        assert doctrine._teams_for(d.id) == tuple(played + control)
        assert doctrine._teams_for(d.id) == tuple(played + control), "asked again, from its cache"


def test_news_of_trust_keeps_what_it_cannot_change_and_news_of_impact_does_not():
    k = Knowledge()
    k.teams["ie"] = ["CSIRT-IE"]
    k._teach("CSIRT-IE", "impact.IE/health", "red", 1, "X", "test")
    first = k.team("ie")
    level, colours = assess(first), first.ms_colours()
    assert first.variables()["public_trust"] == 0.7
    k._teach("CSIRT-IE", "public_trust", 0.5, 2, "public sphere", "test")
    second = k.team("ie")
    assert second.derived is not first.derived and second.derived["assess"] == level, "the assessed level is kept"
    assert second.derived["ms_colours"] is first.derived["ms_colours"], "the colours are kept"
    assert second.variables()["public_trust"] == 0.5 and second.variables()["ms_red"] == 1, "variables are patched"
    k._teach("CSIRT-IE", "impact.IE/energy", "red", 3, "Y", "test")
    third = k.team("ie")
    assert "ms_colours" not in third.derived and "assess" not in third.derived, "impact news: worked out again"
    assert third.ms_colours() == colours and assess(third) == level


def test_a_picture_is_handed_out_again_only_while_its_facts_and_time_stand():
    k = Knowledge()
    k.teams.update({"ie": ["CSIRT-IE"], "be": ["CSIRT-BE"]})
    k._teach("CSIRT-IE", "impact.IE/health", "red", 1, "X", "test")
    first = k.team("ie")
    assert k.team("ie") is first, "nothing learned, same time: the same picture"
    k._teach("CSIRT-BE", "impact.BE/health", "red", 1, "Y", "test")
    assert k.team("ie") is first, "another team's actor learned: still the same picture"
    k.at = 5
    moved = k.team("ie")
    assert moved is not first and moved.at == 5 and moved.facts is first.facts and first.at == 0
    k._teach("CSIRT-IE", "outlook", "worsening", 5, "Z", "test")
    after = k.team("ie")
    assert after is not moved and after.value("outlook") == "worsening" and moved.value("outlook") is None
    assert k.union("ie", ["CSIRT-BE"]).actors == ("CSIRT-BE",), "same name, other actors: their own union"
