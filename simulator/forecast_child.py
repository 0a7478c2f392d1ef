"""A forecast played in a child process: ``cyclesim forecast SESSION --json`` beside a running exercise.

The host (for a facilitator seat) and the terminal UI (for its facilitator
console) both need the futures of the session they are writing without
stopping the clock: a child process plays them on every core and prints one
JSON summary (the percentile table as lines, the annex text, the frame). The
result is exactly what the command gives on the saved session.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from simulator.errors import SimulatorError

TIMEOUT = 15 * 60
"""Seconds a forecast may take before it is stopped (2,000 futures of a long storyline take minutes)."""
FIELDS = ("runs", "policy", "fork_at", "until", "lines", "table", "annex")


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
            "--horizon", f"{horizon}m", "--policy", policy, "--out", str(out), "--no-progress", "--json"]


async def run_forecast(session: Path, out: Path, runs: int, horizon: int, policy: str,
                       timeout: float = TIMEOUT) -> dict[str, Any]:
    """Play the forecast in a child process and return its summary (FIELDS); ForecastFailed otherwise."""
    try:
        proc = await asyncio.create_subprocess_exec(*command(session, out, runs, horizon, policy),
                                                    stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ForecastFailed(f"the forecast could not start: {e.strerror or e}") from None
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        _kill(proc)
        await proc.wait()
        raise ForecastFailed(f"stopped after {timeout / 60:g} minutes: ask for fewer runs or a shorter horizon") from None
    except asyncio.CancelledError:
        _kill(proc)
        raise
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
