"""The facilitator console's forecast key: futures played beside the exercise, their table, the annex sent on.

The futures are ``cyclesim forecast`` on the saved session in a child process;
the pilot waits for its worker, reads the result screen, and sends the annex
to a team through the ad-hoc inject form, whose title and text it fills in.
"""

from __future__ import annotations

from textual.widgets import Input, SelectionList, TextArea
from tui_helpers import SIZE, fully_shown, run_until, start, text_of

from simulator.engine.exercise import Exercise
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session
from tui.screens.forecast import ForecastRequestScreen, ForecastResultScreen
from tui.screens.forms import AdHocInjectScreen
from tui.screens.play import PlayScreen


async def test_e_forecasts_and_the_annex_goes_to_a_team(make_app, clock, tmp_path):
    from simulator.commands.common import scenario_path

    loaded = load(scenario_path("tutorial"))
    session = Session.create(loaded, 1, tmp_path / "s")
    plan = Plan.of(loaded.scenario, loaded.content_hash)
    app = make_app(Exercise(plan, seed=1, journal=session.journal), session=session)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await start(app, pilot)
            await run_until(app, pilot, clock, 120)
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ForecastRequestScreen)
            form.query_one("#runs", Input).value = "0"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ForecastRequestScreen), "0 futures is refused on the form"
            form.query_one("#runs", Input).value = "2"
            form.query_one("#horizon", Input).value = "2h"
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = app.screen
            assert isinstance(result, ForecastResultScreen), app.screen
            assert result.table["columns"][:2] == ["measure", "p5"] and len(result.table["rows"]) >= 5
            assert result.annex.startswith("Possible evolution scenarios from T+02:00 to T+04:00")
            assert (tmp_path / "s" / "forecasts" / "T0200-1" / "sweep.html").is_file()
            assert app.ex.now == 120, "a forecast plays no future of the exercise itself"
            await pilot.press("a")
            await pilot.pause()
            adhoc = app.screen
            assert isinstance(adhoc, AdHocInjectScreen)
            assert adhoc.query_one("#title", Input).value.startswith("Annex: possible evolution scenarios from T+02:00")
            assert adhoc.query_one("#body", TextArea).text == result.annex
            adhoc.query_one("#to", SelectionList).select("CSIRT-IE")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            spec = app.ex.journal.of_kind("facilitator.injected")[-1]["inject"]
            assert spec["to"] == ["CSIRT-IE"] and spec["body"] == result.annex and spec["from"] == "CYCLONE"
    finally:
        session.close()


async def test_without_a_session_the_forecast_key_says_why(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ForecastRequestScreen)
        assert any("play with a session" in str(n.message) for n in app._notifications)


async def test_the_form_refuses_digits_int_cannot_read():
    """'²' is a digit to str.isdigit but not to int(), nor are 5,000 digits: the form says so, it does not crash."""
    from textual.app import App
    from textual.widgets import Static

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ForecastRequestScreen())

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ForecastRequestScreen)
        for text in ("²", "1" * 5000):
            form.query_one("#runs", Input).value = text
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form, text[:10]
            assert "a whole number from 1 to 2000" in str(form.query_one("#why", Static).render())


async def test_a_result_that_comes_while_the_terminal_is_too_small_waits_for_it_to_fit(make_app, monkeypatch, tmp_path):
    """Pushed on top of the too-small notice, the result left the notice stuck under it once the terminal fit again."""
    import asyncio
    from types import SimpleNamespace

    import tui.app as tui_app
    from tui.screens.dialogs import TooSmallScreen

    done = asyncio.Event()

    async def played(session, out, runs, horizon, policy):
        await done.wait()
        return {"runs": runs, "policy": policy, "fork_at": "T+00:00", "until": "T+01:00", "lines": [],
                "table": {"columns": ["measure", "p50"], "rows": [["peak_eccs", "2"]]}, "annex": "Possible evolution"}

    monkeypatch.setattr(tui_app, "run_forecast", played)
    app = make_app(session=SimpleNamespace(path=tmp_path, mark_clock=lambda now: None))
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        app.run_worker(app._forecast(3, 60, "doctrine"), group="forecast")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        done.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen), "the result waits under no notice"
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.screen, ForecastResultScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen), app.screen_stack


async def test_the_forms_say_what_is_wrong_in_view_at_80x24(make_app, tmp_path):
    """At 80x24 the complaint was written below the dialog's edge: Ctrl+S seemed to do nothing."""
    from types import SimpleNamespace

    app = make_app(session=SimpleNamespace(path=tmp_path, mark_clock=lambda now: None))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ForecastRequestScreen)
        form.query_one("#runs", Input).value = "5000"
        form.query_one("#horizon", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "nothing this wrong is played"
        why = form.query_one("#why")
        assert fully_shown(why)
        said = text_of(why)
        assert "Futures: a whole number from 1 to 2000, not '5000'" in said
        assert "How far ahead: cannot read '' as a duration" in said, "every field is checked at once"
        assert form.focused is form.query_one("#runs", Input) and fully_shown(form.focused), "the cursor goes to mend it"
        form.query_one("#runs", Input).value = "20"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert fully_shown(why) and "Futures" not in text_of(why) and "How far ahead" in text_of(why)
        assert form.focused is form.query_one("#horizon", Input) and fully_shown(form.focused)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("i")  # the ad-hoc inject: its text area pushed the line further down
        await pilot.pause()
        adhoc = app.screen
        assert isinstance(adhoc, AdHocInjectScreen)
        adhoc.query_one("#to", SelectionList).select("CSIRT-IE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is adhoc
        assert fully_shown(adhoc.query_one("#why")) and "Give the inject a title" in text_of(adhoc.query_one("#why"))
        assert adhoc.focused is adhoc.query_one("#title", Input) and fully_shown(adhoc.focused)
