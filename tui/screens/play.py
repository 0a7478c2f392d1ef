"""The live play screen: status bar, one view at a time (facilitator or a team), key bar.

Keys are declared as bindings; :meth:`check_action` hides facilitator keys
on team views and the decide key on the facilitator console, so the key bar
at the bottom only ever shows keys that work where the facilitator is.

The screen is built under the briefing (the start key uncovers it) with the
console; each team's view is built in the background while the briefing is
read, one at a time, or the first time it is shown if that comes first. A
view is built *primed*: its inbox filled and the view laid out on a layer of
its own below the visible area (the play screen is laid out under the
briefing too), then drawn there and hidden, so its tables know their size and
scrollbars, and their lines are drawn, before it is first shown. Built hidden
and filled when shown, a view took four frames to settle (rows, scrollbars,
their corner), each drawing the view again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.journal_view import Changes
from tui.messages import ActionName, DecisionRequested, ExerciseAction, PlayReady
from tui.widgets.key_bar import KeyBar
from tui.widgets.status_bar import Status, StatusBar
from tui.widgets.views import FacilitatorView, TeamView

if TYPE_CHECKING:
    from simulator.engine.exercise import Exercise
    from tui.driver import SimDriver
    from tui.journal_view import JournalView

FACILITATOR = "view-facilitator"

FACILITATOR_ACTIONS = frozenset({"fire", "hold", "filter", "adhoc", "observe", "export_msel", "forecast"})
TEAM_ACTIONS = frozenset({"decide"})

PREBUILD_AFTER = 1.0
"""Seconds after the play screen is mounted (under the briefing) before team views are built in the
background: the briefing's first frame and a quick start key go first; a facilitator who reads the
briefing finds every view built."""
PREBUILD_GAP = 0.25
"""Seconds between two background builds, so keys pressed meanwhile wait for one build at most."""
PRIMING = "-priming"
"""Class of a view laid out off screen (cyclesim.tcss): on its own layer of #views, below the visible area."""
PRIME_LAYOUTS = 2
"""Layouts a primed view waits for: one sizes its tables, the next adds the scrollbars that size asked for."""
PRIME_WAIT = 1.0
"""Seconds a view waits to be laid out off screen before it is hidden again anyway."""


