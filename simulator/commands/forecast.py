"""cyclesim forecast: possible evolutions of a session from where it stands now."""

from __future__ import annotations

NAME = "forecast"
HELP = "fork a session at its current time and play many possible futures (distribution of outcomes ahead)"
EPILOG = """examples:
  cyclesim forecast vs-003                                   200 futures, 48 h ahead, doctrine from now on
  cyclesim forecast ~/sessions/vs-003 --runs 500 --horizon 72h --policy passive --out out/vs-ahead
  cyclesim forecast vs-003 --seeds 17 --out out/one          one future again (seed 17 of a forecast)
Every run replays the session's inputs exactly to its last record, then draws fresh
random streams and lets the policy decide. The past is the same in all runs; the
spread is what may still happen. Writes runs.csv and sweep.html with --out. See docs/sweeps.md."""


def add_arguments(p) -> None:
    import argparse

    p.add_argument("session", metavar="SESSION", help="a session folder, its session.sqlite, or a session name")
    p.add_argument("--runs", type=int, default=200, help="number of futures (default 200; seeds 1..RUNS)")
    p.add_argument("--seeds", help="exact forecast seeds instead of --runs, e.g. 17 or 1-50")
    p.add_argument("--horizon", default="48h", help="how far ahead, e.g. 48h, 3d (default 48h; capped at the end)")
    p.add_argument("--policy", default="doctrine", help="who decides from now on: doctrine (default) or passive")
    p.add_argument("--workers", type=int, help="local worker processes (default: the CPU count)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (tcp://HOST:PORT)")
    p.add_argument("--out", metavar="DIR", help="also write DIR/runs.csv, DIR/sweep.json and DIR/sweep.html")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (runs, fork_at, until, policy, lines: the table, annex: the text "
                        "to send a team with an assessment) instead of the table")
    # the host's and the console's child (simulator/forecast_child.py): lower priority, stopped with its
    # workers when standard input closes; not for people, whose Ctrl-C it would take away (setsid)
    p.add_argument("--background", action="store_true", help=argparse.SUPPRESS)


def run(args) -> int:
    import tempfile
    from pathlib import Path

    from simulator.errors import InputError
    from simulator.report.source import open_source
    from simulator.scenario.loader import LoadedScenario
    from simulator.scenario.plan import Plan
    from simulator.sweep.forecast import check_past, fork_of
    from simulator.sweep.plan import build_plan, parse_seeds
    from simulator.timefmt import parse_duration

    if args.seeds is None and not 1 <= args.runs <= 100_000:
        raise InputError(f"--runs {args.runs}: give 1 to 100000")
    try:
        horizon = parse_duration(args.horizon)
    except ValueError as e:
        raise InputError(f"--horizon {args.horizon!r}: {e}") from None
    if horizon <= 0:
        raise InputError(f"--horizon {args.horizon!r}: must be longer than zero")
    if args.workers is not None and not 1 <= args.workers <= 512:
        raise InputError(f"--workers {args.workers}: give 1 to 512")
    source = open_source(args.session)
    if source.plan is None:
        raise InputError(f"{source.where}: the scenario this session played was not found (or has changed); "
                         "a forecast needs it to play the future")
    fork = fork_of(source.journal, source.where, source.clock)
    seeds = parse_seeds(args.seeds) if args.seeds else list(range(1, args.runs + 1))
    until = fork.at + horizon
    played: Plan = source.plan  # type: ignore[assignment]  # a Plan whenever it is not None
    scenario = played.scenario
    loaded = LoadedScenario(scenario, Path(source.where), played.content_hash)
    check_past(played, fork, source.journal)
    plan = build_plan(loaded, args.session, seeds, [args.policy], [], [],
                      until=until if until < scenario.duration else None, fork=fork)
    if args.background:  # after every check: a bad session or option exits 2 with its message, as without it
        from simulator.forecast_child import run_in_background

        run_in_background(Path(args.out) if args.out else None)
    scratch = None if args.out else tempfile.TemporaryDirectory(prefix="cyclesim-forecast-")  # the table is printed
    out = Path(args.out) if args.out else Path(scratch.name)  # type: ignore[union-attr]
    try:
        return _run(args, plan, out, fork, played, scenario, until, source.where)
    finally:
        if scratch is not None:
            scratch.cleanup()


def _run(args, plan, out, fork, played, scenario, until, where) -> int:
    import shlex

    from simulator.sweep.outlook import outlook_of
    from simulator.sweep.pool import default_workers
    from simulator.sweep.write import finish
    from simulator.timefmt import format_time

    ahead = format_time(min(until, scenario.duration))
    meta = {"kind": "forecast", "scenario": scenario.id, "title": scenario.title, "source": where,
            "fork_at": format_time(fork.at), "until": ahead, "seeds": args.seeds or f"1-{args.runs}",
            "players": [args.policy], "vary": [], "planned": plan.size, "content_hash": played.content_hash,
            "command": "cyclesim forecast " + " ".join(shlex.quote(a) for a in
                                                        [args.session, "--horizon", args.horizon, "--policy", args.policy])}

    def replay(row) -> str:
        return " ".join(shlex.quote(a) for a in ["cyclesim", "forecast", args.session, "--seeds", str(row["seed"]),
                                                 "--horizon", args.horizon, "--policy", args.policy, "--out", "DIR"])

    result = finish(plan, out, meta, workers=args.workers or default_workers(), scheduler=args.scheduler,
                    show_progress=False if args.no_progress else None, replay=replay)
    outlook = outlook_of(result, scenario.id, fork, min(until, scenario.duration), args.policy)
    if args.json:
        import json

        print(json.dumps({"runs": outlook.runs, "policy": outlook.policy, "fork_at": format_time(outlook.fork_at),
                          "until": format_time(outlook.until), "seconds": round(result.seconds, 3),
                          "interrupted": result.interrupted, "lines": outlook.lines(), "table": outlook.table_json(),
                          "annex": outlook.annex()},
                         ensure_ascii=False, sort_keys=True))
        return 130 if result.interrupted else 0
    print(f"forecast of {where} from {format_time(fork.at)} to {ahead}: {len(result.rows)} futures "
          f"under {args.policy}, in {result.seconds:.2f} s")
    for line in outlook.lines():
        print(line)
    if args.out:
        print(f"wrote runs.csv, sweep.json, sweep.html in {out}")
    return 130 if result.interrupted else 0
