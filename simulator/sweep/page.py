"""``sweep.html``: a self-contained page of a sweep's distributions.

For each outcome measure, one inline SVG with a histogram per group (player
and varied values) on a shared scale, the median marked; a table of
percentiles; and, per group, the runs closest to the median and at the
extremes of the first measure, each with the command that replays it. No
script, no network; every text is escaped (Jinja2 autoescape, and
:func:`markupsafe.escape` in the SVG).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from simulator.journal.outcome import IN_MINUTES, NO_VALUE, UNITS
from simulator.sweep.scale import Axis, axis, choose_ticks, nice_steps, time_steps
from simulator.sweep.stats import PERCENTILES, distribution, groups, measure_columns, representative, show
from simulator.timefmt import format_duration

TEMPLATES = Path(__file__).parent / "templates"
W = 920
BINS = 20
ROW_H = 46
LABEL_W = 260
FONT = 12
"""Font size of the SVG's text, in SVG units."""
CHAR_EM = 0.65
"""Width of a character in em, rounded up: what :func:`text_width` assumes."""
EDGE = 2
"""Room kept between any text and the SVG's edge."""
MAX_TICKS = 8
TICK_GAP = 12
"""Room kept between neighbouring tick labels."""
MAX_BAR = 40
"""Widest bar of a histogram whose bins hold one value each."""
PALETTE = ("#2b6cb0", "#b0402b", "#3c9a3c", "#7b3fa0", "#d08c00", "#17808a", "#8a8a8a", "#c2185b")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of how wide ``text`` is drawn (digits are about 0.64 em in common sans fonts)."""
    return len(text) * CHAR_EM * size


def elide(text: str, width: float, size: float = FONT) -> str:
    """``text``, or its start and end around an ellipsis when it would be wider than ``width``."""
    if text_width(text, size) <= width:
        return text
    keep = max(2, int(width / (CHAR_EM * size)) - 1)
    head = keep // 2
    return text[:head] + "…" + text[len(text) - (keep - head):]


def tick_label(x: float, y: float, text: str) -> str:
    """A tick's label centred under it, or ending (starting) at it where centred would leave the SVG."""
    half = text_width(text) / 2
    anchor = "end" if x + half > W - EDGE else "start" if x - half < EDGE else "middle"
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="#444" class="tick">{escape(text)}</text>'


def in_minutes(measure: str) -> bool:
    """A measure counted in minutes (simulator.journal.outcome.IN_MINUTES): shown as days, hours and minutes."""
    return measure in IN_MINUTES


def unit_text(measure: str) -> str | None:
    """What the values of ``measure`` are, for its heading and its axis; None when the measure is not known."""
    if in_minutes(measure):
        return "minutes; shown as days (d), hours (h) and minutes (m)"
    return UNITS.get(measure)


def _ticks_fit(scale: float, lo: float) -> Callable[[list[tuple[float, str]]], bool]:
    """Whether ticks are few enough and their labels, centred, keep a gap between neighbours."""
    def fits(ticks: list[tuple[float, str]]) -> bool:
        xs = [(v - lo) * scale for v, _ in ticks]
        ws = [text_width(label) for _, label in ticks]
        return len(ticks) <= MAX_TICKS and all(
            xs[k + 1] - xs[k] >= (ws[k] + ws[k + 1]) / 2 + TICK_GAP for k in range(len(ticks) - 1))
    return fits


def _bin_text(measure: str, ax: Axis, b: int) -> str:
    first, last = ax.bin_range(b)
    if ax.whole:
        return show(measure, first) if first == last else f"{show(measure, first)} to {show(measure, last)}"
    return f"[{show(measure, first)}, {show(measure, last)})"


def _legend(right: float) -> str:
    """What the marks are, in the top margin, ending at ``right``: a bar (runs in a bin) and the median's line."""
    runs, median = "runs in a bin", "median"
    x = right - text_width(median, 11)
    marks = [f'<text x="{_n(x)}" y="11" font-size="11" fill="#444">{median}</text>',
             f'<line x1="{_n(x - 8)}" x2="{_n(x - 8)}" y1="1" y2="13" stroke="#111" stroke-width="2"/>']
    x -= 24 + text_width(runs, 11)
    marks += [f'<text x="{_n(x)}" y="11" font-size="11" fill="#444">{runs}</text>',
              f'<rect x="{_n(x - 14)}" y="3" width="10" height="10" fill="#888" fill-opacity="0.75"/>']
    return '<g class="legend">' + "".join(marks) + "</g>"


