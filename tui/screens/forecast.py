"""The facilitator's forecast: ask for one, then read it and pass it on.

A forecast plays many futures of the exercise from where its clock stands
(``cyclesim forecast``, docs/sweeps.md). These screens only gather the three
choices and show the answer; the app (in process) or the host (for a seat)
plays the futures, and the annex goes to a team through the ad-hoc inject form.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from simulator.timefmt import parse_duration
from tui.screens.forms import FormScreen

POLICIES = (("doctrine — the escalation and communication steps of EU practice", "doctrine"), ("passive — nobody decides", "passive"))
MAX_RUNS = 2000
MAX_HORIZON = 30 * 24 * 60


class ForecastRequestScreen(FormScreen):
    """How many futures, how far ahead, and who decides in them."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form-dialog"):
            yield Static("Forecast: possible evolutions from now", classes="form-title")
            with VerticalScroll():
                yield Label("Futures to play (1 to 2000)")
                yield Input("100", id="runs")
                yield Label("How far ahead (e.g. 48h, 3d)")
                yield Input("48h", id="horizon")
                yield Label("Who decides in them")
                yield Select(POLICIES, value="doctrine", allow_blank=False, id="policy")
                yield Static("The exercise goes on while they play; the result opens here.", classes="form-hint")
            yield from self.buttons("Run")

    def on_mount(self) -> None:
        self.query_one("#runs").focus()

    def action_submit(self) -> None:
        runs_text = self.query_one("#runs", Input).value.strip()
        horizon_text = self.query_one("#horizon", Input).value.strip()
        problems: list[tuple[str, str]] = []  # (field, what is wrong): one Ctrl+S says all there is to mend
        # not str.isdigit: '²' is a digit to it and not to int(), and int() refuses 5,000 digits
        runs = int(runs_text) if runs_text.isdecimal() and len(runs_text) <= 6 else 0
        if not 1 <= runs <= MAX_RUNS:
            problems.append(("#runs", f"Futures: a whole number from 1 to {MAX_RUNS}, not {runs_text[:20]!r}."))
        horizon = 0
        try:
            horizon = parse_duration(horizon_text)
        except ValueError as e:
            problems.append(("#horizon", f"How far ahead: {e}."))
        else:
            if not 60 <= horizon <= MAX_HORIZON:
                problems.append(("#horizon", "How far ahead: from 1h to 30d."))
        if problems:
            self.complain("\n".join(message for _field, message in problems), problems[0][0])
            return
        self.dismiss({"runs": runs, "horizon": horizon, "policy": self.query_one("#policy", Select).value})


class ForecastResultScreen(ModalScreen[bool]):
    """The table of outcomes ahead and the annex text; ``a`` sends the annex to a team (True), Escape closes."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("a", "send", "Send as annex")]

    def __init__(self, table: dict[str, Any], annex: str, where: str = "", **kwargs):
        super().__init__(**kwargs)
        self.table = table
        """``columns`` and ``rows`` (measure, percentiles, runs without a value), as forecast --json gives them."""
        self.annex = annex
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form-dialog"):
            yield Static("Forecast: possible evolutions", classes="form-title")
            with VerticalScroll():
                yield Static(self._table(), classes="forecast-table")
                yield Static(Text(self.annex), classes="forecast-annex")
                if self.where:
                    yield Static(Text(f"Kept in {self.where} (runs.csv, sweep.html)", style="dim"))
            with Horizontal(classes="form-buttons"):
                yield Button("Send to a team as annex (a)", variant="primary", id="send")
                yield Button("Close (esc)", id="close")

    def _table(self) -> Table:
        """The percentiles as a table that narrows its measure names before it wraps a number."""
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        columns = list(self.table.get("columns") or [])
        for i, name in enumerate(columns):
            table.add_column(str(name), justify="left" if i == 0 else "right", no_wrap=i > 0,
                             overflow="ellipsis", ratio=None)
        for row in self.table.get("rows") or []:
            table.add_row(*(str(cell) for cell in row))
        return table

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_send(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
