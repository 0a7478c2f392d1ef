"""Loopback end to end: one host, three --jsonl seats (two teams and the facilitator) play two-rooms.

The facilitator runs the comm check and STARTEX, moves the clock with
``advance``; ie receives a TLP:RED inject that eu must never see; each team
answers its own decision point (and is refused another team's); eu's client
is killed with SIGKILL mid-exercise and restarted with --since, and the union
of what it received is exactly, in order, what the host's filter lets through.
"""

from __future__ import annotations

import pytest
from host_support import HostThread, Seat

from simulator.cli import main


def _is(kind):
    return lambda m: m.get("type") == kind


@pytest.fixture
def served(tmp_path):
    with HostThread(tmp_path / "s") as h:
        yield h


def test_two_teams_and_facilitator_play_with_red_kept_to_ireland(served):
    h, tok = served, served.tokens
    fac = Seat(h.url, "facilitator", tok["facilitator"])
    ie = Seat(h.url, "ie", tok["ie"])
    eu = Seat(h.url, "eu", tok["eu"])
    seats = [fac, ie, eu]
    try:
        for s in seats:
            s.wait_for(_is("welcome"))
        # comm check, then STARTEX refused until every team acknowledged
        assert fac.answer(fac.send({"type": "commcheck"}))["accepted"]
        early = fac.answer(fac.send({"type": "start"}))
        assert not early["accepted"] and "not acknowledged by" in early["reasons"][0]
        for team in (ie, eu):
            check = team.wait_for(_is("commcheck"))
            assert team.answer(team.send({"ack": check["id"]}))["accepted"]
        fac.wait_for(lambda m: m.get("type") == "seats" and all(r["acked"] for r in m["seats"] if r["role"] == "team"))
        assert fac.answer(fac.send({"type": "start"}))["accepted"]

        assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 90}))["accepted"]
        ie.record("decision_point.opened", point="DP-IE")
        eu.record("decision_point.opened", point="DP-EU")
        # decisions: each for its own team; another team's point and a forged team are refused with reasons
        wrong_point = eu.answer(eu.send({"point": "DP-IE", "option": "hold", "rationale": "meddling"}))
        assert not wrong_point["accepted"] and "for team ie, not eu" in wrong_point["reasons"][0]
        forged = eu.answer(eu.send({"point": "DP-IE", "option": "hold", "team": "ie"}))
        assert not forged["accepted"] and "decides for team eu only" in forged["reasons"][0]
        ok_ie = ie.answer(ie.send({"point": "DP-IE", "option": "share", "rationale": "peers need it"}))
        assert ok_ie["accepted"], ok_ie
        not_json = eu.send({"x": 1})
        assert not eu.answer(not_json)["accepted"]
        ok_eu = eu.answer(eu.send({"point": "DP-EU", "option": "convene", "rationale": "act early"}))
        assert ok_eu["accepted"], ok_eu
        ie.record("decision_point.closed", point="DP-IE")
        eu.record("decision_point.closed", point="DP-EU")

        # eu's client dies; the exercise goes on (the RED delivery to ie comes at T+06:31); eu comes back
        last = eu.seqs()[-1]
        eu.kill()
        assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 480}))["accepted"]
        ie.record("inject.delivered", inject="RED-1")
        eu2 = Seat(h.url, "eu", tok["eu"], since=last)
        seats.append(eu2)
        eu2.wait_for(_is("welcome"))
        assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 721}))["accepted"]
        for s in (fac, ie, eu2):
            s.record("exercise.ended")

        # nothing lost, duplicated or out of order, across the restart
        received_eu = eu.seqs() + eu2.seqs()
        assert received_eu == h.expected("eu")
        assert ie.seqs() == h.expected("ie")
        assert fac.seqs() == [r.seq for r in h.records()]
        assert eu2.seqs()[0] > last

        # TLP:RED reached ie only: not a byte of it in anything eu received
        red = ie.record("inject.delivered", inject="RED-1")
        assert red["tlp"] == "TLP:RED" and red["to"] == "CSIRT-IE" and "RED-ONLY-FOR-IRELAND" in red["body"]
        assert {"kind", "seq", "t", "tlp", "to", "title", "body"} <= set(red)
        eu_text = "".join(eu.raw + eu2.raw)
        assert "RED-ONLY-FOR-IRELAND" not in eu_text and "RED-1" not in eu_text
        assert "203.0.113.7" not in eu_text
        # teams see no world state (evaluators' truth), the facilitator does
        assert "state.changed" not in eu_text and "state.changed" in "".join(fac.raw)
        # the media report shows in eu's media feed
        assert eu.record("inject.delivered", inject="MEDIA-1")["feed"] == "media"

        # each team's decision is in the host's journal, with its team
        closed = {r["point"]: r for r in h.records() if r.kind == "decision_point.closed"}
        assert closed["DP-IE"]["team"] == "ie" and closed["DP-IE"]["how"] == "decided" and closed["DP-IE"]["option"] == "share"
        assert closed["DP-EU"]["team"] == "eu" and closed["DP-EU"]["how"] == "decided"
        submitted = [(r["team"], r["point"]) for r in h.records() if r.kind == "decision.submitted"]
        assert ("ie", "DP-IE") in submitted and ("eu", "DP-EU") in submitted
        assert ("ie", "DP-IE") in submitted and submitted.count(("eu", "DP-IE")) == 1  # refused, still journalled as eu's
    finally:
        for s in seats:
            s.stop()
    # the forged-team attempt was recorded for the facilitator
    events = h.events.read_text()
    assert "decides for team eu only" in events
    for secret in h.tokens.values():
        assert secret not in events and secret not in "".join(h.log)


def test_wrong_token_is_refused_with_exit_2(served, capsys):
    code = main(["join", served.url, "--team", "ie", "--token", "not-the-token", "--jsonl", "--wait", "5"])
    assert code == 2
    assert "refused seat ie: wrong token for seat ie" in capsys.readouterr().err
    code = main(["join", served.url, "--team", "ie", "--token", served.tokens["eu"], "--jsonl", "--wait", "5"])
    assert code == 2
    assert "not the one for seat ie" in capsys.readouterr().err
    code = main(["join", served.url, "--team", "nobody", "--token", "x" * 20, "--jsonl", "--wait", "5"])
    assert code == 2
    assert "no seat 'nobody'" in capsys.readouterr().err
    events = served.events.read_text()
    assert "token.refused" in events and "token.misused" in events
    assert served.tokens["eu"] not in events
