"""The x axis of the sweep page's histograms: a domain cut into bins, and ticks at round values.

Steps, of bins and of ticks, are "nice": 1, 2, 2.5 or 5 times a power of ten.
A measure whose values are all whole numbers (entities, Member States, ECCS
levels, clocks, minutes) gets whole steps only, and each bin holds whole
values: with a step of 1, one bin per value, centred on it. An axis in
minutes steps by durations that read well (15 minutes, 6 hours, 5 days).
Pure functions, no drawing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

NICE = (1.0, 2.0, 2.5, 5.0)
"""Mantissas of a nice step."""


def nice_steps(at_least: float, whole: bool = False) -> Iterator[float]:
    """Nice steps from the smallest one not below ``at_least`` upwards (whole ones only when ``whole``)."""
    at_least = max(at_least, 1.0 if whole else 1e-12)
    exp = math.floor(math.log10(at_least))
    while True:
        for m in NICE:
            step = m * 10.0**exp if exp >= 0 else m / 10.0 ** -exp
            if step < at_least * (1 - 1e-9) or (whole and not float(step).is_integer()):
                continue
            yield step
        exp += 1


SHORT_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720)
"""Steps of a time axis under a day, in minutes (1 minute to 12 hours)."""
DAY = 24 * 60


def time_steps(at_least: float, whole: bool = True) -> Iterator[float]:
    """Steps of an axis in minutes that read well as durations: :data:`SHORT_STEPS`, then 1, 2, 5, 10... days."""
    yield from (float(s) for s in SHORT_STEPS if s >= at_least)
    yield from (DAY * s for s in nice_steps(max(at_least / DAY, 1), whole=True))


def decimals(step: float) -> int:
    """Digits after the point that show every multiple of ``step`` exactly."""
    for d in range(13):
        if abs(step * 10**d - round(step * 10**d)) < 1e-6:
            return d
    return 12


@dataclass(frozen=True)
class Axis:
    lo: float
    """Left end of the domain (the first bin's left edge)."""
    width: float
    """Width of a bin."""
    bins: int
    whole: bool
    """Every value is a whole number: bins hold whole values, ticks are whole."""

    @property
    def hi(self) -> float:
        return self.lo + self.width * self.bins

    def bin_of(self, value: float) -> int:
        return min(self.bins - 1, max(0, math.floor((value - self.lo) / self.width + 1e-9)))

    def bin_range(self, b: int) -> tuple[float, float]:
        """The values bin ``b`` holds: whole numbers first..last inclusive, else [left, right)."""
        left = self.lo + b * self.width
        if self.whole:
            return left + 0.5, left + self.width - 0.5
        return left, left + self.width

    def ticks(self, step: float) -> list[float]:
        first = math.ceil(self.lo / step - 1e-9)
        last = math.floor(self.hi / step + 1e-9)
        return [round(k * step, 12) for k in range(first, last + 1)]


def axis(values: list[float], *, bins: int = 20, steps: Callable[..., Iterator[float]] = nice_steps) -> Axis:
    """At most ``bins`` bins over ``values``, as wide as the first of ``steps`` that is wide enough.

    Every value whole: whole-valued bins. ``steps(at_least, whole=...)``: :func:`nice_steps`, or
    :func:`time_steps` for minutes.
    """
    if not values:
        return Axis(0.0, 1.0 / bins, bins, False)
    lo, hi = min(values), max(values)
    if all(float(v).is_integer() for v in values):
        width = next(steps((hi - lo + 1) / bins, whole=True))
        first = math.floor(lo / width)
        return Axis(first * width - 0.5, width, math.floor(hi / width) - first + 1, True)
    if hi == lo:  # one value: a little room either side
        pad = abs(lo) * 0.05 or 0.5
        lo, hi = lo - pad, hi + pad
    width = next(steps((hi - lo) / bins, whole=False))
    first = math.floor(lo / width + 1e-9)
    return Axis(first * width, width, max(1, math.ceil(hi / width - 1e-9) - first), False)


def choose_ticks(ax: Axis, fits: Callable[[list[tuple[float, str]]], bool],
                 label: Callable[[float, float], str] | None = None,
                 steps: Iterator[float] | None = None) -> list[tuple[float, str]]:
    """The ticks of the smallest step whose labels differ and ``fits`` accepts: (value, label) pairs.

    ``label(value, step)`` writes a tick (by default with the decimals the step
    needs); ``steps`` are the steps to try, smallest first (by default nice ones,
    whole on a whole axis).
    """
    label = label or (lambda v, step: f"{v:.{decimals(step)}f}")
    span = ax.hi - ax.lo
    for step in steps or nice_steps(span / 12, whole=ax.whole):
        ticks = [(v, label(v, step)) for v in ax.ticks(step)]
        if len({t for _, t in ticks}) == len(ticks) and ticks and fits(ticks):
            return ticks
        if step > span:
            break
    middle = (ax.lo + ax.hi) / 2
    middle = float(round(middle)) if ax.whole else middle
    return [(middle, label(middle, span))]


__all__ = ["Axis", "axis", "choose_ticks", "decimals", "nice_steps", "time_steps"]
