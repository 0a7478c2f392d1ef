"""Where a report's journal comes from: an event log file or a session.

``cyclesim report SOURCE`` accepts a canonical ``events.jsonl`` (from
``replay --out`` or ``export --events``), a session folder, its
``session.sqlite``, or the name of a session in the default sessions dir.
Sessions are read through :mod:`simulator.journal.store` (read-only, no lock needed).
If this build has no session store, a folder that holds an ``events.jsonl``
still works, and anything else gets a clear message.

The scenario, when it can be found and its content hash matches the journal's
(the copy kept in a session, a ``scenario.yaml`` next to the event log, or the
bundled scenario of the same id), lends its network for actor names and
levels. The report never needs it: without it, levels come from the bundled
EU network and the shape of actor ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from simulator.bundled import scenarios_dir
from simulator.errors import InputError, SimulatorError
from simulator.files import not_regular
from simulator.journal.journal import Journal, read_jsonl

SESSION_DB = "session.sqlite"
SCENARIOS_DIR = scenarios_dir()
"""The bundled scenarios (as in :mod:`simulator.commands.common`)."""


@dataclass
class Source:
    """A journal to report on, and the scenario's plan if it was found."""

    journal: Journal
    plan: object | None
    where: str
    clock: int | None = None
    """a session's clock mark (minutes): how far play had got, which may be past the last record"""
    warnings: list[str] = field(default_factory=list)
    """What the reader must be told about the journal (NaN read as null, records lost or changed)."""


def open_source(arg: str) -> Source:
    """The journal (and plan, if found) named by a report's SOURCE argument."""
    path = Path(arg)
    warnings: list[str] = []
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        raise InputError(f"{arg}: a scenario, not a played session; play it first "
                         f"(cyclesim replay {arg} --out DIR, or cyclesim play) and give the session or DIR")
    if path.is_file() and path.name != SESSION_DB:
        journal = read_jsonl(path, warnings)
        return Source(journal, find_plan(journal, [path.parent / "scenario.yaml"]), str(path), warnings=warnings)
    if path.is_dir() and not (path / SESSION_DB).exists() and (path / "events.jsonl").is_file():
        journal = read_jsonl(path / "events.jsonl", warnings)
        return Source(journal, find_plan(journal, [path / "scenario.yaml"]), str(path), warnings=warnings)
    if path.exists() and not path.is_dir() and not path.is_file():
        raise InputError(f"{arg}: {not_regular(path)}; give an events.jsonl or a session folder")
    return _open_session(arg)


def _open_session(arg: str) -> Source:
    try:
        from simulator.journal.store import read_session, resolve
    except ImportError:
        raise InputError(f"{arg}: not an event log file, and this cyclesim cannot read session stores; "
                         "give an events.jsonl (cyclesim replay --out DIR writes one)") from None
    folder = resolve(arg)  # SessionError (exit 2) names what is wrong
    warnings: list[str] = []
    meta, records = read_session(folder, warnings)
    journal = Journal(records)
    if not len(journal):
        raise InputError(f"{folder}: the session has no records yet")
    plan = None
    if meta.standalone:
        plan = _plan_from_text(meta.standalone, meta.content_hash, f"{meta.scenario}.yaml")
    if plan is None:
        plan = find_plan(journal, [Path(meta.source_path)] if getattr(meta, "source_path", "") else [])
    return Source(journal, plan, str(folder), getattr(meta, "clock", None), warnings)


def _plan_from_text(text: str, content_hash: str, name: str):
    try:
        from simulator.scenario.plan import Plan
        from simulator.scenario.standalone import load_text
    except ImportError:
        return None
    try:
        loaded = load_text(text, name=name)
    except SimulatorError:
        return None
    return Plan.of(loaded.scenario, loaded.content_hash) if loaded.content_hash == content_hash else None


def find_plan(journal: Journal, candidates: list[Path]):
    """The plan of the scenario the journal played, from the first candidate whose hash matches; else None."""
    if not len(journal) or journal[0].kind != "exercise.started":
        return None
    started = journal[0].data
    want = started.get("content_hash")
    if not want:
        return None
    from simulator.scenario.loader import load
    from simulator.scenario.plan import Plan

    paths = list(candidates) + [SCENARIOS_DIR / f"{started.get('scenario', '')}.yaml"]
    for p in paths:
        if not p.is_file():
            continue
        try:
            loaded = load(p)
        except SimulatorError:  # a file being edited, or another scenario: the report does without it
            continue
        if loaded.content_hash == want:
            return Plan.of(loaded.scenario, loaded.content_hash)
    return None
