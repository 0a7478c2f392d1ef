"""TUI responsiveness with a 10,000-record journal: first frame and key-to-frame latency.

Builds a big exercise by adding many timed injects (each sent to every played
actor) to the tutorial and playing it headless until its journal holds at
least 10,000 records, then opens the app on it the way ``cyclesim resume``
does and measures, headless through Textual's pilot:

* folding the journal into the view (JournalView), alone;
* time to the first frame (briefing) and to the play screen after the start key;
* keypress-to-frame latency for the main keys, against an unbound key
  measured in the same run (the pilot's own cost: about 70 ms on a 2-core VM);
* the same keys while the 20 Hz timer drives the engine at ×3600.

Usage: python bench/tui.py [--records 10000] [--repeat 5] [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.commands.common import load_plan  # noqa: E402
from simulator.engine import Exercise  # noqa: E402
from simulator.model import Inject  # noqa: E402
from simulator.plan import Plan  # noqa: E402
from tui.app import CyclesimApp  # noqa: E402
from tui.journal_view import JournalView  # noqa: E402


def big_exercise(records: int) -> Exercise:
    """The tutorial plus enough broadcast injects to journal ``records`` records before the end."""
    loaded, plan = load_plan(None)
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
    big = scenario.model_copy(update={"injects": [*scenario.injects, *extra]})
    ex = Exercise(Plan.of(big, plan.content_hash), seed=1)
    for until in range(60, big.duration, 60):
        ex.run(until=until)
        if len(ex.journal) >= records:
            break
    return ex


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def measure(ex: Exercise, size: tuple[int, int], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        out.setdefault(name, []).append(value)

    t0 = time.perf_counter()
    app = CyclesimApp(ex, autotick=False)
    built = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = time.perf_counter()
        note("app built (journal folded into the view)", built - t0)
        note("first frame (briefing), from construction", first - t0)
        t = time.perf_counter()
        await pilot.press("s")
        await pilot.pause()
        note("start key -> play screen frame", time.perf_counter() - t)
        await pilot.press("space")  # keep the clock still while measuring keys
        await pilot.pause()
        for _ in range(repeat):
            t = time.perf_counter()
            await pilot.press("x")
            await pilot.pause()
            note("unbound key x (baseline: the pilot's own cost)", time.perf_counter() - t)
            for key, label in (("t", "t (switch team view)"), ("2", "2 (Decide tab: engine checks)"),
                               ("1", "1 (Inbox tab)"), ("space", "space (run/pause)"),
                               ("v", "v (MSEL filter: rebuild)"), ("down", "down (cursor)")):
                if key == "v" and app.play.active_team is not None:
                    await pilot.press("escape")
                    await pilot.pause()
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                note(label, time.perf_counter() - t)
            if not app.driver.paused:
                await pilot.press("space")
            t = time.perf_counter()
            app.driver.jump_to_next_inject()
            app.tick()
            await pilot.pause()
            note("tick to the next inject (~15 new records) -> frame", time.perf_counter() - t)
    return out


async def measure_live(ex: Exercise, size: tuple[int, int], repeat: int) -> dict[str, list[float]]:
    """Keys while the real 20 Hz timer runs the engine at ×3600."""
    out: dict[str, list[float]] = {}
    app = CyclesimApp(ex, autotick=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.driver.set_speed(4)  # ×3600
        for _ in range(repeat):
            for key in ("t", "2", "1"):
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                out.setdefault(f"{key} while running ×3600", []).append(time.perf_counter() - t)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="120x40")
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

    results = asyncio.run(measure(ex, (w, h), args.repeat))
    live = build_live(args.records, args.repeat, (w, h))
    print(f"\nheadless pilot at {w}x{h}, median of {args.repeat} (first-frame figures: one run)")
    base = statistics.median(results["unbound key x (baseline: the pilot's own cost)"])
    for name, values in {**results, **live}.items():
        med = statistics.median(values)
        ratio = f"  ({med / base:4.1f}× the baseline key)" if "baseline" not in name else ""
        print(f"  {name:<48} {ms(med)}  max {ms(max(values))}{ratio}")
    return 0


def build_live(records: int, repeat: int, size: tuple[int, int]) -> dict[str, list[float]]:
    return asyncio.run(measure_live(big_exercise(records), size, repeat))


if __name__ == "__main__":
    raise SystemExit(main())
