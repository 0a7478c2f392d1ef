"""The session store notices lost, changed and non-finite records, and a full disk.

A deleted ``-wal`` file takes the last commits with it and leaves a
consistent database; only the head file (count and running hash, outside the
database) can tell. NaN written by an older version must not make a session
unreadable: readers take null in its place and say so.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.exercise import Exercise
from simulator.journal.journal import Journal, NonFiniteError
from simulator.journal.listing import summarize
from simulator.journal.records import example
from simulator.journal.store import (
    DB_NAME,
    HEAD_NAME,
    SessionError,
    Store,
    StoreFullError,
    read_head,
    read_session,
)
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

DRILL = Path(__file__).resolve().parent.parent / "data" / "sessions" / "drill.yaml"
SEED = 5


def _session_at(folder: Path, until: int = 60) -> tuple[Session, Exercise]:
    """A new session of the drill, played to ``until``, open for more."""
    loaded = load(DRILL)
    session = Session.create(loaded, SEED, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=SEED, journal=session.journal)
    ex.run(until=until)
    return session, ex


def _played(folder: Path, until: int = 300) -> int:
    loaded = load(DRILL)
    session = Session.create(loaded, SEED, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=SEED, journal=session.journal)
    ex.run(until=60)
    ex.note(text="Clock started.", kind="note")
    ex.run(until=until)
    session.mark_clock(ex.now)
    n = len(session.journal)
    session.close()
    return n


def test_a_lost_wal_is_detected_by_resume_check_and_readers_warn(tmp_path, capsys):
    folder = tmp_path / "s"
    first = _played(folder, until=120)
    # play on (the first part was checkpointed at close), then copy the folder as a crash that lost its -wal leaves it
    session, result = Session.resume(folder)
    result.exercise.run(until=600)
    total = len(session.journal)
    assert total > first
    lost = tmp_path / "lost"
    lost.mkdir()
    shutil.copy(folder / DB_NAME, lost / DB_NAME)  # the main file only: the commits in the WAL are gone
    shutil.copy(folder / HEAD_NAME, lost / HEAD_NAME)
    session.close()
    stored = Store.open(lost)
    kept = stored.count()
    stored.close()
    assert kept < total, "the test needs commits that were only in the WAL"

    assert main(["resume", str(lost), "--check"]) == 2
    err = capsys.readouterr().err
    assert f"the journal ends early: {total} records were committed but only {kept} are stored" in err
    assert "Traceback" not in err

    out = tmp_path / "events.jsonl"
    assert main(["export", str(lost), "--events", str(out)]) == 0
    assert "warning:" in capsys.readouterr().err
    warnings: list[str] = []
    read_session(lost, warnings)
    assert any("ends early" in w for w in warnings)
    assert "ends early" in summarize(lost).problem  # 'cyclesim sessions' shows it too


def test_an_intact_session_has_no_warnings_and_checks_ok(tmp_path, capsys):
    folder = tmp_path / "s"
    _played(folder)
    assert main(["resume", str(folder), "--check"]) == 0
    assert capsys.readouterr().err == ""
    warnings: list[str] = []
    read_session(folder, warnings)
    assert warnings == []


def test_a_record_changed_after_commit_is_reported_to_readers(tmp_path, capsys):
    folder = tmp_path / "s"
    _played(folder)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("UPDATE records SET data = replace(data, 'Clock started.', 'Clock stopped.') "
                 "WHERE kind = 'observation.noted'")
    conn.commit()
    conn.close()
    assert main(["report", str(folder), "-o", str(tmp_path / "r.md")]) == 0
    assert "the journal was changed after it was committed" in capsys.readouterr().err
    assert main(["resume", str(folder), "--check"]) == 2


def test_an_old_record_with_nan_is_read_as_null_with_a_warning(tmp_path, capsys):
    folder = tmp_path / "s"
    _played(folder)
    conn = sqlite3.connect(folder / DB_NAME)
    # what an older version wrote for a form value of 1.5e999: Python's JSON extension 'Infinity'
    conn.execute("UPDATE records SET data = replace(data, '\"rating\":null', '\"rating\":Infinity') "
                 "WHERE kind = 'observation.noted'")
    conn.commit()
    conn.close()
    (folder / HEAD_NAME).unlink()  # as a session from before the head existed

    out = tmp_path / "events.jsonl"
    assert main(["export", str(folder), "--events", str(out)]) == 0
    err = capsys.readouterr().err
    assert "holds a NaN or infinity" in err and "read with null" in err
    assert b"Infinity" not in out.read_bytes() and b'"rating":null' in out.read_bytes()
    assert main(["report", str(folder), "-o", str(tmp_path / "r.html")]) == 0
    assert "holds a NaN or infinity" in capsys.readouterr().err
    code = main(["resume", str(folder), "--check"])
    err = capsys.readouterr().err
    assert code in (0, 1) and "Traceback" not in err  # rebuilt, or a divergence named; never 'damaged'
    assert "damaged" not in err


def test_the_journal_refuses_non_finite_numbers_on_append():
    journal = Journal()
    body = example("decision.submitted")
    with pytest.raises(NonFiniteError, match=r"params\.weight is inf"):
        journal.append(5, "decision.submitted", {**body, "params": {"weight": float("inf")}})
    with pytest.raises(NonFiniteError, match=r"params\.values\[1\] is nan"):
        journal.append(5, "decision.submitted", {**body, "params": {"values": [1.0, float("nan")]}})
    assert len(journal) == 0
    journal.append(5, "decision.submitted", {**body, "params": {"values": [1.0, 2.5]}})
    assert len(journal) == 1


class _FullConnection:
    """A connection whose writes fail as SQLite's do on a full disk."""

    def __init__(self, real):
        self.real = real

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *args)

    def close(self):
        self.real.close()


