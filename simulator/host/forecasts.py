"""Forecasts asked for by a facilitator seat, played beside the host without slowing it.

A ``forecast`` frame (facilitator only) runs ``cyclesim forecast`` on the
session the host is writing, in a child process: the host keeps serving seats
and driving the clock while hundreds of futures play, the futures use every
core, and the result is exactly what the command gives on the saved session.
One forecast at a time; it is written into the session folder
(``forecasts/T+hhmm``, with its page), and its summary goes to the facilitator
seats as a ``forecast`` frame: the percentile table and the text of an annex
the facilitator may send to a team with an assessment.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.timefmt import format_time

TIMEOUT = 15 * 60
"""Seconds a forecast may take before it is stopped (2,000 futures of a three-week storyline take minutes)."""


class Forecasts:
    """The forecasts of one host: at most one running, each announced to the facilitator seats."""

    def __init__(self, session: Any, now: Callable[[], int], announce: Callable[[dict], None],
                 log: Callable[[str], None]):
        self.session = session
        self.now = now
        self.announce = announce
        self.log = log
        self.running: asyncio.Task | None = None
        self.count = 0

    def request(self, runs: int, horizon: int, policy: str) -> tuple[bool, list[str], dict]:
        """Start a forecast now; the answer says which one, the ``forecast`` frame comes when it is done."""
        if self.session is None or getattr(self.session, "path", None) is None:
            return False, ["this host keeps no session on disk: there is nothing to fork a forecast from"], {}
        if self.running is not None and not self.running.done():
            return False, ["a forecast is already running; its result comes as a 'forecast' frame"], {}
        now = self.now()
        self.session.mark_clock(now)  # the fork is where the clock stands, not only the last record
        self.count += 1
        ident = self.count
        folder = Path(self.session.path) / "forecasts" / f"T{now // 60:02d}{now % 60:02d}-{ident}"
        self.running = asyncio.get_running_loop().create_task(self._run(ident, folder, runs, horizon, policy))
        return True, [], {"forecast": ident, "fork_at": format_time(now)}

    async def _run(self, ident: int, folder: Path, runs: int, horizon: int, policy: str) -> None:
        args = [sys.executable, "-m", "simulator", "forecast", str(self.session.path), "--runs", str(runs),
                "--horizon", f"{horizon}m", "--policy", policy, "--out", str(folder), "--no-progress", "--json"]
        proc = await asyncio.create_subprocess_exec(*args, stdin=asyncio.subprocess.DEVNULL,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            self._failed(ident, f"stopped after {TIMEOUT // 60} minutes: ask for fewer runs or a shorter horizon")
            return
        except asyncio.CancelledError:
            proc.kill()
            raise
        if proc.returncode != 0:
            last = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            self._failed(ident, f"the forecast failed (exit {proc.returncode}): {last[0][:300]}")
            return
        try:
            summary = json.loads(out.decode("utf-8"))
            fields = {k: summary[k] for k in ("runs", "policy", "fork_at", "until", "lines", "annex")}
        except (ValueError, KeyError, TypeError) as e:
            self._failed(ident, f"the forecast's summary could not be read ({e})")
            return
        relative = folder.relative_to(Path(self.session.path))
        self.log(f"forecast {ident}: {fields['runs']} futures from {fields['fork_at']} in {relative}")
        self.announce({"type": "forecast", "id": ident, "ok": True, **fields, "folder": str(relative)})

    def _failed(self, ident: int, reason: str) -> None:
        self.log(f"forecast {ident}: {reason}")
        self.announce({"type": "forecast", "id": ident, "ok": False, "reason": reason})

    def cancel(self) -> None:
        if self.running is not None and not self.running.done():
            self.running.cancel()
