"""Scenario data back to YAML text that reads back as the same data.

PyYAML's dumper decides quoting by YAML 1.1 rules; cyclesim reads YAML 1.2
(:mod:`simulator.scenario.yaml_schema`). A text is written plain only when
both rule sets read it as text, so ``"yes"``, ``"1:30"``, ``"1e3"`` and
``"017"`` keep their quotes and nothing changes type on the way back. Texts
over several lines are written as ``|`` blocks, keys keep their order.
"""

from __future__ import annotations

import yaml
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from simulator.scenario.yaml_schema import Yaml12Resolver, as_literal_block

_STR = "tag:yaml.org,2002:str"
_R11 = Resolver()
_R12 = Yaml12Resolver()


class _BothResolver(Resolver):
    """Resolves a plain scalar as text only if YAML 1.1 and 1.2 both do."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            tag = _R12.resolve(kind, value, implicit)
            return tag if tag != _STR else _R11.resolve(kind, value, implicit)
        return super().resolve(kind, value, implicit)


class _Dumper(yaml.emitter.Emitter, yaml.serializer.Serializer, yaml.representer.SafeRepresenter, _BothResolver):
    def __init__(self, stream, **kw):
        yaml.emitter.Emitter.__init__(self, stream, canonical=False, indent=2, width=100, allow_unicode=True,
                                      line_break="\n")
        yaml.serializer.Serializer.__init__(self, explicit_start=False, explicit_end=False)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)
        _BothResolver.__init__(self)


def _str(dumper, value: str):
    style = "|" if as_literal_block(value) else '"' if "\x85" in value else None  # NEL: only "..." escapes it
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: object, header: str = "") -> str:
    """YAML text for ``data`` (plain dicts, lists, texts, numbers), with ``header`` as leading comment lines."""
    body = yaml.dump(data, Dumper=_Dumper)
    lead = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lead + body
