"""What loading gives: :class:`LoadedScenario`, a validated scenario with its file and content hash.

The content hash names a scenario's meaning, not its text: sessions, replays
and sweeps record it, to tell whether a journal was played on the same
scenario. It is computed from the validated model, so a reformatted file or
the expanded standalone copy a session keeps hashes the same as the author's
file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel

from simulator.scenario.model import Scenario


class LoadedScenario:
    """A validated scenario with where it came from and its content hash."""

    def __init__(self, scenario: Scenario, path: Path, content_hash: str):
        self.scenario = scenario
        self.path = path
        self.content_hash = content_hash


def content_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (sorted keys, compact), computed a list item at a time.

    The bytes hashed are exactly ``json.dumps(scenario.model_dump(mode="json",
    by_alias=True), sort_keys=True, separators=(",", ":"))``, but the dump of a
    list of models (injects, decision points ...) is serialised item by item, so
    the whole scenario never exists twice more in memory (for ten thousand
    injects, the dump and its text were 30 MB). The incident fields are left
    out when unused (no ``incident_model``, a decision without
    ``consequences``), so a scenario written before the incident model keeps
    its hash, and its journals their bytes.
    """
    h = hashlib.sha256()
    dumps = _canonical_json
    fields = sorted(((f.alias or name), name) for name, f in type(scenario).model_fields.items()
                    if not (name == "incident_model" and scenario.incident_model is None))
    h.update(b"{")
    for i, (key, name) in enumerate(fields):
        h.update((b"," if i else b"") + dumps(key) + b":")
        value = getattr(scenario, name)
        if isinstance(value, list) and value and all(isinstance(item, BaseModel) for item in value):
            h.update(b"[")
            for j, item in enumerate(value):
                h.update((b"," if j else b"") + dumps(_item(item)))
            h.update(b"]")
        else:
            h.update(dumps(scenario.model_dump(mode="json", by_alias=True, include={name})[key]))
    h.update(b"}")
    return h.hexdigest()


def _item(item: BaseModel) -> dict:
    data = item.model_dump(mode="json", by_alias=True)
    if "consequences" in data and not data["consequences"]:
        del data["consequences"]  # a decision without consequences hashes as before they existed
    return data


def _canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()

