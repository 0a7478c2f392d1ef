"""One run of a sweep as a pure function: (variant, player, seed) -> a result row.

A :class:`Runner` lives in a worker process for the whole sweep and builds
each variant's engine :class:`~simulator.scenario.plan.Plan` the first time it
needs it, so the plan is built once per worker, not once per run. Only the
row (a few numbers and the journal's sha256) goes back to the parent; the
journal itself stays in the worker and is dropped.
"""

from __future__ import annotations

from typing import Any

from simulator.sweep.plan import Job, SweepPlan

FIXED_COLUMNS = ("run", "seed", "player")
"""Columns before the varied parameters; the outcome measures and sha256 follow them."""


class Runner:
    def __init__(self, plan: SweepPlan):
        self.plan = plan
        self._plans: dict[int, Any] = {}

    def engine_plan(self, variant: int):
        built = self._plans.get(variant)
        if built is None:
            from simulator.scenario.plan import Plan

            v = self.plan.variants[variant]
            built = self._plans[variant] = Plan.of(v.scenario, v.content_hash)
        return built

    def run(self, job: Job) -> dict[str, Any]:
        from simulator.engine.exercise import Exercise
        from simulator.journal.outcome import outcome

        player = self.plan.players[job.player]
        variant = self.plan.variants[job.variant]
        if self.plan.fork is not None:
            from simulator.sweep.forecast import start_future

            ex = start_future(self.engine_plan(job.variant), self.plan.fork, job.seed, player)
        else:
            ex = Exercise(self.engine_plan(job.variant), seed=job.seed, sources=[player.source()],
                          decide_on=self.plan.decide_on)
        ex.run(until=self.plan.until)
        row: dict[str, Any] = {"run": job.index, "seed": job.seed, "player": player.label}
        row.update(variant.texts)
        row.update(outcome(ex.journal))
        row["sha256"] = ex.journal.export_hash()
        return row

    def run_many(self, jobs: list[Job]) -> list[dict[str, Any]]:
        from simulator.engine.batch import batch_gc

        with batch_gc():
            return [self.run(j) for j in jobs]
