"""The session host: the only writer of a session, serving seats over WebSockets.

:class:`Host` owns the exercise (and its session store, through the
exercise's journal), advances the clock with a :class:`Pacer`, and serves the
protocol of :mod:`simulator.host.protocol`. Every journal record is passed
through :class:`SeatFilter` once per connected seat, in the same call that
appended it, and queued on that seat's socket; a seat that joins or rejoins
gets the records after the ``since`` it names from the journal itself, in the
same synchronous step that registers it, so no record can fall between the
catch-up and the live stream.

Hostile or broken clients are refused with a reason and recorded (the
facilitator's seat gets an ``alert``; the session folder's
``host-events.jsonl`` keeps them): wrong or missing tokens, a token of another
seat, malformed or oversized frames, frames a seat's role may not send,
decisions for another team, floods. None of it touches the engine. Tokens
are never written to a log or sent back.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from simulator.engine.exercise import Exercise
from simulator.errors import InputError, SimulatorError
from simulator.host import protocol as P
from simulator.host.forecasts import Forecasts
from simulator.host.pacing import MAX, Pacer, Speed
from simulator.host.seats import Seat, SeatFilter, seats_of
from simulator.host.tokens import matches
from simulator.journal.journal import Record

TICK = 0.02
"""Seconds between clock ticks of the host loop."""
HELLO_TIMEOUT = 5.0
MAX_CONNECTIONS = 256
MAX_BACKLOG = 50_000
"""Frames queued for one seat before the host drops the connection (the seat reconnects and catches up)."""
RATE = 50.0
BURST = 100.0
"""Token bucket per connection: frames per second, and the burst allowed."""
MAX_DROPPED = 200
MAX_BAD = 20
"""Refused frames (flood, malformed) a connection may send before it is closed."""
CLOCK_EVERY = 0.5
"""Seconds between clock frames while the clock moves."""
ALERTS_KEPT = 100

CLOSE_REFUSED = 4403
CLOSE_POLICY = 1008


@dataclass
class SeatStatus:
    """Who is connected to a seat, for the facilitator's comm check."""

    connections: int = 0
    last_seen: float | None = None
    acked: int = 0
    """The comm check id the seat acknowledged last (0: none)."""
    peer: str = ""


@dataclass(eq=False)
class Conn:
    """One connected client."""

    ws: ServerConnection
    seat: Seat
    peer: str
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)
    tokens: float = BURST
    refill: float = 0.0
    dropped: int = 0
    bad: int = 0
    closing: bool = False

    def put(self, frame: str) -> None:
        if self.closing:
            return
        if self.queue.qsize() >= MAX_BACKLOG:
            self.closing = True
            asyncio.ensure_future(self.ws.close(1013, "too far behind: reconnect to catch up"))
            return
        self.queue.put_nowait(frame)


