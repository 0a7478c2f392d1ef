"""A live session's forecast child: lower priority, and stopped with its workers when its asker dies.

The host and the console start ``cyclesim forecast --background`` in a process
group of its own, so a SIGKILL of the host (which runs no cleanup) used to leave
the futures playing on every core for up to 15 minutes. The child now watches
its standard input, a pipe only the asker holds: at its end, it stops its group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

from simulator.commands.common import scenario_path
from simulator.engine.exercise import Exercise
from simulator.forecast_child import command, stop_when_closed
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session


def test_the_watch_stops_at_the_end_of_its_stream_not_before():
    read_end, write_end = os.pipe()
    stopped = threading.Event()
    watch = threading.Thread(target=stop_when_closed, args=(read_end, stopped.set), daemon=True)
    watch.start()
    try:
        os.write(write_end, b"still here\n")
        assert not stopped.wait(0.3), "stopped while the asker still held the pipe"
        os.close(write_end)
        assert stopped.wait(5), "not stopped when the asker's end closed"
    finally:
        os.close(read_end)


def _group_gone(pgid: int) -> bool:
    for _ in range(200):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        alive = [pid for pid in os.listdir("/proc") if pid.isdigit() and _in_group(int(pid), pgid)]
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _in_group(pid: int, pgid: int) -> bool:
    """A live member of the group (a zombie waiting for init does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and int(fields[2]) == pgid


def test_a_background_forecast_stops_with_its_workers_when_the_asker_goes(tmp_path):
    loaded = load(scenario_path("tutorial"))
    s = Session.create(loaded, 4, tmp_path / "sess")
    Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=4, journal=s.journal).run(until=60)
    s.close()
    argv = command(tmp_path / "sess", tmp_path / "out", 2000, 30 * 24 * 60, "doctrine")
    assert argv[-1] == "--background"
    child = subprocess.Popen(argv + ["--workers", "2"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(400):  # until the pool has forked its workers: more than the child in its group
            members = [p for p in os.listdir("/proc") if p.isdigit() and _in_group(int(p), child.pid)]
            if len(members) > 1 or child.poll() is not None:
                break
            time.sleep(0.05)
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert len(members) > 1, "the forecast's pool never started"
        assert os.getpriority(os.PRIO_PROCESS, child.pid) >= os.getpriority(os.PRIO_PROCESS, 0) + 10
        assert (tmp_path / "out").is_dir(), "the forecast has not started writing"
        child.stdin.close()  # what the kernel does for a host killed by SIGKILL
        assert child.wait(10) == -signal.SIGKILL
        assert _group_gone(child.pid), "a pool worker of the forecast outlived its asker"
        assert not (tmp_path / "out").exists(), "the half-written forecast stayed in the session"
        assert "standard input closed" in child.stderr.read().decode()
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def _session(tmp_path):
    loaded = load(scenario_path("tutorial"))
    s = Session.create(loaded, 4, tmp_path / "sess")
    Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=4, journal=s.journal).run(until=60)
    s.close()
    return tmp_path / "sess"


def test_a_stopped_background_forecast_leaves_a_folder_it_did_not_make_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("the planner's own notes\n")
    argv = command(_session(tmp_path), out, 2000, 30 * 24 * 60, "doctrine")
    child = subprocess.Popen(argv + ["--workers", "1"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(400):  # until the forecast writes into the folder
            if (out / "runs.csv").exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert (out / "runs.csv").exists(), child.stderr.read().decode() if child.stderr else ""
        child.stdin.close()
        assert child.wait(10) == -signal.SIGKILL
        assert (out / "notes.txt").read_text() == "the planner's own notes\n", "a folder the forecast did not make was removed"
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def test_a_background_forecast_of_a_missing_session_says_so_and_exits_2(tmp_path):
    out = tmp_path / "out"
    argv = command(tmp_path / "no-session", out, 5, 60, "doctrine")
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert done.returncode == 2, done.stderr.decode()
    assert "no-session" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
