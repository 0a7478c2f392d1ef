"""The SQLite session store and Session: durability settings, resume, and every refusal.

Each refusal must raise a clear error (SessionError: exit 2; DivergenceError:
exit 1) and leave the session's files exactly as they were.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise
from simulator.errors import EXIT_BAD_INPUT, EXIT_FAILURE
from simulator.journal.listing import list_sessions, summarize
from simulator.journal.records import example
from simulator.journal.store import (
    DB_NAME,
    FORMAT_VERSION,
    SessionError,
    Store,
)
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.rebuild import DivergenceError
from simulator.session.session import Session

DRILL = Path(__file__).resolve().parent.parent / "data" / "sessions" / "drill.yaml"
SEED = 5


@pytest.fixture(scope="module")
def drill():
    loaded = load(DRILL)
    return loaded, Plan.of(loaded.scenario, loaded.content_hash)


def _play(ex: Exercise, until: int = 700) -> None:
    """A few inputs of every kind, the way the TUI gives them: between steps."""
    ex.run(until=40)
    ex.note(text="Clock started.", kind="note")
    ex.hold("TUT-02")
    ex.run(until=100)
    ex.submit("ie", decision="D04", rationale="Share now.", params={"tlp": "TLP:AMBER"})
    ex.run(until=150)
    ex.release("TUT-02")
    ex.set_channel("ca-IE-eu", "degraded")
    ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="Vendor call", body="Agent abused.")
    ex.run(until=until)


def _play_in(session: Session, ex: Exercise, until: int = 700) -> None:
    _play(ex, until)
    session.mark_clock(ex.now)  # as the TUI does after each tick


def _new(tmp_path: Path, drill, name: str = "s", **kw) -> tuple[Session, Exercise]:
    loaded, plan = drill
    session = Session.create(loaded, SEED, tmp_path / name, **kw)
    return session, Exercise(plan, seed=SEED, journal=session.journal)


def _files(folder: Path) -> dict[str, bytes]:
    """The session's data: database and WAL bytes.

    Left out: the -shm index (any reader rebuilds it; it holds no data) and an
    empty -wal, which SQLite creates when a reader opens a cleanly closed file.
    """
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(DB_NAME)
            and not p.name.endswith("-shm") and p.stat().st_size}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, drill):
    """A session stopped part-way (closed cleanly, as after quitting the TUI), made once."""
    folder = tmp_path_factory.mktemp("pristine")
    session, ex = _new(folder, drill)
    _play_in(session, ex)
    lines = [r.line() for r in ex.journal]
    session.close()
    return folder / "s", lines


@pytest.fixture
def stopped(tmp_path, pristine):
    """A fresh copy of the pristine session for a test to resume, damage or lock."""
    shutil.copytree(pristine[0], tmp_path / "s")
    return tmp_path / "s", pristine[1]


# ---------------------------------------------------------------- writing

def test_store_is_wal_with_full_sync_and_commits_each_record_as_it_happens(tmp_path, drill):
    session, ex = _new(tmp_path, drill)
    conn = session.store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    ex.run(until=100)
    # another connection sees every record while the session is still open: each was committed
    reader = Store.open(session.path)
    assert [r.line() for r in reader.records()] == [r.line() for r in ex.journal]
    assert reader.meta().content_hash == drill[0].content_hash and reader.meta().seed == SEED
    reader.close()
    session.close()


def test_create_refuses_an_existing_session_folder(tmp_path, drill, stopped):
    with pytest.raises(SessionError, match="already exists"):
        Session.create(drill[0], SEED, stopped[0])


def test_default_location_is_the_xdg_data_dir(tmp_path, drill, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    first = Session.create(drill[0], SEED)
    second = Session.create(drill[0], SEED)
    assert first.path == tmp_path / "xdg" / "cyclesim" / "sessions" / "drill-001"
    assert second.path.name == "drill-002"
    first.close()
    second.close()
    assert [s.name for s in list_sessions()] == ["drill-001", "drill-002"]


def test_a_failed_commit_stops_the_journal_with_a_clear_error(tmp_path, drill):
    session, ex = _new(tmp_path, drill)
    session.store._conn.close()  # the disk went away
    with pytest.raises(SessionError, match="cannot commit record #1"):
        ex.run(until=100)
    with pytest.raises(SessionError, match="stopped accepting"):
        ex.journal.append(0, "observation.noted", example("observation.noted"))
    session._lock.release()


# ---------------------------------------------------------------- resume

def test_resume_rebuilds_record_for_record_and_appends_to_the_same_store(stopped, drill):
    folder, lines = stopped
    session, resumed = Session.resume(folder)
    ex = resumed.exercise
    assert [r.line() for r in ex.journal] == lines and resumed.stored == len(lines)
    assert ex.now == 700 > ex.journal[-1].t  # where the clock had got, past the last record
    ex.note(text="Resumed after a crash.", kind="note")
    ex.run()
    final = [r.line() for r in ex.journal]
    session.close()
    store = Store.open(folder)
    assert [r.line() for r in store.records()] == final
    assert [how for _, how, _ in store.opened()] == ["play", "resume"]
    store.close()
    # the same session, played without a stop, gives the same journal
    ref = Exercise(drill[1], seed=SEED)
    _play(ref)
    ref.note(text="Resumed after a crash.", kind="note")
    ref.run()
    assert [r.line() for r in ref.journal] == final


def test_resume_stops_exactly_after_a_trailing_input(tmp_path, drill):
    """A facilitator acts and the terminal dies: the rebuild must not run an event further."""
    session, ex = _new(tmp_path, drill)
    ex.run(until=300)
    ex.fire("TUT-06")
    at, steps, lines = ex.now, ex.steps, [r.line() for r in ex.journal]
    session.close()
    session, resumed = Session.resume(tmp_path / "s", check_only=True)
    assert (resumed.exercise.now, resumed.exercise.steps) == (at, steps)
    assert [r.line() for r in resumed.exercise.journal] == lines and resumed.completed == 0
    session.close()


def test_check_only_writes_nothing(stopped):
    folder, _ = stopped
    before = _files(folder)
    session, resumed = Session.resume(folder, check_only=True)
    assert not session.store.writable
    with pytest.raises(SessionError, match="read-only"):
        session.store.append(resumed.exercise.journal[0])
    session.close()
    assert _files(folder) == before


def test_missing_original_plays_the_stored_copy(tmp_path, drill):
    moved = tmp_path / "drill.yaml"
    moved.write_text(DRILL.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load(moved)
    session = Session.create(loaded, SEED, tmp_path / "s")
    ex = Exercise(drill[1], seed=SEED, journal=session.journal)
    _play(ex)
    session.close()
    moved.unlink()
    session, resumed = Session.resume(tmp_path / "s", check_only=True)
    assert "is gone" in resumed.note and resumed.loaded.content_hash == loaded.content_hash
    session.close()


# ---------------------------------------------------------------- refusals

def test_changed_scenario_is_refused_unless_stored_copy_is_asked_for(tmp_path, stopped):
    folder, lines = stopped
    changed = tmp_path / "changed.yaml"
    changed.write_text(DRILL.read_text(encoding="utf-8").replace("T+600m", "T+610m"), encoding="utf-8")
    before = _files(folder)
    with pytest.raises(SessionError, match="scenario changed since the session started") as e:
        Session.resume(folder, scenario_file=changed)
    assert e.value.exit_code == EXIT_BAD_INPUT and "--stored" in str(e.value)
    assert _files(folder) == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: cyclesim/1\nid: [\n", encoding="utf-8")
    with pytest.raises(SessionError, match="no longer loads"):
        Session.resume(folder, scenario_file=broken)
    session, resumed = Session.resume(folder, scenario_file=changed, use_stored=True, check_only=True)
    assert [r.line() for r in resumed.exercise.journal] == lines
    session.close()


def test_diverging_journal_names_the_first_differing_record(stopped):
    folder, _ = stopped
    conn = sqlite3.connect(folder / DB_NAME)
    seq = conn.execute("SELECT min(seq) FROM records WHERE kind = 'inject.delivered'").fetchone()[0]
    conn.execute("UPDATE records SET data = replace(data, '\"title\":\"', '\"title\":\"EDITED ') WHERE seq = ?", (seq,))
    conn.commit()
    conn.close()
    before = _files(folder)
    with pytest.raises(DivergenceError) as e:
        Session.resume(folder)
    assert f"at record #{seq} (inject.delivered" in str(e.value) and "differing fields: title" in str(e.value)
    assert e.value.exit_code == EXIT_FAILURE
    assert _files(folder) == before


def test_an_engine_that_changed_since_is_a_divergence(stopped, monkeypatch):
    from simulator.engine import rng

    real = rng.Streams.minutes
    monkeypatch.setattr(rng.Streams, "minutes", lambda self, *a, **k: real(self, *a, **k) + 1)
    with pytest.raises(DivergenceError, match="differs from the stored one at record #"):
        Session.resume(stopped[0], check_only=True)


def test_a_stored_input_the_engine_refuses_is_a_divergence(stopped):
    folder, _ = stopped
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("UPDATE records SET data = replace(data, 'TUT-02', 'TUT-99') WHERE kind = 'facilitator.held'")
    conn.commit()
    conn.close()
    with pytest.raises(DivergenceError, match=r"input record #\d+ \(facilitator.held .*unknown inject 'TUT-99'"):
        Session.resume(folder, check_only=True)


def test_locked_session_is_refused(stopped):
    folder, _ = stopped
    holder = Session.open(folder)
    before = _files(folder)
    with pytest.raises(SessionError, match="in use by another running cyclesim") as e:
        Session.resume(folder)
    assert e.value.exit_code == EXIT_BAD_INPUT and f"pid {os.getpid()}" in str(e.value)
    assert summarize(folder).state == "in use"
    holder.close()
    assert _files(folder) == before
    assert summarize(folder).state == "resumable"


@pytest.mark.parametrize("damage, message", [
    ("garbage", "not a readable session file"),
    ("truncate", "damaged session file|not a readable session file|damaged journal"),
    ("future", "written by a newer cyclesim"),
    ("foreign", "not a cyclesim session file"),
    ("empty", "incomplete session"),
    ("gap", "damaged journal"),
    ("bad-json", "record #3 is damaged"),
])
def test_damaged_or_foreign_files_are_refused_and_left_alone(stopped, damage, message):
    folder, _ = stopped
    db = folder / DB_NAME
    if damage == "garbage":
        data = bytearray(db.read_bytes())
        data[0:4096] = bytes(range(256)) * 16
        db.write_bytes(bytes(data))
    elif damage == "truncate":
        db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 2])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        conn = sqlite3.connect(db)
        if damage == "future":
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
        elif damage == "foreign":
            conn.execute("PRAGMA application_id = 42")
        elif damage == "gap":
            conn.execute("DELETE FROM records WHERE seq = 5")
        elif damage == "bad-json":
            conn.execute("UPDATE records SET data = '{\"half' WHERE seq = 3")
        conn.commit()
        conn.close()
    before = _files(folder)
    with pytest.raises(SessionError, match=message) as e:
        Session.resume(folder)
    assert e.value.exit_code == EXIT_BAD_INPUT
    assert _files(folder) == before
    assert summarize(folder).state == "unreadable"


def test_listing_reports_scenario_progress_and_state(tmp_path, drill, stopped):
    ended, ex = _new(tmp_path, drill, "ended")
    ex.run()
    ended.close()
    live, ex = _new(tmp_path, drill, "live")
    ex.run(until=200)
    rows = {s.name: s for s in list_sessions(tmp_path)}
    assert rows["s"].state == "resumable" and rows["s"].t_reached == 700  # the clock, past the last record
    assert rows["ended"].state == "ended" and rows["ended"].t_reached == drill[0].scenario.duration
    assert rows["live"].state == "in use" and rows["live"].records == len(ex.journal)
    assert rows["s"].scenario == "drill" and rows["s"].seed == SEED
    assert rows["s"].started <= rows["s"].last_activity
    live.close()


def test_a_session_folder_is_its_owner_s_only_it_holds_red_injects_in_full(tmp_path, drill):
    made = Session.create(drill[0], SEED, tmp_path / "new")
    made.close()
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    given = tmp_path / "given"
    given.mkdir(mode=0o755)
    given.chmod(0o755)
    Session.create(drill[0], SEED, given).close()
    assert given.stat().st_mode & 0o777 == 0o700, "an empty folder given as --session is made private too"


def test_a_folder_the_filesystem_will_not_make_private_is_said_not_fatal(tmp_path, drill, monkeypatch, capsys):
    def refuse(self, mode):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(Path, "chmod", refuse)
    Session.create(drill[0], SEED, tmp_path / "shared").close()
    assert "could not make" in capsys.readouterr().err and (tmp_path / "shared" / "session.sqlite").is_file()


def test_a_session_from_before_private_folders_becomes_private_when_resumed(tmp_path, drill):
    session, ex = _new(tmp_path, drill)
    _play_in(session, ex)
    session.close()
    (tmp_path / "s").chmod(0o755)
    resumed, _ = Session.resume(tmp_path / "s")
    resumed.close()
    assert (tmp_path / "s").stat().st_mode & 0o777 == 0o700
