"""cyclesim schema: the JSON Schema of the scenario format, generated from the models."""

from __future__ import annotations

import json


NAME = "schema"
HELP = "print the JSON Schema of the scenario format (for editor completion and checks)"
EPILOG = """examples:
  cyclesim schema > cyclesim.schema.json
  # then in a scenario's first line, for the YAML language server:
  # yaml-language-server: $schema=./cyclesim.schema.json"""


def add_arguments(p) -> None:
    p.add_argument("-o", "--output", help="write to this file instead of standard output")


def run(args) -> int:
    from simulator.scenario.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        print(text, end="")
    return 0
