"""A join seat on loopback with a 10,000-record journal: first frame, catch-up and key-to-frame latency.

Writes the big exercise of ``bench/tui.py`` (bench/bigjournal.py) as a
session, starts ``cyclesim serve --resume`` on it (a separate process on
127.0.0.1, the clock paused), and opens the seat app (``cyclesim join``'s
``tui.seat_app.SeatApp``) headless through Textual's pilot, for a team seat
and for the facilitator (who receives every record). For each seat:

* the first frame (construction to the first screen drawn, "connecting…");
* caught up: construction until the seat holds every record the host has for
  it (the host's filter, applied here to the same journal, says which) and the
  screen has settled;
* keypress-to-frame latency for the seat's keys against an unbound key pressed
  in the same run (the pilot's own cost: it waits in 20 ms slices until the
  process is idle);
* a key that goes to the host and back (the facilitator's space: run, then
  pause) until the status line shows the host's answer.

Each figure is the median wall time, then the CPU time of this process (the
host is another process), which other processes on a shared machine do not
inflate. The collector is tuned as ``run_seat`` does. Every process started is stopped and the
session folder removed.

Usage: python bench/seat.py [--records 10000] [--repeat 5] [--size 120x40] [--team ie]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from bigjournal import write_session  # noqa: E402

from tui.gctune import tune_gc, untune_gc  # noqa: E402
from tui.seat_app import SeatApp  # noqa: E402

UNBOUND = "z"
"""A key the seat app does not bind (checked before measuring)."""

Figures = dict[str, list[tuple[float, float]]]
"""Measure name -> (wall, cpu) seconds per run."""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def start_host(folder: Path) -> tuple[asyncio.subprocess.Process, str]:
    """``cyclesim serve --resume`` on a free port of 127.0.0.1; returns the process and its URL."""
    host = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "serve", "--resume", str(folder), "--listen", "127.0.0.1:0",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert host.stderr is not None
    while True:
        line = (await asyncio.wait_for(host.stderr.readline(), 120)).decode()
        if not line:
            raise SystemExit(f"bench: the host exited ({await host.wait()})")
        if " on ws://" in line:
            return host, line.split(" on ", 1)[1].split(";")[0]


def caught_up(app: SeatApp, last: int) -> bool:
    """The seat holds every record the host has for it (the last one's seq is ``last``)."""
    client = app.driver.client if app.driver is not None else None
    return client is not None and client.last_seq >= last


async def measure_seat(url: str, seat: str, token: str, last: int, size: tuple[int, int], repeat: int) -> Figures:
    out: Figures = {}

    def note(name: str, wall: float, cpu: float) -> None:
        out.setdefault(name, []).append((wall, cpu))

    frames: list[tuple[float, float]] = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    app = SeatApp(url, seat=seat, token=token)
    original = app._display

    def display(screen, renderable) -> None:  # the first screen update the app sends to the terminal
        original(screen, renderable)
        if not frames:
            frames.append((time.perf_counter() - wall0, time.process_time() - cpu0))

    app._display = display  # type: ignore[method-assign]
    thresholds = tune_gc()  # as run_seat does
    try:
        async with app.run_test(size=size) as pilot:
            while not caught_up(app, last):
                await asyncio.sleep(0.005)
            await pilot.pause()
            note("first frame (connecting…), from construction", *frames[0])
            note("caught up and drawn, from construction", time.perf_counter() - wall0, time.process_time() - cpu0)
            bound = {key.strip() for key in app.screen.active_bindings}
            if UNBOUND in bound:
                raise SystemExit(f"bench: the baseline key {UNBOUND!r} is bound in the seat app")
            keys = [(UNBOUND, f"unbound key {UNBOUND} (baseline)"), ("down", "down (cursor)"), ("tab", "tab (focus)")]
            keys += [(str(i), f"{i} (tab {i})") for i in range(1, 4) if str(i) in bound]
            for _ in range(repeat):
                for key, label in keys:
                    w, c = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    note(label, time.perf_counter() - w, time.process_time() - c)
                if app.state.role == "facilitator":
                    for want in ("running", "paused"):
                        w, c = time.perf_counter(), time.process_time()
                        await pilot.press("space")
                        while app.state.clock.get("state") != want:
                            await asyncio.sleep(0.002)
                        await pilot.pause()
                        note("space (to the host and back)", time.perf_counter() - w, time.process_time() - c)
    finally:
        untune_gc(thresholds)
    return out


def report(name: str, results: Figures) -> None:
    print(f"  {name}")
    base = statistics.median(w for w, _c in results[f"unbound key {UNBOUND} (baseline)"])
    for label, values in results.items():
        walls = [w for w, _c in values]
        med = statistics.median(walls)
        cpu = statistics.median(c for _w, c in values)
        ratio = "" if label.startswith(("unbound", "first", "caught")) else f"  ({med / base:4.1f}× the baseline key)"
        cpu_max = max(c for _w, c in values)
        print(f"    {label:<46} {ms(med)}  max {ms(max(walls))}  {ms(cpu)}  max {ms(cpu_max)}{ratio}")


async def run(args) -> int:
    w, h = (int(x) for x in args.size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="cyclesim-seatbench-"))
    t = time.perf_counter()
    count, last = write_session(args.records, tmp / "session")
    print(f"wrote a session of {count:,} records in {time.perf_counter() - t:.1f} s")
    host, url = await start_host(tmp / "session")
    try:
        tokens = json.loads((tmp / "session" / "tokens.json").read_text())
        print(f"host on {url}; headless pilot at {w}x{h}, median of {args.repeat}; wall, max wall, cpu and max cpu (this process)")
        for seat in (args.team, "facilitator"):
            report(f"seat {seat}", await measure_seat(url, seat, tokens[seat], last[seat], (w, h), args.repeat))
    finally:
        if host.returncode is None:
            host.terminate()
            await host.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--team", default="ie", help="the team seat to open (default ie)")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
