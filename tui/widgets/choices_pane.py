"""A team's open decisions: points with deadlines and catalogue decisions, each
with its preconditions shown met or unmet and why."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widgets import Static

from simulator.engine.exercise import Exercise
from simulator.timefmt import format_duration, format_time
from tui.choices import Choice, choices_for
from tui.journal_view import JournalView
from tui.messages import DecisionRequested
from tui.widgets.badges import countdown
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable


def condition_lines(choice: Choice, check) -> list[Text]:
    """✓/✗ per precondition with why it exists; an unmet one also says what the engine read."""
    lines: list[Text] = []
    if check is None:
        lines.append(Text("✓ nothing to check: this option takes no catalogue step now"))
        return lines
    unmet = sum(1 for _expr, holds, _because in check.conditions if not holds)
    # the desk gives one reason per unmet precondition, in order, after its other reasons
    cut = max(0, len(check.reasons) - unmet)
    reasons, read_of_unmet = list(check.reasons[:cut]), iter(check.reasons[cut:])
    if check.conditions:
        lines.append(Text("Preconditions", style="bold"))
    for expr, holds, because in check.conditions:
        mark = Text("✓ met   ", style="bold") if holds else Text("✗ UNMET ", style="bold reverse")
        lines.append(Text.assemble("  ", mark, expr, (f" — {because}" if because else "", "italic")))
        read = next(read_of_unmet, "") if not holds else ""
        if read:
            lines.append(Text(f"          {_what_was_read(expr, read, because)}"))
    if reasons:  # not about state: who may take it, already taken, missing parameters
        lines.append(Text("Also", style="bold") if check.conditions else Text("Why not now", style="bold"))
        for reason in reasons:
            lines.append(Text(f"  ✗ {reason}"))
    elif not check.conditions:
        lines.append(Text("✓ no preconditions"))
    return lines


def _what_was_read(expr: str, reason: str, because: str) -> str:
    """What an unmet precondition read, from the desk's reason for it (without the why, shown above)."""
    if because:
        reason = reason.removesuffix(f" — {because}")
    unknown = reason.find("not known to ")
    if unknown >= 0:  # true in the world, not in the team's picture: say what the picture holds
        return reason[unknown:]
    if reason.startswith(expr):
        now = reason[len(expr):].strip()
        found = re.search(r"\((.*)\)", now)
        return f"now {found.group(1) if found else now}"
    return f"now {reason}"


class ChoicesTable(RowTable):
    """Rows of choices keyed by Choice.key."""


