"""What the incident model costs: replays with and without it, and the counterfactual's runs.

    python bench/incident.py                 # vital-signs and harbour-lights, doctrine, 3 repeats
    python bench/incident.py --repeats 5

For each storyline, the same scenario and seed are replayed with its
``incident_model`` and with the model removed (the storyline of injects
alone), best CPU time of ``--repeats`` each, in the same run; printed:
records written, CPU seconds, and ``ratio`` = with / without. Then the time
of :func:`simulator.report.counterfactual.compare` on the doctrine journal
(doctrine and passive replays plus one replay per decision left out), as a
ratio to one plain replay.
"""

from __future__ import annotations

import argparse
import time

from simulator.commands.common import load_plan
from simulator.engine.batch import batch_gc
from simulator.engine.exercise import Exercise
from simulator.players.policies import Doctrine
from simulator.report.counterfactual import compare
from simulator.scenario.plan import Plan


def best(plan: Plan, repeats: int) -> tuple[float, Exercise]:
    times, ex = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        ex = Exercise(plan, seed=1, sources=[Doctrine()])
        with batch_gc():
            ex.run()
        times.append(time.process_time() - t0)
    assert ex is not None
    return min(times), ex


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    for name in ("vital-signs", "harbour-lights"):
        loaded, plan = load_plan(name)
        bare = Plan.of(loaded.scenario.model_copy(update={"incident_model": None}), loaded.content_hash)
        with_t, ex = best(plan, args.repeats)
        without_t, ex0 = best(bare, args.repeats)
        print(f"{name}: with model {len(ex.journal)} records {with_t:.3f} s CPU; without {len(ex0.journal)} records "
              f"{without_t:.3f} s CPU; ratio {with_t / without_t:.2f}")
        t0 = time.process_time()
        cf = compare(ex.journal, plan)
        cf_t = time.process_time() - t0
        print(f"{name}: counterfactual {cf_t:.3f} s CPU ({len(cf['mattered'])} decisions ranked); "
              f"ratio to one replay {cf_t / with_t:.1f}")


if __name__ == "__main__":
    main()
