"""The master scenario events list (MSEL) as a spreadsheet: export, and import back.

Planners in the HSEEP tradition review an exercise as a table with one row per
inject. This room turns a loaded :class:`~simulator.scenario.model.Scenario`
into that table (:mod:`.rows`), writes it as XLSX or CSV (:mod:`.export`),
reads a table back with every cell's position (:mod:`.sheet`) and applies its
rows to a scenario as written (:mod:`.importer`), so that an unchanged sheet
gives back the same scenario and a changed cell changes exactly one field.

It uses scenario-level code and base modules only: the live console's actual
times come in as plain data (:mod:`.actuals`), never from the engine.
"""

from simulator.scenario.msel.columns import COLUMNS, Column
from simulator.scenario.msel.export import write_msel
from simulator.scenario.msel.importer import import_msel
from simulator.scenario.msel.rows import MselRow, msel_rows

__all__ = ["COLUMNS", "Column", "MselRow", "import_msel", "msel_rows", "write_msel"]
