"""cyclesim export: a session's inputs as a decisions script, its journal as JSONL, its scenario copy."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simulator.errors import InputError
from simulator.text import printable

NAME = "export"
HELP = "write a session's decisions script, canonical event log or scenario copy"
EPILOG = """examples:
  cyclesim export tutorial-001 --decisions day1.yaml
  cyclesim replay tutorial --seed 3 --decisions day1.yaml     # reproduces the session's journal exactly
  cyclesim export tutorial-001 --events day1.jsonl            # canonical JSONL; prints its sha256
  cyclesim export tutorial-001 --scenario played.yaml         # the scenario exactly as played
A session can be exported while it is being played: the export is a consistent snapshot."""


def add_arguments(p) -> None:
    p.add_argument("session", help="session folder, or the name of one in the default sessions dir")
    p.add_argument("--decisions", metavar="FILE", help="the session's inputs as a decisions script (YAML)")
    p.add_argument("--events", metavar="FILE", help="the journal as canonical JSON Lines")
    p.add_argument("--scenario", metavar="FILE", help="the scenario as played, as one standalone file")


def run(args) -> int:
    from simulator.journal.journal import Journal
    from simulator.journal.store import read_session, resolve

    if not (args.decisions or args.events or args.scenario):
        raise InputError("say what to export: --decisions FILE, --events FILE and/or --scenario FILE")
    folder = resolve(args.session)
    for out in (args.decisions, args.events, args.scenario):
        if out and Path(out).resolve().is_relative_to(folder.resolve()):
            raise InputError(f"{out}: write exports outside the session folder {folder}")
    warnings: list[str] = []
    meta, records = read_session(folder, warnings)
    for w in warnings:
        print(printable(f"warning: {w}"), file=sys.stderr)
    journal = Journal(records)
    if args.events:
        sha = journal.export_jsonl(args.events)
        print(printable(f"wrote {args.events}: {len(journal)} records, sha256 {sha}", one_line=True))
    if args.scenario:
        if meta.standalone is None:
            raise InputError(f"{folder}: this session holds no standalone scenario copy")
        Path(args.scenario).write_text(meta.standalone, encoding="utf-8")
        print(printable(f"wrote {args.scenario}: scenario {meta.scenario} as played (content hash {meta.content_hash[:12]})", one_line=True))
    if args.decisions:
        from simulator.players.script import export_script
        from simulator.scenario.standalone import dump_yaml

        script = export_script(journal, meta.scenario, meta.seed)
        header = (f"# Inputs of session {folder.name} ({meta.scenario}, seed {meta.seed}): "
                  f"'cyclesim replay SCENARIO --seed {meta.seed} --decisions FILE' reproduces its journal.\n")
        Path(args.decisions).write_text(dump_yaml(script, header), encoding="utf-8")
        _check_written(args.decisions, script)
        print(printable(f"wrote {args.decisions}: {len(script['inputs'])} inputs; replay with: "
                        f"cyclesim replay {_scenario_arg(meta)} --seed {meta.seed} --decisions {args.decisions}",
                        one_line=True))
    return 0


def _check_written(path: str, script: dict) -> None:
    """The script must read back to exactly the inputs written (no value may change type in YAML)."""
    from simulator.journal.journal import canonical
    from simulator.players.script import load_script

    back = load_script(path)
    got = [canonical(i.model_dump()) for i in back.inputs]
    want = [canonical(i) for i in script["inputs"]]
    if got != want or back.seed != script["seed"]:
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise InputError(f"{path}: the written script does not read back exactly (input {first}); "
                         f"please report this. Expected {json.dumps(want[first:first + 1])}")


def _scenario_arg(meta) -> str:
    from simulator.scenario.loader import load

    source = Path(meta.source_path)
    try:
        if source.is_file() and load(source).content_hash == meta.content_hash:
            return str(source)
    except InputError:
        pass
    return "PLAYED.yaml (write it with --scenario PLAYED.yaml: the original file changed or is gone)"
