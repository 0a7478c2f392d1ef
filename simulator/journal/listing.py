"""What ``cyclesim sessions`` lists: each session folder's state, read without taking its lock."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from simulator.journal.lock import holder_of
from simulator.journal.places import default_sessions_dir
from simulator.journal.store import DB_NAME, SessionError, Store


@dataclass(frozen=True)
class Summary:
    """One line of ``cyclesim sessions``."""

    name: str
    path: str
    state: str
    """'ended', 'in use' (another process holds it), 'resumable', or 'unreadable'."""
    scenario: str = ""
    seed: int | None = None
    started: float | None = None
    last_activity: float | None = None
    t_reached: int | None = None
    records: int = 0
    problem: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def summarize(folder: Path) -> Summary:
    """What a session folder holds, read-only and without taking its lock."""
    folder = Path(folder)
    holder = holder_of(folder)
    try:
        store = Store.open(folder)
    except SessionError as e:
        return Summary(folder.name, str(folder), "in use" if holder else "unreadable", problem=str(e))
    try:
        meta = store.meta()
        last = store.last()
        ended = store.has_kind("exercise.ended")
        count = store.count()
        damage = store.integrity[0] if store.integrity else ""
    except (SessionError, sqlite3.DatabaseError) as e:
        return Summary(folder.name, str(folder), "unreadable", problem=str(e))
    finally:
        store.close()
    state = "in use" if holder else ("ended" if ended else "resumable")
    return Summary(folder.name, str(folder), state, meta.scenario, meta.seed, meta.created,
                   last[3] if last else meta.created, max(last[1] if last else 0, meta.clock), count,
                   problem=f"held by {holder}" if holder else damage)


def list_sessions(base: Path | None = None) -> list[Summary]:
    """Every session folder under ``base`` (default: the user's sessions dir), oldest first."""
    base = Path(base) if base is not None else default_sessions_dir()
    if not base.is_dir():
        return []
    found = [summarize(d) for d in sorted(base.iterdir()) if d.is_dir() and (d / DB_NAME).exists()]
    return sorted(found, key=lambda s: (s.started is None, s.started or 0, s.name))
