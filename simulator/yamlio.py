"""Hardened YAML loading that keeps source positions.

Every scenario, inject library and decisions script goes through
:func:`load_yaml_text` / :func:`load_yaml_file`. They return a :class:`YamlDoc`
holding plain Python data (``dict``/``list``/``str``/``int``/``float``/``bool``/
``None``) and the composed node tree, so that a later validation error (a
pydantic ``loc``) can be turned into a ``file:line:col`` with
:meth:`YamlDoc.position`.

Any problem with the input raises :class:`~simulator.errors.ScenarioError`
whose ``problems`` carry 1-based line and column numbers. No other exception
escapes for any ``str`` or ``bytes`` input (a hypothesis fuzz test checks it).

What is refused, and why:

* **Size** above ``max_bytes`` (checked before anything is parsed; for files,
  with ``os.stat`` before reading).
* **Encoding**: input bytes must be UTF-8. A UTF-8 BOM is stripped; UTF-16/32
  and invalid UTF-8 are refused at the first bad byte. Control characters (NUL
  and the like), lone surrogates and U+FFFE/U+FFFF are refused at their place.
* **Empty** input (nothing, or only comments / a bare ``---``).
* **More than one document** in the stream.
* **Nesting** deeper than ``max_depth`` mappings + sequences. This is checked
  on the event stream, with no recursion, before any node tree is built.
* **Tags** other than the standard safe ones (``!!str !!int !!float !!bool
  !!null !!map !!seq``; the non-specific ``!`` is refused as well, since libyaml
  and the Python parser disagree on it). Only safe construction is
  ever used (libyaml's ``CParser`` when available, else the pure-Python parser,
  with a ``SafeConstructor`` subclass).
* **Aliases**: undefined, recursive (an alias inside the node it names), or
  expanding to more than ``max_nodes`` nodes (billion laughs). Anchors defined
  twice are refused as PyYAML's composer does.
* **Duplicate mapping keys** (PyYAML silently keeps the last one), unhashable
  keys (a list or mapping used as a key), and merge keys (``<<: *base``), which
  are a YAML 1.1 feature this loader does not implement.

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
  string ``'1e3'``), ``-2.5E-3``, ``.inf``, ``-.inf``, ``.nan``. Leading zeros
  make a string here too (``01.5``), ``0.5`` is a float;
* no sexagesimal numbers (``1:30`` stays the string ``"1:30"``) and no implicit
  timestamps (``2024-05-01`` stays a string).

With an explicit tag the value is checked and converted: ``!!int "017"`` is 17,
``!!float 3`` is 3.0, ``!!str 12`` is ``"12"``, and ``!!int abc`` is an error.

Aliases build shared objects in the data (like PyYAML does); the alias-size
limit counts each alias as the full subtree it stands for, and only applies
when the document uses at least one alias.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from simulator.errors import ProblemSink, ScenarioError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "YamlDoc",
    "Yaml12Resolver",
    "load_yaml_file",
    "load_yaml_text",
]

MAX_BYTES = 2_000_000
"""Default limit on the size of a YAML file, in bytes."""
MAX_DEPTH = 64
"""Default limit on nesting (mappings and sequences together)."""
MAX_NODES = 200_000
"""Default limit on the number of nodes once aliases are expanded."""

_YAML_TAG = "tag:yaml.org,2002:"
_STR_TAG = _YAML_TAG + "str"
_INT_TAG = _YAML_TAG + "int"
_FLOAT_TAG = _YAML_TAG + "float"
_BOOL_TAG = _YAML_TAG + "bool"
_NULL_TAG = _YAML_TAG + "null"
_SEQ_TAG = _YAML_TAG + "seq"
_MAP_TAG = _YAML_TAG + "map"
# The non-specific tag "!" is refused too: libyaml resolves "! 12" to an int and
# the pure-Python parser to a string, so its meaning would depend on the build.
_ALLOWED_TAGS = frozenset({_STR_TAG, _INT_TAG, _FLOAT_TAG, _BOOL_TAG, _NULL_TAG, _SEQ_TAG, _MAP_TAG})

# Line breaks as libyaml (and PyYAML's reader) count them, so that positions we
# compute ourselves agree with the parser's marks.
_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAK_CHARS = "\r\n\x85\u2028\u2029"
# Characters YAML does not allow in a stream (the complement of c-printable).
_NOT_PRINTABLE_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BOM = "\ufeff"
_MAX_PROBLEMS = 100
"""Stop collecting problems after this many (a binary or badly broken file)."""


# --------------------------------------------------------------------------- resolver


def _yaml12_table() -> dict:
    """PyYAML's implicit resolver table with every YAML 1.1-only entry taken out.

    Kept: null. Replaced: bool, int, float. Removed with no replacement:
    timestamp (dates stay strings), merge (``<<``; refused with a message by the
    constructor), value (``=``) and yaml (``!``, ``&``, ``*``), which the safe
    constructor cannot build anyway.
    """
    dropped = {_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _YAML_TAG + "timestamp", _YAML_TAG + "merge",
               _YAML_TAG + "value", _YAML_TAG + "yaml"}
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
_EXPLICIT_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
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


# Order matters inside one first-character list: int before float, so that
# "12" is an int and not a float.
Yaml12Resolver.add_implicit_resolver(_BOOL_TAG, _BOOL_RE, list("tTfF"))
Yaml12Resolver.add_implicit_resolver(_INT_TAG, _INT_RE, list("-+0123456789"))
Yaml12Resolver.add_implicit_resolver(_FLOAT_TAG, _FLOAT_RE, list("-+0123456789."))


# ------------------------------------------------------------------------ constructor


def _shorten(text: str, limit: int = 60) -> str:
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

    yaml_constructors: dict = {}
    yaml_multi_constructors: dict = {}

    def __init__(self):
        super().__init__()
        self.problems: list[tuple[object, str]] = []

    def _bad(self, node, message: str):
        if len(self.problems) >= _MAX_PROBLEMS:
            raise ConstructorError(None, None, f"too many problems; stopped after {_MAX_PROBLEMS}", node.start_mark)
        self.problems.append((node.start_mark, message))
        return node.value if isinstance(node, ScalarNode) else None

    def construct_yaml_null(self, node):
        value = self.construct_scalar(node)
        if not _NULL_RE.match(value):
            return self._bad(node, f"'{_shorten(value)}' is not null (use null, ~ or nothing)")
        return None

    def construct_yaml_bool(self, node):
        value = self.construct_scalar(node)
        if not _BOOL_RE.match(value):
            return self._bad(node, f"'{_shorten(value)}' is not a boolean (use true or false)")
        return value.lower() == "true"

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        if not _EXPLICIT_INT_RE.match(value):
            return self._bad(node, f"'{_shorten(value)}' is not an integer")
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
            return self._bad(node, f"'{_shorten(value)}' is not a number")
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        return float(value)

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
                and key_node.tag == _STR_TAG
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
                self._bad(key_node, f"duplicate key '{_shorten(shown)}' (first at line {first.start_mark.line + 1})")
            else:
                first_key_node[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_Constructor.add_constructor(_NULL_TAG, _Constructor.construct_yaml_null)
_Constructor.add_constructor(_BOOL_TAG, _Constructor.construct_yaml_bool)
_Constructor.add_constructor(_INT_TAG, _Constructor.construct_yaml_int)
_Constructor.add_constructor(_FLOAT_TAG, _Constructor.construct_yaml_float)
_Constructor.add_constructor(_STR_TAG, SafeConstructor.construct_yaml_str)
_Constructor.add_constructor(_SEQ_TAG, SafeConstructor.construct_yaml_seq)
_Constructor.add_constructor(_MAP_TAG, SafeConstructor.construct_yaml_map)
_Constructor.add_constructor(None, SafeConstructor.construct_undefined)


# ---------------------------------------------------------------------------- loaders


class _PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                _Constructor, Yaml12Resolver):
    """The pure-Python stack, like ``yaml.SafeLoader`` but with our resolver and constructor."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        Yaml12Resolver.__init__(self)


