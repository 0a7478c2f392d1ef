"""Non-finite numbers (NaN, +/-infinity) in journal data: refused on write, tolerated on read.

JSON has no NaN or infinity. Python's ``json`` writes them as ``NaN`` and
``Infinity`` anyway, and SQLite's JSON functions, ``jq`` and every other
reader then refuse the whole record, so one bad number made a session
unreadable for good. Numbers are checked where they enter (the YAML loader
refuses ``.nan``, ``.inf`` and ``1e999``); this module is the last line: the
journal refuses to append a record holding one (:func:`first_non_finite`, used
by :meth:`Journal.append`, so every writer, present or future, inherits it),
and readers of records written before the guard existed replace each such
number by ``null`` and say where it was (:func:`scrub`).
"""

from __future__ import annotations

import math
from typing import Any


def first_non_finite(obj: Any, path: str = "") -> tuple[str, float] | None:
    """``(path, value)`` of the first NaN or infinity inside ``obj`` (dicts, lists, numbers), or None."""
    t = type(obj)
    if t is float:
        return None if math.isfinite(obj) else (path or "(the value)", obj)
    if t is dict:
        for k, v in obj.items():
            if type(v) in (float, dict, list, tuple):
                found = first_non_finite(v, f"{path}.{k}" if path else str(k))
                if found:
                    return found
    elif t is list or t is tuple:
        for i, v in enumerate(obj):
            if type(v) in (float, dict, list, tuple):
                found = first_non_finite(v, f"{path}[{i}]")
                if found:
                    return found
    return None


def scrub(obj: Any, path: str = "", found: list[str] | None = None) -> tuple[Any, list[str]]:
    """``obj`` with every NaN/infinity replaced by None, and the paths where they were."""
    found = [] if found is None else found
    t = type(obj)
    if t is float and not math.isfinite(obj):
        found.append(f"{path or '(the value)'}={obj!r}")
        return None, found
    if t is dict:
        return {k: scrub(v, f"{path}.{k}" if path else str(k), found)[0] for k, v in obj.items()}, found
    if t is list:
        return [scrub(v, f"{path}[{i}]", found)[0] for i, v in enumerate(obj)], found
    return obj, found
