"""A forecast played in a child process: ``cyclesim forecast SESSION --json`` beside a running exercise.

The host (for a facilitator seat) and the terminal UI (for its facilitator
console) both need the futures of the session they are writing without
stopping the clock: a child process plays them on every core and prints one
JSON summary (the percentile table as lines, the annex text, the frame). The
result is exactly what the command gives on the saved session.

The child runs with ``--background``: at a lower CPU priority than the exercise
beside it, and stopped with its pool workers when its standard input closes,
which happens when the host or console that asked dies, even by SIGKILL (it
holds the other end of that pipe and nothing else does). A forecast that fails
or is stopped leaves no half-written folder in the session.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from simulator.errors import SimulatorError

TIMEOUT = 15 * 60
"""Seconds a forecast may take before it is stopped (2,000 futures of a long storyline take minutes)."""
FIELDS = ("runs", "policy", "fork_at", "until", "lines", "table", "annex")
NICENESS = 10
"""How much lower the child's CPU priority is than the exercise it forecasts (Unix ``nice``)."""


class ForecastFailed(SimulatorError):
    """The child process failed, was stopped, or printed no summary; the message says which."""


def new_folder(session: Path, now: int) -> Path:
    """A folder of its own for a forecast forked at minute ``now``: ``forecasts/Thhmm-N``, made now.

    N is the first number free at that minute, so a resumed session (whose host or console
    counts its forecasts from 1 again) keeps the forecasts made before it stopped. ForecastFailed
    when the folder cannot be made.
    """
    base = session / "forecasts"
    n = 1
    while True:
        folder = base / f"T{now // 60:02d}{now % 60:02d}-{n}"
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            n += 1
            continue
        except OSError as e:
            raise ForecastFailed(f"no folder for the forecast in {base}: {e.strerror or e}") from None
        return folder


def command(session: Path, out: Path, runs: int, horizon: int, policy: str) -> list[str]:
    """The child's command line (``horizon`` in minutes).

    ``-P``: ``python -m`` would put the host's working directory first on ``sys.path``, and a
    ``simulator`` or ``json`` found there would run in place of cyclesim's own.
    """
    return [sys.executable, "-P", "-m", "simulator", "forecast", str(session), "--runs", str(runs),
            "--horizon", f"{horizon}m", "--policy", policy, "--out", str(out), "--no-progress", "--json",
            "--background"]


async def run_forecast(session: Path, out: Path, runs: int, horizon: int, policy: str,
                       timeout: float = TIMEOUT) -> dict[str, Any]:
    """Play the forecast in a child process and return its summary (FIELDS); ForecastFailed otherwise.

    ``out`` (made by :func:`new_folder`) is removed again when the forecast fails or is cancelled.
    """
    try:
        return await _play(session, out, runs, horizon, policy, timeout)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


async def _play(session: Path, out: Path, runs: int, horizon: int, policy: str, timeout: float) -> dict[str, Any]:
    try:
        proc = await asyncio.create_subprocess_exec(*command(session, out, runs, horizon, policy),
                                                    stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ForecastFailed(f"the forecast could not start: {e.strerror or e}") from None
    assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
    try:  # not communicate(): it would close the child's stdin, which tells the child we are gone
        stdout, stderr, _ = await asyncio.wait_for(asyncio.gather(proc.stdout.read(), proc.stderr.read(), proc.wait()),
                                                   timeout)
    except TimeoutError:
        _kill(proc)
        await proc.wait()
        raise ForecastFailed(f"stopped after {timeout / 60:g} minutes: ask for fewer runs or a shorter horizon") from None
    except asyncio.CancelledError:
        _kill(proc)
        raise
    finally:
        proc.stdin.close()
    if proc.returncode != 0:
        last = (stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ForecastFailed(f"the forecast failed (exit {proc.returncode}): {last[0][:300]}")
    try:
        summary = json.loads(stdout.decode("utf-8"))
        return {k: summary[k] for k in FIELDS}
    except (ValueError, KeyError, TypeError) as e:
        raise ForecastFailed(f"the forecast's summary could not be read ({e})") from None


def _kill(proc: asyncio.subprocess.Process) -> None:
    """Stop the child and the pool workers it forked: its own process group (``start_new_session``).

    Killing the child alone leaves its workers running as orphans, and they hold
    its stdout and stderr: waiting for the child would never end.
    """
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_in_background(out: Path | None = None) -> None:
    """Make this process the background forecast of a live session (``cyclesim forecast --background``).

    Lowers its CPU priority (its pool workers inherit it) so the exercise's clock and seats
    keep theirs, leads a process group of its own, and stops that group, pool workers
    included, once standard input reaches its end: the asker closed it or died. Its
    ``--out`` folder, half written, goes with it (the asker may not be there to remove it),
    but only when the forecast is all it holds: a folder that was missing or empty when the
    forecast started (the asker's :func:`new_folder`). A folder with anything else in it stays.
    """
    ours = out if out is not None and _missing_or_empty(out) else None
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):
        pass  # no nice on this platform, or not allowed: play at normal priority
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:
            pass  # already a process group leader (the asker started us in a session of our own)
    threading.Thread(target=stop_when_closed, args=(0, lambda: _stop_group(ours)), name="asker-watch",
                     daemon=True).start()


def _missing_or_empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except FileNotFoundError:
        return True
    except OSError:
        return False  # not a folder we can read: not ours to remove


def stop_when_closed(fd: int, stop) -> None:
    """Read file descriptor ``fd`` until its end, then call ``stop``: the asker holds the only writing end.

    ``os.read``, not ``sys.stdin``: a daemon thread blocked inside a buffered reader's lock
    makes the interpreter abort at exit.
    """
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    stop()


def _stop_group(out: Path | None) -> None:
    sys.stderr.write("cyclesim forecast: standard input closed (--background): stopped\n")
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
    if hasattr(os, "killpg") and os.getpgrp() == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)  # this process too: the asker sees -SIGKILL
    os._exit(130)  # not a group leader (no setsid here): stop this process alone