try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _CLoader(_CParser, _Constructor, Yaml12Resolver):
        """libyaml parsing, like ``yaml.CSafeLoader`` but with our resolver and constructor."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            _Constructor.__init__(self)
            Yaml12Resolver.__init__(self)

    _LOADER: type = _CLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _LOADER = _PyLoader


# ---------------------------------------------------------------------------- helpers


class _Fatal(Exception):
    """Internal: stop loading; the problems are in the sink."""


class _Lines:
    """Offsets <-> 1-based (line, col), counting line breaks as libyaml does."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _BREAK_RE.finditer(self.text)]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return _Lines(text).line_col(offset)


def _mark_pos(mark) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def _show_tag(tag: str) -> str:
    if tag.startswith(_YAML_TAG):
        tag = "!!" + tag[len(_YAML_TAG):]
    return _shorten(tag, 80)


def _tag_offset(text: str, start: int) -> int:
    """Offset of the tag among the node properties (``&anchor !tag``) starting at ``start``."""
    n = len(text)
    i = start
    for _ in range(2):
        if i >= n:
            break
        if text[i] == "!":
            return i
        if text[i] != "&":
            break
        while i < n and text[i] not in " \t" + _BREAK_CHARS:
            i += 1
        while i < n:
            if text[i] in " \t" + _BREAK_CHARS:
                i += 1
            elif text[i] == "#":
                while i < n and text[i] not in _BREAK_CHARS:
                    i += 1
            else:
                break
    return start


