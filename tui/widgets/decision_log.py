"""A team's decision log: every submission and what the engine made of it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widgets import Static

from simulator.timefmt import format_time
from tui.journal_view import JournalView, LogEntry
from tui.messages import LogEntryHighlighted
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable

OUTCOME_STYLES = {"decision.refused": "bold", "decision.failed": "bold", "decision.effective": "bold",
                  "decision_point.closed": "italic"}


class DecisionLog(RowTable):
    """Rows appended from the journal-derived log, oldest first, keyed by record seq."""

    def __init__(self, view: JournalView, team: str, **kwargs):
        super().__init__(**kwargs)
        self.view = view
        self.team = team
        self._rendered = 0

    def on_mount(self) -> None:
        self.add_column("Time", key="time", width=7)
        self.add_column("Decision", key="what")
        # a refusal's reason and a rationale share the room left, then end in an ellipsis (full below)
        self.add_column("Outcome", key="outcome", width=len("submitted"), flex=True)
        self.add_column("Rationale", key="rationale", flex=True)
        # rows arrive when the team's view is first shown (TeamView.catch_up)

    def sync(self) -> None:
        entries = self.view.log.get(self.team, [])
        if self._rendered >= len(entries):
            if not entries:
                self.set_title("Decision log · nothing decided yet")
            return
        self.add_rows((str(e.seq), self._cells(e)) for e in entries[self._rendered:])
        self._rendered = len(entries)
        self.set_title(f"Decision log · {len(entries)} entries")
        self.move_cursor(row=self._rendered - 1)

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        entries = self.view.log.get(self.team, [])
        if 0 <= event.cursor_row < len(entries):
            self.post_message(LogEntryHighlighted(entries[event.cursor_row]))

    @staticmethod
    def _cells(e: LogEntry) -> tuple:
        # the rationale shows once, on the submission (and on a default the deadline applied)
        rationale = e.rationale if e.kind in ("decision.submitted", "decision_point.closed") else ""
        return (format_time(e.t), e.what, Text(e.outcome, style=OUTCOME_STYLES.get(e.kind, "")), rationale)

    def entries(self) -> list[LogEntry]:
        return list(self.view.log.get(self.team, [])[: self._rendered])


class DecisionLogPane(Container):
    """The Log tab: the table, and the entry under the cursor in full (rationales are long)."""

    def __init__(self, view: JournalView, team: str, **kwargs):
        super().__init__(**kwargs)
        self.view = view
        self.team = team

    def compose(self) -> ComposeResult:
        yield DecisionLog(self.view, self.team)
        with VerticalScroll(classes="reader"):
            yield Static("Decisions this team takes, and what became of them, appear here.", classes="log-entry")

    @property
    def table(self) -> DecisionLog:
        return self.query_one(DecisionLog)

    def on_log_entry_highlighted(self, message: LogEntryHighlighted) -> None:
        e = message.entry
        text = Text.assemble((f"{format_time(e.t)}  {e.what}\n", "bold"), (e.outcome, OUTCOME_STYLES.get(e.kind, "")))
        if e.rationale:
            text.append("\nRationale: ", style="bold")
            text.append(e.rationale)
        update_quietly(self.query_one(".log-entry", Static), text)

