"""Scenario time: parsing and printing the forms authors write.

Simulation time is whole minutes since T+0. Authors write points in time as
``T+26:00``, ``T+3d4h``, ``T+90m`` or ``T+0``, and durations as ``26:00``,
``3d4h``, ``45m``, ``1w``. Bare YAML numbers are refused on purpose: YAML 1.1
reads ``1:30`` as 90, so a number is never trusted to mean a time.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_CLOCK = re.compile(r"^(\d{1,12}):([0-5]\d)$")
_UNITS = re.compile(r"^(?:(\d{1,12})w)?(?:(\d{1,12})d)?(?:(\d{1,12})h)?(?:(\d{1,12})m)?$")
_UNIT_MINUTES = (7 * 24 * 60, 24 * 60, 60, 1)

MAX_MINUTES = 10 * 366 * 24 * 60
"""The longest time or duration anywhere (about ten years, in minutes).

Exercises last hours to weeks; NIS2's longest clock is a month. The bound
keeps every sum of times (a start plus a delay plus a deadline) far inside
what simpy's float clock holds exactly and what the calendar can show
(:data:`LATEST_START` plus this stays before year 9999).
"""
LATEST_START = datetime(9000, 1, 1)
"""A calendar start after this is refused: reports add up to :data:`MAX_MINUTES` to it."""
EARLIEST_START = datetime(1900, 1, 1)

TIME_HELP = "write a time as 'T+26:00', 'T+3d4h' or 'T+90m'"
DURATION_HELP = "write a duration as '26:00', '3d4h', '2h' or '45m'"


def parse_duration(text: object) -> int:
    """Minutes in a duration such as ``26:00``, ``3d4h``, ``1w2d`` or ``45m``.

    Raises ValueError with a message meant for a scenario author.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(f"expected a quoted duration, got {text!r}; {DURATION_HELP}")
    s = text.strip().replace(" ", "")
    if s in ("0", "00:00"):
        return 0
    m = _CLOCK.match(s)
    if m:
        return _bounded(int(m.group(1)) * 60 + int(m.group(2)), text)
    m = _UNITS.match(s)
    if m and s:
        return _bounded(sum(int(g or 0) * k for g, k in zip(m.groups(), _UNIT_MINUTES)), text)
    raise ValueError(f"cannot read {text!r} as a duration; {DURATION_HELP}")


class _TooLong(ValueError):
    """A well-formed time or duration beyond :data:`MAX_MINUTES`."""


def _bounded(minutes: int, text: object) -> int:
    if minutes > MAX_MINUTES:
        raise _TooLong(f"{text!r} is longer than the longest time allowed ({MAX_MINUTES // (366 * 24 * 60)} years)")
    return minutes


def parse_time(text: object) -> int:
    """Minutes since T+0 for a point in scenario time (``T+26:00``, ``T+3d4h``)."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(f"expected a quoted time, got {text!r}; {TIME_HELP}")
    s = text.strip().replace(" ", "")
    if not (s.startswith("T+") or s.startswith("t+")):
        if s in ("T", "T0", "T+0"):
            return 0
        raise ValueError(f"cannot read {text!r} as a time; {TIME_HELP}")
    try:
        return parse_duration(s[2:])
    except _TooLong:
        raise
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a time; {TIME_HELP}") from None


def format_time(minutes: float) -> str:
    """``T+hh:mm`` for a simulation time (hours may exceed 24)."""
    total = int(round(minutes))
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return f"T{sign}{total // 60:02d}:{total % 60:02d}"


def format_duration(minutes: float) -> str:
    """A short human duration: ``3d 4h``, ``2h 05m``, ``45m``."""
    total = int(round(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {mins:02d}m" if mins else f"{hours}h"
    return f"{mins}m"


def calendar(start: datetime, minutes: float) -> datetime:
    """The calendar moment of a simulation time, for display only."""
    return start + timedelta(minutes=minutes)
