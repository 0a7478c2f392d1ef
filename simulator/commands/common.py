"""Helpers the subcommands share: finding bundled scenarios, loading with a seed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from simulator.bundled import scenarios_dir
from simulator.errors import InputError

if TYPE_CHECKING:  # the loader and the plan are imported by the commands that run them, not by --help
    from simulator.scenario.loader import LoadedScenario
    from simulator.scenario.plan import Plan

SCENARIOS_DIR = scenarios_dir()
"""Bundled scenarios (top-level ``scenarios/``, package data in a wheel)."""
DEFAULT_SCENARIO = SCENARIOS_DIR / "tutorial.yaml"


def scenario_path(arg: str | None) -> Path:
    """A scenario argument: a path, or the id of a bundled scenario."""
    if arg is None:
        return DEFAULT_SCENARIO
    path = Path(arg)
    if path.exists():
        return path
    bundled = SCENARIOS_DIR / f"{arg}.yaml"
    if bundled.exists():
        return bundled
    raise InputError(f"no scenario file {arg!r} (and no bundled scenario with that id; see 'cyclesim list')")


def load_plan(arg: str | None) -> tuple[LoadedScenario, Plan]:
    from simulator.scenario.loader import load
    from simulator.scenario.plan import Plan

    loaded = load(scenario_path(arg))
    return loaded, Plan.of(loaded.scenario, loaded.content_hash)


def need_terminal(command: str) -> None:
    """The terminal UI needs a terminal; say so instead of drawing into a pipe."""
    import sys

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(f"'cyclesim {command}' opens the terminal UI and needs an interactive terminal; "
                         "for a headless run use 'cyclesim replay' (or 'cyclesim resume SESSION --check')")


def bundled_scenarios() -> list[Path]:
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def time_option(option: str, text: str | None) -> int | None:
    """A scenario time given on the command line (``--until T+26:00``), or None; bad text is exit 2 naming the option."""
    if text is None:
        return None
    from simulator.timefmt import parse_time

    try:
        return parse_time(text)
    except ValueError as e:
        raise InputError(f"{option}: {e}") from None


DECIDE_ON_CHOICES = ("knowledge", "truth")
"""``simulator.engine.briefing.DECIDE_ON``, spelt out so that ``--help`` does not import the engine."""


def decide_on_option(p) -> None:
    """``--decide-on``: what the players' decisions read (the commands that run an exercise share it)."""
    p.add_argument("--decide-on", choices=DECIDE_ON_CHOICES, default="knowledge",
                   help="what decisions read: the deciding team's picture (default), or the world, to compare "
                        "what a team could have done had it known everything")
