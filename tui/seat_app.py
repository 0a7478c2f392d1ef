"""The seat app: one team's, the facilitator's or an evaluator's screen on a served session.

``cyclesim join URL --team T --token X`` opens it (``run_seat``); browsers get
the same app through textual-serve (``cyclesim serve --web``), where it asks
for the seat and token first. Everything shown comes from the host, already
filtered for this seat (:mod:`simulator.host.seats`); the app folds it into a
:class:`~tui.seat_state.SeatState` and sets widgets from it (attributes
down); the remote driver tells the app when host messages wait (messages up),
and the app takes all that arrived by then as one batch, so a seat catching
up on a long session draws once for thousands of records, not once each.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from simulator.errors import EXIT_BAD_INPUT
from simulator.timefmt import format_time
from tui.gctune import tune_gc, untune_gc
from tui.remote import HostGone, HostMessages, LinkState, RemoteDriver
from tui.screens.forecast import ForecastRequestScreen, ForecastResultScreen
from tui.screens.seat_forms import AnswerScreen, FieldsScreen, LoginScreen
from tui.seat_state import SeatState
from tui.widgets.key_bar import KeyBar
from tui.widgets.quiet import update_quietly
from tui.widgets.row_table import RowTable
from tui.widgets.seat_panes import SeatPanes
from tui.widgets.tabs import TabbedPanes

__all__ = ["AnswerScreen", "FieldsScreen", "LoginScreen", "SeatApp", "run_seat"]

SPEEDS: tuple[Any, ...] = (0.1, 1, 10, 60, 600, "max")
"""The facilitator's speed ladder, in simulated minutes per second."""

MAX_TOASTS = 2
"""Toasts shown for one batch of messages; the tabs and the log keep the rest."""


