"""Hostile files: pipes, devices and symlinks out of a folder are refused with a message, never followed or waited on."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.errors import InputError, ScenarioError
from simulator.journal.journal import read_jsonl
from simulator.report.sandbox import check_folder
from simulator.scenario.loader import load

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def _in_time(fn, seconds: float = 5):
    """Run fn in a thread; fail (instead of hanging the suite) if it blocks."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as e:
            box["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn} blocked for more than {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _scenario_dir(tmp_path: Path) -> Path:
    d = tmp_path / "pack"
    (d / "injects").mkdir(parents=True)
    shutil.copy(TUTORIAL, d / "s.yaml")
    return d


def test_a_fifo_in_the_library_folder_is_refused_not_waited_on(tmp_path):
    d = _scenario_dir(tmp_path)
    os.mkfifo(d / "injects" / "pipe.yaml")
    with pytest.raises(ScenarioError) as e:
        _in_time(lambda: load(d / "s.yaml"))
    assert any("pipe.yaml" in p.path and "named pipe (FIFO)" in p.message for p in e.value.problems)


def test_a_fifo_given_as_the_scenario_says_what_it_is(tmp_path):
    os.mkfifo(tmp_path / "s.yaml")
    with pytest.raises(ScenarioError) as e:
        _in_time(lambda: load(tmp_path / "s.yaml"))
    assert "is a named pipe (FIFO), not a regular file" in e.value.problems[0].message


def test_a_device_as_the_scenario_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as e:
        _in_time(lambda: load("/dev/zero"))
    assert "character device" in e.value.problems[0].message


def test_an_injects_folder_symlinked_outside_is_refused(tmp_path):
    d = _scenario_dir(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(d / "injects")
    (d / "injects").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ScenarioError) as e:
        load(d / "s.yaml")
    assert any("symlink leading outside the scenario's folder" in p.message for p in e.value.problems)


def test_a_library_file_symlinked_outside_is_refused(tmp_path):
    d = _scenario_dir(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("templates: []\n", encoding="utf-8")
    (d / "injects" / "x.yaml").symlink_to(secret)
    with pytest.raises(ScenarioError) as e:
        load(d / "s.yaml")
    assert any("x.yaml" in p.path and "symlink leading outside its library folder" in p.message
               for p in e.value.problems)


def test_a_symlink_inside_the_library_folder_is_fine(tmp_path):
    d = _scenario_dir(tmp_path)
    (d / "injects" / "real.yaml").write_text("templates: []\n", encoding="utf-8")
    (d / "injects" / "alias.yaml").symlink_to(d / "injects" / "real.yaml")
    assert load(d / "s.yaml").scenario.id == "tutorial"


def test_a_report_template_folder_with_a_symlink_out_is_refused(tmp_path, capsys):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "report.md.j2").write_text('{% include "notes.j2" %}\n', encoding="utf-8")
    (folder / "notes.j2").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="symlink leading outside the template folder"):
        check_folder(folder)
    events = tmp_path / "events.jsonl"
    assert main(["replay", "tutorial", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    shutil.copy(tmp_path / "out" / "events.jsonl", events)
    capsys.readouterr()
    assert main(["report", str(events), "--format", "md", "--template-dir", str(folder)]) == 2
    captured = capsys.readouterr()
    assert "root:" not in captured.out and "symlink leading outside" in captured.err


def test_a_fifo_as_event_log_is_refused(tmp_path):
    os.mkfifo(tmp_path / "events.jsonl")
    with pytest.raises(InputError, match="named pipe"):
        _in_time(lambda: read_jsonl(tmp_path / "events.jsonl"))


@pytest.mark.parametrize(("content", "message"), [
    (b'{"seq":0,"t":0,"kind":"exercise.started"}\n\xff\xfe\n', "2:1: not UTF-8 (byte 0xff at column 1)"),
    (b'{"seq":0,"t":0,"kind":"x","d":' + b"[" * 5000 + b"]" * 5000 + b"}\n", "1:1: nested 5001 levels deep"),
    (b'{"seq":0,"t":1e308,"kind":"x"}\n', "1:1: not a journal record: 't' must be a whole number"),
    (b'{"seq":0,"t":99999999999,"kind":"x"}\n', "1:1: time 99999999999 is out of range"),
    (b'{"seq":0,"t":-5,"kind":"x"}\n', "1:1: time -5 is out of range"),
    (b'{"seq":0,"t":0,"kind":7}\n', "1:1: not a journal record: 'kind' must be a text"),
    (b'[1, 2]\n', "1:1: not a journal record: a JSON list"),
    (b'{"seq":0,"t":0,"kind":"a"}\n{"seq":2,"t":0,"kind":"b"}\n', "2:1: record number 2 where 1 was expected"),
])
def test_bad_event_logs_are_located(tmp_path, content, message):
    f = tmp_path / "events.jsonl"
    f.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_jsonl(f)
    assert str(e.value) == f"{f}:{message}" or str(e.value).startswith(f"{f}:{message}")


def test_an_event_log_with_an_old_nan_reads_with_null_and_a_warning(tmp_path):
    f = tmp_path / "events.jsonl"
    f.write_text(json.dumps({"seq": 0, "t": 0, "kind": "x", "v": float("nan")}) + "\n", encoding="utf-8")
    warnings: list[str] = []
    journal = read_jsonl(f, warnings)
    assert journal[0]["v"] is None
    assert "non-finite number (v=nan); read as null" in warnings[0]
