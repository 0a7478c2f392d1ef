"""``cyclesim --help`` must stay light: building the parser imports no heavy library.

A fresh interpreter is needed (the test process has imported everything);
what a command needs is imported when the command runs (bench/cli.py times it).
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "simpy", "jinja2", "yaml", "rich", "textual", "distributed", "simulator.engine.exercise",
         "simulator.scenario.model", "asyncio", "ssl", "sqlite3", "simulator.journal.store", "simulator.journal.records",
         "simulator.host.protocol")


def test_building_the_parser_imports_no_heavy_module():
    code = ("import sys, simulator.cli; simulator.cli.build_parser(); "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "", f"imported by cyclesim --help: {done.stdout.strip()}"
