"""Channels, routes, queues and the seeded delay streams.

Delays are triangular draws from named streams (simulator.engine.rng.Streams); the
small network of tests/data/engine/network.yaml has a direct channel A->B, a
two-hop detour A->C->B and a single-handed actor Q behind an instant channel.
"""

from __future__ import annotations

import copy
import hashlib
import statistics
from pathlib import Path

import pytest
import yaml

from simulator.engine.exercise import Exercise
from simulator.engine.rng import Streams
from simulator.engine.transport import Transport
from simulator.scenario.loader import load
from simulator.scenario.model import Delay
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "network.yaml"
BASE = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
AB = Delay(min=1, mode=2, max=3)
HOP = Delay(min=0.5, mode=1, max=2)


def exercise(tmp_path: Path, seed: int = 1, change=None) -> Exercise:
    data = copy.deepcopy(BASE)
    if change is not None:
        change(data)
    path = tmp_path / f"network-{hashlib.sha256(repr(data).encode()).hexdigest()[:12]}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load(path, library_dirs=[])  # no templates: independent of the bundled library
    return Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=seed)


def initial(**effects):
    return lambda data: data.__setitem__("initial", effects)


def delivered(ex: Exercise, inject: str) -> list[int]:
    return [r.t for r in ex.journal.of_kind("inject.delivered") if r["inject"] == inject]


# ------------------------------------------------------------------ streams
@pytest.mark.parametrize("delay", [Delay(min=0.5, mode=3, max=12), Delay(min=1, mode=1, max=24), Delay(min=2, mode=8, max=8)])
def test_triangular_draws_stay_in_bounds_and_average_near_the_mean(delay):
    streams = Streams(7)
    draws = [streams.minutes("channel:x", delay) for _ in range(20000)]
    assert min(draws) >= round(delay.min * 60)
    assert max(draws) <= round(delay.max * 60)
    mean = delay.mean_hours * 60
    # the standard deviation of a triangular law is below (max-min)/4; 20 000 draws: 4 sigma << 2 %
    assert abs(statistics.fmean(draws) - mean) < 0.02 * mean
    assert len(set(draws)) > 50  # really spread, not a constant


def test_fixed_and_zero_delays_need_no_draw():
    streams = Streams(1)
    assert streams.minutes("a", Delay(min=2, mode=2, max=2)) == 120
    assert streams.minutes("a", Delay(min=2, mode=2, max=2), 3.0) == 360
    assert streams.minutes("a", Delay(min=0, mode=0, max=0)) == 0


def test_the_factor_stretches_the_same_draw():
    one, three = Streams(4), Streams(4)
    for _ in range(200):
        base, slow = one.minutes("channel:ab", AB), three.minutes("channel:ab", AB, 3.0)
        assert abs(slow - 3 * base) <= 2  # both are rounded to whole minutes


@pytest.mark.parametrize("delay", [AB, HOP, Delay(min=2, mode=2, max=2), Delay(min=0, mode=0, max=0), Delay(min=0, mode=0, max=5)])
def test_a_draw_resolved_once_gives_the_draws_of_minutes(delay):
    """Streams.draw (what the transport keeps per channel and desk) draws what Streams.minutes draws, factor and all."""
    streams, resolved = Streams(6), Streams(6)
    draws = {f: resolved.draw("channel:ab", delay, f) for f in (1.0, 3.0)}  # a channel up, and degraded
    factors = [1.0, 3.0, 1.0, 1.0, 3.0] * 40
    assert [draws[f].minutes() for f in factors] == [streams.minutes("channel:ab", delay, f) for f in factors]
    assert resolved("channel:ab").random() == streams("channel:ab").random()  # the stream is where minutes left it


def test_named_streams_are_independent():
    alone = Streams(11)
    expected = [alone("channel:B").random() for _ in range(50)]
    mixed = Streams(11)
    seen = []
    for i in range(50):
        for _ in range(i % 4):
            mixed("channel:A").random()  # draws from A in between must not move B
        seen.append(mixed("channel:B").random())
    assert seen == expected
    assert [Streams(11)("channel:A").random() for _ in range(3)] != expected[:3]


