"""Varied scenario parameters: ``--vary PATH=V1,V2`` in the scenario's own terms.

A PATH walks the scenario file's keys with dots. In a list, a step names an
item by its ``id`` (``network.channels.doh-ie.delay.mode``) or by its index
(``injects.0.at``); ``name[id]`` does the same in one step and allows ids with
dots. A channel or actor of the bundled EU network that the scenario does not
list yet (``network.channels.csirts-net``) is copied into the scenario's list
first, which is what overriding a default means in the format.

Each value is read like a YAML scalar (``0.5``, ``true``, ``T+26:00``), set,
and the changed scenario is validated by the same loader as a scenario file,
so a wrong path or value is an :class:`InputError` naming the ``--vary``
argument and what is wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from simulator.errors import InputError, SimulatorError
from simulator.scenario.loader import LoadedScenario

MAX_VALUES = 100
"""Values of one --vary; a sweep multiplies them, so keep the product sane."""

_STEP = re.compile(r"^([^\[\]]+)(?:\[([^\[\]]+)\])?$")


@dataclass(frozen=True)
class Vary:
    """One varied parameter: its path and the values to try, in order."""

    path: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]
    """the values as written, for columns and replay commands"""


def parse_vary(arg: str) -> Vary:
    """``PATH=V1,V2,...`` -> :class:`Vary` (shape only; :func:`apply` checks meaning)."""
    path, sep, rest = arg.partition("=")
    path = path.strip()
    if not sep or not path or not rest.strip():
        raise InputError(f"--vary {arg!r}: write PATH=V1,V2 (e.g. network.channels.doh-ie.delay.mode=0.5,2)")
    texts = tuple(v.strip() for v in rest.split(","))
    if any(not t for t in texts):
        raise InputError(f"--vary {arg!r}: an empty value between commas")
    if len(texts) > MAX_VALUES:
        raise InputError(f"--vary {path}: {len(texts)} values; at most {MAX_VALUES}")
    if len(set(texts)) != len(texts):
        raise InputError(f"--vary {path}: a value is given twice")
    _steps(path)  # shape of the path
    return Vary(path, tuple(_scalar(t) for t in texts), texts)


def _scalar(text: str) -> Any:
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def _steps(path: str) -> list[tuple[str, str | None]]:
    steps = []
    for part in _split(path):
        m = _STEP.match(part)
        if not m:
            raise InputError(f"--vary {path}: {part!r} is not a key (write key or key[id])")
        steps.append((m.group(1), m.group(2)))
    return steps


def _split(path: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    if any(not p for p in parts):
        raise InputError(f"--vary {path}: an empty step in the path")
    return parts


def apply(loaded: LoadedScenario, assignments: list[tuple[str, Any]]) -> LoadedScenario:
    """The scenario with each (path, value) set, validated as a scenario file is."""
    if not assignments:
        return loaded
    from simulator.scenario.standalone import load_text, source_data

    data = source_data(loaded.scenario)
    for path, value in assignments:
        _set(data, path, value, loaded)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"  # JSON is YAML 1.2
    shown = ", ".join(f"{p}={v}" for p, v in assignments)
    try:
        return load_text(text, name=f"{loaded.scenario.id}.yaml")
    except SimulatorError as e:
        problems = getattr(e, "problems", None) or []
        why = "; ".join(p.message for p in problems) or str(e)
        raise InputError(f"--vary {shown}: the scenario does not validate with this value: {why}") from None


def _set(data: dict, path: str, value: Any, loaded: LoadedScenario) -> None:
    steps = _steps(path)
    keys: list[str | int] = []
    for name, key in steps:
        keys.append(name)
        if key is not None:
            keys.append(key)
    node: Any = data
    walked: list[str] = []
    i = 0
    while i < len(keys):
        k = keys[i]
        last = i == len(keys) - 1
        if isinstance(node, dict):
            if k not in node:
                known = ", ".join(sorted(str(x) for x in node)) or "none"
                raise InputError(f"--vary {path}: no key {k!r} at {'.'.join(walked) or 'the top'} (keys: {known})")
            if last:
                _check_leaf(path, node[k])
                node[k] = value
                return
            node = node[k]
        elif isinstance(node, list):
            idx, used = _find(node, keys, i, walked, loaded)
            if idx is None:
                ids = [str(it.get("id")) for it in node if isinstance(it, dict) and "id" in it]
                hint = f"; ids: {', '.join(ids[:12])}{' ...' if len(ids) > 12 else ''}" if ids else ""
                raise InputError(f"--vary {path}: no item {k!r} in {'.'.join(walked)} (by id or index{hint})")
            i += used - 1
            if i == len(keys) - 1:
                raise InputError(f"--vary {path}: names a whole item; vary one of its fields")
            node = node[idx]
        else:
            raise InputError(f"--vary {path}: {'.'.join(walked)} is a value, not a mapping or a list")
        walked.append(str(k))
        i += 1


def _check_leaf(path: str, current: Any) -> None:
    if isinstance(current, (dict, list)):
        raise InputError(f"--vary {path}: names a {'mapping' if isinstance(current, dict) else 'list'}; vary one value")


def _find(items: list, keys: list, i: int, walked: list[str], loaded: LoadedScenario) -> tuple[int | None, int]:
    """Index of the item named at keys[i] (an id, possibly with dots, or an index) and how many keys it used."""
    for n in range(len(keys) - i, 0, -1):
        ident = ".".join(str(k) for k in keys[i:i + n])
        for idx, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == ident:
                return idx, n
    k = str(keys[i])
    if k.isdigit() and int(k) < len(items):
        return int(k), 1
    if walked in (["network", "channels"], ["network", "actors"]):
        return _copy_default(items, keys, i, walked[1], loaded)
    return None, 1


def _copy_default(items: list, keys: list, i: int, what: str, loaded: LoadedScenario) -> tuple[int | None, int]:
    """A default network channel or actor, copied into the scenario's list so it can be overridden."""
    from simulator.scenario.network import resolve

    net = resolve(loaded.scenario.network)
    table = net.channels if what == "channels" else net.actors
    for n in range(len(keys) - i, 0, -1):
        ident = ".".join(str(k) for k in keys[i:i + n])
        if ident in table:
            items.append(table[ident].model_dump(mode="json", by_alias=True))
            return len(items) - 1, n
    return None, 1
