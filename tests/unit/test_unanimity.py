"""Unanimity rounds: seeded votes, the delay between rounds, the downgrade.

tests/data/engine/council.yaml: Hungary blocks any declaration (stance -1,
evidence threshold 1, k = 50, so its chance to agree is about e^-100); the
other Member States have no stance and agree.
"""

from __future__ import annotations

import copy
import hashlib
import math
from pathlib import Path

import yaml

from simulator.decisions.desk import PREPARATION
from simulator.engine.exercise import Exercise
from simulator.engine.rng import Streams
from simulator.scenario.loader import load
from simulator.scenario.model import EU_MEMBER_STATES, Delay
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "council.yaml"
BASE = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
ROUND_DELAY = Delay(min=24, mode=48, max=72)  # D20's voting.round_delay
D19_DELAY = Delay(min=6, mode=24, max=96)
D20_DELAY = Delay(min=24, mode=240, max=2000)


def exercise(tmp_path: Path, seed: int = 1, council: dict | None = None, **initial) -> Exercise:
    data = copy.deepcopy(BASE)
    if council is not None:
        data["council"] = council
    data["initial"].update(initial)
    text = yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / f"council-{hashlib.sha256(text.encode()).hexdigest()[:12]}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path, library_dirs=[])  # no templates: independent of the bundled library
    return Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=seed)


def declare(ex: Exercise, at: int = 60) -> None:
    ex.run(until=at)
    out = ex.submit("eu", decision="D20", params={"names_state": False}, rationale="the EU must speak with one voice")
    assert out.accepted, out.reason
    ex.run()


def rounds(ex: Exercise) -> list:
    return ex.journal.of_kind("vote.round")


def test_one_blocking_member_state_forces_three_rounds_then_the_downgrade(tmp_path):
    seed = 2
    ex = exercise(tmp_path, seed)
    declare(ex, at=60)
    streams = Streams(seed)
    prep = streams.minutes("prepare:D20", PREPARATION)  # HWPCI / COREPER prepare the text first (issue 14)
    gap1 = streams.minutes("vote-delay:D20", ROUND_DELAY)
    gap2 = streams.minutes("vote-delay:D20", ROUND_DELAY)
    votes = rounds(ex)
    assert 24 * 60 <= prep <= 168 * 60
    assert [(r.t, r["round"], r["of"], r["result"], r["blockers"]) for r in votes] == [
        (60 + prep, 1, 3, "blocked", ["HU"]),
        (60 + prep + gap1, 2, 3, "blocked", ["HU"]),
        (60 + prep + gap1 + gap2, 3, 3, "blocked", ["HU"]),
    ]
    assert 24 * 60 <= gap1 <= 72 * 60 and 24 * 60 <= gap2 <= 72 * 60
    hu = votes[0]["votes"]["HU"]
    assert hu["agree"] is False and hu["reason"] == "will not sign any text that names a State" and hu["p"] == 0.0
    assert set(votes[0]["votes"]) == set(EU_MEMBER_STATES)
    assert all(v == {"agree": True, "p": 1.0, "reason": "no reservations"}
               for ms, v in votes[0]["votes"].items() if ms != "HU")

    downgraded = ex.journal.of_kind("decision.downgraded")
    last_round = 60 + prep + gap1 + gap2
    assert [(r.t, r["decision"], r["to"], r["reason"]) for r in downgraded] == [
        (last_round, "D20", "D19", "no unanimity after 3 rounds")]
    effective = ex.journal.of_kind("decision.effective")
    assert [(r.t, r["decision"]) for r in effective] == [
        (last_round + streams.minutes("decision:D19", D19_DELAY), "D19")]
    assert ex.desk.taken("D19") and not ex.desk.taken("D20") and not ex.desk.under_way("D20")
    # the journal tells the story in this order
    kinds = [r.kind for r in ex.journal if r.kind in ("decision.accepted", "vote.round", "decision.downgraded", "decision.effective")]
    assert kinds == ["decision.accepted", "vote.round", "vote.round", "vote.round", "decision.downgraded", "decision.effective"]


def test_without_reservations_the_declaration_passes_in_the_first_round(tmp_path):
    seed = 4
    ex = exercise(tmp_path, seed, council={"stances": {}})
    declare(ex, at=60)
    prep = Streams(seed).minutes("prepare:D20", PREPARATION)
    assert [(r.t, r["round"], r["result"], r["blockers"]) for r in rounds(ex)] == [(60 + prep, 1, "agreed", [])]
    assert not ex.journal.of_kind("decision.downgraded", "decision.failed")
    assert [(r.t, r["decision"]) for r in ex.journal.of_kind("decision.effective")] == [
        (max(60 + Streams(seed).minutes("decision:D20", D20_DELAY), 60 + prep), "D20")]


