"""Seeded randomness with independent named streams.

Each consumer (a channel, an actor, a vote) draws from its own stream derived
from the exercise seed and the stream's name, so adding an actor or a channel
never changes the draws another one sees. Nothing here touches the global
``random`` module.
"""

from __future__ import annotations

import hashlib
import random

from simulator.scenario.model import Delay


class Streams:
    """A family of ``random.Random`` generators keyed by name."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(self._start(name))
        return stream

    def _start(self, name: str) -> int:
        digest = hashlib.sha256(f"{self.seed}/{name}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def reseed(self, seed: int) -> None:
        """Every stream, made or still to be made, from ``seed`` from now on: a forecast's fresh future.

        The streams are reseeded in place, so whoever holds one (a channel's
        :class:`Draw`, the public sphere's noise) draws the new sequence too.
        """
        self.seed = int(seed)
        for name, stream in self._streams.items():
            stream.seed(self._start(name))

    def minutes(self, name: str, delay: Delay, factor: float = 1.0) -> int:
        """A triangular draw from ``delay`` (hours), as whole minutes."""
        if delay.max == 0:
            return 0
        if delay.min == delay.max:
            return round(delay.min * 60 * factor)
        hours = self(name).triangular(delay.min, delay.max, delay.mode)
        return round(hours * 60 * factor)

    def draw(self, name: str, delay: Delay, factor: float = 1.0) -> Draw:
        """:meth:`minutes` for one stream, delay and factor, resolved once (a channel's or a desk's, drawn per message)."""
        return Draw(self, name, delay, factor)


class Draw:
    """``Streams.minutes(name, delay, factor)`` with the stream and the delay's bounds looked up once.

    The same draws from the same stream, as the same whole minutes: a
    replay draws tens of thousands of channel and handling delays, and the
    lookups were most of the cost of each.
    """

    __slots__ = ("_factor", "_max", "_min", "_mode", "_triangular")

    def __init__(self, streams: Streams, name: str, delay: Delay, factor: float = 1.0):
        self._min, self._mode, self._max = delay.min, delay.mode, delay.max
        self._factor = factor
        """How much longer than the delay: 3 on a degraded channel."""
        drawn = delay.max != 0 and delay.min != delay.max
        self._triangular = streams(name).triangular if drawn else None

    def minutes(self) -> int:
        """The next draw, as whole minutes."""
        triangular = self._triangular
        if triangular is None:
            return 0 if self._max == 0 else round(self._min * 60 * self._factor)
        return round(triangular(self._min, self._max, self._mode) * 60 * self._factor)
