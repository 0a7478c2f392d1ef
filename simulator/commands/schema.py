"""cyclesim schema: the JSON Schema of the scenario format, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.errors import InputError

NAME = "schema"
HELP = "print the JSON Schema of the scenario format (for editor completion and checks)"
SCHEMA_FILE = "cyclesim.schema.json"
COMMENT_LINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
EPILOG = f"""examples:
  cyclesim schema --install          # writes scenarios/{SCHEMA_FILE} (or ./{SCHEMA_FILE} without scenarios/)
  cyclesim schema --install my-exercise/scenarios
  cyclesim schema -o {SCHEMA_FILE}
then, as the first line of each scenario in that folder (the path is relative to the scenario file):
  {COMMENT_LINE}
see docs/editor-setup.md"""


def add_arguments(p) -> None:
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", help="write to this file instead of standard output")
    out.add_argument("--install", nargs="?", const="", metavar="FOLDER",
                     help=f"write {SCHEMA_FILE} into FOLDER, the folder of your scenario files "
                          "(default: scenarios/ if there is one here, else this folder)")


def run(args) -> int:
    from simulator.scenario.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"
    if args.install is not None:
        folder = Path(args.install) if args.install else (Path("scenarios") if Path("scenarios").is_dir() else Path("."))
        if not folder.is_dir():
            raise InputError(f"--install: {folder} is not a folder; give the folder that holds your scenario files")
        target = folder / SCHEMA_FILE
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
        print(f"first line of each scenario in {folder}/ (the path is relative to the scenario file):")
        print(f"  {COMMENT_LINE}")
    elif args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        print(text, end="")
    return 0
