"""Each forecast of a session gets its own folder, also after the session was resumed.

The folders are named by the fork minute and a number; the number counted the
forecasts of one host (or one console) from 1, so a resumed session asked again
at the minute it resumed at wrote over an earlier forecast's runs.csv and page.
"""

from __future__ import annotations

from types import SimpleNamespace

from simulator.host import forecasts as host_forecasts
from simulator.host.forecasts import Forecasts


async def test_a_resumed_host_does_not_write_over_an_earlier_forecast(tmp_path, monkeypatch):
    outs = []

    async def played(session, out, runs, horizon, policy):
        outs.append(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "runs.csv").write_text(f"forecast {len(outs)}\n", encoding="utf-8")
        return {"runs": runs, "policy": policy, "fork_at": "T+02:00", "until": "T+03:00", "lines": [], "table": {},
                "annex": ""}

    monkeypatch.setattr(host_forecasts, "run_forecast", played)
    session = SimpleNamespace(path=tmp_path, mark_clock=lambda now: None)
    for _ in range(2):  # a host, then the host of 'cyclesim serve --resume', both at T+02:00
        forecasts = Forecasts(session, lambda: 120, lambda msg: None, lambda text: None)
        ok, reasons, _ = forecasts.request(1, 60, "doctrine")
        assert ok, reasons
        assert forecasts.running is not None
        await forecasts.running
    assert [o.relative_to(tmp_path).as_posix() for o in outs] == ["forecasts/T0200-1", "forecasts/T0200-2"]
    assert (outs[0] / "runs.csv").read_text(encoding="utf-8") == "forecast 1\n"
