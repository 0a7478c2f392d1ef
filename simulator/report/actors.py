"""Who is who in a journal: each actor's Blueprint level and Member State.

Reports need to know whether information reached the technical, operational
or political level. The journal names actors by id only, so their level comes
from the scenario's resolved network when the scenario is at hand, otherwise
from the bundled EU default network, and for actors a scenario added (a
hospital, a bank) from the shape of the id (``HOSP-IE-1`` is an entity in IE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.scenario.model import EU_MEMBER_STATES, Network

LEVELS = ("technical", "operational", "political")
"""The three Blueprint levels a report follows, bottom up."""

_MS_IN_ID = re.compile(r"(?:^|[-_.])(" + "|".join(EU_MEMBER_STATES) + r")(?:$|[-_.])")
_PREFIX_LEVEL = (
    ("CSIRT", "technical"), ("CERT", "technical"), ("SOC", "technical"), ("EUROPOL", "technical"),
    ("CCMA", "operational"), ("CA-", "operational"), ("SPOC", "operational"), ("CYCLONE", "operational"),
    ("ENISA", "operational"),
    ("GOV", "political"), ("MIN", "political"), ("PRESIDENCY", "political"), ("COUNCIL", "political"),
    ("IPCR", "political"), ("HR-", "political"), ("PSC", "political"), ("COREPER", "political"),
    ("EXCON", "control"), ("MEDIA", "environment"),
)


@dataclass(frozen=True)
class ActorInfo:
    """What a report needs to know about one actor."""

    id: str
    name: str
    level: str
    ms: str | None
    source: str
    """'scenario', 'eu-default' or 'id' (guessed from the id's shape)."""


@lru_cache(maxsize=1)
def _default_actors() -> dict[str, ActorInfo]:
    from simulator.scenario.network import resolve

    net = resolve(Network())
    return {a.id: ActorInfo(a.id, a.name, a.level, a.ms, "eu-default") for a in net.actors.values()}


class ActorDirectory:
    """Level and Member State of every actor a journal mentions."""

    def __init__(self, plan=None):
        self._known: dict[str, ActorInfo] = {}
        if plan is not None:
            for a in plan.network.actors.values():
                self._known[a.id] = ActorInfo(a.id, a.name, a.level, a.ms, "scenario")

    def get(self, actor: str) -> ActorInfo:
        info = self._known.get(actor) or _default_actors().get(actor)
        if info is None:
            info = _guess(actor)
            self._known[actor] = info
        return info

    def level(self, actor: str) -> str:
        return self.get(actor).level

    def ms(self, actor: str) -> str | None:
        return self.get(actor).ms


def _guess(actor: str) -> ActorInfo:
    upper = actor.upper()
    m = _MS_IN_ID.search(upper)
    ms = m.group(1) if m else None
    for prefix, level in _PREFIX_LEVEL:
        if upper.startswith(prefix):
            return ActorInfo(actor, actor, level, ms, "id")
    return ActorInfo(actor, actor, "entity", ms, "id")