def _yaml_error_message(err: yaml.MarkedYAMLError, text: str) -> str:
    message = err.problem or err.context or "invalid YAML"
    if err.problem and err.context:
        where = ""
        if err.context_mark is not None and _mark_pos(err.context_mark) != _mark_pos(err.problem_mark):
            line, col = _mark_pos(err.context_mark)
            where = f" at line {line}, column {col}"
        message = f"{err.problem} ({err.context}{where})"
    mark = err.problem_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        message += "; indent with spaces, not tabs"
    return message


def _add_yaml_error(sink: ProblemSink, path: str, err: yaml.YAMLError, lines: _Lines) -> None:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line, col = _mark_pos(mark)
        sink.add(path, line, col, _yaml_error_message(err, lines.text))
    elif isinstance(err, yaml.reader.ReaderError):
        line, col = lines.line_col(max(0, min(err.position, len(lines.text))))
        sink.add(path, line, col, f"{err.reason}")
    else:  # pragma: no cover - PyYAML raises only the two kinds above
        sink.add(path, 1, 1, str(err))


# ------------------------------------------------------------------- text and bytes


def _size_problem(sink: ProblemSink, path: str, size: int, max_bytes: int) -> None:
    sink.add(path, 1, 1, f"file is {size} bytes; the limit is {max_bytes} bytes")


