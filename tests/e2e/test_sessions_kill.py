"""Crash safety: a session killed with SIGKILL again and again loses nothing.

A driver process (session_driver.py, forked from a server that has the
simulator imported) plays a scripted session into a store. The test kills it with SIGKILL at 14 points (after an acknowledged
action plus a varied delay, so the kill lands between or during commits, and
twice right inside a step),
checks that every acknowledged record is in the store, resumes, and kills
again. The last resume plays to the end; the journal must then be identical
(record count and export hash) to an uninterrupted run of the same driver and
to the same actions played on a plain in-memory engine.

On the way, at two of the kill points, it checks what other processes see:
while the driver hangs mid-step holding the session, ``cyclesim resume``
(with and without ``--check``), a second ``Session.resume`` and ``cyclesim
sessions`` all see the session in use by that pid and write nothing; right
after the first kill, a resume with a changed scenario is refused without
changing a byte of the store. These run in-process (``simulator.cli.main``):
the driver is the other process.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest
import session_driver as driver
from cli_support import cyclesim

from simulator.engine.exercise import Exercise
from simulator.journal.journal import Journal
from simulator.journal.store import SessionError, Store
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

KILLS = [(1, 0, 3), (3, 1, 0), (5, 9, 3), (None, 0, 3), (7, 0, 0), (9, 15, 3), (11, 1, 0),
         (13, 0, 3), (None, 0, 0), (15, 2, 1), (17, 3, 3), (19, 0, 1), (21, 7, 3), (23, 1, 3)]
"""(actions to wait for, ms to sleep after that ack, the driver's pause in ms) for each SIGKILL.

With a 3 ms pause between chunks the kill mostly lands between commits; with
none the driver commits back to back and often lands inside a step. ``None``
kills inside a step for certain: the driver hangs right after committing the
next ``inject.released`` (its ``message.sent`` records follow in the same
engine step). Late in the session the driver pauses 1 or 3 ms: without
pauses it finished the session 12.5 ms after action 15, 7.9 ms after 19 and
4.6 ms after 23 (measured with the store, since the engine got faster), and
under load (CI, beside the suite's other workers) it once finished before
the kill landed. Within a chunk it still commits back to back."""


class Driver:
    """One driver process, with the parts of ``subprocess.Popen`` the tests use.

    It is forked from a multiprocessing fork server that imported the driver
    and the simulator once: a real, separate process (its own pid, locks and
    SQLite connections; SIGKILL ends it without any cleanup) that starts
    without paying an interpreter start and the imports each time.
    """

    def __init__(self, ctx, argv: list[str], stderr_path: Path) -> None:
        self._stderr = stderr_path
        self._proc = ctx.Process(target=driver.forked, args=(argv, str(stderr_path)))
        self._proc.start()
        self.pid = self._proc.pid

    @property
    def returncode(self) -> int | None:
        return self._proc.exitcode

    def poll(self) -> int | None:
        return self._proc.exitcode

    def send_signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float) -> int:
        self._proc.join(timeout)
        if self._proc.exitcode is None:
            self.kill()
            raise AssertionError(f"driver {self.pid} still running after {timeout}s")
        return self._proc.exitcode

    def stderr(self) -> str:
        return self._stderr.read_text(encoding="utf-8", errors="replace") if self._stderr.exists() else ""


@pytest.fixture(scope="module")
def fork_server():
    """A fork server with the driver and the simulator imported; stopped (and waited for) at the end."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["session_driver", "simulator.session.session", "simulator.engine.exercise",
                                "simulator.scenario.loader", "simulator.scenario.plan"])
    yield ctx
    stop = getattr(forkserver._forkserver, "_stop", None)  # CPython's own: so its CPU time counts as ours
    if stop is not None:
        stop()


def _start(ctx, folder: Path, ack: Path, mode: str, pause_ms: int = 3, stall: int = -1) -> Driver:
    ack.unlink(missing_ok=True)
    return Driver(ctx, [str(folder), str(ack), mode, "--pause-ms", str(pause_ms), "--stall-after", str(stall)],
                  ack.with_name(ack.name + ".stderr"))


