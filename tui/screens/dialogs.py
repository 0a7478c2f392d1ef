"""Small dialogs: the quit confirmation and the help screen."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no question; y and n answer it, Escape says no."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, detail: str = "", **kwargs):
        super().__init__(**kwargs)
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm-dialog"):
            yield Static(Text(self.question, style="bold"))
            if self.detail:
                yield Static(Text(self.detail), classes="confirm-detail")  # a path is never read as markup
            with Horizontal(classes="form-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TooSmallScreen(ModalScreen[None]):
    """Covers everything while the terminal is smaller than the layout needs; closes when it is big enough."""

    BINDINGS = [Binding("q", "app.quit", "Quit")]

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen > Static { width: 1fr; height: auto; padding: 0 1; text-align: center; }
    """

    def __init__(self, size: tuple[int, int], need: tuple[int, int], paused: bool, **kwargs):
        super().__init__(**kwargs)
        self.need = need
        self.paused = paused
        self._term_size = size

    def compose(self) -> ComposeResult:
        yield Static(self.message(self._term_size), id="too-small")

    def message(self, size: tuple[int, int]) -> Text:
        (w, h), (nw, nh) = size, self.need
        text = Text.assemble((f"This terminal is {w}×{h}; cyclesim needs at least {nw}×{nh}.", "bold"),
                             "\nEnlarge the window or make the font smaller; the screen comes back as soon as it fits.")
        if self.paused:
            text.append("\nThe clock is paused meanwhile and runs on when the screen comes back.")
        text.append("\nq quits (the session is saved).")
        return text

    def show_size(self, size: tuple[int, int]) -> None:
        self._term_size = size
        if self.is_mounted:
            self.query_one("#too-small", Static).update(self.message(size))


HELP = [
    ("Running the clock", [
        ("space", "run / pause the exercise clock"),
        ("+ / -", "faster / slower: ×1 (real time), ×10, ×60, ×600, ×3600, then 'to next event' "
                  "(runs until something happens, then pauses)"),
        ("n", "jump to the next inject (stops early where a decision point opens; the clock is paused after)"),
    ]),
    ("Views", [
        ("t", "switch view: facilitator console → each team → back"),
        ("esc", "back to the facilitator console"),
        ("1 2 3 4", "tabs of the current view"),
        ("ctrl+p", "command palette: jump to an inject, take a decision, switch team"),
    ]),
    ("Facilitator console", [
        ("f", "fire the inject under the cursor now (held or out of timeline)"),
        ("h", "hold the inject under the cursor, or release a held one"),
        ("v", "cycle the timeline filter: all, upcoming, delivered, held"),
        ("i", "write an ad-hoc inject (sender, recipients, TLP, text)"),
        ("o", "write an observation (strength / area for improvement) for an objective"),
        ("x", "export the MSEL with planned and actual times (XLSX, in the session folder)"),
        ("e", "forecast: play possible evolutions from now (the exercise goes on); send the annex to a team"),
    ]),
    ("Team view", [
        ("d / Enter", "on the Decide tab: take the decision under the cursor (rationale required)"),
        ("✗ rows", "unmet preconditions: the row says why; the decision stays disabled"),
        ("… / • rows", "a one-off decision already under way / in effect (by any team): it is not taken twice; "
                       "a repeatable one says '(1 under way)' or '(in effect)' after ready"),
    ]),
    ("Leaving", [
        ("q", "quit (asks first while the exercise runs). The session is saved as it runs."),
    ]),
]


class HelpScreen(ModalScreen[None]):
    """Every key, by where it works."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        parts: list = [Text("cyclesim — keys", style="bold")]
        for title, rows in HELP:
            parts.append(Text(f"\n{title}", style="bold underline"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, min_width=9)
            grid.add_column(ratio=1)
            for key, what in rows:
                grid.add_row(key, what)
            parts.append(grid)
        parts.append(Text("\nNothing conveys meaning by colour alone; NO_COLOR is honoured. "
                          "Change the theme (light/dark) from the command palette.", style="italic"))
        with Vertical(id="dialog", classes="help-dialog"):
            with VerticalScroll():
                yield Static(Group(*parts))
            yield Static("↑/↓ or PgUp/PgDn scroll · Esc, q or ? closes this help.", classes="help-hint")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
