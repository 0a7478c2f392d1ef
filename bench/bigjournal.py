"""A big journal for the UI benches: the tutorial plus broadcast injects, played until it holds N records.

``bench/tui.py`` opens the in-process app on :func:`big_exercise`;
``bench/seat.py`` writes the same exercise as a session (:func:`write_session`)
for ``cyclesim serve --resume`` to host, so both measure the same journal.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.journal.journal import Journal
from simulator.scenario.model import Inject, Scenario
from simulator.scenario.plan import Plan


def big_scenario(records: int) -> tuple[Scenario, str]:
    """The tutorial plus enough broadcast injects to journal ``records`` records; and its content hash."""
    _loaded, plan = load_plan(None)
    scenario = plan.scenario
    per_inject = 2 + 2 * len(plan.played)  # released, sent and delivered per actor, a state change
    count = records // per_inject + 50
    span = scenario.duration - 120
    extra = [Inject.model_validate({
        "id": f"BENCH-{i:04d}", "title": f"Situation update {i}: hospital services degraded",
        "from": "MEDIA", "to": ["everyone"], "tlp": "TLP:CLEAR", "at": f"T+{(1 + i * span // count)}m",
        "body": "Wire report on the state of hospital services. " * 3,
        "effects": {"public_trust": -0.001},
    }) for i in range(count)]
    return scenario.model_copy(update={"injects": [*scenario.injects, *extra]}), plan.content_hash


def play_until(ex: Exercise, records: int) -> Exercise:
    """Run hour by hour until the journal holds ``records`` records (or the exercise ends)."""
    for until in range(60, ex.duration, 60):
        ex.run(until=until)
        if len(ex.journal) >= records:
            break
    return ex


def big_exercise(records: int, journal: Journal | None = None) -> Exercise:
    """The big scenario played in memory until its journal holds at least ``records`` records."""
    scenario, content_hash = big_scenario(records)
    return play_until(Exercise(Plan.of(scenario, content_hash), seed=1, journal=journal), records)


def write_session(records: int, folder: Path) -> tuple[int, dict[str, int]]:
    """The big exercise played into a new session folder (for ``cyclesim serve --resume``).

    Returns how many records it holds, and per seat the ``seq`` of the last
    record the host's filter lets that seat see (a seat has caught up once it holds it).

    The scenario is written as a standalone copy, loaded from there (so the
    session keeps it), and the file removed: a resume then plays the stored copy.
    """
    from simulator.host.seats import SeatFilter, seats_of
    from simulator.scenario.loader import load
    from simulator.scenario.standalone import dump_yaml, source_data
    from simulator.session.session import Session

    scenario, _hash = big_scenario(records)
    source = folder.parent / f"{folder.name}-scenario.yaml"
    source.write_text(dump_yaml(source_data(scenario)), encoding="utf-8")
    loaded = load(source, library_dirs=[], standalone=True)
    session = Session.create(loaded, 1, folder)
    try:
        ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1, journal=session.journal)
        with session.store.batch():
            play_until(ex, records)
        session.mark_clock(ex.now)
        seats, seen = seats_of(ex.plan), SeatFilter(ex.plan)
        last: dict[str, int] = {}
        for record in ex.journal:
            seen.learn(record)
            for name, seat in seats.items():
                if seen.view(seat, record) is not None:
                    last[name] = record.seq
        return len(ex.journal), last
    finally:
        session.close()
        source.unlink()
