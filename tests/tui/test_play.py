"""The issue's must-shows, driven headless through the pilot with a fake clock."""

from __future__ import annotations

from textual.widgets import Button, Input
from tui_helpers import SIZE, fully_shown, run_until, run_until_open, start, text_of

from simulator.timefmt import format_time
from tui.screens.briefing import BriefingScreen
from tui.screens.decision import DecisionScreen
from tui.screens.play import PlayScreen
from tui.widgets.views import TeamView


def _delivered_to(app, team):
    return {r["inject"] for r in app.ex.journal.of_kind("inject.delivered") if team in r["teams"]}


async def _show_team(app, pilot, team):
    while app.play.active_team != team:
        await pilot.press("t")
    await pilot.pause()
    return app.play.team_view(team)


async def test_briefing_shows_first_and_start_key_runs_the_clock(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        text = text_of(app.screen.query_one("#briefing-text"))
        assert "LOCKED WARD" in text and "Ireland national team" in text and "OBJ-2" in text
        clock.advance(600)
        app.tick()
        assert app.ex.now == 0, "the clock must not run before the start key"
        await start(app, pilot)
        assert isinstance(app.screen, PlayScreen)
        await run_until(app, pilot, clock, 5)
        assert app.ex.now == 5


async def test_injects_reach_only_their_team(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 9 * 60)
        assert "TUT-01" in _delivered_to(app, "ie") and "TUT-05" in _delivered_to(app, "eu")

        ie = await _show_team(app, pilot, "ie")
        ie_rows = {i.inject for i in ie.inbox.rows()}
        assert "TUT-01" in ie_rows and "TUT-05" not in ie_rows
        assert ie.inbox.table.row_count == len(ie_rows)

        eu = await _show_team(app, pilot, "eu")
        eu_rows = {i.inject for i in eu.inbox.rows()}
        assert "TUT-05" in eu_rows and "TUT-01" not in eu_rows
        # every row a team sees was addressed to it
        assert eu_rows <= _delivered_to(app, "eu") and ie_rows <= _delivered_to(app, "ie")


async def test_decision_with_rationale_reaches_log_and_journal(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until_open(app, pilot, clock, "DP-SHARE")
        await pilot.press("space")  # pause while the team deliberates
        ie = await _show_team(app, pilot, "ie")
        await pilot.press("2")
        assert ie.choices.select("P:DP-SHARE:share-amber")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionScreen)
        assert form.query_one("#submit", Button).disabled, "no rationale yet"
        await pilot.press(*"Peers")  # typed into the focused rationale field
        form.query_one("#rationale", Input).value += " need the indicators now"
        await pilot.pause()
        assert not form.query_one("#submit", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)

        submitted = app.ex.journal.of_kind("decision.submitted")[-1]
        assert submitted["team"] == "ie" and submitted["point"] == "DP-SHARE"
        assert submitted["rationale"] == "Peers need the indicators now"
        closed = app.ex.journal.of_kind("decision_point.closed")[-1]
        assert closed["option"] == "share-amber" and closed["how"] == "decided"
        assert app.ex.journal.of_kind("decision.accepted")[-1]["decision"] == "D04"

        await pilot.press("4")
        log = ie.decision_log.entries()
        assert any(e.what.startswith("DP-SHARE:share-amber") and e.rationale == "Peers need the indicators now"
                   for e in log)
        assert any(e.outcome == "accepted" for e in log)
        assert ie.decision_log.row_count == len(log)


async def test_pause_stops_the_clock(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 10)
        await pilot.press("space")
        assert app.driver.paused
        frozen = app.ex.now
        for _ in range(5):
            clock.advance(3600)
            app.tick()
        await pilot.pause()
        assert app.ex.now == frozen
        assert "PAUSED" in text_of(app.play.query_one("#status-clock"))
        await pilot.press("space")
        clock.advance(60)  # one minute at ×60
        app.tick()
        assert app.ex.now == frozen + 60


async def test_unmet_precondition_keeps_decision_disabled_with_reason(make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("space")
        eu = await _show_team(app, pilot, "eu")
        await pilot.press("2")
        assert eu.choices.select("D:D07")
        row = eu.choices.choices["D:D07"]
        assert not row.ready
        detail = text_of(eu.choices.query_one(".choice-detail"))
        assert "UNMET" in detail and "eccs >= 4" in detail
        await pilot.press("enter")  # Enter on the row opens the form, like d
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionScreen)
        form.query_one("#rationale", Input).value = "We want executives now"
        await pilot.pause()
        assert form.query_one("#submit", Button).disabled
        conditions = text_of(form.query_one("#conditions"))
        assert "UNMET eccs >= 4" in conditions and "now eccs = 0" in conditions
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen), "a disabled decision cannot be submitted"
        assert not app.ex.journal.of_kind("decision.submitted")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert isinstance(app.play.current, TeamView)


