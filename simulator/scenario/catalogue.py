"""The decision catalogue shipped with the package, plus a scenario's own entries."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from simulator.scenario.model import CatalogueDecision, Scenario


@lru_cache(maxsize=1)
def bundled() -> tuple[CatalogueDecision, ...]:
    """The escalation ladder and Toolbox entries D01-D28 (domain.md §10.3)."""
    text = resources.files("simulator.scenario").joinpath("data/decisions.yaml").read_text(encoding="utf-8")
    return tuple(CatalogueDecision.model_validate(d) for d in yaml.safe_load(text)["decisions"])


def catalogue_for(scenario: Scenario) -> dict[str, CatalogueDecision]:
    """Bundled entries with the scenario's additions, by id, in id order."""
    entries = {d.id: d for d in bundled()}
    for d in scenario.decisions:
        entries[d.id] = d
    return dict(sorted(entries.items()))
