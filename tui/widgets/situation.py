"""The situation picture: severity, per-MS impact, escalation, clocks, queues.

The facilitator's panel shows everything; a team's panel shows what the team
is entitled to (see :meth:`JournalView.team_scope`).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.timefmt import format_time
from tui.journal_view import JournalView
from tui.widgets.badges import colour_chip, countdown, eccs_badge
from tui.widgets.quiet import update_quietly

MAX_CLOCKS = 12
"""Running clocks listed one per line; the rest are counted."""

IPCR_WORDS = {"monitoring": "monitoring", "information_sharing": "information sharing", "full": "full activation"}


def _yes(value: bool) -> str:
    return "INVOKED" if value else "no"


class SituationPanel(Static):
    """Renders the journal-derived picture for one scope (None = facilitator: all)."""

    DEFAULT_CSS = """
    SituationPanel { padding: 0 1; height: auto; }
    """

    def __init__(self, view: JournalView, team: str | None = None, **kwargs):
        super().__init__("", **kwargs)
        self.view = view
        self.team = team
        self._last: tuple | None = None

    def show(self, now: int, queues: dict[str, int] | None = None, force: bool = False) -> None:
        key = (now, tuple(sorted((queues or {}).items())))
        if not force and key == self._last:
            return
        self._last = key
        update_quietly(self, self.render_text(now, queues or {}))

    def render_text(self, now: int, queues: dict[str, int]) -> Text:
        v = self.view
        sev = v.severity
        lines: list[Text] = []
        head = Text.assemble(("Severity  ", "bold"), eccs_badge(sev["level"], sev["colour"], sev["name"]))
        if sev["level"]:
            head.append(f"  since {format_time(sev['t'])}")
        lines += [head, Text("  " + sev["reason"])]

        states, plays = (None, set()) if self.team is None else v.team_scope(self.team)
        colours = v.ms_colours(states)
        impact = Text("Impact    ", style="bold")
        if colours:
            for i, (ms, colour) in enumerate(colours.items()):
                if i:
                    impact.append("  ")
                impact.append_text(colour_chip(ms, colour))
        else:
            impact.append("no reported impact" + ("" if states is None else f" in {', '.join(sorted(states)) or 'your MS'}"))
        lines.append(impact)
        sectors = sorted({f"{ms} {sec} {c}" for (ms, sec), c in v.impact.items()
                          if c != "white" and (states is None or ms in states)})
        if sectors:
            lines.append(Text("  " + " · ".join(sectors)))
        lines.append(Text.assemble(("Outlook   ", "bold"), str(v.values.get("outlook", "")),
                                   ("   Attribution ", "bold"), str(v.values.get("attribution", ""))))

        val = v.values
        lines.append(Text("Escalation", style="bold"))
        lines.append(Text(f"  CyCLONe {val['cyclone']} · IPCR {IPCR_WORDS.get(val['ipcr'], val['ipcr'])}"))
        lines.append(Text(f"  Art. 42(7) TEU {_yes(val['art427'])} · Art. 222 TFEU {_yes(val['art222'])}"
                          f" · Reserve {'requested' if val['reserve_requested'] else 'no'}"))

        clocks = list(v.clocks.values()) if self.team is None else v.team_clocks(self.team)
        running = sorted((c for c in clocks if c.status == "running"), key=lambda c: c.deadline)
        met = sum(c.status == "met" for c in clocks)
        missed = [c for c in clocks if c.status == "missed"]
        lines.append(Text.assemble(("Regulatory clocks", "bold"),
                                   f"  {len(running)} running · {met} met · {len(missed)} missed"))
        for c in running[:MAX_CLOCKS]:
            line = Text(f"  {c.label} · {c.owner} · due {format_time(c.deadline)} ")
            line.append_text(countdown(c.deadline, now))
            lines.append(line)
        if len(running) > MAX_CLOCKS:
            lines.append(Text(f"  … {len(running) - MAX_CLOCKS} more running"))
        for c in missed[-3:]:
            lines.append(Text(f"  MISSED {c.label} · {c.owner} at {format_time(c.deadline)}", style="bold"))

        points = v.open_points(self.team)
        if points:
            lines.append(Text("Open decision points", style="bold"))
            for p in points:
                line = Text(f"  {p.point} ({p.team}) until {format_time(p.deadline)} ")
                line.append_text(countdown(p.deadline, now))
                lines.append(line)
        if self.team is None:
            q = Text("Queues    ", style="bold")
            q.append(", ".join(f"{actor}: {n} waiting" for actor, n in queues.items()) if queues
                     else "no actor overloaded")
            lines.append(q)
        return Text("\n").join(lines)
