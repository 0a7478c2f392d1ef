"""``cyclesim replay`` end to end, in-process (``simulator.cli.main``): outputs, files, early stop, bad input."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from cli_support import cyclesim

ROOT = Path(__file__).resolve().parents[2]
POINTS = ROOT / "tests" / "data" / "engine" / "points.yaml"
SHA = re.compile(r"^[0-9a-f]{64}\n$")


@cache
def quiet_sha(*args: str) -> str:
    done = cyclesim("replay", *args, "--quiet")
    assert done.returncode == 0, done.stderr
    assert SHA.match(done.stdout), f"--quiet must print only the sha: {done.stdout!r}"
    assert done.stderr == ""
    return done.stdout.strip()


def test_quiet_prints_only_the_sha():
    assert quiet_sha("tutorial", "--seed", "1", "--policy", "doctrine")


def test_json_parses_and_carries_the_same_sha():
    done = cyclesim("replay", "tutorial", "--seed", "1", "--policy", "doctrine", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["sha256"] == quiet_sha("tutorial", "--seed", "1", "--policy", "doctrine")
    assert (summary["scenario"], summary["seed"], summary["end"]) == ("tutorial", 1, "T+30:00")
    assert summary["records"] > 20 and summary["peak_eccs"] == 4
    assert set(summary["clocks"]) == {"met", "missed", "pending"}


def test_out_writes_the_event_log_whose_sha_is_printed(tmp_path):
    done = cyclesim("replay", "tutorial", "--seed", "1", "--policy", "doctrine", "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "run" / "events.jsonl").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert sha == quiet_sha("tutorial", "--seed", "1", "--policy", "doctrine")
    assert f"sha256 {sha}" in done.stdout
    assert f"wrote events.jsonl, report.html, report.md in {tmp_path / 'run'}" in done.stdout
    lines = data.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["seq"] for r in records] == list(range(len(records)))
    assert records[0]["kind"] == "exercise.started" and records[-1]["kind"] == "exercise.ended"
    assert all(line == json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
               for line, r in zip(lines, records))  # canonical form
    assert [r["t"] for r in records] == sorted(r["t"] for r in records)


def test_until_stops_early(tmp_path):
    done = cyclesim("replay", "tutorial", "--seed", "1", "--policy", "doctrine", "--until", "T+06:00", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert max(r["t"] for r in records) < 360
    assert "exercise.ended" not in {r["kind"] for r in records}
    assert len(records) < 60
    early = quiet_sha("tutorial", "--seed", "1", "--policy", "doctrine", "--until", "T+06:00")
    assert early == hashlib.sha256((tmp_path / "events.jsonl").read_bytes()).hexdigest()
    assert early != quiet_sha("tutorial", "--seed", "1", "--policy", "doctrine")


def test_a_scenario_file_path_works_as_well_as_a_bundled_id():
    assert quiet_sha(str(POINTS), "--seed", "2") != quiet_sha(str(POINTS), "--seed", "3")


def test_bad_scenario_exits_2_with_path_line_col(tmp_path):
    text = POINTS.read_text(encoding="utf-8").replace("  - id: DP-BRANCH\n    team: nat\n", "  - id: DP-BRANCH\n    team: nobody\n")
    bad = tmp_path / "bad-points.yaml"
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    team: nobody") + 1
    done = cyclesim("replay", str(bad), "--quiet")
    assert done.returncode == 2
    assert done.stdout == ""
    assert re.search(rf"bad-points\.yaml:{line}:11: unknown team 'nobody'", done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def test_missing_scenario_exits_2():
    done = cyclesim("replay", "no-such-scenario", "--quiet")
    assert done.returncode == 2
    assert "no scenario file 'no-such-scenario'" in done.stderr and "Traceback" not in done.stderr


def test_bad_until_and_bad_policy_exit_2():
    until = cyclesim("replay", "tutorial", "--until", "tomorrow", "--quiet")
    assert until.returncode == 2 and "--until" in until.stderr and "Traceback" not in until.stderr
    policy = cyclesim("replay", "tutorial", "--policy", "reckless")
    assert policy.returncode == 2 and "invalid choice" in policy.stderr
