"""Update a Static without re-laying-out the screen when its size stays the same.

``Static.update`` asks for a layout by default: Textual then re-arranges the
whole screen and redraws every widget whose region it touched, scrollbars
included (about 15 ms at 120x40). While the clock runs, the status bar, the
situation picture and the MSEL detail change every tick, almost always
without changing height, so one layout per tick was most of the cost of
running. :func:`update_quietly` redraws the widget in place and asks for a
layout only when the new content is taller or shorter than the old, or when
the content is the same it does nothing at all.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static


def update_quietly(widget: Static, content: str | Text | Content) -> None:
    """Show ``content`` in ``widget``; lay the screen out again only if its height changes."""
    if _same(widget.content, content):
        return
    size = widget.size
    widget.update(content, layout=False)
    if not size.width:
        widget.refresh(layout=True)  # not laid out yet: nothing to compare with
        return
    rule = widget.styles.height
    if rule is not None and not rule.is_auto:
        return  # a fixed or fractional height: the content cannot move anything
    if widget.get_content_height(size, size, size.width) != size.height:
        widget.refresh(layout=True)


def _same(old: object, new: object) -> bool:
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.spans == new.spans and old.style == new.style
    return isinstance(old, str) and isinstance(new, str) and old == new
