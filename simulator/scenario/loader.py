"""Scenario files in, a validated immutable :class:`Scenario` out, or precise errors.

One parse keeps every value's source position; library references are
expanded; the result is checked for shape (pydantic) and then for meaning
(:mod:`simulator.scenario.crossref`). Every problem of a file is reported in one run as
``path:line:col: message``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from simulator.errors import ProblemSink
from simulator.scenario import crossref
from simulator.scenario.expand import expand
from simulator.scenario.library import folders_for, read_library
from simulator.scenario.model import Scenario
from simulator.scenario.problems import report_validation_errors
from simulator.scenario.read import read_scenario
from simulator.scenario.yamlio import paused_gc

__all__ = ["LoadedScenario", "content_hash", "load", "load_scenario", "report_validation_errors"]
# report_validation_errors is re-exported for the decisions script reader (simulator.players.script).


class LoadedScenario:
    """A validated scenario with where it came from and its content hash."""

    def __init__(self, scenario: Scenario, path: Path, content_hash: str):
        self.scenario = scenario
        self.path = path
        self.content_hash = content_hash


def load_scenario(path: str | Path, *, library_dirs: list[Path] | None = None) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem."""
    return load(path, library_dirs=library_dirs).scenario


def load(path: str | Path, *, library_dirs: list[Path] | None = None, standalone: bool = False) -> LoadedScenario:
    """Load and validate a scenario file.

    ``standalone``: the file is a copy cyclesim wrote (:mod:`simulator.scenario.standalone`),
    whose expanded injects keep the loader-internal ``template`` field; an author's
    file may not set it.
    """
    with paused_gc():  # tens of thousands of acyclic objects per large file: see yamlio
        return _load(Path(path), library_dirs, standalone)


def _load(path: Path, library_dirs: list[Path] | None, standalone: bool) -> LoadedScenario:
    sink = ProblemSink()
    doc = read_scenario(path, sink)
    library = read_library(folders_for(path, doc, sink) if library_dirs is None else library_dirs, sink)
    expanded = expand(doc, library, sink, standalone=standalone).data
    try:
        scenario = Scenario.model_validate(expanded)
    except ValidationError as e:
        report_validation_errors(e, doc, sink, Scenario)
        sink.raise_if_any()
        raise
    sink.raise_if_any()
    crossref.check(scenario, doc, sink)
    sink.raise_if_any()
    return LoadedScenario(scenario, path, content_hash(scenario))


def content_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (sorted keys, compact), computed a list item at a time.

    The bytes hashed are exactly ``json.dumps(scenario.model_dump(mode="json",
    by_alias=True), sort_keys=True, separators=(",", ":"))``, but the dump of a
    list of models (injects, decision points ...) is serialised item by item, so
    the whole scenario never exists twice more in memory (for ten thousand
    injects, the dump and its text were 30 MB). The incident fields are left
    out when unused (no ``incident_model``, a decision without
    ``consequences``), so a scenario written before the incident model keeps
    its hash, and its journals their bytes.
    """
    h = hashlib.sha256()
    dumps = _canonical_json
    fields = sorted(((f.alias or name), name) for name, f in type(scenario).model_fields.items()
                    if not (name == "incident_model" and scenario.incident_model is None))
    h.update(b"{")
    for i, (key, name) in enumerate(fields):
        h.update((b"," if i else b"") + dumps(key) + b":")
        value = getattr(scenario, name)
        if isinstance(value, list) and value and all(isinstance(item, BaseModel) for item in value):
            h.update(b"[")
            for j, item in enumerate(value):
                h.update((b"," if j else b"") + dumps(_item(item)))
            h.update(b"]")
        else:
            h.update(dumps(scenario.model_dump(mode="json", by_alias=True, include={name})[key]))
    h.update(b"}")
    return h.hexdigest()


def _item(item: BaseModel) -> dict:
    data = item.model_dump(mode="json", by_alias=True)
    if "consequences" in data and not data["consequences"]:
        del data["consequences"]  # a decision without consequences hashes as before they existed
    return data


def _canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
