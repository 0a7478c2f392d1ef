"""The same scenario + seed (+ decisions) gives byte-identical exports; another seed differs.

These run in-process. That the bytes do not depend on the interpreter's
string-hash seed (PYTHONHASHSEED, fixed per process) needs other processes:
``test_smoke.py`` replays the same three sources under another hash seed and
compares them with this process's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import cyclesim

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "data" / "engine" / "scripts" / "tutorial-key.yaml"
SHA = re.compile(r"^[0-9a-f]{64}$")


def replay_sha(args: list[str]) -> str:
    done = cyclesim("replay", *args, "--quiet")
    assert done.returncode == 0, done.stderr
    sha = done.stdout.strip()
    assert SHA.match(sha), done.stdout
    return sha


@pytest.mark.parametrize("source", [["--policy", "doctrine"], ["--policy", "passive"], ["--decisions", str(SCRIPT)]],
                         ids=["doctrine", "passive", "decisions-script"])
def test_same_seed_same_bytes_and_another_seed_differs(source):
    one = replay_sha(["tutorial", "--seed", "1", *source])
    two = replay_sha(["tutorial", "--seed", "1", *source])
    other = replay_sha(["tutorial", "--seed", "2", *source])
    assert one == two, "the same replay gave different bytes twice in one process"
    assert other != one, "seed 2 gave the same journal as seed 1"


def test_policy_and_script_runs_differ_from_each_other():
    doctrine = replay_sha(["tutorial", "--seed", "1", "--policy", "doctrine"])
    scripted = replay_sha(["tutorial", "--seed", "1", "--decisions", str(SCRIPT)])
    assert doctrine != scripted
