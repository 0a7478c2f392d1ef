"""The cyclic collector's settings for a UI session (the play screen and a join seat alike).

A loaded journal (the engine's, or the records a seat caught up on) and
Textual's render caches are a few hundred thousand long-lived objects; with
CPython's default thresholds a full collection ran every few key presses and
doubled their latency. :func:`tune_gc` freezes what is loaded and collects
young objects in larger, rarer batches; :func:`untune_gc` undoes it.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (10_000, 10, 100)
"""Collector thresholds for a session (see :func:`tune_gc`)."""


def tune_gc() -> tuple[int, int, int]:
    """Keep the cyclic collector's pauses short once the journal is loaded.

    A resumed journal and Textual's render caches are a few hundred thousand
    long-lived objects; with CPython's default thresholds a full collection
    (80-150 ms with a 10,000-record journal) ran every few key presses and
    doubled their latency. The loaded exercise is frozen out of the collector
    (it lives as long as the session), and young objects are collected in
    larger, rarer batches: measured with bench/tui.py, collector time over a
    run of key presses fell from about 1.2 s to 0.16 s and the longest pause
    from 150 ms to about 20 ms. Call it once, after the app is built; it
    returns the previous thresholds for :func:`untune_gc`.
    """
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return before


def untune_gc(thresholds: tuple[int, int, int]) -> None:
    """Undo :func:`tune_gc` (for callers that go on after the session)."""
    gc.unfreeze()
    gc.set_threshold(*thresholds)