def histogram_svg(measure: str, by_group: dict[str, list[dict[str, Any]]]) -> Markup:
    """One histogram row per group, all on the same x scale, with the median as a line."""
    dists = {g: distribution(rows, measure) for g, rows in by_group.items()}
    minutes = in_minutes(measure)
    ax = axis([v for d in dists.values() for v in d.values], bins=BINS, steps=time_steps if minutes else nice_steps)
    x0, x1 = LABEL_W, W - 20
    scale = (x1 - x0) / (ax.hi - ax.lo)
    bin_px = ax.width * scale
    bar_w = min(bin_px - 1, MAX_BAR) if ax.whole and ax.width == 1 else bin_px - 1  # one value a bin: a bar on it
    unit = unit_text(measure)
    height = 30 + ROW_H * len(dists) + 30 + (14 if unit else 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="100%" role="img" '
           f'aria-label="{escape(measure)} by group" font-family="system-ui, sans-serif" font-size="{FONT}">',
           f"<title>{escape(measure)}: distribution per group</title>"]
    out.append(_legend(x1))
    base = 20
    for i, (label, d) in enumerate(dists.items()):
        top = 20 + i * ROW_H
        base = top + ROW_H - 10
        colour = PALETTE[i % len(PALETTE)]
        shown = elide(label, LABEL_W - 12)
        name = f'<text x="4" y="{base - 12}">{escape(shown)}</text>'
        out.append(name if shown == label else f"<g><title>{escape(label)}</title>{name}</g>")
        out.append(f'<text x="4" y="{base + 2}" fill="#666" font-size="10">n={len(d.values)}'
                   f'{escape(f" ({d.missing} none)") if d.missing else ""}</text>')
        counts = [0] * ax.bins
        for v in d.values:
            counts[ax.bin_of(v)] += 1
        most = max(counts) or 1
        for b, c in enumerate(counts):
            if not c:
                continue
            h = (ROW_H - 14) * c / most
            bx = x0 + b * bin_px + (bin_px - bar_w) / 2
            out.append(f'<rect x="{_n(bx)}" y="{_n(base - h)}" width="{_n(max(1.0, bar_w))}" '
                       f'height="{_n(h)}" fill="{colour}" fill-opacity="0.75"><title>{c} run(s) in '
                       f'{escape(_bin_text(measure, ax, b))}</title></rect>')
        if d.values:
            mx = x0 + (d.percentiles[50] - ax.lo) * scale
            out.append(f'<line x1="{_n(mx)}" x2="{_n(mx)}" y1="{top + 2}" y2="{base}" stroke="#111" stroke-width="2">'
                       f'<title>median {escape(show(measure, d.percentiles[50]))}</title></line>')
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{base}" y2="{base}" stroke="#999"/>')
    fits = _ticks_fit(scale, ax.lo)
    ticks = (choose_ticks(ax, fits, lambda v, _step: format_duration(v), time_steps((ax.hi - ax.lo) / 12))
             if minutes else choose_ticks(ax, fits))
    for v, text in ticks:
        x = x0 + (v - ax.lo) * scale
        out.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{base}" y2="{base + 4}" stroke="#999"/>')
        out.append(tick_label(x, base + 18, text))
    if unit:
        caption = "duration: d = days, h = hours, m = minutes" if minutes else unit
        out.append(f'<text x="{_n((x0 + x1) / 2)}" y="{base + 34}" text-anchor="middle" font-size="11" fill="#444" '
                   f'class="unit">{escape(caption)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _headline(measures: list[str], rows: list[dict[str, Any]]) -> str | None:
    """The first measure that varies across the runs (the representative runs differ on it), else the first."""
    for m in measures:
        if len({r.get(m) for r in rows}) > 1:
            return m
    return measures[0] if measures else None


META_DEFAULTS: dict[str, Any] = {"kind": "sweep", "scenario": "", "title": "", "players": [], "seeds": "", "vary": [], "until": None,
                 "planned": None, "interrupted": False, "command": "", "source": "", "fork_at": ""}


def page_data(meta: dict[str, Any], columns: list[str], rows: list[dict[str, Any]], replay) -> dict[str, Any]:
    meta = {**META_DEFAULTS, **meta}
    vary = list(meta.get("vary", []))
    measures = measure_columns(columns, vary)
    by_group = groups(rows, vary)
    headline = _headline(measures, rows)
    tables = []
    for m in measures:
        entries = []
        for g, grows in by_group.items():
            d = distribution(grows, m)
            entries.append({"group": g, "n": len(d.values), "missing": d.missing, "mean": show(m, d.mean),
                            "min": show(m, d.lo), "max": show(m, d.hi),
                            "p": [show(m, d.percentiles[q]) for q in PERCENTILES]})
        tables.append({"measure": m, "unit": unit_text(m), "minutes": in_minutes(m), "svg": histogram_svg(m, by_group),
                       "rows": entries})
    reps = []
    if headline:
        for g, grows in by_group.items():
            for which, r in representative(grows, headline).items():
                reps.append({"group": g, "which": which, "run": r["run"], "seed": r["seed"], "value": show(headline, r[headline]),
                             "sha": r["sha256"][:12], "command": replay(r)})
    return {"meta": meta, "measures": measures, "tables": tables, "headline": headline, "reps": reps,
            "percentiles": PERCENTILES, "runs": len(rows), "groups": list(by_group),
            "no_value": {m: NO_VALUE[m] for m in measures if m in NO_VALUE}}


def render_page(data: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("sweep.html.j2").render(**data)


def write_page(out: Path, meta: dict[str, Any], columns: list[str], rows: list[dict[str, Any]], replay) -> Path:
    path = out / "sweep.html"
    path.write_text(render_page(page_data(meta, columns, rows, replay)), encoding="utf-8")
    return path


__all__ = ["write_page", "page_data", "render_page", "histogram_svg"]