def test_streams_depend_on_the_seed():
    assert Streams(1)("x").random() == Streams(1)("x").random()
    assert Streams(1)("x").random() != Streams(2)("x").random()


def test_adding_an_actor_and_a_channel_does_not_change_other_channels_draws(tmp_path):
    def extend(data):
        data["network"]["actors"].append({"id": "X", "name": "Newcomer", "kind": "csirt", "level": "technical"})
        data["network"]["channels"].append({"id": "xc", "from": "X", "to": ["C"], "delay": {"min": 1, "mode": 5, "max": 9}})
        data["injects"].insert(0, {"id": "NEW", "at": "T+00:30", "from": "X", "to": ["C"], "title": "from the newcomer"})
        data["injects"].append({"id": "M2", "at": "T+01:00", "from": "X", "to": ["C"], "title": "another one"})

    base = exercise(tmp_path, seed=9)
    base.run()
    more = exercise(tmp_path, seed=9, change=extend)
    more.run()
    assert delivered(more, "M1") == delivered(base, "M1") == [60 + Streams(9).minutes("channel:ab", AB)]
    assert delivered(more, "NEW") and delivered(more, "M2")


# ------------------------------------------------------------------ delivery over channels
def test_message_takes_the_direct_channel_with_its_drawn_delay(tmp_path):
    ex = exercise(tmp_path, seed=3)
    ex.run()
    sent = ex.journal.of_kind("message.sent")
    assert [(r.t, r["route"]) for r in sent] == [(60, [["ab", "A", "B"]])]
    assert delivered(ex, "M1") == [60 + Streams(3).minutes("channel:ab", AB)]
    assert not ex.journal.of_kind("message.rerouted", "message.waiting")


def test_cut_channel_reroutes_over_a_multi_hop_route(tmp_path):
    ex = exercise(tmp_path, seed=3, change=initial(channels={"ab": "cut"}))
    ex.run()
    rerouted = ex.journal.of_kind("message.rerouted")
    assert [(r.t, r["blocked"], r["route"]) for r in rerouted] == [(60, "ab", [["ac", "A", "C"], ["cb", "C", "B"]])]
    streams = Streams(3)
    expected = 60 + streams.minutes("channel:ac", HOP) + streams.minutes("channel:cb", HOP)
    assert delivered(ex, "M1") == [expected]


def test_every_route_cut_makes_the_message_wait_until_a_channel_is_restored(tmp_path):
    ex = exercise(tmp_path, seed=3, change=initial(channels={"ab": "cut", "ac": "cut"}))
    ex.run(until=5 * 60)
    waiting = ex.journal.of_kind("message.waiting")
    assert [(r.t, r["from"], r["to"]) for r in waiting] == [(60, "A", "B")]
    assert delivered(ex, "M1") == []
    ex.set_channel("ab", "up")  # the facilitator restores the direct channel at T+05:00
    ex.run()
    assert [r.t for r in ex.journal.of_kind("message.sent")] == [300]
    assert delivered(ex, "M1") == [300 + Streams(3).minutes("channel:ab", AB)]


def test_restoring_the_detour_reroutes_the_waiting_message(tmp_path):
    ex = exercise(tmp_path, seed=3, change=initial(channels={"ab": "cut", "ac": "cut"}))
    ex.run(until=5 * 60)
    ex.set_channel("ac", "degraded")  # degraded is usable, only slower
    ex.run()
    assert [(r.t, r["route"]) for r in ex.journal.of_kind("message.rerouted")] == [(300, [["ac", "A", "C"], ["cb", "C", "B"]])]
    streams = Streams(3)
    assert delivered(ex, "M1") == [300 + streams.minutes("channel:ac", HOP, 3.0) + streams.minutes("channel:cb", HOP)]


def test_degraded_channel_triples_the_delay(tmp_path):
    normal = exercise(tmp_path, seed=8)
    normal.run()
    slow = exercise(tmp_path, seed=8, change=initial(channels={"ab": "degraded"}))
    slow.run()
    assert [r["to"] for r in slow.journal.of_kind("channel.changed")] == ["degraded"]
    base = delivered(normal, "M1")[0] - 60
    tripled = delivered(slow, "M1")[0] - 60
    assert tripled == Streams(8).minutes("channel:ab", AB, 3.0)
    assert abs(tripled - 3 * base) <= 2
    assert not slow.journal.of_kind("message.rerouted")  # degraded is slower, not blocked