def _read_ack(ack: Path) -> dict | None:
    try:
        return json.loads(ack.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _wait_for(proc: Driver, ack: Path, actions: int | None, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _read_ack(ack)
        if state and (state["phase"] == "stalled" if actions is None else state["actions"] >= actions):
            return state
        if proc.poll() is not None:
            raise AssertionError(f"driver exited {proc.returncode} early: {proc.stderr()[-2000:]}")
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


def _uninterrupted(ctx, tmp_path: Path) -> Journal:
    folder, ack = tmp_path / "whole", tmp_path / "whole.ack"
    proc = _start(ctx, folder, ack, "new", pause_ms=0)
    assert proc.wait(timeout=60) == 0, proc.stderr()
    return Journal(_stored(folder))


def _refuses_a_changed_scenario(folder: Path, tmp_path: Path) -> None:
    """A session killed mid-run, resumed with a changed scenario: refused, the files stay byte for byte."""
    before = _data_files(folder)
    changed = tmp_path / "drill.yaml"
    changed.write_text(driver.SCENARIO.read_text(encoding="utf-8").replace("T+600m", "T+610m"), encoding="utf-8")
    for extra in (["--check"], []):
        out = cyclesim("resume", folder, "--scenario", changed, *extra)
        assert out.returncode == 2, out.stderr
        assert "scenario changed since the session started" in out.stderr and "Traceback" not in out.stderr
        assert _data_files(folder) == before


def _in_use_by(folder: Path, pid: int) -> None:
    """While process ``pid`` holds the session, nobody else may open it, and the listing says so."""
    for args in (("resume", folder, "--check"), ("resume", folder)):
        out = cyclesim(*args)
        assert out.returncode == 2 and "in use by another running cyclesim" in out.stderr, out.stderr
        assert f"pid {pid}" in out.stderr and "Traceback" not in out.stderr
    with pytest.raises(SessionError, match="in use by another running cyclesim"):
        Session.resume(folder)
    listed = {r["name"]: r for r in json.loads(cyclesim("sessions", "--dir", folder.parent, "--json").stdout)}
    assert listed[folder.name]["state"] == "in use"


def test_sigkill_at_fourteen_points_then_resume_gives_the_uninterrupted_journal(tmp_path, fork_server):
    reference = _uninterrupted(fork_server, tmp_path)
    loaded = load(driver.SCENARIO)
    plain = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=driver.SEED)
    driver.play(plain, 0, 0)
    assert plain.journal.export_hash() == reference.export_hash(), "the store changed the journal"

    folder, ack = tmp_path / "killed", tmp_path / "killed.ack"
    points, mid_step, contended = [], 0, False
    for n, (actions, delay_ms, pause_ms) in enumerate(KILLS):
        stall = -1
        if actions is None:
            done = len(_stored(folder))
            stall = next(r.seq for r in reference[done + 2:-1]
                         if r.kind == "inject.released" and reference[r.seq + 1].kind == "message.sent")
        proc = _start(fork_server, folder, ack, "new" if n == 0 else "resume", pause_ms, stall)
        acked = _wait_for(proc, ack, actions)
        if actions is None and not contended:  # it holds the session, has written to it, and hangs there
            _in_use_by(folder, proc.pid)
            contended = True
        time.sleep(delay_ms / 1000)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, (f"kill {n} {KILLS[n]}: the driver finished before the kill "
                                                    f"(exit {proc.returncode}); give it a longer pause there")
        if n == 0:
            _refuses_a_changed_scenario(folder, tmp_path)
        records = _stored(folder)
        # nothing acknowledged is lost: the ack was written after those commits returned
        assert len(records) >= acked["records"]
        assert sum(r.kind in ("decision.submitted", "observation.noted") or r.kind.startswith("facilitator.")
                   for r in records) >= acked["actions"]
        # the stored prefix is exactly the uninterrupted run's prefix (so nobody but the driver wrote)
        assert [r.line() for r in records] == [r.line() for r in reference[:len(records)]]
        # the kernel dropped the lock with the process: the session opens again
        session, resumed = Session.resume(folder, check_only=True)
        session.close()
        if actions is None:
            assert len(records) == stall + 1 and resumed.completed > 0, "the rebuild must finish the cut step"
        mid_step += resumed.completed > 0
        points.append(len(records))
    assert contended

    proc = _start(fork_server, folder, ack, "resume")
    assert proc.wait(timeout=60) == 0, proc.stderr()
    final = Journal(_stored(folder))
    assert len(final) == len(reference)
    assert final.export_hash() == reference.export_hash()
    assert len(set(points)) >= 10, f"kills landed at too few distinct points: {points}"
    assert mid_step >= 2
    print(f"\nkill points (records in store): {points}; {mid_step} kills cut a step half-way")
