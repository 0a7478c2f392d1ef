"""Helpers for the multi-seat tests: a host on 127.0.0.1 in a thread, --jsonl seats as subprocesses.

Everything is bounded: every wait has a deadline, the host listens on
127.0.0.1 with a free port, and every process and thread started here is
stopped by the helper that started it.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.host.seats import SeatFilter, seats_of
from simulator.host.server import Host
from simulator.host.tokens import new_tokens
from simulator.session.session import Session

DATA = Path(__file__).resolve().parent.parent / "data" / "host"
TWO_ROOMS = DATA / "two-rooms.yaml"
ROOT = Path(__file__).resolve().parent.parent.parent
DEADLINE = 15.0


class HostThread:
    """A Host serving a new session from its own thread and event loop."""

    def __init__(self, folder: Path, scenario: Path = TWO_ROOMS, *, speed=0.001, autostart=False, seed=1):
        """speed: simulated minutes per second once started; the default barely moves, so tests advance the clock."""
        self.folder, self.scenario, self.speed, self.autostart, self.seed = folder, scenario, speed, autostart, seed
        loaded, plan = load_plan(str(scenario))
        self.tokens = new_tokens(list(seats_of(plan)))
        self.events = folder / "host-events.jsonl"
        self.log: list[str] = []
        self._ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        async def go():
            self.loop = asyncio.get_running_loop()
            # the session's SQLite connection belongs to this thread: build it here
            loaded, plan = load_plan(str(self.scenario))
            self.session = Session.create(loaded, self.seed, self.folder)
            self.exercise = Exercise(plan, seed=self.seed, journal=self.session.journal)
            self.host = Host(self.exercise, self.tokens, session=self.session, port=0, speed=self.speed,
                             autostart=self.autostart, events_path=self.events, log=self.log.append)
            try:
                await self.host.serve(lambda url: self._ready.set())
            finally:
                self.session.close()
        try:
            asyncio.run(go())
        except BaseException as e:  # reported by stop()
            self.error = e
            self._ready.set()

    def __enter__(self) -> HostThread:
        self.thread.start()
        assert self._ready.wait(DEADLINE), "host did not start"
        if self.error:
            raise self.error
        return self

    @property
    def url(self) -> str:
        return self.host.url

    def call(self, fn):
        """Run fn() on the host's loop thread and return its result (the journal is read there)."""
        done, box = threading.Event(), {}

        def run():
            try:
                box["v"] = fn()
            finally:
                done.set()
        self.loop.call_soon_threadsafe(run)
        assert done.wait(DEADLINE)
        return box.get("v")

    def expected(self, seat: str) -> list[int]:
        """The seqs the host's filter lets through to a seat, computed afresh from the journal."""
        def compute():
            f = SeatFilter(self.exercise.plan)
            s = self.host.seats[seat]
            out = []
            for r in self.exercise.journal:
                f.learn(r)
                if f.view(s, r) is not None:
                    out.append(r.seq)
            return out
        return self.call(compute)

    def records(self):
        return self.call(lambda: list(self.exercise.journal))

    def __exit__(self, *exc) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.host.stop)
        self.thread.join(DEADLINE)
        assert not self.thread.is_alive(), "host thread did not stop"


class Seat:
    """A ``cyclesim join --jsonl`` subprocess; its stdout lines are parsed as they come."""

    def __init__(self, url: str, seat: str, token: str, *, since: int = -1, extra: tuple[str, ...] = ()):
        self.seat = seat
        cmd = [sys.executable, "-m", "simulator", "join", url, "--team", seat, "--jsonl", "--since", str(since),
               "--wait", "10", *extra]
        env = {**os.environ, "CYCLESIM_TOKEN": token, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env, cwd=ROOT)
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self._q: queue.Queue = queue.Queue()
        self._n = 0
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.raw.append(line)
            msg = json.loads(line)
            self.lines.append(msg)
            self._q.put(msg)
        self._q.put(None)

    def send(self, obj: dict) -> str:
        """Write one stdin line; returns its ref (L<n>)."""
        self._n += 1
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()
        return obj.get("ref", f"L{self._n}")

    def wait_for(self, pred, timeout: float = DEADLINE) -> dict:
        """The first message (already seen or coming) that satisfies pred."""
        for msg in list(self.lines):
            if pred(msg):
                return msg
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                msg = self._q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if msg is None:
                break
            if pred(msg):
                return msg
        raise AssertionError(f"seat {self.seat}: nothing matched within {timeout}s; last lines: {self.raw[-5:]}"
                             f"; stderr: {self.stderr_text()}")

    def answer(self, ref: str) -> dict:
        return self.wait_for(lambda m: m.get("type") == "answer" and m.get("ref") == ref)

    def record(self, kind: str, **fields) -> dict:
        return self.wait_for(lambda m: m.get("type") == "record" and m.get("kind") == kind
                             and all(m.get(k) == v for k, v in fields.items()))

    def seqs(self) -> list[int]:
        return [m["seq"] for m in self.lines if m.get("type") == "record"]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(DEADLINE)

    def stderr_text(self) -> str:
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read() if self.proc.stderr else ""

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(DEADLINE)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except Exception:
                pass
        return self.proc.returncode
