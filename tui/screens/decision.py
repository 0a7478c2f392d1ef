"""The decision form: preconditions, parameters and the (required) rationale.

The Submit button stays disabled while the engine's check fails (each unmet
precondition shown with its reason) or while the rationale is empty. The form
only *returns* a Submission; the app hands it to ``ex.submit``.

The exercise goes on while the form is open: the app sets :attr:`DecisionScreen.journal_seq`
as records arrive, and the form checks again, saying so when the preconditions
become met (or stop being met) under the person's eyes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from simulator.engine.exercise import Exercise
from simulator.timefmt import format_time
from tui.choices import Choice, Submission, check_with
from tui.widgets.badges import countdown
from tui.widgets.choices_pane import condition_lines


class DecisionScreen(ModalScreen[Submission | None]):
    """Take one decision (or answer one decision point) for one team."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit"),
    ]

    journal_seq: reactive[int] = reactive(0, init=False)
    """The journal record the exercise has got to; the app sets it as records arrive, and the form checks again."""

    def __init__(self, ex: Exercise, choice: Choice, **kwargs):
        super().__init__(**kwargs)
        self.ex = ex
        self.choice = choice
        self.decision = ex.plan.catalogue.get(choice.decision) if choice.decision else None
        self.param_specs = dict(self.decision.params) if self.decision is not None and choice.point is None else {}
        self._met: bool | None = None
        """Whether the preconditions held at the last check (None: not checked yet)."""
        self._turned: tuple[bool, int] | None = None
        """(met, when) if the exercise, not the person's typing, last turned them met or unmet while the form was open."""

    def compose(self) -> ComposeResult:
        c = self.choice
        team = self.ex.plan.teams[c.team]
        title = f"{c.point}: {c.option} — {c.label}" if c.point else f"{c.decision} {c.label}"
        head = Text.assemble((f"Team {c.team} ({team.name})\n", "italic"), (title, "bold"))
        point = self.ex.plan.points.get(c.point) if c.point else None
        if point is not None:
            head.append(f"\n{point.prompt}")
            info = self.ex.open_points().get(point.id)
            if info is not None:
                head.append(f"\nDecide by {format_time(info['deadline'])} (")
                head.append_text(countdown(info["deadline"], self.ex.now))
                head.append(f"); if nobody decides: {point.default}")
        if self.decision is not None and c.point:
            head.append(f"\nTakes {self.decision.id} {self.decision.name}", style="italic")
        with Vertical(id="dialog", classes="decision-dialog"):
            yield Static(head, id="d-title")
            with VerticalScroll(id="d-body"):
                yield Static("", id="conditions")
                for name, spec in self.param_specs.items():
                    label = f"{name}{' (required)' if spec.required else ''}: {spec.description}"
                    if spec.type == "bool":
                        yield Checkbox(label, id=f"param-{name}", classes="param")
                    else:
                        yield Label(label)
                        yield Input(placeholder=spec.type, id=f"param-{name}", classes="param")
                yield Label("Rationale (required): why this decision, now?")
                yield Input(placeholder="e.g. ECCS 4 reached in two MS: executives must assess impact",
                            id="rationale")
            # outside the scrolling fields: whether it can be submitted, and why not, is always in view
            yield Static("", id="why")
            with Horizontal(id="d-buttons"):
                yield Button("Submit (ctrl+s)", variant="primary", id="submit")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self._recheck()
        first = self.query(".param").first() if self.param_specs else self.query_one("#rationale")
        first.focus()

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, spec in self.param_specs.items():
            widget = self.query_one(f"#param-{name}")
            if isinstance(widget, Checkbox):
                out[name] = bool(widget.value)
            else:
                assert isinstance(widget, Input)  # every parameter but a flag is typed in
                value = widget.value.strip()
                if spec.type == "number" and value:
                    try:
                        out[name] = float(value) if "." in value else int(value)
                    except ValueError:
                        out[name] = value
                elif value:
                    out[name] = value
        return out

    def rationale(self) -> str:
        return self.query_one("#rationale", Input).value.strip()

    def _param_problem(self, reason: str) -> bool:
        """A reason about what was typed in a parameter field, not about the exercise."""
        d = self.decision
        return any(reason.startswith(f"parameter {name!r}") for name in self.param_specs) or (
            d is not None and reason.startswith(f"{d.id} has no parameter"))

    def _recheck(self, live: bool = False) -> bool:
        """Check again and show it; ``live``: the exercise moved (not the person's typing)."""
        check = check_with(self.ex, self.choice, self.params())
        typed = [r for r in check.reasons if self._param_problem(r)] if check is not None else []
        # what was typed is answered on the line above the buttons: the block above the fields never
        # grows as the person types, so the field typed in and the rationale after it stay where they were
        shown = replace(check, reasons=tuple(r for r in check.reasons if r not in typed)) if check is not None else None
        self.query_one("#conditions", Static).update(Text("\n").join(condition_lines(self.choice, shown)))
        met = shown is None or not shown.reasons
        if self._met is not None and met != self._met:
            self._turned = (met, self.ex.now) if live else None
        self._met = met
        ok = check is None or check.ok
        has_rationale = bool(self.rationale())
        self.query_one("#why", Static).update(self._status(met, typed, has_rationale))
        self.query_one("#submit", Button).disabled = not (ok and has_rationale)
        return ok and has_rationale

    def _status(self, met: bool, typed: list[str], has_rationale: bool) -> Text:
        """One line on whether Submit works, and why not; it says so when the exercise changed the answer."""
        turned = self._turned if self._turned is not None and self._turned[0] == met else None
        since = f" (since {format_time(turned[1])})" if turned is not None else ""
        if not met:
            if turned is not None:
                return Text(f"Submit is disabled: the preconditions are no longer met{since}; see above.",
                            style="bold reverse")
            return Text("Submit is disabled: the preconditions above are not met.", style="bold")
        head = f"The preconditions are now met{since}. " if turned is not None else ""
        style = "bold reverse" if turned is not None else "bold"
        if typed:
            more = f" (and {len(typed) - 1} more)" if len(typed) > 1 else ""
            return Text(f"{head}Submit is disabled: {typed[0]}{more}.", style=style)
        if not has_rationale:
            return Text(f"{head}Submit is disabled until you write a rationale.", style=style if head else "italic")
        return Text(f"{head}Ready: Enter or ctrl+s submits.", style=style)

    def watch_journal_seq(self) -> None:
        """The exercise moved while the form is open: what it allows may have changed."""
        if self.is_mounted:
            self._recheck(live=True)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._recheck()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id == "rationale":
            self.action_submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        if not self._recheck():
            self.app.bell()
            return
        c = self.choice
        self.dismiss(Submission(team=c.team, rationale=self.rationale(), decision=c.decision if not c.point else None,
                                point=c.point, option=c.option, params=self.params()))

    def action_cancel(self) -> None:
        self.dismiss(None)
