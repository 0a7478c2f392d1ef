"""Forecasts asked for by a facilitator seat, played beside the host without slowing it.

A ``forecast`` frame (facilitator only) runs ``cyclesim forecast`` on the
session the host is writing, in a child process: the host keeps serving seats
and driving the clock while hundreds of futures play, the futures use every
core, and the result is exactly what the command gives on the saved session.
One forecast at a time; it is written into the session folder
(``forecasts/Thhmm-N``, with its page), and its summary goes to the facilitator
seats as a ``forecast`` frame (kept for the next facilitator seat to join when none is
connected): the percentile table and the text of an annex
the facilitator may send to a team with an assessment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.forecast_child import ForecastFailed, new_folder, run_forecast
from simulator.timefmt import format_time


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
        try:
            folder = new_folder(Path(self.session.path), now)
        except ForecastFailed as e:
            return False, [str(e)], {}
        self.session.mark_clock(now)  # the fork is where the clock stands, not only the last record
        self.count += 1
        ident = self.count
        self.running = asyncio.get_running_loop().create_task(self._run(ident, folder, runs, horizon, policy))
        return True, [], {"forecast": ident, "fork_at": format_time(now)}

    async def _run(self, ident: int, folder: Path, runs: int, horizon: int, policy: str) -> None:
        try:
            fields = await run_forecast(Path(self.session.path), folder, runs, horizon, policy)
        except ForecastFailed as e:
            self._failed(ident, str(e))
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
