"""Running a sweep on a Dask distributed cluster (``--scheduler tcp://HOST:PORT``).

The plan is scattered to every worker once (``broadcast``); each task is a
list of :class:`Job` and comes back as rows, exactly the rows a local run
computes, since a run is a pure function of (scenario, player, seed). A worker
keeps one :class:`Runner` for the plan it last saw, so engine plans are built
once per worker process. Needs the optional extra: ``pip install 'cyclesim[cluster]'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from simulator.errors import InputError, SimulatorError
from simulator.sweep.plan import Job, SweepPlan
from simulator.sweep.pool import Rows, chunks
from simulator.sweep.runner import Runner

_CACHED: list[Any] = [None, None]  # [plan, runner] in a worker process


def _run_chunk(plan: SweepPlan, jobs: list[Job]) -> Rows:
    if _CACHED[0] is not plan:
        _CACHED[0], _CACHED[1] = plan, Runner(plan)
    return _CACHED[1].run_many(jobs)


def connect(address: Any):
    """A distributed Client for an address (or a Client/cluster given in code)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask distributed: pip install 'cyclesim[cluster]'") from None
    if not isinstance(address, str):
        return Client(address) if not hasattr(address, "submit") else address
    if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise InputError(f"--scheduler {address!r}: give the scheduler's address, e.g. tcp://10.0.0.5:8786")
    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError) as e:
        raise SimulatorError(f"--scheduler {address}: cannot reach the Dask scheduler ({e})") from None


def workers_of(client) -> int:
    info = client.scheduler_info()
    return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))


def run_cluster(plan: SweepPlan, jobs: list[Job], address: Any) -> Iterator[Rows]:
    """Rows of ``jobs`` computed on the cluster, a chunk at a time, as chunks finish."""
    from distributed import as_completed

    client = connect(address)
    own = client is not address and isinstance(address, str)
    try:
        [shared] = client.scatter([plan], broadcast=True, hash=False)
        futures = [client.submit(_run_chunk, shared, task, pure=False) for task in chunks(jobs, workers_of(client))]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            client.cancel(futures)
    finally:
        if own:
            client.close()
