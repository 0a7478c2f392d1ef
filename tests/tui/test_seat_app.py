"""The seat app (cyclesim join) against a live host on 127.0.0.1, driven by Textual's pilot.

The host runs in a thread; the facilitator's moves are made on the host
directly. Team ie's app shows the comm check, acknowledges it with k, shows
its inbox with the TLP:RED inject, and answers its decision point through
the form; the answer lands in the host's journal as ie's.

The facilitator's forecast is the child's own command line run in this
process (``forecasts_here``): the seat's side is what this file tests; the
host's child process is tests/host/test_host_forecast.py's.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cli_support import cyclesim
from textual.widgets import Input, Select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "host"))
from host_support import HostThread
from tui_helpers import text_of

from tui.seat_app import AnswerScreen, FieldsScreen, LoginScreen, SeatApp
from tui.widgets.key_bar import KeyBar
from tui.widgets.row_table import RowTable


async def until(pilot, cond, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


@asynccontextmanager
async def seat(app: SeatApp, size: tuple[int, int] = (120, 36)):
    """``app.run_test``; on the way out the seat's connection is closed, as a real seat's process exit does.

    The app leaves its WebSocket open when it exits in-process, and a host
    that stops waits its close timeout (2 s) for such a connection.
    """
    async with app.run_test(size=size) as pilot:
        try:
            yield pilot
        finally:
            if app.driver is not None:
                await app.driver.close()


@pytest.fixture
def forecasts_here(monkeypatch):
    """The host's forecasts run their child's command line in this process, on one worker.

    The futures and the summary are the command's own (the same argv,
    ``simulator.cli.main``), without an interpreter start and the imports
    (about 0.6 s of CPU of the child's 0.9 s).
    """
    from simulator import forecast_child
    from simulator.host import forecasts

    async def here(session, out, runs, horizon, policy, timeout=forecast_child.TIMEOUT):
        argv = forecast_child.command(session, out, runs, horizon, policy)
        assert argv[1:4] == ["-P", "-m", "simulator"] and argv[-1] == "--background", argv
        # not --background in this process: it would watch (and read) the test worker's standard input
        done = cyclesim(*argv[4:-1], "--workers", "1")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        return {k: summary[k] for k in forecast_child.FIELDS}

    monkeypatch.setattr(forecasts, "run_forecast", here)


@pytest.fixture
def served(tmp_path):
    with HostThread(tmp_path / "s") as h:
        yield h


async def test_team_seat_sees_its_inbox_and_decides(served):
    h = served
    app = SeatApp(h.url, seat="ie", token=h.tokens["ie"])
    async with seat(app) as pilot:
        await until(pilot, lambda: app.state.role == "team")
        assert h.call(h.host.send_commcheck) == 1
        await until(pilot, lambda: app.state.commcheck == 1)
        assert "COMM CHECK 1" in str(app.query_one("#status").render())
        await pilot.press("k")
        await until(pilot, lambda: h.host.status["ie"].acked == 1)

        h.call(lambda: (h.host.start(True), h.host.pacer.advance_to(480)))
        await until(pilot, lambda: any(i.tlp == "TLP:RED" for i in app.state.inbox))
        await pilot.pause()
        inbox = app.query_one("#inbox", RowTable)
        assert inbox.row_count == len(app.state.inbox) >= 2
        titles = [str(inbox.get_cell(key, "title")) for key in inbox.row_keys]
        assert "Source-protected: the intruder's staging server" in titles
        await pilot.press("3")  # the media report, in its own tab
        assert app.query_one("#media", RowTable).row_count >= 1

        # the point's deadline (T+07:00) passed in the advance: its default was applied
        await until(pilot, lambda: app.state.points["DP-IE"].status != "open")
        await pilot.press("2")
        points = app.query_one("#points", RowTable)
        assert points.row_count == 1 and "closed" in str(points.get_cell("DP-IE", "status"))

    # eu's seat, joining late, catches up on its own records only
    app2 = SeatApp(h.url, seat="eu", token=h.tokens["eu"])
    async with seat(app2) as pilot:
        await until(pilot, lambda: app2.state.role == "team")
        assert not any(i.tlp == "TLP:RED" for i in app2.state.inbox)  # ie's RED never reached eu
        assert all("RED-ONLY" not in i.body for i in app2.state.inbox)


async def test_a_team_seat_reads_the_briefing_before_startex_and_its_inbox_after(served):
    h = served
    app = SeatApp(h.url, seat="ie", token=h.tokens["ie"])
    async with seat(app, size=(80, 14)) as pilot:  # short: the briefing scrolls
        await until(pilot, lambda: app.state.role == "team" and app.state.briefing)
        await pilot.pause()
        panes = app.panes
        assert panes is not None and panes.active_name == "briefing"
        text = text_of(app.query_one("#briefing-text"))
        assert app.state.briefing["title"] in text and "Exercise control starts the clock" in text
        assert "seed" not in text, "a team seat is not told the seed"
        briefing = app.query_one("BriefingPane")
        assert app.focused is briefing, "the arrow and page keys scroll the briefing"
        await pilot.press("pagedown")
        await pilot.pause()
        assert briefing.max_scroll_y > 0 and briefing.scroll_y > 0, (briefing.max_scroll_y, briefing.scroll_y)
        h.call(lambda: h.host.start(True))
        await until(pilot, lambda: panes.active_name == "inbox")
        await pilot.press("6")
        assert panes.active_name == "briefing", "the briefing stays a tab away"
        assert "Answer point" not in text_of(app.query_one(KeyBar)), "Enter answers nothing off the Decide tab"
        await pilot.press("2")
        await pilot.pause()
        assert app.check_action("answer", ()) and "Answer point" in text_of(app.query_one(KeyBar))


async def test_answer_form_sends_the_decision(tmp_path):
    with HostThread(tmp_path / "s2") as h:
        app = SeatApp(h.url)  # no seat or token: the login form asks
        async with seat(app) as pilot:
            await until(pilot, lambda: isinstance(app.screen, LoginScreen))
            app.screen.query_one("#seat", Input).value = "eu"
            app.screen.query_one("#token", Input).value = h.tokens["eu"]
            await pilot.click("#join")
            await until(pilot, lambda: app.state.role == "team")
            h.call(lambda: (h.host.start(True), h.host.pacer.advance_to(90)))
            await until(pilot, lambda: "DP-EU" in app.state.points)
            await pilot.press("2")  # the Decide tab; its table has the keys
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, AnswerScreen))
            assert not app.check_action("answer", ()), "with the form open, Enter is the form's, not a second answer"
            app.screen.query_one("#option", Select).value = "convene"
            app.screen.query_one("#rationale", Input).value = "the ministers must hear it first"
            await pilot.click("#submit")
            await until(pilot, lambda: app.state.points["DP-EU"].status.startswith("closed"))
            assert any("accepted" in line for line in app.state.log)
        closed = [r for r in h.records() if r.kind == "decision_point.closed"]
        assert closed and closed[0]["team"] == "eu" and closed[0]["option"] == "convene" and closed[0]["how"] == "decided"
        assert closed[0]["rationale"] == "the ministers must hear it first"


async def test_facilitator_seat_runs_the_comm_check_and_pulls_the_levers(tmp_path):
    with HostThread(tmp_path / "s3") as h:
        app = SeatApp(h.url, seat="facilitator", token=h.tokens["facilitator"])
        async with seat(app) as pilot:
            await until(pilot, lambda: app.state.role == "facilitator" and app.state.seats)
            await pilot.pause()
            seats = app.query_one("#seats", RowTable)
            assert set(seats.row_keys) == {"ie", "eu", "facilitator", "evaluator"}
            await pilot.press("c")
            await until(pilot, lambda: h.host.commcheck == 1)
            await pilot.press("s")  # nobody acknowledged: refused, with the reason in the log
            await until(pilot, lambda: any("STARTEX needs" in line for line in app.state.log))
            assert not h.host.started
            await pilot.press("S")
            await until(pilot, lambda: h.host.started)
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, FieldsScreen))
            app.screen.query_one("#f-channel", Input).value = "excon"
            app.screen.query_one("#f-status", Select).value = "cut"
            await pilot.click("#send")
            await until(pilot, lambda: any(r.kind == "channel.changed" for r in h.records()))
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, FieldsScreen))
            for name, value in (("from", "EXCON"), ("to", "CYCLONE, PRESIDENCY"), ("title", "Press asks"),
                                ("body", "A journalist calls the Presidency.")):
                app.screen.query_one(f"#f-{name}", Input).value = value
            await pilot.click("#send")
            await until(pilot, lambda: any(r.kind == "facilitator.injected" for r in h.records()))
            await until(pilot, lambda: any("channel.changed" in line or "excon" in line for line in app.state.feed))
        changed = next(r for r in h.records() if r.kind == "channel.changed")
        assert changed["channel"] == "excon" and changed["to"] == "cut" and changed["cause"] == "facilitator"
        injected = next(r for r in h.records() if r.kind == "facilitator.injected")
        assert injected["inject"]["to"] == ["CYCLONE", "PRESIDENCY"]


async def test_a_refused_login_asks_again_with_the_reason_instead_of_ending(served):
    """A browser seat types its token: a typo must not end the session ("Session ended"), only ask again."""
    h = served
    app = SeatApp(h.url)
    async with seat(app, (100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        app.screen.query_one("#seat", Input).value = "ie"
        app.screen.query_one("#token", Input).value = "not-the-token"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.problem)
        assert app.is_running and app.return_code is None
        assert "Refused:" in str(app.screen.query_one("#login-problem").render())
        assert app.screen.query_one("#seat", Input).value == "ie", "the seat typed is kept"
        app.screen.query_one("#token", Input).value = h.tokens["ie"]
        await pilot.press("enter")
        await until(pilot, lambda: app.state.role == "team")


async def test_a_refused_seat_given_on_the_command_line_still_exits_2(served):
    app = SeatApp(served.url, seat="ie", token="not-the-token")
    async with seat(app, (100, 30)) as pilot:
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2 and app.exit_reason, (app.return_code, app.exit_reason)


async def test_facilitator_seat_forecasts_and_sends_the_annex(tmp_path, forecasts_here):
    from tui.screens.forecast import ForecastRequestScreen, ForecastResultScreen

    with HostThread(tmp_path / "s4") as h:
        app = SeatApp(h.url, seat="facilitator", token=h.tokens["facilitator"])
        async with seat(app) as pilot:
            await until(pilot, lambda: app.state.role == "facilitator")
            await pilot.press("S")
            await until(pilot, lambda: h.host.started)
            h.call(lambda: h.host.pacer.advance_to(90))
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, ForecastRequestScreen))
            app.screen.query_one("#runs", Input).value = "2"
            app.screen.query_one("#horizon", Input).value = "4h"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, ForecastResultScreen), timeout=120)
            result = app.screen
            assert result.annex.startswith("Possible evolution scenarios") and result.table["columns"][0] == "measure"
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, FieldsScreen))
            assert app.screen.query_one("#f-from", Input).value == "CYCLONE"
            app.screen.query_one("#f-to", Input).value = "CSIRT-IE"
            await pilot.click("#send")
            await until(pilot, lambda: any(r.kind == "facilitator.injected" for r in h.records()))
        injected = next(r for r in h.records() if r.kind == "facilitator.injected")["inject"]
        assert injected["to"] == ["CSIRT-IE"] and injected["body"] == result.annex
        assert injected["title"].startswith("Annex: possible evolution scenarios from")
