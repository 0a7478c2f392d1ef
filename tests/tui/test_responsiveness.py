"""What keeps keys quick: team views built on first use or in the background, the
one-line key bar, quiet Static updates and the collector settings of a session."""

from __future__ import annotations

import gc

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import RichLog, Static
from tui_helpers import SIZE, run_until, start, text_of

import tui.screens.play as play_screen
from simulator.engine.exercise import Exercise
from tui.app import GC_THRESHOLDS, tune_gc, untune_gc
from tui.widgets.key_bar import KeyBar
from tui.widgets.quiet import update_quietly
from tui.widgets.views import TeamView


def _team_views(app) -> list[TeamView]:
    return list(app.play.query(TeamView))


async def test_a_team_view_is_built_when_first_shown(make_app, monkeypatch):
    monkeypatch.setattr(play_screen, "PREBUILD_AFTER", 3600)  # no background building in this test
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert _team_views(app) == [], "the start key builds the console only"
        await pilot.press("t", "t")  # the second press may arrive while the first view is being built
        await pilot.pause()
        views = _team_views(app)
        assert [v.team for v in views] == ["ie", "eu"]
        assert app.play.active_team == "eu"
        assert [v.display for v in views] == [False, True]
        assert app.focused is views[1].inbox.table
        assert views[0].inbox.table.row_count == 0, "a hidden view does no work until it is shown"


async def test_the_other_team_views_are_built_hidden_in_the_background(make_app, monkeypatch, tutorial):
    monkeypatch.setattr(play_screen, "PREBUILD_AFTER", 0.01)
    monkeypatch.setattr(play_screen, "PREBUILD_GAP", 0.01)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        for _ in range(100):  # a view being mounted is in the DOM before it is priming
            if len(_team_views(app)) == len(tutorial.teams) and not app.play._priming and not app.play._building:
                break
            await pilot.pause(0.02)
        assert sorted(v.team for v in _team_views(app)) == sorted(tutorial.teams)
        assert not any(v.display for v in _team_views(app)), "built, not shown"
        assert app.play.active_team is None and app.focused is app.play.facilitator.msel
        await pilot.press("t")
        await pilot.pause()
        assert app.play.active_team == "ie" and len(_team_views(app)) == len(tutorial.teams)


