"""The situation picture: severity, per-MS impact, escalation, clocks, queues.

The facilitator's panel shows ground truth and, per team, what it is missing;
a team's panel shows the team's own situational picture (what reached the
actors it plays, each fact with its age and source) and nothing of ground
truth (issue 14; simulator.engine.knowledge).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.engine.knowledge import Knowledge, Picture
from simulator.timefmt import format_duration, format_time
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

    def __init__(self, view: JournalView, team: str | None = None, *, knowledge: Knowledge | None = None, **kwargs):
        super().__init__("", **kwargs)
        self.view = view
        self.team = team
        self.knowledge = knowledge
        """The exercise's live pictures: a team panel renders its team's; the facilitator's lists what teams miss."""
        self._last: tuple | None = None

    def show(self, now: int, queues: dict[str, int] | None = None, force: bool = False) -> None:
        key = (now, tuple(sorted((queues or {}).items())))
        if not force and key == self._last:
            return
        self._last = key
        update_quietly(self, self.render_text(now, queues or {}))

    def render_text(self, now: int, queues: dict[str, int]) -> Text:
        if self.team is not None and self.knowledge is not None and not self.view.plan.teams[self.team].facilitator:
            return self.render_picture(self.knowledge.team(self.team), now)
        text = self.render_truth(now, queues)
        if self.team is None and self.knowledge is not None:
            text = Text("\n").join([text, *self.render_missing()])
        return text

    # ------------------------------------------------------------ a team's own picture
    def render_picture(self, pic: Picture, now: int) -> Text:
        """What the team knows, each line with its source and age; nothing read from the world."""

        def age(f) -> str:
            return f"{f.via}, {format_duration(now - f.learned)} ago"

        lines: list[Text] = [Text("Your picture (what has reached your team)", style="bold")]
        e = pic.fact("eccs")
        if e is None:
            lines.append(Text.assemble(("Severity  ", "bold"), "not known: no assessment has reached you"))
        else:
            from simulator.engine.severity import COLOURS, NAMES

            head = Text.assemble(("Severity  ", "bold"), eccs_badge(e.value, COLOURS[e.value], NAMES[e.value]))
            lines += [head, Text(f"  {age(e)}" + (f"; assessed by {e.assessed_by}" if e.assessed_by else ""))]
        colours = pic.ms_colours()
        impact = _impact_line(colours, "no impact reported to you yet")
        lines.append(impact)
        for ms in colours:
            f = max((f for n, f in pic.facts.items() if n.startswith(f"impact.{ms}/")), key=lambda f: f.learned)
            lines.append(Text(f"  {ms}: {age(f)}"))
        for label, name in (("Outlook", "outlook"), ("Cross-border", "cross_border"), ("Attribution", "attribution"),
                            ("Confidence", "confidence"), ("State actor", "state_actor"),
                            ("Criminal group", "criminal_group"), ("CyCLONe", "cyclone"), ("IPCR", "ipcr"),
                            ("Reserve", "reserve")):
            known = pic.fact(name)
            if known is not None:
                lines.append(Text.assemble((f"{label:<10}", "bold"), f" {known.value} — {age(known)}"))
        exceeded = pic.members("capacity_exceeded")
        if exceeded:
            lines.append(Text.assemble(("Capacity  ", "bold"), f" exceeded in {', '.join(exceeded)}"))
        clocks = self.view.team_clocks(self.team) if self.team is not None else []
        running = sorted((c for c in clocks if c.status == "running"), key=lambda c: c.deadline)
        lines.append(Text.assemble(("Your clocks", "bold"), f"  {len(running)} running"))
        for c in running[:MAX_CLOCKS]:
            line = Text(f"  {c.label} · {c.owner} · due {format_time(c.deadline)} ")
            line.append_text(countdown(c.deadline, now))
            lines.append(line)
        points = self.view.open_points(self.team)
        if points:
            lines.append(Text("Open decision points", style="bold"))
            for p in points:
                line = Text(f"  {p.point} until {format_time(p.deadline)} ")
                line.append_text(countdown(p.deadline, now))
                lines.append(line)
        return Text("\n").join(lines)

    def render_missing(self) -> list[Text]:
        """Per team: what is true but not (or not yet) in its picture."""
        k = self.knowledge
        assert k is not None  # shown only on the facilitator console, which is given the knowledge
        truth = k.truth()
        t_col = truth.ms_colours()
        lines = [Text("What each team is missing", style="bold")]
        for team, spec in self.view.plan.teams.items():
            if spec.facilitator:
                continue
            pic = k.team(team)
            gaps = []
            if pic.eccs != truth.eccs:
                gaps.append(f"ECCS {truth.eccs} (holds {'none' if pic.eccs is None else pic.eccs})")
            known = pic.ms_colours()
            wrong = [f"{ms} {c}" for ms, c in t_col.items() if known.get(ms, "white") != c and c != "white"]
            if wrong:
                gaps.append("impact " + ", ".join(wrong))
            lines.append(Text(f"  {team}: " + ("; ".join(gaps) if gaps else "up to date")))
        return lines

    # ------------------------------------------------------------ ground truth (facilitator)
    def render_truth(self, now: int, queues: dict[str, int]) -> Text:
        v = self.view
        sev = v.severity
        lines: list[Text] = []
        head = Text.assemble(("Severity  ", "bold"), eccs_badge(sev["level"], sev["colour"], sev["name"]))
        if sev["level"]:
            head.append(f"  since {format_time(sev['t'])}")
        lines += [head, Text("  " + sev["reason"])]

        states, plays = (None, set()) if self.team is None else v.team_scope(self.team)
        impact = _impact_line(v.ms_colours(states), "no reported impact" + (
            "" if states is None else f" in {', '.join(sorted(states)) or 'your MS'}"))
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


def _impact_line(colours: dict[str, str], empty: str) -> Text:
    """'Impact' and a colour chip per Member State, or ``empty`` when there is none."""
    impact = Text("Impact    ", style="bold")
    if not colours:
        impact.append(empty)
    for i, (ms, colour) in enumerate(colours.items()):
        if i:
            impact.append("  ")
        impact.append_text(colour_chip(ms, colour))
    return impact