class Host:
    """Serves one exercise to its seats. Run :meth:`serve`; :meth:`stop` ends it."""

    def __init__(self, exercise: Exercise, tokens: dict[str, str], *, session: Any = None,
                 host: str = "127.0.0.1", port: int = 8765, ssl: Any = None, speed: Speed = 60.0,
                 autostart: bool = False, events_path: Path | None = None, linger: float | None = None,
                 log: Callable[[str], None] | None = None, wall: Callable[[], float] = time.time):
        self.ex = exercise
        self.plan = exercise.plan
        self.session = session
        self.seats = seats_of(self.plan)
        missing = [s for s in self.seats if s not in tokens]
        if missing:
            raise InputError(f"no join token for seat(s) {', '.join(missing)}")
        self._tokens = dict(tokens)
        self.host, self.port, self.ssl = host, port, ssl
        self.pacer = Pacer(exercise, speed=speed)
        self.filter = SeatFilter(self.plan)
        for record in exercise.journal:
            self.filter.learn(record)
        self.started = autostart or exercise.now > 0 or bool(exercise.journal.inputs())
        if autostart:
            self.pacer.run()
        self.events_path = events_path
        self.linger = linger
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.wall = wall
        self.conns: set[Conn] = set()
        self.status: dict[str, SeatStatus] = {name: SeatStatus() for name in self.seats}
        self.commcheck = 0
        self.alerts: deque[dict] = deque(maxlen=ALERTS_KEPT)
        self.url = ""
        self.cafile: str | None = None
        """The certificate browser seats (--web) trust when the host serves TLS."""
        self._stop: asyncio.Event | None = None  # made in serve(), inside the loop
        self._last_clock = 0.0
        self._clock_sent: tuple = ()
        self._ended_at: float | None = None
        self._held: list[tuple[Conn, str]] | None = None
        self.forecasts = Forecasts(session, lambda: int(self.ex.now), self._announce_forecast, self.log)
        self._unseen_forecast: dict | None = None
        """A forecast that finished while no facilitator seat was connected: the next one to join gets it."""
        exercise.journal.subscribe(self._on_record)

    # ------------------------------------------------------------ running
    async def serve(self, ready: Callable[[str], None] | None = None) -> None:
        """Listen, drive the clock and serve seats until :meth:`stop` (or the linger after the end)."""
        self._stop = asyncio.Event()
        async with serve(self._handler, self.host, self.port, ssl=self.ssl, max_size=P.MAX_FRAME, max_queue=16,
                         ping_interval=20, ping_timeout=20, close_timeout=2) as server:
            sock = next(iter(server.sockets))
            self.port = sock.getsockname()[1]
            self.url = f"{'wss' if self.ssl else 'ws'}://{self.host}:{self.port}"
            if ready is not None:
                ready(self.url)
            clock = asyncio.create_task(self._clock_loop())
            try:
                await self._stop.wait()
            finally:
                clock.cancel()
                self.forecasts.cancel()
                for conn in list(self.conns):
                    conn.put(P.encode({"type": "bye", "reason": "the host is shutting down"}))
                await asyncio.sleep(0.05)
                server.close()

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    async def _clock_loop(self) -> None:
        while True:
            try:
                with self._committed():
                    self.pacer.tick()
                    if self.session is not None and hasattr(self.session, "mark_clock"):
                        self.session.mark_clock(self.ex.now)
            except Exception as e:  # an engine or store failure must not silently stop the clock: pause and say so
                self.pacer.pause()
                self.log(f"cyclesim serve: the clock is paused: {type(e).__name__}: {e}")
                self._alert("engine.error", None, "", f"the clock is paused: {e}")
            self._maybe_send_clock()
            if self.ex.ended and self.linger is not None:
                if self._ended_at is None:
                    self._ended_at = time.monotonic()
                elif time.monotonic() - self._ended_at >= self.linger:
                    self.stop()
                    return
            await asyncio.sleep(TICK)

    # ------------------------------------------------------------ records out
    @contextmanager
    def _committed(self):
        """One transaction for a clock tick's records; seats get them only once it is committed.

        A tick at high speed appends hundreds of records; committing each on
        its own (one sync to disk each) would hold the loop, and every seat's
        frames, for seconds. Inputs from seats are not inside: they are
        committed on their own, as they come.
        """
        store = getattr(self.session, "store", None)
        batch = getattr(store, "batch", None)
        if batch is None:
            yield
            return
        self._held = []
        try:
            with batch():
                yield
        except BaseException:
            self._held = None  # not committed: nobody may see them
            raise
        held, self._held = self._held, None
        for conn, frame in held:
            conn.put(frame)

    def _on_record(self, record: Record) -> None:
        """Called as each record is journalled: filter it for every seat and queue it (after the commit)."""
        self.filter.learn(record)
        if not self.conns:
            return
        at = self.wall()
        cache: dict[str, str] = {}
        for conn in self.conns:
            key = conn.seat.name
            frame = cache.get(key)
            if frame is None:
                view = self.filter.view(conn.seat, record)
                frame = "" if view is None else P.encode({**view, "type": "record", "at": at})
                cache[key] = frame
            if frame:
                if self._held is not None:
                    self._held.append((conn, frame))
                else:
                    conn.put(frame)

    def _clock_frame(self) -> dict:
        return {"type": "clock", "now": self.ex.now, "duration": self.ex.duration, "state": self.clock_state,
                "speed": self.pacer.speed, "started": self.started}

    @property
    def clock_state(self) -> str:
        return self.pacer.state if self.started else "waiting"

    def _maybe_send_clock(self, force: bool = False) -> None:
        key = (self.ex.now, self.clock_state, self.pacer.speed)
        if key == self._clock_sent:
            return
        now = time.monotonic()
        state_changed = not self._clock_sent or key[1:] != self._clock_sent[1:]
        if not (force or state_changed or now - self._last_clock >= CLOCK_EVERY):
            return
        self._clock_sent, self._last_clock = key, now
        self._broadcast(self._clock_frame())

    def _broadcast(self, msg: dict, *, roles: tuple[str, ...] | None = None) -> int:
        """Send to every connection (of these roles); how many it went to."""
        frame = P.encode(msg)
        sent = 0
        for conn in self.conns:
            if roles is None or conn.seat.role in roles:
                conn.put(frame)
                sent += 1
        return sent

    def _alert(self, event: str, seat: str | None, peer: str, reason: str) -> None:
        """Record a refusal or problem for the facilitator (never a token)."""
        entry = {"type": "alert", "event": event, "seat": seat, "peer": peer, "reason": reason,
                 "wall": round(self.wall(), 3)}
        self.alerts.append(entry)
        self._event(entry)
        self._broadcast(entry, roles=(P.FACILITATOR,))

    def _event(self, entry: dict) -> None:
        if self.events_path is None:
            return
        try:
            with open(self.events_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({k: v for k, v in entry.items() if k != "type"}, sort_keys=True) + "\n")
        except OSError as e:
            self.log(f"cannot write {self.events_path}: {e.strerror}")

    def seats_frame(self) -> dict:
        now = self.wall()
        rows = []
        for name, seat in self.seats.items():
            st = self.status[name]
            rows.append({"seat": name, "role": seat.role, "label": seat.label, "connected": st.connections > 0,
                         "connections": st.connections,
                         "last_seen": None if st.last_seen is None else round(now - st.last_seen, 1),
                         "acked": self.commcheck > 0 and st.acked == self.commcheck})
        return {"type": "seats", "seats": rows, "commcheck": self.commcheck}

    def _seats_changed(self) -> None:
        self._broadcast(self.seats_frame(), roles=(P.FACILITATOR,))

    # ------------------------------------------------------------ connections
    async def _handler(self, ws: ServerConnection) -> None:
        peer = _peer(ws)
        if len(self.conns) >= MAX_CONNECTIONS:
            await self._refuse(ws, None, peer, "connection.refused", f"the host serves at most {MAX_CONNECTIONS} connections")
            return
        seat, since = await self._hello(ws, peer)
        if seat is None:
            return
        conn = Conn(ws, seat, peer)
        # from here to self.conns.add nothing awaits: no record can slip between catch-up and live
        welcome = {"type": "welcome", "v": P.VERSION, "seat": seat.name, "role": seat.role, "team": seat.team,
                   "label": seat.label, "plays": sorted(seat.plays), "last": len(self.ex.journal) - 1,
                   "clock": self._clock_frame(), "scenario": {"id": self.plan.scenario.id, "title": self.plan.scenario.title}}
        conn.put(P.encode(welcome))
        for record in self.ex.journal.since(since + 1):
            view = self.filter.view(seat, record)
            if view is not None:
                conn.put(P.encode({**view, "type": "record"}))
        self.conns.add(conn)
        st = self.status[seat.name]
        st.connections += 1
        st.last_seen, st.peer = self.wall(), peer
        if seat.role == "team" and self.commcheck and not self.started and st.acked != self.commcheck:
            conn.put(P.encode(self._commcheck_frame()))
        if seat.role == P.FACILITATOR:
            conn.put(P.encode(self.seats_frame()))
            for alert in self.alerts:
                conn.put(P.encode(alert))
            if self._unseen_forecast is not None:
                conn.put(P.encode(self._unseen_forecast))
                self._unseen_forecast = None
        self._event({"event": "seat.joined", "seat": seat.name, "peer": peer, "since": since, "wall": round(self.wall(), 3)})
        self._seats_changed()
        writer = asyncio.create_task(self._writer(conn))
        try:
            async for raw in ws:
                if conn.closing:
                    break
                await self._on_frame(conn, raw)
        except ConnectionClosed as e:
            code = e.rcvd.code if e.rcvd is not None else None
            sent = e.sent.code if e.sent is not None else None
            if 1009 in (code, sent):
                self._alert("frame.refused", seat.name, peer, f"frame over {P.MAX_FRAME} bytes: connection closed")
        finally:
            self.conns.discard(conn)
            writer.cancel()
            st.connections -= 1
            st.last_seen = self.wall()
            self._event({"event": "seat.left", "seat": seat.name, "peer": peer, "wall": round(self.wall(), 3)})
            self._seats_changed()

    async def _hello(self, ws: ServerConnection, peer: str) -> tuple[Seat | None, int]:
        try:
            raw = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
        except TimeoutError:
            await self._refuse(ws, None, peer, "connection.refused", f"no hello within {HELLO_TIMEOUT:g} s")
            return None, -1
        except ConnectionClosed as e:
            if (e.rcvd is not None and e.rcvd.code == 1009) or (e.sent is not None and e.sent.code == 1009):
                self._alert("frame.refused", None, peer, f"frame over {P.MAX_FRAME} bytes before hello: connection closed")
            return None, -1
        try:
            frame = P.parse_client(raw)
        except P.ProtocolError as e:
            await self._refuse(ws, None, peer, "connection.refused", f"bad hello: {e}")
            return None, -1
        if frame.type != "hello":
            await self._refuse(ws, None, peer, "connection.refused", "the first frame must be a hello")
            return None, -1
        name, token = frame.fields["seat"], frame.fields["token"]
        seat = self.seats.get(name)
        if seat is None:
            await self._refuse(ws, None, peer, "token.refused",
                               f"no seat {name[:40]!r} in this exercise; seats are {', '.join(self.seats)}")
            return None, -1
        if not matches(token, self._tokens[name]):
            other = next((s for s, t in self._tokens.items() if s != name and matches(token, t)), None)
            if other is not None:
                self._alert("token.misused", name, peer, f"the token of seat {other} was used to join as {name}")
                await self._refuse(ws, name, peer, None, f"this token is not the one for seat {name}: "
                                                          "each seat joins with its own token")
            else:
                await self._refuse(ws, name, peer, "token.refused", f"wrong token for seat {name}")
            return None, -1
        since = frame.fields["since"]
        if since >= len(self.ex.journal):
            since = len(self.ex.journal) - 1  # a client ahead of a host (an older store): send nothing it may lack
        return seat, since

    async def _refuse(self, ws: ServerConnection, seat: str | None, peer: str, event: str | None, reason: str) -> None:
        if event is not None:
            self._alert(event, seat, peer, reason)
        try:
            await ws.send(P.encode({"type": "refused", "reason": reason}))
            await ws.close(CLOSE_REFUSED, reason[:120])
        except ConnectionClosed:
            pass

    async def _writer(self, conn: Conn) -> None:
        try:
            while True:
                frame = await conn.queue.get()
                await conn.ws.send(frame)
        except ConnectionClosed:
            pass

    # ------------------------------------------------------------ frames in
    def _allow(self, conn: Conn) -> bool:
        now = time.monotonic()
        conn.tokens = min(BURST, conn.tokens + (now - conn.refill) * RATE) if conn.refill else conn.tokens
        conn.refill = now
        if conn.tokens >= 1:
            conn.tokens -= 1
            return True
        conn.dropped += 1
        if conn.dropped == 1 or conn.dropped % 50 == 0:
            self._alert("flood", conn.seat.name, conn.peer, f"over {RATE:g} frames per second: {conn.dropped} dropped")
            conn.put(P.encode({"type": "error", "reason": f"too many frames: at most {RATE:g} per second; frames dropped"}))
        return False

    async def _on_frame(self, conn: Conn, raw) -> None:
        self.status[conn.seat.name].last_seen = self.wall()
        if not self._allow(conn):
            if conn.dropped > MAX_DROPPED:
                conn.closing = True
                self._alert("flood", conn.seat.name, conn.peer, "flooding: connection closed")
                await conn.ws.close(CLOSE_POLICY, "flooding")
            return
        try:
            frame = P.parse_client(raw)
            if conn.seat.role not in P.CLIENT_TYPES[frame.type] or frame.type == "hello":
                raise P.ProtocolError(f"a {conn.seat.role} seat may not send {frame.type!r}")
        except P.ProtocolError as e:
            conn.bad += 1
            ref = _ref_of(raw)
            self._alert("frame.refused", conn.seat.name, conn.peer, str(e))
            conn.put(P.encode({"type": "answer", "ref": ref, "accepted": False, "reasons": [str(e)]}
                              if ref else {"type": "error", "reason": str(e)}))
            if conn.bad > MAX_BAD:
                conn.closing = True
                await conn.ws.close(CLOSE_POLICY, "too many bad frames")
            return
        if frame.type == "ping":
            conn.put(P.encode({"type": "pong", "ref": frame.ref}))
            return
        accepted, reasons, extra = self._act(conn, frame)
        conn.put(P.encode({"type": "answer", "ref": frame.ref, "for": frame.type, "accepted": accepted,
                           "reasons": reasons, **extra}))
        self._maybe_send_clock(force=True)

    def _act(self, conn: Conn, frame: P.Frame) -> tuple[bool, list[str], dict]:
        """Apply one checked frame; returns (accepted, reasons, extra answer fields)."""
        seat, f, ex = conn.seat, frame.fields, self.ex
        try:
            if frame.type == "ack":
                if f["id"] != self.commcheck or not self.commcheck:
                    return False, [f"no comm check {f['id']} is open (the current one is {self.commcheck})"], {}
                self.status[seat.name].acked = f["id"]
                self._seats_changed()
                return True, [], {}
            if frame.type == "seats":
                conn.put(P.encode(self.seats_frame()))
                return True, [], {}
            if frame.type == "commcheck":
                return True, [], {"id": self.send_commcheck()}
            if frame.type == "forecast":
                return self.forecasts.request(f["runs"], f["horizon"], f["policy"])
            if frame.type == "start":
                return self.start(f["force"])
            if frame.type == "clock":
                return self._clock(f)
            if ex.ended:
                return False, ["the exercise has ended"], {}
            if frame.type == "decide":
                return self._decide(conn, f)
            if frame.type == "observe":
                ex.note(text=f["text"], kind=f["category"], objective=f["objective"], team=f["team"],
                        rating=f["rating"], author=seat.name)
            elif frame.type == "fire":
                ex.fire(f["inject"])
            elif frame.type == "hold":
                ex.hold(f["inject"])
            elif frame.type == "release":
                ex.release(f["inject"])
            elif frame.type == "inject":
                ident = ex.add_inject(**f)
                self.pacer.drain()
                return True, [], {"inject": ident}
            elif frame.type == "channel":
                ex.set_channel(f["channel"], f["status"])
            self.pacer.drain()
            return True, [], {}
        except InputError as e:
            return False, [str(e)], {}
        except SimulatorError as e:
            self._alert("engine.error", seat.name, conn.peer, str(e))
            return False, [f"the engine refused it: {e}"], {}

    def _decide(self, conn: Conn, f: dict) -> tuple[bool, list[str], dict]:
        seat = conn.seat
        if f["team"] is not None and f["team"] != seat.team:
            reason = f"seat {seat.name} decides for team {seat.team} only, not {f['team']}"
            self._alert("decision.refused", seat.name, conn.peer, reason)
            return False, [reason], {}
        if not self.started:
            return False, ["the exercise has not started yet (STARTEX): wait for the facilitator"], {}
        if seat.team is None:
            return False, [f"seat {seat.name} plays no team"], {}
        outcome = self.ex.submit(seat.team, decision=f["decision"], point=f["point"], option=f["option"],
                                 rationale=f["rationale"], params=f["params"])
        self.pacer.drain()
        return outcome.accepted, ([outcome.reason] if outcome.reason else []), {"seq": len(self.ex.journal) - 1}

    def _announce_forecast(self, msg: dict) -> None:
        self._unseen_forecast = None if self._broadcast(msg, roles=(P.FACILITATOR,)) else msg

    def send_commcheck(self) -> int:
        """Send a new comm check to every team seat; returns its id (acknowledgements of older ones no longer count)."""
        self.commcheck += 1
        self._broadcast(self._commcheck_frame(), roles=("team",))
        self._seats_changed()
        return self.commcheck

    def start(self, force: bool = False) -> tuple[bool, list[str], dict]:
        """STARTEX: once every team seat acknowledged the comm check, or at once when forced."""
        if self.started:
            return False, ["the exercise has already started"], {}
        teams = [s for s, seat in self.seats.items() if seat.role == "team"]
        missing = [s for s in teams if not self.commcheck or self.status[s].acked != self.commcheck]
        if missing and not force:
            what = "no comm check was sent" if not self.commcheck else "not acknowledged by " + ", ".join(missing)
            return False, [f"STARTEX needs every team seat's acknowledgement: {what}; start with force to go anyway"], {}
        self.started = True
        self.pacer.run()
        self._event({"event": "startex", "forced": bool(missing), "missing": missing, "wall": round(self.wall(), 3)})
        return True, ([f"started without {', '.join(missing)}"] if missing else []), {}

    def _clock(self, f: dict) -> tuple[bool, list[str], dict]:
        action = f["action"]
        if action == "speed":
            self.pacer.set_speed(f["speed"] if f["speed"] == MAX else float(f["speed"]))
            return True, [], {}
        if not self.started:
            return False, ["the exercise has not started yet: send start (after the comm check)"], {}
        if self.ex.ended:
            return False, ["the exercise has ended"], {}
        if action == "run":
            self.pacer.run()
        elif action == "pause":
            self.pacer.pause()
        elif action == "advance":
            if f["to"] <= self.ex.now:
                return False, [f"T {f['to']} is not after now ({self.ex.now})"], {}
            self.pacer.advance_to(f["to"])
        return True, [], {}

    def _commcheck_frame(self) -> dict:
        return {"type": "commcheck", "id": self.commcheck,
                "text": f"Comm check {self.commcheck} from exercise control: acknowledge to confirm you receive us."}


def _peer(ws: ServerConnection) -> str:
    try:
        addr = ws.remote_address
        return f"{addr[0]}:{addr[1]}" if addr else "?"
    except Exception:  # a socket already gone
        return "?"


def _ref_of(raw) -> str:
    """The client's ref from a frame that failed to parse, if one can be read safely."""
    if not isinstance(raw, str) or len(raw) > P.MAX_FRAME:
        return ""
    try:
        obj = json.loads(raw)
    except ValueError:
        return ""
    ref = obj.get("ref") if isinstance(obj, dict) else None
    return str(ref)[:P.MAX_SHORT] if isinstance(ref, (str, int)) and not isinstance(ref, bool) else ""
