"""Checking a record against its declaration, and plausible example bodies for tests of readers."""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from simulator.journal.records.declare import KINDS, Key

# ================================================================== checking
Check = Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return type(v) is int


def _is_float(v: Any) -> bool:
    return (type(v) is float and math.isfinite(v)) or type(v) is int


def _checker(tp: Any) -> Check:
    """A predicate for values of type ``tp`` (str, int, float, bool, None, X | None, list[X], dict)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _checker(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        parts = [_checker(a) for a in get_args(tp)]
        return lambda v: any(p(v) for p in parts)
    if origin is list:
        (item,) = get_args(tp)
        each = _checker(item)
        return lambda v: isinstance(v, (list, tuple)) and all(each(x) for x in v)
    if origin is dict or tp is dict:
        return lambda v: isinstance(v, dict)
    if tp is type(None) or tp is None:
        return lambda v: v is None
    if tp is bool:
        return lambda v: type(v) is bool
    if tp is int:
        return _is_int
    if tp is float:
        return _is_float
    if tp is str:
        return lambda v: type(v) is str
    if tp is Any:
        return lambda v: True
    raise TypeError(f"no checker for record field type {tp!r}")


def _type_name(tp: Any) -> str:
    if get_origin(tp) is Annotated:
        return _type_name(get_args(tp)[0])
    return str(tp).replace("typing.", "") if not isinstance(tp, type) else tp.__name__


@dataclass(frozen=True)
class FieldSpec:
    key: str
    attr: str
    required: bool
    check: Check
    type_name: str


def _specs(cls: type) -> dict[str, FieldSpec]:
    hints = get_type_hints(cls, include_extras=True)
    out: dict[str, FieldSpec] = {}
    for f in fields(cls):
        tp = hints[f.name]
        key = f.name
        if get_origin(tp) is Annotated:
            key = next((m.name for m in get_args(tp)[1:] if isinstance(m, Key)), key)
        required = f.default is f.default_factory  # both MISSING: no default
        out[key] = FieldSpec(key, f.name, required, _checker(tp), _type_name(tp))
    return out


SPECS: dict[str, dict[str, FieldSpec]] = {name: _specs(cls) for name, cls in KINDS.items()}
"""Record kind -> JSON key -> how to check it."""
_REQUIRED: dict[str, frozenset[str]] = {k: frozenset(f for f, s in v.items() if s.required) for k, v in SPECS.items()}
_ALLOWED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in SPECS.items()}


class RecordError(TypeError):
    """A record that does not fit its declaration: a bug in the code that wrote it."""


def check(kind_name: str, data: dict[str, Any]) -> None:
    """Raise :class:`RecordError` unless ``data`` fits the declaration of ``kind_name``."""
    specs = SPECS.get(kind_name)
    if specs is None:
        raise RecordError(f"unknown record kind {kind_name!r}: declare it in simulator/journal/records/")
    keys = data.keys()
    if not (_REQUIRED[kind_name] <= keys <= _ALLOWED[kind_name]):
        missing = sorted(_REQUIRED[kind_name] - keys)
        extra = sorted(keys - _ALLOWED[kind_name])
        raise RecordError(f"{kind_name} record: " + "; ".join(
            ([f"missing field(s) {', '.join(missing)}"] if missing else [])
            + ([f"undeclared field(s) {', '.join(extra)}"] if extra else [])))
    for key, value in data.items():
        spec = specs[key]
        if not spec.check(value):
            raise RecordError(f"{kind_name} record: field {key!r} must be {spec.type_name}, not {value!r:.80}")


def example(kind_name: str) -> dict[str, Any]:
    """A record body of ``kind_name`` with a plausible value in every field (for tests of readers)."""
    hints = get_type_hints(KINDS[kind_name], include_extras=True)
    return {spec.key: _sample(hints[spec.attr], spec.key) for spec in SPECS[kind_name].values()}


def _sample(tp: Any, name: str) -> Any:
    origin = get_origin(tp)
    if origin is Annotated:
        return _sample(get_args(tp)[0], name)
    if origin in (Union, types.UnionType):
        return _sample(next(a for a in get_args(tp) if a is not type(None)), name)
    if origin is list:
        return [_sample(get_args(tp)[0], name)]
    if origin is dict or tp is dict:
        return {}
    if tp is bool:
        return False
    if tp is int:
        return 1
    if tp is float:
        return 0.5
    return f"{name}-1"