def test_a_full_disk_is_a_store_full_error_and_keeps_the_committed_records(tmp_path):
    folder = tmp_path / "s"
    session, ex = _session_at(folder)
    committed = len(session.journal)
    session.store._conn = _FullConnection(session.store._conn)
    with pytest.raises(StoreFullError, match="the disk is full: record #.* was not committed; every earlier"):
        ex.run(until=600)
    with pytest.raises(SessionError, match="stopped accepting records"):
        session.journal.append(ex.now, "observation.noted", example("observation.noted"))
    session.store._conn = session.store._conn.real
    session.close()
    assert read_session(folder)[1][-1].seq == committed - 1


def test_a_batch_writes_the_head_after_its_commit_so_a_writer_killed_inside_it_leaves_a_resumable_session(
        tmp_path, capsys):
    folder = tmp_path / "s"
    session, ex = _session_at(folder)
    committed = len(session.journal)
    with session.store.batch():  # as the host commits a tick's records
        ex.run(until=300)
        assert len(session.journal) > committed
        head = read_head(folder)
        assert head is not None and head[0] == committed, "the head ran ahead of what the database holds"
    assert read_head(folder)[0] == len(session.journal)
    done = len(session.journal)
    with pytest.raises(RuntimeError), session.store.batch():
        ex.note(text="never committed", kind="note")
        raise RuntimeError("the block failed")
    assert read_head(folder)[0] == done
    with pytest.raises(SessionError, match="takes no more records"):  # a record now would leave a gap in the store
        ex.note(text="after the rolled-back batch", kind="note")
    session.close()
    assert main(["resume", str(folder), "--check"]) == 0, capsys.readouterr().err


class _CommitFails:
    """A connection whose COMMIT fails as on a full disk (SQLite has rolled back by itself)."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        if sql == "COMMIT":
            self._conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)


def test_a_batch_whose_commit_fails_says_the_disk_is_full_and_leaves_the_head_at_the_database(tmp_path, capsys):
    folder = tmp_path / "s"
    session, ex = _session_at(folder)
    committed = len(session.journal)
    real = session.store._conn
    session.store._conn = _CommitFails(real)
    with pytest.raises(StoreFullError, match="the disk is full"), session.store.batch():
        ex.run(until=300)
    session.store._conn = real
    assert read_head(folder)[0] == committed
    with pytest.raises(SessionError, match="takes no more records"):
        ex.note(text="after the failed commit", kind="note")
    session.close()
    assert main(["resume", str(folder), "--check"]) == 0, capsys.readouterr().err
