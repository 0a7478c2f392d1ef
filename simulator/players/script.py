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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from simulator.engine.exercise import Exercise
from simulator.engine.inputs import ScheduledInput
from simulator.errors import ProblemSink
from simulator.journal.journal import INPUT_KINDS, Journal
from simulator.scenario.catalogue import param_problems
from simulator.scenario.model import Id, Model, Time
from simulator.scenario.problems import report_validation_errors
from simulator.scenario.yamlio import load_yaml_file
from simulator.suggest import did_you_mean
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

    def add(loc, msg, key=False):
        line, col = doc.position(loc, key=key) if doc else (1, 1)
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
        _check_params(plan, _decision_of(plan, d.decision, d.on, d.option), d.params, ("decisions", i, "params"), add)
    last_t = last_step = 0
    for i, entry in enumerate(script.inputs):
        loc = ("inputs", i)
        if entry.t > exercise.duration:
            add(loc + ("t",), f"minute {entry.t} ({format_time(entry.t)}) is after the end of the scenario")
        if entry.step < last_step or entry.t < last_t:
            add(loc + ("step",), f"input {i} goes back in time (step {entry.step} at minute {entry.t} after step "
                                 f"{last_step} at minute {last_t}); recorded inputs are in the order they happened")
        last_t, last_step = max(last_t, entry.t), max(last_step, entry.step)
        _check_input(plan, entry, loc + ("payload",), add)
    sink.raise_if_any("bad decisions script")


_PAYLOAD_KEYS = {
    "decision.submitted": ({"team"}, {"team", "decision", "point", "option", "rationale", "params"}),
    "facilitator.fired": ({"inject"}, {"inject"}),
    "facilitator.held": ({"inject"}, {"inject"}),
    "facilitator.released": ({"inject"}, {"inject"}),
    "facilitator.injected": ({"inject"}, {"inject"}),
    "facilitator.channel": ({"channel", "status"}, {"channel", "status"}),
    "observation.noted": ({"text"}, {"text", "kind", "category", "objective", "team", "rating", "author"}),
}
"""Per input kind: the payload keys it needs and the keys it may have."""


def _decision_of(plan, decision, point, option):
    """The catalogue entry a decision or a decision-point option takes, or None."""
    if decision is not None:
        return plan.catalogue.get(decision)
    dp = plan.points.get(point) if isinstance(point, str) else None
    opt = next((o for o in dp.options if o.id == option), None) if dp else None
    return plan.catalogue.get(opt.decision) if opt is not None and opt.decision else None


def _check_params(plan, entry, params, loc, add) -> None:
    if entry is None:
        if params and isinstance(params, dict):
            add(loc, "parameters given, but no catalogue decision takes them")
        return
    for name, message in param_problems(entry, params):
        add(loc + ((name,) if name is not None else ()), message, key=name is not None and name not in entry.params)


def _check_input(plan, entry: ScriptInput, loc: tuple, add) -> None:
    """A recorded input checked against the scenario, so a bad one is named at its line, not mid-replay."""
    payload, kind = entry.payload, entry.kind
    need, allowed = _PAYLOAD_KEYS[kind]
    for key in sorted(set(payload) - allowed):
        add(loc + (key,), f"{kind} has no field {key!r} (it takes {', '.join(sorted(allowed))})", key=True)
    for key in sorted(need - set(payload)):
        add(loc, f"{kind} needs {key!r}")

    def text(key, known=None, what=""):
        value = payload.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            add(loc + (key,), f"{key} must be a text, not {type(value).__name__}")
            return None
        if known is not None and value not in known:
            add(loc + (key,), f"unknown {what} {value!r}" + did_you_mean(value, known))
            return None
        return value

    if kind in ("facilitator.fired", "facilitator.held", "facilitator.released"):
        text("inject", plan.injects, "inject")
    elif kind == "facilitator.channel":
        text("channel", plan.network.channels, "channel")
        text("status", ("up", "degraded", "cut"), "channel status")
    elif kind == "observation.noted":
        text("text")
        text("author")
        text("kind", ("strength", "improvement", "note", "rating"), "observation kind")
        text("category", ("strength", "improvement", "note", "rating"), "observation kind")
        text("rating", ("P", "S", "M", "U"), "rating")
        text("team", plan.teams, "team")
    elif kind == "facilitator.injected":
        spec = payload.get("inject")
        if not isinstance(spec, dict):
            add(loc + ("inject",), "inject must be a mapping with from, to, title (and body, tlp, channel)")
            return
        for key in ("from", "title"):
            if not isinstance(spec.get(key), str):
                add(loc + ("inject", key), f"inject {key} must be a text")
        to = spec.get("to")
        if not (isinstance(to, list) and to and all(isinstance(x, str) for x in to)):
            add(loc + ("inject", "to"), "inject to must be a list of actor ids")
    elif kind == "decision.submitted":
        text("team", plan.teams, "team")
        text("rationale")
        decision = text("decision", plan.catalogue, "decision")
        point = text("point", plan.points, "decision point")
        option = payload.get("option")
        if point is not None and option not in {o.id for o in plan.points[point].options}:
            add(loc + ("option",), f"{option!r} is not an option of {point}")
        params = payload.get("params") or {}
        _check_params(plan, _decision_of(plan, decision, point, option), params, loc + ("params",), add)


@dataclass
class ScriptSource:
    """Feeds a script's entries to an exercise as it runs."""

    script: DecisionsScript

    def attach(self, exercise: Exercise) -> None:
        check_against(self.script, exercise)
        for entry in self.script.inputs:
            exercise.schedule_input(ScheduledInput(entry.kind, dict(entry.payload), entry.t, entry.step))
        on_point: dict[str, list[dict[str, Any]]] = {}
        for d in self.script.decisions:
            payload: dict[str, Any] = {"team": d.team, "decision": d.decision, "point": d.on, "option": d.option,
                       "rationale": d.rationale, "params": dict(d.params)}
            if d.at is not None:
                exercise.schedule_input(ScheduledInput("decision.submitted", payload, d.at))
            elif d.on is not None:
                on_point.setdefault(d.on, []).append(payload)

        def submitter(payload: dict[str, Any]) -> Callable[[], None]:
            def submit() -> None:
                exercise.submit(**payload)
            return submit

        def opened(point: str) -> None:
            for payload in on_point.pop(point, []):
                exercise.soon(submitter(payload))

        exercise.at_point_open(opened)


def export_script(journal: Journal, scenario_id: str, seed: int) -> dict:
    """A session's inputs as a decisions script that reproduces its journal exactly."""
    inputs = []
    for rec in journal.inputs():
        payload = {k: v for k, v in rec.data.items() if k != "step"}
        inputs.append({"kind": rec.kind, "t": rec.t, "step": rec.data["step"], "payload": payload})
    return {"format": FORMAT, "scenario": scenario_id, "seed": seed, "inputs": inputs}
