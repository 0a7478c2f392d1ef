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
        exact = _exact(item)
        if exact is not None and float not in exact:  # list[str]: the item types, without a call per item
            return lambda v: isinstance(v, (list, tuple)) and exact.issuperset(map(type, v))
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


_SCALARS: dict[Any, tuple[type, ...]] = {
    str: (str,), int: (int,), bool: (bool,), float: (float, int), type(None): (type(None),), None: (type(None),),
}
"""Scalar field types and the exact value types each accepts (``_checker``'s rules: a bool is not an int)."""


def _exact(tp: Any) -> frozenset[type] | None:
    """The exact value types a scalar field (or a union of scalars) accepts, or None for lists and objects.

    ``type(v) in exact`` is the checker's answer without a call per field: the
    write-time check runs on every record, so most fields go through this.
    """
    origin = get_origin(tp)
    if origin is Annotated:
        return _exact(get_args(tp)[0])
    parts = get_args(tp) if origin in (Union, types.UnionType) else (tp,)
    if not all(p in _SCALARS for p in parts):
        return None
    return frozenset(t for p in parts for t in _SCALARS[p])


def _open(tp: Any) -> bool:
    """Whether a value that passed the check may still hold NaN or infinity (it holds an object or Any)."""
    if tp is dict or tp is Any:
        return True
    return get_origin(tp) is dict or any(_open(a) for a in get_args(tp) if not isinstance(a, Key))


@dataclass(frozen=True)
class FieldSpec:
    key: str
    attr: str
    required: bool
    check: Check
    type_name: str
    exact: frozenset[type] | None = None
    """For scalar fields: the value types it accepts (a float must also be finite)."""
    open: bool = False
    """Whether a value that passed the check may still hold NaN or infinity (see :data:`OPEN_FIELDS`)."""
    type: Any = None
    """The declared type (what :func:`_compile` writes the field's test from)."""


def _specs(cls: type) -> dict[str, FieldSpec]:
    hints = get_type_hints(cls, include_extras=True)
    out: dict[str, FieldSpec] = {}
    for f in fields(cls):
        tp = hints[f.name]
        key = f.name
        if get_origin(tp) is Annotated:
            key = next((m.name for m in get_args(tp)[1:] if isinstance(m, Key)), key)
        required = f.default is f.default_factory  # both MISSING: no default
        out[key] = FieldSpec(key, f.name, required, _checker(tp), _type_name(tp), _exact(tp), _open(tp), tp)
    return out


SPECS: dict[str, dict[str, FieldSpec]] = {name: _specs(cls) for name, cls in KINDS.items()}
"""Record kind -> JSON key -> how to check it."""
_REQUIRED: dict[str, frozenset[str]] = {k: frozenset(f for f, s in v.items() if s.required) for k, v in SPECS.items()}
_ALLOWED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in SPECS.items()}
OPEN_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(spec.key for spec in specs.values() if spec.open) for name, specs in SPECS.items()}
"""Record kind -> the keys whose values :func:`check` does not look inside (objects, Any): the only
places a NaN or an infinity can still be after the check (floats it checks must be finite)."""


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
        exact = spec.exact
        if exact is not None:
            tv = type(value)
            if tv in exact and (tv is not float or math.isfinite(value)):
                continue
        elif spec.check(value):
            continue
        raise RecordError(f"{kind_name} record: field {key!r} must be {spec.type_name}, not {value!r:.80}")


_SCALAR_TEST: dict[frozenset[type], str] = {
    frozenset({str}): "type({v}) is str",
    frozenset({int}): "type({v}) is int",
    frozenset({bool}): "type({v}) is bool",
    frozenset({float, int}): "(type({v}) is int or (type({v}) is float and {v} - {v} == 0.0))",
    frozenset({str, type(None)}): "({v} is None or type({v}) is str)",
    frozenset({int, type(None)}): "({v} is None or type({v}) is int)",
}
"""Inline tests for the common scalar fields (``v - v == 0.0``: finite, as NaN and infinities give NaN)."""


