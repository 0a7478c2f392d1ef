"""The two kinds of view on the play screen: the facilitator console and a team's view.

Each is a :class:`~tui.widgets.tabs.TabbedPanes` (a tab bar over panes, one
layer fewer than holding one) whose panes render the
shared JournalView. A pane is built the first time its tab is shown, and
only what is on screen follows the journal: :meth:`apply` (new records) and
:meth:`clock` (time moved) update the active pane (the MSEL always, the keys
act on it); a pane brought up later catches up then, as a hidden view does
when it is shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import RichLog, Static

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
from tui.widgets.tabs import Tab, TabbedPanes, give_keys

FEED_SHOWN = 400
"""Lines the feed shows at most (a write may hold several); the journal keeps everything."""


class NotesTable(RowTable):
    """The observations written so far, one row each."""

    def on_mount(self) -> None:
        for label, key in (("Time", "time"), ("Kind", "kind"), ("Objective", "objective"),
                           ("Team", "team"), ("Observation", "text")):
            self.add_column(label, key=key)


def displayed(widget: Widget) -> bool:
    """The widget and every container above it are displayed (a pane behind another tab is not)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


class FacilitatorView(TabbedPanes):
    """Exercise control: MSEL timeline, full situation, live feed, observations."""

    TABS = ("timeline", "situation", "feed", "notes")

    def __init__(self, ex: Exercise, view: JournalView, **kwargs):
        super().__init__([Tab("timeline", "1 Timeline", self._timeline), Tab("situation", "2 Situation", self._situation),
                          Tab("feed", "3 Feed", self._feed), Tab("notes", "4 Notes", self._notes_pane)], **kwargs)
        self.ex = ex
        self.view = view
        self._notes = 0
        self._feed_stale = True
        """The feed log misses lines: it is written only while its tab is the active one."""

    @property
    def title(self) -> str:
        return "Facilitator console"

    def _timeline(self) -> Widget:
        return Horizontal(
            Vertical(MselTable(self.view, self.ex.inject_status, id="msel"), Static("", id="msel-detail"),
                     classes="msel-pane"),
            VerticalScroll(SituationPanel(self.view, None, id="side-situation", knowledge=self.ex.knowledge),
                           classes="side wide-only"),
            classes="split")

    def _situation(self) -> Widget:
        return VerticalScroll(SituationPanel(self.view, None, id="situation-panel", knowledge=self.ex.knowledge))

    def _feed(self) -> Widget:
        return Vertical(RichLog(max_lines=FEED_SHOWN, id="feed-log", wrap=True, markup=False, highlight=False))

    def _notes_pane(self) -> Widget:
        return Vertical(NotesTable(id="notes-table"))

    @property
    def msel(self) -> MselTable:
        return self.query_one(MselTable)

    def on_mount(self) -> None:
        self.clock(self.ex.now, self.ex.queues(), force=True)
        self.show_detail()

    def on_resize(self) -> None:
        self.clock(self.ex.now, self.ex.queues(), force=True)  # the side panel shows from 160 columns

    def _write_feed(self, lines: list[str]) -> None:
        """One write per batch (tech-notes §4): a Text of the new lines, wrapped to the width."""
        if lines:
            self.query_one("#feed-log", RichLog).write(Text("\n".join(lines[-FEED_SHOWN:])))

    def _feed_shown(self) -> bool:
        return self.active == "feed"

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

    def _sync_notes(self) -> None:
        if self.pane("notes") is None:
            return  # written when the tab is first shown
        obs = self.view.observations
        table = self.query_one("#notes-table", RowTable)
        if self._notes < len(obs):
            table.add_rows((str(r.seq), (format_time(r.t), _kind(r), r.get("objective") or "",
                                         r.get("team") or "", r["text"])) for r in obs[self._notes:])
            self._notes = len(obs)
        table.set_title(f"Observations · {len(obs)}" + ("" if obs else " · press o to write one"))

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
        """Countdowns and the situation; a panel not on screen is brought up to date when it shows."""
        for panel in self.query(SituationPanel):
            if displayed(panel):
                panel.show(now, queues, force=force)

    def show_tab(self, index: int) -> AwaitComplete:
        """Show a tab (building its pane the first time) and focus it; await it, or let it finish."""
        return AwaitComplete(self._show_tab(index))

    async def _show_tab(self, index: int) -> None:
        if 0 <= index < len(self.TABS):
            await self.show_pane(self.TABS[index])
            self._caught_up()
        self.focus_content()

    def on_tabbed_panes_shown(self, message: TabbedPanes.Shown) -> None:
        """A click on a tab: bring its pane up to date and give it the keys."""
        self._caught_up()
        self.focus_content()

    def _caught_up(self) -> None:
        tab = self.active
        if tab == "feed":
            self._fill_feed()
        elif tab == "notes":
            self._sync_notes()
        else:
            self.clock(self.ex.now, self.ex.queues(), force=True)

    def focus_content(self) -> None:
        """Focus the main widget of the active tab (keys then act on it, and the tab stays)."""
        target = {"timeline": "#msel", "situation": "#situation", "feed": "#feed-log",
                  "notes": "#notes-table"}.get(self.active, "#msel")
        give_keys(self.query_one(target))


