"""The YAML 1.2 schema of :mod:`simulator.scenario.yamlio`: what a scalar means, and safe construction.

:mod:`simulator.scenario.yamlio` checks and loads the text. This module decides what
the parsed nodes become, and nothing else: the implicit resolver table that
turns plain scalars into ``bool``/``int``/``float``/``None``, the constructor
that builds plain Python data and reports bad values and keys, and the two
loader classes (libyaml and pure Python) that join a parser to them. It is
separate so that the schema rules can be read, and changed, in one place,
apart from the limits (:mod:`simulator.scenario.yaml_limits`) and the load steps.

Scalars follow the YAML 1.2 core schema, with two deliberate restrictions, to
defuse the YAML 1.1 traps PyYAML falls into (see tech notes section 5). This is
done by the :class:`Yaml12Resolver` table, not by post-processing:

* booleans are only ``true``/``false`` in any letter case; ``yes``, ``no``,
  ``on``, ``off``, ``y``, ``n`` stay strings;
* null is ``null``/``Null``/``NULL``, ``~`` or an empty value;
* integers are decimal (``12``, ``-3``, ``+4``), ``0x1F`` or ``0o17``.
  Decimal integers with a leading zero (``017``, ``-007``) **stay strings**:
  YAML 1.1 reads ``017`` as octal 15 and YAML 1.2 as 17, so the file is
  ambiguous. Keeping the text loses nothing: identifiers such as ``"007"`` keep
  their zeros, and pydantic ``int`` fields in lax mode still accept ``"017"`` as
  17. ``1_000`` is a string, as is ``0b101``;
* floats are ``1.5``, ``.5``, ``1.``, ``1e3`` (a float, where YAML 1.1 gave the
  string ``'1e3'``), ``-2.5E-3``. ``.inf``, ``-.inf``, ``.nan`` and numbers too
  large for a float (``1e999``) are read as floats and then **refused** with a
  message: nothing in a scenario or script may be non-finite, and the journal
  (JSON) could not hold it. Leading zeros make a string here too (``01.5``),
  ``0.5`` is a float;
* no sexagesimal numbers (``1:30`` stays the string ``"1:30"``) and no implicit
  timestamps (``2024-05-01`` stays a string).

With an explicit tag the value is checked and converted: ``!!int "017"`` is 17,
``!!float 3`` is 3.0, ``!!str 12`` is ``"12"``, and ``!!int abc`` is an error.
Only the tags in :data:`ALLOWED_TAGS` are accepted; the event scan in
:mod:`simulator.scenario.yaml_limits` refuses the others before construction starts.

The constructor also refuses, with a message at the key, duplicate mapping
keys (PyYAML silently keeps the last one), unhashable keys (a list or mapping
used as a key) and merge keys (``<<: *base``, a YAML 1.1 feature).
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

__all__ = [
    "ALLOWED_TAGS",
    "EventBuilder",
    "BOOL_TAG",
    "CLoader",
    "EXPLICIT_INT_RE",
    "INT_TAG",
    "LOADER",
    "MAX_PROBLEMS",
    "PyLoader",
    "YAML_TAG",
    "Yaml12Resolver",
    "shorten",
]

YAML_TAG = "tag:yaml.org,2002:"
STR_TAG = YAML_TAG + "str"
INT_TAG = YAML_TAG + "int"
FLOAT_TAG = YAML_TAG + "float"
BOOL_TAG = YAML_TAG + "bool"
NULL_TAG = YAML_TAG + "null"
SEQ_TAG = YAML_TAG + "seq"
MAP_TAG = YAML_TAG + "map"
# The non-specific tag "!" is refused too: libyaml resolves "! 12" to an int and
# the pure-Python parser to a string, so its meaning would depend on the build.
ALLOWED_TAGS = frozenset({STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG, NULL_TAG, SEQ_TAG, MAP_TAG})
MAX_PROBLEMS = 100
"""Stop collecting problems after this many (a binary or badly broken file)."""


# --------------------------------------------------------------------------- resolver


def _yaml12_table() -> dict:
    """PyYAML's implicit resolver table with every YAML 1.1-only entry taken out.

    Kept: null. Replaced: bool, int, float. Removed with no replacement:
    timestamp (dates stay strings), merge (``<<``; refused with a message by the
    constructor), value (``=``) and yaml (``!``, ``&``, ``*``), which the safe
    constructor cannot build anyway.
    """
    dropped = {BOOL_TAG, INT_TAG, FLOAT_TAG, YAML_TAG + "timestamp", YAML_TAG + "merge",
               YAML_TAG + "value", YAML_TAG + "yaml"}
    table: dict = {}
    for first, entries in Resolver.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in entries if tag not in dropped]
        if kept:
            table[first] = kept
    return table


_BOOL_RE = re.compile(r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$")
_INT_RE = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"""^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
          |[-+]?\.(?:inf|Inf|INF)
          |\.(?:nan|NaN|NAN))$""",
    re.X,
)
# What an explicit !!int / !!float / !!null accepts (leading zeros are fine once
# the author has said which type is meant).
EXPLICIT_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_EXPLICIT_FLOAT_RE = re.compile(
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
          |[-+]?\.(?:inf|Inf|INF)
          |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")


class Yaml12Resolver(Resolver):
    """A resolver with YAML 1.2 core-schema scalars (see the module docstring)."""

    yaml_implicit_resolvers = _yaml12_table()

    def resolve(self, kind, value, implicit):
        """PyYAML's rules, with a shortcut for the common case: a plain scalar that can only be a string.

        libyaml calls this from C for every node; the generic version builds
        two lists and tries regexes in Python each time, which was a third of
        the time to load a large scenario. The table is consulted by first
        character exactly as PyYAML does, so the result is the same.
        """
        if kind is ScalarNode and implicit[0] and value and not self.yaml_path_resolvers:
            entries = self.yaml_implicit_resolvers.get(value[0])
            if entries is None:
                return STR_TAG
            for tag, regexp in entries:
                if regexp.match(value):
                    return tag
            return STR_TAG
        return super().resolve(kind, value, implicit)


# Order matters inside one first-character list: int before float, so that
# "12" is an int and not a float.
Yaml12Resolver.add_implicit_resolver(BOOL_TAG, _BOOL_RE, list("tTfF"))
Yaml12Resolver.add_implicit_resolver(INT_TAG, _INT_RE, list("-+0123456789"))
Yaml12Resolver.add_implicit_resolver(FLOAT_TAG, _FLOAT_RE, list("-+0123456789."))


# ------------------------------------------------------------------------ constructor


def as_literal_block(text: str) -> bool:
    """Whether a dumper may write ``text`` as a literal block (``|``) and read the same text back.

    Only a string with a line break inside it wants a block; not one holding NEL
    (U+0085), which a block takes for a line break and reads back as ``\\n``: the
    double-quoted style writes it as the escape ``\\N``.
    """
    return "\n" in text.rstrip("\n") and "\x85" not in text


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a message, with line breaks shown as ``\\n``."""
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a scalar"


