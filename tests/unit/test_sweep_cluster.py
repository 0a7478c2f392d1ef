"""A sweep on a Dask distributed LocalCluster gives the local run's rows, row for row.

Skipped when Dask is not installed (it is the optional extra ``cluster``). Dask is
imported by the test, not at collection: importing it costs about 0.5 s, which
every worker paid to collect this file whether or not it ran it.
"""

from __future__ import annotations

import pytest

from simulator.commands.common import scenario_path
from simulator.scenario.loader import load
from simulator.sweep import execute
from simulator.sweep.plan import build_plan, parse_seeds


def test_cluster_rows_equal_local_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    loaded = load(scenario_path("tutorial"))
    plan = build_plan(loaded, "tutorial", parse_seeds("1-3"), ["passive", "doctrine"], [], [])
    local = execute.run_sweep(plan, tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = execute.run_sweep(plan, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert remote.backend == "dask"
    assert remote.rows == local.rows
    assert (tmp_path / "dask" / "runs.csv").read_bytes() == (tmp_path / "local" / "runs.csv").read_bytes()
