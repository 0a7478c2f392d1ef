"""What a sweep runs: every (varied scenario, player, seed) combination, in a fixed order.

A :class:`SweepPlan` is built once in the parent process from the command
line: seeds parsed and bounded, players (policies and decisions scripts)
loaded and checked, each combination of ``--vary`` values applied to the
scenario and validated. It is small and picklable (scenarios as validated
models, scripts as parsed models), so a worker, local or on a cluster, needs
no file of the parent's. Runs are numbered in the order of :meth:`jobs`,
which is also the order of ``runs.csv`` whatever the number of workers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.model import Scenario
from simulator.sweep.vary import Vary, apply

MAX_RUNS = 1_000_000
"""Runs in one sweep: seeds x players x varied values."""
MAX_SEED = 2**63 - 1


def parse_seeds(text: str) -> list[int]:
    """``1-500``, ``1,5,9`` or ``1-10,20-30`` -> the seeds, in order, without repeats."""
    seeds: list[int] = []
    seen: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        lo, sep, hi = part.partition("-")
        try:
            a = int(lo)
            b = int(hi) if sep else a
        except ValueError:
            raise InputError(f"--seeds {text!r}: {part!r} is not a seed or a range like 1-500") from None
        if a < 0 or b < 0 or a > MAX_SEED or b > MAX_SEED:
            raise InputError(f"--seeds {text!r}: seeds are whole numbers from 0 to {MAX_SEED}")
        if b < a:
            raise InputError(f"--seeds {text!r}: the range {part} goes backwards")
        if b - a + 1 + len(seeds) > MAX_RUNS:
            raise InputError(f"--seeds {text!r}: more than {MAX_RUNS} seeds")
        for s in range(a, b + 1):
            if s not in seen:
                seen.add(s)
                seeds.append(s)
    return seeds


@dataclass(frozen=True)
class Player:
    """Who decides in a run: a policy by name, or a decisions script."""

    label: str
    policy: str | None = None
    script: Any = None
    script_path: str | None = None

    def source(self):
        """A fresh decision source for one run."""
        if self.policy is not None:
            from simulator.players.policies import POLICIES

            return POLICIES[self.policy]()
        from simulator.players.script import ScriptSource

        return ScriptSource(self.script)


@dataclass(frozen=True)
class Variant:
    """One combination of varied values, and the scenario with them set."""

    values: tuple[tuple[str, Any], ...]
    texts: tuple[tuple[str, str], ...]
    scenario: Scenario
    content_hash: str


@dataclass(frozen=True)
class Job:
    """One run: its number in the sweep, and which variant, player and seed."""

    index: int
    variant: int
    player: int
    seed: int


@dataclass(frozen=True)
class SweepPlan:
    scenario_ref: str
    """How the user named the scenario (for replay commands)."""
    variants: tuple[Variant, ...]
    players: tuple[Player, ...]
    seeds: tuple[int, ...]
    vary_paths: tuple[str, ...] = field(default=())
    until: int | None = None
    fork: Any = None
    """a :class:`~simulator.sweep.forecast.Fork` for a forecast: each run starts from a session's past"""
    decide_on: str = "knowledge"
    """what the players' decisions read in every run (a forecast takes its session's mode from the fork)"""

    @property
    def size(self) -> int:
        return len(self.variants) * len(self.players) * len(self.seeds)

    def jobs(self) -> list[Job]:
        out = []
        n = 0
        for v in range(len(self.variants)):
            for p in range(len(self.players)):
                for s in self.seeds:
                    out.append(Job(n, v, p, s))
                    n += 1
        return out

    def replay_command(self, row: dict) -> str:
        """The command that replays one run of this sweep."""
        import shlex

        player = next(p for p in self.players if p.label == row["player"])
        parts = ["cyclesim", "replay", self.scenario_ref, "--seed", str(row["seed"])]
        if player.policy:
            parts += ["--policy", player.policy]
        else:
            parts += ["--decisions", player.script_path or player.label]
        for path in self.vary_paths:
            parts += ["--vary", f"{path}={row[path]}"]
        if self.decide_on != "knowledge":
            parts += ["--decide-on", self.decide_on]
        return " ".join(shlex.quote(p) for p in parts)


def build_plan(loaded: LoadedScenario, scenario_ref: str, seeds: list[int], policies: list[str],
               scripts: list[str], varies: list[Vary], until: int | None = None, fork: Any = None,
               decide_on: str = "knowledge") -> SweepPlan:
    """Check every part of a sweep and fix its runs; raises InputError before anything runs."""
    from simulator.players.policies import POLICIES

    players: list[Player] = []
    for name in policies:
        if name not in POLICIES:
            raise InputError(f"--policy {name!r}: not a policy (choose from {', '.join(sorted(POLICIES))})")
        if any(p.label == name for p in players):
            raise InputError(f"--policy {name}: given twice")
        players.append(Player(name, policy=name))
    for path in scripts:
        from simulator.players.script import load_script

        label = Path(path).name
        if any(p.label == label for p in players):
            label = path
        if any(p.label == label for p in players):
            raise InputError(f"--decisions {path}: given twice")
        players.append(Player(label, script=load_script(path), script_path=path))
    if not players:
        players.append(Player("passive", policy="passive"))
    if not seeds:
        raise InputError("--seeds: no seed to run")
    paths = [v.path for v in varies]
    if len(set(paths)) != len(paths):
        raise InputError("--vary: the same PATH is given twice; list its values after one '='")
    total = len(seeds) * len(players)
    for v in varies:
        total *= len(v.values)
    if total > MAX_RUNS:
        raise InputError(f"the sweep has {total} runs; at most {MAX_RUNS}")
    variants = []
    for combo in itertools.product(*[list(zip(v.values, v.texts)) for v in varies]):
        values = tuple((v.path, val) for v, (val, _t) in zip(varies, combo))
        texts = tuple((v.path, t) for v, (_val, t) in zip(varies, combo))
        changed = apply(loaded, list(values))
        variants.append(Variant(values, texts, changed.scenario, changed.content_hash))
    plan = SweepPlan(scenario_ref, tuple(variants), tuple(players), tuple(seeds), tuple(paths), until, fork,
                     fork.decide_on if fork is not None else decide_on)
    _check_scripts(plan)
    return plan


def _check_scripts(plan: SweepPlan) -> None:
    """A decisions script must fit every variant (its points, options, times): check once, here."""
    from simulator.engine.exercise import Exercise
    from simulator.players.script import check_against
    from simulator.scenario.plan import Plan

    for variant in plan.variants:
        if not any(p.script is not None for p in plan.players):
            return
        ex = Exercise(Plan.of(variant.scenario, variant.content_hash), seed=0)
        for p in plan.players:
            if p.script is not None:
                check_against(p.script, ex)
