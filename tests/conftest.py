"""Settings for the whole suite: Hypothesis profiles, and the collector frozen after collection.

The property tests take their example counts from a profile, so the default
run stays fast and a thorough hunt is one option away:

    pytest                                   # profile "fast" (the default)
    pytest --hypothesis-profile=thorough     # or HYPOTHESIS_PROFILE=thorough pytest

"thorough" runs 20 times as many examples; use it before a release or
after touching the YAML reader, the loader or the store's copy code.
"""

from __future__ import annotations

import gc
import json
import os
from functools import cached_property
from pathlib import Path

import pytest
from cli_support import Run, cyclesim
from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("fast", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


GC_THRESHOLDS = (10_000, 20, 20)
"""The test process's collector thresholds (CPython's default is 700, 10, 10)."""


def pytest_collection_finish(session):
    """Freeze what importing and collecting built out of the cyclic collector; collect in bigger batches.

    Every module, class and function of the simulator, Textual, pydantic and
    the collected tests lives until the run ends, yet each full collection
    scanned all of it again; and the TUI tests make cyclic garbage fast.
    Frozen objects are still there, only no longer scanned; later objects are
    collected as usual, in rarer, larger batches. Measured on the whole suite
    (one process): collector time fell from about 10 s to 5 s of CPU. This is
    the test process only: the product's own settings (``tui.app.tune_gc``,
    ``simulator.engine.batch``) are unchanged and tested as they are.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@pytest.fixture
def collector_retuned():
    """For a test that unfreezes the collector: put it back as :func:`pytest_collection_finish` left it.

    ``tui.app.untune_gc`` unfreezes every object, by contract, and its test
    checks that. Left so, the rest of the run scanned the whole import graph
    again at every full collection (``batch_gc`` collects after each replay
    and each sweep batch) and each forked sweep worker copied it page by
    page: measured on the whole suite in one process, the collector took 15 s
    instead of 7, and the sweep tests after test_responsiveness.py 3 to 5
    times their CPU time. Not autouse: ``gc.get_freeze_count()`` walks the
    frozen objects (20 ms), too dear to ask after every test.
    """
    yield
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class BundledRun:
    """One ``cyclesim replay ID --seed 1 --policy P --out DIR --json`` of a bundled scenario, and what it wrote."""

    def __init__(self, run: Run, out: Path) -> None:
        self.run = run
        self.out = out
        """The --out folder: events.jsonl, report.html, report.md."""

    @cached_property
    def summary(self) -> dict:
        """What --json printed (with ``outcome`` and ``sha256``)."""
        assert self.run.returncode == 0, self.run.stderr
        return json.loads(self.run.stdout)

    @cached_property
    def records(self) -> list[dict]:
        """events.jsonl, one dict a record."""
        assert self.run.returncode == 0, self.run.stderr
        return [json.loads(line) for line in (self.out / "events.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def bundled_replay(tmp_path_factory):
    """``bundled_replay(scenario_id, policy)``: the command line's replay of a bundled scenario, once per test process.

    Several files check the same replays (every bundled scenario plays and
    reports; the reference storylines; doctrine against passive); each was
    replaying them on its own. Seed 1, through ``simulator.cli.main`` from the
    project root, as a planner runs it. Read-only for the tests: they share it.
    """
    base = tmp_path_factory.mktemp("bundled-replays")
    done: dict[tuple[str, str], BundledRun] = {}

    def get(scenario: str, policy: str) -> BundledRun:
        if (scenario, policy) not in done:
            out = base / f"{scenario}-{policy}"
            run = cyclesim("replay", scenario, "--seed", "1", "--policy", policy, "--out", out, "--json")
            done[scenario, policy] = BundledRun(run, out)
        return done[scenario, policy]

    return get
