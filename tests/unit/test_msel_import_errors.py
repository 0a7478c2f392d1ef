"""MSEL import errors: each at its cell (``FILE:sheet!CELL`` or ``FILE:row:column``), exit 2, nothing written."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture
def xlsx(tmp_path) -> Path:
    path = tmp_path / "m.xlsx"
    assert main(["msel", "export", str(TUTORIAL), "-o", str(path)]) == 0
    return path


def set_cell(path: Path, ref: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb["MSEL"][ref] = value
    wb.save(path)


def cell_of(path: Path, number: str, header: str) -> str:
    ws = openpyxl.load_workbook(path)["MSEL"]
    col = [c.value for c in ws[1]].index(header)
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == number)
    return row[col].coordinate


def run_import(sheet: Path, capsys) -> tuple[int, list[str]]:
    out = sheet.parent / "new.yaml"
    rc = main(["msel", "import", str(sheet), "--into", str(TUTORIAL), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert not out.exists(), "nothing is written when there is an error"
    assert not [p for p in sheet.parent.iterdir() if p.name.startswith(".new")], "no temporary file is left"
    return rc, err


def test_a_bad_time_is_reported_at_its_cell(xlsx, capsys):
    ref = cell_of(xlsx, "TUT-02", "Scenario time")
    set_cell(xlsx, ref, "T+2 o'clock")
    rc, err = run_import(xlsx, capsys)
    assert rc == 2
    assert err == [f"{xlsx}:MSEL!{ref}: Scenario time: cannot read \"T+2 o'clock\" as a time; "
                   "write a time as 'T+26:00', 'T+3d4h' or 'T+90m'"]


def test_a_clock_time_made_by_the_spreadsheet_gets_a_hint(xlsx, capsys):
    ref = cell_of(xlsx, "TUT-06", "Scenario time")
    set_cell(xlsx, ref, datetime.time(10, 0))
    rc, err = run_import(xlsx, capsys)
    assert rc == 2 and len(err) == 1
    assert err[0].startswith(f"{xlsx}:MSEL!{ref}: Scenario time: the spreadsheet holds '10:00:00'")
    assert "format the column as Text" in err[0]


def test_every_problem_of_the_sheet_is_reported_in_one_run(xlsx, capsys):
    tlp = cell_of(xlsx, "TUT-01", "TLP")
    held = cell_of(xlsx, "TUT-02", "Held")
    expects = cell_of(xlsx, "TUT-05", "Expected player actions")
    set_cell(xlsx, tlp, "TLP:PURPLE")
    set_cell(xlsx, held, "perhaps")
    set_cell(xlsx, expects, "D07 by eu within soon")
    rc, err = run_import(xlsx, capsys)
    assert rc == 2
    assert len(err) == 3
    assert f"{xlsx}:MSEL!{tlp}: TLP: 'TLP:PURPLE' is not a TLP 2.0 label" in err[2] or any(
        e.startswith(f"{xlsx}:MSEL!{tlp}: TLP: 'TLP:PURPLE' is not a TLP 2.0 label") for e in err)
    assert any(e.startswith(f"{xlsx}:MSEL!{held}: Held: 'perhaps'") for e in err)
    assert any(e.startswith(f"{xlsx}:MSEL!{expects}: Expected player actions: line 1: cannot read") for e in err)


def test_a_computed_time_cannot_be_edited_directly(xlsx, capsys):
    ref = cell_of(xlsx, "TUT-04", "Scenario time")  # TUT-04 is 'after TUT-03 +1h'
    set_cell(xlsx, ref, "T+09:00")
    rc, err = run_import(xlsx, capsys)
    assert rc == 2
    assert err == [f"{xlsx}:MSEL!{ref}: Scenario time: this row is triggered by 'after TUT-03 +1h', so its time is "
                   "computed; change the Trigger cell (write 'time' there to fix the row at this time)"]


def test_a_loader_problem_in_a_new_row_is_placed_at_the_cell(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    sheet.write_text("MSEL #,Time,From,To,Title\n"
                     "TUT-09,T+03:00,MEDIA,CSIRT-XX,Rumour\n", encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2 and len(err) == 1
    assert err[0].startswith(f"{sheet}:2:4: ") and "CSIRT-XX" in err[0]


def test_csv_positions_are_row_and_column(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    sheet.write_text("MSEL #,Scenario time,TLP\n"
                     "TUT-01,T+00:30,TLP:AMBER\n"
                     ",T+01:00,TLP:AMBER\n"
                     "TUT-01,T+00:45,TLP:RED\n"
                     "TUT-02,T+02:00,orange\n", encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2
    assert err == [f"{sheet}:3:2: this row has no MSEL #; give the inject's id",
                   f"{sheet}:4:1: 'TUT-01' is also the number of row 2",
                   f"{sheet}:5:3: TLP: 'orange' is not a TLP 2.0 label; write one of TLP:CLEAR, TLP:GREEN, "
                   "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED"]


def test_header_problems(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    sheet.write_text("Title,Time\nSomething,T+01:00\n", encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2 and err == [f"{sheet}:1:1: no 'MSEL #' column (or 'Inject #', 'ID', 'No'): rows cannot be matched to injects"]
    sheet.write_text("ID,Sender,From\nTUT-01,MEDIA,MEDIA\n", encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2 and err == [f"{sheet}:1:3: column 'From' means 'From', which column 'Sender' already is"]


def test_rows_of_the_wrong_type(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    sheet.write_text("MSEL #,Type,Channel\nDP-SHARE,Decision point,EMAIL\nDP-NEW,Decision point,\nTUT-01,Task,\n",
                     encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2
    assert err == [f"{sheet}:2:3: Channel: a decision point has no such field; change its options, deadline and "
                   "default in the scenario file",
                   f"{sheet}:3:1: decision point 'DP-NEW' is not in the scenario; a new decision point needs options "
                   "and a default, so add it to the scenario file",
                   f"{sheet}:4:2: 'Task' is not a row type; write Inject or Decision point"]


def test_files_that_are_not_a_msel(tmp_path, capsys):
    fake = tmp_path / "m.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    rc, err = run_import(fake, capsys)
    assert rc == 2 and err[0].startswith(f"{fake}: not an Excel workbook (.xlsx)")
    latin = tmp_path / "l.csv"
    latin.write_bytes("MSEL #,Title\nTUT-01,Hôpital\n".encode("latin-1"))
    rc, err = run_import(latin, capsys)
    assert rc == 2 and err[0].startswith(f"{latin}:2:1: not UTF-8 text") and "CSV UTF-8" in err[0]
    other = tmp_path / "m.ods"
    other.write_text("x", encoding="utf-8")
    rc, err = run_import(other, capsys)
    assert rc == 2 and err == [f"{other}: a MSEL is read from .xlsx or .csv"]


def test_a_workbook_that_unpacks_too_big_is_refused_unread(tmp_path, capsys, monkeypatch):
    import zipfile

    from simulator.scenario.msel import sheet as sheet_module

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", "<sst>" + "a" * 2_000_000 + "</sst>")
    monkeypatch.setattr(sheet_module, "MAX_UNPACKED_BYTES", 1_000_000)
    rc, err = run_import(bomb, capsys)
    assert rc == 2 and err == [f"{bomb}: the workbook unpacks to 2000011 bytes; the limit is 1000000"]


def test_a_title_row_above_the_header_is_skipped(tmp_path, capsys):
    sheet = tmp_path / "m.csv"
    sheet.write_text("LOCKED WARD — MSEL v3 (draft),,\n,,\nInject #,Time,Description\n"
                     "TUT-02,T+02:00,Ambulances diverted.\nTUT-05,T+06:00,x\n", encoding="utf-8")
    out = tmp_path / "first.yaml"
    assert main(["msel", "import", str(sheet), "--into", str(TUTORIAL), "-o", str(out)]) == 0
    assert "updated TUT-02: body" in capsys.readouterr().out
    sheet.write_text("LOCKED WARD,,\nInject #,Time,Description\nTUT-02,T+2h,\nTUT-05,T+06:00,x\nTUT-06,soon,\n",
                     encoding="utf-8")
    rc, err = run_import(sheet, capsys)
    assert rc == 2 and err == [f"{sheet}:5:2: Scenario time: cannot read 'soon' as a time; "
                               "write a time as 'T+26:00', 'T+3d4h' or 'T+90m'"]


def test_a_cleared_cell_clears_the_field(xlsx, tmp_path, capsys):
    set_cell(xlsx, cell_of(xlsx, "TUT-04", "Objectives"), None)
    out = tmp_path / "cleared.yaml"
    assert main(["msel", "import", str(xlsx), "--into", str(TUTORIAL), "-o", str(out)]) == 0
    assert "updated TUT-04: objectives" in capsys.readouterr().out
    from simulator.scenario.loader import load

    assert {i.id: i.objectives for i in load(out).scenario.injects}["TUT-04"] == []
    ref = cell_of(xlsx, "TUT-04", "Event / inject")
    set_cell(xlsx, ref, None)
    rc, err = run_import(xlsx, capsys)
    assert rc == 2 and err == [f"{xlsx}:MSEL!{ref}: Event / inject: an inject needs a title"]


CELLS = ["", "TUT-01", "TUT-04", "DP-SHARE", "NEW-1", "T+", "T+99:00", "T+01:30", "2026-03-02 09:00", "2026-13-40",
         "after", "after TUT-99 +1h", "when", "when eccs >=", "option x", "=1+1", "'", "yes", "maybe", "amber",
         "D04 by", "D04 by ie within 2h for OBJ-1: x", "a,b;c", "everyone", "CSIRT-IE", "Inject", "Decision point",
         "1.5", "\n", "time", "facilitator"]
HEADERS = ["MSEL #", "Type", "Scenario time", "Calendar time", "Event / inject", "From", "To", "Channel", "TLP",
           "Message", "Expected player actions", "Objectives", "Trigger", "Held"]


def test_any_sheet_gives_a_result_or_located_problems_never_a_crash(tmp_path_factory, capsys):
    import csv as csv_module

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.lists(st.sampled_from(CELLS), min_size=len(HEADERS), max_size=len(HEADERS)), max_size=3),
           st.permutations(HEADERS))
    def check(rows, headers):
        folder = tmp_path_factory.mktemp("fuzz")
        sheet = folder / "m.csv"
        with sheet.open("w", encoding="utf-8", newline="") as f:
            csv_module.writer(f).writerows([headers] + rows)
        rc = main(["msel", "import", str(sheet), "--into", str(TUTORIAL), "-o", str(folder / "new.yaml")])
        err = capsys.readouterr().err
        assert rc in (0, 2)
        if rc == 2:
            assert err and all(line.startswith(str(sheet)) or line.startswith(str(folder / "new.yaml"))
                               for line in err.strip().splitlines()), err
            assert not (folder / "new.yaml").exists()

    check()