def _test_lines(tp: Any, var: str, indent: str, env: dict[str, Any], depth: int = 0) -> list[str]:
    """Statements that ``return False`` unless ``var`` is a value of type ``tp`` (the rules of :func:`_checker`)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _test_lines(get_args(tp)[0], var, indent, env, depth)
    exact = _exact(tp)
    if exact is not None:
        test = _SCALAR_TEST.get(exact)
        if test is None:
            key = f"_exact{len(env)}"
            env[key] = exact
            test = f"type({{v}}) in {key}"
            if float in exact:
                test += " and (type({v}) is not float or {v} - {v} == 0.0)"
        return [f"{indent}if not ({test.format(v=var)}):", f"{indent}    return False"]
    if origin is list:
        (item,) = get_args(tp)
        lines = [f"{indent}if not isinstance({var}, _LIST):", f"{indent}    return False"]
        x = f"x{depth}"
        return [*lines, f"{indent}for {x} in {var}:", *_test_lines(item, x, indent + "    ", env, depth + 1)]
    if origin is dict or tp is dict:
        return [f"{indent}if not isinstance({var}, dict):", f"{indent}    return False"]
    if tp is Any:
        return []
    key = f"_check{len(env)}"  # a union of lists or objects: the checker's own predicate
    env[key] = _checker(tp)
    return [f"{indent}if not {key}({var}):", f"{indent}    return False"]


def _compile(kind_name: str, specs: dict[str, FieldSpec]) -> Callable[[dict[str, Any]], bool]:
    """One function that says whether ``data`` is a well-formed, finite record of ``kind_name``.

    The same rules as :func:`check` and the journal's search of open fields for
    NaN and infinity, written out field by field for this kind: each required
    key read directly, each type tested inline (a list's items in a loop),
    ``len(data)`` compared with the number of declared keys found (so an
    undeclared key fails). It answers only yes or no: on no, the journal runs
    :func:`check` and the search, which say what is wrong and raise. Built on a
    kind's first record (:func:`validator`); the check runs on every record of every run.
    """
    from simulator.journal.finite import first_non_finite

    env: dict[str, Any] = {"_fnf": first_non_finite, "_LIST": (list, tuple)}
    required: list[str] = []
    optional: list[str] = []
    for spec in specs.values():
        if spec.required:
            body = _test_lines(spec.type, "v", "        ", env)
            required += [f"        v = data[{spec.key!r}]", *body]
            if spec.open:  # an empty object or list holds nothing to search (nor does 0)
                required += ["        if v and _fnf(v) is not None:", "            return False"]
        else:
            body = _test_lines(spec.type, "v", "        ", env)
            optional += [f"    if {spec.key!r} in data:", f"        v = data[{spec.key!r}]", *body, "        n += 1"]
            if spec.open:
                optional += ["        if v and _fnf(v) is not None:", "            return False"]
    n_required = sum(spec.required for spec in specs.values())
    lines = ["def valid(data):", "    try:", *required, "        pass", "    except KeyError:", "        return False",
             f"    n = {n_required}", *optional, "    return len(data) == n"]
    exec(compile("\n".join(lines), f"<record check {kind_name}>", "exec"), env)  # the source is built above
    fn: Callable[[dict[str, Any]], bool] = env["valid"]
    return fn


VALID: dict[str, Callable[[dict[str, Any]], bool]] = {}
"""Record kind -> whether a body is well formed and finite: the journal's fast path (see :func:`_compile`),
for the kinds :func:`validator` has been asked for."""


def validator(kind_name: str) -> Callable[[dict[str, Any]], bool] | None:
    """The compiled check of ``kind_name`` (compiled on first use: a command that writes no record pays
    nothing for the 57 kinds), or None for a kind that is not declared."""
    fn = VALID.get(kind_name)
    if fn is None and kind_name in SPECS:
        fn = VALID[kind_name] = _compile(kind_name, SPECS[kind_name])
    return fn


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
