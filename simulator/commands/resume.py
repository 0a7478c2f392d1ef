"""cyclesim resume: rebuild a session from its store, check it, and continue it in the TUI."""

from __future__ import annotations

import importlib.util
import json
import sys

from simulator.commands.common import need_terminal
from simulator.commands.frontend import terminal_ui
from simulator.errors import SimulatorError
from simulator.text import printable
from simulator.timefmt import format_time

NAME = "resume"
HELP = "rebuild a session, check it record for record, and continue it in the terminal UI"
EPILOG = """examples:
  cyclesim resume tutorial-001                 # a name listed by 'cyclesim sessions'
  cyclesim resume ~/exercise/day1              # a session folder (--session of 'cyclesim play')
  cyclesim resume day1 --check                 # verify only: rebuild, compare, report, exit
  cyclesim resume day1 --stored                # the scenario file changed: play the copy kept in the session
The stored inputs are fed to a fresh engine with the session's seed; every rebuilt record must equal
the stored one. If the scenario file changed, or the journal diverges, resume stops with a message
naming the first difference and changes nothing on disk. Exit codes: 0 ok, 1 diverged, 2 bad session."""


def add_arguments(p) -> None:
    p.add_argument("session", help="session folder, or the name of one in the default sessions dir")
    p.add_argument("--check", action="store_true",
                   help="only rebuild and compare, report, and exit (nothing is written; for CI)")
    p.add_argument("--stored", action="store_true",
                   help="play the scenario copy kept in the session even if the original file changed")
    p.add_argument("--scenario", metavar="FILE",
                   help="where the original scenario file is now, if it moved (it is compared, not played)")
    p.add_argument("--json", action="store_true", help="with --check: print the report as JSON")


def run(args) -> int:
    from simulator.session.session import Session

    if not args.check and importlib.util.find_spec("tui.app") is None:
        raise SimulatorError("the terminal UI (tui.app) is not installed; 'cyclesim resume SESSION --check' "
                             "verifies the session without it")
    session, result = Session.resume(args.session, scenario_file=args.scenario, use_stored=args.stored,
                                     check_only=args.check)
    try:
        if result.note:
            print(printable(result.note), file=sys.stderr)
        ex = result.exercise
        report = {
            "session": str(session.path), "scenario": session.scenario_id, "seed": session.seed,
            "content_hash": result.loaded.content_hash, "records": len(ex.journal), "stored": result.stored,
            "completed": result.completed, "at": format_time(ex.now), "ended": ex.ended,
            "sha256": ex.journal.export_hash(),
        }
        if args.check:
            if args.json:
                print(json.dumps(report, indent=2))
            else:
                print(printable(_line(report), one_line=True))
            return 0
        print(printable(_line(report), one_line=True))
        if ex.ended:
            print(f"the exercise has ended: its report is 'cyclesim report {session.path}'", file=sys.stderr)
            return 0
        need_terminal("resume")
        return terminal_ui()(ex, session=session)
    finally:
        session.close()


def _line(r: dict) -> str:
    extra = f", {r['completed']} completed from an interrupted step" if r["completed"] else ""
    state = "ended" if r["ended"] else f"stopped at {r['at']}"
    return (f"{r['session']}: {r['scenario']} seed {r['seed']}: {r['stored']} records rebuilt identically{extra}; "
            f"{state}; sha256 {r['sha256']}")
