"""Hostile and broken clients: each refused with a reason, recorded for the facilitator, the host unharmed."""

from __future__ import annotations

import asyncio
import json

import pytest
from host_support import HostThread
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from simulator.host import protocol as P


@pytest.fixture
def served(tmp_path):
    with HostThread(tmp_path / "s") as h:
        yield h


def hello(seat, token, since=-1):
    return json.dumps({"type": "hello", "v": P.VERSION, "seat": seat, "token": token, "since": since})


async def _recv_until(ws, pred, limit=2000):
    for _ in range(limit):
        msg = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if pred(msg):
            return msg
    raise AssertionError("no such message")


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


def test_refused_hellos(served):
    async def go():
        cases = [
            ("not json at all", "bad hello: frame is not JSON"),
            (json.dumps({"type": "decide", "point": "DP-IE", "option": "hold"}), "the first frame must be a hello"),
            (json.dumps({"type": "hello", "v": 99, "seat": "ie", "token": "x"}), "protocol version 99 is not served"),
            (hello("ie", ""), "wrong token for seat ie"),
            (hello("ie", served.tokens["eu"]), "not the one for seat ie"),
            (hello("nobody", "x"), "no seat 'nobody'"),
        ]
        for frame, reason in cases:
            async with connect(served.url) as ws:
                await ws.send(frame)
                msg = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert msg["type"] == "refused" and reason in msg["reason"], (frame, msg)
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 5)
                assert closed.value.rcvd.code == 4403
    run(go())
    events = [json.loads(line) for line in served.events.read_text().splitlines()]
    assert sum(e["event"] == "token.refused" for e in events) >= 2
    assert any(e["event"] == "token.misused" for e in events)
    for secret in served.tokens.values():
        assert secret not in served.events.read_text()


def test_bad_frames_oversize_and_flood_leave_the_host_serving(served):
    tok = served.tokens

    async def go():
        async with connect(served.url) as fac:
            await fac.send(hello("facilitator", tok["facilitator"]))
            await _recv_until(fac, lambda m: m["type"] == "welcome")
            async with connect(served.url) as ie:
                await ie.send(hello("ie", tok["ie"]))
                await _recv_until(ie, lambda m: m["type"] == "welcome")
                for frame, reason in [
                    ("[1, 2]", "must be a JSON object"),
                    ('{"type": "launch"}', "unknown frame type 'launch'"),
                    ('{"type": "clock", "action": "run", "ref": "c1"}', "a team seat may not send 'clock'"),
                    ('{"type": "decide", "point": "DP-IE", "ref": "d1"}', "needs an 'option'"),
                    ('{"type": "decide", "point": "DP-IE", "option": "hold", "rationale": 5, "ref": "d2"}',
                     "'rationale' must be a string"),
                    ('{"type": "decide", "decision": "D04", "params": {"x": NaN}, "ref": "d3"}', "not JSON"),
                    ('{"type": "decide", "point": "DP-IE", "option": "hold", "ref": "d4"}', "has not started"),
                ]:
                    await ie.send(frame)
                    msg = await _recv_until(ie, lambda m: m["type"] in ("error", "answer"))
                    text = msg.get("reason") or msg["reasons"][0]
                    assert reason in text, (frame, msg)
                    if "has not started" not in reason:  # a refused decision is answered, not an attack
                        alert = await _recv_until(fac, lambda m: m["type"] == "alert")
                        assert alert["seat"] == "ie" and alert["event"] == "frame.refused"
            # an oversized frame closes that connection (1009), is recorded, and harms nothing else
            async with connect(served.url, max_size=None) as big:
                await big.send(hello("eu", tok["eu"]))
                await _recv_until(big, lambda m: m["type"] == "welcome")
                await big.send("x" * (P.MAX_FRAME + 10))
                with pytest.raises(ConnectionClosed) as closed:
                    for _ in range(100):
                        await asyncio.wait_for(big.recv(), 5)
                assert closed.value.rcvd.code == 1009
            await _recv_until(fac, lambda m: m["type"] == "alert" and "over 65536 bytes" in m["reason"])
            # a flood: frames over the rate are dropped with a reason, then the connection is closed
            async with connect(served.url) as flood:
                await flood.send(hello("eu", tok["eu"]))
                await _recv_until(flood, lambda m: m["type"] == "welcome")
                with pytest.raises(ConnectionClosed):
                    for _ in range(2000):
                        await flood.send('{"type": "ping"}')
                    for _ in range(3000):
                        await asyncio.wait_for(flood.recv(), 5)
                assert flood.close_code == P_CLOSE_POLICY
            await _recv_until(fac, lambda m: m["type"] == "alert" and m["event"] == "flood")
            # the host still serves: the facilitator's ping is answered, a new seat joins
            await fac.send('{"type": "ping", "ref": "p"}')
            assert (await _recv_until(fac, lambda m: m["type"] == "pong"))["ref"] == "p"
            async with connect(served.url) as again:
                await again.send(hello("eu", tok["eu"]))
                assert (await _recv_until(again, lambda m: m["type"] in ("welcome", "refused")))["type"] == "welcome"
    run(go())
    assert served.host.ex.now == 0 and not served.host.ex.journal.inputs()  # nothing reached the engine


P_CLOSE_POLICY = 1008
