"""The inject library: the folders a scenario takes templates from, and the templates read from them.

Reusable inject templates live under ``injects/`` (the bundled library, the
scenario's own ``injects/`` folder, and the folders it names under
``libraries:``). A scenario uses one with ``use: <id>`` and ``with:``
parameters; :mod:`simulator.scenario.expand` does that. This module gives
expansion its input: every template by id, each checked for shape and for
``${name}`` placeholders it does not declare. Problems go to the sink, and a
broken file is left out while the others are still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.bundled import injects_dir
from simulator.errors import ProblemSink
from simulator.files import escapes
from simulator.scenario.model import InjectLibraryFile, InjectTemplate
from simulator.scenario.problems import add_at, report_validation_errors
from simulator.scenario.read import display_path, read_yaml
from simulator.scenario.yamlio import YamlDoc

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A parameter in a template's text: ``${name}``."""
BUNDLED_DIR = injects_dir()
"""The library that ships with the project (top-level ``injects/``, package data in a wheel)."""


@dataclass(frozen=True)
class LibraryEntry:
    """One template, with the file it was read from (for messages)."""

    template: InjectTemplate
    path: str
    doc: YamlDoc
    index: int


Library = dict[str, LibraryEntry]
"""Every template by id."""


def folders_for(path: Path, doc: YamlDoc, sink: ProblemSink) -> list[Path]:
    """The bundled library plus the scenario's own, which must stay in its folder."""
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
    assert isinstance(doc.data, dict)  # read_scenario refused anything else
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


def read_library(dirs: list[Path], sink: ProblemSink) -> Library:
    """All templates in the given folders; problems go to the sink."""
    entries: Library = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            outside = escapes(path, folder)
            if outside is not None:
                sink.add(display_path(path), 1, 1, f"a symlink leading outside its library folder (to {outside}); "
                                                   "not read: copy the file into the folder instead")
                continue
            doc = read_yaml(path, sink)
            if doc is not None:
                _add_file(doc, entries, sink)
    return entries


def _add_file(doc: YamlDoc, entries: Library, sink: ProblemSink) -> None:
    """The templates of one library file added to ``entries``, unless its shape is wrong."""
    if not isinstance(doc.data, dict):
        sink.add(doc.path, 1, 1, "an inject library file must be a mapping with a 'templates' list")
        return
    try:
        lib = InjectLibraryFile.model_validate(doc.data)
    except ValidationError as e:
        report_validation_errors(e, doc, sink, InjectLibraryFile)
        return
    for i, t in enumerate(lib.templates):
        if t.id in entries:
            add_at(sink, doc, ("templates", i, "id"), f"duplicate inject template id {t.id!r} (also in {entries[t.id].path})")
            continue
        for name in sorted(set(placeholders(t.inject)) - set(t.params)):
            add_at(sink, doc, ("templates", i, "inject"), f"template {t.id!r} uses ${{{name}}} but declares no parameter {name!r}")
        entries[t.id] = LibraryEntry(t, doc.path, doc, i)


def placeholders(obj: Any):
    """Every ``${name}`` in a template's strings (keys too), as names."""
    if isinstance(obj, str):
        yield from PLACEHOLDER.findall(obj)
    elif isinstance(obj, list):
        for x in obj:
            yield from placeholders(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from placeholders(k)
            yield from placeholders(v)
