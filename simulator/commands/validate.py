"""cyclesim validate: check scenario files and report every problem with its place."""

from __future__ import annotations

import json
import sys

from simulator.commands.common import scenario_path
from simulator.errors import EXIT_BAD_INPUT, EXIT_OK, InputError, Problem, format_problems
from simulator.text import printable

NAME = "validate"
HELP = "check scenario files; print every problem as path:line:col: message"
EPILOG = """examples:
  cyclesim validate scenarios/tutorial.yaml
  cyclesim validate scenarios/*.yaml
  cyclesim validate --json my-exercise.yaml | jq .
exit codes: 0 all valid, 2 a file has problems"""


def add_arguments(p) -> None:
    p.add_argument("files", nargs="+", metavar="SCENARIO", help="scenario YAML files")
    p.add_argument("--json", action="store_true", help="print problems as JSON objects (one list)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")


def run(args) -> int:
    from simulator.scenario.loader import load

    problems: list[Problem] = []
    valid = []
    for name in args.files:
        try:
            loaded = load(scenario_path(name))
            valid.append({"path": name, "id": loaded.scenario.id, "injects": len(loaded.scenario.injects)})
        except InputError as e:
            problems += e.problems or [Problem(name, 1, 1, str(e))]
    if args.json:
        print(json.dumps({"valid": valid, "problems": [p.as_dict() for p in sorted(problems)]}, indent=2))
    else:
        if problems:
            print(format_problems(sorted(problems)), file=sys.stderr)
        if not args.quiet:
            for v in valid:
                print(printable(f"{v['path']}: ok ({v['id']}, {v['injects']} injects)", one_line=True))
        if problems:
            files = len({p.path for p in problems})
            print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
    return EXIT_BAD_INPUT if problems else EXIT_OK
