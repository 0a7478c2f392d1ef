"""Tabs on one line over panes built when first shown: nothing is missing once a pane shows,
a click on a tab shows it, a pane behind another tab waits, and a table's cursor says
whether the keys go to it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from tui_helpers import SIZE, run_until, start, text_of

from simulator.engine.exercise import Exercise
from tui.choices import choices_for
from tui.widgets.row_table import RowTable
from tui.widgets.situation import SituationPanel
from tui.widgets.tabs import TabBar
from tui.widgets.views import TeamView


def _played(tutorial) -> Exercise:
    """Six hours of the tutorial, team ie's decision taken and an observation written."""
    ex = Exercise(tutorial, seed=1)
    ex.run(until=6 * 60)
    assert ex.submit("ie", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="peers need the IoCs").accepted
    ex.note(text="ie shared before the media asked", kind="strength", objective="OBJ-1", team="ie")
    ex.run(until=7 * 60)
    return ex


async def test_a_pane_built_when_its_tab_is_first_shown_has_every_row(make_app, tutorial):
    app = make_app(_played(tutorial))
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        assert app.play.facilitator.pane("notes") is None, "the console starts with its timeline only"
        await pilot.press("4")
        await pilot.pause()
        notes = app.play.query_one("#notes-table", RowTable)
        assert notes.row_count == len(app.view.observations) == 1

        await app.switch_team("ie")
        await pilot.pause()
        view = app.play.team_view("ie")
        assert [view.pane(tab) is not None for tab in view.TABS] == [True, False, False, False]
        assert [i.inject for i in view.inbox.rows()] == [i.inject for i in app.view.inbox["ie"]]
        assert view.inbox.table.row_count == len(app.view.inbox["ie"]) > 0

        await pilot.press("4")
        await pilot.pause()
        entries = app.view.log["ie"]
        assert entries and view.decision_log.row_count == len(entries)
        assert any(e.rationale == "peers need the IoCs" for e in view.decision_log.entries())

        await pilot.press("2")
        await pilot.pause()
        keys = [c.key for c in choices_for(app.ex, app.view, "ie")]
        assert view.choices.table.row_keys == keys and keys
        assert app.focused is view.choices.table


async def test_a_click_on_a_tab_shows_it_and_gives_it_the_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space", "t")
        await pilot.pause()
        view = app.play.current
        assert isinstance(view, TeamView)
        bar = view.query_one(TabBar)
        await pilot.click(bar, offset=(text_of(bar).index("4 Log") + 1, 0))
        await pilot.pause()
        assert view.active_tab == "log" and app.focused is view.decision_log
        assert "[4 Log]" in text_of(bar), "the active tab is marked by more than its colour"


async def test_the_situation_behind_another_tab_waits_and_is_current_once_shown(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        panel = app.play.query_one("#situation-panel", SituationPanel)
        assert "no reported impact" in text_of(panel)
        await pilot.press("1")
        await run_until(app, pilot, clock, 2 * 60)  # TUT-01 is out: IE is yellow
        assert "no reported impact" in text_of(panel), "no work for a panel nobody looks at"
        await pilot.press("2")
        await pilot.pause()
        assert "no reported impact" not in text_of(panel) and "IE" in text_of(panel)


class TwoTables(App[None]):
    def compose(self) -> ComposeResult:
        yield RowTable(id="a")
        yield RowTable(id="b")

    def on_mount(self) -> None:
        for table in self.query(RowTable):
            table.add_column("N", key="n")
            table.add_rows((f"r{i}", (str(i),)) for i in range(3))
        self.query_one("#a").focus()


def _cursor_background(table: RowTable):
    """The background of the first row (the cursor's) as the table draws it now."""
    table.render_lines(table.size.region)  # the frame's styles, as the compositor would ask
    return next(s.style.bgcolor for s in table.render_line(1) if s.text.strip())


async def test_the_cursor_is_drawn_focused_only_on_the_table_with_the_keys():
    app = TwoTables()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        a, b = app.query_one("#a", RowTable), app.query_one("#b", RowTable)
        focused = a.get_component_rich_style("row-table--cursor").bgcolor
        blurred = a.get_component_rich_style("row-table--cursor-blurred").bgcolor
        assert focused != blurred
        assert _cursor_background(a) == focused and _cursor_background(b) == blurred
        b.focus()
        await pilot.pause()
        assert _cursor_background(a) == blurred and _cursor_background(b) == focused
        assert b.has_focus and not a.has_focus
