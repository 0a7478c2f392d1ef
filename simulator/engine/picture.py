"""Situational pictures as values: a fact, what one actor or a team knows, and ground truth.

:mod:`simulator.engine.knowledge` folds the journal into pictures; this module
holds what it hands out. A :class:`Picture` keeps what it derives from its
facts (colours, variables, members, flags) in :attr:`Picture.derived`, which
Knowledge shares between the pictures of a team until one of its actors learns
something, and carries over to the next picture what the news cannot change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, NamedTuple, TypeVar

from simulator.timefmt import format_time

COLOUR_ORDER = ("white", "green", "yellow", "red")

SET_FACTS = ("capacity_exceeded", "significant", "major", "attributed_by")
"""State variables held as sets: carried element by element (``capacity_exceeded.IE``)."""

INITIAL: dict[str, Any] = {
    "outlook": "stable", "threat_severity": "none", "exposure": "limited", "cross_border": False,
    "internal_market": False, "public_safety": False, "cross_border_dependency": False,
    "attribution": "none", "confidence": "none", "state_actor": False, "criminal_group": False,
    "partner_attribution": False, "evidence": 0.0, "cohesion": 0.6, "public_trust": 0.7, "disinfo_reach": 0.0,
    "cyclone": "none", "ipcr": "monitoring", "art222": False, "art427": False, "reserve_requested": False,
}
"""What an actor assumes of a variable nobody told it about: the world's starting state (state.WorldState)."""


class Fact(NamedTuple):
    """One thing an actor holds to be true, when it learned it and from where.

    Immutable; a named tuple rather than a frozen dataclass because every
    played actor learns each public-sphere change (about 2,500 facts a
    vital-signs run), and a frozen dataclass sets each of its nine fields
    through ``object.__setattr__``: 1.5 against 0.5 microseconds a fact (timeit).
    """

    name: str
    value: Any
    learned: int
    """Minutes since T+0 at which the actor learned it."""
    source: str
    """The inject, decision or ``POINT:option`` that brought it."""
    via: str
    """In words: ``VS-18 CyCLONe officers' call from ENISA``, ``own decision D07``."""
    actor: str
    """The actor that learned it."""
    assessed_by: str | None = None
    """For an assessment: the actor that made it."""
    assessed_at: int | None = None
    as_of: int | None = None
    """When what it says was observed at its origin (a relayed sitrep is older than its delivery); None: learned."""

    @property
    def observed(self) -> int:
        return self.learned if self.as_of is None else self.as_of

    def as_json(self) -> dict[str, Any]:
        out = {"value": self.value, "learned": self.learned, "learned_at": format_time(self.learned),
               "source": self.source, "via": self.via, "actor": self.actor}
        if self.assessed_by is not None:
            out["assessed_by"] = self.assessed_by
            out["assessed_at"] = self.assessed_at
        if self.as_of is not None:
            out["as_of"] = self.as_of
        return out


_T = TypeVar("_T")

_READS: dict[str, Callable[..., tuple[str, ...]] | None] = {}
"""Derived value -> the fact names, or name prefixes, it reads given its arguments (None: any fact)."""


