"""sweep.html as a reader sees it: every label inside its SVG, round ticks, a legend, units."""

from __future__ import annotations

import html
import re

from simulator.sweep.page import histogram_svg

CHAR_EM = 0.65  # as generous as the page's own estimate: digits are about 0.64 em wide in common sans fonts


def _rows(measure: str, by_group: dict[str, list[float | None]]) -> dict[str, list[dict]]:
    return {g: [{measure: v} for v in values] for g, values in by_group.items()}


def _texts(svg: str) -> list[dict]:
    """Each <text> of an SVG: where it is drawn, its anchor, font size and words."""
    out = []
    for attrs, body in re.findall(r"<text ([^>]*)>(.*?)</text>", svg):
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        out.append({"x": float(a["x"]), "anchor": a.get("text-anchor", "start"),
                    "size": float(a.get("font-size", 12)), "text": html.unescape(re.sub(r"<[^>]*>", "", body))})
    return out


def _extent(t: dict) -> tuple[float, float]:
    w = len(t["text"]) * CHAR_EM * t["size"]
    start = {"start": t["x"], "middle": t["x"] - w / 2, "end": t["x"] - w}[t["anchor"]]
    return start, start + w


def _width(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))


def test_every_tick_label_stays_inside_the_svg():
    # the newcomer's sweep: 70206.19 and 173752 were centred at x=900 of 920 and cut off
    for values in ([7063.91, 36460.86, 70206.19], [76330, 99295, 173752], [0.65, 0.87], [0, 5]):
        svg = str(histogram_svg("m", _rows("m", {"passive": values[:1], "doctrine": values[1:]})))
        width = _width(svg)
        for t in _texts(svg):
            left, right = _extent(t)
            assert 0 <= left and right <= width, (t, width)
