"""The append-only journal: every Record of an exercise, in order.

The journal is the truth: views, reports and metrics are computed from it.
Its JSONL export is canonical (sorted keys, compact separators, UTF-8, one
record per line with ``seq``, ``t`` and ``kind``), so the same run always
exports the same bytes and :func:`export_hash` identifies a run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from simulator.journal.records import INPUT_KIND_NAMES, check

INPUT_KINDS = frozenset(INPUT_KIND_NAMES)
"""Records that come from outside the engine (people, scripts, policies): replaying them reproduces a run."""


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
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


class Journal:
    """In-memory journal. Storage backends subclass it and override :meth:`_persist`."""

    def __init__(self, records: Iterable[Record] = ()):
        self._records: list[Record] = list(records)
        self._listeners: list[Callable[[Record], None]] = []

    def append(self, t: int, kind: str, data: dict[str, Any]) -> Record:
        """Add a record at time ``t``; a kind or field not declared in :mod:`~simulator.journal.records` is refused."""
        check(kind, data)
        rec = Record(len(self._records), t, kind, data)
        self._records.append(rec)
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
        return hashlib.sha256(self.export_bytes()).hexdigest()


def read_jsonl(path: str | Path) -> Journal:
    """A journal from a canonical export (for reports and comparisons)."""
    from simulator.errors import InputError, Problem

    records = []
    display = str(path)
    try:
        handle = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {display}: {e.strerror}") from None
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                seq, t, kind = obj.pop("seq"), obj.pop("t"), obj.pop("kind")
            except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as e:
                raise InputError("bad event log", [Problem(display, n, 1, f"not a journal record: {e}")]) from None
            records.append(Record(seq, t, kind, obj))
    return Journal(records)
