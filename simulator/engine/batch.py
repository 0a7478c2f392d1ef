"""Running an exercise as a batch job: no cyclic garbage collection mid-run.

A replay allocates hundreds of thousands of short-lived, acyclic objects (records,
events); the cyclic collector keeps rescanning the journal's long-lived ones and
costs 30-45% of a large replay (bench/engine.py). Used at the edges (the CLI,
benchmarks), never inside the engine, since it is process-wide.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from simulator.gcpause import paused_gc


def batch_gc() -> AbstractContextManager[None]:
    """Pause the cyclic collector for the block; collect once at the end."""
    return paused_gc(collect_after=True)


def single_run_gc() -> AbstractContextManager[None]:
    """Pause the cyclic collector for the one run of this process, then freeze what it built.

    ``cyclesim replay`` plays one exercise and then only reads it (export,
    reports). Collecting after the run scanned the whole journal and freed
    nothing (0.4 s of a 100,000-record replay, bench/engine.py); left unfrozen,
    the first automatic collection after it would do the same scan. The caller
    calls ``gc.unfreeze()`` when it is done with the run.
    """
    return paused_gc(freeze_after=True)
