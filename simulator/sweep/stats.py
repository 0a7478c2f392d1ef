"""Distributions of a sweep's rows: groups, percentiles, representative runs.

Pure functions over the rows of ``runs.csv`` (dicts), shared by the sweep
page, ``cyclesim forecast`` and ``cyclesim report --sweep``. A group is one
player under one combination of varied values. Missing values (``None``, e.g.
no recovery before the end) are left out of a distribution and counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from simulator.journal.outcome import IN_MINUTES
from simulator.sweep.runner import FIXED_COLUMNS
from simulator.timefmt import format_duration

PERCENTILES = (5, 25, 50, 75, 95)


def measure_columns(columns: list[str], vary_paths: Iterable[str] = ()) -> list[str]:
    """The outcome columns: everything but the fixed columns, the varied paths and sha256."""
    skip = set(FIXED_COLUMNS) | set(vary_paths) | {"sha256"}
    return [c for c in columns if c not in skip]


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); values sorted."""
    if not values:
        return math.nan
    if len(values) == 1:
        return float(values[0])
    pos = (len(values) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def percentile_of(values: list[float], x: float) -> float:
    """Where ``x`` falls in ``values``: the share below it plus half the share equal to it, in percent."""
    if not values:
        return math.nan
    below = sum(v < x for v in values)
    equal = sum(v == x for v in values)
    return 100.0 * (below + 0.5 * equal) / len(values)


@dataclass
class Distribution:
    measure: str
    values: list[float]
    missing: int
    mean: float
    percentiles: dict[int, float]

    @property
    def lo(self) -> float:
        return self.values[0] if self.values else math.nan

    @property
    def hi(self) -> float:
        return self.values[-1] if self.values else math.nan


def distribution(rows: list[dict[str, Any]], measure: str) -> Distribution:
    vals = sorted(float(r[measure]) for r in rows if isinstance(r.get(measure), (int, float)) and not isinstance(r.get(measure), bool))
    missing = len(rows) - len(vals)
    mean = sum(vals) / len(vals) if vals else math.nan
    return Distribution(measure, vals, missing, mean, {q: percentile(vals, q) for q in PERCENTILES})


def groups(rows: list[dict[str, Any]], vary_paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows by group label ('doctrine', or 'doctrine · path=v'), in the order groups first appear."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(group_label(r, vary_paths), []).append(r)
    return out


def group_label(row: dict[str, Any], vary_paths: list[str]) -> str:
    parts = [str(row["player"])] + [f"{p}={row[p]}" for p in vary_paths]
    return " · ".join(parts)


def representative(rows: list[dict[str, Any]], measure: str) -> dict[str, dict[str, Any]]:
    """The runs closest to the median, lowest and highest on ``measure`` (lowest run number on ties)."""
    have = [r for r in rows if isinstance(r.get(measure), (int, float))]
    if not have:
        return {}
    med = percentile(sorted(float(r[measure]) for r in have), 50)
    by_run = sorted(have, key=lambda r: r["run"])
    return {
        "median": min(by_run, key=lambda r: abs(float(r[measure]) - med)),
        "lowest": min(by_run, key=lambda r: float(r[measure])),
        "highest": max(by_run, key=lambda r: float(r[measure])),
    }


def show(measure: str, value: float | None) -> str:
    """A value as people read it: a duration for a measure in minutes (outcome.IN_MINUTES), else :func:`fmt`."""
    text = fmt(value)
    return format_duration(float(value)) if measure in IN_MINUTES and value is not None and text != "–" else text


def fmt(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")
