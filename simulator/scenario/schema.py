"""The JSON Schema of the scenario format, generated from the pydantic models."""

from __future__ import annotations

from simulator.scenario.model import RawScenario


def scenario_schema() -> dict:
    """Schema as written by authors: injects may be inline or library references."""
    schema = RawScenario.model_json_schema(by_alias=True, mode="validation")
    schema["title"] = "cyclesim scenario (format cyclesim/1)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
