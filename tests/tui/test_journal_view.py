"""JournalView: incremental feeding gives the same picture as feeding everything at once."""

from __future__ import annotations

from dataclasses import asdict

from simulator.engine.exercise import Exercise
from simulator.players.policies import POLICIES
from tui.journal_view import JournalView


def _snapshot(v: JournalView) -> dict:
    return {
        "inbox": {t: [asdict(i) for i in items] for t, items in v.inbox.items()},
        "msel": {k: asdict(r) for k, r in v.msel.items()},
        "values": dict(v.values), "impact": dict(v.impact), "severity": dict(v.severity),
        "clocks": {k: asdict(c) for k, c in v.clocks.items()},
        "points": {k: asdict(p) for k, p in v.points.items()},
        "log": {t: [asdict(e) for e in items] for t, items in v.log.items()},
        "feed": list(v.feed), "ended": v.ended, "next": v.next_seq,
    }


def test_incremental_equals_whole(tutorial):
    ex = Exercise(tutorial, seed=3, sources=[POLICIES["doctrine"]()])
    ex.run()
    whole = JournalView(tutorial)
    whole.feed_records(ex.journal.since(0))
    bits = JournalView(tutorial)
    for size in (1, 2, 3, 5, 8):  # uneven batches, like ticks
        while bits.next_seq < len(ex.journal):
            bits.feed_records(ex.journal.since(bits.next_seq)[:size])
    assert _snapshot(bits) == _snapshot(whole)
    assert whole.ended and whole.severity["level"] == ex.severity.level
    assert whole.values["cyclone"] == ex.state.cyclone


def test_inbox_holds_only_what_was_addressed_to_the_team(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run()
    v = JournalView(tutorial)
    v.feed_records(ex.journal)
    for team, items in v.inbox.items():
        allowed = {r["inject"] for r in ex.journal.of_kind("inject.delivered") if team in r["teams"]}
        assert {i.inject for i in items} == allowed
    assert "TUT-05" not in {i.inject for i in v.inbox["ie"]}
    assert "TUT-01" not in {i.inject for i in v.inbox["eu"]}


def test_team_scope_national_versus_eu_level(tutorial):
    v = JournalView(tutorial)
    assert v.team_scope("ie")[0] == {"IE"}
    assert v.team_scope("eu")[0] is None  # plays CyCLONe: the EU-wide picture
    ex = Exercise(tutorial, seed=1)
    ex.run(until=600)
    v.feed_records(ex.journal)
    assert set(v.ms_colours({"IE"})) == {"IE"}
    assert set(v.ms_colours()) == {"IE", "BE"}
    assert {c.owner for c in v.team_clocks("ie")} == {"HOSP-IE-1"}
    assert v.team_clocks("eu") == []
