"""The append-only journal: every Record of an exercise, in order.

The journal is the truth: views, reports and metrics are computed from it.
Its JSONL export is canonical (sorted keys, compact separators, UTF-8, one
record per line with ``seq``, ``t`` and ``kind``), so the same run always
exports the same bytes and :func:`export_hash` identifies a run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.files import open_regular
from simulator.journal.finite import first_non_finite, scrub
from simulator.journal.records import INPUT_KIND_NAMES, OPEN_FIELDS, VALID, check, validator

INPUT_KINDS = frozenset(INPUT_KIND_NAMES)
"""Records that come from outside the engine (people, scripts, policies): replaying them reproduces a run."""


class NonFiniteError(InputError):
    """A record would hold NaN or infinity (exit 2: the number came from an input)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One thing that happened at simulation time ``t`` (minutes since T+0)."""

    seq: int
    t: int
    kind: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {**self.data, "seq": self.seq, "t": self.t, "kind": self.kind}

    def line(self) -> str:
        return canonical(self.as_dict())

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def canonical(obj: Any) -> str:
    """The one JSON form of journal data: sorted keys, compact, UTF-8, and never NaN or infinity."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _not_json(o: Any) -> Any:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _line_encoder() -> Callable[[Any], str]:
    """:func:`canonical` without json.dumps' per-call set-up: the C encoder with the same options.

    Exporting is a third of a short replay's time (a sweep hashes every run),
    and most of json.dumps' cost there is building an encoder per record. The
    bytes are the same as canonical's (checked by the golden hashes); where the
    C encoder is missing, canonical itself is used.
    """
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    basestring = getattr(encoder, "c_encode_basestring", None)
    if make is None or basestring is None:
        return canonical
    enc = make(None, _not_json, basestring, None, ":", ",", True, False, True)
    return lambda obj: "".join(enc(obj, 0))


_encode_line = _line_encoder()


_new_record = object.__new__
_set_seq, _set_t, _set_kind, _set_data = (getattr(Record, name).__set__ for name in ("seq", "t", "kind", "data"))
"""What Record's generated ``__init__`` does (a frozen dataclass sets its slots through object.__setattr__), at half
the cost: the journal makes one per record, a hundred thousand in a large replay (bench/engine.py)."""


def _refuse(t: int, kind: str, data: dict[str, Any]) -> None:
    """Raise the error that says why ``data`` cannot be a ``kind`` record at minute ``t``.

    :func:`~simulator.journal.records.check` refuses a kind or field not declared, a
    value of the wrong type, a non-finite float it checks; then the objects it does
    not look inside are searched (a record holds one at most), in the record's order,
    so the first bad path is the one named.
    """
    check(kind, data)
    open_fields = OPEN_FIELDS[kind]
    bad = first_non_finite({k: v for k, v in data.items() if k in open_fields}) if open_fields else None
    if bad is not None:  # JSON cannot hold it, and one such record used to make a session unreadable
        raise NonFiniteError(f"refused to record {kind} at minute {t}: {bad[0]} is {bad[1]!r}, not a finite "
                             "number; nothing was written")


class Journal:
    """In-memory journal. Storage backends subclass it and override :meth:`_persist`."""

    def __init__(self, records: Iterable[Record] = ()):
        self._records: list[Record] = list(records)
        self._listeners: list[Callable[[Record], None]] = []
        self._durable = type(self)._persist is not Journal._persist
        """Whether a subclass keeps records elsewhere too (the in-memory journal skips the call)."""

    def append(self, t: int, kind: str, data: dict[str, Any]) -> Record:
        """Add a record at time ``t``; a kind or field not declared in :mod:`~simulator.journal.records` is refused."""
        valid = VALID.get(kind) or validator(kind)
        if valid is None or not valid(data):  # the compiled check said no: say what is wrong (and raise)
            _refuse(t, kind, data)
        records = self._records
        rec = _new_record(Record)
        _set_seq(rec, len(records))
        _set_t(rec, t)
        _set_kind(rec, kind)
        _set_data(rec, data)
        records.append(rec)
        if self._durable:
            self._persist(rec)
        for fn in self._listeners:
            fn(rec)
        return rec

    def _persist(self, record: Record) -> None:
        """Hook for durable journals; the in-memory journal keeps nothing else."""

    def subscribe(self, fn: Callable[[Record], None]) -> None:
        self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[Record], None]) -> None:
        self._listeners.remove(fn)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records)

    def __getitem__(self, i):
        return self._records[i]

    def since(self, seq: int) -> list[Record]:
        return self._records[seq:]

    def of_kind(self, *kinds: str) -> list[Record]:
        return [r for r in self._records if r.kind in kinds]

    def inputs(self) -> list[Record]:
        return [r for r in self._records if r.kind in INPUT_KINDS]

    def export_lines(self) -> Iterator[str]:
        enc = _encode_line
        for r in self._records:
            yield enc({**r.data, "seq": r.seq, "t": r.t, "kind": r.kind})

    def export_bytes(self) -> bytes:
        enc = _encode_line
        lines = [enc({**r.data, "seq": r.seq, "t": r.t, "kind": r.kind}) for r in self._records]
        lines.append("")
        return "\n".join(lines).encode("utf-8")

    def export_jsonl(self, path: str | Path) -> str:
        """Write the canonical export; return its SHA-256."""
        data = self.export_bytes()
        Path(path).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    def export_hash(self) -> str:
        """SHA-256 of :meth:`export_bytes`, hashed line by line: a 100,000-record journal's export is never
        held three times over (lines, text, bytes: 70 MB of a 250 MB replay, bench/engine.py)."""
        h = hashlib.sha256()
        enc = _encode_line
        for r in self._records:
            h.update((enc({**r.data, "seq": r.seq, "t": r.t, "kind": r.kind}) + "\n").encode("utf-8"))
        return h.hexdigest()


MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest record line an event log may hold (a record is a few hundred bytes)."""
MAX_NESTING = 64
"""Deepest nesting of lists and objects in a record (the engine writes at most a few levels)."""


def read_jsonl(path: str | Path, warnings: list[str] | None = None) -> Journal:
    """A journal from a canonical export (for reports and comparisons).

    Anything that is not a journal record is an :class:`InputError` naming the
    file and line: bytes that are not UTF-8, a line that is not a JSON object,
    nesting deeper than :data:`MAX_NESTING` (which would exhaust the parser's
    recursion), ``seq``/``t``/``kind`` missing or of the wrong type, or a time
    outside what the engine can reach. A NaN or infinity (written by versions
    before the journal refused them) is read as null, and said so in
    ``warnings`` when a list is given.
    """
    from simulator.errors import Problem
    from simulator.timefmt import MAX_MINUTES

    records: list[Record] = []
    display = str(path)

    def bad(n: int, message: str) -> InputError:
        return InputError("bad event log", [Problem(display, n, 1, message)])

    try:
        handle = os.fdopen(open_regular(path), "rb")
    except OSError as e:
        raise InputError(f"cannot read {display}: {e.strerror or e}") from None
    with handle:
        for n, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
            if len(raw) > MAX_LINE_BYTES:
                raise bad(n, f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB; not a journal record")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise bad(n, f"not UTF-8 (byte {raw[e.start]:#04x} at column {e.start + 1})") from None
            if not line.strip():
                continue
            depth = _nesting(line) if line.count("[") + line.count("{") > MAX_NESTING else 0
            if depth > MAX_NESTING:
                raise bad(n, f"nested {depth} levels deep; a journal record is at most {MAX_NESTING}")
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as e:
                raise bad(n, f"not a journal record: {e}") from None
            if not isinstance(obj, dict):
                raise bad(n, f"not a journal record: a JSON {type(obj).__name__}, not an object")
            seq, t, kind = obj.pop("seq", None), obj.pop("t", None), obj.pop("kind", None)
            for name, value in (("seq", seq), ("t", t)):
                if type(value) is not int:
                    raise bad(n, f"not a journal record: {name!r} must be a whole number, got {_short(value)}")
            if not isinstance(kind, str) or not kind:
                raise bad(n, f"not a journal record: 'kind' must be a text, got {_short(kind)}")
            if not 0 <= t <= MAX_MINUTES:
                raise bad(n, f"time {t} is out of range (0 to {MAX_MINUTES} minutes)")
            if seq != len(records):
                raise bad(n, f"record number {seq} where {len(records)} was expected (a gap or a reordered file)")
            obj, found = scrub(obj)
            if found and warnings is not None:
                warnings.append(f"{display}:{n}: record #{seq} ({kind}) held a non-finite number "
                                f"({', '.join(found)}); read as null")
            records.append(Record(seq, t, kind, obj))
    return Journal(records)


def _nesting(line: str) -> int:
    """How deep lists and objects nest in a JSON line (brackets inside strings are skipped)."""
    depth = top = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            top = max(top, depth)
        elif ch in "]}":
            depth -= 1
    return top


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
