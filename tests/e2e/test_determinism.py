"""The same scenario + seed (+ decisions) gives byte-identical exports in separate processes.

String hashing is salted per process (PYTHONHASHSEED), so iterating a set or
a str-keyed hash order would change the journal between processes while an
in-process repeat would not notice: each run here is its own interpreter.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "data" / "engine" / "scripts" / "tutorial-key.yaml"
SHA = re.compile(r"^[0-9a-f]{64}$")


def replay_sha(args: list[str], hashseed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    done = subprocess.run([sys.executable, "-m", "simulator", "replay", *args, "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sha = done.stdout.strip()
    assert SHA.match(sha), done.stdout
    return sha


def shas(runs: list[tuple[list[str], str]]) -> list[str]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda run: replay_sha(*run), runs))


@pytest.mark.parametrize("source", [["--policy", "doctrine"], ["--policy", "passive"], ["--decisions", str(SCRIPT)]],
                         ids=["doctrine", "passive", "decisions-script"])
def test_same_seed_same_bytes_across_processes_and_another_seed_differs(source):
    one, two, other = shas([
        (["tutorial", "--seed", "1", *source], "1"),
        (["tutorial", "--seed", "1", *source], "2"),
        (["tutorial", "--seed", "2", *source], "1"),
    ])
    assert one == two, "the same replay gave different bytes under PYTHONHASHSEED=1 and =2"
    assert other != one, "seed 2 gave the same journal as seed 1"


def test_policy_and_script_runs_differ_from_each_other():
    doctrine, scripted = shas([
        (["tutorial", "--seed", "1", "--policy", "doctrine"], "0"),
        (["tutorial", "--seed", "1", "--decisions", str(SCRIPT)], "0"),
    ])
    assert doctrine != scripted


def test_in_process_sha_matches_the_subprocess(capsys):
    from simulator.cli import main

    assert main(["replay", "tutorial", "--seed", "1", "--policy", "doctrine", "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == replay_sha(["tutorial", "--seed", "1", "--policy", "doctrine"], "3")
