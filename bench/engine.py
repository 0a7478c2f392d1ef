"""Throughput and memory of the exercise engine on a Europe-wide synthetic scenario.

    python bench/engine.py                      # ~100k records, doctrine policy
    python bench/engine.py --records 20000 --policy passive
    python bench/engine.py --profile            # cProfile of one replay, top functions
    python bench/engine.py --tune-gc            # also once with the cyclic GC running (library use)

The scenario is built in code from simulator.scenario.model objects: one entity per
Member State and sector (27 x 12 = 324), each reporting incidents to its
national CSIRT and competent authority, CSIRTs posting to the CSIRTs Network,
impact colours that move ECCS up to 5, NIS2 and DORA clocks with simulated
filing, and media items that reach every played actor. The number of injects
is scaled so the replay writes about ``--records`` journal records.

Figures printed (replays of the same scenario and seed):

- ``records/s`` and ``events/s``: journal records written and simpy events
  processed per second of wall time, best of ``--repeats`` plain replays; the
  CPU time of that replay and the load average are printed too, since wall
  time on a shared 2-core machine says little on its own;
- ``max_rss_mb``: ru_maxrss of this process after the plain replays (the
  interpreter, the scenario, the plan and one journal at a time);
- ``peak_python_mb``: tracemalloc peak during one more, identical replay (run
  apart: tracemalloc slows Python several times and inflates the RSS);
- ``ratio_vs_simpy``: the engine's event rate divided by the rate of raw
  simpy scheduling the same timetable (as many timeouts, at the same times,
  from a trivial process) measured in the same run; 1.0 would mean the engine
  adds nothing to simpy's own scheduling cost; printed on wall time and on CPU
  time (best of each), the latter less disturbed by other jobs on the machine;
- replays run inside ``simulator.engine.batch.single_run_gc()``, as ``cyclesim
  replay`` runs them (cyclic collector paused, what the run built frozen at the
  end); between replays, outside the timing, the previous exercise is dropped
  and collected, so one exercise at a time is alive; with ``--tune-gc`` one more
  replay runs with the collector on, as a library user who pauses nothing gets it;
- ``cli_wall_s``: median wall time of ``python -m simulator replay REF
  --policy doctrine --quiet`` in a fresh interpreter (imports, loading and
  validation included) for the reference scenario (vital-signs, or the
  tutorial when it is absent).

Targets (DESIGN.md, task brief): ~100k-record replay under 5 s and under
300 MB; ratio_vs_simpy >= 0.10; the CLI replay of the reference under 1 s.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.engine.batch import single_run_gc  # noqa: E402
from simulator.engine.exercise import Exercise  # noqa: E402
from simulator.players.policies import POLICIES  # noqa: E402
from simulator.scenario.model import EU_MEMBER_STATES, Scenario  # noqa: E402
from simulator.scenario.plan import Plan  # noqa: E402

SECTORS = ("energy", "transport", "banking", "health", "drinking-water", "digital-infrastructure",
           "ict-service-management", "public-administration", "space", "manufacturing", "food", "research")
COLOURS = ("green", "yellow", "red")
MINUTES = 30 * 24 * 60
RECORDS_PER_ROUND = 6.46
"""Journal records one inject round (see build) writes, measured; used to size the scenario."""


def build(records: int) -> Scenario:
    """The synthetic scenario, sized to write about ``records`` journal records."""
    entities = [(ms, sector) for ms in EU_MEMBER_STATES for sector in SECTORS]
    rounds = max(1, round(records / RECORDS_PER_ROUND))
    actors = [{
        "id": f"E-{ms}-{sector}", "name": f"{sector} operator in {ms}", "kind": "entity", "level": "entity",
        "ms": ms, "sector": sector, "essential": True, "financial": sector == "banking",
        "reporting": ("auto", "late", "never")[i % 3],
    } for i, (ms, sector) in enumerate(entities)]
    injects = []
    for i in range(rounds):
        ms, sector = entities[(i * 7) % len(entities)]
        entity = f"E-{ms}-{sector}"
        at = 10 + (i * (MINUTES - 20)) // rounds
        effects: dict = {}
        if i % 5 == 0:
            effects["impact"] = {f"{ms}/{sector}": COLOURS[(i // 5) % 3]}
        if i % 11 == 0:
            effects["major" if sector == "banking" else "significant"] = [entity]
        injects.append({"id": f"R{i}", "at": f"T+{at}m", "from": entity, "to": [f"CSIRT-{ms}", f"CA-{ms}"],
                        "title": f"{entity} reports an incident", "body": "Encryption on several hosts.",
                        "effects": effects})
        if i % 4 == 0:
            injects.append({"id": f"P{i}", "at": f"T+{at + 30}m", "from": f"CSIRT-{ms}", "to": ["CSIRTS-NET"],
                            "title": f"CSIRT-{ms} shares indicators", "tlp": "TLP:GREEN"})
        if i % 50 == 0:
            injects.append({"id": f"M{i}", "at": f"T+{at + 45}m", "from": "MEDIA", "to": ["everyone"],
                            "title": "Outages spread across Europe", "tlp": "TLP:CLEAR",
                            "effects": {"public_trust": -0.01, "cross_border": True}})
    late = {"id": "CRISIS", "at": f"T+{MINUTES // 2}m", "from": "EXCON", "to": ["everyone"],
            "title": "Cross-border dependencies fail", "effects": {"cross_border_dependency": True, "internal_market": True,
                                                                   "capacity_exceeded": ["IE", "BE"]}}
    return Scenario.model_validate({
        "format": "cyclesim/1", "id": "bench-europe", "title": "Benchmark: every Member State, twelve sectors",
        "summary": "Synthetic load for bench/engine.py.", "start": "2026-03-02T08:00:00+01:00",
        "duration": f"T+{MINUTES}m",
        "teams": [
            {"id": "ie", "name": "Ireland", "plays": ["CSIRT-IE", "CCMA-IE", "GOV-IE"]},
            {"id": "eu", "name": "EU cell", "plays": ["CYCLONE", "PRESIDENCY", "HR-EEAS"]},
            {"id": "excon", "name": "Exercise control", "plays": ["EXCON"], "facilitator": True},
        ],
        "member_states": list(EU_MEMBER_STATES), "sectors": list(SECTORS),
        "network": {"base": "eu-default", "actors": actors},
        "injects": injects + [late],
        "council": {"stances": {"HU": {"stance": -0.2, "evidence_threshold": 0.6}}},
    })


def replay(plan: Plan, seed: int, policy: str, batch: bool = True) -> Exercise:
    """One replay, run the way `cyclesim replay` runs it (collector paused, run frozen) unless batch=False."""
    ex = Exercise(plan, seed=seed, sources=[POLICIES[policy]()])
    if batch:
        with single_run_gc():
            ex.run()
    else:
        ex.run()
    return ex


def release() -> None:
    """Free the replays dropped so far before the next one (outside the timing): unfreeze, collect their cycles."""
    gc.unfreeze()
    gc.collect()


def timetable(plan: Plan, seed: int, policy: str) -> list[float]:
    """Times of every simpy event the engine processes in this replay, in order."""
    ex = Exercise(plan, seed=seed, sources=[POLICIES[policy]()])
    times = []
    env = ex.env
    inner = env.step

    def step() -> None:
        times.append(env.peek())
        inner()

    env.step = step  # instance attribute: only this exercise's environment is watched
    ex.run()
    return times


def simpy_rate(times: list[float], repeats: int = 3) -> tuple[float, float, float]:
    """Raw simpy: the same number of timeouts at the same times; (events/s, wall s, cpu s), best of repeats."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        env = simpy.Environment()

        def trivial(env=env):
            for t in times:
                yield env.timeout(t - env.now)

        env.process(trivial())
        start, cpu = time.perf_counter(), time.process_time()
        env.run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return len(times) / best, best, best_cpu


