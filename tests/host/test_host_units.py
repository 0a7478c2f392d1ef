"""The host's parts on their own: frame parsing and bounds, tokens, the seat filter, batched commits, pacing."""

from __future__ import annotations

import json
import os
import stat

import pytest
from host_support import TWO_ROOMS

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.errors import InputError
from simulator.host import protocol as P
from simulator.host.pacing import Pacer
from simulator.host.seats import SeatFilter, seats_of
from simulator.host.tokens import load_or_create, matches, new_tokens, read_tokens, write_tokens
from simulator.journal.journal import Journal, Record
from simulator.session.session import Session


@pytest.fixture(scope="module")
def two_rooms():
    return load_plan(str(TWO_ROOMS))


# ---------------------------------------------------------------- protocol
@pytest.mark.parametrize("text, reason", [
    (b"{}", "binary frames"),
    ("x" * (P.MAX_FRAME + 1), "over the limit"),
    ("{", "not JSON"),
    ("[]", "JSON object"),
    ('{"type": 3}', "unknown frame type"),
    ('{"type": "hello", "v": 1, "seat": "ie"}', "'token' must be a string"),
    ('{"type": "hello", "v": 1, "seat": "ie", "token": "t", "since": -5}', "'since' must be a whole number"),
    ('{"type": "hello", "v": 1, "seat": "ie", "token": "t", "since": true}', "'since' must be a whole number"),
    ('{"type": "decide", "point": "P", "decision": "D04", "option": "x"}', "either a 'point'"),
    ('{"type": "decide", "decision": "D04", "params": {"a": [1]}}', "params.a must be"),
    ('{"type": "decide", "decision": "D04", "params": {"a": Infinity}}', "not JSON"),
    ('{"type": "decide", "decision": "D04", "rationale": "' + "r" * (P.MAX_TEXT + 1) + '"}', "over the limit"),
    ('{"type": "clock", "action": "speed", "speed": 0}', "clock speed must be"),
    ('{"type": "clock", "action": "jump"}', "must be run, pause"),
    ('{"type": "channel", "channel": "x", "status": "melted"}', "up, degraded or cut"),
    ('{"type": "inject", "from": "EXCON", "to": [], "title": "t"}', "'to' must be a list"),
    ('{"type": "start", "force": "yes"}', "'force' must be true or false"),
    ('{"type": "ack", "id": "1"}', "'id' must be a whole number"),
])
def test_bad_frames_are_refused_with_reasons(text, reason):
    with pytest.raises(P.ProtocolError) as e:
        P.parse_client(text)
    assert reason in str(e.value)


def test_good_frames_parse():
    f = P.parse_client('{"type": "decide", "point": "DP-IE", "option": "share", "rationale": "why", "ref": 7}')
    assert f.type == "decide" and f.ref == "7" and f.fields["point"] == "DP-IE" and f.fields["team"] is None
    assert P.parse_client('{"type": "clock", "action": "speed", "speed": "max"}').fields["speed"] == "max"
    assert P.parse_client('{"type": "hello", "v": 1, "seat": "ie", "token": "t"}').fields["since"] == -1


