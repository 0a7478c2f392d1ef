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


class _Unfreezes:
    """Calls of ``gc.unfreeze()`` since the suite's collector was last put back, and how often it was."""

    seen = False
    put_back = 0
    unfreeze = staticmethod(gc.unfreeze)


def _unfreeze_and_note() -> None:
    _Unfreezes.seen = True
    _Unfreezes.unfreeze()


gc.unfreeze = _unfreeze_and_note  # the test process only: the same call, noted

FULL_EVERY = 25
"""Every so many put-backs, one full collection first, so that no garbage stays frozen for long."""


@pytest.fixture(autouse=True)
def _collector_put_back():
    """After a test that unfroze the collector, freeze again what :func:`pytest_collection_finish` froze.

    ``gc.unfreeze()`` unfreezes every object, not only the caller's: the
    product calls it (``tui.app.untune_gc``, by contract and in its test; and
    code that freezes what one run built and unfreezes after it). Left so,
    the rest of the run scanned the whole import graph again at every full
    collection (``batch_gc`` collects after each replay and each sweep batch)
    and each forked sweep worker copied it page by page: measured on the
    whole suite in one process, the collector took 15 s instead of 7, and the
    sweep tests after test_responsiveness.py 3 to 5 times their CPU time.

    Cheap both ways: ``gc.unfreeze`` is wrapped to note that it ran (asking
    ``gc.get_freeze_count()`` walks the frozen objects, 20 ms a test); the
    put-back collects only the young generations (a full collection after an
    unfreeze scans everything, about 0.1 s) before freezing, and a full one
    every FULL_EVERY times so that what the test left in cycles is freed.
    """
    yield
    if _Unfreezes.seen or gc.get_threshold() != GC_THRESHOLDS:
        _Unfreezes.seen = False
        _Unfreezes.put_back += 1
        if _Unfreezes.put_back % FULL_EVERY == 0:
            _Unfreezes.unfreeze()
            gc.collect()
        else:
            gc.collect(1)
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
