"""A session played through the TUI, stopped, resumed in a new TUI, exported and replayed.

Live session (pilot: decide with a rationale, then quit part-way) -> resume
into a fresh app (new records append to the same store) -> play to the end
-> ``cyclesim export --decisions`` -> ``cyclesim replay --decisions``: the
replayed journal is the session's, byte for byte (same export hash).
"""

from __future__ import annotations

from textual.widgets import Input
from tui_helpers import SIZE, run_until, run_until_open, start

from simulator.cli import main
from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.journal.store import Store
from simulator.session.session import Session
from tui.screens.decision import DecisionScreen


async def test_tui_session_resumes_and_exports_to_an_exact_replay(make_app, clock, tmp_path, capsys):
    loaded, plan = load_plan(None)
    folder = tmp_path / "day1"
    session = Session.create(loaded, 1, folder)
    app = make_app(Exercise(plan, seed=1, journal=session.journal), session=session)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until_open(app, pilot, clock, "DP-SHARE")
        await pilot.press("space")
        while app.play.active_team != "ie":
            await pilot.press("t")
        await pilot.press("2")
        assert app.play.team_view("ie").choices.select("P:DP-SHARE:share-amber")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        app.screen.query_one("#rationale", Input).value = "Peers need the indicators now"  # typing is tested in test_play
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space")
        await run_until(app, pilot, clock, 8 * 60)
        stopped_at = len(app.ex.journal)
    session.mark_clock(app.ex.now)
    session.close()

    session, resumed = Session.resume(folder)
    assert resumed.stored == stopped_at
    app = make_app(resumed.exercise, session=session)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, loaded.scenario.duration + 1)
        assert app.ex.ended
    final = app.ex.journal
    session.close()
    store = Store.open(folder)
    assert [r.line() for r in store.records()] == [r.line() for r in final]
    store.close()
    assert any(r["rationale"] == "Peers need the indicators now" for r in final.of_kind("decision.submitted"))

    capsys.readouterr()
    script = tmp_path / "d.yaml"
    assert main(["export", str(folder), "--decisions", str(script)]) == 0
    assert main(["replay", str(loaded.path), "--seed", "1", "--decisions", str(script), "--quiet"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == final.export_hash()
