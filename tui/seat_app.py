"""The seat app: one team's, the facilitator's or an evaluator's screen on a served session.

``cyclesim join URL --team T --token X`` opens it (``run_seat``); browsers get
the same app through textual-serve (``cyclesim serve --web``), where it asks
for the seat and token first. Everything shown comes from the host, already
filtered for this seat (:mod:`simulator.host.seats`); the app folds it into a
:class:`~tui.seat_state.SeatState` and sets widgets from it (attributes
down); the remote driver posts host messages to the app (messages up).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    RichLog,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from simulator.timefmt import format_time
from tui.remote import HostGone, HostMessage, LinkState, RemoteDriver
from tui.seat_state import SeatState

SPEEDS: tuple[Any, ...] = (0.1, 1, 10, 60, 600, "max")
"""The facilitator's speed ladder, in simulated minutes per second."""


class LoginScreen(ModalScreen[tuple[str, str] | None]):
    """Seat and token, when the command line (or the browser) did not give them."""

    def __init__(self, seat: str | None, **kwargs):
        super().__init__(**kwargs)
        self.seat = seat or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Label("Join a cyclesim session\nseat: a team id, facilitator or evaluator; then its token")
            yield Input(self.seat, placeholder="seat, e.g. ie", id="seat")
            yield Input(placeholder="token", password=True, id="token")
            yield Button("Join", id="join", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#token" if self.seat else "#seat", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#join")
    def _join(self, event=None) -> None:
        seat, token = self.query_one("#seat", Input).value.strip(), self.query_one("#token", Input).value.strip()
        if seat and token:
            self.dismiss((seat, token))


class AnswerScreen(ModalScreen[dict | None]):
    """Answer an open decision point: one option and a rationale (required)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, point, **kwargs):
        super().__init__(**kwargs)
        self.point = point

    def compose(self) -> ComposeResult:
        p = self.point
        with Vertical(id="answer"):
            yield Static(f"{p.point}: {p.prompt}\nDecide by {format_time(p.deadline)}; if nobody decides: {p.default}")
            yield Select([(o.get("label") or o["id"], o["id"]) for o in p.options], prompt="option", id="option")
            yield Input(placeholder="rationale (why, on what you know)", id="rationale")
            yield Button("Submit", id="submit", variant="primary")

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted, "#rationale")
    def _submit(self, event=None) -> None:
        option = self.query_one("#option", Select).value
        rationale = self.query_one("#rationale", Input).value.strip()
        if option is Select.BLANK or not rationale:
            self.notify("Choose an option and give a rationale.", severity="warning")
            return
        self.dismiss({"type": "decide", "point": self.point.point, "option": option, "rationale": rationale})

    def action_cancel(self) -> None:
        self.dismiss(None)


class FieldsScreen(ModalScreen[dict | None]):
    """A small form for a facilitator or evaluator frame: text fields and choices."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, frame: str, fields: list[tuple[str, str, list[str] | None]], **kwargs):
        super().__init__(**kwargs)
        self.title_text, self.frame, self.fields = title, frame, fields

    def compose(self) -> ComposeResult:
        with Vertical(id="fields"):
            yield Label(self.title_text)
            for name, hint, choices in self.fields:
                if choices:
                    yield Select([(c, c) for c in choices], value=choices[0], allow_blank=False, id=f"f-{name}")
                else:
                    yield Input(placeholder=hint, id=f"f-{name}")
            yield Button("Send", id="send", variant="primary")

    @on(Button.Pressed, "#send")
    @on(Input.Submitted)
    def _send(self, event=None) -> None:
        out: dict[str, Any] = {"type": self.frame}
        for name, _hint, choices in self.fields:
            value = self.query_one(f"#f-{name}", Select).value if choices else self.query_one(f"#f-{name}", Input).value
            if not choices and not str(value).strip():
                self.notify(f"{name} is needed.", severity="warning")
                return
            out[name] = str(value).strip()
        self.dismiss(out)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SeatApp(App[int]):
    """A seat of a served session."""

    TITLE = "cyclesim seat"
    CSS = """
    #status { height: 1; background: $boost; padding: 0 1; }
    #body { height: 8; border: round $primary; padding: 0 1; }
    #login, #answer, #fields { width: 80; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    LoginScreen, AnswerScreen, FieldsScreen { align: center middle; }
    """
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("k", "ack", "Acknowledge comm check"),
        Binding("enter", "answer", "Answer point", show=False),
        Binding("space", "toggle_clock", "Run/pause"),
        Binding("plus", "faster", "Faster"),
        Binding("minus", "slower", "Slower"),
        Binding("c", "commcheck", "Comm check"),
        Binding("s", "start", "STARTEX"),
        Binding("S", "force_start", "Force start"),
        Binding("f", "fire", "Fire inject"),
        Binding("h", "hold", "Hold inject"),
        Binding("r", "release", "Release inject"),
        Binding("a", "adhoc", "Ad-hoc inject"),
        Binding("x", "channel", "Channel"),
        Binding("o", "observe", "Observation"),
    ]
    ROLE_ACTIONS = {
        "team": {"ack", "answer"},
        "facilitator": {"toggle_clock", "faster", "slower", "commcheck", "start", "force_start", "fire", "hold",
                        "release", "adhoc", "channel", "observe"},
        "evaluator": {"observe"},
    }

    def __init__(self, url: str, *, seat: str | None = None, token: str | None = None, ssl: Any = None,
                 wait: float = 10.0):
        super().__init__()
        self.url, self.seat_name, self._token, self._ssl, self._wait = url, seat, token, ssl, wait
        self.state = SeatState()
        self.driver: RemoteDriver | None = None
        self.exit_reason = ""

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("connecting…", id="status")
        with TabbedContent(id="tabs"):
            with TabPane("Inbox", id="tab-inbox"):
                yield DataTable(id="inbox", cursor_type="row")
                yield Static("", id="body")
            with TabPane("Decide", id="tab-decide"):
                yield DataTable(id="points", cursor_type="row")
            with TabPane("Media", id="tab-media"):
                yield DataTable(id="media", cursor_type="row")
            with TabPane("Seats", id="tab-seats"):
                yield DataTable(id="seats", cursor_type="row")
            with TabPane("Feed", id="tab-feed"):
                yield RichLog(id="feed", max_lines=400, wrap=True)
            with TabPane("Log", id="tab-log"):
                yield RichLog(id="log", max_lines=400, wrap=True)
                yield RichLog(id="alerts", max_lines=400, wrap=True)
        yield Footer()

    def _main(self, selector, expect=None):
        """A widget of the main screen, whatever modal is on top (host messages arrive at any time)."""
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        return screen.query_one(selector, expect) if expect is not None else screen.query_one(selector)

    def on_mount(self) -> None:
        self._main("#inbox", DataTable).add_columns("time", "TLP", "to", "from", "title")
        self._main("#media", DataTable).add_columns("time", "from", "title")
        self._main("#points", DataTable).add_columns("point", "decide by", "status", "prompt")
        self._main("#seats", DataTable).add_columns("seat", "connected", "last seen", "comm check", "label")
        if self.seat_name and self._token:
            self._connect(self.seat_name, self._token)
        else:
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
        if action in role_only:
            allowed = action in self.ROLE_ACTIONS.get(self.state.role, set())
            if action == "ack":
                return allowed and bool(self.state.commcheck) and self.state.acked != self.state.commcheck
            return allowed
        return True

    # ------------------------------------------------------------ messages up
    @on(HostMessage)
    def _host(self, event: HostMessage) -> None:
        moved = self.state.feed_message(event.msg)
        if not self.screen_stack:  # closing down: keep the state, draw nothing
            return
        if moved.welcome:
            self._show_role()
        if moved.inbox:
            self._fill_inbox()
        if moved.media:
            self._fill_media()
        if moved.points:
            self._fill_points()
        if moved.seats:
            self._fill_seats()
        if moved.feed:
            self._tail(self._main("#feed", RichLog), self.state.feed, "_fed")
            self._tail(self._main("#alerts", RichLog), self.state.alerts, "_alerted")
        if moved.log:
            self._tail(self._main("#log", RichLog), self.state.log, "_logged")
        if moved.commcheck or moved.log:
            self.refresh_bindings()  # the comm check key shows only while a check waits for us
        if moved.toast and self.state.role:
            self.notify(moved.toast, timeout=4)
        self._status()

    @on(LinkState)
    def _link(self, event: LinkState) -> None:
        self.state.connection = event.state
        if self.screen_stack:
            self._status()

    @on(HostGone)
    def _gone(self, event: HostGone) -> None:
        self.exit_reason = event.reason
        self.exit(event.code)

    # ------------------------------------------------------------ attributes down
    def _show_role(self) -> None:
        tabs = self._main(TabbedContent)
        team = self.state.role == "team"
        for pane, visible in (("tab-inbox", team), ("tab-decide", team), ("tab-media", team),
                              ("tab-seats", self.state.role == "facilitator")):
            if visible:
                tabs.show_tab(pane)
            else:
                tabs.hide_tab(pane)
        tabs.active = "tab-inbox" if team else ("tab-seats" if self.state.role == "facilitator" else "tab-feed")
        self.refresh_bindings()

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
        self._main("#status", Static).update(text)

    def _fill_inbox(self) -> None:
        table = self._main("#inbox", DataTable)
        for item in self.state.inbox[table.row_count:]:
            table.add_row(format_time(item.t), item.tlp, item.to, item.sender, item.title, key=str(item.seq))
        self._show_body()

    def _fill_media(self) -> None:
        table = self._main("#media", DataTable)
        for item in self.state.media[table.row_count:]:
            table.add_row(format_time(item.t), item.sender, item.title, key=str(item.seq))

    def _fill_points(self) -> None:
        table = self._main("#points", DataTable)
        table.clear()
        for p in self.state.points.values():
            table.add_row(p.point, format_time(p.deadline), p.status, p.prompt, key=p.point)

    def _fill_seats(self) -> None:
        table = self._main("#seats", DataTable)
        table.clear()
        for row in self.state.seats:
            seen = "-" if row.get("last_seen") is None else f"{row['last_seen']:.0f} s ago"
            table.add_row(row["seat"], "yes" if row.get("connected") else "no", seen,
                          "acknowledged" if row.get("acked") else "-", row.get("label", ""), key=row["seat"])

    def _tail(self, log: RichLog, lines, mark: str) -> None:
        done = getattr(self, mark, 0)
        for line in lines[done:]:
            log.write(line)
        setattr(self, mark, len(lines))

    @on(DataTable.RowHighlighted, "#inbox")
    def _show_body(self, event=None) -> None:
        if not self.state.inbox or not self.screen_stack:
            return
        table = self._main("#inbox", DataTable)
        row = min(max(table.cursor_row, 0), len(self.state.inbox) - 1)
        item = self.state.inbox[row]
        self._main("#body", Static).update(f"[{item.tlp}] {item.title}\nfrom {item.sender} to {item.to}\n\n{item.body}")

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

    @on(DataTable.RowSelected, "#points")
    def action_answer(self, event=None) -> None:
        if self.state.role != "team":
            return
        table = self._main("#points", DataTable)
        open_points = list(self.state.points.values())
        if not open_points or table.cursor_row < 0:
            return
        point = open_points[min(table.cursor_row, len(open_points) - 1)]
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
    app.run()
    code = int(app.return_code or 0)
    if app.exit_reason and code:
        print(f"cyclesim: {app.exit_reason}", file=sys.stderr)
    return code
