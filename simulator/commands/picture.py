"""cyclesim picture: what a team knew at a time, beside ground truth."""

from __future__ import annotations

import json
import sys

from simulator.commands.common import time_option
from simulator.errors import InputError
from simulator.timefmt import format_duration, format_time

NAME = "picture"
HELP = "show what a team knew at a time (its situational picture) beside ground truth"
EPILOG = """examples:
  cyclesim picture out/vs/events.jsonl --team cyclone --at T+00:30
  cyclesim picture out/vs/events.jsonl --team presidency --at T+72:00 --json
  cyclesim picture vs-003 --team ie --at T+3d4h            a session by name
A picture holds only what reached the team's actors (delivered messages, its own
decisions and assessments), each fact with the time it was learned and its source.
ECCS is known only through an assessment (CyCLONe call or assessment, ISAA report).
See docs/engine.md#knowledge."""


def add_arguments(p) -> None:
    p.add_argument("source", metavar="SOURCE",
                   help="an events.jsonl, a session folder (or its session.sqlite), or a session name")
    p.add_argument("--team", metavar="TEAM", required=True, help="the team whose picture to show")
    p.add_argument("--at", metavar="T+hh:mm", default=None, help="the time (default: the end of the journal)")
    p.add_argument("--json", action="store_true", help='print {"known": ..., "truth": ...} as JSON')


def run(args) -> int:
    from simulator.engine.knowledge import knowledge_at
    from simulator.report.source import open_source

    at = time_option("--at", args.at)
    source = open_source(args.source)
    records = list(source.journal)
    if not records or records[0].kind != "exercise.started":
        raise InputError(f"{source.where}: not a cyclesim event log (no exercise.started record first)")
    try:
        k = knowledge_at(records, at, source.plan)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        raise InputError(f"{source.where}: not a complete cyclesim event log ({type(e).__name__}: {e})") from None
    if args.team not in k.teams:
        raise InputError(f"--team {args.team}: no such team in {source.where} (teams: {', '.join(k.teams)})")
    known, truth = k.team(args.team), k.truth()
    if args.json:
        out = {"team": args.team, "at": k.at, "at_label": format_time(k.at),
               "known": known.as_json(), "truth": truth.as_json()}
        sys.stdout.write(json.dumps(out, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
        return 0
    sys.stdout.write(render_text(args.team, known, truth))
    return 0


def render_text(team: str, known, truth) -> str:
    """Two columns a facilitator can read: known (with age and source) and true."""
    now = truth.at
    lines = [f"Picture of team {team} at {format_time(now)} (known | truth)"]

    def age(f) -> str:
        return f"{f.via}, {format_duration(now - f.learned)} ago"

    e = known.fact("eccs")
    known_eccs = "not known" if e is None else f"ECCS {e.value} — {age(e)}"
    mark = "" if e is not None and e.value == truth.eccs else "   <- differs"
    lines.append(f"  ECCS: {known_eccs} | ECCS {truth.eccs}{mark}")
    t_col, k_col = truth.ms_colours(), known.ms_colours()
    for ms in sorted(set(t_col) | set(k_col)):
        f = max((f for n, f in known.facts.items() if n.startswith(f"impact.{ms}/")), key=lambda f: f.learned, default=None)
        left = "not known" if ms not in k_col else f"{k_col[ms]} — {age(f)}"
        mark = "" if k_col.get(ms) == t_col.get(ms) else "   <- differs"
        lines.append(f"  {ms}: {left} | {t_col.get(ms, 'white')}{mark}")
    for name in ("outlook", "cross_border", "attribution", "confidence", "state_actor", "criminal_group",
                 "ipcr", "cyclone", "reserve"):
        f = known.fact(name)
        left = "not known" if f is None else f"{f.value} — {age(f)}"
        lines.append(f"  {name}: {left} | {truth.facts.get(name, '-')}")
    for ms in sorted({n.split('.', 1)[1] for n in list(truth.facts) + list(known.facts)
                      if n.startswith("capacity_exceeded.")}):
        f = known.fact(f"capacity_exceeded.{ms}")
        left = "not known" if f is None else f"{f.value} — {age(f)}"
        lines.append(f"  capacity exceeded {ms}: {left} | {truth.facts.get('capacity_exceeded.' + ms, False)}")
    return "\n".join(lines) + "\n"
