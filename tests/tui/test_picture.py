"""A team's screens show its own picture, never ground truth (issue 14), at 100×30."""

from __future__ import annotations

from tui_helpers import run_until, start, text_of

from tui.widgets.situation import SituationPanel

SMALL = (100, 30)


async def _team_panel(app, pilot, team):
    while app.play.active_team != team:
        await pilot.press("t")
    await pilot.pause()
    await pilot.press("3")  # the Picture tab
    await pilot.pause()
    return app.play.team_view(team).query_one(SituationPanel)


def _delivered(app, inject, team):
    return [r for r in app.ex.journal.of_kind("inject.delivered") if r["inject"] == inject and team in r["teams"]]


async def test_team_ie_sees_its_picture_not_truth_before_the_first_report_arrives(make_app, clock):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 31)  # TUT-01 is out: IE is yellow, ECCS 2 in the world
        assert app.ex.severity.level == 2 and app.ex.state.ms_colours().get("IE") == "yellow"
        assert not _delivered(app, "TUT-01", "ie"), "the hospital's report is still on its way to CSIRT-IE"
        panel = await _team_panel(app, pilot, "ie")
        text = text_of(panel)
        assert "Your picture" in text
        assert "not known: no assessment has reached you" in text
        assert "no impact reported to you yet" in text
        assert "IE" not in text.split("Impact", 1)[1].split("\n", 1)[0], "the world's IE colour must not leak"
        assert app.ex.severity.reason not in text
        status = text_of(app.play.query_one("#status-view"))
        assert "ECCS ? not assessed" in status and "ECCS 2" not in status, "the status bar must not show the world's ECCS"
        await pilot.press("escape", "2")  # the console's Situation tab (built when first shown)
        await pilot.pause()
        fac = app.play.query_one("#situation-panel", SituationPanel)
        assert "What each team is missing" in text_of(fac)
        assert "ie: ECCS 2 (holds none); impact IE yellow" in text_of(fac)

        while not _delivered(app, "TUT-01", "ie"):
            await run_until(app, pilot, clock, app.ex.now + 15)
        panel.show(app.ex.now, force=True)
        await pilot.pause()
        text = text_of(panel)
        assert "IE: TUT-01" in text and "ago" in text, "the report's impact, labelled with its source and age"
