"""The few checks that need a real process, one per concern.

Every other command-line test calls ``simulator.cli.main`` in-process
(``tests/cli_support.py``): an interpreter start costs more than most of the
commands it would run. What only a process can show is here:

- the ``cyclesim`` console script is installed and starts;
- ``python -m simulator`` works, and its event log does not depend on the
  interpreter's string-hash seed (PYTHONHASHSEED is fixed per process, so an
  in-process repeat could not notice a set iterated in hash order);
- bad input exits 2 with a located message and no traceback, as the
  interpreter really exits;
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
from concurrent.futures import ThreadPoolExecutor
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


def test_python_m_simulator_replays_the_same_bytes_under_another_hash_seed():
    sources = {"doctrine": ["--policy", "doctrine"], "passive": ["--policy", "passive"],
               "decisions-script": ["--decisions", str(SCRIPT)]}
    seed = _other_hash_seed()

    def child(args: list[str]) -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "simulator", "replay", "tutorial", "--seed", "1", *args, "--quiet"],
                   env={"PYTHONHASHSEED": seed})

    with ThreadPoolExecutor(max_workers=2) as pool:
        children = dict(zip(sources, pool.map(child, sources.values())))
    for name, args in sources.items():
        here = cyclesim("replay", "tutorial", "--seed", "1", *args, "--quiet")
        assert here.returncode == 0, here.stderr
        there = children[name]
        assert there.returncode == 0, there.stderr
        assert len(there.stdout.strip()) == 64, there.stdout
        assert there.stdout == here.stdout, f"{name}: PYTHONHASHSEED={seed} gave another journal than this process"


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
