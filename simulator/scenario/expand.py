"""Expand: each ``use:`` item of a scenario replaced by the inject its library template stands for.

Input: the scenario as read (:class:`~simulator.scenario.yamlio.YamlDoc`) and
the templates (:func:`simulator.scenario.library.templates`). Output:
:class:`Expanded`, the data the shape stage validates, and the document it
came from, which places every later problem: a ``loc`` into an expanded
inject is walked as deep as the author's file has it, so a value the
template supplied is reported at the ``use:`` item that brought it in.

Parameters are substituted into strings as ``${name}`` by plain text
replacement: no expression, attribute or call is ever evaluated, so a template
cannot run code. A reference that cannot be expanded is reported and stands
in the data as a placeholder inject, so the other checks still run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.errors import ProblemSink
from simulator.scenario.library import PLACEHOLDER, Library
from simulator.scenario.problems import add_at
from simulator.scenario.yamlio import YamlDoc
from simulator.suggest import did_you_mean


@dataclass(frozen=True)
class Expanded:
    """A scenario's data with its library references expanded, and where each value was written."""

    data: dict
    """What the shape stage validates."""
    source: YamlDoc
    """The author's file: its path and positions for every later problem, and the data as written."""


def expand(doc: YamlDoc, library: Library, sink: ProblemSink, *, standalone: bool = False) -> Expanded:
    """The scenario in ``doc`` with every ``use:`` inject expanded; problems go to the sink.

    ``standalone``: the file is a copy cyclesim wrote, whose injects keep the
    ``template`` field the expansion sets; an author's file may not set it.
    """
    data = doc.data
    assert isinstance(data, dict)  # the read stage refused anything else
    expanded = dict(data)
    if isinstance(data.get("injects"), list):
        injects = []
        for i, item in enumerate(data["injects"]):
            if isinstance(item, dict) and "template" in item and not standalone:
                add_at(sink, doc, ("injects", i, "template"), "unknown key 'template': cyclesim sets it on library uses; "
                                                             "to use a library template, write 'use: TEMPLATE-ID'", key=True)
            if isinstance(item, dict) and "use" in item:
                inject = _inject_for(item, i, library, doc, sink)
                injects.append(inject if inject is not None else _placeholder(item))
            else:
                injects.append(item)
        expanded["injects"] = injects
    return Expanded(expanded, doc)


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


def _inject_for(ref: dict, index: int, library: Library, doc: YamlDoc, sink: ProblemSink) -> dict | None:
    """The inject a ``use:`` item stands for, or None (with problems reported)."""
    name = ref.get("use")
    loc = ("injects", index)
    if not isinstance(name, str) or name not in library:
        add_at(sink, doc, loc + ("use",), f"unknown inject template {name!r}{did_you_mean(str(name), library)}")
        return None
    template = library[name].template
    given = ref.get("with") or {}
    if not isinstance(given, dict):
        add_at(sink, doc, loc + ("with",), "'with' must be a mapping of parameter: value")
        return None
    ok = True
    for key in given:
        if key not in template.params:
            add_at(sink, doc, loc + ("with", key), f"template {name!r} has no parameter {key!r}"
                   f"{did_you_mean(str(key), template.params)}", key=True)
            ok = False
        elif not isinstance(given[key], (str, int, float, bool)):
            add_at(sink, doc, loc + ("with", key), f"parameter {key!r} must be a plain value (text or number)")
            ok = False
    values = {}
    for pname, p in template.params.items():
        if pname in given:
            values[pname] = given[pname]
        elif p.default is not None:
            values[pname] = p.default
        else:
            add_at(sink, doc, loc + ("use",), f"template {name!r} needs parameter {pname!r} ({p.description or 'no description'})")
            ok = False
    if not ok:
        return None
    inject = substitute(dict(template.inject), values)
    for key, value in ref.items():
        if key not in ("use", "with"):
            inject[key] = value
    inject["template"] = name
    return inject


def _placeholder(item: dict) -> dict:
    """A stand-in for a reference that failed to expand, so other checks still run."""
    return {"id": item.get("id", "x"), "title": "?", "from": "EXCON", "to": ["EXCON"]}
