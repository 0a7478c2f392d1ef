"""Read, the first stage of loading: files in, :class:`~simulator.scenario.yamlio.YamlDoc` documents out.

This stage is the only one that touches the disk. It reads the scenario file,
finds the inject library folders it may use (the bundled library, the
scenario's own ``injects/`` folder, the folders under ``libraries:``, none of
which may lead outside the scenario's folder), and reads every library file in
them. Each file must be a regular file (a pipe would block, a device never
end) and goes through the hardened YAML reader (:mod:`simulator.scenario.yamlio`:
limits, YAML 1.2 scalars, every value's position).

A scenario that cannot be read, or is not a mapping at the top, stops loading
here (:class:`~simulator.errors.ScenarioError`), since no later stage has
anything to work on. A library file that cannot be read adds its problems to
the sink and is left out, so that the other templates are still checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.bundled import injects_dir
from simulator.errors import ProblemSink, ScenarioError
from simulator.files import escapes, not_regular
from simulator.scenario.problems import add_at
from simulator.scenario.yamlio import YamlDoc, load_yaml_file

BUNDLED_DIR = injects_dir()
"""The library that ships with the project (top-level ``injects/``, package data in a wheel)."""

_KIND = {"list": "a list", "str": "a single text value", "int": "a number", "float": "a number", "bool": "true/false"}


@dataclass(frozen=True)
class Sources:
    """What the read stage gives: the scenario as written, and the library files it may use, in reading order."""

    scenario: YamlDoc
    library: list[YamlDoc]


def read(path: Path, sink: ProblemSink, *, library_dirs: list[Path] | None = None) -> Sources:
    """The scenario at ``path`` and its library files (from ``library_dirs`` when given, else the folders it may use)."""
    doc = _scenario(path, sink)
    folders = _library_folders(path, doc, sink) if library_dirs is None else library_dirs
    return Sources(doc, list(_library_files(folders, sink)))


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _scenario(path: Path, sink: ProblemSink) -> YamlDoc:
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


def _library_folders(path: Path, doc: YamlDoc, sink: ProblemSink) -> list[Path]:
    """The bundled library plus the scenario's own folders, which must stay inside the scenario's folder."""
    base = path.resolve().parent
    dirs = [BUNDLED_DIR]
    local = base / "injects"
    if local.is_dir() and local.resolve() != BUNDLED_DIR:
        outside = escapes(local, base)
        if outside is not None:  # a symlinked folder would read templates from anywhere on the disk
            sink.add(doc.path, 1, 1, f"the library folder {display_path(local)} is a symlink leading outside the "
                                     f"scenario's folder (to {outside}); only folders inside it are read")
        else:
            dirs.append(local)
    assert isinstance(doc.data, dict)  # _scenario refused anything else
    extra = doc.data.get("libraries") or []
    if isinstance(extra, list):
        for i, entry in enumerate(extra):
            if not isinstance(entry, str):
                continue
            target = (base / entry).resolve()
            loc = ("libraries", i)
            if Path(entry).is_absolute() or not target.is_relative_to(base):
                add_at(sink, doc, loc, f"library folder {entry!r} is outside the scenario's folder; only folders inside it may be used")
            elif not target.is_dir():
                add_at(sink, doc, loc, f"library folder {entry!r} does not exist")
            elif target == base:  # would read the scenario itself as a library file
                add_at(sink, doc, loc, f"library folder {entry!r} is the scenario's own folder; put templates in a subfolder such as 'injects'")
            elif target not in dirs:
                dirs.append(target)
    return dirs


def _library_files(folders: list[Path], sink: ProblemSink):
    """Every ``*.yaml`` file of the folders that can be read, in order; the others' problems go to the sink."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            outside = escapes(path, folder)
            if outside is not None:
                sink.add(display_path(path), 1, 1, f"a symlink leading outside its library folder (to {outside}); "
                                                   "not read: copy the file into the folder instead")
                continue
            try:
                yield load_yaml_file(path, display_path=display_path(path))
            except ScenarioError as e:
                sink.problems.extend(e.problems)
