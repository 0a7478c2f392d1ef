"""The input limits of :mod:`simulator.scenario.yamlio`: checks that run before, and beside, the YAML parse.

A hostile or broken file must be refused cheaply, at a precise place, before
it can cost memory or time. This module holds those checks and the position
helpers they share, apart from the schema (:mod:`simulator.scenario.yaml_schema`) and
from the load steps that call them (:mod:`simulator.scenario.yamlio`):

* the default limits (:data:`MAX_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_NODES`);
* bytes to text: UTF-8 only, a BOM stripped, UTF-16/32 and invalid UTF-8
  refused at the first bad byte (:func:`decode`), and characters YAML does not
  allow refused at their place (:func:`check_characters`);
* one iterative pass over the parser's event stream (:func:`scan_events`):
  syntax errors, empty input, more than one document, nesting deeper than the
  limit, tags outside the safe set, undefined, recursive or twice-defined
  anchors, and a running count of the nodes aliases expand to (billion laughs);
* the same alias-expansion count on the composed node tree
  (:func:`expanded_size`);
* turning parser errors and marks into 1-based ``(line, col)`` problems
  (:class:`Lines`, :func:`mark_pos`, :func:`add_yaml_error`).

Every check adds to a :class:`~simulator.errors.ProblemSink` and raises
:class:`Fatal` when loading must stop; :mod:`simulator.scenario.yamlio` turns the sink
into a :class:`~simulator.errors.ScenarioError`. Nothing here recurses on the
document's structure, so a 100,000-deep input cannot cause a RecursionError.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

import yaml
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
from yaml.nodes import MappingNode, ScalarNode

from simulator.errors import ProblemSink
from simulator.scenario.yaml_schema import ALLOWED_TAGS, MAX_PROBLEMS, YAML_TAG, shorten

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Fatal",
    "Lines",
    "ScanResult",
    "add_yaml_error",
    "alias_bomb_message",
    "check_characters",
    "decode",
    "expanded_size",
    "mark_pos",
    "scan_events",
    "size_problem",
]

MAX_BYTES = 2_000_000
"""Default limit on the size of a YAML file, in bytes."""
MAX_DEPTH = 64
"""Default limit on nesting (mappings and sequences together)."""
MAX_NODES = 200_000
"""Default limit on the number of nodes once aliases are expanded."""

# Line breaks as libyaml (and PyYAML's reader) count them, so that positions we
# compute ourselves agree with the parser's marks.
_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAK_CHARS = "\r\n\x85\u2028\u2029"
# Characters YAML does not allow in a stream (the complement of c-printable).
_NOT_PRINTABLE_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# ---------------------------------------------------------------------------- helpers


class Fatal(Exception):
    """Stop loading; the problems are in the sink (caught by :mod:`simulator.scenario.yamlio`)."""


class Lines:
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
    return Lines(text).line_col(offset)


def mark_pos(mark) -> tuple[int, int]:
    """1-based ``(line, col)`` of a PyYAML mark; ``(1, 1)`` when there is none."""
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def _show_tag(tag: str) -> str:
    if tag.startswith(YAML_TAG):
        tag = "!!" + tag[len(YAML_TAG):]
    return shorten(tag, 80)


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
        if err.context_mark is not None and mark_pos(err.context_mark) != mark_pos(err.problem_mark):
            line, col = mark_pos(err.context_mark)
            where = f" at line {line}, column {col}"
        message = f"{err.problem} ({err.context}{where})"
    mark = err.problem_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        message += "; indent with spaces, not tabs"
    return message


def add_yaml_error(sink: ProblemSink, path: str, err: yaml.YAMLError, lines: Lines) -> None:
    """Record a PyYAML or libyaml error as one problem at its position."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line, col = mark_pos(mark)
        sink.add(path, line, col, _yaml_error_message(err, lines.text))
    elif isinstance(err, yaml.reader.ReaderError):
        line, col = lines.line_col(max(0, min(err.position, len(lines.text))))
        sink.add(path, line, col, f"{err.reason}")
    else:  # pragma: no cover - PyYAML raises only the two kinds above
        sink.add(path, 1, 1, str(err))



# ------------------------------------------------------------------- text and bytes


def size_problem(sink: ProblemSink, path: str, size: int, max_bytes: int) -> None:
    """Record that the input is ``size`` bytes, over ``max_bytes``."""
    sink.add(path, 1, 1, f"file is {size} bytes; the limit is {max_bytes} bytes")


