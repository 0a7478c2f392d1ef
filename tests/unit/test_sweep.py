"""cyclesim sweep: plans, varied values, ordered rows, the page, interrupts, and the CLI in-process."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.commands.common import scenario_path
from simulator.errors import InputError
from simulator.journal.journal import Journal
from simulator.journal.outcome import outcome
from simulator.scenario.loader import load
from simulator.sweep import execute, pool
from simulator.sweep.plan import build_plan, parse_seeds
from simulator.sweep.table import RowWriter, read_runs
from simulator.sweep.vary import apply, parse_vary

SCRIPT = Path(__file__).resolve().parent.parent / "data" / "engine" / "scripts" / "tutorial-key.yaml"


@pytest.fixture(scope="module")
def tutorial():
    return load(scenario_path("tutorial"))


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- seeds and --vary

def test_seeds_ranges_lists_and_mistakes():
    assert parse_seeds("1-3,7,2") == [1, 2, 3, 7]
    assert parse_seeds("0") == [0]
    for bad in ("3-1", "a", "1-", "-5", "1,,2"):
        with pytest.raises(InputError, match="--seeds"):
            parse_seeds(bad)


def test_vary_sets_a_value_in_the_scenarios_own_terms(tutorial):
    v = parse_vary("network.channels.csirt-IE-net.delay.mode=0.5,3")
    assert v.values == (0.5, 3)
    changed = apply(tutorial, [(v.path, 3)])
    chan = next(c for c in changed.scenario.network.channels if c.id == "csirt-IE-net")
    assert chan.delay.mode == 3  # a default channel, copied into the scenario and overridden
    assert changed.content_hash != tutorial.content_hash


@pytest.mark.parametrize("arg, message", [
    ("nothing", "write PATH=V1,V2"),
    ("nope.x=1", "no key 'nope' at the top"),
    ("network.channels.zz.delay.mode=1", "no item 'zz' in network.channels"),
    ("network.channels.csirt-IE-net.delay.mode=99", "delay needs min <= mode <= max"),
    ("network.channels.csirt-IE-net.delay=1", "names a mapping"),
])
def test_vary_mistakes_are_located_input_errors(tutorial, arg, message):
    with pytest.raises(InputError, match=message) as e:
        v = parse_vary(arg)
        apply(tutorial, [(v.path, v.values[0])])
    assert "--vary" in str(e.value)


def test_vary_at_the_cli_is_exit_2(tmp_path, capsys):
    assert main(["sweep", "tutorial", "--seeds", "1", "--vary", "injects.nope.at=T+1:00", "--out", str(tmp_path)]) == 2
    assert "--vary injects.nope.at" in capsys.readouterr().err


# ---------------------------------------------------------------- rows

def test_rows_come_out_in_run_order_and_an_interrupt_keeps_them(tmp_path):
    w = RowWriter(tmp_path / "runs.csv")
    w.add([{"run": 1, "seed": 2, "player": "p", "sha256": "b"}])
    assert (tmp_path / "runs.csv").read_text() == ""  # run 0 is not in yet
    w.add([{"run": 0, "seed": 1, "player": "p", "sha256": "a"}, {"run": 3, "seed": 4, "player": "p", "sha256": "d"}])
    w.close()  # interrupted: run 2 never came; run 3 is kept
    _cols, rows = read_runs(tmp_path / "runs.csv")
    assert [r["run"] for r in rows] == [0, 1, 3]


def test_interrupt_during_a_sweep_keeps_the_finished_rows(tutorial, tmp_path, monkeypatch):
    plan = build_plan(tutorial, "tutorial", [1, 2, 3, 4], ["passive"], [], [])

    def interrupted(plan, jobs, workers):
        yield pool.Runner(plan).run_many(jobs[:2])
        raise KeyboardInterrupt

    monkeypatch.setattr(pool, "run_local", interrupted)
    result = execute.run_sweep(plan, tmp_path, workers=1)
    assert result.interrupted and [r["seed"] for r in result.rows] == [1, 2]
    assert len(_rows(tmp_path / "runs.csv")) == 2


def test_a_sweep_row_is_the_replay_of_its_seed(tutorial, tmp_path, capsys):
    code = main(["sweep", "tutorial", "--seeds", "1-3", "--policy", "passive,doctrine", "--decisions", str(SCRIPT),
                 "--workers", "1", "--out", str(tmp_path / "s"), "--no-progress"])
    assert code == 0, capsys.readouterr().err
    assert "9 of 9 runs in" in capsys.readouterr().out
    rows = _rows(tmp_path / "s" / "runs.csv")
    assert [r["player"] for r in rows] == ["passive"] * 3 + ["doctrine"] * 3 + ["tutorial-key.yaml"] * 3
    columns = list(rows[0])
    measures = list(outcome(Journal()))
    assert columns == ["run", "seed", "player", *measures, "sha256"]  # the columns follow outcome()
    for row in (rows[4], rows[7]):
        args = ["replay", "tutorial", "--seed", row["seed"], "--quiet"]
        args += ["--policy", "doctrine"] if row["player"] == "doctrine" else ["--decisions", str(SCRIPT)]
        assert main(args) == 0
        assert capsys.readouterr().out.strip() == row["sha256"]
    page = (tmp_path / "s" / "sweep.html").read_text(encoding="utf-8")
    assert page.count("<svg") == len(measures)
    assert "cyclesim replay tutorial --seed" in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # self-contained


def test_two_workers_write_the_same_runs_csv_as_one(tutorial, tmp_path):
    plan = build_plan(tutorial, "tutorial", parse_seeds("1-6"), ["passive", "doctrine"], [], [])
    assert len(pool.chunks(plan.jobs(), 2)) > 2  # more tasks than workers: they finish out of order
    a = execute.run_sweep(plan, tmp_path / "one", workers=1)
    b = execute.run_sweep(plan, tmp_path / "two", workers=2)
    assert b.backend == "local"
    assert (tmp_path / "one" / "runs.csv").read_bytes() == (tmp_path / "two" / "runs.csv").read_bytes()
    assert len(a.rows) == 12


def test_varied_runs_replay_with_replay_vary(tmp_path, capsys):
    vary = "network.channels.csirt-IE-net.delay.mode=0.5,3"
    assert main(["sweep", "tutorial", "--seeds", "5", "--policy", "doctrine", "--vary", vary,
                 "--workers", "1", "--out", str(tmp_path), "--no-progress"]) == 0
    capsys.readouterr()
    rows = _rows(tmp_path / "runs.csv")
    assert [r["network.channels.csirt-IE-net.delay.mode"] for r in rows] == ["0.5", "3"]
    assert rows[0]["sha256"] != rows[1]["sha256"]
    assert main(["replay", "tutorial", "--seed", "5", "--policy", "doctrine", "--quiet",
                 "--vary", "network.channels.csirt-IE-net.delay.mode=3"]) == 0
    assert capsys.readouterr().out.strip() == rows[1]["sha256"]


def test_the_page_escapes_what_it_shows(tutorial, tmp_path):
    from simulator.sweep.page import page_data, render_page

    rows = [{"run": i, "seed": i, "player": "<script>x</script>", "downtime_hours": i, "sha256": "ab" * 32} for i in range(3)]
    html = render_page(page_data({"scenario": "t", "players": ["<script>x</script>"], "seeds": "0-2", "vary": [],
                                  "command": "c"}, ["run", "seed", "player", "downtime_hours", "sha256"], rows,
                                 lambda r: f"replay {r['seed']}"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_report_places_the_played_outcome_in_the_sweep(tmp_path, capsys):
    assert main(["sweep", "tutorial", "--seeds", "1-4", "--policy", "passive,doctrine", "--workers", "1",
                 "--out", str(tmp_path / "s"), "--no-progress"]) == 0
    assert main(["replay", "tutorial", "--seed", "9", "--policy", "doctrine", "--out", str(tmp_path / "r")]) == 0
    assert main(["report", str(tmp_path / "r" / "events.jsonl"), "--sweep", str(tmp_path / "s"),
                 "-o", str(tmp_path / "aar.md")]) == 0
    md = (tmp_path / "aar.md").read_text(encoding="utf-8")
    assert "## The outcome against a sweep" in md and "| passive | 4 |" in md and "| doctrine | 4 |" in md
    capsys.readouterr()
    assert main(["report", str(tmp_path / "r" / "events.jsonl"), "--sweep", str(tmp_path / "r"), "-o",
                 str(tmp_path / "x.md")]) == 2
    assert "no sweep.json" in capsys.readouterr().err


def test_sweep_sha_is_the_journal_sha(tutorial):
    from simulator.sweep.runner import Runner

    plan = build_plan(tutorial, "tutorial", [3], ["doctrine"], [], [])
    row = Runner(plan).run(plan.jobs()[0])
    from simulator.engine.exercise import Exercise
    from simulator.players.policies import POLICIES
    from simulator.scenario.plan import Plan

    ex = Exercise(Plan.of(tutorial.scenario, tutorial.content_hash), seed=3, sources=[POLICIES["doctrine"]()])
    ex.run()
    assert row["sha256"] == hashlib.sha256(ex.journal.export_bytes()).hexdigest()
    assert {k: row[k] for k in outcome(ex.journal)} == outcome(ex.journal)


def test_policy_names_for_the_command_line_are_the_policies():
    from simulator.players import POLICY_NAMES
    from simulator.players.policies import POLICIES

    assert POLICY_NAMES == tuple(sorted(POLICIES))


def test_report_help_labels_are_the_formats_tlp_labels():
    from simulator.commands.report import TLP_LABELS
    from simulator.scenario.model import TLP_ORDER

    assert TLP_LABELS == TLP_ORDER
