"""Sweep throughput: 1000 runs of vital-signs on 1 and 2 local workers, or on a Dask cluster.

    python bench/sweep.py                                  # seeds 1-500 x passive,doctrine; 1 and 2 workers
    python bench/sweep.py --seeds 1-100 --workers 1,2,4
    python bench/sweep.py --scheduler tcp://127.0.0.1:8786 # the same sweep on a running cluster

Figures printed, for the same sweep plan (built once, outside the timing):

- ``wall_s`` and ``runs_per_s`` per backend: the sweep only (runs.csv written,
  no page), best of ``--repeats``; with the CPU time of this process and its
  children, and the load average, since the machine may be shared;
- ``speedup_2_vs_1``: wall time with 1 worker over wall time with 2, measured
  in the same run (target >= 1.8 on 2 idle cores);
- ``runs_10k_s``: 10,000 runs of this sweep on 2 workers, in seconds (target
  under 60 s on 2 cores): measured when the sweep has 10,000 runs or more
  (``--seeds 1-5000``), else projected from the 2-worker rate and labelled so;
- ``identical``: whether every backend wrote the same runs.csv, byte for byte;
- ``max_worker_rss_mb``: the largest ru_maxrss of a finished worker process
  (the local pool's workers; target under 150 MB per worker);
- ``cli_wall_s``: ``cyclesim sweep vital-signs --seeds 1-500 --policy
  passive,doctrine --workers 2 --out D`` from a shell (target under 6 s on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.commands.common import scenario_path
from simulator.scenario.loader import load
from simulator.sweep.execute import run_sweep
from simulator.sweep.plan import build_plan, parse_seeds


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="vital-signs")
    parser.add_argument("--seeds", default="1-500")
    parser.add_argument("--policy", default="passive,doctrine")
    parser.add_argument("--workers", default="1,2", help="local worker counts to time, comma-separated ('' for none)")
    parser.add_argument("--scheduler", help="also time the sweep on this Dask scheduler")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line run")
    args = parser.parse_args(argv)

    loaded = load(scenario_path(args.scenario))
    plan = build_plan(loaded, args.scenario, parse_seeds(args.seeds), args.policy.split(","), [], [])
    print(f"sweep: {args.scenario}, {plan.size} runs ({args.seeds} x {args.policy}); "
          f"{os.cpu_count()} CPUs; load average before {_load()}")
    backends: list[tuple[str, dict]] = [(f"workers={w}", {"workers": int(w)}) for w in args.workers.split(",") if w]
    if args.scheduler:
        backends.append((f"dask {args.scheduler}", {"scheduler": args.scheduler}))
    walls: dict[str, float] = {}
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        for name, kw in backends:
            best = None
            for r in range(args.repeats):
                out = Path(tmp) / f"{name.replace('/', '_').replace(':', '_')}-{r}"
                c0 = _cpu()
                res = run_sweep(plan, out, **kw)
                cpu = _cpu() - c0
                best = res.seconds if best is None else min(best, res.seconds)
                outputs[name] = (out / "runs.csv").read_bytes()
            walls[name] = best
            print(f"{name}: wall_s {best:.2f}  runs_per_s {plan.size / best:.0f}  runs_per_min {60 * plan.size / best:,.0f}  "
                  f"cpu_s {cpu:.2f}  (load average {_load()})")
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"max_worker_rss_mb: {kids:.1f}  (largest finished child process; this process: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f})")
        if "workers=1" in walls and "workers=2" in walls:
            print(f"speedup_2_vs_1: {walls['workers=1'] / walls['workers=2']:.2f}")
        if "workers=2" in walls:
            ten_k = walls["workers=2"] * 10_000 / plan.size
            how = "measured" if plan.size >= 10_000 else f"projected from {plan.size} runs; --seeds 1-5000 measures it"
            print(f"runs_10k_s: {ten_k:.1f}  ({how}; 2 workers)")
        print(f"identical: {len(set(outputs.values())) == 1}  ({len(outputs)} backends)")
        if not args.no_cli:
            exe = Path(sys.executable).with_name("cyclesim")
            cmd = [str(exe), "sweep", args.scenario, "--seeds", args.seeds, "--policy", args.policy, "--workers", "2",
                   "--out", str(Path(tmp) / "cli"), "--no-progress"]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            print(f"cli_wall_s: {time.perf_counter() - t0:.2f}  [cyclesim sweep {args.scenario} --seeds {args.seeds} "
                  f"--policy {args.policy} --workers 2 --out D]  (load average {_load()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
