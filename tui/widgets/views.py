"""The two kinds of view on the play screen: the facilitator console and a team's view.

Each is a TabbedContent whose panels render the shared JournalView. A view
brings itself up to date with :meth:`apply` (new records) and :meth:`clock`
(time moved); hidden views catch up when shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.widgets import RichLog, Static, TabbedContent, TabPane

from simulator.engine.exercise import Exercise
from simulator.timefmt import format_time
from tui.journal_view import Changes, JournalView
from tui.widgets.choices_pane import ChoicesPane
from tui.widgets.decision_log import DecisionLog, DecisionLogPane
from tui.widgets.inbox import InboxPane
from tui.widgets.msel_table import MselTable
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable
from tui.widgets.situation import SituationPanel

FEED_SHOWN = 400
"""Lines the feed shows at most (a write may hold several); the journal keeps everything."""


class FacilitatorView(Container):
    """Exercise control: MSEL timeline, full situation, live feed, observations."""

    TABS = ("timeline", "situation", "feed", "notes")

    def __init__(self, ex: Exercise, view: JournalView, **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.view = view
        self._notes = 0
        self._feed_stale = True
        """The feed log misses lines: it is written only while its tab is the active one."""

    @property
    def title(self) -> str:
        return "Facilitator console"

    def compose(self) -> ComposeResult:
        with TabbedContent(id="fac-tabs"):
            with TabPane("1 Timeline", id="timeline"):
                with Horizontal(classes="split"):
                    with Vertical(classes="msel-pane"):
                        yield MselTable(self.view, self.ex.inject_status, id="msel")
                        yield Static("", id="msel-detail")
                    with VerticalScroll(classes="side wide-only"):
                        yield SituationPanel(self.view, None, id="side-situation", knowledge=self.ex.knowledge)
            with TabPane("2 Situation", id="situation"):
                with VerticalScroll():
                    yield SituationPanel(self.view, None, id="situation-panel", knowledge=self.ex.knowledge)
            with TabPane("3 Feed", id="feed"):
                yield RichLog(max_lines=FEED_SHOWN, id="feed-log", wrap=True, markup=False, highlight=False)
            with TabPane("4 Notes", id="notes"):
                yield RowTable(id="notes-table")

    @property
    def msel(self) -> MselTable:
        return self.query_one(MselTable)

    def on_mount(self) -> None:
        notes = self.query_one("#notes-table", RowTable)
        for label, key in (("Time", "time"), ("Kind", "kind"), ("Objective", "objective"),
                           ("Team", "team"), ("Observation", "text")):
            notes.add_column(label, key=key)
        self._sync_notes()
        self.clock(self.ex.now, self.ex.queues(), force=True)
        self.show_detail()

    def _write_feed(self, lines: list[str]) -> None:
        """One write per batch (tech-notes §4): a Text of the new lines, wrapped to the width."""
        if lines:
            self.query_one("#feed-log", RichLog).write(Text("\n".join(lines[-FEED_SHOWN:])))

    def _feed_shown(self) -> bool:
        return self.query_one(TabbedContent).active == "feed"

    def _fill_feed(self) -> None:
        """The feed tab is up: if it missed lines, write the last FEED_SHOWN of them in one go.

        A hidden RichLog keeps every write to render it when first shown, so
        feeding it tick after tick behind another tab made the first look at the
        feed render the whole session (seconds, after a long run). The view
        keeps the last lines anyway (``JournalView.feed``).
        """
        if self._feed_stale:
            self.query_one("#feed-log", RichLog).clear()
            self._write_feed(list(self.view.feed))
            self._feed_stale = False

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "feed":
            self._fill_feed()

    def _sync_notes(self) -> None:
        obs = self.view.observations
        table = self.query_one("#notes-table", RowTable)
        if self._notes < len(obs):
            table.add_rows((str(r.seq), (format_time(r.t), _kind(r), r.get("objective") or "",
                                         r.get("team") or "", r["text"])) for r in obs[self._notes:])
            self._notes = len(obs)
        table.border_title = f"Observations · {len(obs)}" + ("" if obs else " · press o to write one")

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        if event.table is self.msel:
            self.show_detail()

    def show_detail(self) -> None:
        update_quietly(self.query_one("#msel-detail", Static), self.msel.detail())

    def apply(self, ch: Changes) -> None:
        if ch.msel or ch.msel_added:
            self.msel.refresh_rows(ch.msel, ch.msel_added)
            self.show_detail()
        if ch.feed:
            if self._feed_stale or not self._feed_shown():
                self._feed_stale = True
            else:
                self._write_feed(ch.feed)
        if ch.observations:
            self._sync_notes()
        if ch.state or ch.severity or ch.clocks or ch.points:
            self.clock(self.ex.now, self.ex.queues(), force=True)

    def clock(self, now: int, queues: dict[str, int], force: bool = False) -> None:
        for panel in self.query(SituationPanel):
            panel.show(now, queues, force=force)

    def show_tab(self, index: int) -> None:
        if 0 <= index < len(self.TABS):
            self.query_one(TabbedContent).active = self.TABS[index]
        self.focus_content()

    def focus_content(self) -> None:
        """Focus the main widget of the active tab (keys then act on it, and the tab stays)."""
        active = self.query_one(TabbedContent).active
        target = {"timeline": "#msel", "situation": "#situation VerticalScroll", "feed": "#feed-log",
                  "notes": "#notes-table"}.get(active, "#msel")
        self.query_one(target).focus()


class TeamView(Container):
    """One team's terminal: inbox, open decisions, entitled picture, decision log.

    A hidden team view does no work: it fills and refreshes its panels when
    shown (:meth:`catch_up`), so a long journal costs only the view in use.
    """

    TABS = ("inbox", "decide", "picture", "log")

    def __init__(self, ex: Exercise, view: JournalView, team: str, **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.view = view
        self.team = team

    @property
    def title(self) -> str:
        return f"team {self.team} — {self.ex.plan.teams[self.team].name}"

    def compose(self) -> ComposeResult:
        with TabbedContent():
            with TabPane("1 Inbox", id="inbox"):
                yield InboxPane(self.view, self.team, classes="split")
            with TabPane("2 Decide", id="decide"):
                yield ChoicesPane(self.ex, self.view, self.team, classes="split")
            with TabPane("3 Picture", id="picture"):
                with VerticalScroll():
                    yield SituationPanel(self.view, self.team, knowledge=self.ex.knowledge)
            with TabPane("4 Log", id="log"):
                yield DecisionLogPane(self.view, self.team, classes="split")

    @property
    def inbox(self) -> InboxPane:
        return self.query_one(InboxPane)

    @property
    def choices(self) -> ChoicesPane:
        return self.query_one(ChoicesPane)

    @property
    def decision_log(self) -> DecisionLog:
        return self.query_one(DecisionLog)

    def catch_up(self) -> None:
        """Bring every panel up to the view (when the team becomes visible)."""
        self.inbox.sync()
        self.decision_log.sync()
        self.choices.sync(force=True)
        self.clock(self.ex.now, {}, force=True)

    def apply(self, ch: Changes) -> None:
        if self.team in ch.inbox:
            self.inbox.sync()
        if self.team in ch.log:
            self.decision_log.sync()
        if ch.decisions or self.team in ch.log or ch.ended:
            self.choices.sync(force=True)
        if ch.state or ch.severity or ch.clocks or ch.points or self.team in ch.inbox:  # a delivery changes the picture
            self.query_one(SituationPanel).show(self.ex.now, force=True)

    def clock(self, now: int, queues: dict[str, int], force: bool = False) -> None:
        self.query_one(SituationPanel).show(now, force=force)
        self.choices.sync()

    def show_tab(self, index: int) -> None:
        if 0 <= index < len(self.TABS):
            self.query_one(TabbedContent).active = self.TABS[index]
        self.focus_content()

    def focus_content(self) -> None:
        """Focus the main widget of the active tab (keys then act on it, and the tab stays)."""
        targets = {"inbox": self.inbox.table, "decide": self.choices.table, "log": self.decision_log,
                   "picture": self.query_one("#picture VerticalScroll")}
        targets.get(self.active_tab, self.inbox.table).focus()

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active


def _kind(r) -> str:
    """The Kind cell of an observation; a rating shows its value ("rating S")."""
    kind = r.get("category", "") or ""
    return f"{kind} {r['rating']}".strip() if r.get("rating") else kind
