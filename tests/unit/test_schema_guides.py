"""The editor schema guides: library uses and inline injects are each checked as the loader checks them.

A JSON Schema validator (as the YAML language server in an editor, draft-07
and 2020-12) runs on the schema ``cyclesim schema`` writes: mistakes inside a
``use:`` inject and inside an inline inject are caught at their field with
one message each, every bundled scenario passes, every property is described,
loader-internal fields and null defaults are left out, and the schema and the
loader accept the same values (the loader is run on the same samples).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from simulator.cli import main
from simulator.errors import ScenarioError
from simulator.scenario.loader import load
from simulator.scenario.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
VALIDATORS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]
USE = 0      # injects[0]: TUT-01, 'use: ransomware-detected'
INLINE = 3   # injects[3]: TUT-04, written inline


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("schema") / "cyclesim.schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tutorial() -> dict:
    return load_yaml_file(TUTORIAL).data


def errors(schema, document, validator=jsonschema.Draft202012Validator) -> list[tuple[list, str]]:
    return sorted(((list(e.absolute_path), e.message) for e in validator(schema).iter_errors(document)), key=str)


def with_value(doc: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


def loader_accepts(document: dict, tmp_path: Path) -> bool:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    try:
        load(path)
    except ScenarioError:
        return False
    return True


MISTAKES = {
    "unknown TLP": ("tlp", "TLP:PURPLE"),
    "recipients as one text": ("to", "CSIRT-IE"),
    "a clock time, not T+": ("at", "10:00"),
    "a bare number as a time": ("at", 600),
    "facilitator-only flag as text": ("held", "maybe"),
    "expected action without decision": ("expects", [{"team": "ie"}]),
}


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("where", [USE, INLINE], ids=["use", "inline"])
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_inside_an_inject_is_caught_at_its_field(schema, tutorial, tmp_path, name, where, validator):
    key, value = MISTAKES[name]
    doc = with_value(tutorial, ("injects", where, key), value)
    if key == "at" and where == INLINE:
        del doc["injects"][where]["after"]
    found = errors(schema, doc, validator)
    assert found, f"{name} passes the schema"
    assert all(path[:3] == ["injects", where, key] for path, _ in found), found
    assert not loader_accepts(doc, tmp_path), "the loader must refuse it too"


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("where", [USE, INLINE], ids=["use", "inline"])
def test_a_misspelt_key_gives_one_message_naming_it(schema, tutorial, where, validator):
    doc = with_value(tutorial, ("injects", where, "objectivs"), ["OBJ-1"])
    found = errors(schema, doc, validator)
    assert len(found) == 1, found
    path, message = found[0]
    assert path == ["injects", where] and "'objectivs' was unexpected" in message


def test_a_use_inject_needs_no_title_but_an_inline_one_does(schema, tutorial):
    use = tutorial["injects"][USE]
    assert "title" not in use and errors(schema, tutorial) == []
    inline = with_value(tutorial, ("injects", INLINE), {k: v for k, v in tutorial["injects"][INLINE].items() if k != "title"})
    assert errors(schema, inline) == [(["injects", INLINE], "'title' is a required property")]


def test_two_triggers_are_refused_like_the_loader_does(schema, tutorial, tmp_path):
    doc = with_value(tutorial, ("injects", INLINE, "at"), "T+05:00")  # it has 'after' too
    assert errors(schema, doc) and not loader_accepts(doc, tmp_path)
    point = with_value(tutorial, ("decision_points", 0, "deadline"), "T+09:00")  # it has 'within' too
    assert errors(schema, point) and not loader_accepts(point, tmp_path)


def test_the_loader_internal_template_key_is_not_offered_nor_accepted(schema, tutorial, tmp_path):
    assert "template" not in schema["$defs"]["Inject"]["properties"]
    doc = with_value(tutorial, ("injects", INLINE, "template"), "media-report")
    assert errors(schema, doc) and not loader_accepts(doc, tmp_path)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
def test_no_false_error_on_a_bundled_scenario(schema, path, validator):
    assert errors(schema, load_yaml_file(path).data, validator) == []


def _walk(node, where=""):
    if isinstance(node, dict):
        yield where, node
        for k, v in node.items():
            yield from _walk(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{where}/{i}")


def test_every_property_has_a_description(schema):
    props = [(f"{where}/{name}", spec) for where, node in _walk(schema) if isinstance(node.get("properties"), dict)
             and not where.endswith("/properties") for name, spec in node["properties"].items()]
    props = [(w, s) for w, s in props if "/not/" not in w and "/oneOf/" not in w]
    assert len(props) > 180
    missing = [w for w, spec in props if not (isinstance(spec, dict) and spec.get("description", "").strip())]
    assert missing == []


def test_no_null_default_to_insert(schema):
    nulls = [w for w, node in _walk(schema) if "default" in node and node["default"] is None]
    assert nulls == []
    assert schema["$defs"]["Inject"]["properties"]["tlp"]["default"] == "TLP:AMBER"


SAMPLES = {
    # field path in the tutorial: values to try (the loader and the schema must agree on each)
    ("teams", 2, "facilitator"): [True, False, "yes", "No", "ON", "off", "y", "T", "1", "0", 1, 0, 1.0,
                                  "maybe", "yes ", 2, "", None, "truee"],
    ("injects", INLINE, "tlp"): ["TLP:AMBER", "amber", "tlp:amber", " Amber+strict ", "clear", "TLP:RED",
                                 "TLP:PURPLE", "WHITE", "TLP:WHITE", "", 3, "TLP: AMBER", "AMBER STRICT"],
    ("injects", USE, "tlp"): ["TLP:RED", "red", "TLP:PURPLE", None],
    ("injects", 5, "at"): ["T+10:00", "t+10:00", "T+ 10 : 00", "T+1d", "T+90m", "T+2h30m", "T+0", "T", "T0",
                           "10:00", "T+10:60", "T+", "T+10", 600, "T+1h 30m", " T+10:00\n", "T-1:00", "T+2m1h"],
    ("injects", INLINE, "after", "delay"): ["1h", "1 h", "01:00", "0", "45m", "1h30m", "1d", "1:60", "90", 60,
                                            "h", "", "00:00", "0 d 2 h 0 m"],
    ("network", "actors", 0, "capacity"): [4, "4", " 4 ", "4.0", 4.0, "+4", 4.5, "four", "1_000", True, "", "0x10"],
    ("council", "stances", "HU", "stance"): [0.5, "0.5", "-0.2", ".5", 1, "1e-1", "abc", "", True, "0.5.1"],
}


@pytest.mark.parametrize("field", sorted(SAMPLES, key=str), ids=lambda f: ".".join(map(str, f)))
def test_schema_and_loader_accept_the_same_values(schema, tutorial, tmp_path, field):
    disagree = []
    for value in SAMPLES[field]:
        doc = with_value(tutorial, field, value)
        by_schema = not errors(schema, doc)
        by_loader = loader_accepts(doc, tmp_path)
        if by_schema != by_loader:
            disagree.append((value, f"schema {'accepts' if by_schema else 'refuses'}, loader {'accepts' if by_loader else 'refuses'}"))
    assert disagree == []