def _decode(data: bytes, path: str, sink: ProblemSink) -> str:
    """UTF-8 bytes to text, without BOM. Refuses UTF-16/32 and invalid UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    else:
        for bom, name in (
            (b"\x00\x00\xfe\xff", "UTF-32"),
            (b"\xff\xfe\x00\x00", "UTF-32"),
            (b"\xfe\xff", "UTF-16"),
            (b"\xff\xfe", "UTF-16"),
        ):
            if data.startswith(bom):
                sink.add(path, 1, 1, f"file is {name} encoded; save it as UTF-8")
                raise _Fatal
        head = data[:4]
        if len(head) == 4 and head[0] == 0 and head[1] == 0 and head[2] == 0 and 0 < head[3] < 0x80:
            sink.add(path, 1, 1, "file looks UTF-32 encoded (no BOM); save it as UTF-8")
            raise _Fatal
        if len(head) == 4 and 0 < head[0] < 0x80 and head[1] == 0 and head[2] == 0 and head[3] == 0:
            sink.add(path, 1, 1, "file looks UTF-32 encoded (no BOM); save it as UTF-8")
            raise _Fatal
        if len(head) >= 2 and ((head[0] == 0 and 0 < head[1] < 0x80) or (0 < head[0] < 0x80 and head[1] == 0)):
            sink.add(path, 1, 1, "file looks UTF-16 encoded (no BOM); save it as UTF-8")
            raise _Fatal
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = data[: err.start].decode("utf-8")
        line, col = _line_col(good, len(good))
        sink.add(path, line, col, f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8")
        raise _Fatal from None


def _check_characters(text: str, path: str, sink: ProblemSink, lines: _Lines) -> None:
    match = _NOT_PRINTABLE_RE.search(text)
    if match is None:
        return
    char = match.group()
    code = ord(char)
    if code == 0:
        message = "NUL byte is not allowed (is this a binary file?)"
    elif 0xD800 <= code <= 0xDFFF:
        message = f"unpaired surrogate U+{code:04X} is not allowed"
    elif code in (0xFFFE, 0xFFFF):
        message = f"non-character U+{code:04X} is not allowed"
    else:
        message = f"control character U+{code:04X} is not allowed"
    line, col = lines.line_col(match.start())
    sink.add(path, line, col, message)
    raise _Fatal


# ------------------------------------------------------------------------- the passes


@dataclass
class _ScanResult:
    first_alias_mark: object = None
    expanded_nodes: int = 0


def _scan_events(text: str, path: str, sink: ProblemSink, lines: _Lines, loader_cls: type,
                 max_depth: int, max_nodes: int = MAX_NODES, *, retry_prefix: bool = True) -> _ScanResult:
    """One pass over the event stream: structure checks that need no node tree.

    Iterative, so that a 100,000-deep document cannot cause a RecursionError.
    Raises ``_Fatal`` for anything that must stop loading; collects disallowed
    tags (up to ``_MAX_PROBLEMS``) and keeps going so that they are all
    reported.

    It also keeps a running count of the nodes the document will have once
    aliases are expanded (an alias counts as the whole subtree of its anchor),
    so that an alias bomb is refused as soon as the count passes ``max_nodes``,
    before any node tree is built. :func:`_expanded_size` checks the same thing
    again on the composed tree.
    """
    result = _ScanResult()
    depth = 0
    documents = 0
    anchors: dict[str, object] = {}  # name -> mark of its definition
    anchor_sizes: dict[str, int] = {}  # name -> expanded size of the anchored node
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, expanded count at start) per open collection
    open_set: dict[str, int] = {}
    expanded = 0
    tag_problems = 0
    expect_root = False
    loader = loader_cls(text)
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if expect_root:
                expect_root = False
                if (
                    kind is ScalarEvent
                    and event.value == ""
                    and event.tag is None
                    and event.anchor is None
                    and event.style in (None, "")
                ):
                    sink.add(path, 1, 1, "file is empty")
                    raise _Fatal
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                expanded += 1
                if event.tag is not None and event.tag not in _ALLOWED_TAGS:
                    line, col = lines.line_col(_tag_offset(text, event.start_mark.index))
                    tag_problems += 1
                    if tag_problems > _MAX_PROBLEMS:
                        sink.add(path, line, col, f"too many problems; stopped after {_MAX_PROBLEMS}")
                        raise _Fatal
                    sink.add(path, line, col, f"tag '{_show_tag(event.tag)}' is not allowed")
                anchor = event.anchor
                if anchor is not None:
                    if anchor in anchors:
                        line, _col = _mark_pos(anchors[anchor])
                        sink.add(path, *_mark_pos(event.start_mark),
                                 f"anchor '&{_shorten(anchor)}' is defined twice (first at line {line})")
                        raise _Fatal
                    anchors[anchor] = event.start_mark
                    if kind is ScalarEvent:
                        anchor_sizes[anchor] = 1
                if kind is not ScalarEvent:
                    depth += 1
                    if depth > max_depth:
                        sink.add(path, *_mark_pos(event.start_mark), f"nesting deeper than {max_depth} levels")
                        raise _Fatal
                    open_nodes.append((anchor, expanded - 1))
                    if anchor is not None:
                        open_set[anchor] = open_set.get(anchor, 0) + 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                anchor, before = open_nodes.pop()
                if anchor is not None:
                    anchor_sizes[anchor] = expanded - before
                    open_set[anchor] -= 1
                    if not open_set[anchor]:
                        del open_set[anchor]
            elif kind is AliasEvent:
                anchor = event.anchor
                if anchor not in anchors:
                    sink.add(path, *_mark_pos(event.start_mark),
                             f"alias '*{_shorten(anchor)}' has no anchor '&{_shorten(anchor)}' before it")
                    raise _Fatal
                if anchor in open_set:
                    sink.add(path, *_mark_pos(event.start_mark),
                             f"alias '*{_shorten(anchor)}' is inside the node it refers to (recursive alias)")
                    raise _Fatal
                if result.first_alias_mark is None:
                    result.first_alias_mark = event.start_mark
                expanded += anchor_sizes[anchor]
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    sink.add(path, *_mark_pos(event.start_mark), "only one YAML document per file")
                    raise _Fatal
                expect_root = True
            elif kind is StreamEndEvent:
                break
            if expanded > max_nodes and result.first_alias_mark is not None:
                sink.add(path, *_mark_pos(result.first_alias_mark), _alias_bomb_message(max_nodes))
                raise _Fatal
    except yaml.YAMLError as err:
        if (
            retry_prefix
            and isinstance(err, yaml.MarkedYAMLError)
            and err.problem_mark is not None
            and "maximum nesting depth" in (err.problem or "")
        ):
            # libyaml refuses more than 1000 levels while it scans ahead, before
            # it hands out the events that would show which level is too deep.
            # The part of the text before the level it refused nests at most
            # that deep, so scan just that part: it stops at max_depth + 1, at
            # the same place as in the whole text.
            prefix = text[: err.problem_mark.index]
            trial = ProblemSink()
            try:
                _scan_events(prefix, path, trial, _Lines(prefix), loader_cls, max_depth, max_nodes,
                             retry_prefix=False)
            except _Fatal:
                pass
            too_deep = [p for p in trial.problems if p.message.startswith("nesting deeper than")]
            if too_deep:
                sink.problems.append(too_deep[0])
                raise _Fatal from None
        _add_yaml_error(sink, path, err, lines)
        raise _Fatal from None
    finally:
        loader.dispose()
    if documents == 0:
        sink.add(path, 1, 1, "file is empty")
        raise _Fatal
    if sink.problems:
        raise _Fatal
    result.expanded_nodes = expanded
    return result


def _alias_bomb_message(max_nodes: int) -> str:
    return f"aliases expand to more than {max_nodes} nodes (alias bomb?)"


def _expanded_size(root, limit: int) -> int:
    """Number of nodes once every alias is expanded, stopping early above ``limit``.

    Iterative post-order walk, memoised on node identity, so a billion-laughs
    document costs one visit per distinct node. Returns ``limit + 1`` as soon as
    the count is known to exceed the limit (and for a cycle, which the event
    scan already refuses).
    """
    sizes: dict[int, int | None] = {}
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        ident = id(node)
        if isinstance(node, ScalarNode):
            sizes[ident] = 1
            continue
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = node.value
        if not children_done:
            if ident in sizes:
                continue
            sizes[ident] = None  # in progress
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1
        for child in children:
            size = sizes.get(id(child))
            if size is None:  # an ancestor: a cycle
                return limit + 1
            total += size
            if total > limit:
                return limit + 1
        sizes[ident] = total
    return sizes[id(root)] or 0


# ---------------------------------------------------------------------------- YamlDoc


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML document: its data and the node tree it was built from."""

    path: str
    data: object
    _root: object = field(repr=False, compare=False)

    def position(self, loc: tuple, *, key: bool = False) -> tuple[int, int]:
        """1-based ``(line, col)`` of the node at ``loc``.

        ``loc`` is a path of mapping keys and list indexes, as in pydantic's
        error ``loc``. The walk goes as far as the path exists and returns the
        deepest node found: parts that match nothing (pydantic's union tags, a
        missing key) are skipped. An ``int`` part also matches a key written as
        that number or as that text. When a key appears twice, the last one
        (whose value is in the data) is used.

        With ``key=True``, point at the *key* of the mapping entry that holds the
        deepest node found (for "unknown key" errors). When that node is a list
        item or the root, there is no key and the node itself is used.
        """
        node = self._root
        key_node = None
        for part in loc:
            if isinstance(node, MappingNode):
                found = None
                for k_node, v_node in node.value:
                    if _key_matches(k_node, part):
                        found = (k_node, v_node)
                if found is not None:
                    key_node, node = found
            elif isinstance(node, SequenceNode):
                if isinstance(part, int) and not isinstance(part, bool) and -len(node.value) <= part < len(node.value):
                    node = node.value[part]
                    key_node = None
        target = key_node if key and key_node is not None else node
        return _mark_pos(target.start_mark)


