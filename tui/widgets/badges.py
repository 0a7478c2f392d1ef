"""Coloured labels that never carry meaning by colour alone.

Every badge spells out what its colour says (``TLP:AMBER``, ``ECCS 4 RED``),
so it reads the same with NO_COLOR or a monochrome terminal. Foreground and
background are always set as a pair, so badges stay legible on light and
dark themes alike. TLP colours are FIRST's TLP 2.0 values; ECCS colours are
the NCISS/CISA ladder the scale reuses (domain.md §7.4, §7.6).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from simulator.timefmt import format_duration

TLP_STYLES = {
    "TLP:RED": "bold #FF2B2B on #000000",
    "TLP:AMBER+STRICT": "bold #FFC000 on #000000",
    "TLP:AMBER": "bold #FFC000 on #000000",
    "TLP:GREEN": "bold #33FF00 on #000000",
    "TLP:CLEAR": "bold #FFFFFF on #000000",
}
"""TLP 2.0 label colours, defined by FIRST on a black background."""

COLOUR_STYLES = {
    "white": "#000000 on #FFFFFF",
    "green": "#FFFFFF on #2E7D0F",
    "yellow": "#000000 on #FCEE21",
    "orange": "#000000 on #FFC000",
    "red": "#FFFFFF on #CC0033",
    "black": "#FFFFFF on #000000",
}
"""Impact and ECCS colours as foreground/background pairs."""


def tlp_badge(tlp: str, short: bool = False) -> Text:
    """The label on its colours; ``short``: without "TLP:" and the padding (a narrow table's TLP column)."""
    style = TLP_STYLES.get(tlp, "reverse")
    return Text(tlp.removeprefix("TLP:") or tlp, style=style) if short else Text(f" {tlp} ", style=style)


def colour_chip(label: str, colour: str) -> Text:
    """``label`` on its colour, with the colour's name after it for monochrome terminals."""
    return Text.assemble((f" {label} ", COLOUR_STYLES.get(colour, "reverse")), f" {colour}")


def eccs_badge(level: int, colour: str, name: str) -> Text:
    return Text(f" ECCS {level} {colour.upper()} {name} ", style="bold " + COLOUR_STYLES.get(colour, "reverse"))


def countdown(deadline: int, now: int) -> Text:
    """"in 3h 40m" for a future deadline, "overdue 20m" (bold) for a past one."""
    left = deadline - now
    if left >= 0:
        style = "bold" if left <= 60 else ""
        return Text(f"in {format_duration(left)}", style=style)
    return Text(f"overdue {format_duration(-left)}", style="bold reverse")


def calendar_text(start_iso: str, minutes: int, year: bool = True) -> str:
    """The calendar moment of a simulation time, from the scenario's start (display only)."""
    try:
        start = datetime.fromisoformat(start_iso)
    except (TypeError, ValueError):
        return ""
    return (start + timedelta(minutes=minutes)).strftime("%a %d %b %Y %H:%M" if year else "%a %d %b %H:%M")
