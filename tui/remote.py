"""The remote driver: a seat app's link to a host, in place of the in-process engine.

:class:`RemoteDriver` runs a :class:`~simulator.host.client.SeatClient` on
the app's own asyncio loop and turns each host message into a Textual
message (:class:`HostMessage`) posted to the app: the app never waits on the
network, and every input goes out through :meth:`RemoteDriver.send`.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from simulator.errors import SimulatorError
from simulator.host.client import SeatClient


@dataclass
class HostMessage(Message):
    """One message from the host (already de-duplicated and in order)."""

    msg: dict[str, Any]


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

    def start(self, app) -> None:
        self.client = SeatClient(self.url, self.seat, self._token, ssl=self._ssl, wait=self._wait,
                                 on_message=lambda m: app.post_message(HostMessage(m)),
                                 on_state=lambda s: app.post_message(LinkState(s)))
        app.run_worker(self._run(app), exclusive=True, group="host", exit_on_error=False)

    async def _run(self, app) -> None:
        assert self.client is not None
        try:
            await self.client.run()
            app.post_message(HostGone("the host ended the session", 0))
        except SimulatorError as e:
            app.post_message(HostGone(str(e), e.exit_code))

    def send(self, frame: dict[str, Any]) -> str:
        """Queue a frame for the host; returns its ref (the answer carries it)."""
        ref = frame.get("ref") or f"u{next(self._refs)}"
        if self.client is not None:
            asyncio.ensure_future(self.client.send({**frame, "ref": ref}))
        return ref

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
