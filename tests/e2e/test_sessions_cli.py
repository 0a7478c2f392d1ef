"""cyclesim resume / sessions / export through the real CLI entry point, in-process.

The round trip: a live session (driven through Session, the way the TUI
drives it) -> ``cyclesim export --decisions`` -> ``cyclesim replay
--decisions`` gives the session's journal exactly (same export hash). Then
the refusals, with their exit codes and without tracebacks. Two processes
contending for one session, and a refused resume of a killed session, are
checked with real processes in ``test_sessions_kill.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import session_driver as driver
from cli_support import cyclesim

from simulator.engine.exercise import Exercise
from simulator.journal.store import DB_NAME, FORMAT_VERSION
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

ROOT = Path(driver.__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """A whole session played through Session, as the TUI plays one (module-wide, read-only for tests)."""
    folder = tmp_path_factory.mktemp("played") / "day1"
    loaded = load(driver.SCENARIO)
    session = Session.create(loaded, driver.SEED, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=driver.SEED, journal=session.journal)
    driver.play(ex, 0, 0, session=session)
    session.close()
    return folder


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A session stopped after its first 8 actions, made once."""
    folder = tmp_path_factory.mktemp("pristine") / "stopped"
    loaded = load(driver.SCENARIO)
    session = Session.create(loaded, driver.SEED, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=driver.SEED, journal=session.journal)
    driver.play(ex, 0, 0, end=False, session=session, stop=8)
    session.close()
    return folder


@pytest.fixture
def stopped(tmp_path, pristine) -> Path:
    """A fresh copy of the stopped session for one test."""
    return Path(shutil.copytree(pristine, tmp_path / "stopped"))


def test_export_decisions_then_replay_reproduces_the_session_exactly(played, tmp_path):
    out = cyclesim("export", played, "--decisions", tmp_path / "d.yaml", "--events", tmp_path / "e.jsonl",
                   "--scenario", tmp_path / "played.yaml")
    assert out.returncode == 0, out.stderr
    sha = out.stdout.split("sha256 ")[1].split()[0]
    assert f"--seed {driver.SEED} --decisions" in out.stdout and str(driver.SCENARIO) in out.stdout
    script = (tmp_path / "d.yaml").read_text(encoding="utf-8")
    assert "facilitator.injected" in script and "observation.noted" in script and "decision.submitted" in script
    for scenario in (driver.SCENARIO, tmp_path / "played.yaml"):  # the original, and the copy kept in the session
        replay = cyclesim("replay", scenario, "--seed", driver.SEED, "--decisions", tmp_path / "d.yaml",
                          "--out", tmp_path / "r", "--quiet")
        assert replay.returncode == 0, replay.stderr
        assert replay.stdout.strip() == sha
        assert (tmp_path / "r" / "events.jsonl").read_bytes() == (tmp_path / "e.jsonl").read_bytes()


def test_resume_check_reports_and_writes_nothing(played):
    before = (played / DB_NAME).read_bytes()
    out = cyclesim("resume", played, "--check", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["ended"] and report["records"] == report["stored"] and report["completed"] == 0
    assert report["scenario"] == "drill" and report["seed"] == driver.SEED
    assert (played / DB_NAME).read_bytes() == before


def test_sessions_lists_the_default_dir_and_any_dir(played, stopped, tmp_path, monkeypatch):
    loaded = load(driver.SCENARIO)
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    Session.create(load(driver.SCENARIO), 9).close()
    assert (xdg / "cyclesim" / "sessions" / f"{loaded.scenario.id}-001").is_dir()
    out = cyclesim("sessions", env={"XDG_DATA_HOME": str(xdg)})
    assert out.returncode == 0 and "drill-001" in out.stdout and "resumable" in out.stdout
    (played.parent / "junk").mkdir(exist_ok=True)
    (played.parent / "junk" / DB_NAME).write_bytes(b"not sqlite at all" * 100)
    out = cyclesim("sessions", "--dir", played.parent, "--json")
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["day1"]["state"] == "ended" and rows["day1"]["t_reached"] == loaded.scenario.duration
    assert rows["junk"]["state"] == "unreadable" and "not a readable session file" in rows["junk"]["problem"]
    text = cyclesim("sessions", "--dir", played.parent).stdout
    assert text.splitlines()[0].split() == ["SESSION", "SCENARIO", "STARTED", "LAST", "ACTIVITY", "REACHED",
                                            "RECORDS", "STATE"]


@pytest.mark.parametrize("damage, code, message", [
    ("corrupt", 2, "not a readable session file"),
    ("truncated", 2, "damaged|not a readable"),
    ("future", 2, "written by a newer cyclesim"),
    ("diverging", 1, "differs from the stored one at record #"),
])
def test_resume_and_export_refuse_bad_sessions_cleanly(stopped, damage, code, message):
    db = stopped / DB_NAME
    if damage == "corrupt":
        db.write_bytes(b"\x00garbage" * 2000)
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[:3 * 4096 + 100])
    else:
        conn = sqlite3.connect(db)
        if damage == "future":
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 3}")
        else:
            conn.execute("UPDATE records SET t = t + 1 WHERE seq = (SELECT max(seq) FROM records "
                         "WHERE kind = 'message.sent')")
        conn.commit()
        conn.close()
    before = db.read_bytes()
    out = cyclesim("resume", stopped)
    assert out.returncode == code and "Traceback" not in out.stderr
    assert re.search(message, out.stderr), out.stderr
    assert db.read_bytes() == before
    if damage != "diverging":
        exported = cyclesim("export", stopped, "--events", stopped.parent / "x.jsonl")
        assert exported.returncode == 2 and "Traceback" not in exported.stderr
        assert not (stopped.parent / "x.jsonl").exists()


def test_export_needs_a_target_outside_the_session(stopped):
    assert "say what to export" in cyclesim("export", stopped).stderr
    out = cyclesim("export", stopped, "--events", stopped / "events.jsonl")
    assert out.returncode == 2 and "outside the session folder" in out.stderr
    assert cyclesim("resume", stopped.parent / "nope", "--check").returncode == 2