def _derived(reads: Callable[..., tuple[str, ...]] | None) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Compute ``fn(picture, *args)`` once per picture's facts; callers get a copy of a list or dict.

    A picture's facts never change: :class:`~simulator.engine.knowledge.Knowledge`
    hands out the same facts (and the same :attr:`Picture.derived`) until one of
    its actors learns something; then :func:`carry_over` keeps every value whose
    ``reads`` (names or prefixes, from the value's arguments) the news does not
    touch. The doctrine reads every team's variables and assessed level after
    every record, and most news (trust, reach) leaves most of them as they were.
    """

    def wrap(fn: Callable[..., _T]) -> Callable[..., _T]:
        key = fn.__name__
        _READS[key] = reads

        @wraps(fn)
        def cached(picture: Picture, *args: Any) -> _T:
            k = (key, *args) if args else key
            try:
                value = picture.derived[k]
            except KeyError:
                value = picture.derived[k] = fn(picture, *args)
            return value.copy() if isinstance(value, (dict, list)) else value  # type: ignore[return-value]

        return cached

    return wrap


_COUNTED_FROM = {"ms_affected": "impact", "ms_yellow": "impact", "ms_red": "impact", "attributing_ms": "attributed_by"}
"""Condition variables that count elements of other facts (:meth:`Picture.variables`)."""


def variable_sources(name: str) -> tuple[str, ...]:
    """The keys (:func:`news_key`) of the facts a condition variable is worked out from, which are also the keys
    of its world state's changes.

    ``ms_red`` -> ``('impact',)`` (``impact.IE/health`` in a picture and in a
    ``state.changed`` record), ``significant`` -> ``('significant',)`` (the
    ``significant.X`` facts, the ``significant`` change key). News whose key
    is not among them cannot move the variable. Follows :meth:`Picture.variables`.
    """
    return (_COUNTED_FROM.get(name, name),)


def news_key(name: str) -> str:
    """What a fact's name or a state change's key is news of: the part before the first dot, ``flags`` as ``flag``.

    ``impact.IE/health`` -> ``impact``, ``capacity_exceeded.IE`` and the change
    key ``capacity_exceeded`` -> ``capacity_exceeded``, ``flag.x`` and ``flags``
    -> ``flag``, ``outlook`` -> ``outlook``.
    """
    head = name.partition(".")[0]
    return "flag" if head == "flags" else head


_PREFIXES: dict[Any, tuple[str, ...] | None] = {}
"""A derived value's key -> what it reads (``_READS`` applied to its arguments; None: any fact), worked out once."""
_ANY: Any = object()

_PATCHABLE = frozenset(INITIAL) - frozenset(SET_FACTS)
"""Facts that are condition variables as they are: news of them changes only their own entry of ``variables``."""


def carry_over(derived: dict[Any, Any], changed: set[str], facts: Mapping[str, Fact]) -> dict[Any, Any]:
    """What of ``derived`` still holds for ``facts`` once the facts named ``changed`` are news.

    A value none of whose reads changed is kept as it is; ``variables`` after
    news of plain scalars only (trust, reach, outlook) is kept with those
    entries set to their new values, as working it out again would set them.
    """
    out: dict[Any, Any] = {}
    for key, value in derived.items():
        prefixes = _PREFIXES.get(key, _ANY)
        if prefixes is _ANY:
            name, args = (key[0], key[1:]) if isinstance(key, tuple) else (key, ())
            reads = _READS.get(name)
            prefixes = _PREFIXES[key] = None if reads is None else reads(*args)
        if prefixes is not None:
            for n in changed:
                if n.startswith(prefixes):
                    break
            else:
                out[key] = value
        elif key == "variables" and changed <= _PATCHABLE:
            value = dict(value)
            for n in changed:
                value[n] = facts[n].value
            out[key] = value
    return out


@dataclass(frozen=True)
class Picture:
    """What one actor, or a team (the union over the actors it plays), knows at a time."""

    who: str
    at: int
    facts: Mapping[str, Fact]
    """Read-only: a team's facts are shared by the pictures handed out until its actors learn something."""
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Values computed from :attr:`facts` (colours, variables, members, flags, the assessed level)."""
    actors: tuple[str, ...] = field(default=(), repr=False, compare=False)
    """The actors whose union it is (a reader that follows what they learn knows when it changes)."""

    @property
    def eccs(self) -> int | None:
        """The last ECCS assessment that reached it, or None."""
        f = self.facts.get("eccs")
        return None if f is None else int(f.value)

    def fact(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def value(self, name: str, default: Any = None) -> Any:
        f = self.facts.get(name)
        return default if f is None else f.value

    @_derived(lambda: ("impact.",))
    def ms_colours(self) -> dict[str, str]:
        """Worst known impact colour per Member State, in MS order."""
        worst: dict[str, str] = {}
        for name, f in self.facts.items():
            if name.startswith("impact."):
                ms = name[len("impact."):].partition("/")[0]
                if COLOUR_ORDER.index(f.value) >= COLOUR_ORDER.index(worst.get(ms, "white")):
                    worst[ms] = f.value
        return dict(sorted(worst.items()))

    @_derived(lambda name: (name + ".",))
    def members(self, name: str) -> list[str]:
        """Elements of a set-valued fact known to be in it (``capacity_exceeded`` -> ``['IE']``)."""
        prefix = name + "."
        return sorted(k[len(prefix):] for k, f in self.facts.items() if k.startswith(prefix) and f.value)

    @_derived(None)
    def variables(self) -> dict[str, Any]:
        """The condition variables (conditions.VARIABLES) as this picture knows them.

        A count is what is known (``ms_red``: Member States known to be red);
        a scalar nobody reported keeps the world's starting value. ``eccs`` is
        the last assessment, or 0 when none reached it.
        """
        colours = self.ms_colours().values()
        v = dict(INITIAL)
        for name, f in self.facts.items():
            if name in v and name not in SET_FACTS:
                v[name] = f.value
        v.update({
            "eccs": self.eccs or 0,
            "ms_affected": sum(c != "white" for c in colours),
            "ms_yellow": sum(c in ("yellow", "red") for c in colours),
            "ms_red": sum(c == "red" for c in colours),
            "capacity_exceeded": len(self.members("capacity_exceeded")),
            "significant": len(self.members("significant")),
            "major": len(self.members("major")),
            "attributing_ms": len(self.members("attributed_by")),
        })
        return v

    @_derived(lambda: ("flag.",))
    def flags(self) -> dict[str, bool]:
        return {k[len("flag."):]: bool(f.value) for k, f in sorted(self.facts.items()) if k.startswith("flag.")}

    def as_json(self) -> dict[str, Any]:
        eccs = self.facts.get("eccs")
        return {
            "who": self.who, "at": self.at, "at_label": format_time(self.at),
            "eccs": self.eccs,
            "eccs_source": None if eccs is None else eccs.as_json(),
            "ms_colours": self.ms_colours(),
            "capacity_exceeded": self.members("capacity_exceeded"),
            "facts": {k: f.as_json() for k, f in sorted(self.facts.items())},
        }


@dataclass(frozen=True)
class Truth:
    """Ground truth at a time, from the same records (the evaluators' view)."""

    at: int
    eccs: int
    facts: dict[str, Any]
    since: dict[str, int]
    """When each fact took its current value."""

    def ms_colours(self) -> dict[str, str]:
        worst: dict[str, str] = {}
        for name, value in self.facts.items():
            if name.startswith("impact."):
                ms = name[len("impact."):].partition("/")[0]
                if COLOUR_ORDER.index(value) >= COLOUR_ORDER.index(worst.get(ms, "white")):
                    worst[ms] = value
        return dict(sorted(worst.items()))

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at, "at_label": format_time(self.at), "eccs": self.eccs, "ms_colours": self.ms_colours(),
                "capacity_exceeded": sorted(k.split(".", 1)[1] for k, v in self.facts.items()
                                            if k.startswith("capacity_exceeded.") and v),
                "facts": dict(sorted(self.facts.items()))}
