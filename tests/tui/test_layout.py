"""Layout and access: 80×24 and 200×50, footer keys that all work, NO_COLOR, the palette, resuming."""

from __future__ import annotations

import pytest
from tui_helpers import FakeClock, run_until, start, table_line, text_of, whole_or_ellipsis

from simulator.engine.exercise import Exercise
from tui.app import CyclesimApp
from tui.commands import ExerciseCommands
from tui.screens.briefing import BriefingScreen
from tui.screens.decision import DecisionScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.status_bar import StatusBar
from tui.widgets.views import TeamView


def _footer_actions(app) -> list[tuple[str, str]]:
    """The enabled keys the bar shows; each must also be on the line the bar drew."""
    bar = app.screen.query_one(KeyBar)
    drawn = text_of(bar)
    for k in bar.shown:
        assert f"{k.display} {k.description}" in drawn, (k, drawn)
    return [(k.key, k.action) for k in bar.shown if k.enabled]


def _status_fits(app) -> None:
    bar = app.play.query_one(StatusBar)
    width = bar.query_one("#status-clock").region.width
    for line in StatusBar.lines(bar.status):
        # the clock line must never be cut; the second line may end in an ellipsis but keeps the ECCS badge
        assert "ECCS" in line.plain or len(line.plain) <= width
    assert len(StatusBar.lines(bar.status)[0].plain) <= width


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_every_footer_key_has_an_action_in_every_view(make_app, clock, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 6 * 60)
        await pilot.press("plus", "plus", "plus")  # longest speed label
        _status_fits(app)
        for _ in range(len(app.play.view_ids)):
            for key, action in _footer_actions(app):
                name = action.split("(")[0]
                assert hasattr(app.play, f"action_{name}") or hasattr(app, f"action_{name}"), (key, action)
            keys = {k for k, _ in _footer_actions(app)}
            if app.play.active_team is None:
                assert {"f", "i", "o"} <= keys and "d" not in keys
            else:
                assert "d" in keys and not ({"f", "i", "o"} & keys)
            await pilot.press("t")
        assert app.play.active_team is None  # t cycles back to the console


