"""Messages the TUI's widgets send up to their screen ("attributes down, messages up").

Widgets never reach into siblings or the app: a panel says what the person
asked for, and the play screen decides what to do with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.message import Message

from tui.choices import Choice
from tui.journal_view import LogEntry


@dataclass
class DecisionRequested(Message):
    """Enter on a row of the Decide tab: open the decision form for this choice."""

    choice: Choice


@dataclass
class LogEntryHighlighted(Message):
    """The cursor moved to an entry of a team's decision log: show it in full."""

    entry: LogEntry


ActionName = Literal[
    "toggle_run", "jump_to_next_inject", "open_decision", "fire", "hold_or_release",
    "open_adhoc", "open_observation", "open_help", "request_quit", "export_msel", "open_forecast",
]
"""What a screen may ask the app to do to the exercise it owns."""


@dataclass
class ExerciseAction(Message):
    """A key on the play screen asks the app to act; the app owns the engine and the dialogs."""

    action: ActionName
    argument: object = None


class PlayReady(Message):
    """The play screen is mounted (under the briefing): once the start key is pressed, the app runs the clock."""
