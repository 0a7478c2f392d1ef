"""The master scenario events list (MSEL): every inject, when it is due and what became of it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from simulator.timefmt import format_time
from tui.journal_view import JournalView, MselRow
from tui.widgets.badges import tlp_badge
from tui.widgets.row_table import RowTable

FILTERS = ("all", "upcoming", "delivered", "held")
"""Filters the facilitator cycles through with the filter key."""
FULL_MIN_TITLE = 24
"""The least width of the title column in the full layout."""
COMPACT_MIN_TITLE = 8
"""The same in the compact layout: at 80 columns every other column must show (the full title is below)."""

STATUS_STYLES = {"delivered": "", "in transit": "italic", "upcoming": "bold", "held": "bold reverse",
                 "held (due)": "bold reverse", "cancelled": "strike", "on decision": "dim"}


RESERVED = {"status": 11, "sent": 7}
"""Widths kept for cells that grow as the exercise runs ("on decision", "T+12:30")."""

LIMITS = {"due": 14, "to": 18}
"""Widest a cell may be: a long condition ("when flag('x') and not ...") or recipient list is cut
with an ellipsis, so the title keeps its room; the line under the table shows it in full."""

COMPACT_LIMITS = {"due": 11, "to": 11}
"""The same in the compact layout, the one 80 columns hold ("on decision", "ie-hospital" still whole)."""


def _clip(text: str, key: str, compact: bool = False) -> str:
    limit = (COMPACT_LIMITS if compact else LIMITS).get(key)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _matches(flt: str, status: str) -> bool:
    if flt == "all":
        return True
    if flt == "upcoming":
        return status in ("upcoming", "on decision")
    if flt == "delivered":
        return status in ("delivered", "in transit")
    return status.startswith("held")


class MselTable(RowTable):
    """MSEL rows keyed by inject id; statuses update in place as records arrive.

    Every inject the filter lets through is a row (RowTable draws only those on
    screen, so a long MSEL costs nothing to show); a tick updates the cells of
    the injects it touched and rebuilds the rows only when one of them enters
    or leaves the filter.
    """

    def __init__(self, view: JournalView, status_of: Callable[[str], str], **kwargs):
        super().__init__(**kwargs)
        self.view = view
        self.status_of = status_of
        self.filter = "all"
        self.compact = False
        """The narrow layout: TLP without "TLP:", shorter due and recipient cells, one blank between
        columns, a narrower least title."""
        self.MIN_TITLE = FULL_MIN_TITLE
        """The title column takes the room the width leaves (up to the longest title), never less than this."""
        self._full_width: int | None = None
        """The least width of the full layout when it last did not fit (the compact one is used below it)."""
        self._shown: set[str] = set()
        self._fixed: dict[str, tuple] = {}
        """Per inject, the cells that never change (due, id, title, recipients, TLP)."""

    COLUMNS = (("Due", "due"), ("Inject", "inject"), ("Status", "status"), ("Title", "title"),
               ("To", "to"), ("TLP", "tlp"), ("Sent", "sent"))

    def on_mount(self) -> None:
        for label, key in self.COLUMNS:
            if key == "title":
                self.add_column(label, key=key, width=self.MIN_TITLE, flex=True)
            else:
                self.add_column(label, key=key, width=max(len(label), RESERVED.get(key, 0)))
        self.rebuild()  # the title follows the table's width as it is drawn: no size needed here

    # ------------------------------------------------------------ layout
    def on_resize(self) -> None:
        self._choose_layout()

    def _room_changed(self, room: int) -> None:
        """Known while a frame is drawn (a scrollbar came or went): the layout is chosen after it."""
        super()._room_changed(room)
        self.call_after_refresh(self._choose_layout)

    def _choose_layout(self) -> None:
        """The full layout while it fits the width; the compact one when it does not (at 80 columns
        the TLP and Sent columns ran off the screen), until the full one fits again."""
        room = self.scrollable_content_region.width
        if room <= 0 or not self.is_mounted:
            return
        if not self.compact and self.least_width > room:
            self._full_width = self.least_width
            self._set_compact(True)
        elif self.compact and self._full_width is not None and self._full_width <= room:
            self._set_compact(False)
            if self.least_width > room:  # rows came since it was measured: compact after all
                self._full_width = self.least_width
                self._set_compact(True)

    def _set_compact(self, compact: bool) -> None:
        self.compact = compact
        self.MIN_TITLE = COMPACT_MIN_TITLE if compact else FULL_MIN_TITLE
        self._fixed.clear()
        self.set_tight(compact)
        self.set_column_widths({"title": self.MIN_TITLE})
        self.rebuild()

    def _fit_columns(self, rows: list[tuple]) -> None:
        """Columns sized to their content; the title (flex) takes the room left (full titles show below)."""
        self.set_column_widths({key: max([len(label), RESERVED.get(key, 0)] + [len(_plain(r[i])) for r in rows])
                                for i, (label, key) in enumerate(self.COLUMNS) if key != "title"})

    # ------------------------------------------------------------ content
    def _status(self, row: MselRow) -> str:
        return self.view.msel_status(row, self.status_of(row.inject))

    def _to(self, row: MselRow) -> str:
        teams: list[str] = []
        others = 0
        for actor in row.to:
            found = self.view.plan.teams_for(actor)
            for t in found:
                if t not in teams:
                    teams.append(t)
            others += not found
        text = ", ".join(teams)
        if others:
            text += (" + " if text else "") + f"{others} simulated"
        return text

    def _cells(self, row: MselRow, status: str) -> tuple:
        fixed = self._fixed.get(row.inject)
        if fixed is None:
            c = self.compact
            fixed = self._fixed[row.inject] = (_clip(row.planned, "due", c), row.inject, row.title,
                                               _clip(self._to(row), "to", c), tlp_badge(row.tlp, short=c))
        due, inject, title, to, tlp = fixed
        return (due, inject, Text(status, style=STATUS_STYLES.get(status, "")), title, to, tlp,
                format_time(row.released_t) if row.released_t is not None else "")

    def detail(self) -> Text:
        """Everything about the inject under the cursor, for the line under the table."""
        inject = self.selected_inject()
        row = self.view.msel.get(inject) if inject else None
        if row is None:
            return Text("No inject matches this filter (v changes it).")
        status = self._status(row)
        text = Text.assemble((f"{row.inject} ", "bold"), tlp_badge(row.tlp), f" {row.title}\n",
                             f"due {row.planned} · {status}")
        if row.released_t is not None:
            text.append(f" · released {format_time(row.released_t)}, {row.deliveries} {'delivery' if row.deliveries == 1 else 'deliveries'}")
        text.append(f" · to {', '.join(row.to)}")
        text.append("\nf fires it now · h holds or releases it · v filters the list", style="dim")
        return text

    def _ordered(self) -> list[MselRow]:
        rows = list(self.view.msel.values())
        return sorted(rows, key=lambda r: (r.adhoc, r.planned_t is None, r.planned_t or 0))

    def rebuild(self) -> None:
        """Show the rows the filter lets through, keeping the cursor on the same inject."""
        batch = []
        for row in self._ordered():
            status = self._status(row)
            if _matches(self.filter, status):
                batch.append((row.inject, self._cells(row, status)))
        self._shown = {key for key, _cells in batch}
        self._fit_columns([cells for _key, cells in batch])
        self.set_rows(batch)
        self.set_title(f"MSEL · {self.filter} ({len(self._shown)}/{len(self.view.msel)})")

    def refresh_rows(self, changed: set[str], added: bool) -> None:
        """Bring changed injects up to date: their cells in place, a rebuild only if the filter's rows change."""
        statuses = {inject: self._status(self.view.msel[inject]) for inject in changed if inject in self.view.msel}
        if added or any(_matches(self.filter, status) != (inject in self._shown) for inject, status in statuses.items()):
            self.rebuild()
            return
        for inject, status in statuses.items():
            if inject in self._shown:
                row = self.view.msel[inject]
                self.update_cell(inject, "status", Text(status, style=STATUS_STYLES.get(status, "")))
                self.update_cell(inject, "sent", format_time(row.released_t) if row.released_t is not None else "")

    def cycle_filter(self) -> str:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.rebuild()
        return self.filter

    def selected_inject(self) -> str | None:
        return self.cursor_key

    def select_inject(self, inject: str) -> bool:
        if inject not in self._shown and self.filter != "all":
            self.filter = "all"
            self.rebuild()
        row = self.row_index(inject)
        if row is not None:
            self.move_cursor(row=row)
            return True
        return False


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
