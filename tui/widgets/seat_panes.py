"""What a seat of a served session shows: one pane per tab, set from its SeatState.

The tabs depend on the seat's role (a team: inbox, decisions, media, feed and
log; exercise control: seats, feed and log; an evaluator: feed and log), so
:class:`SeatPanes` is made once the host's welcome says which. As on the play
screen, a pane is built the first time its tab is shown and only the pane on
screen follows the state; another catches up when shown. Tables are
RowTables (rows drawn only when on screen, cells never read as markup, so a
title with brackets shows as written); the feed and the log write only their
last lines, in one go.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import RichLog, Static

from simulator.timefmt import format_time
from tui.seat_state import Delivery, Moved, SeatState
from tui.widgets.badges import tlp_badge
from tui.widgets.briefing_text import briefing
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable
from tui.widgets.tabs import Tab, TabbedPanes, give_keys

LINES_SHOWN = 400
"""Lines a feed or a log shows at most; the seat's state keeps everything."""


def _columns(table: RowTable, columns: Sequence[tuple[str, str]], fixed: dict[str, int] | None = None,
             flex: str | None = None) -> None:
    for label, key in columns:
        table.add_column(label, key=key, width=(fixed or {}).get(key), flex=key == flex)


class InboxPane(Vertical):
    """The team's deliveries, one row per copy that reached one of its actors, and the one under the cursor
    below them (the table keeps the whole width: a seat's rows also say which actor got the copy)."""

    DEFAULT_CSS = """
    InboxPane > RowTable { height: 1fr; }
    InboxPane > .seat-reader { height: 8; padding: 0 1; border-top: hkey $foreground 30%; }
    """

    def __init__(self, state: SeatState, **kwargs):
        super().__init__(**kwargs)
        self.state = state
        self._shown = 0

    def compose(self) -> ComposeResult:
        yield RowTable(id="inbox")
        with VerticalScroll(classes="seat-reader"):
            yield Static("No messages yet.", id="body")

    def on_mount(self) -> None:
        _columns(self.query_one(RowTable), (("Time", "time"), ("TLP", "tlp"), ("To", "to"), ("From", "from"),
                                            ("Title", "title")), {"time": 7})
        self.sync()

    def sync(self) -> None:
        """Append the deliveries not shown yet (one batch)."""
        items = self.state.inbox
        table = self.query_one(RowTable)
        if self._shown < len(items):
            table.add_rows((str(i.seq), (format_time(i.t), tlp_badge(i.tlp), i.to, i.sender, i.title))
                           for i in items[self._shown:])
            first = self._shown == 0
            self._shown = len(items)
            if first:
                self._show(items[0])
        table.set_title(f"Inbox · {len(items)} message{'s' if len(items) != 1 else ''}")

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.state.inbox):
            self._show(self.state.inbox[event.cursor_row])

    def _show(self, item: Delivery) -> None:
        update_quietly(self.query_one("#body", Static), Text.assemble(
            tlp_badge(item.tlp), " ", (item.title, "bold"), f"\nfrom {item.sender} to {item.to}\n\n",
            item.body or "(no text)"))


class MediaPane(Vertical):
    """What the public sphere said (deliveries marked for the media feed)."""

    def __init__(self, state: SeatState, **kwargs):
        super().__init__(**kwargs)
        self.state = state
        self._shown = 0

    def compose(self) -> ComposeResult:
        yield RowTable(id="media")

    def on_mount(self) -> None:
        _columns(self.query_one(RowTable), (("Time", "time"), ("From", "from"), ("Title", "title")), {"time": 7})
        self.sync()

    def sync(self) -> None:
        items = self.state.media
        if self._shown < len(items):
            self.query_one(RowTable).add_rows((str(i.seq), (format_time(i.t), i.sender, i.title))
                                              for i in items[self._shown:])
            self._shown = len(items)


class PointsPane(Vertical):
    """The team's decision points: open ones to answer (Enter), closed ones with their outcome."""

    def __init__(self, state: SeatState, **kwargs):
        super().__init__(**kwargs)
        self.state = state

    def compose(self) -> ComposeResult:
        yield RowTable(id="points")

    def on_mount(self) -> None:
        _columns(self.query_one(RowTable), (("Point", "point"), ("Decide by", "deadline"), ("Status", "status"),
                                            ("Prompt", "prompt")))
        self.sync()

    def sync(self) -> None:
        table = self.query_one(RowTable)
        table.set_rows((p.point, (p.point, format_time(p.deadline), p.status, p.prompt))
                       for p in self.state.points.values())
        table.set_title(f"{len(self.state.open_points())} open · Enter answers the point under the cursor")


class SeatsPane(Vertical):
    """Exercise control's view of who is connected and who acknowledged the comm check."""

    def __init__(self, state: SeatState, **kwargs):
        super().__init__(**kwargs)
        self.state = state

    def compose(self) -> ComposeResult:
        yield RowTable(id="seats")

    def on_mount(self) -> None:
        _columns(self.query_one(RowTable), (("Seat", "seat"), ("Connected", "connected"), ("Last seen", "seen"),
                                            ("Comm check", "check"), ("Label", "label")))
        self.sync()

    def sync(self) -> None:
        rows = []
        for row in self.state.seats:
            seen = "-" if row.get("last_seen") is None else f"{row['last_seen']:.0f} s ago"
            rows.append((str(row["seat"]), (str(row["seat"]), "yes" if row.get("connected") else "no", seen,
                                            "acknowledged" if row.get("acked") else "-", str(row.get("label", "")))))
        self.query_one(RowTable).set_rows(rows)


