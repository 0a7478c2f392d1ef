"""Where sessions live on this machine.

Apart from the store, so that naming the default folder (``cyclesim sessions
--help``, which every ``cyclesim --help`` builds) does not import SQLite, the
journal and the record declarations.
"""

from __future__ import annotations

from pathlib import Path


def default_sessions_dir() -> Path:
    """Where sessions go by default: the user's data dir (XDG_DATA_HOME on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("cyclesim") / "sessions"
