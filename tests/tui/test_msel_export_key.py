"""The facilitator console's MSEL key: a workbook with planned and actual times, facilitator only."""

from __future__ import annotations

import openpyxl
from tui_helpers import SIZE, run_until, start


async def test_x_writes_the_msel_with_actual_times(make_app, clock, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no session: the working folder
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await run_until(app, pilot, clock, 150)
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = sorted(tmp_path.glob("msel-tutorial-T*.xlsx"))
        assert [p.name for p in written] == [f"msel-tutorial-T{app.ex.now // 60:02d}{app.ex.now % 60:02d}.xlsx"]
        ws = openpyxl.load_workbook(written[0])["MSEL"]
        header = [c.value for c in ws[1]]
        assert header[-2:] == ["Actual time", "Status"] and "Scenario time" in header
        rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=2)}
        planned, actual, status = header.index("Scenario time"), header.index("Actual time"), header.index("Status")
        assert rows["TUT-01"][planned] == "T+00:30" and rows["TUT-01"][actual] == "T+00:30"
        assert rows["TUT-01"][status] == "released"
        assert rows["TUT-06"][actual] is None and rows["TUT-06"][status] == "not released"


async def test_the_msel_key_is_a_facilitator_key(make_app, clock, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("t")  # a team's view
        await pilot.pause()
        assert app.play.active_team is not None
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(tmp_path.glob("*.xlsx")) == []
