"""The forecast's child process: stopped whole, pool workers included, when it is late or its asker goes away.

``cyclesim forecast`` plays its futures in a pool of forked workers; they hold
the child's stdout and stderr. Killing the child alone left them running as
orphans, and waiting for the child never ended (asyncio waits for its pipes
too), so the host kept refusing forecasts as 'already running'. The stand-in
child below forks one such worker and sleeps.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest

from simulator import forecast_child
from simulator.forecast_child import ForecastFailed, run_forecast

CHILD = """
import os, subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open(sys.argv[1], "w").write(str(worker.pid))
time.sleep(60)
"""


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    pid_file = tmp_path / "worker.pid"
    monkeypatch.setattr(forecast_child, "command", lambda *a: [sys.executable, "-c", CHILD, str(pid_file)])
    return pid_file


def _worker_gone(pid_file) -> bool:
    pid = int(pid_file.read_text())
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie until its parent (already gone) is reaped by init: look at its state
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    os.kill(pid, 9)
    return False


async def _started(pid_file) -> None:
    for _ in range(200):
        if pid_file.is_file() and pid_file.read_text():
            return
        await asyncio.sleep(0.05)


async def test_a_late_forecast_is_stopped_with_its_workers_and_leaves_no_folder(stand_in, tmp_path):
    out = tmp_path / "forecasts" / "T0100-1"
    out.mkdir(parents=True)
    (out / "runs.csv").write_text("run,seed\n1,1\n", encoding="utf-8")  # what a stopped child had written
    asking = asyncio.ensure_future(run_forecast(tmp_path, out, 1, 60, "doctrine", timeout=1))
    with pytest.raises(ForecastFailed, match="stopped after"):
        await asyncio.wait_for(asking, 20)
    assert _worker_gone(stand_in), "a pool worker of the stopped forecast is still running"
    assert not out.exists() and (tmp_path / "forecasts").is_dir(), "the half-written forecast is still there"


async def test_a_cancelled_forecast_stops_its_workers(stand_in, tmp_path):
    asking = asyncio.ensure_future(run_forecast(tmp_path, tmp_path / "out", 1, 60, "doctrine"))
    await _started(stand_in)
    asking.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asking
    assert _worker_gone(stand_in), "a pool worker of the cancelled forecast is still running"


async def test_a_child_that_cannot_start_is_a_failed_forecast(tmp_path, monkeypatch):
    """The host announces a failure and the console shows one; an OSError would end the console's worker (and app)."""
    monkeypatch.setattr(forecast_child, "command", lambda *a: [str(tmp_path / "no-such-python")])
    with pytest.raises(ForecastFailed, match="could not start"):
        await run_forecast(tmp_path, tmp_path / "out", 1, 60, "doctrine")


def test_the_child_does_not_import_from_the_working_directory(tmp_path):
    """``python -m`` puts the working directory first on sys.path: a 'simulator' (or 'json') there ran instead."""
    import subprocess

    from simulator.forecast_child import command

    planted = tmp_path / "simulator"
    planted.mkdir()
    (planted / "__init__.py").write_text("", encoding="utf-8")
    (planted / "__main__.py").write_text("open('PLANTED', 'w').close()\n", encoding="utf-8")
    argv = [a for a in command(tmp_path / "no-session", tmp_path / "out", 1, 60, "doctrine") if a != "--background"]
    done = subprocess.run(argv, cwd=tmp_path,
                          capture_output=True, timeout=60)
    assert not (tmp_path / "PLANTED").exists(), "the child ran a module from the host's working directory"
    assert done.returncode == 2, done.stderr  # the real cyclesim: no such session
