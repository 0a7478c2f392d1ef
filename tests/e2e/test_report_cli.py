"""``cyclesim report`` and ``replay --out`` end to end, in-process (``simulator.cli.main``), as a facilitator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Run, cyclesim

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def replay_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("replay")
    proc = cyclesim("replay", "tutorial", "--seed", "1", "--policy", "doctrine", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_replay_out_writes_both_reports_and_report_reproduces_them(replay_dir, tmp_path):
    html, md = replay_dir / "report.html", replay_dir / "report.md"
    assert html.is_file() and md.is_file()
    assert html.read_text(encoding="utf-8").count("<svg") == 4  # severity, swimlane, clocks, information flow
    # replay --out leaves the counterfactual (more replays) to cyclesim report
    proc = cyclesim("report", str(replay_dir / "events.jsonl"), "-o", str(tmp_path / "again.md"), "--no-counterfactual")
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout and "(md, TLP:GREEN" in proc.stdout
    assert without_kind_row((tmp_path / "again.md").read_text(encoding="utf-8")) == without_kind_row(md.read_text(encoding="utf-8"))


def without_kind_row(md: str) -> list[str]:
    """The report minus the overview's 'Exercise' row, whose exercise kind the JSONL export loses
    (the record's own 'kind' key overwrites the scenario's 'kind' in exercise.started)."""
    return [line for line in md.splitlines() if not line.startswith("| Exercise |")]


def section(md: str, start: str, end: str) -> str:
    return md[md.index(start):md.index(end)]


def test_audience_and_team_options(replay_dir):
    green = cyclesim("report", str(replay_dir / "events.jsonl"), "--format", "md")
    red = cyclesim("report", str(replay_dir / "events.jsonl"), "--format", "md", "--audience", "TLP:RED")
    team = cyclesim("report", str(replay_dir / "events.jsonl"), "--format", "md", "--team", "eu", "--audience", "amber")
    assert green.returncode == red.returncode == team.returncode == 0
    assert "**TLP:GREEN**" in green.stdout and "**TLP:RED**" in red.stdout
    assert "Peers are asked to check" not in green.stdout and "Peers are asked to check" in red.stdout
    assert "View of team **EU-level crisis cell**" in team.stdout
    assert "CyCLONe officers' call" in team.stdout and "St. Brigid's University Hospital: ransomware" not in team.stdout


def test_a_session_folder_is_a_source(tmp_path):
    from simulator.engine.exercise import Exercise
    from simulator.journal.journal import read_jsonl
    from simulator.players.policies import POLICIES
    from simulator.scenario.loader import load
    from simulator.scenario.plan import Plan
    from simulator.session.session import Session

    loaded = load(ROOT / "scenarios" / "tutorial.yaml")
    session = Session.create(loaded, 1, tmp_path / "s1")
    try:
        ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1, journal=session.journal,
                      sources=[POLICIES["doctrine"]()])
        ex.run(until=12 * 60)
        ex.note(text="IE shares at the right TLP", kind="strength", team="ie", objective="OBJ-1")
    finally:
        session.close()
    proc = cyclesim("report", str(tmp_path / "s1"), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert "IE shares at the right TLP" in proc.stdout and "Tutorial — LOCKED WARD" in proc.stdout
    assert "St. Brigid's University Hospital (`HOSP-IE-1`)" in proc.stdout  # names from the scenario copy
    exported = tmp_path / "events.jsonl"
    assert cyclesim("export", str(tmp_path / "s1"), "--events", str(exported)).returncode == 0
    assert len(read_jsonl(exported)) > 10
    from_file = cyclesim("report", str(exported), "--format", "md")
    assert from_file.returncode == 0, from_file.stderr
    for start, end in (("## 2. Executive summary", "## 7. Objectives"), ("## Appendix A", "## Appendix C")):
        assert section(from_file.stdout, start, end) == section(proc.stdout, start, end)
    # the observation keeps its category through the JSONL export: it is still a strength
    assert section(from_file.stdout, "## 8.", "## Appendix A") == section(proc.stdout, "## 8.", "## Appendix A")
    assert "### Other observations" not in from_file.stdout and "IE shares at the right TLP" in from_file.stdout


BAD = [
    (["/nonexistent/events.jsonl"], "no session"),
    (["{events}", "--audience", "TLP:PURPLE"], "unknown audience"),
    (["{events}", "--team", "nl"], "unknown team 'nl'"),
    (["{bad}"], "bad.jsonl:2:1: not a journal record"),
    (["{events}", "-o", "{dir}"], "that is a folder"),
    (["{events}", "--template-dir", "{dir}/missing"], "no such folder"),
    (["{damaged}"], "not a complete cyclesim event log"),
    (["{scenario}"], "a scenario, not a played session; play it first"),
]


@pytest.fixture(scope="module")
def bad_runs(replay_dir, tmp_path_factory) -> list[Run]:
    """Every bad invocation, run once for the module."""
    tmp = tmp_path_factory.mktemp("bad")
    bad = tmp / "bad.jsonl"
    bad.write_text((replay_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\nnot json\n",
                   encoding="utf-8")
    damaged = tmp / "damaged.jsonl"  # valid JSON lines, but a decision without its team
    damaged.write_text("".join(line.replace('"team":"ie",', "") + "\n" for line in
                               (replay_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    subs = {"events": str(replay_dir / "events.jsonl"), "bad": str(bad), "dir": str(tmp), "damaged": str(damaged),
            "scenario": str(ROOT / "scenarios" / "tutorial.yaml")}
    return [cyclesim("report", *[a.format(**subs) for a in args]) for args, _message in BAD]


@pytest.mark.parametrize("case", range(len(BAD)), ids=[m for _, m in BAD])
def test_bad_input_exits_2_with_a_message_and_no_traceback(bad_runs, case):
    proc, message = bad_runs[case], BAD[case][1]
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_help_has_examples():
    proc = cyclesim("report", "--help")
    assert proc.returncode == 0 and "--audience" in proc.stdout and "examples:" in proc.stdout
