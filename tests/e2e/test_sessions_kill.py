"""Crash safety: a session killed with SIGKILL again and again loses nothing.

A driver subprocess (session_driver.py) plays a scripted session into a
store. The test kills it with SIGKILL at 14 points (after an acknowledged
action plus a varied delay, so the kill lands between or during commits, and
twice right inside a step),
checks that every acknowledged record is in the store, resumes, and kills
again. The last resume plays to the end; the journal must then be identical
(record count and export hash) to an uninterrupted run of the same driver and
to the same actions played on a plain in-memory engine.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import session_driver as driver

from simulator.engine.exercise import Exercise
from simulator.journal.journal import Journal
from simulator.journal.store import Store
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

DRIVER = Path(driver.__file__)
ROOT = DRIVER.parent.parent.parent

KILLS = [(1, 0, 3), (3, 1, 0), (5, 9, 3), (None, 0, 3), (7, 0, 0), (9, 15, 3), (11, 1, 0),
         (13, 0, 3), (None, 0, 0), (15, 2, 0), (17, 3, 3), (19, 0, 0), (21, 7, 3), (23, 1, 0)]
"""(actions to wait for, ms to sleep after that ack, the driver's pause in ms) for each SIGKILL.

With a 3 ms pause between chunks the kill mostly lands between commits; with
none the driver commits back to back and often lands inside a step. ``None``
kills inside a step for certain: the driver hangs right after committing the
next ``inject.released`` (its ``message.sent`` records follow in the same
engine step)."""


def _start(folder: Path, ack: Path, mode: str, pause_ms: int = 3, stall: int = -1) -> subprocess.Popen:
    ack.unlink(missing_ok=True)
    return subprocess.Popen([sys.executable, str(DRIVER), str(folder), str(ack), mode, "--pause-ms", str(pause_ms),
                             "--stall-after", str(stall)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _read_ack(ack: Path) -> dict | None:
    try:
        return json.loads(ack.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _wait_for(proc: subprocess.Popen, ack: Path, actions: int | None, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _read_ack(ack)
        if state and (state["phase"] == "stalled" if actions is None else state["actions"] >= actions):
            return state
        if proc.poll() is not None:
            raise AssertionError(f"driver exited {proc.returncode} early: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.001)
    proc.kill()
    raise AssertionError(f"driver did not reach {actions} actions in {timeout}s")


def _stored(folder: Path) -> list:
    store = Store.open(folder)
    try:
        return store.records()
    finally:
        store.close()


def _data_files(folder: Path) -> dict[str, bytes]:
    """Database and WAL bytes (not the -shm index, which any reader rebuilds)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith("session.sqlite")
            and not p.name.endswith("-shm") and p.stat().st_size}


def _uninterrupted(tmp_path: Path) -> Journal:
    folder, ack = tmp_path / "whole", tmp_path / "whole.ack"
    proc = _start(folder, ack, "new", pause_ms=0)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    return Journal(_stored(folder))


def test_sigkill_at_fourteen_points_then_resume_gives_the_uninterrupted_journal(tmp_path):
    reference = _uninterrupted(tmp_path)
    loaded = load(driver.SCENARIO)
    plain = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=driver.SEED)
    driver.play(plain, 0, 0)
    assert plain.journal.export_hash() == reference.export_hash(), "the store changed the journal"

    folder, ack = tmp_path / "killed", tmp_path / "killed.ack"
    points, mid_step = [], 0
    for n, (actions, delay_ms, pause_ms) in enumerate(KILLS):
        stall = -1
        if actions is None:
            done = len(_stored(folder))
            stall = next(r.seq for r in reference[done + 2:-1]
                         if r.kind == "inject.released" and reference[r.seq + 1].kind == "message.sent")
        proc = _start(folder, ack, "new" if n == 0 else "resume", pause_ms, stall)
        acked = _wait_for(proc, ack, actions)
        time.sleep(delay_ms / 1000)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, "the driver finished before the kill: move the kill points"
        records = _stored(folder)
        # nothing acknowledged is lost: the ack was written after those commits returned
        assert len(records) >= acked["records"]
        assert sum(r.kind in ("decision.submitted", "observation.noted") or r.kind.startswith("facilitator.")
                   for r in records) >= acked["actions"]
        # the stored prefix is exactly the uninterrupted run's prefix
        assert [r.line() for r in records] == [r.line() for r in reference[:len(records)]]
        session, resumed = Session.resume(folder, check_only=True)
        session.close()
        if actions is None:
            assert len(records) == stall + 1 and resumed.completed > 0, "the rebuild must finish the cut step"
        mid_step += resumed.completed > 0
        points.append(len(records))

    proc = _start(folder, ack, "resume")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    final = Journal(_stored(folder))
    assert len(final) == len(reference)
    assert final.export_hash() == reference.export_hash()
    assert len(set(points)) >= 10, f"kills landed at too few distinct points: {points}"
    assert mid_step >= 2
    print(f"\nkill points (records in store): {points}; {mid_step} kills cut a step half-way")


@pytest.mark.parametrize("mode", ["check", "resume"])
def test_a_refused_resume_changes_no_byte_of_the_store(tmp_path, mode):
    """Killed mid-run, then resumed with a changed scenario: the files stay byte for byte."""
    folder, ack = tmp_path / "s", tmp_path / "s.ack"
    proc = _start(folder, ack, "new")
    _wait_for(proc, ack, 4)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    before = _data_files(folder)
    changed = tmp_path / "drill.yaml"
    changed.write_text(driver.SCENARIO.read_text(encoding="utf-8").replace("T+600m", "T+610m"), encoding="utf-8")
    args = [sys.executable, "-m", "simulator", "resume", str(folder), "--scenario", str(changed)]
    if mode == "check":
        args.append("--check")
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "scenario changed since the session started" in out.stderr and "Traceback" not in out.stderr
    assert _data_files(folder) == before
