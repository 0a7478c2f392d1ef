""""Did you mean …?": the known name closest to a mistyped one.

A planner who writes ``D4`` for ``D04``, ``csirt-ie`` for ``CSIRT-IE`` or
``T_01`` for ``T-01`` made no spelling mistake difflib can see: letters are
compared case-folded, without separators and with numbers read as numbers
first, then by similarity.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_NUMBER = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s_\-.]+")


LONGEST = 200
"""Longer words get no hint: nobody mistypes a name that long, and comparing it costs."""


def _plain(name: str) -> str:
    # leading zeros dropped as text: int() refuses numbers of over 4300 digits, and a typo may hold one
    return _NUMBER.sub(lambda m: m.group().lstrip("0") or "0", _SEPARATORS.sub("", name.casefold()))


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name ``word`` most likely means, or None."""
    if len(word) > LONGEST:
        return None
    names = [k for k in known if isinstance(k, str)]
    plain = _plain(word)
    for name in names:
        if _plain(name) == plain:
            return name
    close = difflib.get_close_matches(word, names, n=1)
    return close[0] if close else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest known name, or an empty string."""
    found = closest(str(word), known)
    return f"; did you mean {found!r}?" if found is not None else ""
