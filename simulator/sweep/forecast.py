"""Forecasts: a session forked at its current time, then many possible futures.

Each forecast run replays the session exactly as it was played (its seed,
its inputs at their recorded steps) up to the fork, then gives the engine
fresh random streams (the run's seed) and an automatic player for what has
not happened yet, and plays on to the horizon. The past is the same in every
run; only the future differs. These are the "possible evolution scenarios"
an impact and severity assessment carries.

The replay of the past uses the engine's public API only (``step``,
``run(until=)``, ``apply_input``), the way a session is resumed; the parent
checks once, before any run, that it reproduces the stored records byte for
byte (:func:`check_past`), so a worker can trust it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.errors import InputError
from simulator.journal.journal import INPUT_KINDS
from simulator.timefmt import format_time


@dataclass(frozen=True)
class Fork:
    """What a forecast run needs of the session: its seed and inputs, and where it stands."""

    seed: int
    inputs: tuple[tuple[int, str, dict, int, int | None], ...]
    """(seq, kind, payload, t, step) of each recorded input, in order"""
    records: int
    at: int
    """the fork time: the session's clock mark, or its last record's time (minutes)"""
    source: str
    decide_on: str = "knowledge"
    """the mode the session was played in; its past and every future are played in it too"""


def fork_of(journal, source: str, clock: int | None = None) -> Fork:
    """The fork of a session's journal at its clock mark (or last record); InputError when nothing is ahead."""
    if not len(journal) or journal[0].kind != "exercise.started":
        raise InputError(f"{source}: not a cyclesim journal (no exercise.started record)")
    if journal[-1].kind == "exercise.ended":
        raise InputError(f"{source}: the session has ended at {format_time(journal[-1].t)}; nothing is left to "
                         "forecast (its report shows what happened: cyclesim report). To forecast from partway, "
                         "replay it up to then with its decisions and forecast that: cyclesim export SESSION "
                         "--decisions d.yaml; cyclesim replay SCENARIO --seed SEED --decisions d.yaml --until T+20:00 "
                         "--out DIR; cyclesim forecast DIR (it forks at DIR's last record)")
    inputs = tuple((r.seq, r.kind, {k: v for k, v in r.data.items() if k != "step"}, r.t, r.data.get("step"))
                   for r in journal if r.kind in INPUT_KINDS)
    at = max(journal[-1].t, int(clock or 0))
    duration = int(journal[0].data.get("duration") or 0)
    if duration and at >= duration:
        raise InputError(f"{source}: the session's clock is at the end ({format_time(at)}); nothing is left to forecast")
    from simulator.engine.briefing import decide_on_of

    return Fork(int(journal[0].data.get("seed", 0)), inputs, len(journal), at, source, decide_on_of(journal[0].data))


def replay_past(plan, fork: Fork):
    """A fresh exercise with the session's seed and inputs, brought to the end of its stored records."""
    from simulator.engine.exercise import Exercise

    ex = Exercise(plan, seed=fork.seed, decide_on=fork.decide_on)
    pending = list(fork.inputs)
    i = 0
    while len(ex.journal) < fork.records and not ex.ended:
        nxt = pending[i] if i < len(pending) else None
        if nxt is not None and nxt[0] == len(ex.journal):
            step = nxt[4]
            if isinstance(step, int) and ex.steps < step and ex.peek() <= ex.duration:
                ex.step()
                continue
            i += 1
            if nxt[3] > ex.now:
                ex.run(until=nxt[3])
            ex.apply_input(nxt[1], dict(nxt[2]))
            continue
        if ex.peek() > ex.duration:
            break  # the session stopped before the end: so does the past
        ex.step()
    return ex


def check_past(plan, fork: Fork, journal) -> None:
    """InputError unless replaying the session's inputs gives back its stored records exactly."""
    ex = replay_past(plan, fork)
    got = list(ex.journal)
    for rec in journal:
        if rec.seq >= len(got) or got[rec.seq].line() != rec.line():
            raise InputError(f"{fork.source}: replaying the session's inputs does not give back record #{rec.seq} "
                             f"({rec.kind} at {format_time(rec.t)}); was it played with another scenario "
                             "version? Nothing to forecast from.")


def start_future(plan, fork: Fork, seed: int, player) -> Any:
    """The session's past, then fresh streams from ``seed`` and ``player`` deciding from now on."""
    ex = replay_past(plan, fork)
    if ex.now < fork.at:
        ex.run(until=fork.at)
    ex.reseed(_future_seed(fork.seed, seed))
    player.source().attach(ex)
    return ex


def _future_seed(session_seed: int, seed: int) -> int:
    """Future streams differ from the session's own (seed k of a forecast is not the session replayed)."""
    import hashlib

    digest = hashlib.sha256(f"forecast/{session_seed}/{seed}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
