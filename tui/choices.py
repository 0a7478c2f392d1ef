"""What a team can decide now: open decision-point options and catalogue decisions.

Each choice carries the engine's own verdict (``ex.desk.check``), so the UI
shows exactly the preconditions the engine will apply, met or unmet and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.decisions.desk import Check
from simulator.engine.exercise import Exercise
from tui.journal_view import JournalView


@dataclass(frozen=True)
class Choice:
    """One thing a team may submit."""

    key: str
    """Row key: ``P:<point>:<option>`` or ``D:<decision id>``."""
    team: str
    label: str
    decision: str | None
    point: str | None = None
    option: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    deadline: int | None = None
    check: Check | None = None
    """The engine's check of the catalogue decision behind it (None: nothing to check)."""

    @property
    def ready(self) -> bool:
        return self.check is None or self.check.ok


@dataclass(frozen=True)
class Submission:
    """A decision a person asked for, with its rationale (what the decision modal returns)."""

    team: str
    rationale: str
    decision: str | None = None
    point: str | None = None
    option: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def submit(self, ex: Exercise):
        """Hand it to the engine; returns the engine's Outcome."""
        if self.point is not None:
            return ex.submit(self.team, point=self.point, option=self.option, rationale=self.rationale,
                             params=self.params)
        return ex.submit(self.team, decision=self.decision, rationale=self.rationale, params=self.params)


def choices_for(ex: Exercise, view: JournalView, team: str) -> list[Choice]:
    """Open points' options first (most urgent first), then every catalogue decision the team may take."""
    out: list[Choice] = []
    for p in sorted(view.open_points(team), key=lambda p: p.deadline):
        for opt in p.options:
            decision = opt.get("decision")
            dp = ex.plan.points.get(p.point)
            params = {}
            if dp is not None:
                params = next((dict(o.params) for o in dp.options if o.id == opt["id"]), {})
            check = None
            if decision and not already(ex, decision):
                check = ex.desk.check(team, decision, params)
            out.append(Choice(f"P:{p.point}:{opt['id']}", team, opt["label"], decision, p.point, opt["id"],
                              params, p.deadline, check))
    for ident, d in ex.plan.catalogue.items():
        if ex.plan.may_take(team, d):
            out.append(Choice(f"D:{ident}", team, d.name, ident, check=ex.desk.check(team, ident, {})))
    return out


def check_with(ex: Exercise, choice: Choice, params: dict[str, Any]) -> Check | None:
    """The engine's verdict for a choice with the parameters typed so far."""
    if choice.decision is None:
        return None
    if choice.point is not None:
        if already(ex, choice.decision):
            return None  # the engine closes the point without taking the step twice
        return ex.desk.check(choice.team, choice.decision, {**choice.params, **params})
    return ex.desk.check(choice.team, choice.decision, params)


def already(ex: Exercise, decision: str) -> bool:
    """A one-off step already taken or under way: a point's option naming it just closes the point."""
    d = ex.plan.catalogue.get(decision)
    return d is not None and not d.repeatable and (ex.desk.taken(decision) or ex.desk.under_way(decision))