def decode(data: bytes, path: str, sink: ProblemSink) -> str:
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
                raise Fatal
        head = data[:4]
        if len(head) == 4 and head[0] == 0 and head[1] == 0 and head[2] == 0 and 0 < head[3] < 0x80:
            sink.add(path, 1, 1, "file looks UTF-32 encoded (no BOM); save it as UTF-8")
            raise Fatal
        if len(head) == 4 and 0 < head[0] < 0x80 and head[1] == 0 and head[2] == 0 and head[3] == 0:
            sink.add(path, 1, 1, "file looks UTF-32 encoded (no BOM); save it as UTF-8")
            raise Fatal
        if len(head) >= 2 and ((head[0] == 0 and 0 < head[1] < 0x80) or (0 < head[0] < 0x80 and head[1] == 0)):
            sink.add(path, 1, 1, "file looks UTF-16 encoded (no BOM); save it as UTF-8")
            raise Fatal
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = data[: err.start].decode("utf-8")
        line, col = _line_col(good, len(good))
        sink.add(path, line, col, f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8")
        raise Fatal from None


def check_characters(text: str, path: str, sink: ProblemSink, lines: Lines) -> None:
    """Refuse the first character YAML does not allow, at its place (libyaml gives no line)."""
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
    raise Fatal



# ------------------------------------------------------------------------- the passes


@dataclass
class ScanResult:
    """What :func:`scan_events` learnt that the later steps need."""

    first_alias_mark: object = None
    expanded_nodes: int = 0


def scan_events(text: str, path: str, sink: ProblemSink, lines: Lines, loader_cls: type,
                max_depth: int, max_nodes: int = MAX_NODES, *, retry_prefix: bool = True,
                on_event=None) -> ScanResult:
    """One pass over the event stream: structure checks that need no node tree.

    Iterative, so that a 100,000-deep document cannot cause a RecursionError.
    Raises ``Fatal`` for anything that must stop loading; collects disallowed
    tags (up to ``MAX_PROBLEMS``) and keeps going so that they are all
    reported.

    It also keeps a running count of the nodes the document will have once
    aliases are expanded (an alias counts as the whole subtree of its anchor),
    so that an alias bomb is refused as soon as the count passes ``max_nodes``,
    before any node tree is built. :func:`expanded_size` checks the same thing
    again on the composed tree.

    ``on_event``, if given, is called with every event, in order (the loader
    builds the data from them, see :class:`~simulator.scenario.yaml_schema.EventBuilder`).
    """
    result = ScanResult()
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
            if on_event is not None:
                on_event(event)
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
                    raise Fatal
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                expanded += 1
                if event.tag is not None and event.tag not in ALLOWED_TAGS:
                    line, col = lines.line_col(_tag_offset(text, event.start_mark.index))
                    tag_problems += 1
                    if tag_problems > MAX_PROBLEMS:
                        sink.add(path, line, col, f"too many problems; stopped after {MAX_PROBLEMS}")
                        raise Fatal
                    sink.add(path, line, col, f"tag '{_show_tag(event.tag)}' is not allowed")
                anchor = event.anchor
                if anchor is not None:
                    if anchor in anchors:
                        line, _col = mark_pos(anchors[anchor])
                        sink.add(path, *mark_pos(event.start_mark),
                                 f"anchor '&{shorten(anchor)}' is defined twice (first at line {line})")
                        raise Fatal
                    anchors[anchor] = event.start_mark
                    if kind is ScalarEvent:
                        anchor_sizes[anchor] = 1
                if kind is not ScalarEvent:
                    depth += 1
                    if depth > max_depth:
                        sink.add(path, *mark_pos(event.start_mark), f"nesting deeper than {max_depth} levels")
                        raise Fatal
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
                    sink.add(path, *mark_pos(event.start_mark),
                             f"alias '*{shorten(anchor)}' has no anchor '&{shorten(anchor)}' before it")
                    raise Fatal
                if anchor in open_set:
                    sink.add(path, *mark_pos(event.start_mark),
                             f"alias '*{shorten(anchor)}' is inside the node it refers to (recursive alias)")
                    raise Fatal
                if result.first_alias_mark is None:
                    result.first_alias_mark = event.start_mark
                expanded += anchor_sizes[anchor]
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    sink.add(path, *mark_pos(event.start_mark), "only one YAML document per file")
                    raise Fatal
                expect_root = True
            elif kind is StreamEndEvent:
                break
            if expanded > max_nodes and result.first_alias_mark is not None:
                sink.add(path, *mark_pos(result.first_alias_mark), alias_bomb_message(max_nodes))
                raise Fatal
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
                scan_events(prefix, path, trial, Lines(prefix), loader_cls, max_depth, max_nodes,
                            retry_prefix=False)
            except Fatal:
                pass
            too_deep = [p for p in trial.problems if p.message.startswith("nesting deeper than")]
            if too_deep:
                sink.problems.append(too_deep[0])
                raise Fatal from None
        add_yaml_error(sink, path, err, lines)
        raise Fatal from None
    finally:
        loader.dispose()
    if documents == 0:
        sink.add(path, 1, 1, "file is empty")
        raise Fatal
    if sink.problems:
        raise Fatal
    result.expanded_nodes = expanded
    return result


def alias_bomb_message(max_nodes: int) -> str:
    """The message for a document whose aliases expand past ``max_nodes``."""
    return f"aliases expand to more than {max_nodes} nodes (alias bomb?)"


def expanded_size(root, limit: int) -> int:
    """Number of nodes once every alias is expanded, stopping early above ``limit``.

    Iterative post-order walk, memoised on node identity, so a billion-laughs
    document costs one visit per distinct node. Returns ``limit + 1`` as soon as
    the count is known to exceed the limit (and for a cycle, which the event
    scan already refuses).
    """
    sizes: dict[int, int | None] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
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
