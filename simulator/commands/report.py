"""cyclesim report: the after-action report of a session or an event log."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.errors import InputError
from simulator.text import printable

TLP_LABELS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
"""TLP 2.0 labels for --help (simulator.scenario.model.TLP_ORDER, without importing the format models)."""

NAME = "report"
HELP = "write the after-action report (HTML or Markdown) of a session or an events.jsonl"
EPILOG = """examples:
  cyclesim report out/tut/events.jsonl -o aar.html
  cyclesim report tutorial-001 --format md -o aar.md              a session by name
  cyclesim report ~/sessions/vs-003 --audience TLP:CLEAR -o public.html
  cyclesim report out/tut/events.jsonl --team ie -o ie.html       what team ie received and decided
  cyclesim report out/tut/events.jsonl --template-dir my-templates -o aar.html
  cyclesim report vs-003 --sweep out/vs-sweep -o aar.html       the outcome against doctrine and passive runs
The report is marked with its audience (default: the scenario's TLP); content marked
above it is left out, and the report says how much. See docs/reports.md."""


def add_arguments(p) -> None:
    p.add_argument("source", metavar="SOURCE",
                   help="an events.jsonl, a session folder (or its session.sqlite), or a session name")
    p.add_argument("--format", choices=("html", "md"),
                   help="html (default; charts included) or md; default from -o's suffix")
    p.add_argument("--audience", metavar="TLP",
                   help="TLP label of the readers: " + ", ".join(TLP_LABELS) + " (default: the scenario's)")
    p.add_argument("--team", metavar="T", help="only what team T received and decided")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--sweep", metavar="DIR",
                   help="a 'cyclesim sweep' folder: place the played outcome in its doctrine and passive distributions")
    p.add_argument("--no-counterfactual", action="store_true",
                   help="leave out the counterfactual (doctrine and passive replays of the same scenario and seed)")
    p.add_argument("--template-dir", metavar="DIR",
                   help="your own report.html.j2 / report.md.j2 (rendered sandboxed, in a child process)")


def run(args) -> int:
    from simulator.report import build, render_html, render_markdown
    from simulator.report.counterfactual import compare
    from simulator.report.render import chart_svgs
    from simulator.report.sandbox import render_user
    from simulator.report.source import open_source

    fmt = args.format or ("md" if args.output and Path(args.output).suffix.lower() in (".md", ".markdown") else "html")
    if args.output and Path(args.output).is_dir():
        raise InputError(f"-o {args.output}: that is a folder; give a file name such as {Path(args.output) / ('report.' + fmt)}")
    source = open_source(args.source)
    for w in source.warnings:
        print(printable(f"warning: {w}"), file=sys.stderr)
    try:
        cf = None if args.no_counterfactual else compare(source.journal, source.plan)
        data = build(source.journal, audience=args.audience, team=args.team, plan=source.plan, counterfactual=cf)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        # the report is a pure function of the journal: a record without the fields cyclesim writes
        raise InputError(f"{source.where}: not a complete cyclesim event log ({type(e).__name__}: {e}); "
                         "was it edited by hand or written by another version?") from None
    if getattr(args, "sweep", None):
        from simulator.sweep.compare import placement
        from simulator.sweep.write import read_sweep

        meta, columns, rows = read_sweep(args.sweep)
        data["sweep"] = placement(source.journal, args.sweep, meta, columns, rows)
    if args.template_dir:
        charts = {k: str(v) for k, v in chart_svgs(data).items()} if fmt == "html" else {}
        text = render_user(args.template_dir, fmt, data, charts)
    else:
        text = render_html(data) if fmt == "html" else render_markdown(data)
    if not args.output:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from None
    meta = data["meta"]
    left = f"; left out above {meta['audience']}: {meta['withheld_total']} item(s)" if meta["withheld_total"] else ""
    view = f"; view of team {meta['team']}" if meta["team"] else ""
    print(printable(f"wrote {out} ({fmt}, {meta['audience']}{view}{left})", one_line=True))
    return 0
