"""Golden journals: the SHA-256 of every bundled scenario's event log, seed 1, passive and doctrine.

Same scenario + seed + inputs must give a byte-identical event log. The
runs compared are the command line's replays that other files check too
(``bundled_replay``, tests/conftest.py: ``replay ID --seed 1 --policy P``,
whose printed sha256 test_bundled_scenarios.py checks against the event log
it wrote); regenerating plays the engine directly. A change
that alters a journal on purpose (a new record, a model change, a procedure
fix) regenerates the hashes in the same commit and says so:

    UPDATE_GOLDEN=1 pytest tests/unit/test_journal_golden.py
    git diff tests/data/golden/journals.json
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise
from simulator.players.policies import POLICIES
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "journals.json"
CASES = [(path.stem, policy) for path in sorted((ROOT / "scenarios").glob("*.yaml")) for policy in ("passive", "doctrine")]


def journal_hash(scenario: str, policy: str, seed: int = 1) -> str:
    loaded = load(ROOT / "scenarios" / f"{scenario}.yaml")
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=seed, sources=[POLICIES[policy]()])
    ex.run()
    return ex.journal.export_hash()


def test_golden_file_covers_every_bundled_scenario():
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps({f"{s}/{p}": journal_hash(s, p) for s, p in CASES}, indent=1, sort_keys=True) + "\n")
    assert sorted(json.loads(GOLDEN.read_text())) == sorted(f"{s}/{p}" for s, p in CASES)


@pytest.mark.parametrize("scenario,policy", CASES)
def test_journal_is_byte_identical_to_the_golden_one(scenario, policy, bundled_replay):
    expected = json.loads(GOLDEN.read_text())[f"{scenario}/{policy}"]
    assert bundled_replay(scenario, policy).summary["sha256"] == expected, (
        f"{scenario} under {policy} (seed 1) no longer gives the golden journal: if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and say why in the commit")
