"""Facilitator rough edges (issue 13): vetoes, lapsed decisions, small terminals, the footer,
the timeline at 120 columns, ratings, control characters, engine failures and a full disk."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import FakeClock, start, text_of

from simulator.engine.exercise import Exercise
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from tui.app import CyclesimApp
from tui.widgets.decision_log import DecisionLog

DATA = Path(__file__).parents[1] / "data" / "engine"


def _plan(name: str) -> Plan:
    loaded = load(DATA / name, library_dirs=[])
    return Plan.of(loaded.scenario, loaded.content_hash)


def _app(ex: Exercise, **kwargs) -> CyclesimApp:
    return CyclesimApp(ex, clock=FakeClock(), autotick=False, budget=float("inf"), **kwargs)


async def test_a_unanimity_veto_shows_in_the_log_of_the_team_that_asked_for_the_vote():
    ex = Exercise(_plan("council.yaml"), seed=1)
    ex.run(until=60)
    assert ex.submit("eu", decision="D20", params={"names_state": False}, rationale="one voice").accepted
    ex.run()  # Hungary blocks every round; the declaration fails
    assert any(r["blockers"] == ["HU"] for r in ex.journal.of_kind("vote.round"))
    app = _app(ex)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await app.switch_team("eu")
        await pilot.pause()
        view = app.play.team_view("eu")
        view.show_tab(3)
        await pilot.pause()
        outcomes = [e.outcome for e in view.decision_log.entries()]
        blocked = [o for o in outcomes if o.startswith("vote round 1/")]
        assert blocked and "blocked by HU (will not sign any text that names a State)" in blocked[0], outcomes
        assert any(o.startswith(("failed", "downgraded")) for o in outcomes), outcomes
        assert isinstance(view.decision_log, DecisionLog)


def test_lapsed_and_unknown_decision_records_reach_the_team_log_and_the_feed(tutorial):
    from simulator.journal.journal import Record
    from tui.journal_view import JournalView

    ex = Exercise(tutorial, seed=1, decide_on="truth")  # the records' display is under test: share at once
    ex.run(until=31)
    assert ex.submit("ie", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="share").accepted
    records = list(ex.journal)
    last = records[-1]
    records.append(Record(last.seq + 1, last.t + 60, "decision.lapsed",
                          {"decision": "D04", "name": "Share IoCs", "team": "ie", "reason": "overtaken by events: x"}))
    records.append(Record(last.seq + 2, last.t + 61, "decision.reconsidered", {"decision": "D04", "team": "ie",
                                                                               "reason": "a newer engine"}))
    view = JournalView(tutorial)
    view.feed_records(records)
    outcomes = [e.outcome for e in view.log["ie"]]
    assert "lapsed: overtaken by events: x" in outcomes and "reconsidered: a newer engine" in outcomes
    assert any("D04 lapsed: overtaken by events" in line for line in view.feed)


async def test_the_footer_keeps_help_and_quit_at_80_columns(make_app):
    from tui.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        for _ in range(2):  # the console, then a team's view
            bar = app.screen.query_one(KeyBar)
            drawn = text_of(bar).rstrip()
            assert "q Quit" in drawn and "? Help" in drawn, drawn
            assert len(drawn) <= 80 and "space Run/Pause" in drawn
            assert all(f"{k.display} {k.description}" in drawn for k in bar.shown)
            await pilot.press("t")
            await pilot.pause()
    wide = make_app()
    async with wide.run_test(size=(200, 50)) as pilot:
        await start(wide, pilot)
        assert "…" not in text_of(wide.screen.query_one(KeyBar))  # nothing left out when there is room


async def test_the_timeline_reads_at_120_by_40_with_long_conditions():
    from simulator.commands.common import load_plan

    _loaded, plan = load_plan("vital-signs")
    assert any(len(inj.when or "") > 40 for inj in plan.scenario.injects)  # "when flag('gdpr_...') and not ..."
    app = _app(Exercise(plan, seed=1))
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        msel = app.play.facilitator.msel
        widths = {c.key: c.text_width for c in msel._columns}
        assert msel.table_width <= msel.scrollable_content_region.width, "no column runs off the screen"
        assert widths["due"] <= 14 and widths["title"] >= 30, widths
        rows = [msel._rows[k] for k in msel.row_keys]
        assert any(str(r[0]).startswith("when ") and str(r[0]).endswith("…") for r in rows)
        when_row = next(k for k in msel.row_keys if str(msel._rows[k][0]).endswith("…"))
        msel.select_inject(when_row)
        await pilot.pause()
        assert "due when " in text_of(app.play.query_one("#msel-detail"))  # the condition in full below


async def test_a_terminal_smaller_than_the_layout_gets_a_notice_until_it_fits(make_app):
    from tui.screens.dialogs import TooSmallScreen
    from tui.screens.play import PlayScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        assert not app.driver.paused
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = text_of(app.screen.query_one("#too-small"))
        assert "60×20" in text and "80×24" in text and "paused" in text
        assert app.driver.paused, "nobody can read the screen: the clock waits"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and not app.driver.paused
    small = make_app()
    async with small.run_test(size=(70, 20)) as pilot:  # too small from the start: the briefing is covered
        await pilot.pause()
        await pilot.pause()
        assert isinstance(small.screen, TooSmallScreen)


async def test_a_rating_shows_its_value_once_noted(make_app):
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.query_one("#text", Input).value = "Shared at AMBER within the hour"
        form.query_one("#kind").value = "rating"
        form.query_one("#objective").value = "OBJ-1"
        form.query_one("#rating").value = "S"
        form.query_one("#text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        toasts = [n.message for n in app._notifications]
        assert any("Rating S" in m and "OBJ-1" in m for m in toasts), toasts
        await pilot.press("4")
        await pilot.pause()
        table = app.play.query_one("#notes-table")
        assert table._rows[table.row_keys[0]][1] == "rating S"
        assert any("(rating S, OBJ-1)" in line for line in app.view.feed)


async def test_control_characters_in_titles_and_rationales_never_reach_the_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        app.ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="Evil \x1b]0;pwned\x07 \x1b[2J title", body="b\x1b[31m")
        app.ex.run(until=app.ex.now + 30)
        app.ex.submit("ie", decision="D03", rationale="why \x1b[8mhidden\x1b[0m")
        app.sync()
        await pilot.pause()
        msel = app.play.facilitator.msel
        cells = [str(c) for k in msel.row_keys for c in msel._rows[k]]
        assert any("\\x1b]0;pwned" in c for c in cells) and not any("\x1b" in c for c in cells)
        assert not any("\x1b" in line for line in app.view.feed)
        assert any("\\x1b[8mhidden" in e.outcome + e.rationale or "\\x1b[8mhidden" in e.rationale
                   for e in app.view.log["ie"])
        assert not any("\x1b" in e.rationale for e in app.view.log["ie"])
        assert not any("\x1b" in i.title + i.body for i in app.view.inbox["ie"])


class _Session:
    """What the app needs of a session: its folder (and the clock mark)."""

    def __init__(self, path: Path):
        self.path = path

    def mark_clock(self, now: float) -> None:
        pass


async def test_a_full_disk_stops_the_clock_says_so_and_keeps_the_records(tutorial, tmp_path):
    import sqlite3

    from simulator.journal.journal import Journal

    class FullDisk(Journal):
        full = False
        saved: list = []

        def _persist(self, record):
            if self.full:
                raise sqlite3.OperationalError("database or disk is full")
            self.saved.append(record)

    journal = FullDisk()
    app = _app(Exercise(tutorial, seed=1, journal=journal), session=_Session(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        app.driver.clock.advance(40)  # ×60: 40 minutes, TUT-01 goes out
        app.tick()
        saved = len(journal.saved)
        assert saved > 2
        journal.full = True
        app.driver.clock.advance(120)
        result = app.tick()  # the next record cannot be written
        await pilot.pause()
        assert result.stopped == "error" and app.driver.paused and app.is_running
        toasts = [n.message for n in app._notifications]
        assert any("could not be saved (database or disk is full)" in m and "cyclesim resume" in m for m in toasts)
        assert journal.saved[:saved] == list(journal)[:saved], "every committed record is kept"
        await pilot.press("space")
        await pilot.pause()
        assert app.driver.paused, "a store that cannot write does not run again"
        assert (tmp_path / "engine-error.log").exists()


async def test_an_engine_failure_is_logged_in_the_session_folder_with_its_name(make_app, tmp_path, monkeypatch):
    folder = tmp_path / "tutorial-007"
    folder.mkdir()
    app = make_app(session=_Session(folder))
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)

        def broken():
            raise RuntimeError("boom in the engine")

        monkeypatch.setattr(app.ex, "step", broken)
        app.driver.clock.advance(60)
        assert app.tick().stopped == "error"
        await pilot.pause()
        log = folder / "engine-error.log"
        text = log.read_text(encoding="utf-8")
        assert "session tutorial-007" in text and "RuntimeError: boom in the engine" in text and "Traceback" in text
        assert any(str(log) in n.message for n in app._notifications)
        assert app.driver.paused and app.is_running
