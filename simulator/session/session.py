"""Sessions: a played exercise kept on disk, record by record, and resumed.

A session is a folder with one SQLite store (see :mod:`simulator.journal.store`): the
scenario's content hash, the file it came from, the scenario as played (a
standalone copy, library references expanded), the seed, and the journal.
Every record is committed as the engine appends it, before any view sees it.

``Session.create`` starts one (``cyclesim play``); ``Session.resume`` locks an
existing one, rebuilds its exercise from the stored inputs, checks the rebuilt
journal record for record (:mod:`simulator.session.rebuild`), and only then opens the
store for writing, so a refused resume changes nothing on disk.

Which scenario a resume plays: the **stored copy**, i.e. exactly what was
played, whatever happened to the file since. The original file is still
checked when it exists: if its content hash is not the session's, resume
refuses (the facilitator may have meant to play the edited file, and should
know it is not what will be played) unless ``use_stored=True``
(``cyclesim resume --stored``). A missing original is not an error.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.errors import ScenarioError
from simulator.journal.journal import Record
from simulator.journal.lock import SessionLock
from simulator.journal.store import (
    Meta,
    SessionError,
    Store,
    default_sessions_dir,
    resolve,
)
from simulator.scenario.loader import LoadedScenario, load
from simulator.scenario.plan import Plan
from simulator.scenario.standalone import load_text, standalone_text
from simulator.session.rebuild import CheckingJournal, rebuild


class SessionJournal(CheckingJournal):
    """The live journal of a session: each new record is committed to the store as it is appended.

    While a resume rebuilds, records up to the stored count are only compared;
    records beyond it (the rest of a step the crash cut short) wait in
    ``pending`` until the store is opened for writing.
    """

    def __init__(self, store: Store, expected: list[Record] | None = None):
        super().__init__(list(expected or []))
        self.store = store
        self.pending: list[Record] = []
        self._failed: str | None = None

    def _extra(self, record: Record) -> None:
        if not self.store.writable:
            self.pending.append(record)
        else:
            self._write(record)

    def flush_pending(self) -> int:
        """Commit the records the rebuild added; returns how many."""
        done = 0
        while self.pending:
            self._write(self.pending[0])
            self.pending.pop(0)
            done += 1
        return done

    def _write(self, record: Record) -> None:
        if self._failed is not None:
            raise SessionError(f"the session store stopped accepting records: {self._failed}")
        try:
            self.store.append(record)
        except SessionError as e:  # StoreFullError for a full disk: the caller stops the clock and says so
            self._failed = str(e)
            raise
        except sqlite3.Error as e:
            self._failed = f"{self.store.db}: {e}"
            raise SessionError(f"cannot commit record #{record.seq} to {self.store.db}: {e}") from None


@dataclass(frozen=True)
class Resumed:
    """What a resume found and did."""

    exercise: Exercise
    loaded: LoadedScenario
    stored: int
    """Records in the store before the resume."""
    completed: int
    """Records the rebuild added to finish a step the crash interrupted."""
    note: str = ""
    """Something the facilitator should know (e.g. the original file is gone)."""


class Session:
    """One facilitated run on disk. Holds the session's lock until :meth:`close`."""

    def __init__(self, path: Path, journal: SessionJournal | None, scenario_id: str, seed: int, *,
                 store: Store, lock: SessionLock):
        self.path = path
        self.journal = journal
        self.scenario_id = scenario_id
        self.seed = seed
        self.store = store
        self._lock = lock
        self._clock = 0

    # ------------------------------------------------------------ new
    @classmethod
    def create(cls, loaded: LoadedScenario, seed: int, path: Path | None = None, *,
               clock: Callable[[], float] = time.time) -> Session:
        """A new session folder (default: the user's data dir) for this scenario and seed.

        Give ``session.journal`` to the :class:`Exercise`; its records are
        committed as they happen.
        """
        folder = _new_folder(loaded.scenario.id, path)
        lock = SessionLock(folder).acquire()
        try:
            meta = {"scenario": loaded.scenario.id, "title": loaded.scenario.title, "seed": int(seed),
                    "content_hash": loaded.content_hash, "duration": loaded.scenario.duration}
            store = Store.create(folder, meta=meta, source_path=str(Path(loaded.path).resolve()),
                                 source=Path(loaded.path).read_text(encoding="utf-8", errors="replace"),
                                 standalone=standalone_text(loaded), clock=clock)
        except BaseException:
            lock.release()
            raise
        return cls(folder, SessionJournal(store), loaded.scenario.id, int(seed), store=store, lock=lock)

    # ------------------------------------------------------------ existing
    @classmethod
    def open(cls, path: str | Path, *, base: Path | None = None) -> Session:
        """Lock an existing session and open it read-only (checked); ``journal`` is None until resumed."""
        folder = resolve(path, base)
        lock = SessionLock(folder).acquire()
        try:
            store = Store.open(folder)
            meta = store.meta()
        except BaseException:
            lock.release()
            raise
        return cls(folder, None, meta.scenario, meta.seed, store=store, lock=lock)

    @classmethod
    def resume(cls, path: str | Path, *, scenario_file: str | Path | None = None, use_stored: bool = False,
               check_only: bool = False, base: Path | None = None,
               clock: Callable[[], float] = time.time) -> tuple[Session, Resumed]:
        """Open, rebuild and check a session; unless ``check_only``, open it for appending.

        Raises SessionError (changed scenario, damaged or locked session) or
        DivergenceError; in every such case nothing on disk was changed.
        """
        session = cls.open(path, base=base)
        try:
            result = session._rebuild(scenario_file, use_stored)  # a divergence names the first changed record
            if session.store.integrity:  # records were lost or changed: going on would build on a wrong journal
                raise SessionError("\n".join(session.store.integrity) + ". Resuming would continue from a "
                                   "journal that is not the one played; nothing was changed. 'cyclesim export' and "
                                   "'cyclesim report' still read what is there, with this warning.")
            if not check_only:
                session.store.make_writable(clock)
                assert session.journal is not None  # _rebuild attached it
                session.journal.flush_pending()
                session.store.note_opened("resume")
                _private(session.path)  # a session from before folders were made private becomes so as it goes on
        except BaseException:
            session.close()
            raise
        return session, result

    def mark_clock(self, now: float) -> None:
        """Remember how far the clock got; call it after driving the engine (each UI tick).

        The clock can run past the last record (nothing happens for a while);
        resume brings a rebuilt exercise to this time, so play continues
        where it stopped. A no-op unless the clock moved by a whole minute.
        """
        minutes = int(now)
        if minutes > self._clock:
            self.store.set_clock(minutes)
            self._clock = minutes

    @property
    def meta(self) -> Meta:
        return self.store.meta()

    def _rebuild(self, scenario_file, use_stored: bool) -> Resumed:
        records = self.store.records()
        loaded, note = self.scenario_to_play(scenario_file, use_stored=use_stored)
        journal = SessionJournal(self.store, records)
        plan = Plan.of(loaded.scenario, loaded.content_hash)
        ex = rebuild(plan, self.seed, journal, where=str(self.path))
        clock = self.meta.clock
        if not ex.ended and ex.now < clock <= ex.duration:
            ex.run(until=clock)  # the events before it were all processed and recorded: this only moves time
        self.journal = journal
        self._clock = max(clock, ex.now)
        note = "\n".join(["warning: " + w for w in self.store.warnings] + ([note] if note else []))
        return Resumed(ex, loaded, len(records), len(journal.pending), note)

    def scenario_to_play(self, scenario_file: str | Path | None = None, *,
                         use_stored: bool = False) -> tuple[LoadedScenario, str]:
        """The stored copy of the scenario, after checking the original file has not changed."""
        meta = self.meta
        original = Path(scenario_file) if scenario_file is not None else Path(meta.source_path)
        current, problem = None, ""
        if original.is_file():
            try:
                current = load(original)
            except ScenarioError as e:
                problem = str(e.problems[0]) if e.problems else str(e)
        if not use_stored:
            if problem:
                raise SessionError(
                    f"{self.path}: the scenario {original} no longer loads ({problem}), so it is not the scenario "
                    f"this session played. Fix it, or resume with --stored to play the copy kept in the session. "
                    "Nothing was changed.")
            if current is not None and current.content_hash != meta.content_hash:
                raise SessionError(
                    f"{self.path}: the scenario changed since the session started: {original} now has content hash "
                    f"{current.content_hash[:12]}, the session played {meta.content_hash[:12]}. Restore the file, or "
                    "resume with --stored to play the copy kept in the session (write it out with "
                    "'cyclesim export SESSION --scenario FILE'). Nothing was changed.")
        copy = self._stored_copy()
        if copy is not None:
            copy.path = original
            note = "" if current is not None else f"note: {original} is gone; playing the copy kept in the session"
            return copy, note
        if current is not None and current.content_hash == meta.content_hash:
            return current, ""
        raise SessionError(f"{self.path}: the scenario copy kept in the session cannot be played by this cyclesim, "
                           f"and {original} is missing or different. Nothing was changed.")

    def _stored_copy(self) -> LoadedScenario | None:
        meta = self.meta
        if meta.standalone is None:
            return None
        try:
            copy = load_text(meta.standalone, name=f"{meta.scenario}.yaml")
        except ScenarioError:
            return None
        return copy if copy.content_hash == meta.content_hash else None

    # ------------------------------------------------------------ end
    def close(self) -> None:
        """Close the store (the WAL is checkpointed) and release the lock."""
        try:
            self.store.close()
        finally:
            self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


PRIVATE = 0o700
"""A session folder is its owner's only: it holds every inject in full, TLP:RED ones included."""


def _private(folder: Path) -> None:
    """Make ``folder`` its owner's only; a filesystem that refuses (not ours, no modes) is said, not fatal."""
    try:
        folder.chmod(PRIVATE)
    except OSError as e:
        import sys

        print(f"cyclesim: warning: could not make {folder} readable by its owner only: {e.strerror or e}",
              file=sys.stderr)


def _new_folder(scenario_id: str, path: Path | None) -> Path:
    if path is not None:
        folder = Path(path)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise SessionError(f"{folder} already exists; resume it with 'cyclesim resume {folder}' "
                               "or choose another --session")
        folder.mkdir(mode=PRIVATE, parents=True, exist_ok=True)
        _private(folder)  # an empty folder made beforehand (by a library user), or a mode the umask changed
        return folder
    base = default_sessions_dir()
    base.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        folder = base / f"{scenario_id}-{n:03d}"
        try:
            folder.mkdir(mode=PRIVATE)
            _private(folder)
            return folder
        except FileExistsError:
            n += 1
