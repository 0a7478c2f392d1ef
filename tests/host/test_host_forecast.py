"""A facilitator seat asks for a forecast; the host plays it beside the exercise and sends the summary back.

The forecast is ``cyclesim forecast`` on the session the host writes, in a child
process: the facilitator gets a ``forecast`` frame with the percentile table and
an annex text, the futures are in the session folder, and a team seat may not
ask for one (it would learn what is ahead).
"""

from __future__ import annotations

from host_support import HostThread, Seat


def _is(kind):
    return lambda m: m.get("type") == kind


def test_the_facilitator_gets_a_forecast_and_a_team_may_not_ask(tmp_path):
    with HostThread(tmp_path / "s") as h:
        fac = Seat(h.url, "facilitator", h.tokens["facilitator"])
        ie = Seat(h.url, "ie", h.tokens["ie"])
        try:
            for s in (fac, ie):
                s.wait_for(_is("welcome"))
            assert fac.answer(fac.send({"type": "start", "force": True}))["accepted"]
            assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 120}))["accepted"]
            refused = ie.answer(ie.send({"type": "forecast", "runs": 3}))
            assert not refused["accepted"] and "may not send 'forecast'" in refused["reasons"][0]
            bad = fac.answer(fac.send({"type": "forecast", "runs": 0}))
            assert not bad["accepted"] and "'runs' must be a whole number from 1 to 2000" in bad["reasons"][0]
            asked = fac.answer(fac.send({"type": "forecast", "runs": 2, "horizon": 2 * 60, "policy": "passive"}))
            assert asked["accepted"], asked
            again = fac.answer(fac.send({"type": "forecast", "runs": 3}))
            assert not again["accepted"] and "already running" in again["reasons"][0]
            done = fac.wait_for(_is("forecast"), timeout=120)
            assert done["ok"], done
            assert done["id"] == asked["forecast"] and done["runs"] == 2 and done["policy"] == "passive"
            assert done["lines"][0].split()[:2] == ["measure", "p5"] and done["table"]["columns"][1] == "p5"
            assert done["annex"].startswith(f"Possible evolution scenarios from {done['fork_at']}")
            assert (h.folder / done["folder"] / "runs.csv").is_file()
            assert not any(m.get("type") == "forecast" for m in ie.lines), "only facilitator seats get it"
        finally:
            for s in (fac, ie):
                s.stop()


def test_a_forecast_that_ends_with_no_facilitator_connected_goes_to_the_next_one(tmp_path):
    """The facilitator's seat dropped while the futures played: the next facilitator seat to join gets them, once."""
    import time

    with HostThread(tmp_path / "s") as h:
        fac = Seat(h.url, "facilitator", h.tokens["facilitator"])
        try:
            fac.wait_for(_is("welcome"))
            assert fac.answer(fac.send({"type": "start", "force": True}))["accepted"]
            asked = fac.answer(fac.send({"type": "forecast", "runs": 2, "horizon": 60, "policy": "passive"}))
            assert asked["accepted"], asked
        finally:
            fac.stop()
        deadline = time.monotonic() + 120
        while not h.host.forecasts.running.done():
            assert time.monotonic() < deadline, "the forecast did not finish"
            time.sleep(0.1)
        back = Seat(h.url, "facilitator", h.tokens["facilitator"])
        again = None
        try:
            done = back.wait_for(_is("forecast"))
            assert done["ok"] and done["id"] == asked["forecast"] and done["runs"] == 2
            again = Seat(h.url, "facilitator", h.tokens["facilitator"])
            again.wait_for(_is("seats"))
            again.send({"type": "ping"})
            again.wait_for(_is("pong"))  # what the host sends a seat on joining comes before this
            assert not any(m.get("type") == "forecast" for m in again.lines), "an earlier forecast was sent twice"
        finally:
            back.stop()
            if again is not None:
                again.stop()
