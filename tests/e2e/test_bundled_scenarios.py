"""Every bundled scenario validates, plays under both policies and renders a report.

The scenario list is a glob over ``scenarios/*.yaml``, so a scenario added
later is covered without touching this file. Everything goes through the
command line (``simulator.cli.main``, in-process), as a planner would run it.
The replays (seed 1) run once per test process in the shared fixture
``bundled_replay`` (tests/conftest.py), which other files read too; each
assertion is still its own test, named after the scenario and the policy.
That ``--quiet`` prints the same sha256 as ``--json`` is test_replay_cli.py's.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from cli_support import Run, cyclesim

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
POLICIES = ("doctrine", "passive")


def cli(*args: str) -> Run:
    """Run ``cyclesim ARGS`` from the project root."""
    return cyclesim(*args, cwd=ROOT)


@cache
def declared(path: Path) -> dict:
    """A scenario file read as plain YAML, once (libyaml when there is one: pure-Python YAML costs ~0.2 s a file)."""
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def scenario_id(path: Path) -> str:
    """The id a scenario file declares (what 'cyclesim list' shows and 'replay' accepts)."""
    return declared(path)["id"]


def test_there_are_bundled_scenarios():
    assert (ROOT / "scenarios" / "tutorial.yaml") in SCENARIOS


@pytest.fixture(scope="module")
def validation() -> dict:
    """One 'validate --json' over every bundled file: {path: id} of the valid ones, and the problems."""
    proc = cli("validate", "--json", *[str(p.relative_to(ROOT)) for p in SCENARIOS])
    report = json.loads(proc.stdout)
    return {"rc": proc.returncode, "valid": {v["path"]: v["id"] for v in report["valid"]},
            "problems": report["problems"]}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_validates(path: Path, validation: dict):
    rel = str(path.relative_to(ROOT))
    mine = [p for p in validation["problems"] if p["path"] == rel]
    assert not mine, "\n".join(f"{p['path']}:{p['line']}:{p['col']}: {p['message']}" for p in mine)
    assert validation["valid"].get(rel) == path.stem, f"{rel} declares id {validation['valid'].get(rel)!r}; the id must equal the file name so 'cyclesim replay {path.stem}' finds it"


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_replays(path: Path, policy: str, bundled_replay):
    played = bundled_replay(scenario_id(path), policy)
    assert played.run.returncode == 0, played.run.stderr
    data = (played.out / "events.jsonl").read_bytes()
    assert played.summary["sha256"] == hashlib.sha256(data).hexdigest(), "the sha256 printed must be the event log's"
    records = played.records
    assert records[0]["kind"] == "exercise.started" and records[0]["scenario"] == scenario_id(path)
    assert records[-1]["kind"] == "exercise.ended"
    assert any(r["kind"] == "inject.delivered" for r in records), "no inject reached a player"
    submitted = [r for r in records if r["kind"] == "decision.submitted"]
    if policy == "passive":
        assert not submitted, "the passive policy must not decide anything"
    else:
        accepted = [r for r in records if r["kind"] == "decision.accepted" and not r.get("default")]
        assert accepted, "doctrine took no decision: the scenario gives it nothing to do"


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_report_renders(path: Path, policy: str, bundled_replay):
    played = bundled_replay(scenario_id(path), policy)
    assert played.run.returncode == 0, played.run.stderr
    html = played.out / "report.html"
    if not html.exists():
        pytest.skip("the report module does not write report.html (yet)")
    text = html.read_text(encoding="utf-8")
    assert text.strip(), f"{html} is empty"
    assert "<html" in text[:2000].lower()


def test_list_shows_every_bundled_scenario_on_one_line():
    proc = cli("list")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(SCENARIOS), proc.stdout
    for path in SCENARIOS:
        ident = scenario_id(path)
        title = declared(path)["title"]
        mine = [line for line in lines if line.split(maxsplit=1)[0] == ident]
        assert len(mine) == 1, f"{ident} should appear on exactly one line of 'cyclesim list'"
        assert title in mine[0], f"'cyclesim list' should show the title of {ident}"
