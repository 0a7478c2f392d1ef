"""TUI responsiveness with a 10,000-record journal: first frame and key-to-frame latency.

Builds a big exercise by adding many timed injects (each sent to every played
actor) to the tutorial and playing it headless until its journal holds at
least 10,000 records, then opens the app on it the way ``cyclesim resume``
does and measures, headless through Textual's pilot:

* folding the journal into the view (JournalView), alone;
* time to the first frame (briefing) and to the play screen after the start key;
* keypress-to-frame latency for the main keys, against an unbound key
  measured in the same run (the pilot's own cost: it waits in 20 ms slices
  until the process is idle, about 90 ms on a 2-core VM);
* the first switch to a team: the app builds team views in the background
  while the briefing shows (from 1 s after launch; each filled, laid out off
  screen and drawn ahead), so for a facilitator who reads the briefing this is
  an ordinary switch; here the start key comes within half a second, so it
  usually builds the view itself. The switch that builds a view and fills its
  680-row inbox on demand (background building held off, start then t at once)
  is measured on its own;
* the same keys while the 20 Hz timer drives the engine at ×3600.

Each figure is the median wall time, then the CPU time this process spent
(``time.process_time``), which other processes on a shared machine do not
inflate. The app is built and its collector tuned as ``run_tui`` does
(``tui.app.tune_gc``); ``--no-gc-tuning`` leaves CPython's defaults.

Usage: python bench/tui.py [--records 10000] [--repeat 5] [--size 120x40] [--no-gc-tuning]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from bigjournal import big_exercise

import tui.screens.play as play_screen
from simulator.engine.exercise import Exercise
from tui.app import CyclesimApp, tune_gc, untune_gc
from tui.journal_view import JournalView
from tui.widgets.views import TeamView

UNBOUND = "z"
"""A key nothing binds on the play screen (x was once unbound; it now writes the MSEL)."""
BASELINE = f"unbound key {UNBOUND} (baseline: the pilot's own cost)"


def check_unbound(app) -> None:
    """Refuse to measure against a baseline key that something binds (it would not be a baseline)."""
    bound = {key.strip() for key in app.screen.active_bindings}
    if UNBOUND in bound:
        raise SystemExit(f"bench: the baseline key {UNBOUND!r} is bound on {type(app.screen).__name__}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


Figures = dict[str, list[tuple[float, float]]]
"""Measure name -> (wall, cpu) seconds per run."""


class Clock:
    """Wall and CPU time of one measured step."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    @classmethod
    def since(cls, wall: float, cpu: float) -> Clock:
        c = cls()
        c.wall, c.cpu = time.perf_counter() - wall, time.process_time() - cpu
        return c


async def measure(ex: Exercise, size: tuple[int, int], repeat: int, gc_tuning: bool) -> Figures:
    out: Figures = {}

    def note(name: str, c: Clock) -> None:
        out.setdefault(name, []).append((c.wall, c.cpu))

    async def key(name: str, k: str) -> None:
        views = len(app.play.query(TeamView)) if app.playing else 0
        with Clock() as c:
            await pilot.press(k)
            await pilot.pause()
        if k == "t" and len(app.play.query(TeamView)) > views:
            name = "t, first switch to a team (builds its view)"
        note(name, c)

    start_wall, start_cpu = time.perf_counter(), time.process_time()
    app = CyclesimApp(ex, autotick=False)
    built = Clock.since(start_wall, start_cpu)
    thresholds = tune_gc() if gc_tuning else None  # as run_tui does, before the app runs
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            first = Clock.since(start_wall, start_cpu)
            note("app built (journal folded into the view)", built)
            note("first frame (briefing), from construction", first)
            await key("start key -> play screen frame", "s")
            await pilot.press("space")  # keep the clock still while measuring keys
            await pilot.pause()
            check_unbound(app)
            for _ in range(repeat):
                await key(BASELINE, UNBOUND)
                for k, label in (("t", "t (switch team view)"), ("2", "2 (Decide tab: engine checks)"),
                                 ("1", "1 (Inbox tab)"), ("space", "space (run/pause)"),
                                 ("v", "v (MSEL filter: rebuild)"), ("down", "down (cursor)")):
                    if k == "v" and app.play.active_team is not None:
                        await pilot.press("escape")
                        await pilot.pause()
                    await key(label, k)
                if not app.driver.paused:
                    await pilot.press("space")
                with Clock() as c:
                    app.driver.jump_to_next_inject()
                    app.tick()
                    await pilot.pause()
                note("tick to the next inject (~15 new records) -> frame", c)
            for _ in app.ex.plan.teams:  # the loop always switches to the first team: now to every one
                await key("t (switch team view)", "t")
    finally:
        if thresholds is not None:
            untune_gc(thresholds)
    return out


