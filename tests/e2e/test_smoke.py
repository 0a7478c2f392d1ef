"""The few checks that need a real process, one per concern.

Every other command-line test calls ``simulator.cli.main`` in-process
(``tests/cli_support.py``): an interpreter start costs more than most of the
commands it would run. What only a process can show is here:

- the ``cyclesim`` console script is installed and starts;
- the event log does not depend on the interpreter's string-hash seed
  (PYTHONHASHSEED is fixed per process, so an in-process repeat could not
  notice a set iterated in hash order): one child under another seed replays
  with each kind of decision source;
- ``python -m simulator`` works: bad input exits 2 with a located message and
  no traceback, as the interpreter really exits;
- the terminal UI refuses to draw into a pipe (real file descriptors that are
  not a terminal);
- importing every simulator module, and the CLI, loads no Textual (needs a
  fresh ``sys.modules``).

A session killed with SIGKILL and resumed is ``test_sessions_kill.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_support import cyclesim

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "simulator"
SCRIPT = ROOT / "tests" / "data" / "engine" / "scripts" / "tutorial-key.yaml"


def run(args: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, **kwargs)


def test_the_console_script_starts():
    script = Path(sys.executable).with_name("cyclesim")
    assert script.is_file(), f"no console script next to {sys.executable}: install the project (pip install -e .)"
    done = run([str(script), "--version"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("cyclesim "), done.stdout


def _other_hash_seed() -> str:
    """A string-hash seed surely different from this process's (random unless PYTHONHASHSEED is set)."""
    mine = os.environ.get("PYTHONHASHSEED", "random")
    return "2" if mine == "1" else "1"


def test_the_event_log_does_not_depend_on_the_string_hash_seed():
    sources = {"doctrine": ["--policy", "doctrine"], "passive": ["--policy", "passive"],
               "decisions-script": ["--decisions", str(SCRIPT)]}
    seed = _other_hash_seed()
    replays = [["replay", "tutorial", "--seed", "1", *args, "--quiet"] for args in sources.values()]
    code = ("import sys\n"
            "from simulator.cli import main\n"
            f"sys.exit(max(main(argv) for argv in {replays!r}))\n")
    child = run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed})  # one interpreter, three replays
    assert child.returncode == 0, child.stderr
    there = child.stdout.splitlines()
    assert len(there) == len(sources) and all(len(sha) == 64 for sha in there), child.stdout
    for (name, args), sha in zip(sources.items(), there):
        here = cyclesim("replay", "tutorial", "--seed", "1", *args, "--quiet")
        assert here.returncode == 0, here.stderr
        assert here.stdout.strip() == sha, f"{name}: PYTHONHASHSEED={seed} gave another journal than this process"


def test_bad_input_exits_2_with_a_located_message_and_no_traceback():
    done = run([sys.executable, "-m", "simulator", "validate", "tests/data/bad/unknown-team.yaml"])
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("tests/data/bad/unknown-team.yaml:125:11: unknown team 'ire'"), done.stderr


def test_the_terminal_ui_needs_a_terminal(tmp_path):
    folder = tmp_path / "s1"
    done = run([sys.executable, "-m", "simulator", "play", "--session", str(folder)], stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "needs an interactive terminal" in done.stderr and "Traceback" not in done.stderr
    assert not folder.exists(), "no session is created when the UI cannot open"


def test_importing_every_simulator_module_and_the_cli_loads_no_textual():
    modules = sorted(
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in PACKAGE.rglob("*.py")
        if path.name != "__main__.py"
    )
    assert "simulator.engine.exercise" in modules and "simulator.commands.replay" in modules
    code = (
        "import importlib, sys\n"
        "def ui():\n"
        "    return sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "import simulator.cli\n"
        "after_cli = ui()\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(len(sys.modules), after_cli, ui())\n"
        "sys.exit(1 if after_cli or ui() else 0)\n"
    )
    done = run([sys.executable, "-c", code])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("[] []")