class TeamView(TabbedPanes):
    """One team's terminal: inbox, open decisions, entitled picture, decision log.

    A hidden team view does no work: it fills its inbox once when it is built
    (PlayScreen primes it off screen) and otherwise catches up when shown
    (:meth:`catch_up`), so a long journal costs only the view in use; and
    within a view, only the pane on screen follows the records.
    """

    TABS = ("inbox", "decide", "picture", "log")

    def __init__(self, ex: Exercise, view: JournalView, team: str, **kwargs):
        super().__init__([
            Tab("inbox", "1 Inbox", lambda: InboxPane(self.view, self.team, classes="split")),
            Tab("decide", "2 Decide", lambda: ChoicesPane(self.ex, self.view, self.team, classes="split")),
            Tab("picture", "3 Picture",
                lambda: VerticalScroll(SituationPanel(self.view, self.team, knowledge=self.ex.knowledge))),
            Tab("log", "4 Log", lambda: DecisionLogPane(self.view, self.team, classes="split")),
        ], **kwargs)
        self.ex = ex
        self.view = view
        self.team = team

    @property
    def title(self) -> str:
        return f"team {self.team} — {self.ex.plan.teams[self.team].name}"

    @property
    def inbox(self) -> InboxPane:
        return self.query_one(InboxPane)

    @property
    def choices(self) -> ChoicesPane:
        """The Decide tab's pane (it exists once the tab has been shown)."""
        return self.query_one(ChoicesPane)

    @property
    def decision_log(self) -> DecisionLog:
        """The Log tab's table (it exists once the tab has been shown)."""
        return self.query_one(DecisionLog)

    def _picture(self) -> SituationPanel | None:
        pane = self.pane("picture")
        return pane.query_one(SituationPanel) if pane is not None else None

    def catch_up(self) -> None:
        """Bring the pane on screen up to the view (when the team becomes visible, or the tab changes)."""
        tab = self.active
        if tab == "inbox":
            self.inbox.sync()
        elif tab == "log":
            self.decision_log.sync()
        elif tab == "decide":
            self.choices.sync(force=True)
        picture = self._picture()
        if tab == "picture" and picture is not None:
            picture.show(self.ex.now, force=True)

    def apply(self, ch: Changes) -> None:
        tab = self.active
        if tab == "inbox" and self.team in ch.inbox:
            self.inbox.sync()
        elif tab == "log" and self.team in ch.log:
            self.decision_log.sync()
        elif tab == "decide" and (ch.decisions or self.team in ch.log or ch.ended):
            self.choices.sync(force=True)
        elif tab == "picture" and (ch.state or ch.severity or ch.clocks or ch.points or self.team in ch.inbox):
            picture = self._picture()  # a delivery changes the picture
            if picture is not None:
                picture.show(self.ex.now, force=True)

    def clock(self, now: int, queues: dict[str, int], force: bool = False) -> None:
        tab = self.active
        if tab == "picture":
            picture = self._picture()
            if picture is not None:
                picture.show(now, force=force)
        elif tab == "decide":
            self.choices.sync()

    def show_tab(self, index: int) -> AwaitComplete:
        """Show a tab (building its pane the first time) and focus it; await it, or let it finish."""
        return AwaitComplete(self._show_tab(index))

    async def _show_tab(self, index: int) -> None:
        if 0 <= index < len(self.TABS):
            await self.show_pane(self.TABS[index])
            self.catch_up()
        self.focus_content()

    def on_tabbed_panes_shown(self, message: TabbedPanes.Shown) -> None:
        """A click on a tab: bring its pane up to date and give it the keys."""
        self.catch_up()
        self.focus_content()

    def focus_content(self) -> None:
        """Focus the main widget of the active tab (keys then act on it, and the tab stays)."""
        tab = self.active
        if tab == "decide":
            give_keys(self.choices.table)
        elif tab == "log":
            give_keys(self.decision_log)
        elif tab == "picture":
            give_keys(self.query_one("#picture"))
        else:
            give_keys(self.inbox.table)

    @property
    def active_tab(self) -> str:
        return self.active


def _kind(r) -> str:
    """The Kind cell of an observation; a rating shows its value ("rating S")."""
    kind = r.get("category", "") or ""
    return f"{kind} {r['rating']}".strip() if r.get("rating") else kind
