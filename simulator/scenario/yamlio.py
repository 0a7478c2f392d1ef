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

Scalars follow the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules:
``yes``/``no``/``on``/``off``, ``017``, ``1:30`` and ``2024-05-01`` stay
strings, and ``1e3`` is a float. :mod:`simulator.scenario.yaml_schema` lists every rule
and holds the :class:`Yaml12Resolver` table (re-exported here) that applies
them. With an explicit tag the value is checked and converted: ``!!int "017"``
is 17, and ``!!int abc`` is an error.

Aliases build shared objects in the data (like PyYAML does); the alias-size
limit counts each alias as the full subtree it stands for, and only applies
when the document uses at least one alias.

Layout: this module is the public API and the order of the load steps.
:mod:`simulator.scenario.yaml_limits` holds the size, encoding, character and
event-stream checks and the alias-expansion count;
:mod:`simulator.scenario.yaml_schema` holds the resolver, the safe constructor and the
loader classes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from simulator.errors import ProblemSink, ScenarioError
from simulator.files import open_regular
from simulator.gcpause import paused_gc
from simulator.scenario import yaml_schema
from simulator.scenario.yaml_limits import MAX_BYTES, MAX_DEPTH, MAX_NODES
from simulator.scenario.yaml_limits import Fatal as _Fatal
from simulator.scenario.yaml_limits import Lines as _Lines
from simulator.scenario.yaml_limits import add_yaml_error as _add_yaml_error
from simulator.scenario.yaml_limits import alias_bomb_message as _alias_bomb_message
from simulator.scenario.yaml_limits import check_characters as _check_characters
from simulator.scenario.yaml_limits import decode as _decode
from simulator.scenario.yaml_limits import expanded_size as _expanded_size
from simulator.scenario.yaml_limits import mark_pos as _mark_pos
from simulator.scenario.yaml_limits import scan_events as _scan_events
from simulator.scenario.yaml_limits import size_problem as _size_problem
from simulator.scenario.yaml_schema import BOOL_TAG as _BOOL_TAG
from simulator.scenario.yaml_schema import EXPLICIT_INT_RE as _EXPLICIT_INT_RE
from simulator.scenario.yaml_schema import INT_TAG as _INT_TAG
from simulator.scenario.yaml_schema import Yaml12Resolver

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "YamlDoc",
    "Yaml12Resolver",
    "load_yaml_file",
    "load_yaml_text",
    "paused_gc",
]

# The parser stack _load uses, read from this module at each load: the tests
# and bench/yaml_limits.py set _LOADER to _PyLoader or _CLoader (None without
# libyaml) to run both parsers.
_PyLoader = yaml_schema.PyLoader
_CLoader = yaml_schema.CLoader
_LOADER: type = yaml_schema.LOADER

_BOM = "\ufeff"


# ---------------------------------------------------------------------------- YamlDoc


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML document: its data, and the node tree it was built from when positions are asked for.

    The node tree (every scalar with two marks) is several times the size of
    the data: for a large scenario it was most of the memory of a validation.
    Positions are only needed to report a problem, so the tree is dropped once
    the data is built and composed again from the text, once, the first time
    :meth:`position` is called. The same text always composes to the same tree.
    """

    path: str
    data: object
    _root: object = field(repr=False, compare=False)
    _text: str | None = field(default=None, repr=False, compare=False)

    def _tree(self):
        root = self._root
        if root is None and self._text is not None:
            loader = _LOADER(self._text)
            try:
                with paused_gc():
                    root = loader.get_single_node()
            finally:
                loader.dispose()
            object.__setattr__(self, "_root", root)
        return root

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
        node: Any = self._tree()
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

    Only a regular file is read: a named pipe, device or socket is refused
    before anything is read (:func:`simulator.files.open_regular`). The size is
    checked with ``fstat`` before reading, and at most ``max_bytes + 1`` bytes
    are ever read (for files that grow). ``display_path`` (default: ``path``) is the name used
    in messages.
    """
    shown = str(display_path if display_path is not None else os.fspath(path))
    try:
        fd = open_regular(path)  # a FIFO or device in a library folder must not block or stream forever
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                raise ScenarioError(f"{shown}: file too large",
                                    _problem(shown, f"file is {size} bytes; the limit is {max_bytes} bytes"))
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
        raw = bytes(text)
        if len(raw) > max_bytes:
            _size_problem(sink, path, len(raw), max_bytes)
            raise _Fatal
        text = _decode(raw, path, sink)
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
    builder = yaml_schema.EventBuilder(yaml_schema.PyLoader(""))
    with paused_gc():
        scan = _scan_events(text, path, sink, lines, _LOADER, max_depth, max_nodes, on_event=builder.feed)
        # 4. the data, built from the events during the scan; or, for anything the builder leaves to the
        #    node path (aliases, problems), one parse into a node tree (depth is capped: bounded recursion)
        if builder.ok and scan.first_alias_mark is None:
            return YamlDoc(path=path, data=builder.data, _root=None, _text=text)
        return _build(text, path, sink, scan, max_nodes, lines)


def _build(text: str, path: str, sink: ProblemSink, scan, max_nodes: int, lines) -> YamlDoc:
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
    return YamlDoc(path=path, data=data, _root=None, _text=text)  # the tree is composed again if a position is needed
