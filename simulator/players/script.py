"""Decisions scripts: recorded or hand-written inputs to replay a session.

A script is YAML::

    format: cyclesim-decisions/1
    scenario: tutorial          # optional: refuse to play against another scenario
    decisions:
      - at: "T+05:00"
        team: ie
        decision: D04
        params: {tlp: "TLP:AMBER"}
        rationale: Peers need the indicators to check their hospitals.
      - on: DP-ESCALATE        # as soon as the point opens
        team: ie
        option: escalate
        rationale: Two Member States are hit by the same actor.
    inputs:                      # exact replay of a session (written by 'cyclesim export')
      - {kind: facilitator.fired, t: 120, step: 14, payload: {inject: TUT-06}}

Entries with ``step`` replay exactly where they happened; entries with only
``at`` apply once everything scheduled at that time has happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from simulator.engine.exercise import Exercise, ScheduledInput
from simulator.errors import ProblemSink
from simulator.journal.journal import INPUT_KINDS, Journal
from simulator.scenario.loader import report_validation_errors
from simulator.scenario.model import Id, Model, Time
from simulator.scenario.yamlio import load_yaml_file
from simulator.timefmt import format_time

FORMAT = "cyclesim-decisions/1"


class ScriptDecision(Model):
    """One decision in a script: when, who, what, why."""

    at: Time | None = None
    on: Id | None = Field(None, description="decision point id: decide as soon as it opens")
    team: Id
    decision: Id | None = None
    option: Id | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    rationale: str = Field(min_length=1)

    @model_validator(mode="after")
    def _shape(self):
        if (self.at is None) == (self.on is None):
            raise ValueError("give exactly one of at (a time) or on (a decision point)")
        if self.on is not None and self.option is None:
            raise ValueError("a decision on a decision point needs an option")
        if self.on is None and self.decision is None:
            raise ValueError("name a decision (e.g. D06)")
        return self


class ScriptInput(Model):
    """A recorded input, replayed at the exact step it happened."""

    kind: Literal[tuple(sorted(INPUT_KINDS))]  # type: ignore[valid-type]
    t: int = Field(ge=0)
    step: int = Field(ge=0)
    payload: dict[str, Any]


class DecisionsScript(Model):
    format: Literal["cyclesim-decisions/1"]
    scenario: Id | None = None
    seed: int | None = None
    decisions: list[ScriptDecision] = Field(default_factory=list)
    inputs: list[ScriptInput] = Field(default_factory=list)


def load_script(path: str | Path) -> DecisionsScript:
    """Load and validate a decisions script; ScenarioError with positions on failure."""
    doc = load_yaml_file(Path(path))
    sink = ProblemSink()
    if not isinstance(doc.data, dict):
        sink.add(doc.path, 1, 1, "a decisions script must be a mapping with 'format' and 'decisions'")
        sink.raise_if_any()
    try:
        script = DecisionsScript.model_validate(doc.data)
    except ValidationError as e:
        report_validation_errors(e, doc, sink, DecisionsScript)
        sink.raise_if_any()
        raise
    script.__dict__["_doc"] = doc
    return script


def check_against(script: DecisionsScript, exercise: Exercise) -> None:
    """Refuse a script that names another scenario or unknown teams, points and decisions."""
    doc = script.__dict__.get("_doc")
    path = doc.path if doc else "decisions"
    sink = ProblemSink()
    plan = exercise.plan

    def add(loc, msg):
        line, col = doc.position(loc) if doc else (1, 1)
        sink.add(path, line, col, msg)

    if script.scenario and script.scenario != exercise.scenario.id:
        add(("scenario",), f"this script is for scenario {script.scenario!r}, not {exercise.scenario.id!r}")
    for i, d in enumerate(script.decisions):
        if d.team not in plan.teams:
            add(("decisions", i, "team"), f"unknown team {d.team!r}")
        if d.on is not None:
            point = plan.points.get(d.on)
            if point is None:
                add(("decisions", i, "on"), f"unknown decision point {d.on!r}")
            elif d.option not in {o.id for o in point.options}:
                add(("decisions", i, "option"), f"{d.option!r} is not an option of {d.on}")
        if d.decision is not None and d.decision not in plan.catalogue:
            add(("decisions", i, "decision"), f"unknown decision {d.decision!r}")
        if d.at is not None and d.at > exercise.duration:
            add(("decisions", i, "at"), f"{format_time(d.at)} is after the end of the scenario")
    sink.raise_if_any("bad decisions script")


@dataclass
class ScriptSource:
    """Feeds a script's entries to an exercise as it runs."""

    script: DecisionsScript

    def attach(self, exercise: Exercise) -> None:
        check_against(self.script, exercise)
        for entry in self.script.inputs:
            exercise.schedule_input(ScheduledInput(entry.kind, dict(entry.payload), entry.t, entry.step))
        on_point: dict[str, list[ScriptDecision]] = {}
        for d in self.script.decisions:
            payload = {"team": d.team, "decision": d.decision, "point": d.on, "option": d.option,
                       "rationale": d.rationale, "params": dict(d.params)}
            if d.at is not None:
                exercise.schedule_input(ScheduledInput("decision.submitted", payload, d.at))
            else:
                on_point.setdefault(d.on, []).append(payload)

        def opened(point: str) -> None:
            for payload in on_point.pop(point, []):
                exercise.soon(lambda p=payload: exercise.submit(**p))

        exercise.at_point_open(opened)


def export_script(journal: Journal, scenario_id: str, seed: int) -> dict:
    """A session's inputs as a decisions script that reproduces its journal exactly."""
    inputs = []
    for rec in journal.inputs():
        payload = {k: v for k, v in rec.data.items() if k != "step"}
        inputs.append({"kind": rec.kind, "t": rec.t, "step": rec.data["step"], "payload": payload})
    return {"format": FORMAT, "scenario": scenario_id, "seed": seed, "inputs": inputs}