# ------------------------------------------------------------------ queues
def test_single_handed_actor_queues_a_burst_of_messages(tmp_path):
    def burst(data):
        data["injects"] += [{"id": f"Q{i}", "at": "T+02:00", "from": "A", "to": ["Q"], "title": f"burst {i}"}
                            for i in range(5)]

    ex = exercise(tmp_path, change=burst)
    ex.run(until=121)
    assert ex.queues() == {"Q": 4}
    ex.run()
    queued = ex.journal.of_kind("message.queued")
    assert [(r.t, r["inject"], r["queue"], r["capacity"]) for r in queued] == [
        (120, f"Q{i}", i, 1) for i in range(1, 5)]
    # handled one at a time, one hour each
    assert [delivered(ex, f"Q{i}")[0] for i in range(5)] == [180, 240, 300, 360, 420]
    assert ex.queues() == {}


def test_a_played_actor_reads_its_own_inbox_without_queueing(tmp_path):
    def burst_to_b(data):
        data["injects"] += [{"id": f"B{i}", "at": "T+02:00", "from": "A", "to": ["B"], "title": f"to B {i}"}
                            for i in range(5)]

    ex = exercise(tmp_path, change=burst_to_b)
    ex.run()
    assert not ex.journal.of_kind("message.queued")
    assert len(ex.journal.of_kind("inject.delivered")) == 6


# ------------------------------------------------------------------ paths worked out once
def test_paths_worked_out_once_send_what_routing_each_message_sends(tmp_path, monkeypatch):
    """While every channel is up, a sender-recipient path is worked out once (Transport._paths) and reused;
    the journal is the one routing every message afresh gives, through cuts, degradation and restores,
    preferred channels, messages to oneself, zero delays and a queue."""
    def busy(data):
        data["network"]["actors"][3]["handling"] = {"min": 0.5, "mode": 1, "max": 2}
        data["injects"] += [{"id": f"R{i}", "at": f"T+{i * 40}m", "from": "A", "to": ["B", "C", "Q", "A"],
                             "title": f"round {i}"} for i in range(1, 30)]
        data["injects"] += [{"id": f"P{i}", "at": f"T+{i * 120}m", "from": "A", "to": ["C"], "channel": "ac",
                             "title": f"by the preferred channel {i}"} for i in range(1, 10)]
        data["injects"] += [{"id": f"Q{i}", "at": "T+05:00", "from": "A", "to": ["Q"], "title": f"burst {i}"}
                            for i in range(4)]
        data["injects"] += [{"id": f"X{i}", "at": f"T+{at}m", "from": "C", "to": ["B"], "title": "relay",
                             "effects": {"channels": channels}}
                            for i, (at, channels) in enumerate([(90, {"ab": "cut"}), (200, {"ab": "up", "cb": "degraded"}),
                                                                (330, {"ab": "cut", "ac": "cut"}),
                                                                (500, {"ac": "up", "cb": "up"}), (700, {"ab": "up"})])]

    def journal() -> bytes:
        ex = exercise(tmp_path, seed=5, change=busy)
        ex.run(until=60)
        ex.add_inject(sender="A", to=["B", "Q"], title="by a channel that does not reach B", channel="aq")
        ex.run()
        return ex.journal.export_bytes()

    cached = journal()
    class Forgets(dict):  # a path cache that keeps nothing: every message is routed afresh
        def __setitem__(self, key, value) -> None:
            pass

    made = Transport.__init__

    def forgetful(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        self._paths = Forgets()

    monkeypatch.setattr(Transport, "__init__", forgetful)
    routed = journal()
    assert routed == cached
    kinds = {line.split(b'"kind":"')[1].split(b'"')[0] for line in cached.splitlines()}
    assert {b"message.rerouted", b"message.waiting", b"message.queued", b"channel.changed"} <= kinds
