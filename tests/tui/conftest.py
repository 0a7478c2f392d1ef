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


IDLE_SLICE = 1 / 400
"""Seconds per look of the pilot's wait for the app to go idle (Textual's own: 1/50)."""


@pytest.fixture(autouse=True)
def _quick_idle_wait(monkeypatch):
    """The pilot looks whether the app has gone idle every 2.5 ms instead of every 20 ms.

    Every ``pilot.press`` waits for idle twice and ``pilot.pause()`` once, and
    each wait sleeps at least one slice, then more while the process used
    5 % of it or more: with 20 ms slices a TUI test spent about as long
    asleep as working. The test is the same: the wait still ends only once
    the process is idle by the same measure (under 5 % of a slice), and the
    screen's messages are still all processed first (``pilot.pause``); no
    test depends on wall time (FakeClock). Measured on tests/tui with two
    workers: 30 s and 20 s of wall time before, 20 s and 12 s after.
    """
    from textual import _wait

    monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", IDLE_SLICE)
    monkeypatch.setattr(_wait, "SLEEP_IDLE", IDLE_SLICE / 20)


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
