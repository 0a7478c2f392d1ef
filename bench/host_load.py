"""Many seats on one host: delivery latency, host CPU and memory, and no loss (figures, bounded).

Usage: python bench/host_load.py [--seats 50] [--hours 72] [--timeout 300] [--join-timeout 300]

Writes a three-day storyline for the 27 Member States and the EU bodies
(one team per Member State, eight EU-level teams, exercise control), starts
``cyclesim serve`` on 127.0.0.1 at ``--speed max``, and joins ``--seats``
``cyclesim join --jsonl`` processes: every team, the facilitator, and
evaluators for the rest. The facilitator forces STARTEX; the run ends when
every seat has the exercise.ended record (or at --timeout, which fails).

Prints: records journalled, frames delivered, delivery latency (host
journal append, through the tick's commit, to the line read from the seat's stdout) median and 99th
percentile, host CPU seconds and peak resident memory, and the host's wall
time as a ratio to a bare in-process replay of the same scenario and seed
(the baseline, measured in the same run). Checks every seat received exactly
what the host's filter lets through, in order, once: it exits 1 otherwise.
Only 127.0.0.1 is used; every process started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine.exercise import Exercise  # noqa: E402
from simulator.host.seats import SeatFilter, seats_of  # noqa: E402
from simulator.journal.store import Store  # noqa: E402
from simulator.scenario.loader import load  # noqa: E402
from simulator.scenario.plan import Plan  # noqa: E402

MS = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
      "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
EU_TEAMS = {
    "cyclone": ["CYCLONE"], "presidency": ["PRESIDENCY", "IPCR"], "commission": ["COMMISSION"],
    "enisa": ["ENISA", "CSIRTS-NET"], "certeu": ["CERT-EU"], "eeas": ["HR-EEAS", "INTCEN"],
    "europol": ["EUROPOL-EC3"], "council": ["COUNCIL", "COREPER", "HWPCI", "PSC"],
}


def storyline(hours: int) -> str:
    """A scenario: an inject to everyone every 3 hours, and one to a Member State's CSIRT every hour (RED every 4th)."""
    lines = ["format: cyclesim/1", "id: bench-host", "title: Host load bench", "summary: Many seats, one host.", "tlp: TLP:AMBER",
             'start: "2026-03-02T08:00:00+01:00"', f'duration: "T+{hours}:00"', "teams:"]
    for ms in MS:
        lines.append(f"  - {{id: {ms.lower()}, name: {ms} national team, plays: [CSIRT-{ms}, CA-{ms}, CCMA-{ms}, GOV-{ms}]}}")
    for team, plays in EU_TEAMS.items():
        lines.append(f"  - {{id: {team}, name: {team}, plays: [{', '.join(plays)}]}}")
    lines += ["  - {id: excon, name: Exercise control, plays: [EXCON], facilitator: true}",
              f"member_states: [{', '.join(MS)}]", "injects:"]
    for h in range(hours):
        t = f"T+{h:02d}:10" if h < 100 else f"T+{h}:10"
        if h % 3 == 0:
            lines.append(f'  - {{id: ALL-{h}, at: "{t}", from: EXCON, to: [everyone], tlp: TLP:AMBER, '
                         f'title: "Situation update {h}", body: "Update for all players, hour {h}."}}')
        ms = MS[h % len(MS)]
        tlp = "TLP:RED" if h % 4 == 0 else "TLP:AMBER"
        lines.append(f'  - {{id: MS-{h}, at: "{t}", from: EXCON, to: [CSIRT-{ms}], tlp: {tlp}, '
                     f'title: "Indicator for {ms}, hour {h}", body: "For {ms} only ({tlp})."}}')
    return "\n".join(lines) + "\n"


async def read_host_line(proc) -> str:
    while True:
        line = (await proc.stderr.readline()).decode()
        if not line:
            raise SystemExit(f"host exited: {proc.returncode}")
        if " on ws://" in line:
            return line.split(" on ", 1)[1].split(";")[0]


