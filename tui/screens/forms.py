"""Facilitator forms: an ad-hoc inject and an evaluator's observation.

Each form validates what it can see (a known sender, at least one recipient,
a title, some text) and returns plain values; the app passes them to
``ex.add_inject`` / ``ex.note``, which have the last word.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from simulator.engine.exercise import Exercise
from simulator.scenario.model import TLP_ORDER

EVERYONE = "everyone"


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """Shared buttons and keys; each form defines ``action_submit`` to check and return its values.

    What is wrong with the fields shows on a line just above the buttons, outside
    the fields' scrolling area, so it is in view however small the terminal (at
    80x24 a line at the end of the fields was below the dialog's edge, and Ctrl+S
    seemed to do nothing).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Submit")]

    def buttons(self, submit: str = "Send") -> ComposeResult:
        """The line that says what is wrong (empty until then), and the buttons."""
        yield Static("", id="why", classes="form-why")
        with Horizontal(classes="form-buttons"):
            yield Button(f"{submit} (ctrl+s)", variant="primary", id="submit")
            yield Button("Cancel (esc)", id="cancel")

    def action_submit(self) -> None:
        """Check the fields and dismiss with their values (each form says how)."""
        raise NotImplementedError

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def complain(self, message: str, field: str | None = None) -> None:
        """Say what is wrong above the buttons and put the cursor in the field to mend (its id), scrolled into view."""
        why = self.query_one("#why", Static)
        why.update(Text(message, style="bold"))
        why.display = True
        if field is not None:
            self.query_one(field).focus()  # focusing scrolls it into view
        self.app.bell()


class AdHocInjectScreen(FormScreen):
    """Write an inject during the session: sender, recipients, TLP, title and text."""

    def __init__(self, ex: Exercise, *, title: str = "", body: str = "", sender: str = "", **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.title_text, self.body_text = title, body
        """Filled in beforehand (a forecast's annex); the facilitator may change them."""
        self.actors = sorted(ex.plan.network.actors)
        fac = ex.plan.facilitator()
        self.default_sender = sender if sender in ex.plan.network.actors else next(
            (a for a in (fac.plays if fac else []) if a in ex.plan.network.actors), self.actors[0] if self.actors else "")

    def compose(self) -> ComposeResult:
        plan = self.ex.plan
        recipients = [("everyone (every played actor)", EVERYONE, False)]
        for team in plan.teams.values():
            for actor in team.plays:
                recipients.append((f"{actor} — team {team.id}", actor, False))
        with Vertical(id="dialog", classes="form-dialog"):
            yield Static("Ad-hoc inject", classes="form-title")
            with VerticalScroll():
                yield Label("Sender (actor id; type to complete)")
                yield Input(self.default_sender, id="sender", suggester=SuggestFromList(self.actors, case_sensitive=False))
                yield Label("Recipients (space to tick)")
                yield SelectionList[str](*recipients, id="to")
                yield Static("Selected: none", id="chosen")
                yield Label("TLP")
                yield Select([(t, t) for t in TLP_ORDER], value="TLP:AMBER", allow_blank=False, id="tlp")
                yield Label("Title")
                yield Input(self.title_text, placeholder="one line the teams see in their inbox", id="title")
                yield Label("Text")
                yield TextArea(self.body_text, id="body", soft_wrap=True)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#to").focus()

    @on(SelectionList.SelectedChanged, "#to")
    def _chosen(self) -> None:
        """Spell out the ticked recipients: the tick marks alone differ only by colour."""
        chosen = self.query_one("#to", SelectionList).selected
        self.query_one("#chosen", Static).update("Selected: " + (", ".join(chosen) if chosen else "none"))

    def action_submit(self) -> None:
        sender = self.query_one("#sender", Input).value.strip()
        to = list(self.query_one("#to", SelectionList).selected)
        title = self.query_one("#title", Input).value.strip()
        if sender not in self.ex.plan.network.actors:
            self.complain(f"Unknown sender {sender!r}: type an actor id (e.g. {self.default_sender}).", "#sender")
            return
        if not to:
            self.complain("Tick at least one recipient (space on a row).", "#to")
            return
        if not title:
            self.complain("Give the inject a title.", "#title")
            return
        self.dismiss({"sender": sender, "to": to, "title": title, "tlp": self.query_one("#tlp", Select).value,
                      "body": self.query_one("#body", TextArea).text.strip()})


KINDS = (("strength", "Strength"), ("improvement", "Area for improvement"), ("note", "Note"),
         ("rating", "Rating of an objective"))
RATINGS = (("P", "P — performed without challenges"), ("S", "S — performed with some challenges"),
           ("M", "M — performed with major challenges"), ("U", "U — unable to be performed"))
"""HSEEP ratings; an evaluator's rating overrides the one the report computes."""


class ObservationScreen(FormScreen):
    """An evaluator's observation, tagged to an objective and optionally a team."""

    def __init__(self, ex: Exercise, team: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.team = team

    def compose(self) -> ComposeResult:
        s = self.ex.scenario
        with Vertical(id="dialog", classes="form-dialog"):
            yield Static("Observation", classes="form-title")
            with VerticalScroll():
                yield Label("Observation (Enter sends)")
                yield Input(placeholder="what you saw, and why it matters", id="text")
                yield Label("Kind")
                yield Select([(label, value) for value, label in KINDS], value=KINDS[0][0], allow_blank=False,
                             id="kind")
                yield Label("Objective")
                yield Select([(f"{o.id} {o.title}", o.id) for o in s.objectives], prompt="(none)", id="objective")
                yield Label("Rating (for kind 'Rating of an objective')")
                yield Select([(label, value) for value, label in RATINGS], prompt="(none)", id="rating")
                yield Label("Team")
                yield Select([(f"{t.id} {t.name}", t.id) for t in s.teams], prompt="(all / none)", id="team",
                             value=self.team if self.team else Select.NULL)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#text").focus()

    @on(Input.Submitted, "#text")
    def _entered(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.complain("Write the observation first.", "#text")
            return
        kind = self.query_one("#kind", Select).value
        objective = self.query_one("#objective", Select).value
        team = self.query_one("#team", Select).value
        rating = self.query_one("#rating", Select).value
        rating = None if rating is Select.NULL else rating
        if kind == "rating" and (rating is None or objective is Select.NULL):
            self.complain("A rating needs an objective and one of P, S, M, U.",
                          "#objective" if objective is Select.NULL else "#rating")
            return
        self.dismiss({"text": text, "kind": kind,
                      "objective": None if objective is Select.NULL else objective,
                      "team": None if team is Select.NULL else team,
                      "rating": rating if kind == "rating" else None})
