"""cyclesim list: the bundled scenarios, one line each."""

from __future__ import annotations

import sys

from simulator.commands.common import bundled_scenarios
from simulator.errors import InputError
from simulator.text import printable

NAME = "list"
HELP = "list the bundled scenarios with their title and a one-line summary"
EPILOG = """examples:
  cyclesim list
  cyclesim replay vital-signs      # a listed id can be used instead of a path"""


def add_arguments(p) -> None:
    pass


def run(args) -> int:
    from simulator.scenario.loader import load

    rows = []
    for path in bundled_scenarios():
        try:
            s = load(path).scenario
            rows.append((s.id, s.title, s.summary))
        except InputError:
            rows.append((path.stem, "(does not validate: run 'cyclesim validate')", ""))
    width = max((len(r[0]) for r in rows), default=0)
    for ident, title, summary in rows:
        line = f"{ident:<{width}}  {title} — {summary}" if summary else f"{ident:<{width}}  {title}"
        print(printable(line, one_line=True))
    if not rows:
        print("no bundled scenarios found", file=sys.stderr)
    return 0
