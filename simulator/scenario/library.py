"""The inject library, the second stage of loading: library files in, templates by id out.

Reusable inject templates live in library files (the read stage finds and
reads them: :func:`simulator.scenario.read.read`). A scenario uses one with
``use: <id>`` and ``with:`` parameters; :mod:`simulator.scenario.expand` does
that. This stage gives expansion its input: every template by id, each file
checked for shape, each template for a duplicate id and for ``${name}``
placeholders it does not declare. Problems go to the sink; a file whose shape
is wrong is left out, and the others are still checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from simulator.errors import ProblemSink
from simulator.scenario.model import InjectLibraryFile, InjectTemplate
from simulator.scenario.problems import add_at, report_validation_errors
from simulator.scenario.yamlio import YamlDoc

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A parameter in a template's text: ``${name}``."""


@dataclass(frozen=True)
class LibraryEntry:
    """One template, with the file it was read from (for messages)."""

    template: InjectTemplate
    path: str
    doc: YamlDoc
    index: int


Library = dict[str, LibraryEntry]
"""Every template by id."""


def templates(files: list[YamlDoc], sink: ProblemSink) -> Library:
    """Every template of the library files, by id (the first file to define an id keeps it); problems go to the sink."""
    entries: Library = {}
    for doc in files:
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
