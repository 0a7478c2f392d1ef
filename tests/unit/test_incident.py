"""The incident model and each catalogue consequence on it (docs/scenario-format.md §8.1).

tests/data/engine/incident.yaml exposes 8 hospitals in each of IE, BE and DE;
each test changes what it needs (initial state, model numbers), submits a
decision directly and compares with the same seed without it: every draw is
on a stream of its own, so the only difference is the decision's.
"""

from __future__ import annotations

import copy
import hashlib
import math
from pathlib import Path

import pytest
import yaml
from hourly_sphere import HourlySphere, course

from simulator.engine import incident
from simulator.engine.exercise import Exercise
from simulator.journal.outcome import KEYS, outcome
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "incident.yaml"
BASE = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
H = 60


def plan(tmp_path: Path, initial: dict | None = None, model: dict | None = None, **top) -> Plan:
    data = copy.deepcopy(BASE)
    if initial:
        data["initial"] = {**data["initial"], **initial}
    if model:
        data["incident_model"] = {**data["incident_model"], **model}
    data.update(top)
    text = yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / f"incident-{hashlib.sha256(text.encode()).hexdigest()[:12]}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path, library_dirs=[])
    return Plan.of(loaded.scenario, loaded.content_hash)


def play(p: Plan, decisions=(), seed: int = 1, until: int | None = None) -> Exercise:
    """Run with ``decisions`` = [(t, team, decision, params)] submitted at their times."""
    ex = Exercise(p, seed=seed)
    for t, team, decision, params in sorted(decisions, key=lambda d: d[0]):
        ex.run(until=t)
        out = ex.submit(team, decision=decision, rationale="test", params=params)
        assert out.accepted, out.reason
    ex.run(until=until)
    return ex


def kinds(ex: Exercise, kind: str) -> list:
    return ex.journal.of_kind(kind)


def hit(ex: Exercise, ms: str | None = None) -> set[str]:
    return {r["entity"] for r in kinds(ex, "incident.compromised") if ms is None or r["ms"] == ms}


# ------------------------------------------------------------------ the model itself
def test_model_starts_seeds_and_spreads_with_causes(tmp_path):
    ex = play(plan(tmp_path))
    started = kinds(ex, "incident.started")[0]
    assert started["exposed"] == {"BE/health": 8, "DE/health": 8, "IE/health": 8}
    causes = [r["cause"] for r in kinds(ex, "incident.compromised")]
    assert causes[:2] == ["seed", "seed"] and "spread" in causes
    # every hit entity goes through detection and containment before it recovers, in order
    for entity in hit(ex):
        course = [r.kind for r in ex.journal if r.kind.startswith("incident.") and r.get("entity") == entity]
        assert course[0] == "incident.compromised"
        assert course.index("incident.detected") < course.index("incident.contained")
    # a named actor that is hit becomes significant: its NIS2 clock runs
    assert "HOSP-IE" in ex.state.significant
    changes = [r for r in kinds(ex, "state.changed") if str(r["cause"]).startswith("incident:")]
    assert changes and all(r["cause"] for r in changes)


def test_impact_colours_and_capacity_follow_active_hits(tmp_path):
    ex = play(plan(tmp_path, model={"capacity": {"default": 1}, "colours": [1, 2, 3]}), until=30 * H)
    impact = [r for r in kinds(ex, "state.changed") if "impact.IE/health" in r["changes"]]
    assert impact[0]["cause"] == "initial" and impact[1]["cause"].startswith("incident: ")
    exceeded = [r for r in kinds(ex, "state.changed") if "capacity_exceeded" in r["changes"]]
    assert exceeded and "IE" in exceeded[0]["changes"]["capacity_exceeded"][1], "2 seeds > capacity 1"


def test_same_seed_same_outcome_and_seeds_differ(tmp_path):
    p = plan(tmp_path)
    a, b = play(p, seed=3), play(p, seed=3)
    assert a.journal.export_bytes() == b.journal.export_bytes()
    assert tuple(outcome(a.journal)) == KEYS
    values = {outcome(play(p, seed=s).journal)["downtime_hours"] for s in range(1, 7)}
    assert len(values) >= 4, values


