"""Shared by the yamlio test modules: both parsers, and helpers to read problems."""

from __future__ import annotations

import pytest

from simulator.errors import Problem, ScenarioError
from simulator.scenario import yamlio
from simulator.scenario.yamlio import load_yaml_text

LOADERS = {"python": yamlio._PyLoader}
if getattr(yamlio, "_CLoader", None) is not None:
    LOADERS["libyaml"] = yamlio._CLoader


def use_loader(request, monkeypatch) -> str:
    """Body of each module's autouse fixture: run the test with one parser."""
    monkeypatch.setattr(yamlio, "_LOADER", LOADERS[request.param])
    return request.param


def problems_of(source, path="s.yaml", **limits) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_yaml_text(source, path, **limits)
    assert info.value.problems, "a ScenarioError must carry at least one problem"
    return info.value.problems


def only_problem(source, path="s.yaml", **limits) -> Problem:
    problems = problems_of(source, path, **limits)
    assert len(problems) == 1, problems
    return problems[0]


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"
