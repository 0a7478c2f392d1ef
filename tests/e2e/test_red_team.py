"""A red-team run of the released commands over bad inputs.

Every case drives ``simulator.cli.main`` in-process (two true subprocess
cases at the end) under a time limit, and must exit 0 with a correct result
or 2 with a located message (the file it is about, and ``line:col`` where the
file has lines), never hang and never print a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.exercise import Exercise
from simulator.journal.store import DB_NAME, HEAD_NAME
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from simulator.session.session import Session

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
DRILL = ROOT / "tests" / "data" / "sessions" / "drill.yaml"
LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): \S", re.M)
LIMIT_S = 30


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) in a thread, with a time limit: (exit code, stdout, stderr)."""
    capsys.readouterr()
    box: dict = {}

    def target():
        try:
            box["code"] = main(list(argv))
        except SystemExit as e:  # argparse usage errors
            box["code"] = e.code
        except BaseException as e:
            box["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(LIMIT_S)
    assert not thread.is_alive(), f"cyclesim {' '.join(argv)} did not finish within {LIMIT_S} s"
    out, err = capsys.readouterr()
    assert "error" not in box, f"cyclesim {' '.join(argv)} raised {box.get('error')!r}"
    assert "Traceback" not in out + err
    return box["code"], out, err


def refused_at(capsys, name: str, *argv: str) -> str:
    """The command must exit 2 with at least one located problem in the named file."""
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    where = [m for m in LOCATED.finditer(err) if Path(m["path"]).name == name]
    assert where, f"no located message about {name}: {err[:500]}"
    return err


def refused_naming(capsys, what: str, *argv: str) -> str:
    """Exit 2 with a message naming ``what`` (a file or folder without lines, such as a session)."""
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert what in err, err
    return err


# ---------------------------------------------------------------- scenarios


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.yaml")))
def test_bad_scenarios_are_refused_by_validate_and_replay(capsys, name):
    path = str(BAD / name)
    refused_at(capsys, name, "validate", path)
    refused_at(capsys, name, "replay", path, "--quiet")


def _variant(tmp_path: Path, name: str, *pairs: tuple[str, str]) -> Path:
    text = TUTORIAL.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


HOLD = '      - {id: hold, label: "Hold until the investigation is clearer"}'


@pytest.mark.parametrize(("name", "pairs"), [
    ("refused-default.yaml", [(HOLD, '      - {id: hold, label: "Hold and assess", decision: D14}')]),
    ("calendar-edge.yaml", [('start: "2026-03-02T08:00:00+01:00"', 'start: "9000-01-01T00:00:00+00:00"'),
                            ('duration: "T+30:00"', 'duration: "T+87840h"'), ('at: "T+10:00"', 'at: "T+87839h"')]),
    ("early-calendar.yaml", [('start: "2026-03-02T08:00:00+01:00"', 'start: "1900-01-01T00:00:00+14:00"')]),
    ("controls.yaml", [('title: "Tutorial — LOCKED WARD"', 'title: "Tutorial \\e]0;pwned\\a\\e[2J WARD"'),
                       (HOLD, '      - {id: hold, label: "Hold \\e[31m\\u202e now"}')]),
    ("max-delay.yaml", [("  actors:\n", "  channels:\n    - {id: slow, from: CSIRTS-NET, to: [CSIRT-IE], "
                                        "delay: {min: 0, mode: 1, max: 87840}}\n  actors:\n")]),
])
def test_scenarios_that_validate_play_and_report(tmp_path, capsys, name, pairs):
    f = _variant(tmp_path, name, *pairs)
    assert run(capsys, "validate", str(f))[0] == 0
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "replay", str(f), "--policy", "doctrine", "--out", str(out_dir))
    assert code == 0 and "sha256" in out
    assert "\x1b" not in out and "\u202e" not in out
    for fmt in ("html", "md"):
        code, _, err = run(capsys, "report", str(out_dir / "events.jsonl"), "--format", fmt,
                           "-o", str(tmp_path / f"r.{fmt}"))
        assert code == 0, err
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\x1b" not in md


