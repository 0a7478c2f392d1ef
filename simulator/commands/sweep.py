"""cyclesim sweep: many seeded runs of one scenario, as a table and a page of distributions."""

from __future__ import annotations

NAME = "sweep"
HELP = "run a scenario for many seeds, players and parameter values; write runs.csv and sweep.html"
EPILOG = """examples:
  cyclesim sweep vital-signs --seeds 1-500 --policy passive,doctrine --out out/vs-sweep
  cyclesim sweep tutorial --seeds 1-200 --decisions plan-a.yaml --decisions plan-b.yaml --out out/ab
  cyclesim sweep vital-signs --seeds 1-100 --policy doctrine \\
      --vary network.channels.csirt-IE-net.delay.mode=0.5,4,12 --out out/sharing-delay
  cyclesim sweep vital-signs --seeds 1-10000 --policy doctrine --scheduler tcp://10.0.0.5:8786 --out out/big
Every combination of player (policy or decisions script), varied value and seed is one run.
PATH walks the scenario's keys; list items by id (injects.VS-07.at, council.stances.MT.stance).
Each row of runs.csv can be replayed with the command shown on sweep.html. See docs/sweeps.md."""


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario file or bundled id")
    p.add_argument("--seeds", default="1-100", help="seeds: 1-500, 1,2,3 or 1-10,20-30 (default 1-100)")
    p.add_argument("--policy", metavar="P[,P]", help="automatic players, comma-separated: passive, doctrine")
    p.add_argument("--decisions", metavar="FILE", action="append", default=[],
                   help="a decisions script as a player (repeatable)")
    p.add_argument("--vary", metavar="PATH=V1,V2", action="append", default=[],
                   help="a scenario value to vary (repeatable); every combination is run")
    p.add_argument("--until", help="stop each run at this scenario time, e.g. T+72:00")
    from simulator.commands.common import decide_on_option

    decide_on_option(p)
    p.add_argument("--workers", type=int, help="local worker processes (default: the CPU count)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (pip install 'cyclesim[cluster]')")
    p.add_argument("--out", metavar="DIR", required=True, help="write DIR/runs.csv, DIR/sweep.json and DIR/sweep.html")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")


def run(args) -> int:
    import shlex
    import sys
    from pathlib import Path

    from simulator.commands.common import scenario_path, time_option
    from simulator.errors import InputError
    from simulator.scenario.loader import load
    from simulator.sweep.plan import build_plan, parse_seeds
    from simulator.sweep.pool import default_workers
    from simulator.sweep.vary import parse_vary
    from simulator.sweep.write import finish

    loaded = load(scenario_path(args.scenario))
    seeds = parse_seeds(args.seeds)
    policies = [p.strip() for p in args.policy.split(",")] if args.policy else []
    if any(not p for p in policies):
        raise InputError(f"--policy {args.policy!r}: an empty name between commas")
    until = time_option("--until", args.until)
    if args.workers is not None and not 1 <= args.workers <= 512:
        raise InputError(f"--workers {args.workers}: give 1 to 512")
    varies = [parse_vary(v) for v in args.vary]
    plan = build_plan(loaded, args.scenario, seeds, policies, args.decisions, varies, until, decide_on=args.decide_on)
    workers = args.workers or default_workers()
    out = Path(args.out)
    parts = ["cyclesim", "sweep", args.scenario, "--seeds", args.seeds]
    parts += ["--policy", args.policy] if args.policy else []
    for d in args.decisions:
        parts += ["--decisions", d]
    for v in args.vary:
        parts += ["--vary", v]
    parts += ["--until", args.until] if args.until else []
    parts += ["--decide-on", args.decide_on] if args.decide_on != "knowledge" else []
    parts += ["--scheduler", args.scheduler] if args.scheduler else ["--workers", str(workers)]
    command = " ".join(shlex.quote(p) for p in [*parts, "--out", str(out)])
    meta = {"kind": "sweep", "scenario": loaded.scenario.id, "title": loaded.scenario.title, "command": command,
            "seeds": args.seeds, "players": [p.label for p in plan.players], "vary": list(plan.vary_paths),
            "until": args.until, "decide_on": args.decide_on, "planned": plan.size, "content_hash": loaded.content_hash}
    result = finish(plan, out, meta, workers=workers, scheduler=args.scheduler,
                    show_progress=False if args.no_progress else None)
    rate = len(result.rows) / result.seconds if result.seconds else 0.0
    where = f"Dask cluster {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    print(f"{len(result.rows)} of {plan.size} runs in {result.seconds:.2f} s on {where} ({rate:.0f} runs/s)")
    print(f"wrote runs.csv, sweep.json, sweep.html in {out}")
    if result.interrupted:
        print("cyclesim: interrupted; the finished runs are kept", file=sys.stderr)
        return 130
    return 0
