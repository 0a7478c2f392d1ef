"""The engine's shortcuts give what the long way gives.

Places that skip work whose result is known: ECCS is not recomputed after a
change to something it does not read (``severity.READS``), and the public
sphere works its hours out ahead and wakes only at an hour whose step moves
the world (not every hour, and not for a step that cannot move it: trust
already at 0). Each test here takes the long way next to the short one.
"""

from __future__ import annotations

from functools import cache

import pytest
from hourly_sphere import HourlySphere, course

from simulator.bundled import scenarios_dir
from simulator.engine import incident, public, severity
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


def test_a_public_sphere_step_moves_the_world_exactly_when_the_state_would_change():
    assert not public._shifts(0.0, -0.02), "trust already at 0"
    assert public._shifts(0.5, -3.0), "out of range: left to Effects to refuse"
    for value in (0.0, 0.0001, 0.01, 0.5, 0.99, 0.9999, 1.0):
        for delta in (-0.05, -0.02, -0.01, 0.0, 0.01, 0.02, 0.05):
            s = WorldState()
            s.cohesion = value
            assert public._shifts(value, delta) == (s.shifted("cohesion", delta) != value), (value, delta)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_sleeping_public_sphere_plays_the_hourly_course(name, monkeypatch):
    """Waking only at the hours that move the world gives the records the hourly process gives.

    The hourly process wakes every hour and applies every step; the journals
    differ only in the engine-event counts (fewer events, on purpose) and
    possibly the order of records within a minute.
    """
    plan = _plan(name)
    short = Exercise(plan, seed=3, sources=[POLICIES["doctrine"]()])
    short.run()
    monkeypatch.setattr(incident, "PublicSphereRun", HourlySphere)
    long = Exercise(plan, seed=3, sources=[POLICIES["doctrine"]()])
    long.run()
    assert course(short.journal) == course(long.journal)
    assert short.steps <= long.steps


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


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("policy", ["passive", "doctrine"])
def test_when_conditions_are_rechecked_only_after_a_change_they_can_read_and_the_journal_is_the_same(
        name, policy, monkeypatch):
    from simulator.engine.timeline import Timeline

    def journal(seed: int) -> bytes:
        ex = Exercise(_plan(name), seed=seed, sources=[POLICIES[policy]()])
        ex.run()
        return ex.journal.export_bytes()

    short = [journal(seed) for seed in (1, 2)]
    check = Timeline.recheck_conditions

    def every_time(self):
        self._checked = None  # the long way: check every waiting condition whenever asked
        check(self)

    monkeypatch.setattr(Timeline, "recheck_conditions", every_time)
    assert [journal(seed) for seed in (1, 2)] == short


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_incident_s_tallies_of_active_and_exposed_entities_are_the_counts_of_its_entities(name, monkeypatch):
    move = incident.IncidentRun._move
    checked = []

    def counting(self, e, phase):
        move(self, e, phase)
        ents = list(self.entities.values())
        for ms in {x.ms for x in ents}:
            assert self.load(ms) == sum(1 for x in ents if x.ms == ms and x.active)
            assert self.exposed.get(ms, []) == [x for x in ents if x.ms == ms and x.phase == "exposed"]
            assert self.ms_rank(ms)[1] == sum(1 for x in ents if x.ms == ms and x.active and x.essential)
        for x in ents:
            assert self._sector_down(x.sector, x.ms) == any(y.active and y.sector == x.sector and y.ms == x.ms
                                                           for y in ents)
            assert self._sector_down(x.sector, None) == any(y.active and y.sector == x.sector for y in ents)
        checked.append(phase)

    monkeypatch.setattr(incident.IncidentRun, "_move", counting)
    for policy in ("passive", "doctrine"):
        ex = Exercise(_plan(name), seed=3, sources=[POLICIES[policy]()])
        ex.run()
    if _plan(name).scenario.incident_model is not None and _plan(name).scenario.incident_model.seeds:
        assert checked, "the incident moved no entity: nothing was checked"
