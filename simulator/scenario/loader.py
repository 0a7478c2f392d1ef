"""Scenario files in, a validated immutable :class:`Scenario` out, or every problem at its place.

Loading is a one-way pipeline. Each stage is a module with one job; it takes
what the stage before it gave, imports nothing from a later stage, and adds
what is wrong to the one :class:`ProblemSink` handed along:

1. :mod:`~simulator.scenario.read`: the scenario file and the library files it
   may use, as :class:`YamlDoc` documents (:class:`Sources`). The only stage
   that touches the disk; a scenario that cannot be read stops here.
2. :mod:`~simulator.scenario.library`: the templates in those files, by id.
3. :mod:`~simulator.scenario.expand`: each ``use:`` item replaced by its
   template's inject (:class:`Expanded`: the data, and the document that
   places every later problem).
4. :mod:`~simulator.scenario.shape`: the pydantic models, a :class:`Scenario`.
5. :mod:`~simulator.scenario.crossref`: references, times and routes.

The problems are raised together, as ``path:line:col: message``, after the
shapes (library, expansion and shape problems at once) and after the
cross-check, which only runs on a scenario whose shapes are right. Every stage
places its problems through :mod:`simulator.scenario.problems`, below them all.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import ProblemSink
from simulator.gcpause import paused_gc
from simulator.scenario import crossref
from simulator.scenario.expand import expand
from simulator.scenario.library import templates
from simulator.scenario.loaded import LoadedScenario, content_hash
from simulator.scenario.model import Scenario
from simulator.scenario.read import read
from simulator.scenario.shape import shape

__all__ = ["LoadedScenario", "content_hash", "load", "load_scenario"]


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
        sources = read(path, sink, library_dirs=library_dirs)
        library = templates(sources.library, sink)
        expanded = expand(sources.scenario, library, sink, standalone=standalone)
        scenario = shape(expanded, sink)
        sink.raise_if_any()
        assert scenario is not None  # shape added a problem when it gave none
        crossref.check(scenario, expanded.source, sink)
        sink.raise_if_any()
        return LoadedScenario(scenario, path, content_hash(scenario))