class _Constructor(SafeConstructor):
    """Safe construction of plain data, reporting problems instead of guessing.

    Problems that do not stop construction (duplicate keys, bad explicit
    scalars, unhashable keys) are collected in ``self.problems`` as
    ``(mark, message)`` so that a whole file is reported in one run.
    """

    # PyYAML's stubs declare these as ClassVars; this class keeps its own tables.
    yaml_constructors: ClassVar[dict] = {}
    yaml_multi_constructors: ClassVar[dict] = {}

    def __init__(self):
        super().__init__()
        self.problems: list[tuple[object, str]] = []

    def _bad(self, node, message: str):
        if len(self.problems) >= MAX_PROBLEMS:
            raise ConstructorError(None, None, f"too many problems; stopped after {MAX_PROBLEMS}", node.start_mark)
        self.problems.append((node.start_mark, message))
        return node.value if isinstance(node, ScalarNode) else None

    def construct_yaml_null(self, node):
        value = self.construct_scalar(node)
        if not _NULL_RE.match(value):
            return self._bad(node, f"'{shorten(value)}' is not null (use null, ~ or nothing)")
        return None

    def construct_yaml_bool(self, node):
        value = self.construct_scalar(node)
        if not _BOOL_RE.match(value):
            return self._bad(node, f"'{shorten(value)}' is not a boolean (use true or false)")
        return value.lower() == "true"

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        if not EXPLICIT_INT_RE.match(value):
            return self._bad(node, f"'{shorten(value)}' is not an integer")
        try:
            if value.startswith("0x"):
                return int(value[2:], 16)
            if value.startswith("0o"):
                return int(value[2:], 8)
            return int(value, 10)
        except ValueError:  # more digits than sys.get_int_max_str_digits()
            return self._bad(node, f"integer with {len(value)} digits is too long")

    def construct_yaml_float(self, node):
        value = self.construct_scalar(node)
        if not _EXPLICIT_FLOAT_RE.match(value):
            return self._bad(node, f"'{shorten(value)}' is not a number")
        lowered = value.lower()
        number = float(value) if not (lowered.endswith(".inf") or lowered == ".nan") else float("nan")
        if not math.isfinite(number):  # no time, delay or parameter can be NaN or infinite, and JSON cannot hold one
            return self._bad(node, f"'{shorten(value)}' is not a finite number"
                                   + (" (too large)" if lowered[-4:] not in (".inf", ".nan") else ""))
        return number

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping, but found {_kind(node)}", node.start_mark)
        mapping: dict = {}
        first_key_node: dict = {}
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, ScalarNode)
                and key_node.value == "<<"
                and key_node.style in (None, "")
                and key_node.tag == STR_TAG
            ):
                self._bad(key_node, "merge keys ('<<') are not supported; write the keys out in full")
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                self._bad(key_node, f"a mapping key must be a single value, not {_kind(key_node)}")
                continue
            if key in first_key_node:
                first = first_key_node[key]
                shown = key_node.value if isinstance(key_node, ScalarNode) else str(key)
                self._bad(key_node, f"duplicate key '{shorten(shown)}' (first at line {first.start_mark.line + 1})")
            else:
                first_key_node[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_CONSTRUCTORS: list[tuple[str | None, Any]] = [
    (NULL_TAG, _Constructor.construct_yaml_null),
    (BOOL_TAG, _Constructor.construct_yaml_bool),
    (INT_TAG, _Constructor.construct_yaml_int),
    (FLOAT_TAG, _Constructor.construct_yaml_float),
    (STR_TAG, SafeConstructor.construct_yaml_str),
    (SEQ_TAG, SafeConstructor.construct_yaml_seq),
    (MAP_TAG, SafeConstructor.construct_yaml_map),
    (None, SafeConstructor.construct_undefined),
]
for _tag, _construct in _CONSTRUCTORS:
    _Constructor.add_constructor(_tag, _construct)


# ------------------------------------------------------------------ data from events

_NO_KEY = object()


class EventBuilder:
    """Builds the data straight from the event stream, for documents the node path would accept as they are.

    Composing a node tree costs about 400 bytes per scalar (the node, its
    attribute dict, two marks); for a 10,000-inject scenario that was 60 MB
    held at once. This builder turns events into plain data as they come,
    with the same resolver and the same scalar constructors, so nothing but
    the data is ever kept. It does not report problems: at the first thing
    the node path would report or treat specially (an alias, a merge key, a
    duplicate or non-scalar key, a value a constructor refuses, a tag on the
    wrong kind of node) it gives up (``ok`` is False) and the loader composes
    the tree and reports from it as before. When ``ok`` is True, ``data`` is
    what the node path would have built (a fuzz test checks this).
    """

    def __init__(self, loader: _Constructor):
        self.loader = loader  # a resolver + constructor (its parser is not used)
        self.ok = True
        self.data = None
        self._stack: list[list] = []  # [container, pending key] per open collection
        self._problems = len(loader.problems)

    def feed(self, event) -> None:
        if not self.ok:
            return
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._add(self._scalar(event), True, event)
        elif kind is yaml.MappingStartEvent:
            if event.tag not in (None, MAP_TAG):
                self.ok = False
                return
            self._stack.append([{}, _NO_KEY])
        elif kind is yaml.SequenceStartEvent:
            if event.tag not in (None, SEQ_TAG):
                self.ok = False
                return
            self._stack.append([[], _NO_KEY])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container = self._stack.pop()[0]
            self._add(container, False, event)
        elif kind is yaml.AliasEvent:
            self.ok = False  # shared objects and expansion limits: the node path does both

    def _scalar(self, event):
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, value, event.implicit)
        if tag == STR_TAG:
            return value
        constructor = self.loader.yaml_constructors.get(tag)
        if constructor is None or tag in (SEQ_TAG, MAP_TAG):
            self.ok = False
            return None
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            result = constructor(self.loader, node)
        except Exception:
            self.ok = False
            return None
        if len(self.loader.problems) != self._problems:
            self.ok = False
        return result

    def _add(self, value, scalar: bool, event) -> None:
        if not self.ok:
            return
        if not self._stack:
            self.data = value
            return
        top = self._stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if not scalar or value in container or (value == "<<" and event.style in (None, "")):
                self.ok = False  # a non-scalar, duplicate or merge key: the node path reports it
                return
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY


# ---------------------------------------------------------------------------- loaders


class PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
               _Constructor, Yaml12Resolver):
    """The pure-Python stack, like ``yaml.SafeLoader`` but with our resolver and constructor."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        Yaml12Resolver.__init__(self)


# LOADER is the class simulator.scenario.yamlio parses with: libyaml when PyYAML was
# built with it, else the pure-Python stack. CLoader is None without libyaml.
try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]  # the stubs do not re-export it
except ImportError:  # PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment,misc]

if _CParser is not None:

    class CLoader(_CParser, _Constructor, Yaml12Resolver):
        """libyaml parsing, like ``yaml.CSafeLoader`` but with our resolver and constructor."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            _Constructor.__init__(self)
            Yaml12Resolver.__init__(self)

    LOADER: type = CLoader
else:  # pragma: no cover - depends on how PyYAML was built
    CLoader = None  # type: ignore[assignment,misc]
    LOADER = PyLoader
