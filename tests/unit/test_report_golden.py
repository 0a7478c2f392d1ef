"""Golden file: the Markdown report of the tutorial, seed 1, played by the doctrine policy.

This is the report ``cyclesim replay tutorial --seed 1 --policy doctrine --out DIR``
writes as DIR/report.md (default audience: the scenario's TLP:GREEN).

The engine is still changing, so when a change to the engine, the tutorial or
the report is intended, regenerate the file and review the diff:

    UPDATE_GOLDEN=1 pytest tests/unit/test_report_golden.py
    git diff tests/data/golden/tutorial-doctrine-seed1.md
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.players.policies import POLICIES
from simulator.report import build, render_markdown
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "tutorial-doctrine-seed1.md"


def regenerate() -> str:
    loaded = load(ROOT / "scenarios" / "tutorial.yaml")
    plan = Plan.of(loaded.scenario, loaded.content_hash)
    ex = Exercise(plan, seed=1, sources=[POLICIES["doctrine"]()])
    ex.run()
    return render_markdown(build(ex.journal, plan=plan))


def test_tutorial_doctrine_seed1_markdown_matches_the_golden_file():
    text = regenerate()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing: run UPDATE_GOLDEN=1 pytest {Path(__file__).relative_to(ROOT)}"
    want = GOLDEN.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "golden", "now", n=1))
        raise AssertionError("the report differs from the golden file (if intended: UPDATE_GOLDEN=1 pytest "
                             f"{Path(__file__).relative_to(ROOT)}):\n" + diff[:6000])