class PlayScreen(Screen):
    """Where the exercise is run.

    It is given what it shows (the exercise, the journal-derived view, the
    clock driver and a way to name the next inject) and posts
    :class:`~tui.messages.ExerciseAction` for everything that changes the
    exercise or opens a dialog: the app owns both.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As Textual's, without repainting the whole screen when the focus moves: the widgets that
    gain and lose it restyle and redraw themselves, and a view switch (which moves the focus) was
    drawn twice, the second time in full a frame later."""

    BINDINGS = [
        Binding("space", "toggle_run", "Run/Pause", key_display="space"),
        Binding("plus,equals_sign", "faster", "Speed", key_display="+/-"),
        Binding("minus", "slower", "Slower", show=False),
        Binding("n", "next_inject", "Next"),
        Binding("t", "next_view", "Team"),
        Binding("escape", "show_view('facilitator')", "Console", show=False),
        Binding("d", "decide", "Decide"),
        Binding("f", "fire", "Fire"),
        Binding("h", "hold", "Hold", show=False),
        Binding("v", "filter", "Filter", show=False),
        Binding("i", "adhoc", "Inject"),
        Binding("o", "observe", "Note"),
        Binding("x", "export_msel", "MSEL", show=False),
        Binding("e", "forecast", "Forecast", show=False),
        Binding("1", "tab(0)", "Tab 1", show=False),
        Binding("2", "tab(1)", "Tab 2", show=False),
        Binding("3", "tab(2)", "Tab 3", show=False),
        Binding("4", "tab(3)", "Tab 4", show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, exercise: Exercise, journal_view: JournalView, driver: SimDriver,
                 next_inject: Callable[[], str], **kwargs):
        super().__init__(**kwargs)
        self.ex = exercise
        self.journal_view = journal_view
        self.driver = driver
        self.next_inject = next_inject
        self.view_ids: list[str] = []
        self.current_id = FACILITATOR
        self._team_of_view: dict[str, str] = {}
        self._built: set[str] = {FACILITATOR}
        self._building: dict[str, asyncio.Event] = {}
        self._priming: set[str] = set()
        """The views being laid out off screen now."""
        self._prebuild_waits = False
        """The background building found a view priming and stopped: that view's priming starts it again."""

    def act(self, action: ActionName, argument: object = None) -> None:
        """Ask the app to act on the exercise."""
        self.post_message(ExerciseAction(action, argument))

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        teams = list(self.ex.plan.teams)
        self.view_ids = [FACILITATOR] + [f"view-team-{i}" for i in range(len(teams))]
        self._team_of_view = {f"view-team-{i}": team for i, team in enumerate(teams)}
        with Container(id="views"):  # one view displayed at a time (show); no switcher to draw again
            yield FacilitatorView(self.ex, self.journal_view, id=FACILITATOR)
            # team views are built in the background (_prebuild) or when first shown (open_view)
        yield KeyBar()

    def on_mount(self) -> None:
        self.facilitator.msel.focus()
        self.post_message(PlayReady())
        self.set_timer(PREBUILD_AFTER, self._prebuild)

    # ------------------------------------------------------------ access
    @property
    def views(self) -> Container:
        return self.query_one("#views", Container)

    @property
    def facilitator(self) -> FacilitatorView:
        return self.query_one(f"#{FACILITATOR}", FacilitatorView)

    @property
    def current(self) -> FacilitatorView | TeamView:
        return self.query_one(f"#{self.current_id}")  # type: ignore[return-value]

    @property
    def active_team(self) -> str | None:
        """The team whose view is shown, None on the facilitator console."""
        return self._team_of_view.get(self.current_id)

    def team_view(self, team: str) -> TeamView:
        """A team's view; it exists once it has been shown (see :meth:`open_view`)."""
        return next(v for v in self.query(TeamView) if v.team == team)

    # ------------------------------------------------------------ updates from the app
    def apply(self, ch: Changes) -> None:
        """New records: update the visible view now; hidden team views catch up when shown."""
        self.facilitator.apply(ch)
        current = self.current
        if isinstance(current, TeamView):
            current.apply(ch)
        self.refresh_status()

    def clock(self) -> None:
        """Time moved without new records: countdowns and the status bar."""
        self.current.clock(self.ex.now, self.ex.queues())
        self.refresh_status()

    def refresh_status(self) -> None:
        view = self.journal_view
        sev = view.severity
        team = self.active_team
        level, colour, name = sev["level"], sev["colour"], sev["name"]
        if team is not None and not self.ex.plan.teams[team].facilitator:
            # a team's view shows the ECCS its last assessment gave, never the world's (issue 14)
            from simulator.engine.severity import COLOURS, NAMES

            held = self.ex.known(team).eccs
            level, colour, name = (-1, "", "not assessed") if held is None else (held, COLOURS[held], NAMES[held])
        points = view.open_points(team)
        nxt = self.next_inject()
        self.query_one(StatusBar).show(Status(
            now=self.ex.now, duration=self.ex.duration, start=view.started.get("start", ""),
            state=self.driver.state_label, speed=self.driver.speed_label, level=level,
            colour=colour, name=name, view=self.current.title,
            open_points=len(points), next_inject=nxt if team is None else "",
        ))

    # ------------------------------------------------------------ view switching
    def show(self, view_id: str) -> None:
        if view_id != self.current_id:
            with self.app.batch_update():
                self.current.display = False
                self.current_id = view_id
                self.current.remove_class(PRIMING)  # shown while being primed: into place
                self.current.display = True
        view = self.current
        if isinstance(view, TeamView):
            view.catch_up()
        else:
            view.clock(self.ex.now, self.ex.queues(), force=True)
        view.focus_content()  # now, so the switch and the focus are drawn in one frame
        self.refresh_status()
        self.refresh_bindings()

    async def open_view(self, view_id: str) -> None:
        """Show a view, building a team's view (and filling it from the journal) if it is not built yet.

        A view still being primed is shown as it is: it settles on screen.
        """
        await self._build(view_id)
        self.show(view_id)

    async def _build(self, view_id: str, background: bool = False) -> None:
        """Mount a team's view off screen and prime it (:meth:`_prime`); a second caller meanwhile waits for the same mount."""
        if view_id in self._built:
            return
        if view_id in self._building:
            await self._building[view_id].wait()
            return
        done = self._building[view_id] = asyncio.Event()
        try:
            view = TeamView(self.ex, self.journal_view, self._team_of_view[view_id], id=view_id, classes=PRIMING)
            await self.views.mount(view)
            self._built.add(view_id)
            self._prime(view, background)
        finally:
            del self._building[view_id]
            done.set()

    async def _prebuild(self) -> None:
        """Build the next team view not built yet, then come back for the one after.

        Views are built one at a time while the facilitator reads the briefing, so
        a first switch to a team is as quick as the next; a switch before then
        builds the view itself.
        """
        if self._priming:
            self._prebuild_waits = True  # the view being primed calls again when it is done
            return
        for view_id in self.view_ids:
            if view_id not in self._built and view_id not in self._building:
                await self._build(view_id, background=True)  # primed: it calls again when done
                return

    def _prime(self, view: TeamView, background: bool) -> None:
        """Fill a view just mounted off screen and let it be laid out there; done after PRIME_LAYOUTS layouts.

        Nothing here waits for the layouts (this screen's own messages do them),
        so keys and the 20 Hz tick go on meanwhile: the view is drawn nowhere, only
        sized. When done, it is drawn ahead, off screen, and hidden, unless a key
        showed it meanwhile; built in the background, the next view's build follows.
        """
        view_id = view.id or ""
        self._priming.add(view_id)
        layouts = 0

        def laid_out(_screen: Screen) -> None:
            nonlocal layouts
            layouts += 1
            if layouts >= PRIME_LAYOUTS:
                done()

        def done() -> None:
            if view_id not in self._priming:
                return
            self._priming.discard(view_id)
            self.screen_layout_refresh_signal.unsubscribe(view)
            timeout.stop()
            if view_id != self.current_id:
                _draw_ahead(view)
                with self.app.batch_update():
                    view.display = False
                    view.remove_class(PRIMING)
            if background or self._prebuild_waits:  # a view a key built goes on with what it held up
                self._prebuild_waits = False
                self.set_timer(PREBUILD_GAP, self._prebuild)

        view.catch_up()
        self.screen_layout_refresh_signal.subscribe(view, laid_out)
        timeout = self.set_timer(PRIME_WAIT, done)  # should no layout come, the view is laid out when shown

    def show_facilitator(self) -> None:
        self.show(FACILITATOR)

    async def show_team(self, team: str | None) -> None:
        if team is None:
            self.show_facilitator()
        else:
            await self.open_view(next(v for v, t in self._team_of_view.items() if t == team))

    # ------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """False hides a key that does not apply to this view; None shows it disabled."""
        team = self.active_team
        if action in FACILITATOR_ACTIONS and team is not None:
            return False
        if action in TEAM_ACTIONS and team is None:
            return False
        if action in ("toggle_run", "faster", "slower", "next_inject", "fire", "hold", "adhoc", "decide") \
                and self.ex.ended:
            return None
        return True

    def action_toggle_run(self) -> None:
        self.act("toggle_run")

    def action_faster(self) -> None:
        self.driver.faster()
        self.refresh_status()

    def action_slower(self) -> None:
        self.driver.slower()
        self.refresh_status()

    def action_next_inject(self) -> None:
        self.act("jump_to_next_inject")

    async def action_next_view(self) -> None:
        ids = self.view_ids
        await self.open_view(ids[(ids.index(self.current_id) + 1) % len(ids)])

    def action_show_view(self, which: str) -> None:
        self.show_facilitator()

    async def action_tab(self, index: int) -> None:
        await self.current.show_tab(index)

    async def action_decide(self) -> None:
        view = self.current
        if not isinstance(view, TeamView):
            return
        if view.active_tab != "decide":
            await view.show_tab(1)
            return
        choice = view.choices.selected()
        if choice is None:
            self.notify("Nothing to decide: no decision is open to this team.", severity="warning")
            return
        self.act("open_decision", choice)

    async def on_decision_requested(self, message: DecisionRequested) -> None:
        """Enter on a Decide row: the same as the decide key."""
        await self.action_decide()

    def action_fire(self) -> None:
        inject = self.facilitator.msel.selected_inject()
        if inject is None:
            self.notify("Move to an inject in the timeline first.", severity="warning")
            return
        self.act("fire", inject)

    def action_hold(self) -> None:
        inject = self.facilitator.msel.selected_inject()
        if inject is not None:
            self.act("hold_or_release", inject)

    async def action_filter(self) -> None:
        await self.facilitator.show_tab(0)
        self.facilitator.msel.cycle_filter()  # the table's title names the filter
        self.facilitator.show_detail()

    def action_adhoc(self) -> None:
        self.act("open_adhoc")

    def action_observe(self) -> None:
        self.act("open_observation")

    def action_export_msel(self) -> None:
        self.act("export_msel")

    def action_forecast(self) -> None:
        self.act("open_forecast")

    def action_help(self) -> None:
        self.act("open_help")

    def action_quit(self) -> None:
        self.act("request_quit")


def _draw_ahead(view: Widget) -> None:
    """Render every laid-out widget of a view off screen, so the lines are cached when it is first shown.

    Widgets keep the lines they rendered until they change; a view shown for the
    first time otherwise renders all of them in the frame of the key that shows it.
    """
    for widget in view.walk_children(Widget, with_self=True):
        size = widget.region.size
        if size:
            widget.render_lines(size.region)
