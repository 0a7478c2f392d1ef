"""Running a whole sweep: the backend, the ordered CSV, progress and interrupts.

:func:`run_sweep` is what ``cyclesim sweep`` and ``cyclesim forecast`` call.
It picks the backend (in-process, local pool, Dask cluster), writes
``runs.csv`` as rows arrive and, on Ctrl-C, stops the backend, keeps every
finished row and says the sweep was interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.sweep.plan import SweepPlan
from simulator.sweep.table import RowWriter, read_runs


@dataclass
class SweepResult:
    rows: list[dict[str, Any]]
    columns: list[str]
    seconds: float
    interrupted: bool
    workers: int
    backend: str


def run_sweep(plan: SweepPlan, out: Path, *, workers: int = 1, scheduler: Any = None,
              on_progress: Callable[[int], None] | None = None) -> SweepResult:
    """Run every job of ``plan`` and write ``out/runs.csv``; return the rows written."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = plan.jobs()
    client = None
    if scheduler is not None:
        from simulator.sweep.cluster import connect, run_cluster

        client = connect(scheduler)  # a wrong or unreachable address fails here, before runs.csv is touched
        batches = run_cluster(plan, jobs, client)
        backend = "dask"
    else:
        from simulator.sweep.pool import run_local

        batches = run_local(plan, jobs, workers)
        backend = "local" if workers > 1 else "in-process"
    writer = RowWriter(out / "runs.csv")
    started = time.perf_counter()
    interrupted = False
    try:
        for rows in batches:
            writer.add(rows)
            if on_progress:
                on_progress(len(rows))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        close = getattr(batches, "close", None)
        if close:
            try:
                close()
            except KeyboardInterrupt:
                interrupted = True
        writer.close()
        if client is not None and client is not scheduler:
            client.close()
    seconds = time.perf_counter() - started
    columns, rows = read_runs(out / "runs.csv") if writer.written else ([], [])
    return SweepResult(rows, columns, seconds, interrupted, workers, backend)