async def measure_live(ex: Exercise, size: tuple[int, int], repeat: int, gc_tuning: bool) -> Figures:
    """Keys while the real 20 Hz timer runs the engine at ×3600."""
    out: Figures = {}
    app = CyclesimApp(ex, autotick=True)
    thresholds = tune_gc() if gc_tuning else None
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.press("s")
            await pilot.pause()
            app.driver.set_speed(4)  # ×3600
            check_unbound(app)
            for _ in range(repeat):
                for k in (UNBOUND, "t", "2", "1"):
                    with Clock() as c:
                        await pilot.press(k)
                        await pilot.pause()
                    out.setdefault(f"{k} while running ×3600", []).append((c.wall, c.cpu))
    finally:
        if thresholds is not None:
            untune_gc(thresholds)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--no-gc-tuning", dest="gc_tuning", action="store_false",
                        help="leave CPython's collector settings as they are (run_tui tunes them)")
    args = parser.parse_args()
    w, h = (int(x) for x in args.size.split("x"))

    t = time.perf_counter()
    ex = big_exercise(args.records)
    print(f"built a journal of {len(ex.journal):,} records at T+{ex.now // 60}h in {time.perf_counter() - t:.2f} s "
          f"({len(ex.plan.injects)} injects)")
    t = time.perf_counter()
    view = JournalView(ex.plan)
    view.feed_records(ex.journal.since(0))
    print(f"JournalView.feed_records over the whole journal: {ms(time.perf_counter() - t)}")
    del view

    results = asyncio.run(measure(ex, (w, h), args.repeat, args.gc_tuning))
    results.update(asyncio.run(measure_build(ex, (w, h), args.gc_tuning)))
    live = build_live(args.records, args.repeat, (w, h), args.gc_tuning)
    print(f"\nheadless pilot at {w}x{h}, median of {args.repeat} (first-frame figures: one run); "
          f"collector {'tuned as run_tui does' if args.gc_tuning else 'untuned'}")
    print(f"  {'':<48} {'wall':>10}  {'max wall':>14}  {'cpu':>10}  {'max cpu':>14}")
    report(results, statistics.median(wall for wall, _cpu in results[BASELINE]))
    print("  while the 20 Hz timer runs the engine (ratios to the unbound key pressed while running)")
    report(live, statistics.median(wall for wall, _cpu in live[f"{UNBOUND} while running ×3600"]))
    return 0


def report(results: Figures, base: float) -> None:
    """One line per measure: median wall, worst wall, median and worst CPU, and the wall ratio to ``base``."""
    for name, values in results.items():
        walls = [wall for wall, _cpu in values]
        med = statistics.median(walls)
        cpu = statistics.median(c for _wall, c in values)
        ratio = f"  ({med / base:4.1f}× the baseline key)" if not name.startswith(UNBOUND) and "baseline" not in name else ""
        cpu_max = max(c for _wall, c in values)
        print(f"  {name:<48} {ms(med)}  max {ms(max(walls))}  {ms(cpu)}  max {ms(cpu_max)}{ratio}")


async def measure_build(ex: Exercise, size: tuple[int, int], gc_tuning: bool) -> Figures:
    """The first switch to a team when nothing was built in the background (start, then t at once)."""
    out: Figures = {}
    saved, play_screen.PREBUILD_AFTER = play_screen.PREBUILD_AFTER, 3600.0
    app = CyclesimApp(ex, autotick=False)
    thresholds = tune_gc() if gc_tuning else None
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("s", "space")
            await pilot.pause()
            with Clock() as c:
                await pilot.press("t")
                await pilot.pause()
            out["t, first switch, building the view on demand"] = [(c.wall, c.cpu)]
    finally:
        play_screen.PREBUILD_AFTER = saved
        if thresholds is not None:
            untune_gc(thresholds)
    return out


def build_live(records: int, repeat: int, size: tuple[int, int], gc_tuning: bool) -> Figures:
    return asyncio.run(measure_live(big_exercise(records), size, repeat, gc_tuning))


if __name__ == "__main__":
    raise SystemExit(main())
