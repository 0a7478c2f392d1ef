"""RowTable: a light, read-only table that draws only the rows on screen.

Textual's DataTable measures every cell as rows are added, and keys its
render caches on a table-wide update counter, so appending a row, updating a
cell or moving the focus re-renders every visible cell (about half a
millisecond each, through Rich's Padding). With a 10,000-record journal (a
680-row inbox) switching to a team took half a second. The tables of this UI
are simple -- one line per row, a header, a row cursor -- so RowTable keeps
the rows as plain data, sizes auto-width columns from the plain text as rows
arrive, renders a row into one Strip only when it is on screen, and caches
that Strip, keyed by the style it was drawn on, until the row itself or the
widths change (a focus change or a theme change draws rows on new styles; going
back finds them drawn). Focus changes only the cursor's colours, chosen when a
line is drawn, so a table is drawn once when it comes into view with the keys. Every row
stays in the table: nothing is cut short to keep it fast.

Keys: up/down, page up/down, home/end move the row cursor; Enter (or a click
on the row under the cursor) selects. Messages: :class:`RowTable.RowHighlighted`
when the cursor lands on a row, :class:`RowTable.RowSelected` on Enter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from simulator.text import printable

Cell = str | Text
"""A cell is plain text (never parsed as markup) or a Rich Text with its own styles."""

PADDING = 1
"""Blank cells either side of every column, as DataTable draws them."""

STRIPS_KEPT = 512
"""Rows whose rendered lines are kept (a few screens' worth); scrolling further starts the cache again."""


@dataclass
class Column:
    """One column: its label, a fixed width or None (as wide as its widest cell so far).

    A ``flex`` column takes the room the others leave in the table's width
    (shared with the other flex columns, the narrowest first), up to its widest cell; never
    less than its own width (or label); a longer cell ends in an ellipsis.
    """

    key: str
    label: Text
    width: int | None
    content: int = 0
    flex: bool = False
    spare: int = 0
    """What a flex column takes beyond its least width, from the room the table is drawn in."""

    @property
    def least(self) -> int:
        """The width it needs."""
        if self.width is not None:
            return self.width
        return self.label.cell_len if self.flex else max(self.content, self.label.cell_len)

    @property
    def most(self) -> int:
        """The width it can use (a flex column grows to its widest cell, no further)."""
        return max(self.least, self.content, self.label.cell_len) if self.flex else self.least

    @property
    def text_width(self) -> int:
        """The width it is drawn at."""
        return self.least + self.spare


def _one_line(cell: Cell) -> Cell:
    """Cells are one terminal line: newlines in scenario text or rationales become spaces, and
    control characters (an escape sequence in a title) show as visible escapes, never reach the terminal."""
    if isinstance(cell, str):
        return _one_line_text(cell)
    if "\n" in cell.plain:
        cell = Text(" ").join(cell.split("\n", allow_blank=True))
    plain = cell.plain
    safe = printable(plain, one_line=True)
    return cell if safe == plain else Text(safe, style=cell.style)


@lru_cache(maxsize=65536)
def _one_line_text(text: str) -> str:
    """:func:`_one_line` for plain text, remembered: a table shows the same titles and times again
    and again (a filter, a refresh), and each would be checked character by character."""
    return printable(text.replace("\n", " ") if "\n" in text else text, one_line=True)


def _plain(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.plain


class RowTable(ScrollView, can_focus=True):
    """Rows keyed by a string, one line each, drawn on demand."""

    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:dark > .row-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .row-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .row-table--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header", "row-table--cursor", "row-table--cursor-blurred", "row-table--even-row",
        "row-table--odd-row",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First row", show=False),
        Binding("end,ctrl+end", "last", "Last row", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False, init=False)
    """Index of the row under the cursor (0 when the table is empty)."""

    class RowHighlighted(Message):
        """The cursor moved to a row (or a first row appeared under it)."""

        def __init__(self, table: RowTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> RowTable:
            return self.table

    class RowSelected(Message):
        """Enter on a row, or a click on the row already under the cursor."""

        def __init__(self, table: RowTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, *, zebra_stripes: bool = True, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.zebra_stripes = zebra_stripes
        self._columns: list[Column] = []
        self._column_at: dict[str, int] = {}
        self._keys: list[str] = []
        self._rows: dict[str, list[Cell]] = {}
        self._index: dict[str, int] = {}
        self._strips: dict[str, dict[Style, Strip]] = {}
        """Rendered rows by key, then by the style they were drawn on (cursor, stripe and focus decide it):
        moving the focus or the cursor back and forth draws nothing twice."""
        self._header: tuple[Style, Strip] | None = None
        self._width: int | None = None
        self._room = 0
        """The width rows are drawn in (the content region's), as of the last frame."""
        self._styles: dict = {}
        self._title: str | None = None
        self._tight = False
        """One blank between columns instead of two (see :meth:`set_tight`)."""
        self._drawn_focused: bool | None = None
        """Whether the last frame drew the cursor as focused (None: not drawn yet)."""

    # ------------------------------------------------------------ columns
    def add_column(self, label: str | Text, *, key: str, width: int | None = None, flex: bool = False) -> None:
        """A column at the right; ``width`` fixes its text width, None follows the widest cell.

        ``flex``: the column also takes whatever room the table's width leaves
        (a title beside short columns); the table then never needs laying out
        again when its width changes, only drawing.
        """
        self._column_at[key] = len(self._columns)
        self._columns.append(Column(key, Text(label) if isinstance(label, str) else label, width, flex=flex))
        for cells in self._rows.values():
            cells.append("")
        self._layout_changed()

    def set_tight(self, tight: bool) -> None:
        """One blank between columns instead of two (a blank either side of each): for a narrow screen."""
        if tight != self._tight:
            self._tight = tight
            self._layout_changed()

    def set_column_widths(self, widths: dict[str, int | None]) -> None:
        """Fix (or free, with None) the text width of columns by key."""
        if all(self._columns[self._column_at[key]].width == width for key, width in widths.items()):
            return  # the same widths: what is drawn stays right
        for key, width in widths.items():
            self._columns[self._column_at[key]].width = width
        self._layout_changed()

    # ------------------------------------------------------------ rows
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        """Row keys, top to bottom."""
        return list(self._keys)

    def add_rows(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
        """Append (key, cells) rows in one go: one width pass, one refresh."""
        was_empty = not self._keys
        if self._append(rows):
            self._layout_changed()
        else:
            self._size_changed()
        if was_empty and self._keys:
            self._post_highlight()

    def _append(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> bool:
        """Store rows and widen auto columns; True when a column grew."""
        columns = self._columns
        widened = False
        for key, cells in rows:
            if key in self._rows:
                raise ValueError(f"duplicate row key {key!r}")
            if len(cells) > len(columns):
                raise ValueError(f"row {key!r} has {len(cells)} cells for {len(columns)} columns")
            row = [_one_line(c) for c in cells] + [""] * (len(columns) - len(cells))
            for column, cell in zip(columns, row):
                if column.width is None or column.flex:
                    width = cell_len(_plain(cell))
                    if width > column.content:
                        column.content, widened = width, True
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._rows[key] = row
        return widened

    def set_title(self, title: str) -> None:
        """The title on the table's top line; setting the same one again draws nothing."""
        if title != self._title:
            self._title = title
            self.border_title = title

    def set_rows(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
        """Replace every row; the cursor stays on the same key while it is still there.

        The same rows again change nothing and draw nothing; a row whose cells
        did not change keeps what was drawn for it (a filter draws only what is
        new), unless the column widths moved.
        """
        rows = list(rows)
        if [key for key, _cells in rows] == self._keys and all(
                self._rows[key] == [_one_line(c) for c in cells] + [""] * (len(self._columns) - len(cells))
                for key, cells in rows):
            return
        before = self.cursor_key
        old_rows, widths = self._rows, [c.text_width for c in self._columns]
        self._keys, self._rows, self._index = [], {}, {}
        for column in self._columns:
            column.content = 0
        self._append(rows)
        self._width = None
        self._share_room()
        if widths != [c.text_width for c in self._columns]:
            self._layout_changed()
        else:
            self._strips = {key: drawn for key, drawn in self._strips.items() if old_rows.get(key) == self._rows.get(key)}
            self._size_changed()
        row = self._index.get(before, 0) if before is not None else 0
        if row != self.cursor_row:
            self.cursor_row = row  # the watcher scrolls and says so
        else:
            self._scroll_to_cursor()
            if self.cursor_key is not None and self.cursor_key != before:
                self._post_highlight()

    def get_cell(self, row_key: str, column_key: str) -> Cell:
        return self._rows[row_key][self._column_at[column_key]]

    def update_cell(self, row_key: str, column_key: str, value: Cell) -> None:
        """Change one cell; only its row is drawn again (all rows if its column grows)."""
        index = self._column_at[column_key]
        value = _one_line(value)
        self._rows[row_key][index] = value
        column = self._columns[index]
        if (column.width is None or column.flex) and cell_len(_plain(value)) > column.content:
            column.content = cell_len(_plain(value))
            self._layout_changed()
            return
        self._strips.pop(row_key, None)
        row = self._index.get(row_key)
        if row is not None:
            self.refresh_line(row + 1)

    # ------------------------------------------------------------ cursor
    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor, None when the table is empty."""
        return self._keys[self.cursor_row] if self._keys else None

    def row_index(self, row_key: str) -> int | None:
        return self._index.get(row_key)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row (clamped) and scroll it into view."""
        self._set_cursor(row)

    def _set_cursor(self, row: int) -> None:
        row = max(0, min(row, len(self._keys) - 1)) if self._keys else 0
        if row == self.cursor_row:
            self._scroll_to_cursor()
        else:
            self.cursor_row = row

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1)) if self._keys else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_to_cursor()
        self._post_highlight()

    def _post_highlight(self) -> None:
        if self._keys:
            self.post_message(self.RowHighlighted(self, self.cursor_row, self._keys[self.cursor_row]))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self, retry: bool = True) -> None:
        """Keep the cursor row between the header and the bottom edge."""
        rows_shown = self._page()
        top = round(self.scroll_y)
        row = self.cursor_row
        target = row if row < top else row - rows_shown + 1 if row >= top + rows_shown else None
        if target is None:
            return
        self.scroll_to(y=target, animate=False, immediate=True)
        if retry and round(self.scroll_y) != target:
            # rows just added: the scrollable height catches up at the next layout
            self.call_after_refresh(self._scroll_to_cursor, False)

    def action_cursor_up(self) -> None:
        self._set_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._set_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self._set_cursor(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self._set_cursor(self.cursor_row + self._page())

    def action_first(self) -> None:
        self._set_cursor(0)

    def action_last(self) -> None:
        self._set_cursor(len(self._keys) - 1)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self._keys[self.cursor_row]))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return  # the header, a border or a scrollbar
        row = round(self.scroll_y) + offset.y - 1
        if row >= len(self._keys):
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self._set_cursor(row)

    # ------------------------------------------------------------ drawing
    @property
    def least_width(self) -> int:
        """The table's width with flex columns at their least: beyond it, it scrolls sideways."""
        if self._width is None:
            blanks = (len(self._columns) + 1) * PADDING if self._tight else 2 * PADDING * len(self._columns)
            self._width = sum(c.least for c in self._columns) + (blanks if self._columns else 0)
        return self._width

    @property
    def table_width(self) -> int:
        """The width rows are drawn to: the least width, plus the room flex columns take."""
        return self.least_width + sum(c.spare for c in self._columns)

    def _share_room(self) -> None:
        """Flex columns share the room the others leave, each up to its widest cell: the narrowest grows first.

        Not in turn: a first flex column with long cells (a refusal's reason)
        would otherwise take it all and leave the next one at its label.
        """
        spare = max(0, self._room - self.least_width)
        flex = [column for column in self._columns if column.flex]
        for column in flex:
            column.spare = 0
        wanting = [column for column in flex if column.most > column.least]
        while spare > 0 and wanting:  # a column at a time: the room is a few hundred cells at most
            column = min(wanting, key=lambda c: c.text_width)
            column.spare += 1
            spare -= 1
            if column.text_width >= column.most:
                wanting.remove(column)

    def _size_changed(self) -> None:
        self.virtual_size = Size(self.least_width, len(self._keys) + 1)
        self.refresh()

    def _layout_changed(self) -> None:
        """Widths moved: every cached row is stale."""
        self._strips.clear()
        self._header = None
        self._width = None
        self._share_room()
        self._size_changed()

    def _room_changed(self, room: int) -> None:
        """The width to draw in changed: flex columns follow it (drawn again, nothing laid out)."""
        self._room = room
        if any(c.flex for c in self._columns):
            self._strips.clear()
            self._header = None
            self._share_room()

    # ------------------------------------------------------------ focus
    @property
    def _focused(self) -> bool:
        """Whether the keys go to this table now: the screen says so at once, the Focus event comes later."""
        return self.is_attached and self.screen.focused is self

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Nothing to restyle: the table's look does not use ``:focus`` rules (see :meth:`_on_focus`)."""

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # Widget's own handler redraws the whole table; only the cursor line changes
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))
        self._focus_changed()

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))
        self._focus_changed()

    def _focus_changed(self) -> None:
        """Only the cursor's colours differ with focus: redraw its line if the last frame drew the other ones.

        They are chosen when a line is drawn, from the screen's focus (set before
        the Focus event arrives), not by a ``:focus`` style rule: such a rule made
        Textual restyle the table and both its scrollbars when the event came,
        usually a frame after the tab or view it belongs to was drawn, so every
        switch drew the table twice.
        """
        if self._drawn_focused is not None and self._drawn_focused != self._focused:
            self.refresh_line(self.cursor_row + 1)

    def _frame_styles(self) -> dict:
        base = self.rich_style
        get = self.get_component_rich_style
        cursor_style = get("row-table--cursor" if self._focused else "row-table--cursor-blurred")
        return {
            "base": base,
            "header": base + get("row-table--header"),
            **{(cursor, parity): base + get("row-table--odd-row" if parity else "row-table--even-row")
               + (cursor_style if cursor else Style())
               for cursor in (False, True) for parity in (0, 1)},
        }

    def render_lines(self, crop: Region) -> list[Strip]:
        """Look the row styles up once per frame, not once per line (``rich_style`` walks the DOM)."""
        self._styles = self._frame_styles()
        self._drawn_focused = self._focused
        room = self.scrollable_content_region.width
        if room != self._room:
            self._room_changed(room)  # known only now, after the layout: the first frame has the right widths
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        styles = self._styles or self._frame_styles()
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            style = styles["header"]
            if self._header is None or self._header[0] != style:
                self._header = (style, self._render_cells([c.label for c in self._columns], style, None))
            return self._header[1].crop_extend(scroll_x, scroll_x + width, style)
        index = scroll_y + y - 1
        if index >= len(self._keys):
            return Strip.blank(width, styles["base"])
        cursor = index == self.cursor_row
        parity = index % 2 if self.zebra_stripes else 1
        style = styles[(cursor, parity)]
        key = self._keys[index]
        drawn = self._strips.get(key)
        if drawn is None:
            if len(self._strips) >= STRIPS_KEPT:
                self._strips.clear()  # scrolled through a long table: start again from the rows on screen
            drawn = self._strips[key] = {}
        strip = drawn.get(style)
        if strip is None:
            post = Style.from_color(color=style.color) if cursor else None
            strip = drawn[style] = self._render_cells(self._rows[key], style, post)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _render_cells(self, cells: Sequence[Cell], base: Style, post: Style | None) -> Strip:
        """One row as a Strip: padded, truncated cells on the row's style (cell styles win)."""
        console = self.app.console
        pad = Segment(" " * PADDING, base)
        segments: list[Segment] = []
        for i, (column, cell) in enumerate(zip(self._columns, cells)):
            width = column.text_width
            if i == 0 or not self._tight:
                segments.append(pad)
            if isinstance(cell, str) or not cell.spans:
                # plain text, or one style for the whole cell: one segment, no Rich rendering
                plain = _plain(cell) if width > 0 else ""
                if cell_len(plain) != width:
                    plain = set_cell_size(plain, width - 1) + "…" if cell_len(plain) > width \
                        else set_cell_size(plain, width)
                style = base if isinstance(cell, str) or not cell.style else base + console.get_style(cell.style)
                segments.append(Segment(plain, style + post if post else style))
            else:
                text = cell.copy()
                text.truncate(width, overflow="ellipsis", pad=True)
                for segment in text.render(console):
                    style = base + segment.style if segment.style else base
                    segments.append(Segment(segment.text, style + post if post else style))
            segments.append(pad)
        return Strip(segments, self.table_width)
