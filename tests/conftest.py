"""Settings for the whole suite: workers, the order of the files, Hypothesis profiles, a clean checkout,
the collector, and the bundled replays several files share.

``pytest`` runs the suite on worker processes, one more than cores
(pytest-xdist, ``-n auto --dist loadfile`` in pyproject.toml's addopts, and
:func:`pytest_xdist_auto_num_workers`): each test file runs whole on one
worker, so its module fixtures are built once. The files that
take longest in wall time (a browser, hosts on loopback, subprocesses, the
terminal UI) are handed out first and the many short unit files fill the
end, so the workers finish together. Naming files or tests runs them in
this process, without workers:

    pytest                                   # the whole suite, cores + 1 workers
    pytest tests/unit/test_sweep.py          # one file, in this process
    pytest tests/unit/test_sweep.py::test_sweep_sha_is_the_journal_sha
    pytest tests/unit -n 0                   # a folder, in this process
    pytest tests/tui -n 4                    # a folder on four workers

The property tests take their example counts from a profile, so the default
run stays fast and a thorough hunt is one option away:

    pytest                                   # profile "fast" (the default)
    pytest --hypothesis-profile=thorough     # or HYPOTHESIS_PROFILE=thorough pytest

"thorough" runs 20 times as many examples; use it before a release or
after touching the YAML reader, the loader or the store's copy code.

A run fails if a test left a file in the checkout (tmp_path is the place).
"""

from __future__ import annotations

import dataclasses
import fcntl
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

SUITE = Path(__file__).resolve().parent
"""The tests folder."""

FIRST = ("web", "host", "e2e", "tui", "unit")
"""Folders in the order their files are handed to workers: longest wall time a file first, short ones last."""


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (the default): one worker more than cores; none when the command line names files or tests.

    About a fifth of a worker's wall time is spent waiting (interpreters
    starting, sockets on loopback, a browser, SIGKILLed sessions), and a
    spare worker runs tests meanwhile: measured back to back on 2 cores (load
    average ~2 with the suite's own workers), the whole suite took 62 s on 2
    workers, 52 s on 3 and 54 s on 4, for the same CPU time.
    A worker is a fresh interpreter that imports the simulator and Textual and
    collects (2-5 s of CPU): worth it for the suite or a folder, not for one
    file or one test. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when it is
    set (xdist's own hook reads it); ``-n N`` is never overridden.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    named = [a for a in config.args if not Path(a.split("::")[0]).is_dir()]
    if config.args and len(named) == len(config.args):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores + 1


def pytest_collection_modifyitems(config, items):
    """Files of the slow folders first (see FIRST); within a folder, the order collected."""
    def rank(item) -> int:
        try:
            folder = item.path.relative_to(SUITE).parts[0]
        except ValueError:
            return len(FIRST)
        return FIRST.index(folder) if folder in FIRST else len(FIRST)

    items.sort(key=rank)


ROOT = SUITE.parent
"""The checkout: no test may leave anything in it (tmp_path is the place)."""

WATCHED = ("", "scenarios", "injects", "docs", "tests/data")
"""Where a stray file would show: the top level (the working folder of in-process commands) and the data folders."""

TOOL_FILES = {"__pycache__", ".pytest_cache", ".hypothesis"}
"""What Python, pytest and Hypothesis keep in the checkout themselves (ignored by git)."""


def _checkout_files() -> set[str]:
    found = set()
    for folder in WATCHED:
        base = ROOT / folder
        entries = base.iterdir() if folder == "" else base.rglob("*")
        for path in entries:
            parts = path.relative_to(ROOT).parts
            if not TOOL_FILES.intersection(parts) and not parts[0].endswith(".egg-info"):
                found.add("/".join(parts))
    return found


def pytest_sessionstart(session):
    session.config.stash[_BEFORE] = _checkout_files()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if the checkout has files it did not have before (in the controller, after every worker)."""
    before = session.config.stash.get(_BEFORE, None)
    if before is None or hasattr(session.config, "workerinput"):
        return
    new = sorted(_checkout_files() - before)
    if new:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"tests wrote into the checkout ({ROOT}): " + ", ".join(new), red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[set]()

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
    """``bundled_replay(scenario_id, policy)``: the command line's replay of a bundled scenario, once per run.

    Several files check the same replays (every bundled scenario plays and
    reports; the golden journals; the reference storylines; doctrine against
    passive); each was replaying them on its own. Seed 1, through
    ``simulator.cli.main`` from the project root, as a planner runs it.
    Read-only for the tests: they share it.

    Shared by the workers too: the replay goes to the run's temporary folder
    (the parent of every worker's own), under a lock per replay, with what it
    printed beside it; the first worker to need it plays it, the others read
    that (the files fall on different workers, and each was replaying them).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK: pytest-N is the whole run's
    shared = base / "bundled-replays"
    shared.mkdir(exist_ok=True)
    done: dict[tuple[str, str], BundledRun] = {}

    def get(scenario: str, policy: str) -> BundledRun:
        if (scenario, policy) not in done:
            name = f"{scenario}-{policy}"
            out, printed = shared / name, shared / f"{name}.run.json"
            with open(shared / f"{name}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes (or the worker dies)
                if printed.exists():
                    saved = json.loads(printed.read_text(encoding="utf-8"))
                    run = Run(tuple(saved["args"]), saved["returncode"], saved["stdout"], saved["stderr"])
                else:
                    run = cyclesim("replay", scenario, "--seed", "1", "--policy", policy, "--out", out, "--json")
                    printed.write_text(json.dumps(dataclasses.asdict(run)), encoding="utf-8")
            done[scenario, policy] = BundledRun(run, out)
        return done[scenario, policy]

    return get
