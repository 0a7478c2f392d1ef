"""Fixtures for headless TUI tests: the tutorial, a fake wall clock, an app on top.

No test depends on real time: the driver reads a FakeClock and tests call
``app.tick()`` themselves (the 20 Hz timer is off).
"""

from __future__ import annotations

import pytest
from tui_helpers import FakeClock

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from tui.app import CyclesimApp


@pytest.fixture(autouse=True)
def _colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def tutorial():
    loaded, plan = load_plan(None)
    return plan


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_app(tutorial, clock):
    def make(exercise: Exercise | None = None, **kwargs) -> CyclesimApp:
        ex = exercise if exercise is not None else Exercise(tutorial, seed=1)
        return CyclesimApp(ex, clock=clock, autotick=False, budget=float("inf"), **kwargs)

    return make
