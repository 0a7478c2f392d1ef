"""Who may take a decision beyond the actor kinds in its ``by``: an entity's own reports, a Member State's own acts.

The desk refuses a submission with these rules' reasons
(:meth:`~simulator.decisions.desk.DecisionDesk.check`), and docs/decisions.md
lists them from :data:`RULES` (tests/unit/decisions_doc.py), so a rule and
what the documentation says of it cannot part. Each names its basis in
domain.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.scenario.model import EU_MEMBER_STATES
from simulator.timefmt import format_time


@dataclass(frozen=True)
class Asking:
    """What the rules read about one submission: who asks, what it says, and what the exercise holds."""

    team: str
    decision: str
    params: Mapping[str, Any]
    """The submission's parameters, defaults filled in."""
    own_ms: str | None
    """The Member State the team plays (its first played actor with one)."""
    facilitator: bool
    capacity_exceeded: Collection[str]
    """Member States whose response capacity is exceeded: the exercise state, not the team's picture."""
    reserve_asked: Mapping[str, int]
    """Member State (or team without one) -> minute it requested the Reserve."""
    entity_kind: Callable[[str], str | None]
    """An actor's kind, or None when the scenario has no such actor."""
    entity_team: Callable[[str], str | None]
    """The team that plays an actor, or None when nobody plays it."""


@dataclass(frozen=True)
class Rule:
    """One who-may rule: the decisions it binds, what docs/decisions.md says of it, and its check."""

    decisions: tuple[str, ...]
    who: str
    """Who may take them, in words."""
    refusal: str
    """Words every refusal by this rule contains (tests/unit/test_who_may.py holds them to it)."""
    reads: str
    """What the rule reads, beyond the preconditions."""
    basis: str
    """domain.md sections and instrument."""
    check: Callable[[Asking], str | None]
    binds_facilitator: bool = False
    """Exercise control stands in for unplayed actors; most rules do not bind it."""


_ACTS = {"D15": "invoke Art. 222 TFEU", "D16": "invoke Art. 42(7) TEU", "D17": "attribute nationally"}


def _own_member_state(a: Asking) -> str | None:
    ms = str(a.params.get("ms") or "")
    if ms and ms != a.own_ms:
        return f"only {ms}'s own government may {_ACTS[a.decision]} for {ms}; team {a.team} plays {a.own_ms or 'no Member State'}"
    return None


def _capacity_overwhelmed(a: Asking) -> str | None:
    ms = str(a.params.get("ms") or "")
    if ms and ms not in a.capacity_exceeded:
        return (f"the response capacity of {ms} is not exceeded: Art. 222 TFEU is invoked by a Member State whose own "
                "capacities are overwhelmed (Decision 2014/415/EU)")
    return None


def _proposer(a: Asking) -> str | None:
    proposer = str(a.params.get("proposer") or "")
    if proposer and proposer not in EU_MEMBER_STATES and proposer != "HR":
        return (f"parameter 'proposer' must be a Member State code or HR, not {proposer!r}: a listing is "
                "proposed by a Member State or the High Representative (Decision 2019/797)")
    return None


def _one_reserve_request(a: Asking) -> str | None:
    asked = a.reserve_asked.get(a.own_ms or a.team)
    if asked is not None:
        return (f"{a.own_ms or a.team} already requested the Reserve at {format_time(asked)}: one request per Member "
                "State and incident gets one answer (Regulation (EU) 2025/38)")
    return None


def _reporting_entity(a: Asking) -> str | None:
    entity = str(a.params.get("entity") or "")
    if not entity:
        return None
    if a.entity_kind(entity) not in ("entity", "union_entity"):
        return f"{entity!r} is not an entity of this scenario"
    owner = a.entity_team(entity)
    if owner == a.team or (owner is None and a.facilitator):
        return None
    return f"team {a.team} does not play {entity}; only {owner or 'the facilitator'} may file its reports"


RULES: tuple[Rule, ...] = (
    Rule(("D01",), who="the team that plays the reporting entity (`entity`); exercise control for an entity nobody plays",
         refusal="may file its reports", reads="`params.entity` and who plays it",
         basis="domain.md §4.1, §4.2 (the entity reports to its CSIRT or competent authority)",
         check=_reporting_entity, binds_facilitator=True),
    Rule(("D15", "D16", "D17"), who="only the government of the Member State named in `ms`: the team's own",
         refusal="own government may", reads="`params.ms` and the team's Member State",
         basis="domain.md §6 (Art. 222 TFEU and Art. 42(7) TEU: the Member State concerned invokes them), §5.4 "
               "(attribution is each Member State's sovereign decision)",
         check=_own_member_state),
    Rule(("D15",), who="and only while that Member State's own response capacity is exceeded",
         refusal="is not exceeded", reads="`capacity_exceeded` of the exercise state (not the picture)",
         basis="domain.md §6 (Council Decision 2014/415/EU: a Member State that considers its response capacities "
               "overwhelmed)",
         check=_capacity_overwhelmed),
    Rule(("D23",), who="proposed by a Member State or the HR: `proposer` is a Member State code or `HR`",
         refusal="must be a Member State code or HR", reads="`params.proposer`",
         basis="domain.md §5.6 (Council Decision (CFSP) 2019/797; the proposal wording [GK-unverified])",
         check=_proposer),
    Rule(("D09",), who="once per Member State and incident (a team with no Member State: once per team)",
         refusal="already requested the Reserve", reads="the Reserve requests accepted so far",
         basis="domain.md §1.6 (Regulation (EU) 2025/38: the Commission answers a request within 48 h); one request "
               "per Member State is the project's rule",
         check=_one_reserve_request),
)
"""Every who-may rule, in the order the desk applies them."""


def refusals(asking: Asking) -> list[str]:
    """Why ``asking.team`` may not take ``asking.decision`` beyond its actor kinds: the first rule that refuses."""
    for rule in RULES:
        if asking.decision in rule.decisions and (rule.binds_facilitator or not asking.facilitator):
            problem = rule.check(asking)
            if problem:
                return [problem]
    return []


def rules_for(decision: str) -> tuple[Rule, ...]:
    """The rules that bind ``decision``, in order."""
    return tuple(r for r in RULES if decision in r.decisions)