# ------------------------------------------------------------------ D04 indicators
def test_indicators_lower_spread_only_where_received_and_only_after_delivery(tmp_path):
    p = plan(tmp_path)
    ex = play(p, [(2 * H, "nat", "D04", {"tlp": "TLP:AMBER"})], until=40 * H)
    share = kinds(ex, "incident.share")[0]
    assert share["to"] == ["CSIRT-BE", "CSIRT-DE"], "sent to the exposed MS' CSIRTs"
    protected = {r["ms"]: r for r in kinds(ex, "incident.protected")}
    assert set(protected) == {"IE", "BE", "DE"}, "own MS at once, the others on delivery; nobody else"
    for ms in ("BE", "DE"):
        delivered = [r.t for r in kinds(ex, "inject.delivered") if r["actor"] == f"CSIRT-{ms}" and r["inject"].startswith("ioc:")]
        assert delivered and protected[ms].t >= delivered[0] > kinds(ex, "decision.effective")[0].t
    assert ex.incident.factor("DE") == pytest.approx(0.3) and ex.incident.factor("FR") == 1.0


def test_indicators_at_tlp_red_protect_no_other_member_state(tmp_path):
    ex = play(plan(tmp_path), [(2 * H, "nat", "D04", {"tlp": "TLP:RED"})], until=40 * H)
    assert kinds(ex, "incident.share")[0]["to"] == []
    assert {r["ms"] for r in kinds(ex, "incident.protected")} == {"IE"}


def test_sharing_late_hits_more_entities_than_sharing_early(tmp_path):
    p = plan(tmp_path)
    early = play(p, [(1 * H, "nat", "D04", {"tlp": "TLP:GREEN"})])
    late = play(p, [(120 * H, "nat", "D04", {"tlp": "TLP:GREEN"})])
    assert len(hit(late)) > len(hit(early))
    assert outcome(late.journal)["downtime_hours"] > outcome(early.journal)["downtime_hours"]


# ------------------------------------------------------------------ D02 isolation
def test_isolation_contains_at_once_at_a_service_cost(tmp_path):
    p = plan(tmp_path)
    ex = play(p, [(30, "ent", "D02", {})], until=60 * H)
    contained = [r for r in kinds(ex, "incident.contained") if r["cause"] == "D02"]
    assert contained and all(r["ms"] == "IE" for r in contained)
    costs = [r for r in kinds(ex, "incident.service") if r["cause"] == "D02"]
    assert costs and all(r["loss"] == 0.5 and r["ms"] == "IE" for r in costs), "unhit IE hospitals lose half their service"
    lifted = [r for r in kinds(ex, "incident.service") if "lifted" in r["cause"]]
    assert lifted and lifted[0].t - costs[0].t == 48 * H
    base = play(p, until=60 * H)
    assert len(hit(ex, "IE")) < len(hit(base, "IE")), "isolation stops the spread in IE"


# ------------------------------------------------------------------ D28 joint advisory
def test_joint_advisory_patches_part_of_the_exposure(tmp_path):
    """D28 takes effect days later (a consensus): a slower spread leaves it exposed entities to patch.

    Fewer hits is a claim about the course, not one seed: summed over three.
    """
    p = plan(tmp_path, initial={"exposure": "wide"}, model={
        "seeds": [{"at": "T+00:00", "ms": "IE", "sector": "health", "count": 1}],
        "spread": {"rate": 0.004, "contagion": 0.2, "until": "T+200:00"}})
    advised, base = 0, 0
    for seed in (1, 2, 3):
        ex = play(p, [(1, "eu", "D28", {})], seed=seed)
        patched = kinds(ex, "incident.patched")[0]
        assert 0 < patched["count"] < 24
        assert not set(patched["entities"]) & {r["entity"] for r in kinds(ex, "incident.compromised") if r.t >= patched.t}
        assert kinds(ex, "incident.protected")[0]["ms"] == "*"
        advised += len(hit(ex))
        base += len(hit(play(p, seed=seed)))
    assert advised < base


# ------------------------------------------------------------------ D09 Reserve, assistance
RESERVE = {"entities": "IE hospitals", "services": "recovery", "mitigation": "isolated"}


def test_approved_reserve_shortens_recovery_after_arrival(tmp_path):
    p = plan(tmp_path, initial={"impact": {"IE/health": "yellow"}}, model={"spread": {"rate": 0.0}})
    ex = play(p, [(1, "nat", "D09", RESERVE)])
    answered = kinds(ex, "reserve.answered")[0]
    requested = kinds(ex, "assistance.requested")[0]
    arrived = kinds(ex, "assistance.arrived")[0]
    assert requested.t >= answered.t and requested["ms"] == "IE" and requested["pool"] == "reserve-providers"
    assert arrived.t > requested.t and arrived["entities_helped"] == 2
    base = play(p)
    recovered = lambda e: {r["entity"]: r.t for r in kinds(e, "incident.recovered")}  # noqa: E731
    assert all(recovered(ex)[k] < recovered(base)[k] for k in recovered(base))


