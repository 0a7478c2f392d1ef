"""Plays a scripted facilitated session into a session store, for the crash tests.

Run as a subprocess: ``python session_driver.py FOLDER ACK new|resume [--pause-ms N] [--stall-after SEQ]``,
or as the target of a forked process (:func:`forked`, what the tests do: the
fork server has the simulator imported already, so each of the many driver
processes starts in milliseconds instead of an interpreter start).
It plays ACTIONS against the drill scenario the way the TUI does: the clock
advances in small ``run(until=...)`` chunks, and each input goes in between
steps through the same engine method the TUI calls. After every action it
replaces ACK (a small JSON file; never a pipe, which could fill up and block
the writer) with how far it got; ``pause-ms`` between chunks spreads the writes
out so that a SIGKILL from the test lands at varied points, between and during
commits.

``--stall-after SEQ`` makes it hang right after record SEQ is committed (a
journal listener runs after the commit), so a kill lands at an exact point
inside a step: records of that step after SEQ are not written yet.

In ``resume`` mode it resumes the session (rebuild + check), then goes on
with the actions that are not in the journal yet. Every action adds exactly
one input record, so the number of input records says where to go on from.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

SCENARIO = Path(__file__).resolve().parent.parent / "data" / "sessions" / "drill.yaml"
SEED = 3
CHUNK = 20
"""Minutes of scenario time per run(until=...) call, like a TUI tick at high speed."""

ACTIONS: list[tuple[int, str, dict]] = [
    (10, "observation.noted", {"text": "Teams seated; EXCON starts the clock.", "kind": "note", "author": "lead evaluator"}),
    (25, "facilitator.held", {"inject": "TUT-02"}),
    (60, "decision.submitted", {"team": "ie", "decision": "D04", "params": {"tlp": "TLP:AMBER"},
                                "rationale": "Peers need the indicators now."}),
    (100, "decision.submitted", {"team": "ie", "point": "DP-SHARE", "option": "share-amber",
                                 "rationale": "Same vendor tool may be in other hospitals."}),
    (130, "facilitator.channel", {"channel": "ca-IE-eu", "status": "degraded"}),
    (150, "facilitator.released", {"inject": "TUT-02"}),
    (200, "facilitator.injected", {"inject": {"from": "EXCON", "to": ["CSIRT-IE"], "title": "Vendor call",
                                              "body": "The vendor confirms its maintenance agent was abused.\n"
                                                      "Customers are being told today.",
                                              "tlp": "TLP:AMBER", "channel": None}}),
    (230, "observation.noted", {"text": "IE shares quickly, at the right TLP.", "kind": "strength",
                                "objective": "OBJ-1", "team": "ie", "author": "evaluator"}),
    (260, "facilitator.held", {"inject": "TUT-05"}),
    (300, "decision.submitted", {"team": "eu", "decision": "D06", "rationale": "Two MS hit: inform the officers."}),
    (345, "facilitator.channel", {"channel": "ca-IE-eu", "status": "up"}),
    (380, "facilitator.released", {"inject": "TUT-05"}),
    (420, "decision.submitted", {"team": "eu", "decision": "D07", "rationale": "ECCS 4: convene executives."}),
    (480, "facilitator.fired", {"inject": "TUT-06"}),
    (520, "observation.noted", {"text": "The leak-site post caught the EU cell by surprise.", "kind": "improvement",
                                "team": "eu", "author": "evaluator"}),
    (600, "facilitator.injected", {"inject": {"from": "EXCON", "to": ["CYCLONE"], "title": "Press enquiry",
                                              "body": "A journalist asks whether the EU is coordinating.",
                                              "tlp": "TLP:CLEAR", "channel": None}}),
    (700, "decision.submitted", {"team": "eu", "decision": "D08", "rationale": "Executives met: assess impact."}),
    (830, "decision.submitted", {"team": "ie", "point": "DP-ESCALATE", "option": "escalate",
                                 "rationale": "Same actor in two Member States: escalate."}),
    (900, "facilitator.channel", {"channel": "ccma-IE-cyclone", "status": "cut"}),
    (1000, "observation.noted", {"text": "OBJ-2 met late.", "kind": "rating", "objective": "OBJ-2", "rating": "S",
                                 "author": "evaluator"}),
    (1100, "facilitator.channel", {"channel": "ccma-IE-cyclone", "status": "up"}),
    (1250, "decision.submitted", {"team": "eu", "decision": "D11", "rationale": "Large-scale: IPCR information sharing."}),
    (1400, "observation.noted", {"text": "Hot wash-up notes taken.", "kind": "note", "author": "lead evaluator"}),
    (1600, "facilitator.injected", {"inject": {"from": "EXCON", "to": ["everyone"], "title": "ENDEX in 3 hours",
                                               "body": "", "tlp": "TLP:CLEAR", "channel": None}}),
]


def ack(path: Path, **data) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)  # atomic: the test never reads half a file


def play(ex, start: int, pause: float, on_action=lambda i: None, end: bool = True, session=None,
         stop: int | None = None) -> None:
    """Apply ACTIONS[start:stop] the way the TUI does, then (if end) run to the end."""

    def tick(until: int | None) -> None:
        ex.run(until=until)
        if session is not None:
            session.mark_clock(ex.now)  # as the TUI does after each tick
        if pause:
            time.sleep(pause)

    for i in range(start, len(ACTIONS) if stop is None else stop):
        t, kind, payload = ACTIONS[i]
        while ex.now < t:
            tick(min(t, ex.now + CHUNK))
        ex.apply_input(kind, json.loads(json.dumps(payload)))
        on_action(i + 1)
    while end and not ex.ended:
        tick(ex.now + CHUNK if ex.now + CHUNK <= ex.duration else None)


def main(argv: list[str]) -> int:
    folder, ack_path, mode = Path(argv[0]), Path(argv[1]), argv[2]
    opts = dict(zip(argv[3::2], argv[4::2]))
    pause = float(opts.get("--pause-ms", 0)) / 1000
    stall = int(opts.get("--stall-after", -1))
    from simulator.engine.exercise import Exercise
    from simulator.scenario.loader import load
    from simulator.scenario.plan import Plan
    from simulator.session.session import Session

    if mode == "new":
        loaded = load(SCENARIO)
        session = Session.create(loaded, SEED, folder)
        ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=SEED, journal=session.journal)
    else:
        session, resumed = Session.resume(folder)
        ex = resumed.exercise
    done = len(ex.journal.inputs())
    ack(ack_path, phase="started", actions=done, records=len(ex.journal))

    def hang(record) -> None:
        if record.seq == stall:
            ack(ack_path, phase="stalled", actions=len(ex.journal.inputs()), records=record.seq + 1)
            time.sleep(60)

    ex.journal.subscribe(hang)

    def acked(n: int) -> None:
        ack(ack_path, phase="playing", actions=n, records=len(ex.journal))

    play(ex, done, pause, acked, session=session)
    ack(ack_path, phase="done", actions=len(ACTIONS), records=len(ex.journal))
    session.close()
    return 0


def forked(argv: list[str], stderr_path: str) -> None:
    """:func:`main` in a forked process: stderr to ``stderr_path`` (read by the test), stdout discarded."""
    fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    sys.exit(main(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
