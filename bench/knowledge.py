"""What situational pictures cost: the live fold inside a replay, and folding a finished journal.

    python bench/knowledge.py [scenario] [runs]

Replays the scenario under the doctrine (seed 1) and times, inside it, the
calls that fold each record into the actors' pictures (the live
``exercise.knowledge``); then folds the finished journal again from scratch
(what ``cyclesim picture`` and the report do). Prints both as ratios to the
replay measured in the same run (best of ``runs``).
"""

from __future__ import annotations

import gc
import sys
import time

from simulator.bundled import scenarios_dir
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import Knowledge
from simulator.players.policies import Doctrine
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "vital-signs"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    plan = Plan.of(load(scenarios_dir() / f"{name}.yaml").scenario)
    feed = Knowledge.feed
    spent = [0.0]

    def timed(self, r):
        t0 = time.perf_counter()
        feed(self, r)
        spent[0] += time.perf_counter() - t0

    best = None
    Knowledge.feed = timed
    gc.disable()  # as replays run at the CLI (simulator.engine.batch)
    try:
        for _ in range(runs):
            spent[0] = 0.0
            t0 = time.perf_counter()
            ex = Exercise(plan, seed=1, sources=[Doctrine()])
            ex.run()
            replay = time.perf_counter() - t0
            if best is None or replay < best[0]:
                best = (replay, spent[0], ex)
    finally:
        Knowledge.feed = feed
        gc.enable()
    replay, live, ex = best
    folds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        k = Knowledge(ex.journal, plan=plan)
        folds.append(time.perf_counter() - t0)
    facts = sum(len(p) for p in k.pictures.values())
    print(f"{name}: {len(ex.journal)} records, {len(k.pictures)} actors with a picture, {facts} facts held")
    print(f"replay (doctrine, seed 1):         {replay * 1000:.1f} ms")
    print(f"  of which the live fold:          {live * 1000:.1f} ms  ({live / replay:.3f} x the replay)")
    print(f"fold the finished journal again:   {min(folds) * 1000:.1f} ms  ({min(folds) / replay:.3f} x the replay)")


if __name__ == "__main__":
    main()
