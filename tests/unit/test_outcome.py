"""Outcome measures computed from a journal (simulator.journal.outcome)."""

from simulator.journal.journal import Journal, Record
from simulator.journal.outcome import outcome
from simulator.journal.summary import summarize


def _journal(*records):
    """A journal of hand-made records, only the fields the outcome reads (as read back from a file: unchecked)."""
    return Journal([Record(i, t, kind, data) for i, (t, kind, data) in enumerate(records)])


def test_measures_from_hand_made_records():
    j = _journal(
        (0, "exercise.started", {"scenario": "x", "seed": 1}),
        (0, "state.changed", {"cause": "A", "changes": {"significant": [[], ["E1", "E2"]], "impact.IE/health": ["white", "yellow"]}}),
        (60, "state.changed", {"cause": "B", "changes": {"impact.BE/health": ["white", "green"], "disinfo_reach": [0.0, 0.3]}}),
        (120, "state.changed", {"cause": "C", "changes": {"impact.IE/health": ["yellow", "red"], "major": [[], ["BANK"]]}}),
        (120, "severity.changed", {"to": 3}),
        (180, "state.changed", {"cause": "D", "changes": {"impact.IE/health": ["red", "green"], "disinfo_reach": [0.3, 0.1]}}),
        (200, "clock.missed", {"clock": "c1"}),
        (600, "exercise.ended", {}),
    )
    assert outcome(j) == {
        "downtime_hours": 3.0,  # IE/health yellow or red from 0 to 180
        "entities_hit": 3,
        "ms_affected": 2,  # IE and BE (green counts as affected, not as disrupted)
        "peak_eccs": 3,
        "time_to_recovery": 180,
        "disinfo_peak": 0.3,
        "clocks_missed": 1,
    }


def test_still_disrupted_at_the_end_counts_to_the_end_and_has_no_recovery():
    j = _journal(
        (0, "exercise.started", {}),
        (30, "state.changed", {"cause": "A", "changes": {"impact.NL/energy": ["white", "red"]}}),
        (90, "exercise.ended", {}),
    )
    o = outcome(j)
    assert o["downtime_hours"] == 1.0
    assert o["time_to_recovery"] is None


def test_summary_carries_the_outcome():
    j = _journal((0, "exercise.started", {"scenario": "x", "seed": 1}), (5, "exercise.ended", {}))
    s = summarize(j)
    assert s["outcome"]["peak_eccs"] == 0 and s["outcome"]["time_to_recovery"] is None

