"""The two lines at the top of the play screen: clock, pace, severity, active view."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from simulator.timefmt import format_time
from tui.widgets.badges import calendar_text, eccs_badge
from tui.widgets.quiet import update_quietly

STATE_MARKS = {"RUNNING": "▶", "PAUSED": "⏸", "JUMPING": "⏩", "ENDED": "■"}


@dataclass(frozen=True)
class Status:
    """Everything the status bar shows; equal statuses are not redrawn."""

    now: int
    duration: int
    start: str
    state: str
    speed: str
    level: int
    colour: str
    name: str
    view: str
    open_points: int
    next_inject: str


class StatusBar(Horizontal):
    """Clock (T+ and calendar), run state and speed, ECCS badge, active view.

    Two single-line Statics that never wrap: at 80 columns the end of the
    second line is cut with an ellipsis, never the clock or the severity.
    """

    DEFAULT_CSS = """
    StatusBar { height: 2; padding: 0 1; background: $panel; color: $foreground; layout: vertical; }
    StatusBar > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.status: Status | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="status-clock")
        yield Static("", id="status-view")

    def show(self, status: Status) -> None:
        if status == self.status:
            return
        self.status = status
        line1, line2 = self.lines(status)
        update_quietly(self.query_one("#status-clock", Static), line1)
        update_quietly(self.query_one("#status-view", Static), line2)

    @staticmethod
    def lines(s: Status) -> tuple[Text, Text]:
        mark = STATE_MARKS.get(s.state, "")
        line1 = Text.assemble(
            (format_time(s.now), "bold"), f" of {format_time(s.duration)}  ",
            (calendar_text(s.start, s.now, year=False), "italic"), "  ",
            (f"{mark} {s.state}", "bold reverse" if s.state == "PAUSED" else "bold"),
            f"  speed {s.speed}",
        )
        parts = [s.view]
        if s.open_points:
            parts.append(f"{s.open_points} open point{'s' if s.open_points > 1 else ''}")
        if s.next_inject:
            parts.append(f"next {s.next_inject}")
        badge = eccs_badge(s.level, s.colour, s.name) if s.level >= 0 else Text(f" ECCS ? {s.name} ", style="reverse")
        line2 = Text.assemble(badge, "  " + " · ".join(parts))
        return line1, line2
