"""Escaping text for Markdown output.

Text from scenarios and participants must come out as text, never as
Markdown or HTML: ``<``, ``>`` and ``&`` become entities, Markdown punctuation
gets a backslash, control and bidi characters show as escapes
(:func:`simulator.text.printable`), ``|`` is escaped so a table cell stays one cell, and line
breaks collapse to spaces so a list item or table row stays one line. The
Markdown template environment applies :func:`escape` to every ``{{ }}``
expression (Jinja's ``finalize``), so a template cannot forget it; only
values the report itself built as Markdown (:class:`MdSafe`) pass unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.text import printable

_PUNCT = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(#{1,6}(\s|$)|>|[-+](\s|$)|\d{1,9}[.)](\s|$)|[=-]+$)")


class MdSafe(str):
    """A string that is already Markdown (built by the report, not typed by a user)."""


def escape(value: Any) -> str:
    """``value`` as inert Markdown text on one line."""
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return ""
    s = printable(" ".join(str(value).split()), one_line=True)  # read in terminals too: no escapes get through
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _PUNCT.sub(r"\\\1", s)
    s = " ".join(s.split())
    m = _BLOCK_START.match(s)
    if m:
        if m.group(0)[0].isdigit():  # '1. x' is a list item: escape its delimiter, as CommonMark asks
            end = len(m.group(0).rstrip())
            s = s[:end - 1] + "\\" + s[end - 1:]
        else:
            s = "\\" + s
    return s


def code(value: Any) -> MdSafe:
    """An identifier as a code span (backticks inside are stripped; ``|`` escaped for tables)."""
    s = " ".join(printable(value if value is not None else "", one_line=True).replace("`", "").split())
    if not s:
        return MdSafe("")
    return MdSafe("`" + s.replace("|", "\\|") + "`")


def when(w: Any) -> MdSafe:
    """A time as ``T+05:28 (Mon 2 Mar 13:28)``, or a dash."""
    if not w:
        return MdSafe("—")
    cal = f" ({escape(w['calendar'])})" if w.get("calendar") else ""
    return MdSafe(escape(w["time"]) + cal)


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: escape everything a template prints."""
    return escape(value)
