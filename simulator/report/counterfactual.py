"""The counterfactual of an after-action report: what doctrine, or doing nothing, would have given.

Computed on the fly from the scenario's plan and the journal's seed: the same
scenario and seed played by the doctrine policy and by the passive one, to
the same end as the played run, and their outcome measures
(:func:`simulator.journal.outcome.outcome`) beside the played ones. Then the
played inputs are replayed without each decision that took effect, in turn
(a few of them), and the decisions whose absence changes the outcome most are
listed: "the decisions that made the largest difference". Every replay runs
the unchanged engine; nothing is stored.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.briefing import decide_on_of
from simulator.engine.exercise import Exercise
from simulator.engine.inputs import ScheduledInput
from simulator.errors import SimulatorError
from simulator.journal.journal import INPUT_KINDS, Journal
from simulator.journal.outcome import KEYS, outcome
from simulator.players.policies import Doctrine, Passive
from simulator.timefmt import format_time

MAX_ABLATIONS = 8
"""Decisions replayed without, at most (each costs one run of the scenario)."""
LABELS = {
    "downtime_hours": "Service-hours lost", "entities_hit": "Entities hit", "ms_affected": "Member States affected",
    "peak_eccs": "Peak ECCS", "time_to_recovery": "Time to recovery", "disinfo_peak": "Disinformation peak",
    "clocks_missed": "Clocks missed",
}
LOWER_IS_BETTER = True
"""Every measure is a cost: lower is better (time to recovery: shorter; none = not recovered)."""


def compare(journal: Journal, plan) -> dict[str, Any] | None:
    """Played vs doctrine vs passive, and the decisions that mattered; None without a plan."""
    if plan is None or not len(journal):
        return None
    started = journal[0].data
    seed = int(started.get("seed") or 0)
    decide_on = decide_on_of(started)
    ended = any(r.kind == "exercise.ended" for r in journal)
    until = None if ended else journal[-1].t
    played = outcome(journal)
    runs = {"played": played,
            "doctrine": outcome(_play(plan, seed, until, decide_on, sources=[Doctrine()]).journal),
            "passive": outcome(_play(plan, seed, until, decide_on, sources=[Passive()]).journal)}
    inputs = [r for r in journal if r.kind in INPUT_KINDS]
    mattered, note = _ablations(plan, seed, until, inputs, decide_on)
    return {
        "seed": seed, "until": format_time(until) if until is not None else "the end",
        "columns": ["played", "doctrine", "passive"],
        "rows": [{"key": k, "label": LABELS[k], "values": [_show(k, runs[c][k]) for c in ("played", "doctrine", "passive")],
                  "raw": [runs[c][k] for c in ("played", "doctrine", "passive")],
                  "best": _best(k, [runs[c][k] for c in ("played", "doctrine", "passive")])} for k in KEYS],
        "mattered": mattered, "note": note,
    }


def _play(plan, seed: int, until: int | None, decide_on: str, sources=(), inputs=()) -> Exercise:
    ex = Exercise(plan, seed=seed, sources=sources, inputs=inputs, decide_on=decide_on)
    ex.run(until=until)
    return ex


def _timed(records) -> list[ScheduledInput]:
    """Inputs at their times (not their steps): a run without one of them has other step numbers."""
    return [ScheduledInput(r.kind, {k: v for k, v in r.data.items() if k != "step"}, r.t) for r in records]


def _takes(plan, rec, decision: str) -> bool:
    if rec.kind != "decision.submitted":
        return False
    if rec.get("decision") == decision:
        return True
    dp = plan.points.get(rec.get("point") or "")
    opt = next((o for o in dp.options if o.id == rec.get("option")), None) if dp else None
    return opt is not None and opt.decision == decision


def _ablations(plan, seed: int, until: int | None, inputs, decide_on: str) -> tuple[list[dict[str, Any]], str]:
    submitted = [r for r in inputs if r.kind == "decision.submitted"]
    if not submitted:
        return [], "No decision was taken in the played run: there is nothing to leave out."
    candidates: list[str] = []
    for r in submitted:
        d = r.get("decision")
        if d is None:
            dp = plan.points.get(r.get("point") or "")
            opt = next((o for o in dp.options if o.id == r.get("option")), None) if dp else None
            d = opt.decision if opt is not None else None
        if d and d != "D01" and d not in candidates and d in plan.catalogue:
            candidates.append(d)
    try:
        base = outcome(_play(plan, seed, until, decide_on, inputs=_timed(inputs)).journal)
    except SimulatorError as e:
        return [], f"The played inputs could not be replayed at their times ({e}); no decision was left out."
    out = []
    for d in candidates[:MAX_ABLATIONS]:
        kept = [r for r in inputs if not _takes(plan, r, d)]
        try:
            without = outcome(_play(plan, seed, until, decide_on, inputs=_timed(kept)).journal)
        except SimulatorError:
            continue
        delta = {k: _delta(without[k], base[k]) for k in ("downtime_hours", "entities_hit", "disinfo_peak")}
        out.append({"decision": d, "name": plan.catalogue[d].name, "without": {k: _show(k, without[k]) for k in KEYS},
                    "delta": delta, "weight": abs(delta["downtime_hours"] or 0) + 100 * abs(delta["disinfo_peak"] or 0)})
    out.sort(key=lambda x: (-x["weight"], x["decision"]))
    more = f" (the first {MAX_ABLATIONS} of {len(candidates)})" if len(candidates) > MAX_ABLATIONS else ""
    return out[:5], (f"Each decision{more} was left out of the played inputs in turn, same seed; "
                     "the change is what the run would have lost (+) or gained (−) without it.")


def _delta(a, b):
    if a is None or b is None:
        return None
    return round(a - b, 2)


def _show(key: str, value) -> str:
    if value is None:
        return "not recovered"
    if key == "time_to_recovery":
        return format_time(int(value)).replace("T+", "")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _best(key: str, values: list) -> list[bool]:
    known = [v for v in values if v is not None]
    if not known:
        return [False] * len(values)
    low = min(known)
    return [v is not None and v == low and len(set(known)) > 1 for v in values]
