"""The JSON Schema of the scenario format, generated from the pydantic models, shaped to guide an editor.

pydantic gives the shapes and the field descriptions. On top of that:

* an item of ``injects`` is a library use when it has ``use`` and an inline
  inject otherwise (``if``/``then``/``else``), as the loader decides, so an
  editor checks each against the right definition and names the right field
  instead of guessing between the two;
* loader-internal fields (``template``, set on expansion) are left out;
* ``default: null`` is left out (an editor would insert ``null``);
* values are accepted as the loader accepts them: true/false fields take
  pydantic's words (``yes``, ``off``...), numbers may be written as text,
  TLP labels in any case, times and durations exactly as the time parser reads
  them (:mod:`simulator.scenario.patterns`);
* "one of at/after/when" and "within or deadline" are stated, not only
  checked by the loader.

The schema is draft 2020-12 and uses only keywords draft-07 has as well (the
YAML language server in editors implements draft-07).
"""

from __future__ import annotations

from typing import Any

from simulator.scenario.model import RawScenario
from simulator.scenario.patterns import BOOL_PATTERN, INT_TEXT_PATTERN, NUMBER_TEXT_PATTERN

INTERNAL_FIELDS = {"Inject": ("template",)}
"""Fields the loader fills in, which authors never write."""
_ANNOTATIONS = ("default", "description", "title", "examples")


def scenario_schema() -> dict:
    """Schema as written by authors: injects may be inline or library references."""
    schema = RawScenario.model_json_schema(by_alias=True, mode="validation")
    defs = schema["$defs"]
    for model, fields in INTERNAL_FIELDS.items():
        for name in fields:
            defs[model]["properties"].pop(name, None)
            if name in defs[model].get("required", []):
                defs[model]["required"].remove(name)
    _no_null_where_the_inject_has_none(defs["InjectRef"], defs["Inject"])
    schema["properties"]["injects"]["items"] = {
        "if": {"type": "object", "required": ["use"]},
        "then": {"$ref": "#/$defs/InjectRef"},
        "else": {"$ref": "#/$defs/Inject"},
    }
    for name in ("Inject", "InjectRef"):
        defs[name]["not"] = _two_of(("at", "after", "when"))
    defs["DecisionPoint"]["not"] = _two_of(("at", "after", "when"))
    defs["DecisionPoint"]["oneOf"] = [_given("within"), _given("deadline")]
    schema = _loader_values(schema)
    schema["title"] = "cyclesim scenario (format cyclesim/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _no_null_where_the_inject_has_none(ref: dict, inject: dict) -> None:
    """An override may be null only where the expanded inject may be (timing, channel): the loader checks the expansion."""
    for name, spec in ref["properties"].items():
        target = inject["properties"].get(name)
        if target is None or _allows_null(target) or "anyOf" not in spec:
            continue
        kept = [b for b in spec["anyOf"] if b != {"type": "null"}]
        rest = {k: v for k, v in spec.items() if k != "anyOf"}
        ref["properties"][name] = {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}


def _allows_null(spec: dict) -> bool:
    return spec.get("type") == "null" or any(b.get("type") == "null" for b in spec.get("anyOf", []))


def _given(key: str) -> dict:
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _two_of(keys: tuple[str, ...]) -> dict:
    """Refuses an object where two of ``keys`` are given (and not null)."""
    pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
    return {"anyOf": [{"required": [a, b], "properties": {a: {"not": {"type": "null"}}, b: {"not": {"type": "null"}}}}
                      for a, b in pairs]}


def _loader_values(node: Any) -> Any:
    """Walk the schema: drop null defaults, widen boolean/integer/number to what pydantic accepts."""
    if isinstance(node, list):
        return [_loader_values(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _loader_values(v) for k, v in node.items()}
    if "default" in node and node["default"] is None:
        del node["default"]
    kind = node.get("type")
    if kind in ("boolean", "integer", "number") and "anyOf" not in node:
        outer = {k: node.pop(k) for k in _ANNOTATIONS if k in node}
        if kind == "boolean":
            text = {"type": "string", "pattern": BOOL_PATTERN}
            branches = [node, text, {"enum": [0, 1]}]
        else:
            text = {"type": "string", "pattern": INT_TEXT_PATTERN if kind == "integer" else NUMBER_TEXT_PATTERN}
            branches = [node, text]
        return {**outer, "anyOf": branches}
    return node
