"""Local parallelism: a process pool whose workers each hold one :class:`Runner`.

The sweep plan goes to each worker once, when the worker starts (inherited
through fork where the platform has it, pickled otherwise); each task is then
a short list of :class:`Job` and each answer a list of rows. Workers ignore
Ctrl-C so that only the parent decides what an interrupt means (keep the rows
that came back, drop the rest).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Iterator
from typing import Any

from simulator.sweep.plan import Job, SweepPlan
from simulator.sweep.runner import Runner

Rows = list[dict[str, Any]]

_RUNNER: Runner | None = None


def default_workers() -> int:
    """The CPUs this process may use (the affinity mask where there is one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def chunks(jobs: list[Job], workers: int, most: int = 25) -> list[list[Job]]:
    """Tasks small enough for a live progress bar and an even end, big enough to amortise a round trip."""
    size = max(1, min(most, len(jobs) // max(1, workers * 8)))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def _init(plan: SweepPlan) -> None:
    global _RUNNER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RUNNER = Runner(plan)
    # What the worker keeps for the whole sweep (the plan, the first variant's engine plan) is moved out
    # of the collector's sight: the collection after each chunk then scans only that chunk's runs.
    _RUNNER.engine_plan(0)
    gc.freeze()


def _run_chunk(jobs: list[Job]) -> Rows:
    assert _RUNNER is not None, "worker not initialised"
    return _RUNNER.run_many(jobs)


def run_local(plan: SweepPlan, jobs: list[Job], workers: int) -> Iterator[Rows]:
    """Rows of ``jobs``, a chunk at a time, in the order chunks finish."""
    tasks = chunks(jobs, workers)
    if workers <= 1 or len(tasks) <= 1:
        runner = Runner(plan)
        for task in tasks:
            yield runner.run_many(task)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init, initargs=(plan,))
    # Forked workers share the parent's pages until something writes to them, and a collection writes
    # to every object it scans: frozen before the fork, the parent's objects stay shared (and unscanned).
    gc.freeze()
    try:
        futures = [pool.submit(_run_chunk, t) for t in tasks]
    finally:
        gc.unfreeze()
    try:
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        for fut in futures:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
