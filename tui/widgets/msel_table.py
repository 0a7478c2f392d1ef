"""The master scenario events list (MSEL): every inject, when it is due and what became of it."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from simulator.timefmt import format_time

from ..journal_view import JournalView, MselRow
from .badges import tlp_badge

FILTERS = ("all", "upcoming", "delivered", "held")
"""Filters the facilitator cycles through with the filter key."""

STATUS_STYLES = {"delivered": "", "in transit": "italic", "upcoming": "bold", "held": "bold reverse",
                 "held (due)": "bold reverse", "cancelled": "strike", "on decision": "dim"}


RESERVED = {"status": 11, "sent": 7}
"""Widths kept for cells that grow as the exercise runs ("on decision", "T+12:30")."""


def _matches(flt: str, status: str) -> bool:
    if flt == "all":
        return True
    if flt == "upcoming":
        return status in ("upcoming", "on decision")
    if flt == "delivered":
        return status in ("delivered", "in transit")
    return status.startswith("held")


class MselTable(DataTable):
    """MSEL rows keyed by inject id; statuses update in place as records arrive."""

    def __init__(self, view: JournalView, status_of: Callable[[str], str], **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.view = view
        self.status_of = status_of
        self.filter = "all"
        self._shown: list[str] = []

    COLUMNS = (("Due", "due"), ("Inject", "inject"), ("Status", "status"), ("Title", "title"),
               ("To", "to"), ("TLP", "tlp"), ("Sent", "sent"))
    MIN_TITLE = 24
    """The title column shrinks to what the width leaves, but never below this."""

    def on_mount(self) -> None:
        if self.size.width:  # otherwise the first resize lays the table out, once
            self.rebuild()

    def on_resize(self, event) -> None:
        if event.size.width != getattr(self, "_laid_out_for", None):
            self.rebuild()

    def _add_columns(self, rows: list[tuple]) -> None:
        """Columns sized to their content, the title to the room left (full titles show below)."""
        widths = [max([len(label), RESERVED.get(key, 0)] + [len(_plain(r[i])) for r in rows])
                  for i, (label, key) in enumerate(self.COLUMNS)]
        title_i = 3
        others = sum(w for i, w in enumerate(widths) if i != title_i) + 2 * len(widths) + 2
        room = self.size.width - others if self.size.width else widths[title_i]
        title = max(self.MIN_TITLE, min(widths[title_i], room))
        self._laid_out_for = self.size.width
        for i, (label, key) in enumerate(self.COLUMNS):
            self.add_column(label, key=key, width=title if i == title_i else widths[i])

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
        return (
            row.planned,
            row.inject,
            Text(status, style=STATUS_STYLES.get(status, "")),
            row.title,
            self._to(row),
            tlp_badge(row.tlp),
            format_time(row.released_t) if row.released_t is not None else "",
        )

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
            text.append(f" · released {format_time(row.released_t)}, {row.deliveries} deliveries")
        text.append(f" · to {', '.join(row.to)}")
        text.append("\nf fires it now · h holds or releases it · v filters the list", style="dim")
        return text

    def _ordered(self) -> list[MselRow]:
        rows = list(self.view.msel.values())
        return sorted(rows, key=lambda r: (r.adhoc, r.planned_t is None, r.planned_t or 0))

    def rebuild(self) -> None:
        """Show the rows the filter lets through, keeping the cursor on the same inject."""
        keep = self.selected_inject()
        self.clear(columns=True)
        self._shown = []
        batch = []
        for row in self._ordered():
            status = self._status(row)
            if _matches(self.filter, status):
                batch.append((row.inject, self._cells(row, status)))
                self._shown.append(row.inject)
        self._add_columns([cells for _key, cells in batch])
        for key, cells in batch:
            self.add_row(*cells, key=key)
        self.border_title = f"MSEL · {self.filter} ({len(self._shown)}/{len(self.view.msel)})"
        if keep in self._shown:
            self.move_cursor(row=self._shown.index(keep))

    def refresh_rows(self, changed: set[str], added: bool) -> None:
        """Bring changed injects up to date (a rebuild when the filter may drop or add rows)."""
        if added or (self.filter != "all" and changed):
            self.rebuild()
            return
        for inject in changed:
            if inject in self._shown:
                row = self.view.msel[inject]
                status = self._status(row)
                self.update_cell(inject, "status", Text(status, style=STATUS_STYLES.get(status, "")),
                                 update_width=True)
                self.update_cell(inject, "sent", format_time(row.released_t) if row.released_t is not None else "",
                                 update_width=True)

    def cycle_filter(self) -> str:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.rebuild()
        return self.filter

    def selected_inject(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:  # cursor outside the table after a clear
            return None

    def select_inject(self, inject: str) -> bool:
        if inject not in self._shown and self.filter != "all":
            self.filter = "all"
            self.rebuild()
        if inject in self._shown:
            self.move_cursor(row=self._shown.index(inject))
            return True
        return False


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
