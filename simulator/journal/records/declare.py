"""How a record kind is declared: the ``@kind`` decorator, the registry, and shared field types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any


@dataclass(frozen=True)
class Key:
    """The JSON key of a field whose name is a Python keyword."""

    name: str


From = Annotated[str, Key("from")]
Json = dict[str, Any]
"""A JSON object whose shape belongs to another module (state changes, reads, parameters)."""

KINDS: dict[str, type] = {}
"""Record kind -> its declaration."""

INPUT_KIND_NAMES: set[str] = set()


def kind(name: str, *, is_input: bool = False) -> Callable[[type], type]:
    """Declare ``cls`` as the fields of record kind ``name`` (an input if it comes from outside the engine)."""

    def register(cls: type) -> type:
        if name in KINDS:
            raise TypeError(f"record kind {name!r} declared twice")
        # a declaration only: no instance is ever made, so no __init__, __repr__ or __eq__ is generated
        # (generating them for 57 kinds was most of the cost of importing the journal)
        KINDS[name] = dataclass(init=False, repr=False, eq=False)(cls)
        if is_input:
            INPUT_KIND_NAMES.add(name)
        return cls

    return register
