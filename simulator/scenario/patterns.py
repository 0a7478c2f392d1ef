"""Regular expressions (ECMA-262 and Python alike) for what the loader accepts, for the JSON Schema.

The loader reads times with :func:`simulator.timefmt.parse_time`, TLP labels
case-insensitively and true/false fields with pydantic's words. The editor
schema must accept exactly those texts, no more and no fewer, so these
patterns are written from the parsers' rules and a test feeds both the same
samples (tests/unit/test_schema_guides.py). JSON Schema patterns have no
case-insensitive flag, so letters are spelt as ``[Tt]``.
"""

from __future__ import annotations


def any_case(word: str) -> str:
    """A pattern for ``word`` in any letter case: ``tlp`` -> ``[Tt][Ll][Pp]``."""
    out = []
    for ch in word:
        if ch.isalpha():
            out.append(f"[{ch.upper()}{ch.lower()}]")
        else:
            out.append("\\" + ch if ch in "+.*?()[]{}|^$\\" else ch)
    return "".join(out)


_DIGITS = "(?:[0-9] *)+"
"""Digits; the parser takes every space out, so spaces may sit between them."""
_CLOCK = f"{_DIGITS}: *[0-5] *[0-9] *"
_UNITS = f"(?=[0-9])(?:{_DIGITS}w *)?(?:{_DIGITS}d *)?(?:{_DIGITS}h *)?(?:{_DIGITS}m *)?"
_DURATION = f"(?:0 *|{_CLOCK}|{_UNITS})"

DURATION_PATTERN = rf"^\s*{_DURATION}\s*$"
"""'26:00', '3d4h', '2h', '45m', '1w', '0' (parse_duration)."""
TIME_PATTERN = rf"^\s*(?:[Tt] *\+ *{_DURATION}|T *0? *)\s*$"
"""'T+26:00', 'T+3d4h', 'T+90m', 'T+0', 'T' (parse_time)."""

_TLP_LABELS = ("AMBER+STRICT", "CLEAR", "GREEN", "AMBER", "RED")
TLP_PATTERN = (rf"^\s*(?:{any_case('TLP:')})?(?:" + "|".join(any_case(x) for x in _TLP_LABELS) + r")\s*$")
"""A TLP 2.0 label in any case, with or without 'TLP:' (the loader upper-cases and adds the prefix)."""

BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "y", "n", "t", "f", "1", "0")
BOOL_PATTERN = "^(?:" + "|".join(any_case(w) for w in BOOL_WORDS) + ")$"
"""Texts a true/false field accepts (pydantic's words, any case, no spaces)."""

INT_TEXT_PATTERN = r"^\s*[-+]?[0-9]+(?:_[0-9]+)*(?:\.0*)?\s*$"
"""A whole number written as text ('4', ' +4 ', '4.0', '1_000'), as pydantic reads it."""
NUMBER_TEXT_PATTERN = r"^\s*[-+]?(?:[0-9]+(?:_[0-9]+)*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$"
"""A number written as text ('0.5', '.5', '1e3')."""
