"""cyclesim replay: play a scenario headless, deterministic, to the end."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from simulator.commands.common import decide_on_option, load_plan, time_option
from simulator.errors import InputError
from simulator.players import POLICY_NAMES
from simulator.text import printable

NAME = "replay"
HELP = "play a scenario headless to the end and write its event log"
EPILOG = """examples:
  cyclesim replay scenarios/vital-signs.yaml --seed 1
  cyclesim replay vital-signs --policy doctrine --out out/vs
  cyclesim replay tutorial --decisions my-decisions.yaml --out out/tut
  cyclesim replay tutorial --until T+12:00 --json
  cyclesim replay vital-signs --seed 7 --policy doctrine --vary network.channels.doh-ie.delay.mode=2
The same scenario, seed and decisions always give the same event log (same sha256)."""


def add_arguments(p) -> None:
    p.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: the tutorial)")
    p.add_argument("--seed", type=int, help="random seed (default: the decisions script's seed, else 1)")
    p.add_argument("--until", help="stop at this scenario time, e.g. T+24:00")
    p.add_argument("--vary", metavar="PATH=V", action="append", default=[],
                   help="set one scenario value first, as a sweep's --vary does (repeatable)")
    decide_on_option(p)
    p.add_argument("--out", metavar="DIR", help="write DIR/events.jsonl (and reports when available)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--decisions", metavar="FILE", help="decisions script to play (see docs/decisions.md)")
    source.add_argument("--policy", choices=POLICY_NAMES, help="automatic player: passive or doctrine")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--quiet", action="store_true", help="print only the sha256 of the event log")
    out.add_argument("--json", action="store_true", help="print the summary as JSON")


def play(args):
    """Run the replay described by args; return (exercise, loaded scenario)."""
    from simulator.engine.batch import single_run_gc
    from simulator.engine.exercise import Exercise
    from simulator.players.policies import POLICIES
    from simulator.players.script import ScriptSource, load_script

    loaded, plan = load_plan(args.scenario)
    if getattr(args, "vary", None):
        loaded, plan = _varied(loaded, args.vary)
    sources = []
    seed = args.seed
    if args.decisions:
        script = load_script(args.decisions)
        sources.append(ScriptSource(script))
        if seed is None:
            seed = script.seed
    if seed is None:
        seed = 1
    if args.policy:
        sources.append(POLICIES[args.policy]())
    until = time_option("--until", args.until)
    ex = Exercise(plan, seed=seed, sources=sources, decide_on=args.decide_on)
    with single_run_gc():
        ex.run(until=until)
    return ex, loaded


def _varied(loaded, specs: list[str]):
    from simulator.scenario.plan import Plan
    from simulator.sweep.vary import apply, parse_vary

    assignments = []
    for spec in specs:
        v = parse_vary(spec)
        if len(v.values) != 1:
            raise InputError(f"--vary {spec!r}: replay takes one value per PATH (a sweep takes several)")
        assignments.append((v.path, v.values[0]))
    changed = apply(loaded, assignments)
    return changed, Plan.of(changed.scenario, changed.content_hash)


def run(args) -> int:
    import gc

    try:
        return _run(args)
    finally:
        gc.unfreeze()  # play() froze the run for the export and reports; an in-process caller goes on as usual


def _run(args) -> int:
    from simulator.journal.summary import render_text, summarize

    ex, loaded = play(args)
    data = ex.journal.export_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "events.jsonl").write_bytes(data)
        write_reports(ex, out)
    summary = summarize(ex.journal)
    if args.quiet:
        print(sha)
    elif args.json:
        print(json.dumps({**summary, "sha256": sha}, indent=2, ensure_ascii=False))
    else:
        print(printable(render_text(summary, sha)))
        if args.out:
            written = ", ".join(f.name for f in sorted(Path(args.out).iterdir()) if f.name in ("events.jsonl", "report.html", "report.md"))
            print(printable(f"wrote {written} in {args.out}", one_line=True))
    return 0


def write_reports(ex, out: Path) -> None:
    """Reports next to the event log, once the report module exists."""
    try:
        from simulator.report import render_files
    except ImportError:
        return
    render_files(ex.journal, out, plan=ex.plan)  # the plan just played: no second load of the scenario
