"""The session store: one SQLite file per session, committed record by record.

A session is a folder::

    tutorial-001/
        session.sqlite      meta, the scenario as played, the journal
        session.sqlite-wal  (SQLite's write-ahead log while in use or after a crash)
        head                records committed and their running hash (below)
        lock                held (flock) by the one process that writes the session (journal/lock.py)

Durability. The database is in WAL mode and every record is its own
transaction. ``synchronous=FULL`` makes SQLite fsync the WAL at every commit,
so a record whose commit has returned is on disk: it survives ``kill -9``
*and* a power cut or OS crash. ``NORMAL`` would also survive ``kill -9`` (the
data is in the OS page cache) but may lose the last commits on power loss
(SQLite docs; tech-notes §8). FULL costs about 0.2 ms per commit on this
machine, thousands of records a second, far above the pace of a room of
people, so the stronger guarantee is chosen.

One writer. A session is written by one process only: it holds an exclusive,
non-blocking ``flock`` on ``lock`` from opening until closing
(:class:`simulator.journal.lock.SessionLock`). The kernel
drops the lock when the process dies, so a crash never leaves a session
locked. The lock is a separate file (not the database) because SQLite's own
POSIX locks on the database are released when *any* descriptor of that file is
closed in the process.

Damaged or foreign files are never written: everything is checked through a
read-only connection first (file type, format version, ``quick_check``, record
numbering), and the read-write connection is only opened for a session that
passed and is locked.

Journal head. SQLite cannot tell a journal that lost its last records from
one that never had them: delete the ``-wal`` file of a session that was not
checkpointed and the last commits are gone without a trace, the database
still consistent. So the store keeps, *outside* the database, a small
``head`` file with the number of records committed and a running SHA-256
over them (each record's seq, t, kind and stored JSON), rewritten in place
after every commit. Opening a session recomputes the chain: fewer records than
the head names means the journal ends early; a different hash means records
were changed after they were committed. The head may lag the database by the
last commit (a crash between the two writes, or a power cut, since the head is
not fsynced), never lead it, so only a database *behind* the head is a loss;
a batch writes the head once it has committed, and a batch that is not
committed stops the store until the session is resumed.
Sessions written before the head existed have none and are not checked this way.

Wall-clock times (creation, each record's commit) are metadata for listing
sessions; they never enter the journal or its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from simulator.errors import InputError
from simulator.journal.finite import scrub
from simulator.journal.journal import Record, canonical
from simulator.journal.places import default_sessions_dir

FORMAT = "cyclesim-session/1"
FORMAT_VERSION = 1
"""Stored as ``PRAGMA user_version``; a file with a higher number is refused."""
APPLICATION_ID = 0x63797373
"""``PRAGMA application_id`` of every session file ("cyss")."""
DB_NAME = "session.sqlite"
HEAD_NAME = "head"
HEAD_FORMAT = "cyclesim-head/1"
_HEAD_SIZE = 128
"""Bytes of the head file; it is always rewritten whole, in place, at offset 0."""
_CHAIN_START = hashlib.sha256(b"cyclesim journal").hexdigest()

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scenario (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    source_path TEXT NOT NULL,   -- the file the session was started from
    source TEXT NOT NULL,        -- that file's text, as it was
    standalone TEXT              -- the scenario as played, library references expanded (NULL if not reproducible)
);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY,
    t INTEGER NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,          -- canonical JSON of the record's data
    wall REAL NOT NULL           -- wall-clock time of the commit (listing only)
);
CREATE TABLE opened (
    n INTEGER PRIMARY KEY,
    wall REAL NOT NULL,
    how TEXT NOT NULL,           -- 'play' or 'resume'
    records INTEGER NOT NULL,    -- records in the store at that moment
    pid INTEGER NOT NULL
);
"""
_META_KEYS = ("format", "scenario", "title", "seed", "content_hash", "duration", "created")


