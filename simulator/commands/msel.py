"""cyclesim msel: the master scenario events list as a spreadsheet (export, and import back)."""

from __future__ import annotations

from pathlib import Path

from simulator.commands.common import scenario_path
from simulator.errors import EXIT_OK, InputError

NAME = "msel"
HELP = "export the MSEL as XLSX/CSV for review, or import an edited one into a scenario"
EPILOG = """examples:
  cyclesim msel export tutorial -o tutorial-msel.xlsx
  cyclesim msel export scenarios/vital-signs.yaml -o vs.csv
  cyclesim msel export tutorial --journal out/tut/events.jsonl -o played.xlsx   # planned vs actual
  cyclesim msel import tutorial-msel.xlsx --into scenarios/tutorial.yaml -o tutorial-v2.yaml
Import problems are printed as FILE:sheet!CELL: message (XLSX) or FILE:row:column: message (CSV),
exit 2, and nothing is written. See docs/msel.md for the columns."""


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="msel_command", metavar="ACTION", parser_class=type(p))
    ex = sub.add_parser("export", help="write the MSEL of a scenario as .xlsx or .csv",
                        description="One row per inject and decision point, in timeline order.")
    ex.add_argument("scenario", metavar="SCENARIO", help="scenario file or bundled id")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    ex.add_argument("--journal", metavar="EVENTS", help="an events.jsonl of a run: add actual times and status")
    ex.set_defaults(msel_run=_export)
    im = sub.add_parser("import", help="apply an edited MSEL to a scenario and write a new scenario file",
                        description="Rows update the injects with the same MSEL #; new numbers become injects.")
    im.add_argument("file", metavar="FILE", help="the MSEL, .xlsx or .csv")
    im.add_argument("--into", required=True, metavar="SCENARIO", help="scenario file (or bundled id) to update")
    im.add_argument("-o", "--output", required=True, metavar="NEW.yaml", help="where to write the new scenario")
    im.set_defaults(msel_run=_import)


def run(args) -> int:
    action = getattr(args, "msel_run", None)
    if action is None:
        raise InputError("say what to do: 'cyclesim msel export ...' or 'cyclesim msel import ...' (see --help)")
    return action(args)


def _export(args) -> int:
    # imported here, not at the top: --help of every command stays quick
    from simulator.scenario.loader import load
    from simulator.scenario.msel import write_msel
    from simulator.scenario.msel.actuals import actuals_from_records

    loaded = load(scenario_path(args.scenario))
    actuals = None
    if args.journal:
        from simulator.journal.journal import read_jsonl

        journal = read_jsonl(args.journal)
        started = journal.of_kind("exercise.started")
        if started and started[0].get("scenario") != loaded.scenario.id:
            raise InputError(f"{args.journal} is a run of {started[0].get('scenario')!r}, not of {loaded.scenario.id!r}")
        actuals = actuals_from_records(journal)
    path = write_msel(loaded.scenario, args.output, actuals=actuals)
    rows = len(loaded.scenario.injects) + len(loaded.scenario.decision_points)
    print(f"wrote {path} ({rows} rows{', with actual times' if actuals is not None else ''})")
    return EXIT_OK


def _import(args) -> int:
    from simulator.scenario.msel import import_msel

    result = import_msel(args.file, scenario_path(args.into), args.output)
    for ident, fields in result.updated.items():
        print(f"updated {ident}: {', '.join(fields)}")
    for ident in result.added:
        print(f"added {ident}")
    if result.ignored_columns:
        print(f"columns not read: {', '.join(result.ignored_columns)}")
    if not result.updated and not result.added:
        print("no changes: the sheet matches the scenario")
    print(f"wrote {Path(args.output)}")
    return EXIT_OK
