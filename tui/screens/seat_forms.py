"""The seat app's forms: seat and token, an answer to a decision point, a facilitator's or evaluator's frame.

Each is a modal that returns what the person entered (or None when
cancelled); the seat app sends it to the host.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from simulator.timefmt import format_time


class LoginScreen(ModalScreen[tuple[str, str] | None]):
    """Seat and token, when the command line (or the browser) did not give them."""

    def __init__(self, seat: str | None, problem: str = "", **kwargs):
        super().__init__(**kwargs)
        self.seat = seat or ""
        self.problem = problem
        """Why the last try was refused (the host's reason), shown above the fields."""

    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Label("Join a cyclesim session\nseat: a team id, facilitator or evaluator; then its token")
            if self.problem:
                yield Static(Text(f"Refused: {self.problem}", style="bold red"), id="login-problem")
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

    def __init__(self, title: str, frame: str, fields: list[tuple[str, str, list[str] | None]],
                 values: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.title_text, self.frame, self.fields = title, frame, fields
        self.values = values or {}
        """Text fields filled in beforehand (the person may change them)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="fields"):
            yield Label(self.title_text)
            for name, hint, choices in self.fields:
                if choices:
                    yield Select([(c, c) for c in choices], value=choices[0], allow_blank=False, id=f"f-{name}")
                else:
                    yield Input(self.values.get(name, ""), placeholder=hint, id=f"f-{name}")
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