class SessionError(InputError):
    """A session that cannot be used as asked: missing, damaged, newer, in use, changed."""


class StoreFullError(SessionError):
    """The disk (or the file-size limit) is full: the record was not committed; the earlier ones are safe."""


def chain(previous: str, seq: int, t: int, kind: str, data: str) -> str:
    """The journal hash after one more record (``data`` as stored: canonical JSON text)."""
    return hashlib.sha256(f"{previous}\n{seq}\t{t}\t{kind}\t{data}".encode("utf-8", "surrogatepass")).hexdigest()


def read_head(folder: Path) -> tuple[int, str] | None:
    """(records, hash) the head file says were committed, or None if there is no readable head."""
    try:
        text = (Path(folder) / HEAD_NAME).read_bytes()[:_HEAD_SIZE].decode("ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(text) != 3 or text[0] != HEAD_FORMAT or not text[1].isdigit() or len(text[2]) != 64:
        return None
    return int(text[1]), text[2]


# ---------------------------------------------------------------- locations

def resolve(arg: str | Path, base: Path | None = None) -> Path:
    """A session folder from what the user typed: a folder, its session.sqlite, or a name in the default dir."""
    path = Path(arg)
    if path.name == DB_NAME and path.is_file():
        return path.parent
    if path.is_dir():
        return path
    if len(path.parts) == 1:
        candidate = (base or default_sessions_dir()) / path
        if candidate.is_dir():
            return candidate
    raise SessionError(f"no session or file {str(arg)!r} (give an events.jsonl, a session folder, "
                       "or a name listed by 'cyclesim sessions')")


# ---------------------------------------------------------------- store

@dataclass(frozen=True)
class Meta:
    """What a session file says about itself (from the meta and scenario tables)."""

    scenario: str
    title: str
    seed: int
    content_hash: str
    duration: int
    created: float
    source_path: str
    source: str
    standalone: str | None
    clock: int = 0
    """How far the facilitator's clock had got (minutes), as last marked; records may stop earlier."""


class Store:
    """One session file. Open it with :meth:`create` (new) or :meth:`open` (read-only, checked)."""

    def __init__(self, folder: Path, conn: sqlite3.Connection, *, writable: bool,
                 clock: Callable[[], float] = time.time):
        self.folder = Path(folder)
        self.db = self.folder / DB_NAME
        self._conn = conn
        self.writable = writable
        self.clock = clock
        self.warnings: list[str] = []
        """Things a reader should be told (a record read with a NaN as null)."""
        self.integrity: list[str] = []
        """Ways the journal differs from what was committed (ends early, changed); resume refuses, readers warn."""
        self._head_fd: int | None = None
        self._stopped: str | None = None
        """Why this store takes no more records: a batch was not committed (see :meth:`batch`)."""
        self._head: tuple[int, str] = (0, _CHAIN_START)

    # ------------------------------------------------------------ opening
    @classmethod
    def create(cls, folder: Path, *, meta: dict, source_path: str, source: str, standalone: str | None,
               clock: Callable[[], float] = time.time) -> Store:
        """A new session file in an existing, locked, empty folder; all of it in one transaction."""
        db = Path(folder) / DB_NAME
        conn = sqlite3.connect(db, isolation_level=None, timeout=0)
        try:
            _writer_pragmas(conn)
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";\n"):  # not executescript: it would COMMIT the open transaction
                if statement.strip():
                    conn.execute(statement)
            values = {**meta, "format": FORMAT, "created": repr(clock())}
            conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])
            conn.execute("INSERT INTO scenario(id, source_path, source, standalone) VALUES (1, ?, ?, ?)",
                         (source_path, source, standalone))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            raise
        store = cls(Path(folder), conn, writable=True, clock=clock)
        store._open_head()
        _fsync_dir(Path(folder))
        store.note_opened("play")
        return store

    @classmethod
    def open(cls, folder: Path) -> Store:
        """Open a session read-only and check it; SessionError (exit 2) for anything wrong."""
        folder = Path(folder)
        db = folder / DB_NAME
        if not db.is_file():
            raise SessionError(f"{folder}: not a session folder (no {DB_NAME})")
        conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro", uri=True, isolation_level=None, timeout=5)
        try:
            tolerated = _check(conn, db)
            store = cls(folder, conn, writable=False)
            store._verify_head(tolerated)
        except BaseException:
            conn.close()
            raise
        return store

    def make_writable(self, clock: Callable[[], float] = time.time) -> None:
        """Reopen read-write for appending; the caller must hold the session's lock."""
        if self.writable:
            return
        self._conn.close()
        conn = sqlite3.connect(self.db, isolation_level=None, timeout=0)
        _writer_pragmas(conn)
        self._conn, self.writable, self.clock = conn, True, clock
        self._open_head()

    def close(self) -> None:
        self._conn.close()
        if self._head_fd is not None:
            os.close(self._head_fd)
            self._head_fd = None

    # ------------------------------------------------------------ journal head
    def _open_head(self) -> None:
        """Open the head for rewriting and bring it to the records in the database."""
        self._head = self._chain_of_records()
        self._head_fd = os.open(self.folder / HEAD_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        self._write_head()

    def _write_head(self) -> None:
        if self._head_fd is None:
            return
        line = f"{HEAD_FORMAT} {self._head[0]} {self._head[1]}\n".ljust(_HEAD_SIZE).encode("ascii")
        os.pwrite(self._head_fd, line, 0)

    def _chain_of_records(self, upto: int | None = None) -> tuple[int, str]:
        h, n = _CHAIN_START, 0
        query = "SELECT seq, t, kind, data FROM records ORDER BY seq"
        for seq, t, kind, data in self._conn.execute(query):
            if upto is not None and n >= upto:
                break
            h, n = chain(h, seq, t, kind, data), n + 1
        return n, h

    def _verify_head(self, tolerated: list[int]) -> None:
        for seq in tolerated:
            self.warnings.append(f"{self.db}: record #{seq} holds a NaN or infinity (written before cyclesim "
                                 "refused them); it is read with null in its place")
        head = read_head(self.folder)
        if head is None:
            return  # a session from before the head existed, or one whose head was never written
        want, digest = head
        have, got = self._chain_of_records(upto=want)
        if have < want:
            self.integrity.append(f"{self.db}: the journal ends early: {want} records were committed but only "
                                  f"{have} are stored (the session's -wal file was lost or the file was replaced)")
        elif got != digest:
            self.integrity.append(f"{self.db}: the journal was changed after it was committed: its first {want} "
                                  "records do not hash to what was recorded in the session's head file")

    # ------------------------------------------------------------ reading
    def meta(self) -> Meta:
        rows = dict(self._conn.execute("SELECT key, value FROM meta"))
        scen = self._conn.execute("SELECT source_path, source, standalone FROM scenario WHERE id = 1").fetchone()
        try:
            return Meta(scenario=rows["scenario"], title=rows.get("title", ""), seed=int(rows["seed"]),
                        content_hash=rows["content_hash"], duration=int(rows["duration"]),
                        created=float(rows["created"]), source_path=scen[0], source=scen[1], standalone=scen[2],
                        clock=int(rows.get("clock", 0)))
        except (KeyError, ValueError, TypeError) as e:
            raise SessionError(f"{self.db}: damaged session metadata ({e})") from None

    def records(self) -> list[Record]:
        out = []
        for seq, t, kind, data in self._conn.execute("SELECT seq, t, kind, data FROM records ORDER BY seq"):
            try:
                obj = json.loads(data)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                raise SessionError(f"{self.db}: record #{seq} is damaged ({e})") from None
            obj, _ = scrub(obj)  # a NaN from an old version reads as null; open() has said so in warnings
            out.append(Record(seq, t, kind, obj))
        return out

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM records").fetchone()[0]

    def last(self) -> tuple[int, int, str, float] | None:
        """(seq, t, kind, wall) of the newest record."""
        return self._conn.execute("SELECT seq, t, kind, wall FROM records ORDER BY seq DESC LIMIT 1").fetchone()

    def has_kind(self, kind: str) -> bool:
        return self._conn.execute("SELECT 1 FROM records WHERE kind = ? LIMIT 1", (kind,)).fetchone() is not None

    def opened(self) -> list[tuple[float, str, int]]:
        return list(self._conn.execute("SELECT wall, how, records FROM opened ORDER BY n"))

    # ------------------------------------------------------------ writing
    def append(self, record: Record) -> None:
        """Commit one record (its own transaction: on disk when this returns)."""
        if not self.writable:
            raise SessionError(f"{self.db} is open read-only")
        if self._stopped is not None:
            raise SessionError(f"{self.db}: the session takes no more records: {self._stopped}; every record "
                               "committed before is safe: resume the session")
        data = canonical(record.data)
        try:
            self._conn.execute("INSERT INTO records(seq, t, kind, data, wall) VALUES (?, ?, ?, ?, ?)",
                               (record.seq, record.t, record.kind, data, self.clock()))
        except sqlite3.Error as e:
            raise _store_error(self.db, f"record #{record.seq}", e) from None
        self._head = (self._head[0] + 1, chain(self._head[1], record.seq, record.t, record.kind, data))
        if not self._conn.in_transaction:  # inside a batch, the head is written once the batch commits
            self._head_written()

    def _head_written(self) -> None:
        """Bring the head file to the records committed (after their commit: the head may lag, never lead)."""
        if self._head_fd is not None:
            try:
                self._write_head()
            except OSError:  # the records are committed; the head only lags, which a reader accepts
                pass

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Commit every record appended inside as one transaction (one sync to disk instead of one each).

        For a writer that shows records to nobody before the block ends (the
        session host releases them to seats after it): a crash inside loses
        only records no one saw, which a resume derives again from the inputs.
        """
        if not self.writable:
            raise SessionError(f"{self.db} is open read-only")
        if self._conn.in_transaction:  # nested: the outer block commits
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        before = self._head
        try:
            yield
        except BaseException as e:
            self._abandon(before, f"a batch of records was rolled back ({type(e).__name__})")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._abandon(before, "a batch of records could not be committed")
            raise _store_error(self.db, "a batch of records", e) from None
        self._head_written()  # not before: a process killed inside the block left a head ahead of the database

    def _abandon(self, head: tuple[int, str], why: str) -> None:
        """A batch is not committed: the head goes back to what the database holds, and no record follows.

        The writer's journal still holds the batch's records; one written after them would leave
        a gap in the stored sequence that no resume could close. Resuming rebuilds them from the inputs.
        """
        self._head = head
        self._stopped = why
        if self._conn.in_transaction:  # SQLite may have rolled back by itself (a full disk, an I/O error)
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def set_clock(self, minutes: int) -> None:
        """Remember how far the clock got (it can run past the last record)."""
        if not self.writable:
            raise SessionError(f"{self.db} is open read-only")
        try:
            self._conn.execute("INSERT INTO meta(key, value) VALUES ('clock', ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(int(minutes)),))
        except sqlite3.Error as e:
            raise _store_error(self.db, "the clock mark", e) from None

    def note_opened(self, how: str) -> None:
        self._conn.execute("INSERT INTO opened(wall, how, records, pid) VALUES (?, ?, (SELECT count(*) FROM records), ?)",
                           (self.clock(), how, os.getpid()))


def _store_error(db: Path, what: str, e: sqlite3.Error) -> SessionError:
    """A failed write, said plainly; a full disk gets its own type so a UI can stop the clock and say so."""
    text = str(e)
    code = getattr(e, "sqlite_errorcode", None)
    if code == getattr(sqlite3, "SQLITE_FULL", 13) or "disk is full" in text or "database or disk is full" in text:
        return StoreFullError(f"{db}: the disk is full: {what} was not committed; every earlier record is safe. "
                              "Free some space, then resume the session.")
    return SessionError(f"{db}: cannot commit {what}: {text}")


def _writer_pragmas(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise SessionError(f"cannot put the session store in WAL mode (got {mode!r})")
    conn.execute("PRAGMA synchronous = FULL")


def _check(conn: sqlite3.Connection, db: Path) -> list[int]:
    """Refuse anything that is not an intact session of a format this version reads.

    Returns the records that hold a NaN or infinity (tolerated, see :func:`_tolerable`).
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as e:
        raise SessionError(f"{db}: not a readable session file ({e}); it was left as it is") from None
    if app_id == 0 and not tables:
        raise SessionError(f"{db}: incomplete session (it was never fully created); it was left as it is")
    if app_id != APPLICATION_ID:
        raise SessionError(f"{db}: not a cyclesim session file (application id {app_id:#x})")
    if version > FORMAT_VERSION:
        raise SessionError(f"{db}: written by a newer cyclesim (session format {version}; this version reads "
                           f"format {FORMAT_VERSION}). Upgrade cyclesim to use it; it was left as it is.")
    if version < 1 or not {"meta", "scenario", "records"} <= tables:
        raise SessionError(f"{db}: incomplete or unknown session layout (format {version}); it was left as it is")
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        count, low, high = conn.execute("SELECT count(*), min(seq), max(seq) FROM records").fetchone()
        keys = {r[0] for r in conn.execute("SELECT key FROM meta")}
        invalid = conn.execute("SELECT seq, data FROM records WHERE CASE WHEN json_valid(data) "
                               "THEN json_type(data) != 'object' ELSE 1 END ORDER BY seq LIMIT 1001").fetchall()
    except sqlite3.DatabaseError as e:
        raise SessionError(f"{db}: damaged session file ({e}); it was left as it is") from None
    if problems != ["ok"]:
        raise SessionError(f"{db}: damaged session file ({problems[0]}); it was left as it is")
    if count and (low != 0 or high != count - 1):
        raise SessionError(f"{db}: damaged journal (records {low}..{high} but {count} stored); it was left as it is")
    tolerated, bad = _tolerable(invalid)
    if bad is not None:
        raise SessionError(f"{db}: record #{bad} is damaged (not a JSON object); it was left as it is")
    missing = [k for k in _META_KEYS if k not in keys]
    if missing:
        raise SessionError(f"{db}: damaged session metadata (missing {', '.join(missing)}); it was left as it is")
    return tolerated


def _tolerable(rows: list[tuple[int, str]]) -> tuple[list[int], int | None]:
    """Of the records SQLite calls invalid JSON, those that are objects with a NaN or infinity, and the first other one.

    Older versions wrote NaN and Infinity (Python's JSON extension); such a
    record is kept and read with null in their place, not treated as damage.
    """
    tolerated: list[int] = []
    for seq, data in rows:
        try:
            obj = json.loads(data)
        except (ValueError, TypeError, RecursionError):
            return tolerated, seq
        if not isinstance(obj, dict) or not scrub(obj)[1]:
            return tolerated, seq
        tolerated.append(seq)
    return tolerated, (None if len(rows) <= 1000 else rows[-1][0])


def _fsync_dir(folder: Path) -> None:
    """Make the new files' directory entries durable too (a power cut right after creation)."""
    for d in (folder, folder.parent):
        try:
            fd = os.open(d, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def read_session(folder: Path, warnings: list[str] | None = None) -> tuple[Meta, list]:
    """A session's metadata and records, read once through a read-only store.

    What a reader should be told (records read with null for a NaN, a journal
    that ends early or was changed) is appended to ``warnings`` when given.
    """
    store = Store.open(folder)
    try:
        if warnings is not None:
            warnings.extend(store.integrity + store.warnings)
        return store.meta(), store.records()
    finally:
        store.close()
