"""How messages travel: channels with delays, capacity and availability.

A mixin of :class:`simulator.engine.Exercise`: a message follows the direct
channel, or reroutes around a cut one, or waits until a channel is restored;
simulated recipients handle messages one at a time up to their capacity, and a
queue that forms is journalled (domain.md §10.2).
"""

from __future__ import annotations

import simpy

from .model import Delay, Inject
from .network import INTERNAL, channel_delay


class Transport:
    """Message delivery for the exercise (uses its env, rng, plan and journal)."""

    def _usable(self, channel: str) -> bool:
        return self._channel_status.get(channel, "up") != "cut"

    def _set_channel(self, channel: str, status: str, cause: str) -> None:
        old = self._channel_status.get(channel, "up")
        if old == status:
            return
        self._channel_status[channel] = status
        self._record("channel.changed", {"channel": channel, "from": old, "to": status, "cause": cause})
        if status != "cut":
            waiting = self._channel_up.pop("any", None)
            if waiting is not None:
                waiting.succeed()

    def _deliver(self, msg: str, inj: Inject, recipient: str):
        net = self.plan.network
        sender = inj.from_
        direct = inj.channel or next(iter(net.direct_channels(sender, recipient)), None)
        route = net.route(sender, recipient, usable=self._usable, preferred=inj.channel)
        while route is None:
            self._record("message.waiting", {"msg": msg, "inject": inj.id, "from": sender, "to": recipient,
                                             "reason": "no usable channel: every route is cut"})
            event = self._channel_up.get("any")
            if event is None:
                event = self._channel_up["any"] = self.env.event()
            yield event
            route = net.route(sender, recipient, usable=self._usable, preferred=inj.channel)
        hops = [list(h) for h in route.hops]
        if direct is not None and (len(route.hops) > 1 or route.hops[0][0] != direct):
            self._record("message.rerouted", {"msg": msg, "inject": inj.id, "blocked": direct, "route": hops})
        self._record("message.sent", {"msg": msg, "inject": inj.id, "from": sender, "to": recipient,
                                      "route": hops, "tlp": inj.tlp})
        for ch, _a, _b in route.hops:
            delay: Delay = channel_delay(net, ch)
            factor = 3.0 if self._channel_status.get(ch) == "degraded" else 1.0
            minutes = self.rng.minutes(f"channel:{ch}", delay, factor)
            if minutes:
                yield self.env.timeout(minutes)
        actor = net.actors[recipient]
        simulated = recipient not in self.plan.team_of_actor  # people handle their own inbox
        if simulated and actor.handling is not None and actor.handling.max > 0 and ch != INTERNAL:
            res = self._actor_res.get(recipient)
            if res is None:
                res = self._actor_res[recipient] = simpy.Resource(self.env, capacity=actor.capacity)
            if res.count >= res.capacity:
                self._record("message.queued", {"msg": msg, "inject": inj.id, "actor": recipient,
                                                "queue": len(res.queue) + 1, "capacity": actor.capacity})
            with res.request() as req:
                yield req
                minutes = self.rng.minutes(f"handling:{recipient}", actor.handling)
                if minutes:
                    yield self.env.timeout(minutes)
        self._delivered.add(inj.id)
        teams = self.plan.teams_for(recipient)
        self._record("inject.delivered", {
            "msg": msg, "inject": inj.id, "actor": recipient, "teams": teams,
            "from": sender, "title": inj.title, "body": inj.body, "tlp": inj.tlp,
        })
        for follower in self.plan.followers.get(inj.id, ()):
            dp = self.plan.points.get(follower)
            if dp is not None and dp.team in teams and follower not in self._chained:
                self._chained.add(follower)
                self._process(self._after(dp.after.delay, follower))
        self._check_when()
