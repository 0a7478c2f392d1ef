"""MSEL round trip: export, import into the same scenario, and the scenario is the same, so is the replay.

For every bundled scenario and both formats. The import writes a scenario
file that must load on its own (the loader validates it) to a scenario equal,
field for field, to the original, with the same content hash (it follows
meaning, not formatting). The engine's plan is built from those two alone,
so the replay is the same; one round trip is played with the doctrine policy
(so decision points and options are taken) and compared with the original's
journal, record for record, to show it. A worked edit (a time changed in the
sheet) must move exactly that inject.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from simulator.cli import main
from simulator.engine.exercise import Exercise
from simulator.players.policies import POLICIES
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.scenario.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))


def play(path: Path) -> list[dict]:
    loaded = load(path)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1, sources=[POLICIES["doctrine"]()])
    ex.run()
    return [r.as_dict() for r in ex.journal]


@cache
def original(path: Path):
    """The bundled scenario as loaded, once per file (both formats compare with it)."""
    return load(path)


def round_trip(path: Path, fmt: str, folder: Path, capsys) -> Path:
    """Export ``path`` to an MSEL sheet, import the sheet into it unchanged; the scenario file written."""
    sheet = folder / f"msel.{fmt}"
    new = folder / "new.yaml"
    assert main(["msel", "export", str(path), "-o", str(sheet)]) == 0
    assert main(["msel", "import", str(sheet), "--into", str(path), "-o", str(new)]) == 0
    assert "no changes" in capsys.readouterr().out
    return new


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_scenario(path, fmt, tmp_path, capsys):
    new = round_trip(path, fmt, tmp_path, capsys)
    loaded = load(new)  # the loader validates: a problem raises ScenarioError
    assert loaded.scenario == original(path).scenario
    assert loaded.content_hash == original(path).content_hash  # Plan.of(scenario, content_hash): the same plan
    # library uses stay uses: the file is still the planner's, not an expansion
    uses = lambda p: [i.get("use") for i in load_yaml_file(p).data.get("injects", [])]  # noqa: E731
    assert uses(new) == uses(path)


def test_the_round_trip_replays_the_same_record_for_record(tmp_path, capsys):
    path = ROOT / "scenarios" / "poisoned-update.yaml"  # the longest doctrine journal of the bundled ones
    new = round_trip(path, "xlsx", tmp_path, capsys)
    ours, theirs = play(new), play(path)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == b


def _edit_xlsx(path: Path, number: str, header: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["MSEL"]
    col = [c.value for c in ws[1]].index(header) + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == number:
            row[col - 1].value = value
    wb.save(path)


def _edit_csv(path: Path, number: str, header: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index(header)
    for row in rows[1:]:
        if row[0] == number:
            row[col] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_changed_time_moves_that_inject_and_its_followers(fmt, tmp_path, capsys):
    src = ROOT / "scenarios" / "tutorial.yaml"
    sheet, new = tmp_path / f"m.{fmt}", tmp_path / "new.yaml"
    assert main(["msel", "export", str(src), "-o", str(sheet)]) == 0
    (_edit_xlsx if fmt == "xlsx" else _edit_csv)(sheet, "TUT-03", "Scenario time", "T+05:30")
    assert main(["msel", "import", str(sheet), "--into", str(src), "-o", str(new)]) == 0
    assert "updated TUT-03: at" in capsys.readouterr().out
    before, after = load(src).scenario, load(new).scenario
    assert {i.id: i.at for i in after.injects}["TUT-03"] == 5 * 60 + 30
    changed = [a.id for a, b in zip(after.injects, before.injects) if a != b]
    assert changed == ["TUT-03"]
    released = {r["inject"]: r["t"] for r in play(new) if r["kind"] == "inject.released"}
    assert released["TUT-03"] == 330 and released["TUT-04"] == 390  # TUT-04 is 'after TUT-03 +1h'
    # the use: item got an override, not an expansion
    item = next(i for i in load_yaml_file(new).data["injects"] if i["id"] == "TUT-03")
    assert item["use"] == "ransomware-detected" and item["at"] == "T+05:30"


def test_a_calendar_edit_counts_as_a_time_edit(tmp_path, capsys):
    src = ROOT / "scenarios" / "tutorial.yaml"
    sheet, new = tmp_path / "m.csv", tmp_path / "new.yaml"
    assert main(["msel", "export", str(src), "-o", str(sheet)]) == 0
    _edit_csv(sheet, "TUT-06", "Calendar time", "2026-03-02 19:15")
    assert main(["msel", "import", str(sheet), "--into", str(src), "-o", str(new)]) == 0
    assert {i.id: i.at for i in load(new).scenario.injects}["TUT-06"] == 11 * 60 + 15


def test_new_rows_become_injects_and_existing_ones_update_by_number(tmp_path, capsys):
    src = ROOT / "scenarios" / "tutorial.yaml"
    sheet, new = tmp_path / "m.csv", tmp_path / "new.yaml"
    sheet.write_text(
        "Inject #,Time,Sender,Recipient,Event,Description,tlp,Trigger\n"
        "TUT-02,T+02:00,MEDIA,everyone,RTÉ News: Dublin hospital diverts ambulances after cyber attack,"
        "Ambulances are diverted to Tallaght.,TLP:CLEAR,time\n"
        "TUT-07,T+12:00,CSIRTS-NET,\"CSIRT-IE, CSIRT-BE\",Decryptor found,A decryptor exists.,amber,time\n"
        "TUT-08,,ENISA,CYCLONE,Follow-up,Check the decryptor.,,after TUT-07 +2h\n", encoding="utf-8")
    assert main(["msel", "import", str(sheet), "--into", str(src), "-o", str(new)]) == 0
    out = capsys.readouterr().out
    assert "updated TUT-02: body" in out and "added TUT-07" in out and "added TUT-08" in out
    injects = {i.id: i for i in load(new).scenario.injects}
    assert injects["TUT-02"].body == "Ambulances are diverted to Tallaght." and injects["TUT-02"].template == "media-report"
    assert injects["TUT-07"].to == ["CSIRT-IE", "CSIRT-BE"] and injects["TUT-07"].tlp == "TLP:AMBER"
    assert injects["TUT-07"].at == 720 and injects["TUT-08"].after.inject == "TUT-07" and injects["TUT-08"].after.delay == 120
    assert len(injects) == 8
