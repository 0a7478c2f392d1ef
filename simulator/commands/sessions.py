"""cyclesim sessions: the sessions on this machine, one line each."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from simulator.journal.places import default_sessions_dir
from simulator.text import printable
from simulator.timefmt import format_time

NAME = "sessions"
HELP = "list sessions: scenario, started, last activity, T+ reached, state"
EPILOG = """examples:
  cyclesim sessions
  cyclesim sessions --dir ~/exercise           # sessions created with 'cyclesim play --session ~/exercise/NAME'
  cyclesim sessions --json
States: ended; resumable (stopped or crashed: 'cyclesim resume NAME'); in use (another cyclesim
holds it); unreadable (damaged or from a newer cyclesim; never modified)."""


def add_arguments(p) -> None:
    p.add_argument("--dir", metavar="DIR", help=f"where to look (default: {default_sessions_dir()})")
    p.add_argument("--json", action="store_true", help="print the list as JSON")


def run(args) -> int:
    from simulator.journal.listing import list_sessions

    base = Path(args.dir) if args.dir else default_sessions_dir()
    rows = list_sessions(base)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2))
        return 0
    if not rows:
        print(f"no sessions in {base}")
        return 0
    table = [("SESSION", "SCENARIO", "STARTED", "LAST ACTIVITY", "REACHED", "RECORDS", "STATE")]
    for r in rows:
        state = r.state if not r.problem or r.state == "in use" else f"{r.state}: {r.problem}"
        table.append((r.name, r.scenario or "-", _when(r.started), _when(r.last_activity),
                      format_time(r.t_reached) if r.t_reached is not None else "-", str(r.records), state))
    widths = [max(len(printable(row[i], one_line=True)) for row in table) for i in range(len(table[0]) - 1)]
    for raw in table:
        row = [printable(cell, one_line=True) for cell in raw]
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    print(f"({len(rows)} in {base})")
    return 0


def _when(wall: float | None) -> str:
    return datetime.fromtimestamp(wall).strftime("%Y-%m-%d %H:%M") if wall is not None else "-"
