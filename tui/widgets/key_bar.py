"""KeyBar: the keys that work where the facilitator is, on one line at the bottom.

Textual's Footer rebuilds one widget per key each time the bindings change
(every focus move, view switch and tab switch), and with ``compact`` restyles
each of them again: 50-100 ms per key press on the play screen, more than the
rest of a view switch. KeyBar shows the same thing as one line of text, redrawn in place
(never a new layout of the screen: its size does not depend on its keys): the
keys whose binding says ``show``, the disabled ones (``check_action`` returned
None) dimmed and struck through, each clickable like a footer key. Working out
the keys is cheap, so it redraws as soon as the bindings change, in the same
frame as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

ESSENTIAL = frozenset({"help", "quit"})
"""Actions whose keys stay on the bar however narrow the terminal (help lists all the others)."""


@dataclass(frozen=True)
class KeyInfo:
    """One key as the bar shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool


class KeyBar(Static):
    """One line of the screen's shown bindings; redrawn when they change."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, **kwargs):
        super().__init__("", **kwargs)
        self.shown: list[KeyInfo] = []
        """The keys drawn last, left to right (tests read them)."""
        self._drawn_for = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.shown = []  # the theme or the screen size changed: draw the key colours again
        if self.is_mounted:
            self.call_later(self._bindings_changed, None)

    def _bindings_changed(self, _screen: Screen | None) -> None:
        """Redraw now, in the frame the change is drawn in (not after it, which costs a frame)."""
        if self.is_attached:
            self.show_keys()

    def keys(self) -> list[KeyInfo]:
        """The screen's active bindings that ask to be shown, one per action, in binding order."""
        out: list[KeyInfo] = []
        actions: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for binding_info in self.screen.active_bindings.values():
            binding, enabled = binding_info.binding, binding_info.enabled
            if not binding.show or binding.action in actions or binding.key == palette:
                continue
            actions.add(binding.action)
            out.append(KeyInfo(binding.key, self.app.get_key_display(binding), binding.description,
                               binding.action, enabled))
        return out

    def on_resize(self, event) -> None:
        if event.size.width != self._drawn_for:
            self.shown = []
            self.show_keys()

    @staticmethod
    def fit(keys: list[KeyInfo], width: int) -> tuple[list[KeyInfo], int]:
        """The keys that fit on one line of ``width`` cells, and the gap between them.

        Two blanks between keys when everything fits, one when only that
        makes everything fit; otherwise keys are dropped from the end of the
        others (the clock keys on the left stay), and the essential ones --
        help, which lists every key, and quit -- always show.
        """
        def cells(ks: list[KeyInfo], gap: int) -> int:
            return sum(cell_len(k.display) + 1 + cell_len(k.description) for k in ks) + gap * (len(ks) - 1) + 2

        if width <= 0:
            return keys, 2
        for gap in (2, 1):
            if cells(keys, gap) <= width:
                return keys, gap
        essential = [k for k in keys if k.action in ESSENTIAL]
        others = [k for k in keys if k.action not in ESSENTIAL]
        while others and cells(others + essential, 1) + 2 > width:  # + "… " where keys were left out
            others.pop()
        chosen = {id(k) for k in others + essential}
        return [k for k in keys if id(k) in chosen], 1

    def show_keys(self) -> None:
        all_keys = self.keys()
        keys, gap = self.fit(all_keys, self.size.width)
        if keys == self.shown:
            return
        self.shown = keys
        self._drawn_for = self.size.width
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        text = Text(" ", no_wrap=True, overflow="ellipsis", end="")
        cut = len(keys) < len(all_keys)
        for i, k in enumerate(keys):
            if i:
                text.append(" " * gap)
            if cut and k.action in ESSENTIAL:
                text.append("… ", Style(dim=True))  # keys left out here: ? lists them all
                cut = False
            click = Style.from_meta({"@click": f"app.simulate_key({k.key!r})"})
            if k.enabled:
                text.append(k.display, key_style + click)
                text.append(f" {k.description}", description_style + click)
            else:  # struck through as well as dim: not by colour alone
                text.append(f"{k.display} {k.description}", Style(dim=True, strike=True) + click)
        text.append(" ")
        self.update(text, layout=False)  # one docked line whatever it says: a new layout would only cost a frame
