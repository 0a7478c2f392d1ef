"""The engine's shortcuts give what the long way gives.

Three places skip work whose result is known: ECCS is not recomputed after a
change to something it does not read (``severity.READS``), the public sphere
does not apply an hourly step that cannot move the world (a value already at
its bound), and the incident's spread works out a hit's chance once per
Member State. Each test here takes the long way next to the short one.
"""

from __future__ import annotations

from functools import cache

import pytest

from simulator.bundled import scenarios_dir
from simulator.engine import public, severity
from simulator.engine.exercise import Exercise
from simulator.engine.state import WorldState
from simulator.players.policies import POLICIES
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIOS = sorted(p.stem for p in scenarios_dir().glob("*.yaml"))


@cache
def _plan(name: str) -> Plan:
    return Plan.of(load(scenarios_dir() / f"{name}.yaml").scenario)


class _Spy:
    """A world state that notes which of its fields are read."""

    def __init__(self, state: WorldState, seen: set[str]):
        self._state, self._seen = state, seen

    def __getattr__(self, name):
        self._seen.add("impact" if name in ("ms_colours", "sectors_hit") else name)
        return getattr(self._state, name)


@pytest.mark.parametrize("name", SCENARIOS)
def test_eccs_reads_only_the_fields_severity_reads_names_and_the_engine_keeps_it_current(name, monkeypatch):
    seen: set[str] = set()
    checked = []
    apply = Exercise.apply_effects

    def checking(self, effects, cause):
        apply(self, effects, cause)
        assert self.severity == severity.compute(self.state), "a skipped rescore left ECCS stale"
        severity.compute(_Spy(self.state, seen))  # type: ignore[arg-type]
        checked.append(cause)

    monkeypatch.setattr(Exercise, "apply_effects", checking)
    ex = Exercise(_plan(name), seed=2, sources=[POLICIES["doctrine"]()])
    ex.run()
    assert checked
    assert seen <= severity.READS, f"compute() reads {sorted(seen - severity.READS)}: add them to severity.READS"


def test_a_change_severity_does_not_read_does_not_move_it():
    assert not severity.moved_by({"disinfo_reach": [0.1, 0.2], "public_trust": [0.7, 0.6], "cohesion": [0.6, 0.5]})
    assert severity.moved_by({"impact.IE/health": ["white", "red"]})
    assert severity.moved_by({"public_trust": [0.7, 0.6], "significant": [[], ["HOSP-IE-1"]]})


def test_the_public_sphere_skips_only_steps_that_change_nothing(monkeypatch):
    """Applying every step, as before, gives the same journal byte for byte."""
    s = WorldState()
    s.public_trust = 0.0
    assert not public._moves(s, {"public_trust": -0.02})
    assert public._moves(s, {"public_trust": -0.02, "disinfo_reach": 0.02})
    assert public._moves(s, {"public_trust": -3.0}), "out of range: left to Effects to refuse"
    plan = _plan("vital-signs")
    short = Exercise(plan, seed=4, sources=[POLICIES["passive"]()])
    short.run()
    monkeypatch.setattr(public, "_moves", lambda state, change: True)
    long = Exercise(plan, seed=4, sources=[POLICIES["passive"]()])
    long.run()
    assert short.journal.export_hash() == long.journal.export_hash()


def test_the_streamed_export_hash_is_the_hash_of_the_export():
    import hashlib

    from simulator.journal.journal import Journal

    ex = Exercise(_plan("vital-signs"), seed=1, sources=[POLICIES["doctrine"]()])
    ex.run(until=48 * 60)
    for journal in (Journal(), Journal(list(ex.journal)[:1]), ex.journal):
        assert journal.export_hash() == hashlib.sha256(journal.export_bytes()).hexdigest()


def test_simulated_deciders_are_worked_out_once_per_kinds_and_stay_right():
    plan = _plan("vital-signs")
    for d in plan.catalogue.values():
        kinds, played = set(d.by), set(plan.played)
        expected = tuple(a for a, spec in plan.network.actors.items() if spec.kind in kinds and a not in played)
        assert plan.simulated_deciders(d) == expected
        assert plan.simulated_deciders(d) is plan.simulated_deciders(d), "the second answer comes from the memo"