async def test_the_key_bar_runs_a_clicked_key_and_strikes_disabled_ones(make_app, tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run(until=60)
    app = make_app(ex)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        bar = app.play.query_one(KeyBar)
        drawn = text_of(bar)
        await pilot.click(KeyBar, offset=(drawn.index("t Team"), 0))
        await pilot.pause()
        assert app.play.active_team == "ie"
        ex.run()
        app.sync()
        await pilot.pause()
        run = next(k for k in bar.shown if k.action == "toggle_run")
        assert not run.enabled
        struck = [span for span in bar.content.spans if span.style.strike]
        assert any(bar.content.plain[span.start:span.end].startswith(run.display) for span in struck)


async def test_the_feed_is_written_when_its_tab_is_shown_and_then_as_records_arrive(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 3 * 60)
        assert not app.play.query("#feed-log"), "nothing is built, let alone written, behind another tab"
        await pilot.press("3")
        await pilot.pause()
        log = app.play.query_one("#feed-log", RichLog)

        def shown() -> list[str]:
            return [strip.text.rstrip() for strip in log.lines]

        assert any("TUT-01 released" in line for line in shown())
        assert app.view.feed[-1][:40] in "\n".join(shown())
        await run_until(app, pilot, clock, 5 * 60)  # the feed tab is up: new lines are appended
        assert app.view.feed[-1][:40] in "\n".join(shown())
        await pilot.press("1")
        writes = []
        write = log.write
        log.write = lambda *args, **kwargs: (writes.append(args), write(*args, **kwargs))[1]
        await run_until(app, pilot, clock, 7 * 60)
        behind = app.view.feed[-1]
        assert writes == [], "no work for a feed nobody looks at"
        await pilot.press("3")
        await pilot.pause()
        text = "\n".join(shown())
        assert behind[:40] in text
        assert text.count("TUT-01 released") == 1, "the feed is written again, not twice"


class StaticApp(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("one line", id="s")
            yield Static("below", id="below")


async def test_quiet_updates_lay_out_only_when_the_height_changes():
    app = StaticApp()
    async with app.run_test(size=(40, 10)) as pilot:
        s = app.query_one("#s", Static)
        layouts: list[bool] = []
        refresh = s.refresh

        def spy(*args, **kwargs):
            layouts.append(bool(kwargs.get("layout")))
            return refresh(*args, **kwargs)

        s.refresh = spy
        update_quietly(s, "another line")
        update_quietly(s, "another line")  # the same content: nothing to do
        await pilot.pause()
        assert layouts and not any(layouts)
        assert text_of(s).strip() == "another line"
        layouts.clear()
        update_quietly(s, "three\nlines\nnow")
        await pilot.pause()
        assert any(layouts) and s.size.height == 3
        assert app.query_one("#below").region.y == s.region.y + 3, "what is below moved down"


def test_tune_gc_freezes_the_loaded_objects_and_untune_restores_the_defaults():
    before = gc.get_threshold()
    thresholds = tune_gc()
    try:
        assert thresholds == before
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        untune_gc(thresholds)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


async def _first_team_view_shown(make_app, ex: Exercise, size: tuple[int, int], background: bool, monkeypatch):
    """Show the first team's view, built in the background (primed off screen) or by the key; what it shows."""
    monkeypatch.setattr(play_screen, "PREBUILD_AFTER", 0.01 if background else 3600)
    monkeypatch.setattr(play_screen, "PREBUILD_GAP", 0.01)
    app = make_app(ex)
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        if background:
            def settled() -> bool:  # a view being mounted is in the DOM before it is priming
                return len(_team_views(app)) == len(ex.plan.teams) and not app.play._priming and not app.play._building

            for _ in range(200):
                if settled():
                    break
                await pilot.pause(0.02)
            views = _team_views(app)
            assert settled(), "every view built and primed"
            assert views[0].inbox.table.row_count > 0, "primed: its inbox is filled before it is shown"
            assert not any(v.display or v.has_class(play_screen.PRIMING) for v in views), "hidden, in place"
        await pilot.press("t")
        await pilot.pause()
        view = app.play.current
        assert isinstance(view, TeamView) and not view.has_class(play_screen.PRIMING)
        table = view.inbox.table
        return (view.region, table.region, table.show_vertical_scrollbar, table.show_horizontal_scrollbar,
                [item.inject for item in view.inbox.rows()], app.focused is table, app.export_screenshot())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_view_primed_in_the_background_shows_as_one_built_on_demand(make_app, tutorial, monkeypatch, size):
    """Laid out off screen and drawn ahead, a view is then shown in place: the same rows, size,
    scrollbars, focus and screen as a view the key builds."""
    def exercise() -> Exercise:
        ex = Exercise(tutorial, seed=1)
        ex.run(until=8 * 3600)
        return ex

    primed = await _first_team_view_shown(make_app, exercise(), size, True, monkeypatch)
    on_demand = await _first_team_view_shown(make_app, exercise(), size, False, monkeypatch)
    assert primed[4], "the view has messages to show"
    assert primed == on_demand


async def test_the_background_building_held_up_by_a_view_a_key_built_goes_on_after_it(make_app, monkeypatch, tutorial):
    monkeypatch.setattr(play_screen, "PREBUILD_AFTER", 3600)  # started by hand below, while the key's view primes
    monkeypatch.setattr(play_screen, "PREBUILD_GAP", 0.01)
    monkeypatch.setattr(play_screen, "PRIME_LAYOUTS", 10_000)  # the key's view primes until PRIME_WAIT
    monkeypatch.setattr(play_screen, "PRIME_WAIT", 0.3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("t")  # builds and primes the first team's view
        assert app.play._priming, "the view the key built is still priming"
        await app.play._prebuild()  # the background building comes round now: it must wait, not stop
        for _ in range(100):
            if len(_team_views(app)) == len(tutorial.teams) and not app.play._priming and not app.play._building:
                break
            await pilot.pause(0.02)
        assert sorted(v.team for v in _team_views(app)) == sorted(tutorial.teams), "the building stopped for good"