async def test_wide_console_shows_timeline_and_situation_together(make_app, clock):
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 5 * 60)
        side = app.play.query_one("#side-situation")
        assert side.region.width > 0, "the side situation panel shows at 200 columns"
        text = text_of(side)
        assert "ECCS 4" in text and "BE" in text and "IE" in text and "CyCLONe" in text
    narrow = CyclesimApp(Exercise(app.ex.plan, seed=1), clock=FakeClock(), autotick=False)
    async with narrow.run_test(size=(80, 24)) as pilot:
        await start(narrow, pilot)
        assert narrow.play.query_one("#side-situation").region.width == 0, "hidden at 80 columns"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_timeline_is_as_wide_as_the_screen_and_its_title_takes_the_room_left(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        msel = app.play.facilitator.msel
        assert msel.region.width <= size[0], "the MSEL stays on the screen (it was twice as wide at 80 columns)"
        title = next(c for c in msel._columns if c.key == "title")
        others = msel.least_width - title.least
        assert title.text_width == max(msel.MIN_TITLE, min(title.most, msel.scrollable_content_region.width - others))


async def test_no_color_is_honoured(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await start(app, pilot)
        # meaning never rests on colour: badges spell it out
        assert "ECCS 0 WHITE" in text_of(app.play.query_one("#status-view"))


async def test_palette_offers_jump_decide_and_switch(make_app, clock):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        provider = ExerciseCommands(app.screen)
        texts = [text for text, _help, _cb in provider._commands()]
        assert "Jump to inject TUT-05" in texts
        assert "Take decision D07 as team eu" in texts
        assert "Switch to team ie" in texts
        hits = [h async for h in provider.search("decision D07 eu")]
        assert hits and hits[0].text == "Take decision D07 as team eu"
        app.call_later(hits[0].command)  # as the palette runs a chosen command
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen) and app.screen.choice.team == "eu"
        await pilot.press("escape")
        jump = dict((t, cb) for t, _h, cb in provider._commands())["Jump to inject TUT-03"]
        app.call_later(jump)
        await pilot.pause()
        assert app.tick().stopped == "point" and "DP-SHARE" in app.ex.open_points()  # no window is jumped over
        app.call_later(jump)
        await pilot.pause()
        app.tick()
        await pilot.pause()
        assert app.ex.now == 240 and app.driver.paused
        released = [r["inject"] for r in app.ex.journal.of_kind("inject.released")]
        assert released[-1] == "TUT-03"


async def test_opens_on_a_part_played_exercise_with_the_briefing_first(make_app, tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run(until=12 * 60)
    app = make_app(ex)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert "Resuming at T+12:00" in text_of(app.screen.query_one("#briefing-text"))
        await start(app, pilot)
        await pilot.press("t")
        view = app.play.current
        assert isinstance(view, TeamView) and view.team == "ie"
        assert {i.inject for i in view.inbox.rows()} >= {"TUT-01", "TUT-02"}
        assert view.inbox.table.row_count == len(app.view.inbox["ie"])


@pytest.mark.parametrize(("scenario", "size"), [("tutorial", (80, 24)), ("vital-signs", (80, 24)),
                                                ("vital-signs", (120, 40))])
async def test_every_timeline_column_shows_and_a_cut_cell_ends_in_an_ellipsis(scenario, size):
    """At 80 columns TLP showed as 'TLP:' and Sent not at all; recipients were cut mid-word ('ie-hospita')."""
    from simulator.commands.common import load_plan

    _loaded, plan = load_plan(None if scenario == "tutorial" else scenario)
    app = CyclesimApp(Exercise(plan, seed=1), clock=FakeClock(), autotick=False, budget=float("inf"))
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        await pilot.pause()
        msel = app.play.facilitator.msel
        assert msel.table_width <= msel.scrollable_content_region.width, "no column runs off the screen"
        assert table_line(msel, 0).split() == ["Due", "Inject", "Status", "Title", "To", "TLP", "Sent"]
        shown = msel.row_keys[: msel.scrollable_content_region.height - 1]
        for y, key in enumerate(shown, start=1):
            drawn, row = table_line(msel, y), app.view.msel[key]
            assert row.tlp.removeprefix("TLP:") in drawn, (drawn, row.tlp)  # the whole label, if short
            assert whole_or_ellipsis(drawn, row.title) and whole_or_ellipsis(drawn, msel._to(row)), drawn
        assert msel.compact == (size[0] < 120), "full labels while they fit"


async def test_team_tables_end_what_they_cut_with_an_ellipsis(make_app, clock):
    """At 120 columns decision titles were cut mid-word at the pane's edge."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 120)
        await pilot.press("space")
        long = "the hospitals cannot wait for the Council; executives must assess the impact on care now"
        assert not app.ex.submit("ie", decision="D07", rationale=long).accepted  # a long reason, a long rationale
        app.tick()
        while app.play.active_team != "ie":
            await pilot.press("t")
        await pilot.press("2")
        await pilot.pause()
        choices = app.play.team_view("ie").choices
        table = choices.table
        assert table.table_width <= table.scrollable_content_region.width, "no column runs off the pane"
        labels = [(y, choices.choices[key].label) for y, key in enumerate(table.row_keys, start=1)]
        assert all(whole_or_ellipsis(table_line(table, y), label) for y, label in labels)
        assert any(label not in table_line(table, y) for y, label in labels), "some title is long enough to cut"
        await pilot.press("4")
        await pilot.pause()
        log = app.play.team_view("ie").decision_log
        assert log.table_width <= log.scrollable_content_region.width
        entries = log.entries()
        for y, entry in enumerate(entries, start=1):
            drawn = table_line(log, y)
            assert whole_or_ellipsis(drawn, entry.outcome) and whole_or_ellipsis(drawn, entry.rationale), drawn
        assert any(e.rationale == long for e in entries) and any(e.outcome.startswith("refused: ") for e in entries)