# ---------------------------------------------------------------- tokens
def test_tokens_file_is_private_random_and_reused(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    first = load_or_create(path, ["ie", "facilitator"], reuse=False)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(set(first.values())) == 2 and all(len(t) >= 30 for t in first.values())
    assert not any(t.startswith("-") for _ in range(200) for t in new_tokens(["a", "b"]).values())
    assert load_or_create(path, ["ie", "facilitator"], reuse=True) == first
    assert load_or_create(path, ["ie", "facilitator"], reuse=False) != first
    assert matches(first["ie"], first["ie"]) and not matches(first["ie"][:-1] + "?", first["ie"])
    write_tokens(path, {"ie": "short"})
    with pytest.raises(InputError, match="at least 16 characters"):
        read_tokens(path, ["ie"])
    path.write_text(json.dumps({"ie": "x" * 20}))
    with pytest.raises(InputError, match="no token for seat"):
        read_tokens(path, ["ie", "eu"])


# ---------------------------------------------------------------- seat filter
def test_filter_keeps_red_to_named_recipients_and_world_state_from_teams(two_rooms):
    _loaded, plan = two_rooms
    ex = Exercise(plan, seed=1)
    ex.run()
    seats, filt = seats_of(plan), SeatFilter(plan)
    seen = {name: [] for name in seats}
    for r in ex.journal:
        filt.learn(r)
        for name, seat in seats.items():
            view = filt.view(seat, r)
            if view is not None:
                seen[name].append(view)
    kinds = lambda name: {v["kind"] for v in seen[name]}  # noqa: E731
    assert len(seen["facilitator"]) == len(seen["evaluator"]) == len(ex.journal)
    assert any(v.get("inject") == "RED-1" for v in seen["ie"])
    assert not any("RED-1" in json.dumps(v) or "RED-ONLY" in json.dumps(v) for v in seen["eu"])
    for team in ("ie", "eu"):
        assert kinds(team).isdisjoint({"state.changed", "severity.changed", "message.sent", "inject.released"})
        assert all(v.get("to") in seats[team].plays for v in seen[team] if v["kind"] == "inject.delivered")
        briefing = seen[team][0]
        assert briefing["kind"] == "exercise.started" and "content_hash" not in briefing
        assert [p["team"] for p in briefing["points"]] == [team]


def test_red_through_everyone_is_not_delivered_to_a_team(two_rooms):
    _loaded, plan = two_rooms
    seat = seats_of(plan)["eu"]
    filt = SeatFilter(plan)
    filt.learn(Record(0, 5, "facilitator.injected", {"inject": {"to": ["everyone"], "tlp": "TLP:RED"}}))
    rec = Record(1, 5, "inject.delivered", {"inject": "ADHOC-1", "actor": "CYCLONE", "tlp": "TLP:RED",
                                            "title": "t", "body": "b", "from": "EXCON", "teams": ["eu"]})
    assert filt.view(seat, rec) is None
    filt.learn(Record(2, 6, "facilitator.injected", {"inject": {"to": ["CYCLONE"], "tlp": "TLP:RED"}}))
    named = Record(3, 6, "inject.delivered", {**rec.data, "inject": "ADHOC-2"})
    assert filt.view(seat, named)["to"] == "CYCLONE"


def test_reserved_team_ids_are_refused(tmp_path):
    text = TWO_ROOMS.read_text().replace("id: eu\n", "id: evaluator\n").replace("team: eu\n", "team: evaluator\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    _loaded, plan = load_plan(str(path))
    with pytest.raises(InputError, match="reserved"):
        seats_of(plan)


# ---------------------------------------------------------------- batched commits
def test_store_batch_commits_once_and_rolls_back(tmp_path, two_rooms):
    loaded, plan = two_rooms
    session = Session.create(loaded, 1, tmp_path / "s")
    try:
        ex = Exercise(plan, seed=1, journal=session.journal)
        before = session.store.count()
        with session.store.batch():
            ex.run(until=100)
            assert session.store.count() > before  # visible to the writer inside its transaction
        assert session.store.count() == len(ex.journal)
        with pytest.raises(RuntimeError):
            with session.store.batch():
                session.store.set_clock(99)
                raise RuntimeError("boom")
        assert session.store.meta().clock != 99
    finally:
        session.close()


# ---------------------------------------------------------------- pacing
class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_pacer_maps_wall_seconds_to_minutes_and_advances(two_rooms):
    _loaded, plan = two_rooms
    ex = Exercise(plan, seed=1, journal=Journal())
    clock = Clock()
    pacer = Pacer(ex, speed=10.0, clock=clock, budget=10.0)
    pacer.tick()
    assert ex.now == 0  # paused
    pacer.run()
    clock.t = 3.0
    pacer.tick()
    assert ex.now == 30
    pacer.pause()
    clock.t = 100.0
    pacer.tick()
    assert ex.now == 30
    pacer.advance_to(240)
    pacer.tick()
    assert ex.now == 240 and pacer.state == "paused"
    pacer.set_speed("max")
    pacer.run()
    pacer.tick()
    assert ex.ended and pacer.state == "ended"