def test_assistance_is_finite_and_prioritised(tmp_path):
    p = plan(tmp_path, model={"spread": {"rate": 0.0}, "responders": [
        {"id": "reserve", "kind": "reserve", "teams": 1, "max_wait": "12h", "stay": "5d"}]},
        initial={"impact": {"IE/health": "red", "BE/health": "green"}})
    ex = Exercise(p, seed=1)
    ex.run(until=60)
    ex.incident.assistance.request("reserve", "BE", cause="test")
    ex.incident.assistance.request("reserve", "DE", cause="test")
    ex.run(until=30 * H)
    assigned = kinds(ex, "assistance.assigned")
    refused = kinds(ex, "assistance.refused")
    assert [r["ms"] for r in assigned] == ["BE"] and [r["ms"] for r in refused] == ["DE"]
    assert refused[0].t - 60 == 12 * H
    # two waiting at once: the worse-hit MS is served first whatever the order of asking
    ex = Exercise(p, seed=1)
    ex.run(until=60)
    pools = ex.incident.assistance
    pools.free["reserve"] = 0
    pools.request("reserve", "BE", cause="test")
    pools.request("reserve", "IE", cause="test")
    pools.free["reserve"] = 1
    pools._serve("reserve")
    assert kinds(ex, "assistance.assigned")[0]["ms"] == "IE"
    assert kinds(ex, "assistance.assigned")[0]["priority"]["colour"] == "yellow", "2 active hits: the model says yellow"


# ------------------------------------------------------------------ the spread
def test_the_spread_hits_with_the_declared_chance_per_tick(tmp_path):
    """Each exposed entity is hit on a tick with probability 1 - exp(-rate x tick): over 100 one-hour ticks,
    1 - exp(-0.5) = 0.39 of them (no contagion, no seed). One draw per entity decides it, at tick times only."""
    p = plan(tmp_path, model={"exposure": [{"ms": "DE", "sector": "health", "entities": 400}], "seeds": [],
                              "spread": {"rate": 0.005, "contagion": 0.0, "until": "T+100:00"}})
    hits = [r for seed in (1, 2) for r in kinds(play(p, seed=seed, until=150 * H), "incident.compromised")]
    assert all(r["cause"] == "spread" and r.t % H == 0 and 0 < r.t <= 100 * H for r in hits)
    assert abs(len(hits) / 800 - (1 - math.exp(-0.5))) < 0.05
    early = sum(1 for r in hits if r.t <= 50 * H)
    assert abs(early / 800 - (1 - math.exp(-0.25))) < 0.05


def test_the_spread_sleeps_with_no_one_exposed_and_a_reaction_exposing_more_restarts_it(tmp_path):
    model = {"exposure": [{"ms": "IE", "sector": "health", "entities": 2}],
             "seeds": [{"at": "T+00:00", "ms": "IE", "sector": "health", "count": 2}],
             "spread": {"rate": 0.05, "contagion": 0.0, "until": "T+200:00"},
             "adversary": {"name": "GL", "reactions": [
                 {"id": "move", "on": "contained", "share": 0.5, "lag": {"min": 1, "mode": 2, "max": 3},
                  "expose": [{"ms": "IE", "sector": "digital-infrastructure", "entities": 4}]}]}}
    ex = play(plan(tmp_path, model=model), until=30)
    assert len(hit(ex)) == 2 and ex.incident.spread.due is None, "both seeded, none exposed: no tick to come"
    ex.run()
    moved = kinds(ex, "adversary.reacted")[0]
    spread = [r for r in kinds(ex, "incident.compromised") if r["cause"] == "spread"]
    assert spread and {r["entity"] for r in spread} <= set(moved["exposed"])
    assert all(moved.t < r.t <= 200 * H and r.t % H == 0 for r in spread)


def test_a_spread_with_no_hazard_schedules_nothing(tmp_path):
    ex = play(plan(tmp_path, model={"spread": {"rate": 0.0}}), until=30)
    assert ex.incident.spread.due is None and kinds(ex, "incident.compromised"), "seeded, exposed, but no hazard"
    quiet = ex.steps
    ex.run(until=200 * H)
    assert not [r for r in kinds(ex, "incident.compromised") if r["cause"] == "spread"]
    assert ex.steps - quiet < 50, "not a tick an hour for 200 hours: the seeded entities' course and little else"


