"""simulator.timefmt: the time and duration forms scenario authors write."""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

from simulator.timefmt import (
    calendar,
    format_duration,
    format_time,
    parse_duration,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("T+0", 0),
        ("T+00:00", 0),
        ("T+00:30", 30),
        ("T+26:00", 26 * 60),
        ("T+26:05", 26 * 60 + 5),
        ("T+100:59", 100 * 60 + 59),
        ("T+3d4h", 3 * 1440 + 4 * 60),
        ("T+90m", 90),
        ("T+1w", 7 * 1440),
        ("T+1w2d3h4m", 7 * 1440 + 2 * 1440 + 3 * 60 + 4),
        ("T+2h30m", 150),
        ("t+1d", 1440),
        ("  T+ 1d 2h ", 1440 + 120),
        ("T", 0),
        ("T0", 0),
    ],
)
def test_times(text, minutes):
    assert parse_time(text) == minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("26:00", 1560), ("0", 0), ("00:00", 0), ("45m", 45), ("2h", 120), ("3d4h", 4560), ("1w", 10080),
     ("1d 12h", 2160), ("0:05", 5)],
)
def test_durations(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("value", [90, 1.5, 0, True, None, ["T+1h"]])
def test_a_time_that_is_not_text_is_refused_with_the_quoting_hint(value):
    with pytest.raises(ValueError) as info:
        parse_time(value)
    message = str(info.value)
    assert f"expected a quoted time, got {value!r}" in message
    assert "'T+26:00'" in message


@pytest.mark.parametrize("value", [12, 2.5, False, None])
def test_a_duration_that_is_not_text_is_refused_with_the_quoting_hint(value):
    with pytest.raises(ValueError) as info:
        parse_duration(value)
    assert f"expected a quoted duration, got {value!r}" in str(info.value)
    assert "'3d4h'" in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["1:30", "26:00", "T-1h", "T+", "T+1:60", "T+1:5", "T+1x", "T+h", "tomorrow", "", "T+1h30", "T+4h3d", "+1h"],
)
def test_unreadable_times_are_refused(text):
    with pytest.raises(ValueError, match=r"as a time; write a time as 'T\+26:00'"):
        parse_time(text)


@pytest.mark.parametrize("text", ["", "1:60", "h", "2hours", "-1h", "1.5h", "4h3d"])
def test_unreadable_durations_are_refused(text):
    with pytest.raises(ValueError, match="as a duration; write a duration as"):
        parse_duration(text)


@pytest.mark.parametrize(("minutes", "text"), [(0, "T+00:00"), (90, "T+01:30"), (1560, "T+26:00"), (-30, "T-00:30"),
                                               (89.6, "T+01:30"), (100 * 60 + 5, "T+100:05")])
def test_format_time(minutes, text):
    assert format_time(minutes) == text


@pytest.mark.parametrize("minutes", [0, 1, 59, 60, 1439, 1440, 4560, 10080, 100_000])
def test_format_time_reads_back(minutes):
    assert parse_time(format_time(minutes)) == minutes


@pytest.mark.parametrize(("minutes", "text"), [(45, "45m"), (0, "0m"), (120, "2h"), (125, "2h 05m"),
                                               (1440, "1d"), (4560, "3d 4h")])
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


def test_calendar_maps_scenario_time_to_a_date():
    start = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert calendar(start, parse_time("T+26:00")) == datetime(2026, 3, 3, 10, 0, tzinfo=start.tzinfo)
