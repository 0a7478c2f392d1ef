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
            digest = hashlib.sha256(f"{self.seed}/{name}".encode()).digest()
            stream = self._streams[name] = random.Random(int.from_bytes(digest[:8], "big"))
        return stream

    def minutes(self, name: str, delay: Delay, factor: float = 1.0) -> int:
        """A triangular draw from ``delay`` (hours), as whole minutes."""
        if delay.max == 0:
            return 0
        if delay.min == delay.max:
            return round(delay.min * 60 * factor)
        hours = self(name).triangular(delay.min, delay.max, delay.mode)
        return round(hours * 60 * factor)
