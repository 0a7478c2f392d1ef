"""The inject library: reusable inject templates under ``injects/``.

A scenario uses a template with ``use: <id>``, gives parameters under
``with:``, and may override any inject field. Parameters are substituted into
strings as ``${name}`` by plain text replacement: no expression, attribute or
call is ever evaluated, so a template cannot run code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.bundled import injects_dir
from simulator.errors import ProblemSink
from simulator.files import escapes
from simulator.scenario.model import InjectLibraryFile, InjectTemplate
from simulator.scenario.problems import report_validation_errors
from simulator.scenario.read import display_path, read_yaml
from simulator.scenario.yamlio import YamlDoc

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
BUNDLED_DIR = injects_dir()
"""The library that ships with the project (top-level ``injects/``, package data in a wheel)."""


@dataclass(frozen=True)
class LibraryEntry:
    template: InjectTemplate
    path: str
    doc: YamlDoc
    index: int


def load_library(dirs: list[Path], sink: ProblemSink) -> dict[str, LibraryEntry]:
    """All templates in the given folders; problems go to the sink."""
    entries: dict[str, LibraryEntry] = {}
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
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                sink.add(doc.path, 1, 1, "an inject library file must be a mapping with a 'templates' list")
                continue
            try:
                lib = InjectLibraryFile.model_validate(doc.data)
            except ValidationError as e:
                report_validation_errors(e, doc, sink, InjectLibraryFile)
                continue
            for i, t in enumerate(lib.templates):
                if t.id in entries:
                    line, col = doc.position(("templates", i, "id"))
                    sink.add(doc.path, line, col, f"duplicate inject template id {t.id!r} (also in {entries[t.id].path})")
                    continue
                used = set(_placeholders(t.inject))
                for name in sorted(used - set(t.params)):
                    line, col = doc.position(("templates", i, "inject"))
                    sink.add(doc.path, line, col, f"template {t.id!r} uses ${{{name}}} but declares no parameter {name!r}")
                entries[t.id] = LibraryEntry(t, doc.path, doc, i)
    return entries


def _placeholders(obj: Any):
    if isinstance(obj, str):
        yield from PLACEHOLDER.findall(obj)
    elif isinstance(obj, list):
        for x in obj:
            yield from _placeholders(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _placeholders(k)
            yield from _placeholders(v)


def substitute(obj: Any, values: dict[str, Any]) -> Any:
    """Replace ``${name}`` in every string; a whole-string placeholder keeps the value's type.

    A placeholder with no value stays as written: the library check has already
    reported the undeclared parameter, and loading must not crash on it.
    """
    if isinstance(obj, str):
        whole = PLACEHOLDER.fullmatch(obj)
        if whole:
            return values.get(whole.group(1), obj)
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), obj)
    if isinstance(obj, list):
        return [substitute(x, values) for x in obj]
    if isinstance(obj, dict):
        return {(substitute(k, values) if isinstance(k, str) else k): substitute(v, values) for k, v in obj.items()}
    return obj


def expand_ref(ref: dict, index: int, entries: dict[str, LibraryEntry], doc: YamlDoc, sink: ProblemSink) -> dict | None:
    """The inject a ``use:`` item stands for, or None (with problems reported)."""
    name = ref.get("use")
    loc = ("injects", index)
    if not isinstance(name, str) or name not in entries:
        line, col = doc.position(loc + ("use",))
        close = difflib.get_close_matches(str(name), list(entries), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        sink.add(doc.path, line, col, f"unknown inject template {name!r}{hint}")
        return None
    template = entries[name].template
    given = ref.get("with") or {}
    if not isinstance(given, dict):
        line, col = doc.position(loc + ("with",))
        sink.add(doc.path, line, col, "'with' must be a mapping of parameter: value")
        return None
    ok = True
    for key in given:
        if key not in template.params:
            line, col = doc.position(loc + ("with", key), key=True)
            close = difflib.get_close_matches(str(key), list(template.params), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            sink.add(doc.path, line, col, f"template {name!r} has no parameter {key!r}{hint}")
            ok = False
        elif not isinstance(given[key], (str, int, float, bool)):
            line, col = doc.position(loc + ("with", key))
            sink.add(doc.path, line, col, f"parameter {key!r} must be a plain value (text or number)")
            ok = False
    values = {}
    for pname, p in template.params.items():
        if pname in given:
            values[pname] = given[pname]
        elif p.default is not None:
            values[pname] = p.default
        else:
            line, col = doc.position(loc + ("use",))
            sink.add(doc.path, line, col, f"template {name!r} needs parameter {pname!r} ({p.description or 'no description'})")
            ok = False
    if not ok:
        return None
    inject = substitute(dict(template.inject), values)
    for key, value in ref.items():
        if key not in ("use", "with"):
            inject[key] = value
    inject["template"] = name
    return inject
