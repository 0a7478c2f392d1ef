"""Sweeps and forecasts: many seeded runs of one scenario, locally or on a Dask cluster.

A run is a pure function (scenario, player, seed, varied values) -> outcome
row (:mod:`.runner`); :mod:`.plan` fixes the runs, :mod:`.pool` and
:mod:`.cluster` execute them, :mod:`.table` writes ``runs.csv``,
:mod:`.page` writes ``sweep.html``, :mod:`.forecast` forks a session and
:mod:`.compare` places a played outcome in a sweep. Nothing is imported here,
so ``cyclesim --help`` does not pay for it.
"""
