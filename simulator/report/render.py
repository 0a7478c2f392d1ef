"""Rendering the report data to HTML and Markdown with Jinja2.

Built-in templates live in ``templates/`` and render in an environment with
``autoescape=True`` (not ``select_autoescape``, which misses ``*.html.j2``
files; tech-notes gotcha 12). The Markdown environment escapes every printed
expression through :mod:`.markdown`. Only the charts, which
:mod:`.charts` builds with every text escaped, are inserted as markup.
A user's ``--template-dir`` is rendered by :mod:`.sandbox` in a subprocess.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from simulator.report import charts, markdown

TEMPLATES = Path(__file__).parent / "templates"
"""The built-in templates (package data)."""
HTML_TEMPLATE = "report.html.j2"
MD_TEMPLATE = "report.md.j2"
RATING_CLASS = {"P": "r-p", "S": "r-s", "M": "r-m", "U": "r-u", None: "r-none"}


def bytecode_cache():
    """Jinja2's compiled-template cache in the user's private temp folder, or None where it cannot be made.

    Compiling the two report templates is most of a report's time (about 0.2 s of a
    0.25 s report, cProfile of ``cyclesim replay vital-signs --out D``); the cache
    keeps the compiled code, keyed by template name and checked against a
    checksum of the source, so an edited template is compiled again.
    """
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def _common(env: Environment) -> Environment:
    env.filters["rating_class"] = lambda r: RATING_CLASS.get(r, "r-none")
    return env


@lru_cache(maxsize=1)
def html_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=bytecode_cache())
    return _common(env)


@lru_cache(maxsize=1)
def md_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, finalize=markdown.finalize,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache())
    add_md_filters(env)
    return _common(env)


def add_md_filters(env: Environment) -> None:
    env.filters["code"] = markdown.code
    env.filters["when"] = markdown.when


def chart_svgs(data: dict[str, Any]) -> dict[str, Markup]:
    """The three charts for report data (escaped SVG, safe to insert)."""
    duration = data["overview"]["end"]["t"]
    markers = []
    for d in data["decisions"]:
        out = d["outcome"]
        if out["status"] == "effective" and out.get("t") is not None:
            kind = "escalation" if d["ladder"] in ("escalation",) else "decision"
            markers.append({"t": out["t"], "label": d["decision"], "kind": kind,
                            "title": f"{out['time']} {d['decision']} {d['name']} in effect ({d['team']})"})
    markers.sort(key=lambda m: (m["t"], m["label"]))
    out = {
        "severity": charts.severity(data["severity"], markers, duration),
        "swimlane": charts.swimlane(data["lanes"], duration),
        "clocks": charts.clock_bars(_some_clocks(data["clocks"]), duration, total=len(data["clocks"])),
    }
    if data.get("counterfactual"):
        cf = data["counterfactual"]
        out["counterfactual"] = charts.outcomes(cf["rows"], cf["columns"])
    if data.get("infoflow", {}).get("rows"):
        from simulator.report import infoflow

        out["infoflow"] = infoflow.chart(data["infoflow"])
    times = [m["t"] for m in markers] + [c["t"] for c in data["severity"]] + [
        d["t"] for lane in data["lanes"] for d in lane["deliveries"]]
    window = charts.zoom_window(times, duration)
    if window is not None:
        label = charts.format_time(window)
        out["severity_zoom"] = charts.severity(data["severity"], markers, window, f"Severity (ECCS), T+00:00 to {label}")
        out["swimlane_zoom"] = charts.swimlane(data["lanes"], window, f"Information reaching each level, T+00:00 to {label}")
        out["zoom_label"] = Markup(f"{window // 60} hours")
    return out


MAX_CLOCK_BARS = 40
"""Clocks drawn in the chart; the table lists them all."""


def _some_clocks(clocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All clocks if few; else missed ones first, then the earliest, in start order."""
    if len(clocks) <= MAX_CLOCK_BARS:
        return clocks
    ranked = sorted(range(len(clocks)), key=lambda i: (clocks[i]["status"] != "missed", i))[:MAX_CLOCK_BARS]
    return [clocks[i] for i in sorted(ranked)]


def render_html(data: dict[str, Any]) -> str:
    return html_env().get_template(HTML_TEMPLATE).render(r=data, charts=chart_svgs(data))


def render_markdown(data: dict[str, Any]) -> str:
    return md_env().get_template(MD_TEMPLATE).render(r=data)
