"""A seat's side of the protocol: connect, catch up, stay in order, reconnect.

:class:`SeatClient` is what ``cyclesim join`` (the Textual UI and ``--jsonl``)
runs inside its asyncio loop. It remembers the last journal ``seq`` it
received; on every (re)connection it says so in its hello, and drops any
record at or below it, so across reconnects a seat sees each record once,
in order. A refused hello (wrong token, unknown seat, other version) is
final: :class:`JoinRefused`, no retry. A lost connection is retried with a
growing pause.
"""

from __future__ import annotations

import asyncio
import json
import ssl as ssl_lib
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from simulator.errors import InputError, SimulatorError
from simulator.host import protocol as P


class JoinRefused(InputError):
    """The host refused this seat (exit 2: the token, seat or version is wrong)."""


class HostUnreachable(SimulatorError):
    """No host answered at the URL within the time allowed (exit 1)."""


Handler = Callable[[dict[str, Any]], Awaitable[None] | None]


class SeatClient:
    """One seat's connection to a host, kept up until :meth:`close`."""

    def __init__(self, url: str, seat: str, token: str, *, on_message: Handler, since: int = -1,
                 ssl: ssl_lib.SSLContext | None = None, reconnect: bool = True, wait: float = 10.0,
                 on_state: Callable[[str], None] | None = None):
        self.url, self.seat, self._token = url, seat, token
        self.on_message = on_message
        self.last_seq = since
        self.ssl = ssl
        self.reconnect = reconnect
        self.wait = wait
        self.on_state = on_state
        self.welcome: dict[str, Any] | None = None
        self.connected = asyncio.Event()
        self._ws: ClientConnection | None = None
        self._closing = False
        self.connections = 0
        self.dropped_duplicates = 0
        self.raw = ""
        """The text of the message being delivered (the host's compact JSON), for clients that pass it on."""

    async def run(self) -> None:
        """Connect and deliver messages until closed, the host says bye, or a refusal."""
        pause, first = 0.1, True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        while not self._closing:
            try:
                async with connect(self.url, ssl=self.ssl if self.url.startswith("wss:") else None,
                                   max_size=None, open_timeout=5, close_timeout=1) as ws:
                    self._ws = ws
                    await ws.send(P.encode({"type": "hello", "v": P.VERSION, "seat": self.seat, "token": self._token,
                                            "since": self.last_seq}))
                    if await self._read(ws) == "stop":
                        return
                pause = 0.1
            except JoinRefused:
                raise
            except InvalidURI as e:
                raise InputError(f"not a WebSocket URL: {e}") from None
            except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError) as e:
                if first and loop.time() > deadline:
                    raise HostUnreachable(f"no cyclesim host answered at {self.url}: {e}") from None
            finally:
                self._ws = None
                self.connected.clear()
            first = self.connections == 0
            if self._closing or (not first and not self.reconnect):
                return
            self._state("reconnecting")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)
            if not first:
                deadline = loop.time() + 3600  # once joined, keep trying while the host restarts

    async def _read(self, ws: ClientConnection) -> str:
        async for raw in ws:
            self.raw = raw if isinstance(raw, str) else ""
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(msg, dict):
                continue
            kind = msg.get("type")
            if kind == "refused":
                raise JoinRefused(f"the host at {self.url} refused seat {self.seat}: {msg.get('reason', '')}")
            if kind == "welcome":
                self.welcome = msg
                self.connections += 1
                self.connected.set()
                self._state("connected")
            elif kind == "record":
                seq = msg.get("seq")
                if not isinstance(seq, int) or seq <= self.last_seq:
                    self.dropped_duplicates += 1
                    continue
                self.last_seq = seq
            elif kind == "bye":
                await self._deliver(msg)
                self._closing = True
                return "stop"
            await self._deliver(msg)
        return "lost"

    async def _deliver(self, msg: dict) -> None:
        result = self.on_message(msg)
        if asyncio.iscoroutine(result):
            await result

    def _state(self, state: str) -> None:
        if self.on_state is not None:
            self.on_state(state)

    async def send(self, frame: dict[str, Any], timeout: float = 10.0) -> bool:
        """Send a frame once connected; False if no connection came up in time."""
        try:
            await asyncio.wait_for(self.connected.wait(), timeout)
        except TimeoutError:
            return False
        ws = self._ws
        if ws is None:
            return False
        try:
            await ws.send(P.encode(frame))
            return True
        except ConnectionClosed:
            return False

    async def close(self) -> None:
        self._closing = True
        ws = self._ws
        if ws is not None:
            await ws.close()


def client_ssl(cafile: str | None, insecure: bool = False) -> ssl_lib.SSLContext:
    """TLS settings for wss:// URLs: the system's CAs, or the host's own certificate (--cafile)."""
    ctx = ssl_lib.create_default_context(cafile=cafile)
    if insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl_lib.CERT_NONE
    return ctx