class ChoicesPane(Container):
    """The Decide tab of a team view."""

    def __init__(self, ex: Exercise, view: JournalView, team: str, **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.view = view
        self.team = team
        self.choices: dict[str, Choice] = {}
        self._order: list[str] = []
        self._now = -1

    def compose(self) -> ComposeResult:
        yield ChoicesTable(classes="choices-table")
        with VerticalScroll(classes="reader"):
            yield Static("", classes="choice-detail")

    @property
    def table(self) -> ChoicesTable:
        return self.query_one(ChoicesTable)

    def on_mount(self) -> None:
        t = self.table
        t.add_column("", key="mark", width=1)
        t.add_column("Id", key="id")
        t.add_column("Status", key="status")
        t.add_column("Decision", key="label", flex=True)  # the room left, then an ellipsis (full in the detail)
        # rows arrive when the team's view is first shown (TeamView.catch_up)

    def _taken(self, c: Choice) -> str | None:
        """'under way' or 'in effect' for a one-off decision the desk will not take again (by any team)."""
        d = self.ex.plan.catalogue.get(c.decision) if c.decision and c.point is None else None
        if d is None or d.repeatable:
            return None
        if self.ex.desk.under_way(d.id):
            return "under way"
        return "in effect" if self.ex.desk.taken(d.id) else None

    def _mark(self, c: Choice) -> str:
        """✓ it can be submitted, ✗ a precondition is unmet, … / • a one-off step already under way / in effect."""
        taken = self._taken(c)
        if taken is not None:
            return "…" if taken == "under way" else "•"
        return "✓" if c.ready else "✗"

    def _status(self, c: Choice) -> Text:
        if c.deadline is not None:
            return Text.assemble("due ", countdown(c.deadline, self.ex.now))
        taken = self._taken(c)
        if taken is not None:
            return Text(taken, style="bold")
        text = Text("ready", style="bold") if c.ready else Text("unmet", style="italic")
        track = self.view.tracks.get((self.team, c.decision)) if c.decision else None
        if track is not None and track.under_way:  # a repeatable step the team took, that may be taken again
            text.append(f" ({track.under_way} under way)")
        elif track is not None and track.effective is not None:
            text.append(" (in effect)")
        return text

    def sync(self, force: bool = False) -> None:
        """Rebuild from the engine's checks (force), or just move the deadline countdowns."""
        now = self.ex.now
        if not force:
            if now != self._now:
                self._now = now
                for key in self._order:
                    c = self.choices[key]
                    if c.deadline is not None:
                        self.table.update_cell(key, "status", self._status(c))
            return
        self._now = now
        choices = choices_for(self.ex, self.view, self.team) if not self.ex.ended else []
        self.choices = {c.key: c for c in choices}
        self._order = [c.key for c in choices]
        t = self.table
        t.set_rows((c.key, (self._mark(c), f"{c.point}:{c.option}" if c.point else (c.decision or ""),
                            self._status(c), c.label)) for c in choices)  # the cursor keeps its row
        points = len({c.point for c in choices if c.point})
        ready = sum(c.ready and not c.point for c in choices)
        t.set_title(f"{points} open point{'s' if points != 1 else ''} · "
                    f"{ready} of {len(choices) - sum(bool(c.point) for c in choices)} decisions ready")
        self._detail()

    def selected_key(self) -> str | None:
        return self.table.cursor_key

    def selected(self) -> Choice | None:
        key = self.selected_key()
        return self.choices.get(key) if key else None

    def select(self, key: str) -> bool:
        row = self.table.row_index(key)
        if row is not None:
            self.table.move_cursor(row=row)
            self._detail()
            return True
        return False

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self._detail()

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        event.stop()
        choice = self.selected()
        if choice is not None:
            self.post_message(DecisionRequested(choice))

    def _detail(self) -> None:
        c = self.selected()
        out = self.query_one(".choice-detail", Static)
        if c is None:
            update_quietly(out, "No decision open to this team now." if self.ex.ended or not self.choices
                           else "Move to a row to see its preconditions.")
            return
        lines: list[Text] = []
        if c.point:
            p = self.view.points[c.point]
            lines.append(Text(f"{c.point} — {p.prompt}", style="bold"))
            lines.append(Text.assemble(f"Deadline {format_time(p.deadline)} (", countdown(p.deadline, self.ex.now),
                                       f"); default if nobody decides: {p.default}"))
            lines.append(Text(f"Option {c.option}: {c.label}" + (f" → takes {c.decision}" if c.decision else "")))
        d = self.ex.plan.catalogue.get(c.decision) if c.decision else None
        if d is not None:
            lines.append(Text(f"{d.id} {d.name}", style="bold"))
            lines.append(Text(f"{d.ladder} · {d.level} level · by {', '.join(d.by)}"
                              + (f" · voting: {d.voting.rule}" if d.voting.rule != "none" else "")
                              + (f" · takes effect in {format_duration(d.delay.min * 60)}–"
                                 f"{format_duration(d.delay.max * 60)}" if d.delay.max else " · immediate")))
            if d.description:
                lines.append(Text(d.description.strip(), style="italic"))
        lines += condition_lines(c, c.check)
        taken = self._taken(c)
        if taken is not None:
            hint = f"Already {taken}: it is taken once, and taking it again would change nothing."
        elif c.ready:
            hint = "Enter or d: decide (a rationale is required)"
        else:
            hint = "Unmet: the decision stays disabled until its preconditions hold."
        lines.append(Text(hint, style="dim"))
        update_quietly(out, Text("\n").join(lines))
