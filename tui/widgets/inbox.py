"""A team's inbox: the injects delivered to actors it plays, and a reader for one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widgets import Static

from simulator.timefmt import format_time
from tui.journal_view import InboxItem, JournalView
from tui.widgets.badges import calendar_text, tlp_badge
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable


class InboxTable(RowTable):
    """Rows of a team's inbox keyed by inject, appended as deliveries arrive."""


class InboxPane(Container):
    """Inbox list plus the message under the cursor. Only ``inject.delivered``
    records whose ``teams`` include this team ever reach it."""

    def __init__(self, view: JournalView, team: str, **kwargs):
        super().__init__(**kwargs)
        self.view = view
        self.team = team
        self._rendered = 0

    def compose(self) -> ComposeResult:
        yield InboxTable(classes="inbox-table")
        with VerticalScroll(classes="reader"):
            yield Static("No messages yet.", classes="reader-text")

    @property
    def table(self) -> InboxTable:
        return self.query_one(InboxTable)

    def on_mount(self) -> None:
        t = self.table
        t.add_column("Time", key="time", width=7)
        t.add_column("TLP", key="tlp")
        t.add_column("From", key="from")
        t.add_column("Title", key="title", flex=True)  # the room left, then an ellipsis (full in the reader)
        # rows arrive when the team's view is first shown (TeamView.catch_up)

    def sync(self) -> None:
        """Append the deliveries not shown yet (one add_rows call per batch; only rows on screen are drawn)."""
        items = self.view.inbox.get(self.team, [])
        if self._rendered >= len(items):
            if not items:
                self.table.set_title("Inbox · no messages yet")
            return
        new = items[self._rendered:]
        self.table.add_rows((i.inject, (format_time(i.t), tlp_badge(i.tlp), i.sender, i.title)) for i in new)
        self._rendered = len(items)
        self.table.set_title(f"Inbox · {len(items)} message{'s' if len(items) != 1 else ''}")
        if self._rendered == len(new):
            self._show(items[0])

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        items = self.view.inbox.get(self.team, [])
        if 0 <= event.cursor_row < len(items):
            self._show(items[event.cursor_row])

    def _show(self, item: InboxItem) -> None:
        when = calendar_text(self.view.started.get("start", ""), item.t)
        text = Text.assemble(
            tlp_badge(item.tlp), " ", (item.title, "bold"), "\n",
            f"{format_time(item.t)}  {when}\n",
            f"From {item.sender} to {', '.join(item.actors)}  ({item.inject})\n\n",
            item.body.strip() or "(no text)",
        )
        update_quietly(self.query_one(".reader-text", Static), text)

    def rows(self) -> list[InboxItem]:
        """The items shown, in order (for tests and the command palette)."""
        return list(self.view.inbox.get(self.team, [])[: self._rendered])
