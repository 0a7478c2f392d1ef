"""Pausing Python's cyclic garbage collector around work that builds many acyclic objects.

Loading a large scenario (tens of thousands of YAML nodes) and replaying an
exercise (hundreds of thousands of records and events) create objects that
reference counting frees on its own; the cyclic collector only rescans them.
Measured: two thirds of a 10,000-inject load (bench/validate_large.py) and
30-45% of a large replay (bench/engine.py). The pause is process-wide, so it
is taken at the edges (loading, the CLI, benchmarks), never inside the engine.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(*, collect_after: bool = False, freeze_after: bool = False) -> Iterator[None]:
    """No cyclic collection in the block; back on afterwards if it was on.

    ``collect_after``: one collection at the end (frees what the block left in
    cycles). ``freeze_after``: instead, move every object alive at the end out
    of the collector's sight (``gc.freeze``): for a process that built one large
    thing to keep until it exits, where a collection would scan it and free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if was_enabled:
            gc.enable()
        if collect_after:
            gc.collect()