# ------------------------------------------------------------------ D14 / D29 public sphere
def _public(tmp_path, decisions, until=72 * H):
    p = plan(tmp_path, initial={"disinfo_reach": 0.3, "ipcr": "information_sharing"})
    return play(p, decisions, until=until).state


def test_coordinated_communication_lowers_disinformation_and_lifts_trust(tmp_path):
    base = _public(tmp_path, [])
    coordinated = _public(tmp_path, [(1 * H, "eu", "D14", {})])
    assert coordinated.disinfo_reach < base.disinfo_reach - 0.2
    assert coordinated.public_trust > base.public_trust


def test_contradictory_national_lines_raise_disinformation_and_cost_trust(tmp_path):
    base = _public(tmp_path, [])
    own = _public(tmp_path, [(1 * H, "nat", "D29", {}), (1 * H, "be", "D29", {})])
    assert own.disinfo_reach > base.disinfo_reach
    assert own.public_trust < base.public_trust and own.cohesion < base.cohesion


def test_a_national_line_after_the_coordinated_one_is_aligned(tmp_path):
    p = plan(tmp_path, initial={"disinfo_reach": 0.3, "ipcr": "information_sharing"})
    ex = play(p, [(1 * H, "eu", "D14", {}), (20 * H, "nat", "D29", {})], until=40 * H)
    assert [r["effect"] for r in kinds(ex, "public.line")] == ["communication", "aligned"]


BUSY = {"growth": 0.08, "decay": 0.01, "trust_loss": 0.02, "trust_recovery": 0.01}
"""Reach and trust both move: the sphere wakes every few hours."""
SLOW = {"growth": 0.02, "decay": 0.01, "trust_loss": 0.01}
"""Trust at 0 and reach creeping: the sphere sleeps half a day and more between its steps."""


@pytest.mark.parametrize("public, trust, decisions", [
    (BUSY, 0.0, [(90, "nat", "D29", {}), (20 * H + 17, "eu", "D14", {})]),
    (BUSY, 0.0, [(5 * H + 59, "eu", "D14", {}), (30 * H + 1, "nat", "D29", {})]),
    (SLOW, -0.7, [(4 * H + 17, "nat", "D29", {}), (40 * H + 30, "eu", "D14", {})]),
])
def test_the_public_sphere_wakes_for_lines_and_plays_the_hourly_course(tmp_path, monkeypatch, public, trust, decisions):
    """Lines taken between the hours change the course from their minute on, as the hourly process has it."""
    p = plan(tmp_path, initial={"disinfo_reach": 0.3, "public_trust": trust, "ipcr": "information_sharing"},
             model={"public": public})
    short = play(p, decisions, until=150 * H)
    monkeypatch.setattr(incident, "PublicSphereRun", HourlySphere)
    long = play(p, decisions, until=150 * H)
    assert course(short.journal) == course(long.journal)
    lines = kinds(short, "public.line")
    assert len(lines) == 2 and all(r.t % H for r in lines), "both lines take effect between two hours"
    assert long.steps - short.steps >= 75, "half the 150 hours or more are no engine event"


def test_an_inject_after_a_quiet_while_wakes_the_public_sphere(tmp_path, monkeypatch):
    """Nothing can move (trust at 0, reach neither growing nor decaying): the sphere sleeps; an inject
    that gives trust back wakes it, and the trust falls again, on the hourly course."""
    p = plan(tmp_path, initial={"disinfo_reach": 0.5, "public_trust": -0.7, "ipcr": "information_sharing"},
             model={"public": {"growth": 0.0, "decay": 0.0, "trust_loss": 0.01}},
             injects=[{"id": "RALLY", "at": "T+50:30", "from": "EXCON", "to": ["GOV-IE"], "title": "Trust rallies",
                       "effects": {"public_trust": 0.3}}])
    ex = play(p, until=40 * H)
    assert ex.incident.public._started and ex.incident.public._due is None, "asleep: nothing can move"
    ex.run(until=120 * H)
    sphere = [r for r in kinds(ex, "state.changed") if r["cause"] == "public sphere"]
    assert sphere and all(r.t > 50 * H + 30 and list(r["changes"]) == ["public_trust"] for r in sphere)
    assert sphere[0]["changes"]["public_trust"][0] == 0.3
    monkeypatch.setattr(incident, "PublicSphereRun", HourlySphere)
    assert course(ex.journal) == course(play(p, until=120 * H).journal)


