"""How messages travel: channels with delays, capacity and availability.

A part of :class:`simulator.engine.exercise.Exercise`: a message follows the direct
channel, or reroutes around a cut one, or waits until a channel is restored;
simulated recipients handle messages a few at a time, up to their capacity,
and a queue that forms is journalled (domain.md §10.2).

Messages are timeouts with callbacks, not simpy processes: a replay moves
hundreds of thousands of them, and a process costs several extra events each.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import simpy

from simulator.engine.core import Core
from simulator.engine.rng import Draw
from simulator.scenario.model import Inject
from simulator.scenario.network import INTERNAL, Route, channel_delay

Job = tuple[str, Inject, str]
"""(message id, inject, recipient)"""


DeliveryHook = Callable[[Inject, list[str]], None]
"""Called when a message is handed to its recipient: (inject, teams that play the recipient)."""


class _Path:
    """How a message goes from one sender to one recipient: its hops, what it avoids, the delays to draw.

    With every channel up a path is worked out once per sender, recipient and
    preferred channel: a replay sends the same few hundred pairs tens of
    thousands of times, and the route, its JSON form and the delays to draw
    are the same each time until a channel changes.
    """

    __slots__ = ("blocked", "draws", "hops", "internal")

    def __init__(self, hops: list[list[str]], blocked: str | None, draws: tuple[Draw, ...], internal: bool):
        self.hops = hops
        """The route as journalled: shared by every record of this path (records are never changed)."""
        self.blocked = blocked
        """The direct channel the route avoids (a ``message.rerouted`` record), or None."""
        self.draws = draws
        """The delay of each hop that can take time, in order (a zero delay draws nothing)."""
        self.internal = internal


class _Desk:
    """A simulated actor that handles messages a few at a time: its delay, capacity, and work in hand."""

    __slots__ = ("busy", "capacity", "delay", "waiting")

    def __init__(self, delay: Draw, capacity: int):
        self.delay = delay
        self.capacity = capacity
        self.busy = 0
        self.waiting: deque[Job] = deque()


class Transport:
    """Message delivery for one exercise: channels' status, messages on their way, simulated desks."""

    def __init__(self, core: Core, on_delivered: DeliveryHook):
        self.core = core
        self.plan = core.plan
        self.on_delivered = on_delivered
        self.channel_status: dict[str, str] = {}
        """Channels not ``up``, by id (``degraded`` or ``cut``)."""
        self.delivered: set[str] = set()
        """Injects delivered to at least one recipient."""
        self._channel_up: dict[str, simpy.Event] = {}
        self._desks: dict[str, _Desk | None] = {}
        """Actor -> its desk (None: people, or an actor with no handling delay, read at once)."""
        self._paths: dict[tuple[str, str, str | None], _Path | None] = {}
        """(sender, recipient, preferred channel) -> the path while every channel is up (None: no route)."""

    def queues(self) -> dict[str, int]:
        """Messages waiting per overloaded actor."""
        return {a: len(d.waiting) for a, d in sorted(self._desks.items()) if d is not None and d.waiting}

    def send(self, inj: Inject, recipient: str) -> None:
        """Put one copy of ``inj`` on its way to ``recipient`` under the next message id.

        It follows the direct channel, or reroutes around what is cut, or waits
        for a route if every one is cut; a degraded channel takes three times as long.
        """
        msg = self.core.next_message_id()
        if not self.channel_status:  # every channel up: the path worked out for this pair before
            key = (inj.from_, recipient, inj.channel)
            path = self._paths.get(key, _UNKNOWN)
            if path is _UNKNOWN:
                route = self.plan.network.route(inj.from_, recipient, preferred=inj.channel)
                path = self._paths[key] = None if route is None else self._path(inj, recipient, route)
            if path is not None:
                self._go(msg, inj, recipient, path)
                return
        route = self.plan.network.route(inj.from_, recipient, usable=self.usable, preferred=inj.channel)
        if route is None:
            self.core.start(self._wait_for_route(msg, inj, recipient))
        else:
            self._go(msg, inj, recipient, self._path(inj, recipient, route))

    def usable(self, channel: str) -> bool:
        return self.channel_status.get(channel, "up") != "cut"

    def set_channel(self, channel: str, status: str, cause: str) -> None:
        old = self.channel_status.get(channel, "up")
        if old == status:
            return
        if status == "up":
            del self.channel_status[channel]  # only channels that are not up are listed
        else:
            self.channel_status[channel] = status
        self.core.record("channel.changed", {"channel": channel, "from": old, "to": status, "cause": cause})
        if status != "cut":
            waiting = self._channel_up.pop("any", None)
            if waiting is not None:
                waiting.succeed()

    def _path(self, inj: Inject, recipient: str, route: Route) -> _Path:
        """The path along ``route`` with the channels as they are now."""
        net, status = self.plan.network, self.channel_status
        hops = [list(h) for h in route.hops]
        blocked = None
        if len(hops) > 1 or inj.channel is not None or status:  # else it took the first direct channel
            direct = inj.channel or next(iter(net.direct_channels(inj.from_, recipient)), None)
            if direct is not None and (len(hops) > 1 or hops[0][0] != direct):
                blocked = direct
        draws = []
        for ch, _a, _b in route.hops:
            delay = channel_delay(net, ch)
            if delay.max != 0:
                draws.append(self.core.rng.draw("channel:" + ch, delay, 3.0 if status.get(ch) == "degraded" else 1.0))
        return _Path(hops, blocked, tuple(draws), route.hops[-1][0] == INTERNAL)

    def _go(self, msg: str, inj: Inject, recipient: str, path: _Path) -> None:
        record = self.core.record
        if path.blocked is not None:
            record("message.rerouted", {"msg": msg, "inject": inj.id, "blocked": path.blocked, "route": path.hops})
        record("message.sent", {"msg": msg, "inject": inj.id, "from": inj.from_, "to": recipient,
                                "route": path.hops, "tlp": inj.tlp})
        minutes = 0
        for draw in path.draws:
            minutes += draw.minutes()
        if minutes:
            self.core.later(minutes, self._arrive, (msg, inj, recipient), path.internal)
        else:
            self._arrive((msg, inj, recipient), path.internal)

    def _wait_for_route(self, msg: str, inj: Inject, recipient: str):
        net = self.plan.network
        route = None
        while route is None:
            self.core.record("message.waiting", {"msg": msg, "inject": inj.id, "from": inj.from_, "to": recipient,
                                             "reason": "no usable channel: every route is cut"})
            event = self._channel_up.get("any")
            if event is None:
                event = self._channel_up["any"] = self.core.env.event()
            yield event
            route = net.route(inj.from_, recipient, usable=self.usable, preferred=inj.channel)
        self._go(msg, inj, recipient, self._path(inj, recipient, route))

    def _desk(self, actor: str) -> _Desk | None:
        """``actor``'s desk, made on its first message; None for people and actors with no handling delay."""
        spec = self.plan.network.actors[actor]
        handling = spec.handling
        desk = None
        if actor not in self.plan.team_of_actor and handling is not None and handling.max > 0:
            desk = _Desk(self.core.rng.draw(f"handling:{actor}", handling), spec.capacity)
        self._desks[actor] = desk
        return desk

    def _arrive(self, job: Job, internal: bool) -> None:
        """At the recipient: people read at once; a simulated actor handles it or queues it."""
        recipient = job[2]
        desk = self._desks[recipient] if recipient in self._desks else self._desk(recipient)
        if desk is None or internal:
            self._hand_over(job)
            return
        if desk.busy >= desk.capacity:
            desk.waiting.append(job)
            self.core.record("message.queued", {"msg": job[0], "inject": job[1].id, "actor": recipient,
                                                "queue": len(desk.waiting), "capacity": desk.capacity})
        else:
            desk.busy += 1
            self._handle(job, desk)

    def _handle(self, job: Job, desk: _Desk) -> None:
        minutes = desk.delay.minutes()
        if minutes:
            self.core.later(minutes, self._handled, job, desk)
        else:
            self._handled(job, desk)

    def _handled(self, job: Job, desk: _Desk) -> None:
        self._hand_over(job)
        if desk.waiting:
            self._handle(desk.waiting.popleft(), desk)
        else:
            desk.busy -= 1

    def _hand_over(self, job: Job) -> None:
        msg, inj, recipient = job
        self.delivered.add(inj.id)
        teams = self.plan.teams_for(recipient)
        self.core.record("inject.delivered", {
            "msg": msg, "inject": inj.id, "actor": recipient, "teams": teams,
            "from": inj.from_, "title": inj.title, "body": inj.body, "tlp": inj.tlp,
        })
        self.on_delivered(inj, teams)


_UNKNOWN = _Path.__new__(_Path)
"""A path not worked out yet (None is a path that does not exist)."""