COIN_TOSS = {"k": 4, "default_stance": {"stance": 0, "evidence_threshold": 0, "reason": "undecided"}}
"""Every Member State agrees with probability 1/2 (score 0 at evidence 0, cohesion 0.6)."""


def test_same_seed_gives_the_same_votes(tmp_path):
    a, b = exercise(tmp_path, 7, council=COIN_TOSS), exercise(tmp_path, 7, council=COIN_TOSS)
    declare(a)
    declare(b)
    assert rounds(a) and [r.as_dict() for r in rounds(a)] == [r.as_dict() for r in rounds(b)]
    assert all(v["p"] == 0.5 for v in rounds(a)[0]["votes"].values())


def test_different_seeds_give_different_votes(tmp_path):
    patterns = set()
    for seed in range(1, 6):
        ex = exercise(tmp_path, seed, council=COIN_TOSS)
        declare(ex)
        patterns.add(tuple(tuple(r["blockers"]) for r in rounds(ex)))
    assert len(patterns) > 1


def test_agreement_probability_follows_evidence_and_stance(tmp_path):
    council = {"k": 4, "stances": {"HU": {"stance": -0.2, "evidence_threshold": 0.6, "reason": "wants evidence"}}}
    for evidence in (0.0, 0.9):
        ex = exercise(tmp_path, 1, council=council, evidence=evidence)
        declare(ex)
        first = rounds(ex)[0]
        assert first["cohesion"] == 0.6  # at the vote, before the declaration's own effect
        expected = 1 / (1 + math.exp(-4 * (evidence - 0.6 - 0.2 + (0.6 - 0.6))))
        assert first["votes"]["HU"]["p"] == round(expected, 3)
        assert first["evidence"] == evidence


def test_unanimity_without_a_downgrade_fails(tmp_path):
    seed = 3
    ex = exercise(tmp_path, seed, evidence=0.7)
    ex.run(until=60)
    out = ex.submit("eu", decision="D23", rationale="list the group",
                    params={"proposer": "HR", "targets": "the unit's officers", "evidence_package": True})
    assert out.accepted, out.reason
    ex.run()
    assert [r["result"] for r in rounds(ex)] == ["blocked"] * 3
    failed = ex.journal.of_kind("decision.failed")
    assert [(r["decision"], r["reason"]) for r in failed] == [("D23", "no unanimity after 3 rounds")]
    assert failed[0].t == rounds(ex)[-1].t
    assert not ex.journal.of_kind("decision.effective", "decision.downgraded")


def test_a_text_naming_a_state_falls_back_to_one_that_does_not(tmp_path):
    """Hungary backs a statement but will not name a State: the Presidency drops the name."""
    seed = 5
    council = {"k": 50, "stances": {"HU": {"stance": 1, "evidence_threshold": 0, "topics": {"attribution": -1},
                                           "reason": "will not name a State"}}}
    ex = exercise(tmp_path, seed, council=council, attributed_by=["IE"])
    ex.run(until=60)
    out = ex.submit("eu", decision="D20", params={"names_state": True}, rationale="name them")
    assert out.accepted, out.reason
    ex.run()
    votes = rounds(ex)
    assert [(r["topic"], r["result"]) for r in votes] == [("attribution", "blocked")] * 3 + [("statement", "agreed")]
    downgraded = ex.journal.of_kind("decision.downgraded")
    assert [(r.t, r["decision"], r["to"]) for r in downgraded] == [(votes[2].t, "D20", "D20")]
    assert "without naming a State" in downgraded[0]["name"]
    assert votes[3].t == votes[2].t  # the weaker text is voted on at once
    effective = ex.journal.of_kind("decision.effective")
    assert [(r["decision"], r["params"]["names_state"]) for r in effective] == [("D20", False)]
    # the delay runs from acceptance; the rounds are part of it
    streams = Streams(seed)
    prep = streams.minutes("prepare:D20", PREPARATION)
    gaps = [streams.minutes("vote-delay:D20", ROUND_DELAY) for _ in range(2)]
    assert votes[2].t == 60 + prep + sum(gaps)
    assert effective[0].t == max(60 + streams.minutes("decision:D20", D20_DELAY), votes[3].t)
