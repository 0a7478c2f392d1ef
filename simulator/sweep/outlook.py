"""The outlook of an exercise in play: a forecast summarised for people.

``cyclesim forecast`` forks a saved session (the facilitator console and the host
run it in a child process, :mod:`simulator.forecast_child`);
:func:`forecast_exercise` forks an exercise in this process, for library users.
Both play many futures (:mod:`simulator.sweep.forecast`) and need the same
summary: each outcome measure's spread ahead, as a table and as the text of an
annex that can be sent to a team with an impact and severity assessment
("possible evolution scenarios", Council conclusions on the EU cyber posture;
domain.md §1.4).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.journal.outcome import NO_VALUE
from simulator.sweep.stats import PERCENTILES, distribution, measure_columns, show
from simulator.timefmt import format_duration, format_time

MEASURE_NAMES = {
    "downtime_hours": "service downtime (entity-hours)",
    "entities_hit": "entities hit",
    "peak_eccs": "peak ECCS",
    "time_to_recovery": "time to recovery",
    "disinfo_peak": "peak disinformation reach",
    "clocks_missed": "reporting clocks missed",
    "ms_affected": "Member States affected",
}
"""Plain names of the outcome measures (simulator.journal.outcome), for an annex a non-specialist reads."""


@dataclass(frozen=True)
class Outlook:
    """What a forecast says: its frame, and each measure's percentiles over the futures played."""

    scenario: str
    fork_at: int
    until: int
    policy: str
    rows: tuple[dict[str, Any], ...]
    measures: tuple[str, ...]
    folder: Path | None = None
    """where runs.csv, sweep.json and sweep.html were written, when they were"""

    @property
    def runs(self) -> int:
        return len(self.rows)

    def table(self) -> list[tuple[str, list[str], int]]:
        """(measure, its formatted percentiles in PERCENTILES order, runs without a value) per measure."""
        out = []
        for m in self.measures:
            d = distribution(list(self.rows), m)
            out.append((m, [show(m, d.percentiles[q]) for q in PERCENTILES], d.missing))
        return out

    def table_json(self) -> dict[str, Any]:
        """The table as data, for a screen that lays it out itself: column names and one row per measure."""
        return {"columns": ["measure", *(f"p{q}" for q in PERCENTILES), "none"],
                "rows": [[m, *values, missing] for m, values, missing in self.table()]}

    def lines(self) -> list[str]:
        """The table as fixed-width text, the way ``cyclesim forecast`` prints it."""
        width = max((len(m) for m in self.measures), default=8)
        head = f"{'measure':<{width}}  " + "  ".join(f"{'p' + str(q):>7}" for q in PERCENTILES) + "     none"
        return [head, *(f"{m:<{width}}  " + "  ".join(f"{v:>7}" for v in values) + f"  {missing:>7}"
                        for m, values, missing in self.table())]

    def annex(self) -> str:
        """The annex text: what may still happen between now and the horizon, in words and figures."""
        span = format_duration(self.until - self.fork_at)
        lo, mid, hi = PERCENTILES[0], 50 if 50 in PERCENTILES else PERCENTILES[len(PERCENTILES) // 2], PERCENTILES[-1]
        rows = []
        for m, values, missing in self.table():
            name, why = MEASURE_NAMES.get(m, m), NO_VALUE.get(m)
            if missing == self.runs:
                rows.append(f"- {name}: no value in any future" + (f" ({why})" if why else ""))
                continue
            by_q = dict(zip(PERCENTILES, values))
            low, median, high = by_q[lo], by_q[mid], by_q[hi]
            spread = (f"most likely, and in at least the middle {hi - lo}% of futures" if low == high
                      else f"most likely, between {low} and {high}")
            note = f" (no value in {missing} of {self.runs}" + (f": {why})" if why else ")") if missing else ""
            rows.append(f"- {name}: {median} {spread}{note}")
        return (f"Possible evolution scenarios from {format_time(self.fork_at)} to {format_time(self.until)} "
                f"({span} ahead): {self.runs} simulated futures of {self.scenario}, the same past in each, "
                f"decisions from now on taken by the {self.policy} policy. Median, and the range of the middle "
                f"{hi - lo}% of futures (p{lo} to p{hi}):\n" + "\n".join(rows) +
                "\nA simulation, not a prediction: it shows how much is still open, not what will happen.")


def outlook_of(result, scenario: str, fork, until: int, policy: str, folder: Path | None = None) -> Outlook:
    """An :class:`Outlook` from a finished forecast's rows (a :class:`~simulator.sweep.execute.SweepResult`)."""
    return Outlook(scenario, fork.at, until, policy, tuple(result.rows), tuple(measure_columns(result.columns)), folder)


def forecast_exercise(exercise, out: Path, *, runs: int = 100, horizon: int = 48 * 60, policy: str = "doctrine",
                      workers: int = 1, source: str = "SESSION") -> Outlook:
    """Play ``runs`` futures of a live exercise from its clock to ``horizon`` minutes ahead; write them to ``out``.

    The exercise is only read: its journal and plan are forked, never changed. Seeds 1..runs, as
    ``cyclesim forecast SESSION --runs N`` would use on the saved session, so either gives the same rows.
    ``source``: the session's name or folder, for the command the page prints.
    """
    from simulator.scenario.loader import LoadedScenario
    from simulator.sweep.forecast import fork_of
    from simulator.sweep.plan import build_plan
    from simulator.sweep.write import finish

    plan = exercise.plan
    scenario = plan.scenario
    fork = fork_of(exercise.journal, scenario.id, exercise.now)
    until = min(fork.at + horizon, scenario.duration)
    loaded = LoadedScenario(scenario, Path(scenario.id), plan.content_hash)
    sweep = build_plan(loaded, scenario.id, list(range(1, runs + 1)), [policy], [], [],
                       until=until if until < scenario.duration else None, fork=fork)
    meta = {"kind": "forecast", "scenario": scenario.id, "title": scenario.title, "source": "the exercise in play",
            "fork_at": format_time(fork.at), "until": format_time(until), "seeds": f"1-{runs}",
            "players": [policy], "vary": [], "planned": sweep.size, "content_hash": plan.content_hash,
            "command": "cyclesim forecast " + " ".join(
                shlex.quote(a) for a in [source, "--runs", str(runs), "--horizon", f"{horizon}m", "--policy", policy])}
    result = finish(sweep, out, meta, workers=workers, show_progress=False)
    return outlook_of(result, scenario.id, fork, until, policy, out)
