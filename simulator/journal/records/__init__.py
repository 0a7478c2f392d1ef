"""Every kind of journal record, declared once with its fields and their types.

A record is stored as ``Record(seq, t, kind, data)`` and exported as
canonical JSON, byte for byte as before; what this module adds is the
contract: each kind is a frozen dataclass in this package, and :func:`check` refuses,
at write time, a kind that is not declared here, a missing field, a field
that is not declared, or a value of the wrong type. Readers can enumerate
:data:`KINDS` to prove they handle every kind (see the tests).

Field names that are Python keywords (``from``) are declared with a trailing
underscore and the JSON key in ``Annotated[..., Key("from")]``.

Why dataclasses and a compiled checker rather than pydantic or msgspec: the
records stay plain dicts in memory (the export must not change and the
readers index them by key), so only validation is needed, and a per-kind
table of ``isinstance`` checks built once from these declarations costs about
a few microseconds a record (``python bench/records.py``), less than building a
model instance would.
"""

from __future__ import annotations

# the declarations register their kinds on import; the checker is built from them
from simulator.journal.records import decisions, exercise, incident, state  # noqa: F401
from simulator.journal.records.check import OPEN_FIELDS, SPECS, VALID, FieldSpec, RecordError, check, example, validator
from simulator.journal.records.declare import INPUT_KIND_NAMES, KINDS, From, Json, Key, kind

__all__ = ["INPUT_KIND_NAMES", "KINDS", "OPEN_FIELDS", "SPECS", "VALID", "FieldSpec", "From", "Json", "Key", "RecordError",
           "check", "example", "kind", "validator"]
