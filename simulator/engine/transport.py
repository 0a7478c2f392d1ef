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
from simulator.scenario.model import Inject
from simulator.scenario.network import INTERNAL, Route, channel_delay

Job = tuple[str, Inject, str]
"""(message id, inject, recipient)"""


DeliveryHook = Callable[[Inject, list[str]], None]
"""Called when a message is handed to its recipient: (inject, teams that play the recipient)."""


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
        self._desks: dict[str, list] = {}  # actor -> [messages in hand, deque of waiting ones]

    def queues(self) -> dict[str, int]:
        """Messages waiting per overloaded actor."""
        return {a: len(d[1]) for a, d in sorted(self._desks.items()) if d[1]}

    def send(self, inj: Inject, recipient: str) -> None:
        """Put one copy of ``inj`` on its way to ``recipient`` under the next message id."""
        self._send(self.core.next_message_id(), inj, recipient)

    def usable(self, channel: str) -> bool:
        return self.channel_status.get(channel, "up") != "cut"

    def set_channel(self, channel: str, status: str, cause: str) -> None:
        old = self.channel_status.get(channel, "up")
        if old == status:
            return
        self.channel_status[channel] = status
        self.core.record("channel.changed", {"channel": channel, "from": old, "to": status, "cause": cause})
        if status != "cut":
            waiting = self._channel_up.pop("any", None)
            if waiting is not None:
                waiting.succeed()

    def _send(self, msg: str, inj: Inject, recipient: str) -> None:
        """Put a message on its way now, or wait for a route if every one is cut."""
        route = self.plan.network.route(inj.from_, recipient, usable=self.usable, preferred=inj.channel)
        if route is None:
            self.core.start(self._wait_for_route(msg, inj, recipient))
        else:
            self._dispatch(msg, inj, recipient, route)

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
        self._dispatch(msg, inj, recipient, route)

    def _dispatch(self, msg: str, inj: Inject, recipient: str, route: Route) -> None:
        net = self.plan.network
        hops = [list(h) for h in route.hops]
        if len(hops) > 1 or inj.channel is not None or self.channel_status:  # else it took the first direct channel
            direct = inj.channel or next(iter(net.direct_channels(inj.from_, recipient)), None)
            if direct is not None and (len(hops) > 1 or hops[0][0] != direct):
                self.core.record("message.rerouted", {"msg": msg, "inject": inj.id, "blocked": direct, "route": hops})
        self.core.record("message.sent", {"msg": msg, "inject": inj.id, "from": inj.from_, "to": recipient,
                                      "route": hops, "tlp": inj.tlp})
        minutes = 0
        status = self.channel_status
        for ch, _a, _b in route.hops:
            factor = 3.0 if status and status.get(ch) == "degraded" else 1.0
            minutes += self.core.rng.minutes("channel:" + ch, channel_delay(net, ch), factor)
        internal = route.hops[-1][0] == INTERNAL
        if minutes:
            self.core.later(minutes, lambda: self._arrive((msg, inj, recipient), internal))
        else:
            self._arrive((msg, inj, recipient), internal)

    def _arrive(self, job: Job, internal: bool) -> None:
        """At the recipient: people read at once; a simulated actor handles it or queues it."""
        recipient = job[2]
        actor = self.plan.network.actors[recipient]
        handled = (recipient not in self.plan.team_of_actor and actor.handling is not None
                   and actor.handling.max > 0 and not internal)
        if not handled:
            self._hand_over(job)
            return
        desk = self._desks.get(recipient)
        if desk is None:
            desk = self._desks[recipient] = [0, deque()]
        if desk[0] >= actor.capacity:
            desk[1].append(job)
            self.core.record("message.queued", {"msg": job[0], "inject": job[1].id, "actor": recipient,
                                            "queue": len(desk[1]), "capacity": actor.capacity})
        else:
            desk[0] += 1
            self._handle(job)

    def _handle(self, job: Job) -> None:
        actor = self.plan.network.actors[job[2]]
        assert actor.handling is not None  # only actors with a handling delay are handled (see _arrive)
        minutes = self.core.rng.minutes(f"handling:{job[2]}", actor.handling)
        if minutes:
            self.core.later(minutes, lambda: self._handled(job))
        else:
            self._handled(job)

    def _handled(self, job: Job) -> None:
        self._hand_over(job)
        desk = self._desks[job[2]]
        if desk[1]:
            self._handle(desk[1].popleft())
        else:
            desk[0] -= 1

    def _hand_over(self, job: Job) -> None:
        msg, inj, recipient = job
        self.delivered.add(inj.id)
        teams = self.plan.teams_for(recipient)
        self.core.record("inject.delivered", {
            "msg": msg, "inject": inj.id, "actor": recipient, "teams": teams,
            "from": inj.from_, "title": inj.title, "body": inj.body, "tlp": inj.tlp,
        })
        self.on_delivered(inj, teams)
