"""Decision preconditions, each family both ways, and the desk's other refusals.

tests/data/engine/desk.yaml gives teams for every kind of actor the catalogue
names; each test sets the scenario's initial state to what a precondition
needs, or to one notch short of it, and submits through the engine.
A refusal must name the failing condition and the values it read.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest
import yaml

from simulator.engine.exercise import Exercise
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "desk.yaml"
BASE = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))

RED_IE = {"IE/health": "red"}  # ECCS 3
TWO_MS = {"IE/health": "yellow", "BE/health": "yellow"}  # ECCS 4
RESERVE = {"entities": "HOSP-IE", "services": "forensics and recovery", "mitigation": "systems isolated"}
SANCTIONS = {"proposer": "IE", "targets": "GRAVE LOTUS leaders", "evidence_package": True}


def exercise(tmp_path: Path, seed: int = 1, **initial) -> Exercise:
    data = copy.deepcopy(BASE)
    data["initial"] = initial
    text = yaml.safe_dump(data, sort_keys=False)
    path = tmp_path / f"desk-{hashlib.sha256(text.encode()).hexdigest()[:12]}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path, library_dirs=[])  # no templates: independent of the bundled library
    return Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=seed)


def effective_at(ex: Exercise, decision: str) -> list[int]:
    return [r.t for r in ex.journal.of_kind("decision.effective") if r["decision"] == decision]


def run_until_effective(ex: Exercise, decision: str) -> None:
    while not effective_at(ex, decision) and not ex.ended:
        ex.step()
    assert effective_at(ex, decision), f"{decision} never took effect"


# ------------------------------------------------------------------ severity thresholds
def test_d06_refused_below_eccs_3_with_the_condition_and_value(tmp_path):
    ex = exercise(tmp_path, impact={"IE/health": "yellow"})
    assert ex.severity.level == 2
    out = ex.submit("nat", decision="D06", rationale="inform CyCLONe")
    assert not out.accepted
    assert "eccs >= 3 is false (eccs = 2)" in out.reason
    refused = ex.journal.of_kind("decision.refused")[-1]
    assert (refused["team"], refused["decision"], refused["reason"]) == ("nat", "D06", out.reason)
    assert refused["reads"] == {"eccs": 2}
    assert not ex.journal.of_kind("decision.accepted")


def test_d06_allowed_at_eccs_3_and_informs_cyclone(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    check = ex.desk.check("nat", "D06")
    assert check.ok and check.reads == {"eccs": 3}
    assert ex.submit("nat", decision="D06", rationale="ECCS 3: inform CyCLONe").accepted
    accepted = ex.journal.of_kind("decision.accepted")[-1]
    assert (accepted["decision"], accepted["reads"]) == ("D06", {"eccs": 3})
    run_until_effective(ex, "D06")
    assert ex.state.cyclone == "informed"


def test_d07_needs_eccs_4(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, cyclone="informed")
    out = ex.submit("eu", decision="D07", rationale="activate executives")
    assert not out.accepted
    assert "eccs >= 4 is false (eccs = 3)" in out.reason
    assert "cyclone" not in out.reason  # the CyCLONe condition holds and is not blamed


def test_d07_needs_a_large_scale_incident(tmp_path):
    ex = exercise(tmp_path, impact={"IE/health": "red"})
    assert ex.severity.level < 4
    out = ex.submit("eu", decision="D07", rationale="activate executives")
    assert not out.accepted
    assert "eccs >= 4 is false" in out.reason
    assert "large-scale" in out.reason
    assert ex.journal.of_kind("decision.refused")[-1]["reads"]["eccs"] == ex.severity.level


def test_d07_allowed_at_eccs_4_once_cyclone_is_informed(tmp_path):
    ex = exercise(tmp_path, impact=TWO_MS, cyclone="informed")
    assert ex.submit("eu", decision="D07", rationale="large-scale: activate executives").accepted
    run_until_effective(ex, "D07")
    assert ex.state.cyclone == "executives"


# ------------------------------------------------------------------ attribution before naming a State
def test_d20_naming_a_state_refused_without_any_attribution(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, state_actor=True, confidence="moderate")
    out = ex.submit("eu", decision="D20", params={"names_state": True}, rationale="name the State")
    assert not out.accepted
    assert "attributing_ms >= 1 is false (attributing_ms = 0)" in out.reason
    assert "partner_attribution is false" in out.reason
    assert ex.journal.of_kind("decision.refused")[-1]["reads"]["params.names_state"] is True


def test_d20_without_naming_a_state_needs_no_attribution(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, state_actor=True, confidence="moderate")
    assert ex.desk.check("eu", "D20", {"names_state": False}).ok


def test_d20_naming_a_state_allowed_after_a_national_attribution(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, state_actor=True, confidence="moderate")
    assert ex.submit("nat", decision="D17", params={"ms": "IE"}, rationale="our services are confident").accepted
    run_until_effective(ex, "D17")
    assert ex.state.attributed_by == {"IE"} and ex.state.attribution == "attributed"
    check = ex.desk.check("eu", "D20", {"names_state": True})
    assert check.ok, check.reason
    assert check.reads["attributing_ms"] == 1


def test_d17_needs_moderate_confidence(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, confidence="low")
    out = ex.submit("nat", decision="D17", params={"ms": "IE"}, rationale="attribute")
    assert not out.accepted
    assert "confidence >= 'moderate' is false (confidence = low)" in out.reason


# ------------------------------------------------------------------ sanctions
def test_d23_refused_without_proposer_targets_or_evidence_package(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, evidence=0.6)
    out = ex.submit("eu", decision="D23", rationale="list them")
    assert not out.accepted
    for name in ("proposer", "targets"):
        assert f"parameter {name!r} is required" in out.reason
    assert "params.proposer != '' is false" in out.reason
    # a yes/no parameter defaults to no: the precondition names the missing package
    assert "params.evidence_package is false — an evidence package is required" in out.reason
    assert "evidence >= 0.5" not in out.reason  # the evidence itself is strong enough


def test_d23_refused_with_evidence_just_below_half(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, evidence=0.49)
    out = ex.submit("eu", decision="D23", params=SANCTIONS, rationale="list them")
    assert not out.accepted
    assert "evidence >= 0.5 is false (evidence = 0.49)" in out.reason
    assert "parameter" not in out.reason


def test_d23_evidence_package_must_be_true_not_just_present(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, evidence=0.8)
    out = ex.submit("eu", decision="D23", params={**SANCTIONS, "evidence_package": False}, rationale="list them")
    assert not out.accepted
    assert out.reason.startswith("params.evidence_package is false")


def test_d23_allowed_with_proposer_targets_package_and_evidence_of_half(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, evidence=0.5)
    check = ex.desk.check("eu", "D23", SANCTIONS)
    assert check.ok, check.reason
    assert check.reads["evidence"] == 0.5
    assert ex.submit("eu", decision="D23", params=SANCTIONS, rationale="list them").accepted


# ------------------------------------------------------------------ Art. 222
def test_d15_refused_without_capacity_exceeded(tmp_path):
    ex = exercise(tmp_path, impact=TWO_MS)
    out = ex.submit("nat", decision="D15", params={"ms": "IE"}, rationale="we are overwhelmed")
    assert not out.accepted
    assert "capacity_exceeded >= 1 is false (capacity_exceeded = 0)" in out.reason


def test_d15_invokes_art_222_and_puts_ipcr_in_full_mode_at_once(tmp_path):
    ex = exercise(tmp_path, capacity_exceeded=["IE"])
    assert ex.severity.level == 4 and ex.state.ipcr == "monitoring"
    assert ex.submit("nat", decision="D15", params={"ms": "IE"}, rationale="our capacities are overwhelmed").accepted
    run_until_effective(ex, "D15")
    assert ex.state.art222 is True
    assert ex.state.ipcr == "full"
    change = [r for r in ex.journal.of_kind("state.changed") if r["cause"] == "D15"]
    assert change[0]["changes"]["ipcr"] == ["monitoring", "full"]  # no information-sharing step in between
    assert not effective_at(ex, "D11") and not effective_at(ex, "D12")


# ------------------------------------------------------------------ the Reserve
def test_d09_refused_naming_every_missing_part_of_the_request(tmp_path):
    ex = exercise(tmp_path, capacity_exceeded=["IE"])
    out = ex.submit("nat", decision="D09", rationale="we need help")
    assert not out.accepted
    for name in ("entities", "services", "mitigation"):
        assert f"parameter {name!r} is required" in out.reason
    partial = ex.submit("nat", decision="D09", params={"entities": "HOSP-IE"}, rationale="we need help")
    assert not partial.accepted
    assert "'entities'" not in partial.reason
    assert "parameter 'services' is required" in partial.reason and "parameter 'mitigation' is required" in partial.reason
    assert not ex.state.reserve_requested


def test_d09_complete_request_is_accepted_and_answered_within_48_hours(tmp_path):
    ex = exercise(tmp_path, capacity_exceeded=["IE"])
    assert ex.submit("nat", decision="D09", params=RESERVE, rationale="we need help").accepted
    ex.run(until=49 * 60)
    assert ex.state.reserve_requested
    assert [r["clock"] for r in ex.journal.of_kind("clock.met")] == ["reserve_answer:COMMISSION"]
    assert not ex.journal.of_kind("clock.missed")


def test_d09_needs_a_significant_incident(tmp_path):
    ex = exercise(tmp_path, impact={"IE/health": "green"})
    out = ex.submit("nat", decision="D09", params=RESERVE, rationale="just in case")
    assert not out.accepted and "eccs >= 2 is false (eccs = 1)" in out.reason


# ------------------------------------------------------------------ who, why, and when
def test_team_playing_no_actor_of_the_right_kind_is_refused(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    out = ex.submit("ent", decision="D06", rationale="the hospital wants CyCLONe")
    assert not out.accepted
    kinds = ", ".join(ex.plan.catalogue["D06"].by)  # csirts_network, ccma, csirt ...
    assert f"team ent plays no actor that may take D06 ({kinds})" in out.reason


def test_facilitator_may_not_act_for_an_actor_a_team_plays(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    check = ex.desk.check("excon", "D06")  # CSIRT-IE and CCMA-IE are played by nat
    assert not check.ok
    assert check.reasons == (f"team excon plays no actor that may take D06 ({', '.join(ex.plan.catalogue['D06'].by)})",)


def test_facilitator_may_act_for_an_actor_nobody_plays(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE, threat_severity="high")
    check = ex.desk.check("excon", "D28")  # CSIRTs Network, CERT-EU, ENISA: nobody plays them
    assert check.ok, check.reason


def test_rationale_is_required(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    for rationale in ("", "   "):
        out = ex.submit("nat", decision="D06", rationale=rationale)
        assert not out.accepted and out.reason == "a rationale is required"
    assert len(ex.journal.of_kind("decision.refused")) == 2
    assert len(ex.journal.of_kind("decision.submitted")) == 2  # the attempt itself is journalled
    assert not ex.journal.of_kind("decision.accepted")


def test_unknown_team_and_decision_are_refused(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    assert ex.submit("nobody", decision="D06", rationale="x").reason == "unknown team 'nobody'"
    assert "unknown decision 'D99'" in ex.submit("nat", decision="D99", rationale="x").reason


def test_non_repeatable_decision_refused_while_under_way_then_once_effective(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    assert ex.submit("nat", decision="D06", rationale="inform CyCLONe").accepted
    again = ex.submit("nat", decision="D06", rationale="again")
    assert not again.accepted
    assert again.reason == "D06 is already under way (accepted at T+00:00)"
    run_until_effective(ex, "D06")
    when = effective_at(ex, "D06")[0]
    later = ex.submit("nat", decision="D06", rationale="and again")
    assert not later.accepted
    assert later.reason.startswith(f"D06 already took effect at T+{when // 60:02d}:{when % 60:02d}")


def test_repeatable_decision_may_be_taken_twice(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    assert ex.submit("nat", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="share").accepted
    assert ex.submit("nat", decision="D04", params={"tlp": "TLP:GREEN"}, rationale="share more").accepted
    assert len(ex.journal.of_kind("decision.accepted")) == 2


def test_sharing_as_tlp_clear_is_recorded_as_a_breach(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    assert ex.submit("nat", decision="D04", params={"tlp": "TLP:CLEAR"}, rationale="publish").accepted
    run_until_effective(ex, "D04")
    breach = ex.journal.of_kind("tlp.breach")
    assert [(r["team"], r["shared_as"]) for r in breach] == [("nat", "TLP:CLEAR")]


@pytest.mark.parametrize("label", ["TLP:WHITE", "amber strict", "clear"])
def test_a_label_tlp_2_0_does_not_have_is_refused_not_shared(tmp_path, label):
    """TLP 2.0 has four labels and AMBER+STRICT (domain.md §8): an unknown one would never count as a breach."""
    ex = exercise(tmp_path, impact=RED_IE)
    out = ex.submit("nat", decision="D04", params={"tlp": label}, rationale="share")
    assert not out.accepted and "parameter 'tlp' must be one of TLP:CLEAR, TLP:GREEN, TLP:AMBER" in out.reason


def test_check_reads_state_and_never_changes_it(tmp_path):
    ex = exercise(tmp_path, impact=RED_IE)
    before = (len(ex.journal), ex.state.snapshot())
    for decision in ("D06", "D07", "D15", "D20", "D23"):
        ex.desk.check("nat", decision)
        ex.desk.check("eu", decision)
    assert (len(ex.journal), ex.state.snapshot()) == before
