"""Helpers for the TUI tests: a fake wall clock and pilot shortcuts."""

from __future__ import annotations

from tui.app import CyclesimApp
from tui.driver import SPEEDS

SIZE = (100, 32)
"""Default terminal size for tests that are not about layout."""


class FakeClock:
    """Wall time that moves only when a test says so."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


async def start(app: CyclesimApp, pilot) -> None:
    """Leave the briefing with the start key."""
    await pilot.press("s")
    await pilot.pause()
    assert app.playing


def advance(app: CyclesimApp, clock: FakeClock, minutes: int) -> None:
    """Let wall time pass at the current paced speed, ticking, until the engine reaches ``minutes``.

    Fails if the clock is paused: a paused exercise must not move.
    """
    assert not app.driver.paused, "advancing a paused clock would never arrive"
    speed = SPEEDS[app.driver.speed_index]
    guard = 0
    while app.ex.now < minutes and not app.ex.ended:
        step = min(60.0, (minutes - app.driver.position()) * 60.0 / speed)
        clock.advance(max(step, 60.0 / speed))
        app.tick()
        guard += 1
        assert guard < 10_000


async def run_until(app: CyclesimApp, pilot, clock: FakeClock, minutes: int) -> None:
    """:func:`advance` to ``minutes``, then let the screen catch up."""
    advance(app, clock, minutes)
    await pilot.pause()


async def run_until_open(app: CyclesimApp, pilot, clock: FakeClock, point: str) -> None:
    """Run the paced clock a quarter of an hour at a time until a decision point is open."""
    guard = 0
    while point not in app.ex.open_points():
        advance(app, clock, app.ex.now + 15)
        guard += 1
        assert guard < 1000 and not app.ex.ended, f"{point} never opened"
    await pilot.pause()


def text_of(static) -> str:
    """The plain text a Static shows (Rich Text, Group or str), wrapped at 200 columns."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(static.content)
    return console.export_text()


def fully_shown(widget) -> bool:
    """Whether every line of a widget is on the screen, not scrolled or clipped out of its container's view."""
    geometry = widget.screen.find_widget(widget)
    return geometry.region.area > 0 and geometry.visible_region == geometry.region


def table_line(table, y: int) -> str:
    """The text of one line of a RowTable as drawn now, cut to its width (0 is the header)."""
    return "".join(segment.text for segment in table.render_line(y))


def whole_or_ellipsis(line: str, text: str) -> bool:
    """``text`` shows whole on the line, or cut short with an ellipsis (never just cut off)."""
    return text in line or any(f"{text[:n]}…" in line for n in range(1, len(text)))
