"""A problem put at its place in a file: a ``loc`` turned into ``path:line:col``, and pydantic's errors worded for authors.

Every stage of loading (:mod:`simulator.scenario.read`, :mod:`~simulator.scenario.library`,
:mod:`~simulator.scenario.expand`, :mod:`~simulator.scenario.shape`,
:mod:`~simulator.scenario.crossref`) and the decisions script reader name what is wrong by a
``loc``, a path of mapping keys and list indexes into the document, as pydantic writes it in an
error. This module is the one place that turns such a ``loc`` into a line and column of the
:class:`~simulator.scenario.yamlio.YamlDoc` it was read from, and the one place that rewords a
pydantic ``ValidationError`` into messages a scenario author can act on. It sits below every
stage, so a stage reports its own problems and pydantic's with what it imports, and no stage hands
a reporter to another.
"""

from __future__ import annotations

import json
import types
import typing

from pydantic import BaseModel, ValidationError

from simulator.errors import ProblemSink
from simulator.scenario.yamlio import YamlDoc
from simulator.suggest import closest

__all__ = ["add_at", "report_validation_errors"]

_LABELS = {"injects": "inject", "decision_points": "decision point", "teams": "team", "objectives": "objective",
           "incidents": "incident", "decisions": "decision", "templates": "template"}
"""What one item of a top-level list is called in a message ('inject "VS-07": ...')."""

_SHOW_INPUT = frozenset({"string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type", "model_type",
                         "model_attributes_type", "bool_parsing", "int_parsing", "float_parsing", "int_from_float"})
"""pydantic error types whose message is clearer with the value that was given."""


def add_at(sink: ProblemSink, doc: YamlDoc, loc: tuple, message: str, *, key: bool = False) -> None:
    """Add ``message`` to the sink at the node of ``doc`` that ``loc`` leads to (at its key with ``key=True``).

    See :meth:`YamlDoc.position` for how a ``loc`` is walked: as deep as the
    document has it, so a value that a library template supplied is placed at
    the ``use:`` item that brought it in.
    """
    line, col = doc.position(loc, key=key)
    sink.add(doc.path, line, col, message)


def report_validation_errors(e: ValidationError, doc: YamlDoc, sink: ProblemSink, root: type[BaseModel]) -> None:
    """Add each of pydantic's errors for ``doc`` (validated as ``root``) to the sink, at its place, reworded."""
    for err in e.errors(include_url=False):
        loc = tuple(err["loc"])
        add_at(sink, doc, loc, _context(doc.data, loc) + _message(err, loc, root),
               key=err["type"] == "extra_forbidden")


def _message(err: typing.Any, loc: tuple, root: type[BaseModel]) -> str:
    kind = err["type"]
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        allowed = _fields_at(root, loc[:-1])
        close = closest(str(name), allowed)
        hint = f"; did you mean {close!r}?" if close else (f"; expected one of: {', '.join(allowed)}" if allowed and len(allowed) <= 12 else "")
        return f"unknown key {name!r}{hint}"
    if kind == "missing":
        return f"missing required key {name!r}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind == "literal_error" and "expected" in err.get("ctx", {}):
        msg = f"{err['input']!r} is not allowed here; expected {err['ctx']['expected']}"
    elif kind == "string_pattern_mismatch":
        msg = f"{err['input']!r} is not a valid identifier (letters, digits, '_', '.', '-'; up to 64 characters)"
    elif kind in _SHOW_INPUT:
        msg = f"{msg} (got {_short(err.get('input'))})"
    field = f"{name}: " if isinstance(name, str) and name else ""
    return field + msg


def _short(value) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _context(data, loc: tuple) -> str:
    """'inject "VS-07": ' for problems inside a list item that has an id (as the author wrote it)."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
        items = data.get(loc[0])
        if isinstance(items, list) and 0 <= loc[1] < len(items) and isinstance(items[loc[1]], dict):
            ident = items[loc[1]].get("id")
            if isinstance(ident, str):
                return f'{_LABELS.get(loc[0], str(loc[0]).rstrip("s"))} "{ident}": '
    return ""


def _fields_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """Field names (as written in YAML) of the model found by walking loc from root."""
    current: object = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field_by_name(current, part)
            if field is None:
                if isinstance(part, str):
                    continue  # a union tag pydantic adds to loc
                return []
            current = field.annotation
        elif isinstance(part, (int, str)):
            args = typing.get_args(current)
            current = args[-1] if args else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(f.alias or n for n, f in current.model_fields.items() if n != "template")
    return []


def _field_by_name(model: type[BaseModel], name):
    for n, f in model.model_fields.items():
        if name in (n, f.alias):
            return f
    return None


def _unwrap(tp):
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[-1] if models else (args[0] if args else tp)
            if not models:
                return tp
        else:
            return tp
