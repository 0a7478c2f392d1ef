"""Messages the TUI's widgets send up to their screen ("attributes down, messages up").

Widgets never reach into siblings or the app: a panel says what the person
asked for, and the play screen decides what to do with it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
