"""How fast the session store commits and resumes (figures, no assertions).

Usage: python bench/session_store.py [RECORDS]

Prints, on this machine:
- records committed per second, one transaction per record, for the session
  store's setting (WAL + synchronous=FULL) and, as the baseline measured in
  the same run, WAL + NORMAL (survives kill -9 but not a power cut);
- the time to play the drill scenario into a session and to resume it
  (open, check, rebuild, compare) from its store.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.journal.journal import Record, canonical
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

ROOT = Path(__file__).resolve().parent.parent
DRILL = ROOT / "tests" / "data" / "sessions" / "drill.yaml"
DATA = {"msg": "m12", "inject": "TUT-04", "from": "CSIRTS-NET", "to": "CSIRT-IE", "route": [["net", "a", "b"]],
        "tlp": "TLP:AMBER", "title": "CSIRTs Network: Belgian hospital hit by the same ransom note"}


def commits_per_second(sync: str, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "b.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {sync}")
        conn.execute("CREATE TABLE records (seq INTEGER PRIMARY KEY, t INTEGER, kind TEXT, data TEXT, wall REAL)")
        start = time.perf_counter()
        for i in range(n):
            rec = Record(i, i, "message.sent", DATA)
            conn.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                         (rec.seq, rec.t, rec.kind, canonical(rec.data), time.time()))
        took = time.perf_counter() - start
        conn.close()
    return n / took


def session_play_and_resume() -> tuple[float, float, int]:
    loaded = load(DRILL)
    plan = Plan.of(loaded.scenario, loaded.content_hash)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        session = Session.create(loaded, 3, Path(tmp) / "s")
        ex = Exercise(plan, seed=3, journal=session.journal)
        ex.run()
        played = time.perf_counter() - start
        n = len(ex.journal)
        session.close()
        start = time.perf_counter()
        session, _ = Session.resume(Path(tmp) / "s", check_only=True)
        resumed = time.perf_counter() - start
        session.close()
    return played, resumed, n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for sync in ("FULL", "NORMAL"):
        runs = [commits_per_second(sync, n) for _ in range(3)]
        print(f"WAL + synchronous={sync:<6} {statistics.median(runs):>9,.0f} records/s committed "
              f"(one transaction each; median of 3 x {n})")
    full, normal = (statistics.median([commits_per_second(s, n) for _ in range(3)]) for s in ("FULL", "NORMAL"))
    print(f"FULL / NORMAL throughput ratio: {full / normal:.2f}")
    runs = [session_play_and_resume() for _ in range(3)]
    play, resume, records = (statistics.median(x) for x in zip(*runs))
    print(f"drill scenario, {records:.0f} records: create + play into a session {play * 1000:.0f} ms; "
          f"resume (open, check, rebuild, compare) {resume * 1000:.0f} ms")


if __name__ == "__main__":
    main()
