"""The briefing screen: what the exercise is about, before the clock starts.

Built from the journal's ``exercise.started`` record (title, storyline,
objectives, teams), so a resumed session shows the same briefing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.briefing_text import briefing
from tui.widgets.key_bar import KeyBar


class BriefingScreen(Screen):
    """Shown first, in new and resumed sessions alike; the start key opens play."""

    BINDINGS = [
        Binding("s,enter", "start", "Start exercise", key_display="s"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        with VerticalScroll(id="briefing"):
            yield Static(briefing(app.view.started, app.ex.now,  # type: ignore[attr-defined]
                                       str(app.session.path) if app.session is not None else None),  # type: ignore[attr-defined]
                         id="briefing-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#briefing").focus()

    def action_start(self) -> None:
        self.app.start_exercise()  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        self.app.exit(0)
