"""cyclesim forecast: a session forked at its clock, the same past in every run, fresh futures."""

from __future__ import annotations

import csv

import pytest

from simulator.cli import main
from simulator.commands.common import scenario_path
from simulator.engine.exercise import Exercise
from simulator.errors import InputError
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session
from simulator.sweep.forecast import check_past, fork_of, replay_past


@pytest.fixture
def session(tmp_path):
    loaded = load(scenario_path("tutorial"))
    folder = tmp_path / "sess"
    s = Session.create(loaded, 4, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=4, journal=s.journal)
    ex.run(until=3 * 60)
    ex.note(text="watching the first hours", kind="note", author="eva")
    ex.run(until=5 * 60)
    s.mark_clock(ex.now)
    n = len(ex.journal)
    s.close()
    return folder, n


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_past_replays_exactly(session):
    from simulator.report.source import open_source

    folder, n = session
    src = open_source(str(folder))
    fork = fork_of(src.journal, src.where, src.clock)
    assert fork.at == 300 and fork.records == n and len(fork.inputs) == 1
    check_past(src.plan, fork, src.journal)  # raises if it does not
    assert len(replay_past(src.plan, fork).journal) == n


def test_forecast_runs_share_the_past_and_differ_ahead(session, tmp_path, capsys):
    folder, n = session
    out = tmp_path / "fc"
    assert main(["forecast", str(folder), "--runs", "4", "--horizon", "20h", "--workers", "1",
                 "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "from T+05:00 to T+25:00: 4 futures under doctrine" in text and "downtime_hours" in text
    rows = _rows(out / "runs.csv")
    assert [r["seed"] for r in rows] == ["1", "2", "3", "4"]
    assert len({r["sha256"] for r in rows}) > 1  # fresh streams: the futures differ
    # one future again, by its seed
    assert main(["forecast", str(folder), "--seeds", "3", "--horizon", "20h", "--workers", "1",
                 "--out", str(tmp_path / "one"), "--no-progress"]) == 0
    assert _rows(tmp_path / "one" / "runs.csv")[0]["sha256"] == rows[2]["sha256"]


def test_a_forecast_needs_a_future(tmp_path, capsys):
    assert main(["replay", "tutorial", "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    assert main(["forecast", str(tmp_path / "r" / "events.jsonl"), "--runs", "2"]) == 2
    assert "the session has ended" in capsys.readouterr().err


def test_bad_horizon_is_exit_2(session, capsys):
    folder, _n = session
    assert main(["forecast", str(folder), "--horizon", "soon"]) == 2
    assert "--horizon" in capsys.readouterr().err


def test_fork_refuses_a_journal_without_start():
    from simulator.journal.journal import Journal

    with pytest.raises(InputError, match="not a cyclesim journal"):
        fork_of(Journal(), "x")


# ------------------------------------------------------------ the outlook of an exercise in play (console, annex)
def test_a_live_forecast_gives_the_rows_of_the_saved_sessions_forecast(session, tmp_path, capsys):
    """The facilitator console's forecast of the running exercise equals ``cyclesim forecast`` on its session."""
    from simulator.report.source import open_source
    from simulator.sweep.outlook import forecast_exercise

    folder, _n = session
    src = open_source(str(folder))
    live = Exercise(src.plan, seed=4)
    live.run(until=3 * 60)
    live.note(text="watching the first hours", kind="note", author="eva")
    live.run(until=5 * 60)
    outlook = forecast_exercise(live, tmp_path / "live", runs=3, horizon=20 * 60, workers=1, source="sess")
    assert main(["forecast", str(folder), "--runs", "3", "--horizon", "20h", "--workers", "1",
                 "--out", str(tmp_path / "saved"), "--no-progress"]) == 0
    capsys.readouterr()
    saved = _rows(tmp_path / "saved" / "runs.csv")
    assert [r["sha256"] for r in saved] == [r["sha256"] for r in outlook.rows]
    assert outlook.fork_at == 300 and outlook.until == 25 * 60 and outlook.runs == 3
    assert len(live.journal) == _n, "forecasting reads the exercise; it never plays it on"
    assert (tmp_path / "live" / "sweep.html").is_file()


def test_the_annex_says_what_may_still_happen_in_words_and_figures(session, tmp_path):
    from simulator.sweep.outlook import forecast_exercise

    folder, _n = session
    from simulator.report.source import open_source

    live = Exercise(open_source(str(folder)).plan, seed=4)
    live.run(until=5 * 60)
    outlook = forecast_exercise(live, tmp_path / "fc", runs=5, horizon=24 * 60, workers=1)
    text = outlook.annex()
    assert text.startswith("Possible evolution scenarios from T+05:00 to T+29:00 (1d ahead): 5 simulated futures")
    assert "entities hit:" in text and "most likely, between" in text
    medians = {m: values[2] for m, values, _missing in outlook.table()}
    assert f"entities hit: {medians['entities_hit']} most likely" in text
    assert outlook.lines()[0].split()[:2] == ["measure", "p5"]


def test_forecast_json_prints_the_summary_a_host_reads(session, tmp_path, capsys):
    import json

    folder, _n = session
    assert main(["forecast", str(folder), "--runs", "2", "--horizon", "6h", "--workers", "1", "--json",
                 "--out", str(tmp_path / "fc"), "--no-progress"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["runs"] == 2 and summary["fork_at"] == "T+05:00" and summary["until"] == "T+11:00"
    assert summary["lines"][0].startswith("measure") and summary["annex"].startswith("Possible evolution scenarios")


def test_futures_draw_fresh_streams_everywhere_not_only_the_desks():
    """Only the exercise's own handle on the streams was replaced: channels, the incident's spread and
    the public sphere kept the session's seed, and every passive future of a fork was the same run.

    vital-signs, seed 7, forked at T+12:00: three passive futures now differ (the spread's hazard
    thresholds and the sphere's noise are drawn again), and seed 2 again gives the same future.
    """
    from simulator.journal.outcome import outcome
    from simulator.sweep.forecast import start_future
    from simulator.sweep.plan import Player

    loaded = load(scenario_path("vital-signs"))
    plan = Plan.of(loaded.scenario, loaded.content_hash)
    ex = Exercise(plan, seed=7)
    ex.run(until=12 * 60)
    fork = fork_of(ex.journal, "vital-signs seed 7", 12 * 60)
    futures = {}
    for seed in (1, 2, 3, 2):
        future = start_future(plan, fork, seed, Player("passive", policy="passive"))
        future.run()
        futures.setdefault(seed, []).append((future.journal.export_hash(), outcome(future.journal)["entities_hit"]))
    assert futures[2][0] == futures[2][1], "the same forecast seed gave another future"
    hashes = {runs[0][0] for runs in futures.values()}
    assert len(hashes) == 3, "passive futures of one fork are the same run"
    assert len({runs[0][1] for runs in futures.values()}) > 1, "the incident's course does not vary between futures"


def test_the_annex_writes_minutes_as_durations_and_says_when_a_measure_does_not_vary_or_has_no_value():
    from simulator.sweep.outlook import Outlook

    rows = tuple({"peak_eccs": 2, "time_to_recovery": 1500 + 60 * i, "clocks_missed": None, "entities_hit": i}
                 for i in range(10))
    outlook = Outlook("vital-signs", 0, 48 * 60, "doctrine", rows,
                      ("peak_eccs", "time_to_recovery", "clocks_missed", "entities_hit"))
    text = outlook.annex()
    table = {m: values for m, values, _missing in outlook.table()}
    assert table["time_to_recovery"][2] == "1d 5h", "the table above the annex writes the same duration"
    assert any("1d 5h" in line for line in outlook.lines())
    assert "- peak ECCS: 2 most likely, and in at least the middle 90% of futures" in text, text
    assert "between 2 and 2" not in text
    assert "- time to recovery: 1d 5h most likely, between 1d 1h" in text, text  # 1500 + 270 min; p5 at 1527
    assert "(hours)" not in text and "173" not in text
    assert "- reporting clocks missed: no value in any future" in text and "– most likely" not in text
    assert "- entities hit: 4 most likely, between 0 and 9" in text or "- entities hit: 4.5 most likely" in text, text
