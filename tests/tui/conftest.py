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
def _no_background_building(monkeypatch):
    """Team views are built when first shown, never by the play screen's wall-clock timer (1 s after mount).

    Whether the timer fired during a test depended on how fast the machine
    was, so a test ran one way or the other; each firing built every team's
    view in the background. The test of the background building sets its own.
    """
    from tui.screens import play

    monkeypatch.setattr(play, "PREBUILD_AFTER", 3600)


@pytest.fixture(autouse=True)
def _colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _drop_textual_render_caches():
    """Let each finished app go.

    Textual 8 memoises ``StylesCache.get_inner_outer`` with an ``lru_cache`` on
    the method, so up to 1024 widgets' style caches (and every strip they
    rendered) outlive their app. In one long test process that kept about 15,000
    objects per TUI test alive and made each full garbage collection slower and
    slower. A real session runs one app, so this is only the test process's
    concern.
    """
    yield
    from textual._styles_cache import StylesCache

    cached = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if cached is not None:
        cached()


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
