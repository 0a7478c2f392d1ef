"""The written MSEL as a planner opens it: header, frozen row, widths, wrapped text, TLP colours, sheets."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from simulator.cli import main
from simulator.scenario.loader import load
from simulator.scenario.msel import COLUMNS, write_msel
from simulator.scenario.msel.export import TLP_COLOURS

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "tutorial.xlsx"
    assert main(["msel", "export", "tutorial", "-o", str(path)]) == 0
    return openpyxl.load_workbook(path)


def test_header_freeze_panes_widths_and_wrapping(workbook):
    ws = workbook["MSEL"]
    assert workbook.sheetnames == ["MSEL", "Decision points", "Objectives"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["MSEL #", "Type", "Scenario time", "Calendar time"]
    assert header == [c.header for c in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["J"].width == 60  # the message
    assert ws["J2"].alignment.wrap_text and ws["A1"].font.bold
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"


def test_rows_in_timeline_order_with_tlp_colours(workbook):
    ws = workbook["MSEL"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["TUT-01", "DP-SHARE", "TUT-02", "TUT-03", "TUT-04", "DP-ESCALATE", "TUT-05", "TUT-06"]
    assert [r[2] for r in rows][:5] == ["T+00:30", "T+01:00", "T+02:00", "T+04:00", "T+05:00"]
    assert rows[0][3] == "2026-03-02 08:30"
    assert rows[4][13] == "after TUT-03 +1h"
    amber, clear = ws["I2"], ws["I4"]
    assert amber.value == "TLP:AMBER" and amber.font.color.rgb == "00" + TLP_COLOURS["TLP:AMBER"]
    assert amber.fill.fgColor.rgb == "00000000"
    assert clear.value == "TLP:CLEAR" and clear.font.color.rgb == "00FFFFFF"
    assert TLP_COLOURS["TLP:RED"] == "FF2B2B" and TLP_COLOURS["TLP:GREEN"] == "33FF00"


def test_decision_points_and_objectives_sheets(workbook):
    points = [[c.value for c in r] for r in workbook["Decision points"].iter_rows()]
    assert points[0][:8] == ["Point", "Team", "Prompt", "Trigger", "Deadline", "Default", "Option", "Label"]
    assert [(r[0], r[6]) for r in points[1:]] == [("DP-SHARE", "share-amber"), ("DP-SHARE", "share-clear"),
                                                   ("DP-SHARE", "hold"), ("DP-ESCALATE", "escalate"),
                                                   ("DP-ESCALATE", "wait")]
    objectives = [[c.value for c in r] for r in workbook["Objectives"].iter_rows()]
    assert objectives[1][:2] == ["OBJ-1", "Share cross-border indicators early"]
    assert objectives[1][4] == "TUT-01, DP-SHARE, TUT-04"
    assert workbook["Objectives"].freeze_panes == "A2"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    scenario = load(TUTORIAL).scenario
    first = scenario.injects[0].model_copy(update={"body": "=HYPERLINK(\"http://x\")", "title": "-1 hospitals"})
    scenario = scenario.model_copy(update={"injects": [first] + scenario.injects[1:]})
    xlsx = write_msel(scenario, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(xlsx)["MSEL"]
    assert ws["J2"].data_type == "s" and ws["J2"].value == "=HYPERLINK(\"http://x\")"
    path = write_msel(scenario, tmp_path / "f.csv")
    with path.open(encoding="utf-8", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row[9] == "'=HYPERLINK(\"http://x\")" and row[4] == "'-1 hospitals"


def test_csv_is_utf8_with_a_header(tmp_path):
    path = tmp_path / "t.csv"
    assert main(["msel", "export", "tutorial", "-o", str(path)]) == 0
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("MSEL #,Type,Scenario time,") and "Hôpital Saint-Lambert" in text


def test_the_output_must_be_xlsx_or_csv(tmp_path, capsys):
    assert main(["msel", "export", "tutorial", "-o", str(tmp_path / "t.ods")]) == 2
    assert "written as .xlsx or .csv" in capsys.readouterr().err


def test_planned_vs_actual_from_a_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["replay", "tutorial", "--policy", "doctrine", "--out", str(out), "--quiet"]) == 0
    sheet = tmp_path / "played.csv"
    assert main(["msel", "export", "tutorial", "--journal", str(out / "events.jsonl"), "-o", str(sheet)]) == 0
    with sheet.open(encoding="utf-8", newline="") as f:
        rows = {r["MSEL #"]: r for r in csv.DictReader(f)}
    assert rows["TUT-01"]["Scenario time"] == "T+00:30" and rows["TUT-01"]["Actual time"] == "T+00:30"
    assert rows["TUT-01"]["Status"] == "released"
    assert rows["DP-SHARE"]["Status"].startswith("closed at ")
    assert main(["msel", "export", "vital-signs", "--journal", str(out / "events.jsonl"), "-o", str(sheet)]) == 2
    assert "is a run of 'tutorial'" in capsys.readouterr().err


def test_docs_describe_every_column():
    from simulator.scenario.msel.columns import LIVE_COLUMNS

    text = (ROOT / "docs" / "msel.md").read_text(encoding="utf-8")
    missing = [c.header for c in COLUMNS + LIVE_COLUMNS if f"`{c.header}`" not in text]
    assert missing == []


def test_a_played_msel_has_ad_hoc_injects_and_imports_back(tmp_path, capsys):
    from simulator.engine.exercise import Exercise
    from simulator.scenario.msel.actuals import actuals_from_records
    from simulator.scenario.plan import Plan

    loaded = load(TUTORIAL)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1)
    ex.run(until=90)
    ex.hold("TUT-02")
    ident = ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="Call from the vendor", body="=2+2 is not a formula")
    ex.run(until=200)
    sheet = write_msel(loaded.scenario, tmp_path / "played.csv", actuals=actuals_from_records(ex.journal))
    with sheet.open(encoding="utf-8", newline="") as f:
        rows = {r["MSEL #"]: r for r in csv.DictReader(f)}
    assert rows["TUT-01"]["Actual time"] == "T+00:30" and rows["TUT-02"]["Status"].startswith("held")
    adhoc = rows[ident]
    assert adhoc["Type"] == "Ad-hoc inject" and adhoc["Actual time"] == "T+01:30" and adhoc["Scenario time"] == ""
    assert adhoc["Status"] == "released (facilitator)" and adhoc["Message"] == "'=2+2 is not a formula"
    assert list(rows)[-1] == ident
    new = tmp_path / "next-year.yaml"
    assert main(["msel", "import", str(sheet), "--into", str(TUTORIAL), "-o", str(new)]) == 0
    out = capsys.readouterr().out
    assert f"added {ident}" in out and "updated" not in out, "planned rows of a played MSEL are unchanged"
    added = {i.id: i for i in load(new).scenario.injects}[ident]
    assert added.at is None and added.after is None and added.body == "=2+2 is not a formula"
