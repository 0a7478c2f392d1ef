"""Text that is safe to show on a terminal.

Titles, rationales, file names and values quoted in messages come from files
and people. Printed as they are, a control character can move the cursor,
clear the screen, retitle the window or hide text (ANSI escapes, ``\\r``,
backspace), and a bidirectional override can make a line read differently
from what it holds. :func:`printable` shows every such character as a visible
escape instead (``\\x1b``, ``\\u202e``), so the reader sees what is there and
nothing is executed. Plain-text CLI output and the terminal UI both use it.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029\ufeff\ufff9-\ufffb\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, one_line: bool = False) -> str:
    """``text`` with control and bidi-override characters shown as escapes.

    Line feeds and tabs are kept unless ``one_line`` is set (for a table cell or
    a one-line status), in which case they are escaped too. Anything that is not
    a string is converted with ``str`` first.
    """
    s = text if isinstance(text, str) else str(text)
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    if s.isascii() and s.isprintable():  # the common case: nothing to do
        return s
    return pattern.sub(_escape, s)