class SeatApp(App[int]):
    """A seat of a served session."""

    TITLE = "cyclesim seat"
    CSS_PATH = "cyclesim.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide"), (160, "-xwide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """As the play screen: stacked panes below 120 columns, side by side from 120; compact forms below 32 lines."""
    CSS = """
    #status { height: 1; background: $boost; padding: 0 1; }
    #waiting { height: 1fr; padding: 1 2; }
    #login, #answer, #fields { width: 80; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    LoginScreen, AnswerScreen, FieldsScreen { align: center middle; }
    """
    BINDINGS = [
        Binding("k", "ack", "Acknowledge comm check"),
        Binding("enter", "answer", "Answer point", key_display="Enter", priority=True),
        Binding("space", "toggle_clock", "Run/pause"),
        Binding("plus", "faster", "Speed", key_display="+/-"),
        Binding("minus", "slower", "Slower", show=False),
        Binding("c", "commcheck", "Comm check"),
        Binding("s", "start", "STARTEX"),
        Binding("S", "force_start", "Force start"),
        Binding("f", "fire", "Fire"),
        Binding("h", "hold", "Hold"),
        Binding("r", "release", "Release"),
        Binding("a", "adhoc", "Ad-hoc inject"),
        Binding("x", "channel", "Channel"),
        Binding("o", "observe", "Observation"),
        Binding("e", "forecast", "Forecast"),
        *[Binding(str(i), f"tab({i - 1})", f"Tab {i}", show=False) for i in range(1, 7)],
        Binding("ctrl+q", "quit", "Quit", priority=True),  # last: the key bar keeps it at the right end
    ]
    ROLE_ACTIONS = {
        "team": {"ack", "answer"},
        "facilitator": {"toggle_clock", "faster", "slower", "commcheck", "start", "force_start", "fire", "hold",
                        "release", "adhoc", "channel", "observe", "forecast"},
        "evaluator": {"observe"},
    }

    def __init__(self, url: str, *, seat: str | None = None, token: str | None = None, ssl: Any = None,
                 wait: float = 10.0):
        super().__init__()
        self.url, self.seat_name, self._token, self._ssl, self._wait = url, seat, token, ssl, wait
        self.state = SeatState()
        self.driver: RemoteDriver | None = None
        self.exit_reason = ""
        self._status_text = ""
        self._interactive = False
        """Seat and token were typed at the login screen (not given on the command line)."""
        self._started = False
        """STARTEX seen: the seat has left its briefing for its first tab."""

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("connecting…", id="status")
        yield Static("Waiting for the host: the tabs for this seat come with its welcome.", id="waiting")
        yield KeyBar()

    def _main(self, selector, expect=None):
        """A widget of the main screen, whatever modal is on top (host messages arrive at any time)."""
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        return screen.query_one(selector, expect) if expect is not None else screen.query_one(selector)

    @property
    def panes(self) -> SeatPanes | None:
        """The seat's tabs, made when the host's welcome says the seat's role."""
        if not self.screen_stack:
            return None
        return next(iter(self.screen_stack[0].query(SeatPanes)), None)

    def on_mount(self) -> None:
        if self.seat_name and self._token:
            self._connect(self.seat_name, self._token)
        else:
            self._interactive = True
            self.push_screen(LoginScreen(self.seat_name), self._logged_in)

    def _logged_in(self, result: tuple[str, str] | None) -> None:
        if result is None:
            self.exit(0)
            return
        self._connect(*result)

    def _connect(self, seat: str, token: str) -> None:
        self.seat_name = seat
        self.driver = RemoteDriver(self.url, seat, token, ssl=self._ssl, wait=self._wait)
        self.driver.start(self)

    def check_action(self, action: str, parameters) -> bool | None:
        role_only = {a for acts in self.ROLE_ACTIONS.values() for a in acts}
        if action == "tab":
            panes = self.panes
            return panes is not None and 0 <= int(parameters[0]) < len(panes.names)
        if action in role_only:
            allowed = action in self.ROLE_ACTIONS.get(self.state.role, set())
            if action == "ack":
                return allowed and bool(self.state.commcheck) and self.state.acked != self.state.commcheck
            if action == "answer":  # on the Decide tab of the main screen only: elsewhere Enter is the widget's
                panes = self.panes
                on_top = bool(self.screen_stack) and self.screen is self.screen_stack[0]  # no form open over it
                return allowed and on_top and panes is not None and panes.active_name == "decide"
            return allowed
        return True

    # ------------------------------------------------------------ messages up
    @on(HostMessages)
    async def _host(self, _event: HostMessages) -> None:
        if self.driver is None:
            return
        moved = self.state.feed_messages(self.driver.take())
        if not self.screen_stack:  # closing down: keep the state, draw nothing
            return
        if moved.welcome and self.panes is None:
            await self._show_role()
        panes = self.panes
        if panes is not None and not self._started and self.state.clock.get("started"):
            self._started = True  # STARTEX: from the briefing to the first tab, as the start key does at play
            if panes.active_name == "briefing":
                await panes.show_tab(0)
        if panes is not None:
            panes.apply(moved)
        if moved.commcheck or moved.log or moved.welcome:
            self.refresh_bindings()  # the comm check key shows only while a check waits for us
        if self.state.role:
            for toast in moved.toasts[-MAX_TOASTS:]:
                self.notify(toast, timeout=4)
        if moved.forecast and self.state.forecast is not None:
            self._show_forecast(self.state.forecast)
        self._status()

    @on(TabbedPanes.Shown)
    def _tab_shown(self, _event: TabbedPanes.Shown) -> None:
        self.refresh_bindings()  # Enter answers a point on the Decide tab only

    @on(LinkState)
    def _link(self, event: LinkState) -> None:
        self.state.connection = event.state
        if self.screen_stack:
            self._status()

    @on(HostGone)
    def _gone(self, event: HostGone) -> None:
        if self._interactive and self.panes is None and event.code == EXIT_BAD_INPUT:
            # a refused login typed in this app (a browser seat): say why and ask again, do not end the session
            self.driver = None
            self.push_screen(LoginScreen(self.seat_name, problem=event.reason), self._logged_in)
            return
        self.exit_reason = event.reason
        self.exit(return_code=event.code)

    # ------------------------------------------------------------ attributes down
    async def _show_role(self) -> None:
        """The welcome said who this seat is: its tabs replace the waiting line."""
        waiting = self._main("#waiting")
        await self.screen_stack[0].mount(SeatPanes(self.state, self.state.role, id="tabs"), after=waiting)
        await waiting.remove()
        panes = self.panes
        if panes is not None:
            self._started = bool(self.state.clock.get("started"))
            if not self._started and self.state.role != "facilitator":  # exercise control needs its Seats tab
                # before STARTEX: the briefing is what there is to read
                await panes.show_tab(panes.names.index("briefing"))
            panes.focus_content()

    async def action_tab(self, index: int) -> None:
        panes = self.panes
        if panes is not None:
            await panes.show_tab(index)

    def _status(self) -> None:
        s, c = self.state, self.state.clock
        speed = c.get("speed")
        speed_text = "as fast as possible" if speed == "max" else (f"{speed:g} min/s" if isinstance(speed, (int, float)) else "")
        check = ""
        if s.role == "team" and s.commcheck and s.acked != s.commcheck:
            check = f" · COMM CHECK {s.commcheck}: press k"
        state = c.get("state", "")
        if state in ("running", "advancing") and speed_text:
            state = f"{state} ({speed_text})"
        text = (f"{s.label or self.seat_name} · {format_time(c.get('now', 0))} · {state}"
                f" · {s.connection}{check}")
        if text != self._status_text:
            self._status_text = text
            update_quietly(self._main("#status", Static), text)

    # ------------------------------------------------------------ actions (inputs go to the host)
    def send(self, frame: dict) -> str:
        return self.driver.send(frame) if self.driver is not None else ""

    def _send_form(self, frame: dict | None) -> None:
        """What a form returned (None: cancelled) goes to the host."""
        if frame:
            self.send(frame)

    def action_ack(self) -> None:
        if self.state.commcheck:
            self.send({"type": "ack", "id": self.state.commcheck})

    @on(RowTable.RowSelected, "#points")
    def action_answer(self, event=None) -> None:
        if self.state.role != "team":
            return
        table = next(iter(self.screen_stack[0].query("#points")), None) if self.screen_stack else None
        key = table.cursor_key if isinstance(table, RowTable) else None
        point = self.state.points.get(key) if key is not None else None
        if point is None:
            self.notify("Go to the Decide tab (2) and put the cursor on a point first.", severity="warning")
            return
        if point.status != "open":
            self.notify(f"{point.point} is {point.status}.", severity="warning")
            return
        self.push_screen(AnswerScreen(point), self._send_form)

    def action_toggle_clock(self) -> None:
        running = self.state.clock.get("state") in ("running", "advancing")
        self.send({"type": "clock", "action": "pause" if running else "run"})

    def _speed_step(self, step: int) -> None:
        current = self.state.clock.get("speed", 1)
        index = SPEEDS.index(current) if current in SPEEDS else 1
        self.send({"type": "clock", "action": "speed", "speed": SPEEDS[max(0, min(len(SPEEDS) - 1, index + step))]})

    def action_faster(self) -> None:
        self._speed_step(1)

    def action_slower(self) -> None:
        self._speed_step(-1)

    def action_commcheck(self) -> None:
        self.send({"type": "commcheck"})

    def action_start(self) -> None:
        self.send({"type": "start"})

    def action_force_start(self) -> None:
        self.send({"type": "start", "force": True})

    def action_fire(self) -> None:
        self.push_screen(FieldsScreen("Fire an inject now", "fire", [("inject", "inject id, e.g. TUT-04", None)]),
                         self._send_form)

    def action_hold(self) -> None:
        self.push_screen(FieldsScreen("Hold an inject when its time comes", "hold", [("inject", "inject id", None)]),
                         self._send_form)

    def action_release(self) -> None:
        self.push_screen(FieldsScreen("Release a held inject", "release", [("inject", "inject id", None)]),
                         self._send_form)

    def action_adhoc(self) -> None:
        fields = [("from", "sender actor, e.g. EXCON", None), ("to", "recipients, comma separated", None),
                  ("title", "title", None), ("body", "text", None),
                  ("tlp", "", ["TLP:AMBER", "TLP:GREEN", "TLP:CLEAR", "TLP:AMBER+STRICT", "TLP:RED"])]

        def send(frame: dict | None) -> None:
            if frame:
                frame["to"] = [r.strip() for r in frame["to"].split(",") if r.strip()]
                self.send(frame)
        self.push_screen(FieldsScreen("Ad-hoc inject", "inject", fields), send)

    def action_forecast(self) -> None:
        """Ask the host for a forecast; its ``forecast`` frame opens the result when the futures are played."""
        def send(values: dict[str, Any] | None) -> None:
            if values:
                self.send({"type": "forecast", **values})
                self.notify(f"Forecast asked: {values['runs']} futures; the result opens here when ready.")
        self.push_screen(ForecastRequestScreen(), send)

    def _show_forecast(self, frame: dict[str, Any]) -> None:
        annex = str(frame.get("annex", ""))
        title = f"Annex: possible evolution scenarios from {frame.get('fork_at')} to {frame.get('until')}"

        def sent(frame_out: dict | None) -> None:
            if frame_out:
                frame_out["to"] = [r.strip() for r in frame_out["to"].split(",") if r.strip()]
                self.send({**frame_out, "title": title, "body": annex})

        def chosen(send_it: bool | None) -> None:
            if send_it:
                fields = [("from", "sender actor, e.g. CYCLONE", None), ("to", "recipients, comma separated", None),
                          ("tlp", "", ["TLP:AMBER", "TLP:GREEN", "TLP:AMBER+STRICT", "TLP:RED", "TLP:CLEAR"])]
                self.push_screen(FieldsScreen("Send the annex", "inject", fields, values={"from": "CYCLONE"}), sent)
        self.push_screen(ForecastResultScreen(dict(frame.get("table") or {}), annex,
                                              f"the session folder, {frame.get('folder', '')}"), chosen)

    def action_channel(self) -> None:
        fields = [("channel", "channel id", None), ("status", "", ["degraded", "cut", "up"])]
        self.push_screen(FieldsScreen("Degrade, cut or restore a channel", "channel", fields),
                         self._send_form)

    def action_observe(self) -> None:
        fields = [("text", "what you observed", None), ("category", "", ["note", "strength", "improvement"])]
        self.push_screen(FieldsScreen("Observation", "observe", fields), self._send_form)


def run_seat(url: str, *, seat: str | None = None, token: str | None = None, ssl: Any = None) -> int:
    """Open the seat app (``cyclesim join``); returns its exit code (2 when the host refused the seat)."""
    import sys

    app = SeatApp(url, seat=seat, token=token, ssl=ssl)
    thresholds = tune_gc()  # as the play screen: a caught-up session is many long-lived objects
    try:
        app.run()
    finally:
        untune_gc(thresholds)
    code = int(app.return_code or 0)
    if app.exit_reason:  # the host refused the seat, was lost, or ended the session: say so after the screen clears
        print(f"cyclesim: {app.exit_reason}", file=sys.stderr)
    return code
