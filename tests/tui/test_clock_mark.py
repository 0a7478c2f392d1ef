"""The TUI marks how far the clock got, so resume continues there and not at the last record."""

from __future__ import annotations

from tui_helpers import SIZE, run_until, start

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.journal.store import Store
from simulator.session.session import Session


async def test_the_clock_mark_follows_the_ui_clock(make_app, clock, tmp_path):
    loaded, plan = load_plan(None)
    folder = tmp_path / "day1"
    session = Session.create(loaded, 1, folder)
    app = make_app(Exercise(plan, seed=1, journal=session.journal), session=session)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 25)  # before TUT-01 at T+00:30: no record at this time
        reached = app.ex.now
        last_record = app.ex.journal[-1].t
    session.close()
    assert reached > last_record
    store = Store.open(folder)
    try:
        assert store.meta().clock == reached
    finally:
        store.close()