def test_ten_thousand_errors_print_fifty_and_a_count(tmp_path, capsys):
    extra = "".join(f'  - {{id: X-{i}, title: "t", from: EXCON, to: [NOBODY]}}\n' for i in range(10_000))
    f = _variant(tmp_path, "many.yaml", ("\ninjects:\n", "\ninjects:\n" + extra))
    err = refused_at(capsys, "many.yaml", "validate", str(f))
    assert len(LOCATED.findall(err)) == 50
    assert "10000 in all" in err


# ---------------------------------------------------------------- hostile files


def test_a_fifo_as_scenario_or_library_file_is_named_not_waited_on(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "named pipe (FIFO)" in refused_at(capsys, "pipe.yaml", "validate", str(tmp_path / "pipe.yaml"))
    pack = tmp_path / "pack"
    (pack / "injects").mkdir(parents=True)
    shutil.copy(TUTORIAL, pack / "s.yaml")
    os.mkfifo(pack / "injects" / "lib.yaml")
    refused_at(capsys, "lib.yaml", "validate", str(pack / "s.yaml"))
    refused_at(capsys, "lib.yaml", "replay", str(pack / "s.yaml"))


def test_a_device_as_scenario_is_refused(capsys):
    assert "character device" in refused_at(capsys, "zero", "validate", "/dev/zero")


def test_symlinks_out_of_the_scenario_folder_are_refused(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(TUTORIAL, pack / "s.yaml")
    (tmp_path / "elsewhere").mkdir()
    (pack / "injects").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert "symlink" in refused_at(capsys, "s.yaml", "validate", str(pack / "s.yaml"))
    (pack / "injects").unlink()
    (pack / "injects").mkdir()
    (pack / "injects" / "x.yaml").symlink_to("/etc/hostname")
    assert "symlink" in refused_at(capsys, "x.yaml", "validate", str(pack / "s.yaml"))


def test_a_template_folder_with_a_symlink_out_is_refused(tmp_path, capsys):
    assert run(capsys, "replay", "tutorial", "--out", str(tmp_path / "out"), "--quiet")[0] == 0
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "report.md.j2").write_text('{% include "x.j2" %}', encoding="utf-8")
    (tpl / "x.j2").symlink_to("/etc/passwd")
    err = refused_naming(capsys, "x.j2", "report", str(tmp_path / "out" / "events.jsonl"), "--format", "md",
                         "--template-dir", str(tpl))
    assert "symlink leading outside" in err


# ---------------------------------------------------------------- decisions scripts and event logs


@pytest.mark.parametrize("body", [
    "decisions:\n  - {at: 'T+01:00', team: ie, decision: D04, rationale: r, params: {tlp: [1, 2]}}\n",
    "decisions:\n  - {at: 'T+01:00', team: ie, decision: D04, rationale: r, params: {colour: red}}\n",
    "decisions:\n  - {at: 'T+01:00', team: ie, decision: D04, rationale: r, params: {tlp: .nan}}\n",
    "inputs:\n  - {kind: facilitator.fired, t: 120, step: 14, payload: {inject: NOPE}}\n",
    "inputs:\n  - {kind: facilitator.fired, t: 120, step: -1, payload: {inject: TUT-06}}\n",
    "inputs:\n  - {kind: observation.noted, t: 1e999, step: 1, payload: {text: x}}\n",
    "inputs:\n  - {kind: facilitator.injected, t: 5, step: 1, payload: {inject: [1]}}\n",
    "inputs:\n  - {kind: facilitator.channel, t: 5, step: 1, payload: {channel: ca-IE-eu, status: gone}}\n",
    "inputs:\n  - {kind: decision.submitted, t: 5, step: 1, payload: {team: ie, decision: D04, params: 3}}\n",
])
def test_bad_decisions_scripts_are_located(tmp_path, capsys, body):
    f = tmp_path / "d.yaml"
    f.write_text("format: cyclesim-decisions/1\n" + body, encoding="utf-8")
    refused_at(capsys, "d.yaml", "replay", "tutorial", "--decisions", str(f))


@pytest.mark.parametrize("content", [
    b'{"seq":0,"t":0,"kind":"exercise.started"}\n\xc3\x28\n',
    b'{"seq":0,"t":0,"kind":"x","d":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
    b'{"seq":0,"t":1e999,"kind":"x"}\n',
    b'{"seq":0,"t":99999999999999,"kind":"x"}\n',
    b"\x00\x01\x02binary",
    b'{"seq":"0","t":0,"kind":"x"}\n',
])
def test_bad_event_logs_are_located(tmp_path, capsys, content):
    f = tmp_path / "events.jsonl"
    f.write_bytes(content)
    refused_at(capsys, "events.jsonl", "report", str(f), "-o", str(tmp_path / "r.html"))


# ---------------------------------------------------------------- sessions


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """A closed session of the drill, played to T+05:00 with a note: built once, each test damages its own copy."""
    folder = tmp_path_factory.mktemp("red-team") / "s"
    loaded = load(DRILL)
    session = Session.create(loaded, 5, folder)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=5, journal=session.journal)
    ex.run(until=60)
    ex.note(text="Clock started.", kind="note")
    ex.run(until=300)
    session.close()
    return folder


