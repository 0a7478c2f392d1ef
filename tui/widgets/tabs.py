"""Tabs drawn as one line, over panes built the first time they are shown.

Textual's TabbedContent is eleven widgets before any pane (a row of ContentTab
widgets in three containers, an animated underline, a TabPane around each
pane), restyles two tabs and moves the underline a frame after each switch,
and builds every pane at once. On the play screen that was most of a tab
switch and of building a team's view. Here the tab row is one Static
(:class:`TabBar`) and the panes are the container's own children; a pane is
made by its :class:`Tab`'s ``build`` when it is first shown, so a view costs
only the pane in use until another is asked for.

Attributes go down, messages up: the owner shows a tab with
:meth:`TabbedPanes.show_pane`; a click on a tab posts :class:`TabBar.Chosen`, which
:class:`TabbedPanes` turns into a show and a :class:`TabbedPanes.Shown` for its owner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui.widgets.quiet import update_quietly


def give_keys(widget: Widget) -> None:
    """Focus a widget at once, without scrolling to it (it is on screen).

    ``Widget.focus`` redraws the widget and moves the focus only after the
    next message, usually after the switch that showed the widget was drawn:
    the widget was then drawn twice, once without the keys and once with them.
    """
    if widget.is_attached and widget.focusable:
        widget.screen.set_focus(widget, scroll_visible=False)
    else:  # not mounted yet: let Textual focus it once it is
        widget.focus(scroll_visible=False)


@dataclass(frozen=True)
class Tab:
    """One tab: its pane's id, its label ("1 Inbox") and how to make its pane."""

    id: str
    label: str
    build: Callable[[], Widget]
    """Makes the pane (its id is set to ``id``); called once, when the tab is first shown."""


class TabBar(Static):
    """The tab labels on one line; the active one in bold reverse between brackets (not by colour alone)."""

    DEFAULT_CSS = """
    TabBar { height: 1; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; color: $foreground-muted;
             background: $panel; }
    TabBar > .tab-bar--active { color: $foreground; text-style: bold reverse; }
    """
    COMPONENT_CLASSES = {"tab-bar--active"}

    class Chosen(Message):
        """A tab was clicked."""

        def __init__(self, bar: TabBar, index: int) -> None:
            super().__init__()
            self.bar = bar
            self.index = index

        @property
        def control(self) -> TabBar:
            return self.bar

    def __init__(self, labels: Sequence[str], **kwargs):
        super().__init__("", **kwargs)
        self.labels = list(labels)
        self.active = 0
        """Index of the tab shown as active."""

    def on_mount(self) -> None:
        self.draw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.draw()  # the theme changed: the active tab's colours with it

    def set_active(self, index: int) -> None:
        self.active = index
        self.draw()

    def draw(self) -> None:
        active = self.get_component_rich_style("tab-bar--active", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for i, label in enumerate(self.labels):
            click = Style.from_meta({"@click": f"choose({i})"})
            text.append(f"[{label}]" if i == self.active else f" {label} ", (active + click) if i == self.active else click)
            text.append(" ")
        update_quietly(self, text)

    def action_choose(self, index: int) -> None:
        self.post_message(self.Chosen(self, index))


class TabbedPanes(Vertical):
    """A :class:`TabBar` over one pane at a time; each pane is built the first time its tab is shown.

    The panes are its own children (no ContentSwitcher between): a switch
    hides one and shows the other, and nothing else is drawn again.
    """

    DEFAULT_CSS = """
    TabbedPanes { height: 1fr; }
    TabbedPanes > .tab-pane { height: 1fr; }
    """

    class Shown(Message):
        """A tab was shown after a click on it (a key's handler shows tabs itself and knows)."""

        def __init__(self, panes: TabbedPanes, tab: str) -> None:
            super().__init__()
            self.panes = panes
            self.tab = tab

        @property
        def control(self) -> TabbedPanes:
            return self.panes

    def __init__(self, tabs: Sequence[Tab], **kwargs):
        super().__init__(**kwargs)
        self.tabs = list(tabs)
        self.active = self.tabs[0].id
        """The id of the tab shown."""
        self._built: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield TabBar([t.label for t in self.tabs])
        yield self._make(self.tabs[0])

    def _make(self, tab: Tab) -> Widget:
        pane = tab.build()
        pane.id = tab.id
        pane.add_class("tab-pane")
        self._built[tab.id] = pane
        return pane

    def pane(self, tab: str) -> Widget | None:
        """The pane of a tab, None while it has not been shown yet."""
        return self._built.get(tab)

    @property
    def built(self) -> list[Widget]:
        """The panes made so far, in tab order."""
        return [self._built[t.id] for t in self.tabs if t.id in self._built]

    async def show_pane(self, tab: str) -> Widget:
        """Show a tab, building its pane first if it has never been shown; returns the pane."""
        pane = self._built.get(tab)
        if pane is None:
            pane = self._make(next(t for t in self.tabs if t.id == tab))
            pane.display = False  # shown just below, with the other hidden, in one frame
            await self.mount(pane)
        if tab != self.active:
            with self.app.batch_update():
                self._built[self.active].display = False
                pane.display = True
            self.active = tab
        self.query_one(TabBar).set_active(next(i for i, t in enumerate(self.tabs) if t.id == tab))
        return pane

    async def on_tab_bar_chosen(self, message: TabBar.Chosen) -> None:
        message.stop()
        tab = self.tabs[message.index].id
        await self.show_pane(tab)
        self.post_message(self.Shown(self, tab))
