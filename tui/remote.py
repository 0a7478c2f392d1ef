"""The remote driver: a seat app's link to a host, in place of the in-process engine.

:class:`RemoteDriver` runs a :class:`~simulator.host.client.SeatClient` on
the app's own asyncio loop and queues the host's messages; when the queue
fills from empty it posts one :class:`HostMessages` to the app, which takes
everything queued by then (:meth:`RemoteDriver.take`). A seat joining a long
session is sent thousands of records at once: one Textual message, one
update of the screen for all of those that arrived together, instead of one
each. The app never waits on the network, and every input goes out through
:meth:`RemoteDriver.send`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from simulator.errors import SimulatorError
from simulator.host.client import SeatClient


class HostMessages(Message):
    """Messages from the host are waiting: take them with :meth:`RemoteDriver.take` (in order, de-duplicated)."""


@dataclass
class HostGone(Message):
    """The link ended: refused (exit 2), unreachable (exit 1) or the host said bye (exit 0)."""

    reason: str
    code: int


@dataclass
class LinkState(Message):
    state: str


class RemoteDriver:
    """Connects one seat and relays both ways; start it once the app is running."""

    def __init__(self, url: str, seat: str, token: str, *, ssl: Any = None, wait: float = 10.0):
        self.url, self.seat = url, seat
        self._token, self._ssl, self._wait = token, ssl, wait
        self._refs = itertools.count(1)
        self.client: SeatClient | None = None
        self._waiting: deque[dict[str, Any]] = deque()

    def start(self, app) -> None:
        def arrived(msg: dict[str, Any]) -> None:
            self._waiting.append(msg)
            if len(self._waiting) == 1:  # the app is told once; it takes whatever has come by then
                app.post_message(HostMessages())

        self.client = SeatClient(self.url, self.seat, self._token, ssl=self._ssl, wait=self._wait,
                                 on_message=arrived, on_state=lambda s: app.post_message(LinkState(s)))
        app.run_worker(self._run(app), exclusive=True, group="host", exit_on_error=False)

    async def _run(self, app) -> None:
        assert self.client is not None
        try:
            await self.client.run()
            app.post_message(HostGone("the host ended the session", 0))
        except SimulatorError as e:
            app.post_message(HostGone(str(e), e.exit_code))

    def take(self) -> list[dict[str, Any]]:
        """The host's messages that arrived since the last take, oldest first."""
        msgs = list(self._waiting)
        self._waiting.clear()
        return msgs

    def send(self, frame: dict[str, Any]) -> str:
        """Queue a frame for the host; returns its ref (the answer carries it)."""
        ref = frame.get("ref") or f"u{next(self._refs)}"
        if self.client is not None:
            asyncio.ensure_future(self.client.send({**frame, "ref": ref}))
        return ref

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