def cli_wall(repeats: int = 3) -> tuple[str, float, str]:
    """Median wall time of the CLI replay of the reference scenario, in a fresh interpreter."""
    ref = "vital-signs" if (ROOT / "scenarios" / "vital-signs.yaml").exists() else "tutorial"
    walls = []
    sha = ""
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "simulator", "replay", ref, "--policy", "doctrine", "--quiet"],
                              cwd=ROOT, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            return ref, float("nan"), f"failed: {done.stderr.strip()[:200]}"
        sha = done.stdout.strip()
    return ref, statistics.median(walls), sha


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="journal records to aim for (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--policy", choices=sorted(POLICIES), default="doctrine")
    parser.add_argument("--repeats", type=int, default=3, help="timed replays; the best is reported")
    parser.add_argument("--profile", action="store_true", help="print the top functions of one replay (cProfile)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI wall-time measurement")
    parser.add_argument("--tune-gc", action="store_true",
                        help="also time one replay with the cyclic GC running, as a library user without batch_gc gets it")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    scenario = build(args.records)
    plan = Plan.of(scenario)
    build_s = time.perf_counter() - start
    print(f"scenario: {len(plan.network.actors)} actors, {len(plan.network.channels)} channels, "
          f"{len(scenario.injects)} injects; built in {build_s:.2f} s")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        replay(plan, args.seed, args.policy)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())
        return 0

    walls, cpus = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        ex = replay(plan, args.seed, args.policy)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        records, events, sha = len(ex.journal), ex.steps, ex.journal.export_hash()
        del ex
        release()
    wall = min(walls)
    print(f"replay ({args.policy}, seed {args.seed}): {records} records, {events} simpy events, "
          f"best of {args.repeats}: {wall:.2f} s wall, {min(cpus):.2f} s cpu "
          f"(all wall: {', '.join(f'{w:.2f}' for w in walls)}; load average {os.getloadavg()[0]:.1f})")
    print(f"sha256: {sha}")
    print(f"records/s: {records / wall:,.0f}")
    print(f"events/s: {events / wall:,.0f}")

    print(f"max_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}"
          "  (whole process after the plain replays: interpreter, scenario, plan, one journal at a time)")
    tracemalloc.start()
    again = replay(plan, args.seed, args.policy)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again.journal.export_hash() == sha, "the traced replay gave another journal"
    del again
    release()
    print(f"peak_python_mb: {peak / 2**20:.1f}  (tracemalloc peak during one replay)")

    times = timetable(plan, args.seed, args.policy)
    assert len(times) == events, (len(times), events)
    raw_rate, raw_wall, raw_cpu = simpy_rate(times)
    engine_rate = events / wall
    print(f"simpy_baseline: {len(times)} timeouts in {raw_wall:.3f} s = {raw_rate:,.0f} events/s ({raw_cpu:.3f} s cpu)")
    print(f"ratio_vs_simpy: {engine_rate / raw_rate:.3f}  (wall; cpu time: {raw_cpu / min(cpus):.3f}, "
          "which a shared machine disturbs less)")

    if args.tune_gc:
        t0, c0 = time.perf_counter(), time.process_time()
        plain = replay(plan, args.seed, args.policy, batch=False)
        plain_wall, plain_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert plain.journal.export_hash() == sha
        print(f"with the cyclic GC running (no batch_gc): {plain_wall:.2f} s wall, {plain_cpu:.2f} s cpu, "
              f"{records / plain_wall:,.0f} records/s")

    if not args.no_cli:
        ref, cli_s, note = cli_wall()
        print(f"cli_wall_s ({ref}, doctrine, median of 3): {cli_s:.2f}  [{note}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