def test_without_a_model_the_public_sphere_still_lives(tmp_path):
    p = plan(tmp_path, initial={"disinfo_reach": 0.3, "ipcr": "information_sharing"}, incident_model=None)
    base = play(p, until=72 * H)
    assert not kinds(base, "incident.started")
    assert base.state.disinfo_reach > 0.3, "disinformation grows on its own"
    coordinated = play(p, [(1 * H, "eu", "D14", {})], until=72 * H)
    assert coordinated.state.disinfo_reach < base.state.disinfo_reach


# ------------------------------------------------------------------ D25 / D23 tempo, the adversary
def test_law_enforcement_slows_the_adversary_after_a_lag(tmp_path):
    p = plan(tmp_path)
    ex = play(p, [(1 * H, "nat", "D25", {})])
    effective = [r for r in kinds(ex, "decision.effective") if r["decision"] == "D25"][0]
    tempo = kinds(ex, "incident.tempo")[0]
    assert tempo["cause"] == "D25" and tempo["to"] == 0.5 and tempo.t >= effective.t + 24 * H
    later = [r for r in kinds(ex, "incident.compromised") if r.t > tempo.t]
    assert all(r["tempo"] == 0.5 for r in later)


def test_adversary_publishes_when_the_ransom_is_refused_and_moves_when_contained(tmp_path):
    model = {"adversary": {"name": "GL", "reactions": [
        {"id": "leak", "on": "not_taken", "decision": "D03", "by": "T+60:00", "trust": -0.1, "disinfo": 0.2,
         "effects": {"flags": {"personal_data_breach": True}}},
        {"id": "move", "on": "contained", "share": 0.5, "lag": {"min": 1, "mode": 2, "max": 3}, "tempo": 1.5,
         "expose": [{"ms": "IE", "sector": "digital-infrastructure", "entities": 2}]},
    ]}}
    ex = play(plan(tmp_path, model=model), until=100 * H)
    reacted = {r["reaction"]: r for r in kinds(ex, "adversary.reacted")}
    assert reacted["leak"].t == 60 * H and ex.state.flags.get("personal_data_breach")
    assert reacted["move"]["exposed"] == ["IE-digital-infrastructure-001", "IE-digital-infrastructure-002"]
    assert reacted["move"]["tempo"] == [1.0, 1.5]
    paid = play(plan(tmp_path, model=model), [(1 * H, "nat", "D03", {})], until=100 * H)
    assert "leak" not in {r["reaction"] for r in kinds(paid, "adversary.reacted")}, "paid before the deadline: no leak"


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize("bad, words", [
    ({"exposure": []}, "exposure"),
    ({"exposure": [{"ms": "IE", "sector": "health", "entities": 1, "named": ["A", "B"]}]}, "named"),
    ({"adversary": {"reactions": [{"id": "x", "on": "taken"}]}}, "needs a decision"),
    ({"spread": {"rate": 2}}, "rate"),
])
def test_bad_models_are_refused_with_a_located_message(tmp_path, bad, words):
    from simulator.errors import InputError

    with pytest.raises(InputError) as err:
        plan(tmp_path, model=bad)
    text = str(err.value) + " ".join(str(p) for p in getattr(err.value, "problems", []))
    assert ".yaml:" in text and words in text, text


@pytest.mark.parametrize("bad, words", [
    ({"exposure": [{"ms": "XX", "sector": "health"}]}, "unknown Member State code 'XX'"),
    ({"exposure": [{"ms": "IE", "sector": "helth"}]}, "did you mean 'health'"),
    ({"exposure": [{"ms": "BE", "sector": "health", "named": ["HOSP-IE"]}]}, "'HOSP-IE' is in IE, not BE"),
    ({"exposure": [{"ms": "IE", "sector": "health", "named": ["CSIRT-IE"]}]}, "not an entity"),
    ({"seeds": [{"at": "T+1h", "ms": "FR", "sector": "health"}]}, "no exposure of FR/health"),
    ({"adversary": {"reactions": [{"id": "x", "on": "taken", "decision": "D99"}]}}, "unknown decision 'D99'"),
    ({"adversary": {"reactions": [{"id": "x", "on": "not_taken", "decision": "D03", "by": "T+90d"}]}}, "after the end of the scenario"),
])
def test_model_references_are_checked_with_a_location(tmp_path, bad, words):
    from simulator.errors import InputError

    with pytest.raises(InputError) as err:
        plan(tmp_path, model=bad)
    text = str(err.value) + " ".join(str(p) for p in getattr(err.value, "problems", []))
    assert ".yaml:" in text and words in text, text
