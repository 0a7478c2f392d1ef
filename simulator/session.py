"""Sessions: a played exercise kept on disk as it runs.

A session is a folder holding the scenario as played, the seed and the
journal. This first backend writes the journal as canonical JSONL, one line
per record, flushed as each record is appended; the SQLite store replaces it
behind the same API.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .journal import Journal, Record
from .loader import LoadedScenario


class FileJournal(Journal):
    """A journal that appends every record to ``events.jsonl`` as it happens."""

    def __init__(self, path: Path):
        super().__init__()
        self._file = open(path, "a", encoding="utf-8")

    def _persist(self, record: Record) -> None:
        self._file.write(record.line() + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


class Session:
    """One facilitated run on disk."""

    def __init__(self, path: Path, journal: Journal, scenario_id: str, seed: int):
        self.path = path
        self.journal = journal
        self.scenario_id = scenario_id
        self.seed = seed

    @classmethod
    def create(cls, loaded: LoadedScenario, seed: int, path: Path | None = None) -> "Session":
        """A new session folder (default under the user's data dir) for this scenario and seed."""
        if path is None:
            from platformdirs import user_data_path

            base = user_data_path("cyclesim") / "sessions"
            n = 1
            while (base / f"{loaded.scenario.id}-{n:03d}").exists():
                n += 1
            path = base / f"{loaded.scenario.id}-{n:03d}"
        path = Path(path)
        path.mkdir(parents=True, exist_ok=False)
        (path / "scenario.yaml").write_bytes(loaded.path.read_bytes())
        (path / "session.json").write_text(json.dumps({
            "scenario": loaded.scenario.id, "seed": seed, "content_hash": loaded.content_hash,
        }, indent=2) + "\n", encoding="utf-8")
        return cls(path, FileJournal(path / "events.jsonl"), loaded.scenario.id, seed)

    def close(self) -> None:
        close = getattr(self.journal, "close", None)
        if close:
            close()
