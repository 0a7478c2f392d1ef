"""The exercise briefing as text: storyline, objectives and teams from an ``exercise.started`` record.

The briefing screen shows it before the clock starts, and a seat of a served
session in its Briefing tab (from the host's record: without other teams'
points or the seed).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from simulator.timefmt import format_duration, format_time
from tui.widgets.badges import calendar_text, tlp_badge


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of YAML block text into paragraphs the terminal can wrap."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines() if line.strip())
                  for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def briefing(started: dict[str, Any], now: int, session: str | None, hint: Text | None = None) -> Group:
    """The briefing as Rich renderables (plain words, so it reads with NO_COLOR).

    ``hint``: what to press, at the top and the end (the start key by default; a seat of a
    served session, where exercise control starts the clock, gives its own).
    """
    hint = START_HINT if hint is None else hint
    s = started
    parts: list[Any] = []
    head = Text(s.get("title", "(untitled exercise)"), style="bold")
    head.append("\n")
    head.append_text(tlp_badge(s.get("tlp", "TLP:GREEN")))
    kind = s.get("exercise_kind", s.get("kind", ""))
    seed = f" · seed {s['seed']}" if "seed" in s else ""  # a team seat is not told the seed
    head.append(f"  {kind} · scenario {s.get('scenario', '')}{seed}\n")
    start = s.get("start", "")
    head.append(f"T+00:00 is {calendar_text(start, 0) or start}; the exercise runs "
                f"{format_duration(s.get('duration', 0))} (to {format_time(s.get('duration', 0))}).\n")
    if now:
        head.append(f"Resuming at {format_time(now)}.\n", style="bold")
    if session:
        head.append(f"Saved as it runs in {session}\n", style="italic")
    head.append_text(hint)
    parts.append(head)

    parts.append(_heading("Storyline"))
    story = reflow(s.get("summary") or "")
    if s.get("description"):
        story += "\n\n" + reflow(s["description"])
    parts.append(Text(story))

    if s.get("objectives"):
        parts.append(_heading("Objectives"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        for o in s["objectives"]:
            body = Text(o["title"], style="bold")
            if o.get("capability"):
                body.append(f" ({o['capability']})", style="italic")
            if o.get("description"):
                body.append("\n" + reflow(o["description"]))
            grid.add_row(o["id"], body)
        parts.append(grid)

    parts.append(_heading("Teams"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    for t in s.get("teams", []):
        body = Text(t["name"] + (" (exercise control)" if t.get("facilitator") else ""))
        if t.get("plays"):
            body.append(f"\nplays {', '.join(t['plays'])}", style="italic")
        grid.add_row(t["id"], body)
    parts.append(grid)
    parts.append(Text("\n").append_text(hint))
    return Group(*parts)


START_HINT = Text.assemble(("Press ", "bold"), (" s ", "bold reverse"), (" or ", "bold"), (" Enter ", "bold reverse"),
                           (" to start the clock · ? help once running · q quit", "bold"))
