"""The decision catalogue shipped with the package, plus a scenario's own entries."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from simulator.scenario.model import EU_MEMBER_STATES, CatalogueDecision, Scenario
from simulator.suggest import closest


@lru_cache(maxsize=1)
def bundled() -> tuple[CatalogueDecision, ...]:
    """The escalation ladder and Toolbox entries: D01-D28 are domain.md §10.3's rows, D29 and D30 the project's."""
    text = resources.files("simulator.scenario").joinpath("data/decisions.yaml").read_text(encoding="utf-8")
    return tuple(CatalogueDecision.model_validate(d) for d in _parse(text)["decisions"])


def _parse(text: str) -> Any:
    """Bundled data (not user input): libyaml's safe loader where the wheel has it, 3-4x faster, same objects."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def catalogue_for(scenario: Scenario) -> dict[str, CatalogueDecision]:
    """Bundled entries with the scenario's additions, by id, in id order."""
    entries = {d.id: d for d in bundled()}
    for d in scenario.decisions:
        entries[d.id] = d
    return dict(sorted(entries.items()))


def param_problems(decision: CatalogueDecision, params: object) -> list[tuple[str | None, str]]:
    """What is wrong with ``params`` for ``decision``: ``(name or None, message)`` pairs, empty if nothing.

    The one check of decision parameters against the catalogue, for every
    source (scenario options, decisions scripts, the desk at submit time):
    names the entry does not declare, and values of the wrong shape for the
    declared type (text, bool, ms, number; a list or mapping is never a
    parameter value). Whether a required parameter is given, and the choices,
    are the desk's to check when the decision is taken, since an option's
    parameters may be completed by the deciding team.
    """
    if not isinstance(params, dict):
        return [(None, f"params must be a mapping of name: value, not {_shape(params)}")]
    out: list[tuple[str | None, str]] = []
    for name, value in params.items():
        spec = decision.params.get(name) if isinstance(name, str) else None
        if spec is None:
            close = closest(str(name), decision.params)
            known = f"; did you mean {close!r}?" if close else (
                f"; it takes {', '.join(sorted(decision.params))}" if decision.params else "; it takes none")
            out.append((str(name), f"{decision.id} has no parameter {name!r}{known}"))
            continue
        problem = _value_problem(spec.type, value)
        if problem:
            out.append((name, f"parameter {name!r} of {decision.id} {problem}"))
    return out


def _value_problem(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true or false, not {_shape(value)}"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, not {_shape(value)}"
        return None if math.isfinite(value) else f"must be a finite number, not {value!r}"
    if not isinstance(value, str):
        return f"must be a text, not {_shape(value)}"
    if kind == "ms" and value and value not in EU_MEMBER_STATES:
        return f"must be a Member State code, not {value!r}"
    return None


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value})".lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