def test_a_session_that_lost_its_wal(played, tmp_path, capsys):
    folder = tmp_path / "s"
    shutil.copytree(played, folder)
    session, result = Session.resume(folder)
    result.exercise.run(until=900)
    lost = tmp_path / "lost"
    lost.mkdir()
    for name in (DB_NAME, HEAD_NAME):
        shutil.copy(folder / name, lost / name)
    session.close()
    assert "the journal ends early" in refused_naming(capsys, str(lost), "resume", str(lost), "--check")
    code, out, err = run(capsys, "export", str(lost), "--events", str(tmp_path / "e.jsonl"))
    assert code == 0 and "ends early" in err
    code, _, err = run(capsys, "report", str(lost), "-o", str(tmp_path / "r.html"))
    assert code == 0 and "ends early" in err


def test_a_session_with_an_old_infinity(played, tmp_path, capsys):
    folder = tmp_path / "s"
    shutil.copytree(played, folder)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("UPDATE records SET data = replace(data, '\"rating\":null', '\"rating\":-Infinity') "
                 "WHERE kind = 'observation.noted'")
    conn.commit()
    conn.close()
    (folder / HEAD_NAME).unlink()
    for argv in (["resume", str(folder), "--check"], ["export", str(folder), "--events", str(tmp_path / "e.jsonl")],
                 ["report", str(folder), "-o", str(tmp_path / "r.md")], ["sessions", "--help"]):
        code, _, err = run(capsys, *argv)
        assert code == 0, err


def test_a_damaged_session_file_is_refused_with_its_name(played, tmp_path, capsys):
    folder = tmp_path / "s"
    shutil.copytree(played, folder)
    (folder / DB_NAME).write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    (folder / (DB_NAME + "-wal")).unlink(missing_ok=True)
    for argv in (["resume", str(folder), "--check"], ["export", str(folder), "--events", str(tmp_path / "e")],
                 ["report", str(folder)]):
        refused_naming(capsys, DB_NAME, *argv)


# ---------------------------------------------------------------- true subprocesses


def _cyclesim(*args: str, timeout: float = 60, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "simulator", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def test_a_closed_pipe_exits_quietly():
    # 'cyclesim replay tutorial | true': the reader is gone before anything is written
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run_ = _cyclesim("replay", "tutorial", stdout=write_end)
    finally:
        os.close(write_end)
    assert run_.returncode == 0, run_.stderr
    assert run_.stderr == ""


def test_validate_of_a_fifo_does_not_hang_as_a_process(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    run_ = _cyclesim("validate", str(tmp_path / "pipe.yaml"), timeout=30)
    assert run_.returncode == 2
    assert "named pipe (FIFO)" in run_.stderr and "Traceback" not in run_.stderr
