"""Facilitator console: MSEL hold/fire/filter, ad-hoc injects, observations, jumps, quitting."""

from __future__ import annotations

from types import SimpleNamespace

from textual.widgets import Input, SelectionList
from tui_helpers import SIZE, fully_shown, run_until, start, text_of

from simulator.engine.exercise import Exercise
from tui.screens.dialogs import ConfirmScreen, HelpScreen
from tui.screens.forms import AdHocInjectScreen, ObservationScreen
from tui.screens.play import PlayScreen


async def test_hold_then_fire_a_held_inject(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        msel = app.play.facilitator.msel
        assert msel.select_inject("TUT-02")
        await pilot.press("h")
        assert app.ex.inject_status("TUT-02") == "held"
        assert app.ex.journal.of_kind("facilitator.held")[-1]["inject"] == "TUT-02"
        await run_until(app, pilot, clock, 150)
        assert app.ex.journal.of_kind("inject.held")[-1]["inject"] == "TUT-02"
        assert not [r for r in app.ex.journal.of_kind("inject.released") if r["inject"] == "TUT-02"]
        assert "held (due)" in str(msel.get_cell("TUT-02", "status"))
        await pilot.press("v")  # filter: upcoming
        await pilot.press("v")  # delivered
        await pilot.press("v")  # held
        assert msel.filter == "held" and msel.row_count == 1
        assert msel.selected_inject() == "TUT-02"
        await pilot.press("f")
        await pilot.pause()
        released = [r for r in app.ex.journal.of_kind("inject.released") if r["inject"] == "TUT-02"]
        assert released and released[0]["cause"] == "facilitator" and released[0].t == app.ex.now
        assert msel.row_count == 0  # nothing held any more


async def test_fire_an_out_of_timeline_inject_now(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        app.play.facilitator.msel.select_inject("TUT-06")
        await pilot.press("f")
        await pilot.pause()
        assert app.ex.journal.of_kind("facilitator.fired")[-1]["inject"] == "TUT-06"
        assert app.ex.inject_status("TUT-06") == "released"
        assert app.ex.now == 0


async def test_adhoc_inject_goes_to_the_chosen_team_only(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AdHocInjectScreen)
        form.query_one("#to", SelectionList).select("CYCLONE")
        await pilot.pause()
        assert "Selected: CYCLONE" in text_of(form.query_one("#chosen"))
        form.query_one("#title", Input).value = "Press asks EU for a statement"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        spec = app.ex.journal.of_kind("facilitator.injected")[-1]["inject"]
        assert spec["to"] == ["CYCLONE"] and spec["tlp"] == "TLP:AMBER" and spec["from"] == "EXCON"
        assert "ADHOC-1" in app.view.msel
        await pilot.press("space")
        await run_until(app, pilot, clock, 600)
        teams = {t for r in app.ex.journal.of_kind("inject.delivered") if r["inject"] == "ADHOC-1" for t in r["teams"]}
        assert teams == {"eu"}
        assert "ADHOC-1" not in {i.inject for i in app.view.inbox["ie"]}


async def test_adhoc_form_refuses_missing_fields(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AdHocInjectScreen)
        assert "recipient" in text_of(app.screen.query_one("#why"))
        await pilot.press("escape")
        await pilot.pause()
        assert not app.ex.journal.of_kind("facilitator.injected")


async def test_observation_tagged_to_an_objective(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ObservationScreen)
        await pilot.press(*"Late")  # the text field has the focus
        form.query_one("#text", Input).value += ": escalation waited for the media"
        form.query_one("#kind").value = "improvement"
        form.query_one("#objective").value = "OBJ-2"
        await pilot.press("enter")
        await pilot.pause()
        note = app.ex.journal.of_kind("observation.noted")[-1]
        assert note["category"] == "improvement" and note["objective"] == "OBJ-2"
        assert note["text"] == "Late: escalation waited for the media"
        await pilot.press("4")
        assert app.play.query_one("#notes-table").row_count == 1


async def test_an_evaluator_rates_an_objective(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.query_one("#text", Input).value = "Shared at AMBER within the hour"
        form.query_one("#kind").value = "rating"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form, "a rating without objective and grade is refused"
        assert not app.ex.journal.of_kind("observation.noted")
        form.query_one("#objective").value = "OBJ-1"
        form.query_one("#rating").value = "S"
        form.query_one("#text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        note = app.ex.journal.of_kind("observation.noted")[-1]
        assert (note["category"], note["objective"], note["rating"]) == ("rating", "OBJ-1", "S")


async def test_next_inject_key_jumps_the_clock(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space", "n")
        app.tick()
        await pilot.pause()
        assert app.ex.now == 30 and app.driver.paused
        assert app.view.msel_status(app.view.msel["TUT-01"], app.ex.inject_status("TUT-01")) in ("in transit", "delivered")


async def test_next_inject_key_while_running_pauses_at_the_next_decision_point(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert not app.driver.paused
        await pilot.press("n")
        app.tick()
        await pilot.pause()
        assert app.ex.now == 30 and app.driver.paused
        await pilot.press("n")
        app.tick()
        await pilot.pause()
        assert "DP-SHARE" in app.ex.open_points() and app.driver.paused and app.ex.now < 120
        assert app.driver.state_label == "PAUSED"


async def test_quit_asks_while_running_and_exits_zero(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.driver.paused, "the clock waits while the facilitator answers"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and not app.driver.paused
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_dialog_gives_the_resume_command_on_a_line_of_its_own(make_app, tmp_path):
    folder = tmp_path / "tutorial-002"
    app = make_app(session=SimpleNamespace(path=folder, mark_clock=lambda now: None))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        detail = app.screen.query_one(".confirm-detail")
        assert fully_shown(detail)
        lines = [line.strip() for line in text_of(detail).splitlines()]
        # copied as it stands: no full stop stuck to the path
        assert f"cyclesim resume {folder}" in lines, lines


async def test_quit_after_the_end_needs_no_confirmation(make_app, tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run()
    app = make_app(ex)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_help_screen_lists_the_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
