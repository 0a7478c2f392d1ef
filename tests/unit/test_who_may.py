"""The who-may rules (simulator/decisions/who_may.py): each refuses in the words docs/decisions.md gives it.

The rules' behaviour in a running exercise is tested in tests/unit/test_procedure.py;
here each rule is held to its own ``refusal`` phrase and its citations to the
known instruments.
"""

from __future__ import annotations

import pytest

from simulator.decisions.who_may import RULES, Asking, refusals, rules_for
from simulator.scenario.catalogue import bundled
from simulator.scenario.instruments import citation_problems


def asking(decision: str, params: dict, *, team="be", own_ms="BE", facilitator=False, capacity=(), asked=None):
    actors = {"HOSP-IE": ("entity", "ie"), "SIM-HOSP": ("entity", None), "CSIRT-IE": ("csirt", "ie")}
    return Asking(team=team, decision=decision, params=params, own_ms=own_ms, facilitator=facilitator,
                  capacity_exceeded=set(capacity), reserve_asked=asked or {},
                  entity_kind=lambda a: actors[a][0] if a in actors else None,
                  entity_team=lambda a: actors[a][1] if a in actors else None)


REFUSED = {
    ("D01",): asking("D01", {"entity": "HOSP-IE"}),
    ("D15", "D16", "D17"): asking("D17", {"ms": "IE"}),
    ("D15",): asking("D15", {"ms": "BE"}),
    ("D23",): asking("D23", {"proposer": "ENISA"}),
    ("D09",): asking("D09", {}, asked={"BE": 26 * 60 + 10}),
}
"""A submission each rule refuses, by the rule's decisions."""


@pytest.mark.parametrize("rule", RULES, ids=lambda r: "+".join(r.decisions))
def test_each_rule_refuses_in_its_documented_words(rule):
    reasons = refusals(REFUSED[rule.decisions])
    assert len(reasons) == 1 and rule.refusal in reasons[0], reasons


def test_every_rule_has_an_example_here():
    assert sorted(REFUSED) == sorted(r.decisions for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: "+".join(r.decisions))
def test_each_rule_documents_who_what_it_reads_and_its_basis_in_known_instruments(rule):
    assert rule.who and rule.reads and rule.basis.startswith("domain.md §")
    assert citation_problems(rule.basis) == []
    assert citation_problems(refusals(REFUSED[rule.decisions])[0]) == []  # the refusal reaches the journal
    catalogue = {d.id for d in bundled()}
    assert set(rule.decisions) <= catalogue


def test_the_rules_let_the_right_team_through():
    assert refusals(asking("D17", {"ms": "BE"})) == []
    assert refusals(asking("D15", {"ms": "BE"}, capacity={"BE"})) == []
    assert refusals(asking("D23", {"proposer": "HR"})) == [] and refusals(asking("D23", {"proposer": "IE"})) == []
    assert refusals(asking("D09", {}, asked={"IE": 60})) == []
    assert refusals(asking("D01", {"entity": "HOSP-IE"}, team="ie", own_ms="IE")) == []


def test_exercise_control_stands_in_except_for_an_entity_a_team_plays():
    assert refusals(asking("D15", {"ms": "IE"}, team="excon", own_ms=None, facilitator=True)) == []
    assert refusals(asking("D01", {"entity": "SIM-HOSP"}, team="excon", own_ms=None, facilitator=True)) == []
    only_ie = refusals(asking("D01", {"entity": "HOSP-IE"}, team="excon", own_ms=None, facilitator=True))
    assert only_ie == ["team excon does not play HOSP-IE; only ie may file its reports"]
    assert refusals(asking("D01", {"entity": "CSIRT-IE"}, team="ie")) == ["'CSIRT-IE' is not an entity of this scenario"]


def test_own_member_state_comes_before_capacity_for_art_222():
    reasons = refusals(asking("D15", {"ms": "IE"}))
    assert reasons == ["only IE's own government may invoke Art. 222 TFEU for IE; team be plays BE"]
    assert [r.decisions for r in rules_for("D15")] == [("D15", "D16", "D17"), ("D15",)]
