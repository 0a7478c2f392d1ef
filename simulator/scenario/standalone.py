"""A scenario as played, written out as one standalone scenario file.

A session keeps a copy of the scenario it plays. Copying the author's file is
not enough: it may ``use:`` templates from inject libraries that change later.
The copy is therefore the *validated* scenario, with every library reference
already expanded, written back in the scenario format. Loading it (with no
library) gives the same :class:`~simulator.scenario.model.Scenario` and so the same
content hash, which :func:`standalone_text` checks before returning.

Why a walk over the model: ``model_dump`` gives times as whole minutes, but
the format refuses bare numbers for times on purpose (YAML 1.1 reads ``1:30``
as 90), so each ``Time`` and ``Duration`` field is written back as ``T+90m`` or
``90m``. Every other string is double-quoted (multi-line text as a literal
block where YAML allows it), so no value changes type on the way back.
"""

from __future__ import annotations

import json
import re
import tempfile
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from simulator.scenario.loader import LoadedScenario, load
from simulator.scenario.model import Scenario
from simulator.scenario.yaml_schema import as_literal_block
from simulator.timefmt import parse_duration, parse_time


def standalone_text(loaded: LoadedScenario) -> str | None:
    """The scenario as one file that loads to the same content hash, or None if none does."""
    short = _to_source(loaded.scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True), Scenario)
    full = _to_source(loaded.scenario.model_dump(mode="json", by_alias=True), Scenario)
    for text in (_yaml_text(short), _yaml_text(full), json.dumps(full, ensure_ascii=False, indent=1) + "\n"):
        try:
            if load_text(text).content_hash == loaded.content_hash:
                return text
        except Exception:
            continue
    return None


def source_data(scenario: Scenario) -> dict:
    """The scenario as the data of a scenario file (times written back as text), ready to change and reload."""
    return _to_source(scenario.model_dump(mode="json", by_alias=True), Scenario)


def load_text(text: str, name: str = "scenario.yaml") -> LoadedScenario:
    """Load a standalone scenario from text (no inject library: references are expanded)."""
    with tempfile.TemporaryDirectory(prefix="cyclesim-copy-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        return load(path, library_dirs=[], standalone=True)


# ---------------------------------------------------------------- model walk

def _to_source(value: Any, annotation: Any) -> Any:
    """``value`` (from model_dump) with Time/Duration minutes turned back into text."""
    kind = _time_kind(annotation)
    if kind is not None and isinstance(value, int) and not isinstance(value, bool):
        return f"T+{value}m" if kind == "time" else f"{value}m"
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _to_source(value, typing.get_args(annotation)[0])
    if _is_union(origin):
        return _to_source(value, _pick(value, typing.get_args(annotation)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        fields = {(f.alias or n): _field_type(f) for n, f in annotation.model_fields.items()}
        return {k: (_to_source(v, fields[k]) if k in fields else v) for k, v in value.items()}
    if origin in (list, tuple) and isinstance(value, list):
        args = typing.get_args(annotation)
        return [_to_source(v, args[0] if args else Any) for v in value]
    if origin is dict and isinstance(value, dict):
        args = typing.get_args(annotation)
        return {k: _to_source(v, args[1] if len(args) == 2 else Any) for k, v in value.items()}
    return value


def _field_type(field) -> Any:
    """A field's type with the validators pydantic moved out of ``Annotated`` put back."""
    if field.metadata:
        return typing.Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def _time_kind(annotation: Any) -> str | None:
    if typing.get_origin(annotation) is not typing.Annotated:
        return None
    for meta in typing.get_args(annotation)[1:]:
        func = getattr(meta, "func", None)
        if func is parse_time:
            return "time"
        if func is parse_duration:
            return "duration"
    return None


def _is_union(origin: Any) -> bool:
    import types

    return origin is typing.Union or origin is types.UnionType


def _pick(value: Any, options: tuple) -> Any:
    """The member of a union that ``value`` was dumped from."""
    options = tuple(o for o in options if o is not type(None))
    if isinstance(value, dict):
        models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
        for model in models:
            names = {(f.alias or n) for n, f in model.model_fields.items()}
            if set(value) <= names:
                return model
        return models[-1] if models else Any
    for o in options:
        if _time_kind(o) is not None and isinstance(value, int):
            return o
    return options[0] if options else Any


# ---------------------------------------------------------------- YAML out

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


class _Dumper(yaml.SafeDumper):
    """Quotes every string value, so the YAML 1.2 loader reads each back as a string."""

    def choose_scalar_style(self):
        value = self.event.value
        if self.simple_key_context and _PLAIN_KEY.match(value) and value.lower() not in _WORDS:
            return ""  # identifiers as keys read the same in YAML 1.1 and 1.2
        return super().choose_scalar_style()


def _str(dumper: yaml.SafeDumper, data: str):
    style = "|" if as_literal_block(data) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data, header: str = "") -> str:
    """YAML that the project's YAML 1.2 loader reads back to exactly ``data`` (strings stay strings)."""
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16)


def _yaml_text(data: dict) -> str:
    return dump_yaml(data, "# The scenario as played in this session: library references expanded, times in minutes.\n")
