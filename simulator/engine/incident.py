"""The living incident: a scenario's incident model played as simpy processes.

Part of :class:`simulator.engine.exercise.Exercise`. Exposed entities are hit
by a seeded hazard (spread: each tick, 1 - exp(-hazard)), then detect,
contain and recover after seeded durations scaled by national capacity and
by assistance that has arrived;
hit entities set the MS/sector impact colours and so ECCS; disinformation
grows logistically and public trust follows it; the adversary reacts to the
response. Catalogue decisions change all of this through their declared
``consequences`` (:class:`~simulator.scenario.incident_model.Consequence`),
read when a ``decision.effective`` record appears, so the decision desk needs
no change: the cause of every state change is the decision that made it.

Every draw comes from a named stream of its own (``incident:spread:<entity>``,
``incident:life:<entity>``, ...), so the same seed gives the same course for
every entity the response does not touch: runs compare like for like.

Neither the spread nor the public sphere is an engine event every tick. The
spread (:mod:`simulator.engine.spread`) wakes only at a tick that hits, and
whatever changes the hazard (a hit, a recovery, protection, the tempo, new
exposure, patches) makes it look again (``spread.changed()``). The public
sphere works its hours out ahead (:mod:`simulator.engine.public`).

A scenario without an incident model gets the built-in public sphere only:
once disinformation appears (an inject raises ``disinfo_reach``) it grows on
its own unless communication is coordinated. A scenario with neither plays as
before, record for record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.engine.assistance import Assistance
from simulator.engine.public import NAMES, PublicSphereRun
from simulator.engine.spread import ACTIVE, Spread
from simulator.journal.journal import Record
from simulator.scenario.model import Consequence, Effects, Exposure, IncidentModel, Inject

COLOURS = ("white", "green", "yellow", "red")
PUBLIC_NAMES = frozenset(NAMES)


@dataclass(eq=False)
class Entity:
    """One exposed entity and where it stands (each one is itself: compared by identity)."""

    id: str
    ms: str
    sector: str
    essential: bool
    criticality: float
    phase: str = "exposed"  # exposed, patched, compromised, detected, contained, recovered
    hit_at: int | None = None
    phase_loss: float = 0.0
    isolation_loss: float = 0.0
    loss: float = 0.0
    version: int = 0
    due: int | None = None
    rank: int = 0
    """Its place among the entities: hits on one tick happen in this order."""
    hit_by: float | None = None
    """The cumulative hazard of its MS at which it is hit (see :class:`simulator.engine.spread.Front`)."""

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE


class IncidentRun:
    """The incident model of one exercise, or the built-in public sphere when there is none."""

    def __init__(self, ex: Any):
        """``ex``: the :class:`~simulator.engine.exercise.Exercise` this incident belongs to."""
        self.ex = ex
        self.core = ex.core
        self.model: IncidentModel | None = ex.scenario.incident_model
        self.entities: dict[str, Entity] = {}
        self.protection: dict[str, dict[str, float]] = {}
        """MS -> {source: spread factor}; '*' applies everywhere."""
        self.tempo = 1.0
        self._cell_colour: dict[str, str] = {}
        self._exceeded: set[str] = set()
        self._reacted: set[str] = set()
        self._pending_reserve: list[list[str]] = []
        self._shares = 0
        self._share_factor: dict[str, tuple[str, float]] = {}
        self.exposed: dict[str, list[Entity]] = {}
        """MS -> its entities still exposed, in entity order (what the spread can hit)."""
        self._active_ms: dict[str, int] = {}
        self._active_cell: dict[tuple[str, str], int] = {}
        self._active_sector: dict[str, int] = {}
        self._active_essential: dict[str, int] = {}
        """Active (hit, not recovered) entities by MS, by MS and sector, by sector, and essential ones by MS:
        kept as phases change (:meth:`_move`), read on every phase change instead of counting all entities."""
        self.spread = Spread(self)
        self.public = PublicSphereRun(self, self.model.public if self.model else None)
        self.assistance = Assistance(self, self.model.responders if self.model else [])
        ex.journal.subscribe(self._on_record)
        if self.model is not None:
            self._start_model(self.model)
        self.public.noticed()  # an initial disinformation reach starts the public sphere at once

    @property
    def _m(self) -> IncidentModel:
        """The model, for code that runs only when there is one."""
        assert self.model is not None
        return self.model

    # ------------------------------------------------------------ reading
    def capacity(self, ms: str) -> int:
        cap = self.model.capacity if self.model else None
        base = (cap.per_ms.get(ms, cap.default) if cap else 3)
        return base + self.assistance.added(ms)

    def load(self, ms: str) -> int:
        """Active entities in ``ms``: the work its responders have in hand."""
        return self._active_ms.get(ms, 0)

    def ms_rank(self, ms: str) -> tuple[int, int]:
        """How badly a MS is hit, for assistance priority: worst colour, then active essential entities."""
        colour = self.ex.state.ms_colours().get(ms, "white")
        return COLOURS.index(colour), self._active_essential.get(ms, 0)

    def _move(self, e: Entity, phase: str) -> None:
        """Put ``e`` in ``phase``, keeping the tallies of active and exposed entities."""
        was = e.phase
        e.phase = phase
        if was == "exposed" and phase != "exposed":
            self.exposed[e.ms].remove(e)
        step = (phase in ACTIVE) - (was in ACTIVE)
        if step:
            cell = (e.ms, e.sector)
            self._active_ms[e.ms] = self._active_ms.get(e.ms, 0) + step
            self._active_cell[cell] = self._active_cell.get(cell, 0) + step
            self._active_sector[e.sector] = self._active_sector.get(e.sector, 0) + step
            if e.essential:
                self._active_essential[e.ms] = self._active_essential.get(e.ms, 0) + step

    # ------------------------------------------------------------ building
    def _start_model(self, m: IncidentModel) -> None:
        for group in m.exposure:
            self._expose(group)
        self.tempo = m.adversary.tempo
        self.core.record("incident.started", {
            "model": m.id, "threat": m.threat, "adversary": m.adversary.name, "tempo": self.tempo,
            "exposed": self._exposed_counts(), "entities": len(self.entities),
        })
        for seed in sorted(m.seeds, key=lambda s: s.at):
            self.core.later(max(0, seed.at - self.core.now), self._seed, seed)
        self.spread.start()
        for r in m.adversary.reactions:
            if r.on == "not_taken":
                self.core.later(max(0, r.by - self.core.now), self._not_taken, r)

    def _expose(self, group: Exposure) -> list[Entity]:
        new = []
        names = list(group.named)
        existing = sum(1 for e in self.entities.values() if e.ms == group.ms and e.sector == group.sector)
        for i in range(group.entities):
            ident = names[i] if i < len(names) else f"{group.ms}-{group.sector}-{existing + i + 1:03d}"
            if ident in self.entities:
                continue
            e = Entity(ident, group.ms, group.sector, group.essential, group.criticality, rank=len(self.entities))
            self.entities[ident] = e
            self.exposed.setdefault(e.ms, []).append(e)
            new.append(e)
        return new

    def _exposed_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entities.values():
            key = f"{e.ms}/{e.sector}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    # ------------------------------------------------------------ spread
    def factor(self, ms: str) -> float:
        """How much protection (indicators received, an advisory) slows the spread in ``ms``."""
        f = 1.0
        for table in (self.protection.get("*", {}), self.protection.get(ms, {})):
            for v in table.values():
                f *= v
        return f

    def reseeded(self) -> None:
        """The streams were reseeded (a forecast's future): redraw what was drawn ahead of now.

        The spread's exposed entities draw again what they withstand; the public
        sphere drops the noise it had drawn for hours to come.
        """
        self.public.reseeded()
        self.spread.reseeded()

    def _seed(self, seed) -> None:
        picked = [e for e in self.entities.values() if e.ms == seed.ms and e.sector == seed.sector and e.phase == "exposed"]
        for e in picked[: seed.count]:
            self.compromise(e, "seed")

    # ------------------------------------------------------------ an entity's course
    def _draw(self, e: Entity, delay, factor: float = 1.0) -> int:
        skill = self.model.capacity.skill.get(e.ms, 1.0) if self.model else 1.0
        return max(1, self.core.rng.minutes(f"incident:life:{e.id}", delay, factor * skill))

    def _then(self, e: Entity, minutes: int, fn) -> None:
        e.version += 1
        version = e.version
        e.due = self.core.now + minutes
        self.core.later(minutes, self._phase_due, e, version, fn)

    def _phase_due(self, e: Entity, version: int, fn) -> None:
        """An entity's next phase, unless something moved it since (a newer ``_then``) or the exercise ended."""
        if not self.ex.ended and e.version == version:
            fn(e)

    def _set_loss(self, e: Entity) -> None:
        e.loss = round(max(e.phase_loss, e.isolation_loss), 4)

    def compromise(self, e: Entity, cause: str) -> None:
        life = self._m.lifecycle
        self._move(e, "compromised")
        e.hit_at = self.core.now
        e.phase_loss = life.loss_while_compromised * e.criticality
        self._set_loss(e)
        self.core.record("incident.compromised", {"entity": e.id, "ms": e.ms, "sector": e.sector, "loss": e.loss,
                                                  "cause": cause, "tempo": round(self.tempo, 3)})
        self._then(e, self._draw(e, life.detection), self._detect)
        self._changed(e, f"{e.id} hit ({cause})")
        self.spread.changed()

    def _detect(self, e: Entity) -> None:
        self._move(e, "detected")
        self.core.record("incident.detected", {"entity": e.id, "ms": e.ms, "loss": e.loss})
        self._aware(e)
        self._then(e, self._draw(e, self._m.lifecycle.containment), lambda x: self.contain(x, "entity response"))

    def _aware(self, e: Entity) -> None:
        """A named entity that detects its compromise is aware of a significant incident: its clocks start
        (NIS2 Art. 23 counts from awareness; a financial entity classifies a major one under DORA instead)."""
        actor = self.ex.plan.network.actors.get(e.id)
        if actor is None or actor.kind not in ("entity", "union_entity"):
            return
        if actor.financial and e.id not in self.ex.state.major:
            self.ex.apply_effects(Effects(major=[e.id]), cause=f"incident: {e.id} detected")
        elif not actor.financial and e.id not in self.ex.state.significant:
            self.ex.apply_effects(Effects(significant=[e.id]), cause=f"incident: {e.id} detected")

    def contain(self, e: Entity, cause: str) -> None:
        life = self._m.lifecycle
        self._move(e, "contained")
        e.phase_loss = life.loss_while_contained * e.criticality
        self._set_loss(e)
        self.core.record("incident.contained", {"entity": e.id, "ms": e.ms, "loss": e.loss, "cause": cause})
        self._then(e, self._recovery_minutes(e), self._recover)
        self._changed(e, f"{e.id} contained ({cause})")
        self._check_contained()

    def _recovery_minutes(self, e: Entity) -> int:
        load, cap = self.load(e.ms), self.capacity(e.ms)
        factor = (1 + self._m.capacity.overload * max(0, load - cap)) * self.assistance.factor(e.ms)
        for dep in self._m.dependencies:
            if dep.to == e.sector and self._sector_down(dep.from_, None if dep.cross_border else e.ms):
                factor *= dep.slowdown
        return self._draw(e, self._m.lifecycle.recovery, factor)

    def _recover(self, e: Entity) -> None:
        self._move(e, "recovered")
        e.phase_loss, e.due = 0.0, None
        self._set_loss(e)
        self.core.record("incident.recovered", {"entity": e.id, "ms": e.ms, "loss": e.loss,
                                                "hours": round((self.core.now - (e.hit_at or 0)) / 60, 1)})
        self._changed(e, f"{e.id} recovered")
        self.spread.changed()

    def speed_up(self, ms: str, share: float, cause: str) -> int:
        """Help arrived: hit entities in ``ms`` still recovering save ``share`` of the time left."""
        n = 0
        for e in self.entities.values():
            if e.ms == ms and e.phase == "contained" and e.due is not None and e.due > self.core.now:
                left = e.due - self.core.now
                self._then(e, max(1, round(left * (1 - share))), self._recover)
                n += 1
        return n

    def _sector_down(self, sector: str, ms: str | None) -> bool:
        """Some entity of ``sector`` is active (in ``ms``, or anywhere when None)."""
        return (self._active_sector.get(sector, 0) if ms is None else self._active_cell.get((ms, sector), 0)) > 0

    # ------------------------------------------------------------ what the state shows
    def _changed(self, e: Entity, why: str) -> None:
        m = self._m
        cells = {(e.ms, e.sector)}
        for dep in m.dependencies:
            if dep.from_ == e.sector:
                cells |= {(x.ms, dep.to) for x in self.entities.values()
                          if x.sector == dep.to and (dep.cross_border or x.ms == e.ms)}
        if m.drives_impact:
            impact = {}
            for ms, sector in sorted(cells):
                colour = self._colour(ms, sector)
                key = f"{ms}/{sector}"
                if self._cell_colour.get(key, "white") != colour:
                    self._cell_colour[key] = colour
                    impact[key] = colour
            if impact:
                self.ex.apply_effects(Effects(impact=impact), cause=f"incident: {why}")
        self._capacity(e.ms, why)

    def _colour(self, ms: str, sector: str) -> str:
        n = self._active_cell.get((ms, sector), 0)
        green, yellow, red = self._m.colours
        level = 3 if n >= red else 2 if n >= yellow else 1 if n >= green else 0
        for dep in self._m.dependencies:
            if dep.to == sector and self._sector_down(dep.from_, None if dep.cross_border else ms):
                level = min(3, level + 1) if level else 1
        return COLOURS[level]

    def _capacity(self, ms: str, why: str) -> None:
        if not self._m.drives_impact:
            return  # the injects tell the impact and the capacity; load still slows recovery
        over = self.load(ms) > self.capacity(ms)
        if over and ms not in self._exceeded:
            self._exceeded.add(ms)
            self.ex.apply_effects(Effects(capacity_exceeded=[ms]), cause=f"incident: {why}")
        elif not over and ms in self._exceeded:
            self._exceeded.discard(ms)
            self.ex.apply_effects(Effects(capacity_restored=[ms]), cause=f"incident: {why}")

    def capacity_changed(self, ms: str, why: str) -> None:
        if self.model is not None:
            self._capacity(ms, why)

    # ------------------------------------------------------------ decisions' consequences
    def _on_record(self, rec: Record) -> None:
        """Decisions and deliveries the incident reacts to; acted on as one engine event at the same time."""
        kind = rec.kind
        if kind == "decision.effective":
            d = self.ex.plan.catalogue.get(rec["decision"])
            if d is not None and self._acts_on(d):
                self.core.later(0, self._effective, d, rec)
        elif kind == "inject.delivered" and str(rec["inject"]).startswith("ioc:"):
            self.core.later(0, self._indicators_arrived, rec)
        elif kind == "reserve.answered" and rec.get("approved") and self._pending_reserve:
            self.core.later(0, self._reserve_approved)
        elif kind == "state.changed" and rec["cause"] != "public sphere" and not PUBLIC_NAMES.isdisjoint(rec["changes"]):
            self.public.noticed()  # an inject, a decision or the adversary moved reach, trust or cohesion

    def _acts_on(self, d) -> bool:
        """Whether a decision changes anything here (else no engine event is spent on it).

        Without an incident model only the public-sphere kinds act, so a
        scenario with neither a model nor such a decision plays as before.
        """
        if self.model is None:
            return any(c.kind in ("communication", "contradiction") for c in d.consequences)
        return bool(d.consequences) or any(r.on == "taken" and r.decision == d.id for r in self._m.adversary.reactions)

    def _effective(self, d, rec: Record) -> None:
        if self.ex.ended:
            return
        team, params = rec["team"], rec.get("params") or {}
        for c in d.consequences:
            self._consequence(d.id, c, team, params)
        if self.model is not None:
            for r in self._m.adversary.reactions:
                if r.on == "taken" and r.decision == d.id:
                    self._react_after(r, cause=d.id)

    def _consequence(self, decision: str, c: Consequence, team: str, params: dict) -> None:
        if c.kind in ("communication", "contradiction"):
            self.public.consequence(decision, c)
            return
        if self.model is None:
            return  # the other kinds act on exposed entities and their recovery: nothing to act on
        if c.kind == "assistance":
            ms_list = self._requesting_ms(team, params)
            if c.responder == "reserve":
                self._pending_reserve.append(ms_list)  # the Commission answers first (reserve.answered)
            else:
                for ms in ms_list:
                    self.assistance.request(str(c.responder), ms, cause=decision)
            return
        if c.kind == "indicators":
            self._share(decision, c, team, params)
        elif c.kind == "isolation":
            self._isolate(decision, c, team, params)
        elif c.kind == "advisory":
            self._advisory(decision, c)
        elif c.kind in ("tempo", "decryptor"):
            lag = self.core.rng.minutes(f"incident:lag:{decision}", c.lag)
            self.core.later(lag, self._tempo, decision, c)

    def _team_actors(self, team: str) -> list:
        actors = self.ex.plan.network.actors
        t = self.ex.plan.teams.get(team)
        return [actors[a] for a in (t.plays if t else []) if a in actors]

    def _requesting_ms(self, team: str, params: dict) -> list[str]:
        ms = params.get("ms")
        if ms:
            return [str(ms)]
        own = sorted({a.ms for a in self._team_actors(team) if a.ms})
        if own:
            return own
        if self._exceeded:
            return sorted(self._exceeded)
        colours = self.ex.state.ms_colours()
        worst = sorted(colours, key=lambda m: (-COLOURS.index(colours[m]), m))
        return worst[:1]

    def _protect(self, ms: str, source: str, factor: float, cause: str) -> None:
        table = self.protection.setdefault(ms, {})
        if table.get(source) == factor:
            return
        table[source] = factor
        self.core.record("incident.protected", {"ms": ms, "source": source, "factor": factor,
                                                "spread_factor": round(self.factor(ms if ms != "*" else ""), 4), "cause": cause})
        self.spread.changed()

    def _share(self, decision: str, c: Consequence, team: str, params: dict) -> None:
        tlp = str(params.get("tlp") or "TLP:AMBER").upper()
        tlp = tlp if tlp.startswith("TLP:") else "TLP:" + tlp
        senders = [a for a in self._team_actors(team) if a.kind in ("csirt", "cert_eu", "csirts_network")]
        sender = senders[0].id if senders else ("CSIRTS-NET" if "CSIRTS-NET" in self.ex.plan.network.actors else None)
        own = senders[0].ms if senders else None
        if own:
            self._protect(own, decision, c.factor, f"{decision}: own indicators")
        targets = sorted({e.ms for e in self.entities.values()} - {own})
        if tlp == "TLP:RED" or sender is None:
            self.core.record("incident.share", {"decision": decision, "tlp": tlp, "to": [],
                                                "reason": "TLP:RED is for named recipients only: no other CSIRT may act on it"
                                                if tlp == "TLP:RED" else "no CSIRT to send from"})
            return
        actors = self.ex.plan.network.actors
        sent = []
        for ms in targets:
            csirt = f"CSIRT-{ms}"
            if csirt not in actors:
                continue
            self._shares += 1
            note = Inject.model_construct(
                id=f"ioc:{decision}:{self._shares}", title="Indicators of compromise shared in the CSIRTs Network",
                from_=sender, to=[csirt], channel=None, tlp=tlp,  # type: ignore[arg-type]  # a TLP label, checked above
                body=f"Indicators and detection rules ({decision}); block and hunt for them now.",
                template=None, effects=Effects(), expects=[], objectives=[], held=False,
            )
            self._share_factor[note.id] = (decision, c.factor)
            self.ex.transport.send(note, csirt)
            sent.append(csirt)
        self.core.record("incident.share", {"decision": decision, "tlp": tlp, "to": sent, "reason": "sent to the exposed MS' CSIRTs"})

    def _indicators_arrived(self, rec: Record) -> None:
        if self.model is None or self.ex.ended:
            return
        decision, factor = self._share_factor.get(rec["inject"], ("D04", 0.3))
        actor = self.ex.plan.network.actors.get(rec["actor"])
        if actor is not None and actor.ms:
            self._protect(actor.ms, decision, factor, f"{decision}: indicators received by {actor.id}")

    def _isolate(self, decision: str, c: Consequence, team: str, params: dict) -> None:
        actors = self._team_actors(team)
        ms_list = [str(params["ms"])] if params.get("ms") else sorted({a.ms for a in actors if a.ms})
        sectors = {a.sector for a in actors if a.kind in ("entity", "union_entity") and a.sector}
        if not ms_list:
            ms_list = self._requesting_ms(team, params)
        for ms in ms_list:
            self._protect(ms, decision, c.factor, f"{decision}: networks isolated")
            scope = [e for e in self.entities.values() if e.ms == ms and (not sectors or e.sector in sectors)]
            for e in scope:
                if e.phase in ("compromised", "detected"):
                    self.contain(e, decision)
            if c.cost and c.duration:
                for e in scope:
                    if e.phase in ("exposed", "patched"):
                        e.isolation_loss = round(c.cost * e.criticality, 4)
                        self._set_loss(e)
                        self.core.record("incident.service", {"entity": e.id, "ms": e.ms, "loss": e.loss, "cause": decision})
                self.core.later(c.duration, self._end_isolation, scope, decision)

    def _end_isolation(self, scope: list[Entity], decision: str) -> None:
        for e in scope:
            if e.isolation_loss:
                e.isolation_loss = 0.0
                self._set_loss(e)
                self.core.record("incident.service", {"entity": e.id, "ms": e.ms, "loss": e.loss,
                                                      "cause": f"{decision}: isolation lifted"})

    def _advisory(self, decision: str, c: Consequence) -> None:
        patched = []
        for e in self.entities.values():
            if e.phase == "exposed" and self.core.rng(f"incident:patch:{e.id}").random() < c.share:
                self._move(e, "patched")
                patched.append(e.id)
        self.core.record("incident.patched", {"decision": decision, "count": len(patched), "entities": patched})
        if patched:
            self.spread.changed()
        if c.factor != 1.0:
            self._protect("*", decision, c.factor, f"{decision}: advisory published")

    def _tempo(self, decision: str, c: Consequence) -> None:
        if self.ex.ended:
            return
        old = self.tempo
        if c.kind == "decryptor":
            for e in self.entities.values():
                if e.phase == "contained" and e.due is not None and e.due > self.core.now:
                    self._then(e, max(1, round((e.due - self.core.now) * c.factor)), self._recover)
            self.tempo = round(self.tempo * 1.2, 4)
        else:
            self.tempo = round(self.tempo * c.factor, 4)
        self.core.record("incident.tempo", {"from": old, "to": self.tempo, "cause": decision, "why": c.rationale})
        self.spread.changed()

    def _reserve_approved(self) -> None:
        if self._pending_reserve and not self.ex.ended:
            for ms in self._pending_reserve.pop(0):
                self.assistance.request("reserve", ms, cause="D09")

    # ------------------------------------------------------------ the adversary
    def _not_taken(self, r) -> None:
        if not self.ex.desk.taken(r.decision):
            self._react_after(r, cause=f"{r.decision} not taken by its time")

    def _check_contained(self) -> None:
        hit = [e for e in self.entities.values() if e.hit_at is not None]
        if not hit:
            return
        done = sum(1 for e in hit if e.phase in ("contained", "recovered"))
        for r in self._m.adversary.reactions:
            if r.on == "contained" and r.id not in self._reacted and done / len(hit) >= r.share:
                self._react_after(r, cause=f"{done} of {len(hit)} hit entities contained")

    def _react_after(self, r, cause: str) -> None:
        if r.id in self._reacted:
            return
        self._reacted.add(r.id)
        lag = self.core.rng.minutes(f"incident:reaction:{r.id}", r.lag)
        self.core.later(lag, lambda: self._react(r, cause))

    def _react(self, r, cause: str) -> None:
        if self.ex.ended:
            return
        old = self.tempo
        if r.tempo is not None:
            self.tempo = round(self.tempo * r.tempo, 4)
        new: list[str] = []
        for group in r.expose:
            new += [e.id for e in self._expose(group)]
        self.core.record("adversary.reacted", {"reaction": r.id, "cause": cause, "description": r.description,
                                               "tempo": [old, self.tempo], "exposed": new})
        self.spread.changed()  # a faster adversary, new targets: a sleeping spread starts again
        effects: dict[str, Any] = {}
        if r.disinfo:
            effects["disinfo_reach"] = r.disinfo
        if r.trust:
            effects["public_trust"] = r.trust
        merged = r.effects.model_copy(update=effects) if effects else r.effects
        if not merged.is_empty():
            self.ex.apply_effects(merged, cause=f"adversary:{r.id}")

