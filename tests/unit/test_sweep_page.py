"""sweep.html as a reader sees it: every label inside its SVG, round ticks, a legend, units."""

from __future__ import annotations

import html
import math
import re

import pytest

from simulator.sweep.page import histogram_svg
from simulator.sweep.scale import axis, nice_steps

CHAR_EM = 0.65  # as generous as the page's own estimate: digits are about 0.64 em wide in common sans fonts


def _rows(measure: str, by_group: dict[str, list[float | None]]) -> dict[str, list[dict]]:
    return {g: [{measure: v} for v in values] for g, values in by_group.items()}


def _texts(svg: str) -> list[dict]:
    """Each <text> of an SVG: where it is drawn, its anchor, font size and words."""
    out = []
    for attrs, body in re.findall(r"<text ([^>]*)>(.*?)</text>", svg):
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        out.append({"x": float(a["x"]), "anchor": a.get("text-anchor", "start"), "class": a.get("class"),
                    "size": float(a.get("font-size", 12)), "text": html.unescape(re.sub(r"<[^>]*>", "", body))})
    return out


def _extent(t: dict) -> tuple[float, float]:
    w = len(t["text"]) * CHAR_EM * t["size"]
    start = {"start": t["x"], "middle": t["x"] - w / 2, "end": t["x"] - w}[t["anchor"]]
    return start, start + w


def _width(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))


def _ticks(svg: str) -> list[str]:
    return [t["text"] for t in _texts(svg) if t["class"] == "tick"]


def _nice(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))


def test_every_tick_label_stays_inside_the_svg():
    # the newcomer's sweep: 70206.19 and 173752 were centred at x=900 of 920 and cut off
    for values in ([7063.91, 36460.86, 70206.19], [76330, 99295, 173752], [0.65, 0.87], [0, 5]):
        svg = str(histogram_svg("m", _rows("m", {"passive": values[:1], "doctrine": values[1:]})))
        width = _width(svg)
        for t in _texts(svg):
            left, right = _extent(t)
            assert 0 <= left and right <= width, (t, width)


@pytest.mark.parametrize("by_group", [
    {"passive": [9, 9, 8], "doctrine": [6, 7, 8, 9]},  # ms_affected: was 6, 6.75, 7.5, 8.25, 9
    {"passive": [4] * 20, "doctrine": [4] * 20},  # peak_eccs: was 3.5 to 4.5
    {"passive": list(range(47, 72)), "doctrine": list(range(15, 28))},  # entities_hit: was 15, 29, 43, 57, 71
    {"passive": [0, 2, 5], "doctrine": [0, 1]},
])
def test_a_whole_measure_has_whole_ticks_each_once(by_group):
    ticks = _ticks(str(histogram_svg("m", _rows("m", by_group))))
    assert ticks and all(re.fullmatch(r"-?\d+", t) for t in ticks), ticks
    assert len(set(ticks)) == len(ticks)
    values = sorted(int(t) for t in ticks)
    assert values == [int(t) for t in ticks]
    assert len({b - a for a, b in zip(values, values[1:])}) <= 1  # one step
    everything = [v for vs in by_group.values() for v in vs]
    assert min(everything) - 5 <= values[0] and values[-1] <= max(everything) + 5


@pytest.mark.parametrize("by_group", [
    {"passive": [36460.86, 53181.3, 70206.19], "doctrine": [7063.91, 13686.09, 20244.3]},  # was 7063.91 ... 70206.19
    {"passive": [0.84, 0.87], "doctrine": [0.65, 0.7, 0.84]},
    {"passive": [0.8512, 0.853]},
    {"passive": [55.5]},
])
def test_ticks_step_by_a_nice_number(by_group):
    ticks = [float(t) for t in _ticks(str(histogram_svg("m", _rows("m", by_group))))]
    assert len(ticks) >= 2
    steps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert all(math.isclose(s, steps[0], rel_tol=1e-6) for s in steps) and _nice(steps[0]), ticks
    assert all(_nice(t) or t == 0 or math.isclose(t / steps[0], round(t / steps[0])) for t in ticks)  # on the step


def test_a_bin_of_one_whole_value_sits_on_its_tick():
    svg = str(histogram_svg("m", _rows("m", {"doctrine": [6, 7, 7, 9]})))
    tick_x = {t["text"]: t["x"] for t in _texts(svg) if t["class"] == "tick" and t["anchor"] == "middle"}
    for attrs in re.findall(r"<rect ([^>]*)><title>", svg):  # the bars (the legend's sample has no title)
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        centre = float(a["x"]) + float(a["width"]) / 2
        assert min(abs(centre - x) for x in tick_x.values()) < 1, (a, tick_x)


def test_nice_steps():
    assert [s for s, _ in zip(nice_steps(0.3), range(5))] == [0.5, 1, 2, 2.5, 5]
    assert [s for s, _ in zip(nice_steps(0.3, whole=True), range(4))] == [1, 2, 5, 10]  # 2.5 is not whole
    assert next(nice_steps(3157)) == 5000 and next(nice_steps(20)) == 20


