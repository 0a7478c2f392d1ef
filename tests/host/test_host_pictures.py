"""A team seat learns the incident through its own situational picture, never through ground truth."""

from __future__ import annotations

from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import team_picture
from simulator.host.seats import SeatFilter, seats_of
from simulator.players.policies import POLICIES
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).resolve().parents[2]
TRUTH_KINDS = {"state.changed", "severity.changed", "severity.reassessed"}


def _frames(team: str):
    loaded = load(ROOT / "scenarios" / "tutorial.yaml")
    plan = Plan.of(loaded.scenario, loaded.content_hash)
    ex = Exercise(plan, seed=1, sources=[POLICIES["doctrine"]()])
    ex.run()
    records = list(ex.journal)
    seat_filter = SeatFilter(plan)
    for r in records:
        seat_filter.learn(r)
    seat = seats_of(plan)[team]
    return plan, records, [f for r in records if (f := seat_filter.view(seat, r)) is not None]


def test_a_team_seat_gets_its_picture_as_it_changes_and_no_ground_truth():
    plan, records, frames = _frames("ie")
    assert not [f for f in frames if f["kind"] in TRUTH_KINDS]
    pictures = [f for f in frames if "picture" in f]
    assert pictures, "the team's picture never reached its seat"
    by_seq = {r.seq: r for r in records}
    for f in pictures:  # each frame is the team's picture as the journal stood after that record
        expected = team_picture(records[: f["seq"] + 1], "ie", plan=plan).as_json()
        assert f["picture"]["facts"] == expected["facts"]
        assert by_seq[f["seq"]].t == f["t"]


def test_the_picture_lags_the_truth_at_the_first_impact():
    _plan, records, frames = _frames("ie")
    first_truth = next(r for r in records if r.kind == "severity.changed")
    known_then = [f for f in frames if "picture" in f and f["seq"] <= first_truth.seq]
    assert all(f["picture"]["eccs"] != first_truth["to"] for f in known_then)
