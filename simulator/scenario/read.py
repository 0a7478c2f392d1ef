"""Read: a scenario or library file in, a :class:`~simulator.scenario.yamlio.YamlDoc` out (the first stage of loading).

The path must name a regular file (a pipe would block, a device never end); the
text goes through the hardened YAML reader (:mod:`simulator.scenario.yamlio`:
limits, YAML 1.2 scalars, every value's position). A scenario must be a mapping
at the top level. What cannot be read stops loading here, since no later stage
has anything to work on: a scenario's problems are raised as a
:class:`~simulator.errors.ScenarioError`; a library file's go to the sink and
the file is left out, so that the other templates are still checked.
"""

from __future__ import annotations

from pathlib import Path

from simulator.errors import ProblemSink, ScenarioError
from simulator.files import not_regular
from simulator.scenario.problems import add_at
from simulator.scenario.yamlio import YamlDoc, load_yaml_file

_KIND = {"list": "a list", "str": "a single text value", "int": "a number", "float": "a number", "bool": "true/false"}


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_scenario(path: Path, sink: ProblemSink) -> YamlDoc:
    """The scenario file at ``path`` as a document whose data is a mapping; else raise with every problem found."""
    shown = display_path(path)
    why = not_regular(path)
    if why is not None:
        missing = why == "does not exist"
        sink.add(shown, 1, 1, f"no such scenario file: {path}" if missing else f"cannot read the scenario: {path} {why}")
        sink.raise_if_any("missing file" if missing else "not a file")
    doc = load_yaml_file(path, display_path=shown)  # raises ScenarioError with the YAML problems
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "nothing"
        add_at(sink, doc, (), f"a scenario must be a mapping of key: value at the top level, not {_KIND.get(kind, kind)}")
        sink.raise_if_any()
    return doc


def read_yaml(path: Path, sink: ProblemSink) -> YamlDoc | None:
    """The YAML file at ``path``, or None with its problems added to the sink (the caller goes on with other files)."""
    try:
        return load_yaml_file(path, display_path=display_path(path))
    except ScenarioError as e:
        sink.problems.extend(e.problems)
        return None