def _key_matches(key_node, part) -> bool:
    if not isinstance(key_node, ScalarNode):
        return False
    raw = key_node.value
    if isinstance(part, str):
        return raw == part
    if isinstance(part, bool):
        return key_node.tag == _BOOL_TAG and raw.lower() == str(part).lower()
    if isinstance(part, int):
        if raw == str(part):
            return True
        if key_node.tag == _INT_TAG and _EXPLICIT_INT_RE.match(raw):
            try:
                if raw.startswith("0x"):
                    return int(raw[2:], 16) == part
                if raw.startswith("0o"):
                    return int(raw[2:], 8) == part
                return int(raw, 10) == part
            except ValueError:
                return False
    return False


# ------------------------------------------------------------------------ public API


def load_yaml_text(
    text: str | bytes,
    path: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> YamlDoc:
    """Load one YAML document from ``text`` (``str``, or ``bytes`` that must be UTF-8).

    ``path`` is only used in messages. Raises :class:`ScenarioError` for any
    problem with the input; see the module docstring for what is refused.
    """
    path = str(path)
    sink = ProblemSink()
    try:
        return _load(text, path, sink, max_bytes, max_depth, max_nodes)
    except _Fatal:
        pass
    sink.raise_if_any(f"{path}: invalid YAML")
    raise AssertionError("unreachable: a fatal problem was not recorded")  # pragma: no cover


def load_yaml_file(
    path,
    *,
    display_path: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> YamlDoc:
    """Load one YAML document from the file at ``path``.

    The size is checked with ``os.stat`` before anything is read, and at most
    ``max_bytes + 1`` bytes are ever read (for files that grow, or device files
    that report no size). ``display_path`` (default: ``path``) is the name used
    in messages.
    """
    shown = str(display_path if display_path is not None else os.fspath(path))
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise ScenarioError(f"{shown}: file too large",
                                _problem(shown, f"file is {size} bytes; the limit is {max_bytes} bytes"))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        reason = err.strerror or str(err)
        raise ScenarioError(f"{shown}: cannot read", _problem(shown, f"cannot read file: {reason}")) from None
    if len(data) > max_bytes:
        raise ScenarioError(f"{shown}: file too large",
                            _problem(shown, f"file is more than {max_bytes} bytes; the limit is {max_bytes} bytes"))
    return load_yaml_text(data, shown, max_bytes=max_bytes, max_depth=max_depth, max_nodes=max_nodes)


def _problem(path: str, message: str):
    sink = ProblemSink()
    sink.add(path, 1, 1, message)
    return sink.problems


def _load(text, path: str, sink: ProblemSink, max_bytes: int, max_depth: int, max_nodes: int) -> YamlDoc:
    # 1. size, before anything else
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        if len(data) > max_bytes:
            _size_problem(sink, path, len(data), max_bytes)
            raise _Fatal
        text = _decode(data, path, sink)
    elif isinstance(text, str):
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            _size_problem(sink, path, size, max_bytes)
            raise _Fatal
        if text.startswith(_BOM):
            text = text[1:]
    else:
        raise TypeError(f"load_yaml_text() needs str or bytes, not {type(text).__name__}")

    # 2. characters YAML does not allow (libyaml reports them without a line)
    lines = _Lines(text)
    _check_characters(text, path, sink, lines)

    # 3. structure on the event stream: syntax, documents, depth, tags, aliases
    scan = _scan_events(text, path, sink, lines, _LOADER, max_depth, max_nodes)

    # 4. one parse into a node tree (depth is capped, so recursion is bounded)
    loader = _LOADER(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as err:  # pragma: no cover - the scan sees these first
            _add_yaml_error(sink, path, err, lines)
            raise _Fatal from None

        # 5. alias expansion, on the tree (the scan counted the same on events)
        if scan.first_alias_mark is not None and _expanded_size(root, max_nodes) > max_nodes:
            sink.add(path, *_mark_pos(scan.first_alias_mark), _alias_bomb_message(max_nodes))
            raise _Fatal

        # 6. data, built from the same node tree
        try:
            data = loader.construct_document(root)
        except ConstructorError as err:
            _add_yaml_error(sink, path, err, lines)
            data = None
        for mark, message in loader.problems:
            sink.add(path, *_mark_pos(mark), message)
        if sink.problems:
            raise _Fatal
    finally:
        loader.dispose()
    return YamlDoc(path=path, data=data, _root=root)