def proc_figures(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) and peak RSS in KiB of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return cpu, peak


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seats", type=int, default=50)
    ap.add_argument("--hours", type=int, default=72)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for the play, STARTEX to the end")
    ap.add_argument("--join-timeout", type=float, default=300.0, help="seconds for every seat to be welcomed")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cyclesim-hostload-"))
    scen = tmp / "bench-host.yaml"
    scen.write_text(storyline(args.hours), encoding="utf-8")
    loaded = load(scen)
    plan = Plan.of(loaded.scenario, loaded.content_hash)

    t0 = time.perf_counter()
    bare = Exercise(plan, seed=1)
    bare.run()
    baseline = time.perf_counter() - t0

    seat_names = ["facilitator"] + [s for s, seat in seats_of(plan).items() if seat.role == "team"]
    seat_names += ["evaluator"] * max(0, args.seats - len(seat_names))
    seat_names = seat_names[:args.seats]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    host = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "serve", str(scen), "--session", str(tmp / "session"),
        "--listen", "127.0.0.1:0", "--speed", "max", stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE, cwd=ROOT, env=env)
    seats = []
    try:
        url = await asyncio.wait_for(read_host_line(host), 30)
        tokens = json.loads((tmp / "session" / "tokens.json").read_text())
        for name in seat_names:
            p = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "simulator", "join", url, "--team", name, "--jsonl", "--exit-on-end",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                cwd=ROOT, env={**env, "CYCLESIM_TOKEN": tokens[name]}, limit=2**20)
            seats.append((name, p))
        got: dict[int, list] = {i: [] for i in range(len(seats))}
        latencies: list[float] = []
        welcomed = asyncio.Semaphore(0)

        async def reader(i: int, p) -> None:
            while True:
                line = await p.stdout.readline()
                if not line:
                    return
                now = time.time()
                msg = json.loads(line)
                if msg.get("type") == "welcome":
                    welcomed.release()
                elif msg.get("type") == "record":
                    got[i].append(msg["seq"])
                    if "at" in msg:
                        latencies.append(now - msg["at"])
                    if msg.get("kind") == "exercise.ended":
                        return

        readers = [asyncio.ensure_future(reader(i, p)) for i, (_n, p) in enumerate(seats)]
        join_end = time.monotonic() + args.join_timeout  # 50 Python processes start slowly on 2 busy cores
        for _ in seats:
            await asyncio.wait_for(welcomed.acquire(), max(0.1, join_end - time.monotonic()))
        cpu0, _ = proc_figures(host.pid)
        fac = next(p for n, p in seats if n == "facilitator")
        start = time.perf_counter()
        fac.stdin.write(b'{"type": "start", "force": true}\n')
        await fac.stdin.drain()
        await asyncio.wait_for(asyncio.gather(*readers), args.timeout)
        wall = time.perf_counter() - start
        cpu1, peak = proc_figures(host.pid)
    finally:
        for _n, p in seats:
            if p.returncode is None:
                p.terminate()
        for _n, p in seats:
            await p.wait()
        if host.returncode is None:
            host.terminate()
            await host.wait()

    records = Store.open(tmp / "session").records()
    filt, all_seats = SeatFilter(plan), seats_of(plan)
    expected: dict[str, list[int]] = {n: [] for n in set(seat_names)}
    for r in records:
        filt.learn(r)
        for n in expected:
            if filt.view(all_seats[n], r) is not None:
                expected[n].append(r.seq)
    bad = [(n, len(got[i]), len(expected[n])) for i, (n, _p) in enumerate(seats) if got[i] != expected[n]]
    frames = sum(len(v) for v in got.values())
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    teams = len([n for n in seat_names if n not in ("facilitator", "evaluator")])
    print(f"seats {len(seats)} ({teams} teams, facilitator, {seat_names.count('evaluator')} evaluators); "
          f"{args.hours} h storyline at --speed max")
    print(f"records journalled: {len(records)}; frames delivered to seats: {frames}")
    print(f"delivery latency (journal append, commit included, -> seat stdout): median {statistics.median(lat) * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms over {len(lat)} live frames")
    print(f"host: {cpu1 - cpu0:.2f} CPU s during play, peak RSS {peak / 1024:.0f} MiB; wall {wall:.2f} s")
    print(f"baseline (bare in-process replay, same scenario and seed): {baseline:.3f} s; host wall / baseline = "
          f"{wall / baseline:.1f}x")
    if bad:
        print(f"FAIL: {len(bad)} seat(s) did not get exactly their records in order: {bad[:5]}")
        return 1
    print("every seat received exactly its records, in order, once: no loss, no duplicate, no disorder")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
