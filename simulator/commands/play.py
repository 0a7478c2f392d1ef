"""cyclesim play: run a facilitated session in the terminal UI.

The UI lives in the ``tui`` package and is imported only when the command
runs, so nothing else under ``simulator/`` loads Textual.
"""

from __future__ import annotations

from pathlib import Path

from simulator.commands.common import decide_on_option, load_plan, need_terminal
from simulator.commands.frontend import terminal_ui
from simulator.errors import InputError

NAME = "play"
HELP = "run a facilitated session in the terminal UI"
EPILOG = """examples:
  cyclesim play                      the tutorial, seed 1, session saved in your data folder
  cyclesim play vital-signs --seed 7
  cyclesim play tutorial --session /tmp/s1
The session is saved as it runs; the briefing screen shows first (press s to start).
In the UI: space runs/pauses, +/- change speed, t switches team, ? shows every key."""


def add_arguments(p) -> None:
    p.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: the tutorial)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--session", metavar="PATH",
                   help="where to save the session (must not exist yet; default: a new one in your data folder)")
    decide_on_option(p)


def run(args) -> int:
    from simulator.engine.exercise import Exercise
    from simulator.session.session import Session

    loaded, plan = load_plan(args.scenario)
    if args.session and Path(args.session).exists():
        raise InputError(f"{args.session} already exists: a session is never overwritten; choose a new --session "
                         f"path, or continue that one with 'cyclesim resume {args.session}'")
    need_terminal("play")
    session = Session.create(loaded, args.seed, Path(args.session) if args.session else None)
    try:
        exercise = Exercise(plan, seed=args.seed, journal=session.journal, decide_on=args.decide_on)
        return terminal_ui()(exercise, session=session)
    finally:
        session.close()
