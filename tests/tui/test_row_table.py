"""RowTable: rows drawn on demand, a row cursor, cells kept literal and on one line."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.row_table import RowTable


class TableApp(App[None]):
    """One RowTable filling a small screen; records the table's messages."""

    def __init__(self, rows: int = 0, widths: dict[str, int | None] | None = None):
        super().__init__()
        self.rows = rows
        self.widths = widths or {}
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowTable()

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        for key in ("n", "title"):
            table.add_column(key.capitalize(), key=key, width=self.widths.get(key))
        table.add_rows((f"r{i}", (str(i), f"row number {i}")) for i in range(self.rows))
        table.focus()

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_key)

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        self.selected.append(event.row_key)


def line(table: RowTable, y: int) -> str:
    """The text of one line of the table as drawn now (0 is the header)."""
    return "".join(segment.text for segment in table.render_line(y))


async def test_a_long_table_draws_only_the_rows_on_screen(monkeypatch):
    drawn: list[str] = []
    draw = RowTable._render_cells

    def spy(self, cells, base, post):
        drawn.append(str(cells[0]))
        return draw(self, cells, base, post)

    monkeypatch.setattr(RowTable, "_render_cells", spy)
    app = TableApp(rows=10_000)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        assert table.row_count == 10_000
        rows_drawn = [n for n in drawn if n != "N"]  # "N": the header
        assert 0 < len(set(rows_drawn)) <= 11, f"{len(set(rows_drawn))} rows drawn for 11 lines of rows"
        assert line(table, 0).split() == ["N", "Title"]
        assert line(table, 1).split() == ["0", "row", "number", "0"]
        drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == "r9999"
        assert "9999" in drawn and len(set(drawn)) <= 12
        assert "row number 9999" in line(table, table.size.height - 1)


async def test_keys_move_the_cursor_and_keep_it_on_screen():
    app = TableApp(rows=100)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and table.cursor_key == "r2"
        await pilot.press("pagedown")
        page = table.size.height - 1  # the header takes a line
        assert table.cursor_row == 2 + page
        top = round(table.scroll_y)
        assert top <= table.cursor_row < top + page, "the cursor row stays between the header and the bottom"
        await pilot.press("home")
        assert table.cursor_row == 0 and round(table.scroll_y) == 0
        await pilot.press("up")
        assert table.cursor_row == 0, "the cursor stops at the first row"
        await pilot.pause()
        assert app.highlighted[:2] == ["r0", "r1"] and app.highlighted[-1] == "r0"
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["r0"]


async def test_a_click_moves_the_cursor_and_a_second_click_selects():
    app = TableApp(rows=20)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.click(RowTable, offset=(3, 4))  # line 4: the header, then rows 0, 1, 2
        assert table.cursor_key == "r3"
        assert app.selected == []
        await pilot.click(RowTable, offset=(3, 4))
        await pilot.pause()
        assert app.selected == ["r3"]
        await pilot.click(RowTable, offset=(3, 0))  # the header selects nothing
        await pilot.pause()
        assert table.cursor_key == "r3" and app.selected == ["r3"]


async def test_cells_are_literal_one_line_and_cut_to_fixed_widths():
    app = TableApp(widths={"title": 12})
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(RowTable)
        table.add_rows([
            ("markup", ("1", "[bold]not markup[/bold]")),
            ("lines", ("2", "first\nsecond")),
            ("styled", ("3", Text("TLP:AMBER", style="bold #FFC000 on #000000"))),
        ])
        await pilot.pause()
        assert " [bold]not m… " in line(table, 1), "scenario text is never parsed as markup"
        assert "first second" in line(table, 2), "a newline becomes a space: one line per row"
        styled = [s for s in table.render_line(3) if s.text.strip() == "TLP:AMBER"]
        assert styled and styled[0].style.bgcolor is not None and styled[0].style.bold, "a cell keeps its own style"


async def test_update_cell_widens_auto_columns_and_set_rows_keeps_the_cursor_key():
    app = TableApp(rows=5)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(RowTable)
        width = table.table_width
        table.update_cell("r2", "title", "a title much longer than any other in this table")
        await pilot.pause()
        assert table.table_width > width
        assert str(table.get_cell("r2", "title")).startswith("a title much longer")
        assert "a title much longer than any other" in line(table, 3)
        table.move_cursor(row=3)
        table.set_rows([(key, ("x", key)) for key in ("r9", "r3", "r1")])
        await pilot.pause()
        assert table.row_keys == ["r9", "r3", "r1"]
        assert table.cursor_key == "r3", "the cursor follows its row, not its index"
        table.set_rows([("r7", ("y", "r7"))])
        await pilot.pause()
        assert table.cursor_key == "r7" and app.highlighted[-1] == "r7"


async def test_set_rows_draws_only_the_rows_that_changed_and_follows_a_flex_column():
    app = TableApp(rows=4)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(RowTable)
        table.add_column("Note", key="note", flex=True)
        table.set_rows([(f"r{i}", (str(i), f"row number {i}", "short")) for i in range(4)])
        await pilot.pause()
        drawn = {key: dict(styles) for key, styles in table._strips.items()}
        assert drawn
        table.set_rows([(f"r{i}", (str(i), f"row number {i}", "short" if i else "other")) for i in range(4)])
        assert "r0" not in table._strips and all(table._strips[k] == drawn[k] for k in ("r1", "r2", "r3"))
        await pilot.pause()
        assert "other" in line(table, 1) and "short" in line(table, 2)
        table.set_rows([(f"r{i}", (str(i), f"row number {i}", "a note much longer than the others")) for i in range(4)])
        await pilot.pause()
        assert "a note much longer than the others" in line(table, 1), "the flex column grew to its widest cell"


async def test_flex_columns_share_the_room_evenly_and_a_tight_table_keeps_one_blank_between_columns():
    """The first of two flex columns (a refusal's long reason) took all the room, leaving the rationale its label."""
    app = TableApp(rows=0)
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(RowTable)
        table.add_column("Why", key="why", flex=True)
        table.add_column("Rationale", key="rationale", flex=True)
        table.add_rows([("r", ("1", "short", "refused: " + "x" * 80, "because " + "y" * 80))])
        await pilot.pause()
        widths = {c.key: c.text_width for c in table._columns}
        assert table.table_width == table.scrollable_content_region.width
        assert abs(widths["why"] - widths["rationale"]) <= 1, widths
        drawn = line(table, 1)
        assert "refused: xx" in drawn and "because yy" in drawn and drawn.count("…") == 2
        loose = table.least_width
        table.set_tight(True)
        await pilot.pause()
        assert table.least_width == loose - (len(table._columns) - 1)
        assert line(table, 0).startswith(" N Title") and line(table, 1).startswith(" 1 short")
