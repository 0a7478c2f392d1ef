"""``cyclesim schema``: the JSON Schema editors use must agree with the loader.

Every bundled scenario, loaded with :mod:`simulator.scenario.yamlio` (so values are
what the loader sees: ``"T+00:30"`` stays text, ``NO`` stays text), must
validate against the printed schema; clearly wrong documents must not. Both a
draft 2020-12 and a draft-07 validator are used, since the YAML language
server in editors implements draft-07.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import jsonschema
import pytest

from simulator.cli import main
from simulator.scenario.schema import scenario_schema
from simulator.scenario.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
VALIDATORS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema exactly as ``cyclesim schema -o FILE`` writes it."""
    out = tmp_path_factory.mktemp("schema") / "cyclesim.schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tutorial() -> dict:
    return load_yaml_file(ROOT / "scenarios" / "tutorial.yaml").data


def errors(schema: dict, document, validator=jsonschema.Draft202012Validator) -> list[str]:
    return sorted(e.message for e in validator(schema).iter_errors(document))


def test_schema_is_a_valid_json_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for validator in VALIDATORS:
        validator.check_schema(schema)


def test_stdout_and_file_output_are_the_same(schema, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema == json.loads(json.dumps(scenario_schema()))


def test_schema_describes_the_format(schema):
    props = schema["properties"]
    assert schema["additionalProperties"] is False
    assert {"format", "id", "title", "summary", "start", "duration", "teams"} <= set(schema["required"])
    assert props["format"]["const"] == "cyclesim/1"
    assert "injects" in props and "decision_points" in props and "libraries" in props
    assert props["summary"]["description"], "field descriptions reach the editor"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
def test_every_bundled_scenario_validates(schema, path, validator):
    assert errors(schema, load_yaml_file(path).data, validator) == []


def _set(doc: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


def _drop(doc: dict, key: str) -> dict:
    doc = copy.deepcopy(doc)
    del doc[key]
    return doc


WRONG = {
    "a list, not a scenario": lambda t: [t],
    "unknown top-level key": lambda t: {**t, "sevrity": "high"},
    "unknown inject key": lambda t: _set(t, ("injects", 3, "objectivs"), ["OBJ-1"]),
    "no teams": lambda t: _drop(t, "teams"),
    "teams is text": lambda t: _set(t, ("teams",), "ie"),
    "facilitator is not a boolean": lambda t: _set(t, ("teams", 2, "facilitator"), "maybe"),
    "a bare number as a time": lambda t: _set(t, ("injects", 3, "after", "delay"), 60),
    "a time without T+": lambda t: _set(t, ("duration",), "30:00"),
    "unknown TLP label": lambda t: _set(t, ("injects", 3, "tlp"), "TLP:PURPLE"),
    "wrong format version": lambda t: _set(t, ("format",), "cyclesim/2"),
    "id with a space": lambda t: _set(t, ("id",), "my tutorial"),
    "stance out of range": lambda t: _set(t, ("council", "stances", "HU", "stance"), -2),
    "unknown colour": lambda t: _set(t, ("injects", 3, "effects"), {"impact": {"IE/health": "orange"}}),
    "empty recipient list": lambda t: _set(t, ("injects", 3, "to"), []),
}


@pytest.mark.parametrize("name", sorted(WRONG))
@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
def test_clearly_wrong_documents_are_rejected(schema, tutorial, name, validator):
    assert errors(schema, tutorial, validator) == [], "the base document must be valid"
    assert errors(schema, WRONG[name](tutorial), validator) != []


# ------------------------------------------------------------------ the docs

FORMAT_DOC = ROOT / "docs" / "scenario-format.md"
EDITOR_DOC = ROOT / "docs" / "editor-setup.md"


def test_format_reference_covers_every_key_and_condition_word():
    """docs/scenario-format.md names every top-level key, effect, variable, function and ladder."""
    from simulator.scenario.conditions import FUNCTIONS, LADDERS, VARIABLES
    from simulator.scenario.model import Effects, Scenario

    text = FORMAT_DOC.read_text(encoding="utf-8")
    words = (
        [f.alias or n for n, f in Scenario.model_fields.items()]
        + [f.alias or n for n, f in Effects.model_fields.items()]
        + list(VARIABLES) + [f"{name}(" for name in FUNCTIONS] + list(LADDERS)
    )
    missing = [w for w in words if f"`{w}" not in text]
    assert missing == [], f"not described in {FORMAT_DOC.name}: {missing}"
    for ladder in LADDERS.values():
        assert " < ".join(ladder) in text


def test_format_reference_states_the_limits_the_loader_uses():
    from simulator.scenario.yamlio import MAX_BYTES, MAX_DEPTH, MAX_NODES

    text = FORMAT_DOC.read_text(encoding="utf-8")
    for value in (MAX_BYTES, MAX_DEPTH, MAX_NODES):
        assert f"{value:,}" in text or f"| {value} " in text, value


def test_editor_setup_shows_both_ways_to_wire_the_schema():
    text = EDITOR_DOC.read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=./cyclesim.schema.json" in text
    assert '"yaml.schemas"' in text and "cyclesim schema > cyclesim.schema.json" in text