def test_whole_values_get_whole_bins_centred_on_them():
    ax = axis([6.0, 9.0])
    assert (ax.lo, ax.width, ax.bins, ax.whole) == (5.5, 1, 4, True)
    assert [ax.bin_of(v) for v in (6, 7, 8, 9)] == [0, 1, 2, 3]
    wide = axis([float(v) for v in range(15, 72)])
    assert wide.whole and wide.width == 5 and wide.bin_range(0) == (15, 19)


def _page(rows: list[dict], columns: list[str], vary: list[str] = ()) -> str:
    from simulator.sweep.page import page_data, render_page

    meta = {"scenario": "t", "players": sorted({r["player"] for r in rows}), "seeds": "0-9", "vary": list(vary),
            "command": "c"}
    rows = [{"run": i, "seed": i, "sha256": "ab" * 32, **r} for i, r in enumerate(rows)]
    return render_page(page_data(meta, ["run", "seed", "player", *columns, "sha256"], rows, lambda r: "replay"))


def test_the_marks_are_explained():
    svg = str(histogram_svg("m", _rows("m", {"passive": [1, 2, 3]})))
    drawn = [t["text"] for t in _texts(svg)]
    assert "median" in drawn and "runs in a bin" in drawn  # a legend on each chart, not only tooltips
    for t in _texts(svg):
        left, right = _extent(t)
        assert 0 <= left and right <= _width(svg)
    html_ = _page([{"player": "passive", "m": v} for v in (1, 2, 3)], ["m"])
    assert "The black line is the group&#39;s median" in html_ or "The black line is the group's median" in html_
    assert "how many have none" in html_


def test_every_measure_has_a_unit():
    from simulator.journal.outcome import KEYS, UNITS

    assert set(UNITS) == set(KEYS)
    assert UNITS["time_to_recovery"] == "minutes" and UNITS["downtime_hours"].startswith("hours")


def test_a_measure_in_minutes_reads_as_days_and_hours_and_says_so():
    # time_to_recovery is in minutes (docs/sweeps.md, simulator/journal/outcome.py); 173752 minutes is 120d 15h 52m
    ttr = [76330, 99295, 140118, 173752, None]
    rows = [{"player": "doctrine", "time_to_recovery": v, "downtime_hours": 10.5 * i} for i, v in enumerate(ttr)]
    page = _page(rows, ["downtime_hours", "time_to_recovery"])
    assert "173752" not in page and "76330" not in page  # no raw minutes left for the reader to convert
    assert "120d 15h" in page and "53d" in page  # the table's max and min
    heading = re.search(r"<h2>time_to_recovery(.*?)</h2>", page).group(1)
    assert "minutes" in heading and "days" in heading
    assert "hours" in re.search(r"<h2>downtime_hours(.*?)</h2>", page).group(1)
    svg = re.search(r"<svg.*?</svg>", page[page.index("<h2>time_to_recovery"):], re.S).group(0)
    ticks = _ticks(svg)
    assert len(ticks) >= 3 and all(re.fullmatch(r"\d+d", t) for t in ticks), ticks
    days = [int(t[:-1]) for t in ticks]
    assert len({b - a for a, b in zip(days, days[1:])}) == 1 and days[1] - days[0] in (1, 2, 5, 10, 20, 50)
    assert any(t["class"] == "unit" and "d = days" in t["text"] for t in _texts(svg))


def test_short_durations_tick_in_hours_and_minutes():
    svg = str(histogram_svg("time_to_recovery", _rows("time_to_recovery", {"doctrine": [45, 130, 400]})))
    assert all(re.fullmatch(r"\d+h( \d\dm)?|\d+m", t) for t in _ticks(svg)), _ticks(svg)


def test_hashes_and_commands_are_not_cut_inside_words():
    # the sha256 column broke its last character onto a line of its own, and "--policy doctrin / e"
    page = _page([{"player": "doctrine", "m": v} for v in (1, 2, 3)], ["m"])
    assert "break-all" not in page
    assert re.search(r'<code class="sha">[0-9a-f]{12}</code>', page)
    assert re.search(r"\.sha \{[^}]*white-space: nowrap", page)


def test_a_long_group_name_stays_in_the_label_column():
    from simulator.sweep.page import LABEL_W

    long = "doctrine · network.channels.csirt-IE-net.delay.mode=0.5"
    svg = str(histogram_svg("m", _rows("m", {long: [1, 2], "passive · network.channels.csirt-IE-net.delay.mode=3": [1]})))
    names = [t for t in _texts(svg) if t["x"] < LABEL_W and t["anchor"] == "start"]
    assert names
    for t in names:
        assert _extent(t)[1] <= LABEL_W - 4, t  # it ran over the first bins
    shown = next(t["text"] for t in names if t["text"].startswith("doctrine"))
    assert shown.endswith("mode=0.5") and "…" in shown  # the player and the value are kept
    assert f"<title>{html.escape(long, quote=False)}</title>" in svg  # the whole name on pointing
