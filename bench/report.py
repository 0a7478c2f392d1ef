"""Render time and file size of the after-action report for a 10,000-record journal.

    python bench/report.py                  # ~10,000 records, doctrine policy
    python bench/report.py --records 50000  # larger
    python bench/report.py --sandbox        # also time the --template-dir path (child process)

The journal comes from a real replay of a synthetic scenario built in code:
48 entities in 12 Member States that report incidents (NIS2 clocks, some
never filed, so some are missed), CSIRT posts in the CSIRTs Network, media
items to every played actor, injects at every TLP label, three decision
points, evaluator observations, and the doctrine policy deciding. The number
of injects is calibrated with a short replay so the journal has about
``--records`` records.

Figures printed (median of ``--repeats`` runs each):

- ``read_jsonl``: reading the canonical events.jsonl back (the baseline: every
  report from a file starts with it);
- ``build``: computing the report data from the journal (all sections, KPIs);
- ``html`` / ``md``: rendering with the built-in templates (charts included
  in HTML);
- ``ratio``: each step's time divided by ``read_jsonl``'s;
- sizes of report.html and report.md, and of the events.jsonl for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.engine.exercise import Exercise
from simulator.journal.journal import read_jsonl
from simulator.players.policies import POLICIES
from simulator.report import build
from simulator.report.render import chart_svgs, render_html, render_markdown
from simulator.scenario.model import Scenario
from simulator.scenario.plan import Plan

MEMBER_STATES = ("IE", "BE", "NL", "AT", "DE", "FR", "IT", "ES", "PL", "SE", "FI", "PT")
SECTORS = ("health", "energy", "banking", "transport")
TLPS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
MINUTES = 10 * 24 * 60


def scenario(rounds: int) -> Scenario:
    """The synthetic scenario with ``rounds`` inject rounds."""
    entities = [(ms, sector) for ms in MEMBER_STATES for sector in SECTORS]
    actors = [{"id": f"E-{ms}-{sector}", "name": f"{sector} operator in {ms}", "kind": "entity", "level": "entity",
               "ms": ms, "sector": sector, "essential": True, "reporting": ("auto", "late", "never")[i % 3]}
              for i, (ms, sector) in enumerate(entities)]
    injects = []
    for i in range(rounds):
        ms, sector = entities[(i * 5) % len(entities)]
        at = 10 + (i * (MINUTES - 600)) // rounds
        effects: dict = {}
        if i % 6 == 0:
            effects["impact"] = {f"{ms}/{sector}": ("green", "yellow", "red")[(i // 6) % 3]}
        if i % 7 == 0:
            effects["significant"] = [f"E-{ms}-{sector}"]
        injects.append({"id": f"R{i}", "at": f"T+{at}m", "from": f"E-{ms}-{sector}", "to": [f"CSIRT-{ms}"],
                        "tlp": TLPS[i % len(TLPS)], "title": f"{sector} operator in {ms}: incident #{i}",
                        "body": f"Encryption on several hosts (<round {i}>).", "effects": effects,
                        "objectives": ["OBJ-1"] if i % 9 == 0 else []})
        if i % 3 == 0:
            injects.append({"id": f"P{i}", "at": f"T+{at + 30}m", "from": f"CSIRT-{ms}", "to": ["CSIRT-IE"],
                            "tlp": "TLP:GREEN", "title": f"CSIRT-{ms} shares indicators"})
        if i % 10 == 0:
            injects.append({"id": f"M{i}", "at": f"T+{at + 45}m", "from": "MEDIA", "to": ["everyone"],
                            "tlp": "TLP:CLEAR", "title": f"Outages spread (report {i})",
                            "effects": {"public_trust": -0.002, "cross_border": True}})
    points = [{"id": f"DP-{n}", "team": "ie", "at": f"T+{h}h", "within": "4h", "prompt": f"Share round {n}?",
               "default": "hold", "objectives": ["OBJ-1"],
               "options": [{"id": "share", "label": "Share", "decision": "D04", "params": {"tlp": "TLP:AMBER"}},
                           {"id": "hold", "label": "Hold"}]} for n, h in ((1, 6), (2, 60), (3, 150))]
    return Scenario.model_validate({
        "format": "cyclesim/1", "id": "bench-report", "title": "Benchmark: report of a busy exercise",
        "summary": "Synthetic load for bench/report.py.", "tlp": "TLP:AMBER", "start": "2026-03-02T08:00:00+01:00",
        "duration": f"T+{MINUTES}m",
        "objectives": [{"id": "OBJ-1", "title": "Share early", "capability": "Operational coordination"},
                       {"id": "OBJ-2", "title": "Escalate", "capability": "Situational assessment"}],
        "teams": [
            {"id": "ie", "name": "Ireland", "plays": ["CSIRT-IE", "CCMA-IE", "GOV-IE"], "organisation": "NCSC IE"},
            {"id": "eu", "name": "EU cell", "plays": ["CYCLONE", "PRESIDENCY", "HR-EEAS"], "organisation": "EU"},
            {"id": "excon", "name": "Exercise control", "plays": ["EXCON"], "facilitator": True},
        ],
        "member_states": list(MEMBER_STATES), "sectors": list(SECTORS),
        "network": {"base": "eu-default", "actors": actors},
        "injects": injects, "decision_points": points,
    })


def play(rounds: int, seed: int) -> Exercise:
    plan = Plan.of(scenario(rounds), "bench")
    ex = Exercise(plan, seed=seed, sources=[POLICIES["doctrine"]()])
    for day in range(1, 10):
        ex.run(until=day * 1440)
        ex.note(text=f"Day {day}: the <b>IE</b> team shares | escalates fast", kind="strength", team="ie",
                objective="OBJ-1")
        ex.note(text=f"Day {day}: EU cell waits for ECCS 4 before acting", kind="improvement", team="eu",
                objective="OBJ-2")
    ex.run()
    return ex


def calibrate(records: int, seed: int) -> int:
    """Inject rounds for about ``records`` records: two proportional steps (records grow a little faster than rounds)."""
    rounds = 200
    for _ in range(2):
        n = len(play(rounds, seed).journal)
        rounds = max(10, round(rounds * records / n))
    return rounds


def median_time(fn, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="journal records to aim for (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sandbox", action="store_true", help="also render through --template-dir (child process)")
    args = parser.parse_args(argv)

    rounds = calibrate(args.records, args.seed)
    ex = play(rounds, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        ex.journal.export_jsonl(events)
        t_read, journal = median_time(lambda: read_jsonl(events), args.repeats)
        t_build, data = median_time(lambda: build(journal, audience="TLP:RED"), args.repeats)
        t_charts, _ = median_time(lambda: chart_svgs(data), args.repeats)
        t_html, html = median_time(lambda: render_html(data), args.repeats)
        t_md, md = median_time(lambda: render_markdown(data), args.repeats)
        t_green, green = median_time(lambda: build(journal), args.repeats)
        size_events = events.stat().st_size
        print(f"journal: {len(journal)} records ({rounds} inject rounds), events.jsonl {size_events / 1024:.0f} KiB")
        print(f"report content: {len(data['timeline'])} timeline rows, {len(data['decisions'])} decisions, "
              f"{len(data['clocks'])} clocks, {len(data['injects'])} injects, {len(data['improvement_plan'])} plan rows")
        print(f"{'step':<28}{'median s':>10}{'ratio':>8}")
        for name, t in (("read_jsonl (baseline)", t_read), ("build (audience TLP:RED)", t_build),
                        ("build (default TLP:AMBER)", t_green), ("charts (3 SVG)", t_charts),
                        ("render html", t_html), ("render md", t_md),
                        ("total: read+build+html+md", t_read + t_build + t_html + t_md)):
            print(f"{name:<28}{t:>10.3f}{t / t_read:>8.2f}")
        print(f"report.html {len(html.encode()) / 1024:.0f} KiB ({html.count('<svg')} charts, "
              f"{sum(len(str(v)) for v in chart_svgs(data).values()) / 1024:.0f} KiB of SVG); "
              f"report.md {len(md.encode()) / 1024:.0f} KiB")
        print(f"left out at TLP:AMBER: {green['meta']['withheld_total']} items")
        if args.sandbox:
            from simulator.report.render import TEMPLATES
            from simulator.report.sandbox import render_user

            charts = {k: str(v) for k, v in chart_svgs(data).items()}
            t_sb, out = median_time(lambda: render_user(TEMPLATES, "html", data, charts, timeout=120), args.repeats)
            print(f"{'sandboxed html (child)':<28}{t_sb:>10.3f}{t_sb / t_read:>8.2f}  same bytes as built-in: {out == html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
