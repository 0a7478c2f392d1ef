"""Finding the terminal UI that ``play``, ``resume`` and ``join`` open.

The UI is a client of the engine and lives in its own top-level package
(``tui``); the engine package never imports it. The UI announces itself as
the ``tui`` entry point of the group ``cyclesim.frontends`` (see
``pyproject.toml``), so the command line finds it at run time, after
everything the command needs from the engine has been built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.errors import InputError

GROUP = "cyclesim.frontends"


def terminal_ui() -> Callable[..., int]:
    """The function that runs the terminal UI: ``run(exercise, session=...) -> exit code``."""
    return frontend("tui")


def frontend(name: str) -> Callable[..., Any]:
    """A named UI of the group: ``tui`` (one terminal on an exercise), ``seat`` (a seat of a served
    session) or ``web`` (seats in a browser, served by textual-serve beside the host)."""
    from importlib.metadata import entry_points

    found = entry_points(group=GROUP, name=name)
    if not found:
        raise InputError(f"the terminal UI {name!r} is not installed (no {name!r} entry point in the group "
                         f"{GROUP!r}): install cyclesim with pip, e.g. 'pip install -e .'")
    run: Any = next(iter(found)).load()
    return run
