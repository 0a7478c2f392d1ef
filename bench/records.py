"""Cost of checking records against their declarations at write time.

Replays vital-signs under the doctrine policy, then times the compiled check
the journal runs on every append (:func:`simulator.journal.records.validator`) and
:func:`simulator.journal.records.check` (run only to word a refusal) over
every record it wrote, and the replay itself, so the share of the checks in a
replay is a same-run ratio.

    python bench/records.py
"""

from __future__ import annotations

import timeit
from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.journal.records import check, validator
from simulator.players.policies import POLICIES
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    plan = Plan.of(load(ROOT / "scenarios" / "vital-signs.yaml").scenario)

    def replay() -> Exercise:
        ex = Exercise(plan, seed=1, sources=[POLICIES["doctrine"]()])
        ex.run()
        return ex

    records = [(r.kind, r.data) for r in replay().journal]
    runs = 5
    replay_s = min(timeit.repeat(replay, number=1, repeat=runs))
    check_s = min(timeit.repeat(lambda: [check(k, d) for k, d in records], number=1, repeat=runs))
    compiled = [(validator(k), d) for k, d in records]
    valid_s = min(timeit.repeat(lambda: [fn(d) for fn, d in compiled if fn is not None], number=1, repeat=runs))
    print(f"records per replay        {len(records)}")
    print(f"replay (best of {runs})       {replay_s * 1000:.1f} ms")
    print(f"compiled checks (append)  {valid_s * 1000:.2f} ms  ({valid_s / len(records) * 1e6:.2f} us a record)")
    print(f"check() of those records  {check_s * 1000:.2f} ms  ({check_s / len(records) * 1e6:.2f} us a record)")
    print(f"share of the replay       {valid_s / replay_s:.3f}")


if __name__ == "__main__":
    main()
