"""After-action reports (HSEEP-style AAR/IP) computed from an exercise journal alone.

``build`` turns a journal into plain report data for one audience (a TLP
label, default the scenario's) and optionally one team's view; the renderers
turn that data into a self-contained HTML file (inline CSS, inline SVG charts,
no JavaScript, no network) or Markdown with the same content minus charts.
``render_files`` writes both next to an event log; ``cyclesim replay --out``
calls it, and ``cyclesim report`` is the command-line front end.
"""

from __future__ import annotations

from pathlib import Path

from simulator.journal.journal import Journal
from simulator.report.build import build
from simulator.report.render import render_html, render_markdown

__all__ = ["build", "render_html", "render_markdown", "render_files"]


def render_files(journal: Journal, out_dir: str | Path, *, audience: str | None = None, plan=None) -> list[Path]:
    """Write ``report.html`` and ``report.md`` for ``journal`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if plan is None:
        from simulator.report.source import find_plan

        plan = find_plan(journal, [out / "scenario.yaml"])
    data = build(journal, audience=audience, plan=plan)
    html, md = out / "report.html", out / "report.md"
    html.write_text(render_html(data), encoding="utf-8")
    md.write_text(render_markdown(data), encoding="utf-8")
    return [html, md]
