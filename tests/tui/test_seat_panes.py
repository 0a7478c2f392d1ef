"""The seat's panes, fed from a SeatState without a host: tabs by role, a batch drawn once,
and scenario text shown as written (the DataTable they replace read it as markup and a stray
"[/]" in a title stopped the seat app)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui.seat_state import SeatState
from tui.widgets.row_table import RowTable
from tui.widgets.seat_panes import SeatPanes

WELCOME = {"type": "welcome", "seat": "ie", "role": "team", "team": "ie", "label": "Ireland national team",
           "clock": {"now": 0, "state": "running"}}


def _delivery(seq: int, title: str) -> dict:
    return {"type": "record", "kind": "inject.delivered", "seq": seq, "t": 60 + seq, "from": "HOSP-IE-1",
            "to": "CSIRT-IE", "tlp": "TLP:AMBER", "title": title, "body": f"body {seq}", "at": 1.0}


class PanesApp(App[None]):
    def __init__(self, state: SeatState):
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield SeatPanes(self.state, self.state.role)


async def test_a_team_seat_shows_a_batch_of_deliveries_once_and_their_titles_as_written():
    state = SeatState()
    moved = state.feed_messages([WELCOME, *(_delivery(i, f"Update {i}") for i in range(1, 4))])
    assert moved.welcome and moved.inbox and len(moved.toasts) == 3
    app = PanesApp(state)
    async with app.run_test(size=(100, 20)) as pilot:
        panes = app.query_one(SeatPanes)
        assert [t.label for t in panes.tabs] == ["1 Inbox", "2 Decide", "3 Media", "4 Feed", "5 Log", "6 Briefing"]
        inbox = app.query_one("#inbox", RowTable)
        assert inbox.row_keys == ["1", "2", "3"]
        moved = state.feed_messages([_delivery(4, "Leak site [/] says [bold]all[/bold]")])
        panes.apply(moved)
        await pilot.pause()
        assert inbox.get_cell("4", "title") == "Leak site [/] says [bold]all[/bold]"
        drawn = "".join(s.text for s in inbox.render_line(4))
        assert "Leak site [/] says [bold]all[/bold]"[:30] in drawn


async def test_exercise_control_and_evaluators_get_their_own_tabs():
    for role, labels in (("facilitator", ["1 Seats", "2 Feed", "3 Log", "4 Briefing"]),
                         ("evaluator", ["1 Feed", "2 Log", "3 Briefing"])):
        state = SeatState()
        state.feed_messages([{**WELCOME, "seat": role, "role": role, "team": None}])
        app = PanesApp(state)
        async with app.run_test(size=(100, 20)):
            assert [t.label for t in app.query_one(SeatPanes).tabs] == labels