async def _open_decision(app, pilot, team, key):
    await _show_team(app, pilot, team)
    await pilot.press("2")
    assert app.play.team_view(team).choices.select(key)
    await pilot.press("d")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, DecisionScreen) and form.choice.key == key
    return form


async def test_a_bad_parameter_is_answered_in_view_and_keeps_the_rationale_in_view_at_80x24(make_app, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 120)  # TUT-01 is known to ie: D04's precondition holds
        await pilot.press("space")
        form = await _open_decision(app, pilot, "ie", "D:D04")
        tlp = form.query_one("#param-tlp", Input)
        assert form.focused is tlp
        await pilot.press(*"TLP", "colon", *"PURPLE")
        await pilot.pause()
        assert tlp.value == "TLP:PURPLE"
        why = form.query_one("#why")
        assert fully_shown(why) and "'TLP:PURPLE'" in text_of(why) and "must be one of" in text_of(why)
        assert fully_shown(tlp), "the field typed in stays in view"
        assert fully_shown(form.query_one("#rationale")), "and the field after it (it was pushed below the edge)"
        assert form.query_one("#submit", Button).disabled
        tlp.value = "TLP:AMBER"
        await pilot.pause()
        assert "Submit is disabled until you write a rationale" in text_of(why)


async def test_a_form_open_while_the_clock_runs_says_when_its_preconditions_turn(make_app, clock):
    """The clock runs under the form: a decision that becomes possible says so, it does not just start to work."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        form = await _open_decision(app, pilot, "ie", "D:D03")  # criminal_group: known once TUT-01 is in
        form.query_one("#rationale", Input).value = "the ransom is the fastest way back"
        await pilot.pause()
        why = form.query_one("#why")
        submit = form.query_one("#submit", Button)
        assert submit.disabled and "preconditions above are not met" in text_of(why)
        assert not app.driver.paused
        await run_until(app, pilot, clock, 120)
        assert app.ex.desk.check("ie", "D03").ok
        assert not submit.disabled, "the button follows the exercise"
        assert "The preconditions are now met (since T+0" in text_of(why) and fully_shown(why)
        assert "✓ met   criminal_group" in text_of(form.query_one("#conditions"))
        assert app.ex.submit("ie", decision="D03", rationale="another seat was faster").accepted
        app.tick()
        await pilot.pause()
        assert submit.disabled and f"no longer met (since {format_time(app.ex.now)})" in text_of(why)
        assert "already under way" in text_of(form.query_one("#conditions"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form


async def test_the_decide_list_shows_decisions_under_way_and_in_effect(make_app, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 120)
        ie = await _show_team(app, pilot, "ie")
        await pilot.press("2")
        await pilot.pause()
        table = ie.choices.table
        assert str(table.get_cell("D:D03", "status")) == "ready"
        assert app.ex.submit("ie", decision="D03", rationale="restore care").accepted
        assert app.ex.submit("ie", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="peers").accepted
        app.tick()
        await pilot.pause()
        # a one-off step: not "unmet" (it was), but under way, and never offered again
        assert (table.get_cell("D:D03", "mark"), str(table.get_cell("D:D03", "status"))) == ("…", "under way")
        assert ie.choices.select("D:D03")
        assert "Already under way" in text_of(ie.choices.query_one(".choice-detail"))
        # a repeatable one may be taken again: it stays ready, and says one is under way (it said only "ready")
        assert (table.get_cell("D:D04", "mark"), str(table.get_cell("D:D04", "status"))) == ("✓", "ready (1 under way)")
        while not app.ex.desk.taken("D04"):
            await run_until(app, pilot, clock, app.ex.now + 30)
        assert str(table.get_cell("D:D04", "status")) == "ready (in effect)"
        while not app.ex.desk.taken("D03"):
            await run_until(app, pilot, clock, app.ex.now + 60)
            assert not app.ex.ended
        assert (table.get_cell("D:D03", "mark"), str(table.get_cell("D:D03", "status"))) == ("•", "in effect")