class LinesPane(Vertical):
    """One or more logs of lines from the state, each showing its last lines, written in one go."""

    def __init__(self, state: SeatState, sources: Sequence[tuple[str, str]], **kwargs):
        """``sources``: (widget id, name of a list of lines in the state) per log, top to bottom."""
        super().__init__(**kwargs)
        self.state = state
        self.sources = list(sources)
        self._written: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        for ident, _name in self.sources:
            yield RichLog(id=ident, max_lines=LINES_SHOWN, wrap=True, markup=False, highlight=False)

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        for ident, name in self.sources:
            lines: list[str] = getattr(self.state, name)
            done = self._written.get(ident, 0)
            if done < len(lines):
                new = lines[max(done, len(lines) - LINES_SHOWN):]
                self.query_one(f"#{ident}", RichLog).write(Text("\n".join(new)))
                self._written[ident] = len(lines)


class BriefingPane(VerticalScroll):
    """The exercise briefing the host sent (a team's: without other teams' points, seed or world state)."""

    def __init__(self, state: SeatState, **kwargs):
        super().__init__(**kwargs)
        self.state = state
        self._shown: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static("The briefing comes with the host's first records.", id="briefing-text")

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        if self.state.briefing and self.state.briefing is not self._shown:
            self._shown = self.state.briefing
            self.query_one("#briefing-text", Static).update(briefing(self.state.briefing, 0, None, SEAT_HINTS.get(
                self.state.role, SEAT_HINTS["evaluator"])))


SEAT_HINTS = {
    "team": Text("Exercise control starts the clock (STARTEX); press k when a comm check comes · "
                 "1-5 the other tabs · ctrl+q quit", style="bold"),
    "facilitator": Text("Press s for STARTEX once every team has acknowledged the comm check (c sends it) · "
                        "1-3 the other tabs · ctrl+q quit", style="bold"),
    "evaluator": Text("Exercise control starts the clock · 1-2 the other tabs · ctrl+q quit", style="bold"),
}
"""What a seat's briefing says to press (a seat does not start the clock itself, except exercise control)."""


ROLE_TABS: dict[str, tuple[str, ...]] = {
    "team": ("inbox", "decide", "media", "feed", "log", "briefing"),
    "facilitator": ("seats", "feed", "log", "briefing"),
    "evaluator": ("feed", "log", "briefing"),
}
"""The tabs each role sees, left to right (keys 1, 2, ... in this order)."""

LABELS = {"inbox": "Inbox", "decide": "Decide", "media": "Media", "seats": "Seats", "feed": "Feed", "log": "Log",
          "briefing": "Briefing"}

MOVES = {"inbox": "inbox", "decide": "points", "media": "media", "seats": "seats", "feed": "feed", "log": "log",
         "briefing": "briefing"}
"""Which part of a :class:`~tui.seat_state.Moved` each tab follows."""


class SeatPanes(TabbedPanes):
    """The seat's tabs for its role; :meth:`apply` brings the pane on screen up to the state."""

    def __init__(self, state: SeatState, role: str, **kwargs):
        names = ROLE_TABS.get(role, ROLE_TABS["evaluator"])
        super().__init__([Tab(f"tab-{name}", f"{i} {LABELS[name]}", self._builder(name))
                          for i, name in enumerate(names, 1)], **kwargs)
        self.state = state
        self.names = list(names)

    def _builder(self, name: str):
        def build() -> Widget:
            if name == "inbox":
                return InboxPane(self.state)
            if name == "decide":
                return PointsPane(self.state)
            if name == "media":
                return MediaPane(self.state)
            if name == "seats":
                return SeatsPane(self.state)
            if name == "feed":
                return LinesPane(self.state, [("feed", "feed")])
            if name == "briefing":
                return BriefingPane(self.state)
            return LinesPane(self.state, [("log", "log"), ("alerts", "alerts")])
        return build

    @property
    def active_name(self) -> str:
        return self.active.removeprefix("tab-")

    def _pane(self) -> Widget | None:
        return self.pane(self.active)

    def apply(self, moved: Moved) -> None:
        """New messages: the pane on screen follows (the log also shows the alerts a feed move carries)."""
        name = self.active_name
        if getattr(moved, MOVES[name]) or (name == "log" and moved.feed):
            self.catch_up()

    def catch_up(self) -> None:
        pane = self._pane()
        sync = getattr(pane, "sync", None)
        if sync is not None:
            sync()

    async def show_tab(self, index: int) -> None:
        """Show the tab under key ``index + 1``, up to date, with the keys on its table or log."""
        if 0 <= index < len(self.names):
            await self.show_pane(f"tab-{self.names[index]}")
            self.catch_up()
        self.focus_content()

    def on_tabbed_panes_shown(self, message: TabbedPanes.Shown) -> None:
        self.catch_up()
        self.focus_content()

    def focus_content(self) -> None:
        pane = self._pane()
        if pane is not None:
            target = next(iter(pane.query("RowTable, RichLog")), None)
            if target is None and pane.can_focus:
                target = pane  # the briefing: a scroll of its own, for the arrow and page keys
            if target is not None:
                give_keys(target)
