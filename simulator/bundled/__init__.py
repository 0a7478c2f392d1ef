"""The scenarios and inject library that ship with cyclesim, found as package data.

In the source tree they are the top-level ``scenarios/`` and ``injects/``
folders; ``pyproject.toml`` maps them to the packages
``simulator.bundled.scenarios`` and ``simulator.bundled.injects``, so a wheel
carries them and :mod:`importlib.resources` finds them under an editable
install and an installed wheel alike.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def _folder(name: str) -> Path:
    # Both folders are regular packages (an ``__init__.py`` each), so files()
    # is a real directory on disk, never a zip or multiplexed path: the loader
    # needs real paths to keep its checks against symlinks and escapes.
    try:
        return Path(str(resources.files(f"simulator.bundled.{name}"))).resolve()
    except ModuleNotFoundError:
        # A source checkout put on sys.path without being installed: the
        # mapping in pyproject.toml is not in force, the folders are top level.
        return (Path(__file__).resolve().parents[2] / name).resolve()


def scenarios_dir() -> Path:
    """The folder of bundled scenarios (``tutorial.yaml`` is the default)."""
    return _folder("scenarios")


def injects_dir() -> Path:
    """The bundled inject library."""
    return _folder("injects")
