"""Scenario files in, a validated immutable :class:`Scenario` out, or every problem at its place.

Loading is a one-way pipeline; each stage is a module with one job, takes what
the stage before it gave, and adds what is wrong to one :class:`ProblemSink`:

1. :mod:`~simulator.scenario.read`: the file as a :class:`YamlDoc` (plain data,
   every value's position). A file that cannot be read stops here.
2. :mod:`~simulator.scenario.library`: the template folders the scenario may
   use, and every template in them.
3. :mod:`~simulator.scenario.expand`: each ``use:`` item replaced by its
   template's inject (:class:`Expanded`: the data, and the document that places it).
4. :mod:`~simulator.scenario.shape`: the pydantic models (a :class:`Scenario`).
5. :mod:`~simulator.scenario.crossref`: references, times and routes.

Problems are raised together, as ``path:line:col: message``, after the shapes
(library, expansion and shape problems at once) and after the cross-check,
which only runs on a scenario whose shapes are right. Every stage places its
problems through :mod:`simulator.scenario.problems`, below them all; no stage
calls back into this module.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import ProblemSink
from simulator.gcpause import paused_gc
from simulator.scenario import crossref
from simulator.scenario.expand import expand
from simulator.scenario.library import folders_for, read_library
from simulator.scenario.loaded import LoadedScenario, content_hash
from simulator.scenario.model import Scenario
from simulator.scenario.problems import report_validation_errors
from simulator.scenario.read import read_scenario
from simulator.scenario.shape import shape

__all__ = ["LoadedScenario", "content_hash", "load", "load_scenario", "report_validation_errors"]
# report_validation_errors is re-exported for the decisions script reader (simulator.players.script).


def load_scenario(path: str | Path, *, library_dirs: list[Path] | None = None) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem."""
    return load(path, library_dirs=library_dirs).scenario


def load(path: str | Path, *, library_dirs: list[Path] | None = None, standalone: bool = False) -> LoadedScenario:
    """Load and validate a scenario file.

    ``library_dirs``: the template folders to use instead of the bundled
    library and the scenario's own (``[]`` for none).
    ``standalone``: the file is a copy cyclesim wrote (:mod:`simulator.scenario.standalone`),
    whose expanded injects keep the loader-internal ``template`` field; an author's
    file may not set it.
    """
    path = Path(path)
    sink = ProblemSink()
    with paused_gc():  # tens of thousands of acyclic objects per large file: see simulator.gcpause
        doc = read_scenario(path, sink)
        library = read_library(folders_for(path, doc, sink) if library_dirs is None else library_dirs, sink)
        expanded = expand(doc, library, sink, standalone=standalone)
        scenario = shape(expanded, sink)
        sink.raise_if_any()
        assert scenario is not None  # shape added a problem when it gave none
        crossref.check(scenario, expanded.source, sink)
        sink.raise_if_any()
        return LoadedScenario(scenario, path, content_hash(scenario))
