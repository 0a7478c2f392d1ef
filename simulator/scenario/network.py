"""The response network a scenario plays on: actors and the channels between them.

The bundled EU default (``data/network.yaml``) is expanded for the 27 Member
States, then the scenario's own actors and channels are laid over it (same id
replaces, ``remove`` drops). The result is immutable and shared by every
exercise built from the scenario.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from simulator.scenario.model import EU_MEMBER_STATES, Actor, Channel, Delay, Network

INTERNAL = "internal"
"""Pseudo-channel for a message an actor sends to itself (e.g. SOC to crisis team)."""


@dataclass(frozen=True)
class Route:
    """How a message gets from one actor to another: the channels, hop by hop."""

    hops: tuple[tuple[str, str, str], ...]  # (channel id, from actor, to actor)


@dataclass(frozen=True)
class ResolvedNetwork:
    """Actors and channels after defaults and scenario overrides are merged."""

    actors: dict[str, Actor]
    channels: dict[str, Channel]
    broadcast: dict[str, str]
    """sender actor id -> broadcast channel id (reaches every actor)."""
    _adjacency: dict[str, dict[str, list[str]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_adjacency", _adjacency(self.channels.values()))

    def links(self, sender: str) -> dict[str, list[str]]:
        """recipient -> channel ids that go from sender to it directly, sorted."""
        return self._adjacency.get(sender, {})

    def direct_channels(self, sender: str, recipient: str) -> list[str]:
        if sender == recipient:
            return [INTERNAL]
        if sender in self.broadcast:
            return [self.broadcast[sender]]
        return self.links(sender).get(recipient, [])

    def route(self, sender: str, recipient: str, usable: Callable[[str], bool] = lambda ch: True, preferred: str | None = None) -> Route | None:
        """The shortest usable route (fewest hops, then channel ids in order)."""
        if sender == recipient:
            return Route(((INTERNAL, sender, recipient),))
        if preferred and usable(preferred) and self.channel_links(preferred, sender, recipient):
            return Route(((preferred, sender, recipient),))
        for ch in self.direct_channels(sender, recipient):
            if usable(ch):
                return Route(((ch, sender, recipient),))
        # breadth-first search over usable channels, deterministic order
        seen: dict[str, tuple[str, str] | None] = {sender: None}
        queue = deque([sender])
        while queue:
            node = queue.popleft()
            for nxt, chans in sorted(self.links(node).items()):
                via = next((c for c in chans if usable(c)), None)
                if via is None or nxt in seen:
                    continue
                seen[nxt] = (node, via)
                if nxt == recipient:
                    hops: list[tuple[str, str, str]] = []
                    cur = nxt
                    step = seen[cur]
                    while step is not None:
                        prev, c = step
                        hops.append((c, prev, cur))
                        cur = prev
                        step = seen[cur]
                    return Route(tuple(reversed(hops)))
                queue.append(nxt)
        return None

    def channel_links(self, channel_id: str, sender: str, recipient: str) -> bool:
        """Whether ``channel_id`` carries messages from ``sender`` to ``recipient`` directly."""
        if channel_id in self.broadcast.values():
            return self.broadcast.get(sender) == channel_id
        ch = self.channels.get(channel_id)
        if ch is None:
            return False
        if ch.from_ == sender and recipient in ch.to:
            return True
        return ch.bidirectional and recipient == ch.from_ and sender in ch.to


def _adjacency(channels) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for ch in channels:
        if ch.to == ["*"]:
            continue
        for r in ch.to:
            out.setdefault(ch.from_, {}).setdefault(r, []).append(ch.id)
            if ch.bidirectional:
                out.setdefault(r, {}).setdefault(ch.from_, []).append(ch.id)
    for sender in out.values():
        for chans in sender.values():
            chans.sort()
    return out


@lru_cache(maxsize=1)
def default_data() -> dict:
    """The bundled network file, parsed once per process (read-only use)."""
    text = resources.files("simulator.scenario").joinpath("data/network.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # bundled data: libyaml where present


def _fill(obj, **subs):
    if isinstance(obj, str):
        for k, v in subs.items():
            obj = obj.replace("{" + k + "}", v)
        return obj
    if isinstance(obj, list):
        return [_fill(x, **subs) for x in obj]
    if isinstance(obj, dict):
        return {k: _fill(v, **subs) for k, v in obj.items()}
    return obj


@lru_cache(maxsize=1)
def _default_parts() -> tuple[tuple[Actor, ...], tuple[Channel, ...], tuple[tuple[str, Channel], ...]]:
    data = default_data()
    actors = [Actor.model_validate(a) for a in data["actors"]]
    channels = [Channel.model_validate(c) for c in data["channels"]]
    for ms in EU_MEMBER_STATES:
        actors += [Actor.model_validate(_fill(a, ms=ms)) for a in data["per_member_state"]["actors"]]
        channels += [Channel.model_validate(_fill(c, ms=ms)) for c in data["per_member_state"]["channels"]]
    broadcast = tuple(
        (b["from"], Channel.model_construct(id=b["id"], from_=b["from"], to=["*"], delay=Delay.model_validate(b["delay"]), capacity=100000, bidirectional=False, description=b.get("description", ""))) for b in data["broadcast"]
    )
    return tuple(actors), tuple(channels), broadcast


def entity_channels(actor: Actor) -> list[Channel]:
    """The channels an entity gets to its Member State's bodies (or CERT-EU)."""
    data = default_data()
    out = []
    if actor.union_entity or actor.kind == "union_entity":
        out += [Channel.model_validate({**_fill(c, entity=actor.id), "from": actor.id}) for c in data["union_entity_channels"]]
    if actor.kind == "entity" and actor.ms:
        out += [
            Channel.model_validate({**_fill(c, entity=actor.id, ms=actor.ms), "from": actor.id})
            for c in data["entity_channels"]
        ]
    return out


def resolve(spec: Network) -> ResolvedNetwork:
    """Merge the scenario's network section over the chosen base."""
    actors: dict[str, Actor] = {}
    channels: dict[str, Channel] = {}
    broadcast: dict[str, str] = {}
    if spec.base == "eu-default":
        base_actors, base_channels, base_broadcast = _default_parts()
        actors = {a.id: a for a in base_actors}
        channels = {c.id: c for c in base_channels}
        for sender, ch in base_broadcast:
            broadcast[sender] = ch.id
            channels[ch.id] = ch
    removed = set(spec.remove)
    for a in spec.actors:
        actors[a.id] = a
    for a in spec.actors:
        for ch in entity_channels(a):
            if all(t in actors for t in ch.to):
                channels.setdefault(ch.id, ch)
    for c in spec.channels:
        channels[c.id] = c
    for rid in removed:
        actors.pop(rid, None)
        channels.pop(rid, None)
    broadcast = {s: c for s, c in broadcast.items() if s in actors and c in channels}
    # drop default channels that touch a removed actor
    channels = {
        cid: c for cid, c in channels.items()
        if cid in broadcast.values() or (c.from_ in actors and all(t in actors for t in c.to))
        or cid in {x.id for x in spec.channels}
    }
    return ResolvedNetwork(dict(sorted(actors.items())), dict(sorted(channels.items())), dict(sorted(broadcast.items())))


def channel_delay(net: ResolvedNetwork, channel_id: str) -> Delay:
    if channel_id == INTERNAL:
        return Delay(min=0, mode=0, max=0)
    return net.channels[channel_id].delay


def all_ids(net: ResolvedNetwork) -> Iterable[str]:
    return list(net.actors) + list(net.channels)
