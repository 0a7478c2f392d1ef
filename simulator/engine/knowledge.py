"""What each actor knows: situational pictures derived from the journal.

Knowledge is not truth. The world state (impact, spread, ECCS as computed) is
the evaluators' ground truth; an actor's *picture* holds only what reached it:
the facts carried by messages delivered to it (``inject.delivered``), by the
messages it sent itself, and by its team's own decisions and options. Each
fact keeps the time it was learned and its source. A team's picture is the
union over the actors it plays (the latest learned value of each fact wins).

Pictures are *derived* from the journal, never journalled: :class:`Knowledge`
folds records one by one, so the same code serves a live exercise (subscribed
to its journal) and a finished one (an ``events.jsonl`` or a session), and
existing journals stay byte-identical.

What a message carries is what its release changed: the ``state.changed``
record whose ``cause`` is the inject, at the inject's release time. Set-valued
facts are carried element by element (a report of a hospital in BE does not
tell its reader which Irish hospitals are hit). ECCS is never carried by an
impact report: it is an *assessment*, an act. It reaches an actor only by an
assessment product (a CyCLONe officers' call, a CyCLONe impact and severity
assessment, an ISAA report: :data:`ASSESSMENT_TEMPLATES`), or by its team's own
assessment decision (:data:`ASSESSMENT_DECISIONS`). The level it carries is
the ECCS as computed when the assessment was made, so a picture can hold a
level that is no longer true.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from simulator.engine.picture import (  # noqa: F401 (the values pictures are made of; readers import them from here)
    COLOUR_ORDER,
    INITIAL,
    SET_FACTS,
    Fact,
    Picture,
    Truth,
    _derived,
    carry_over,
)
from simulator.journal.journal import Record
from simulator.timefmt import format_time

ASSESSMENT_TEMPLATES: dict[str, str] = {
    "cyclone-call": "CyCLONe officers' call",
    "cyclone-assessment": "CyCLONe impact and severity assessment",
    "isaa-report": "ISAA report",
}
"""Inject templates that carry an ECCS assessment (domain.md §1.5: CyCLONe and ISAA products)."""

ASSESSMENT_DECISIONS: dict[str, str] = {
    "D08": "CyCLONe impact and severity assessment",
    "D30": "severity assessment",
}
"""Catalogue decisions that are an assessment by the deciding team, made on the team's own picture
(domain.md §3.1 Art. 16(3)(c), §7.6)."""

NOTIFIES: dict[str, tuple[str, ...]] = {
    "D06": ("CYCLONE",),
}
"""Decisions that are themselves a message: escalating to CyCLONe hands it the escalating team's picture
(NIS2 Art. 16(6) procedural arrangements; domain.md §1.5). CyCLONe's impact and severity assessment (D08) is
not one of them: it travels as a message on the CyCLONe-to-political channel, with that channel's delay
(the ``cyclone-assessment`` inject a storyline fires with it)."""

MECHANISM_OWNERS: dict[str, tuple[str, ...]] = {"cyclone": ("CYCLONE",), "ipcr": ("PRESIDENCY", "IPCR")}
"""The actors that run a mechanism know its mode as it changes, whoever's decision changed it."""
PUBLIC_FACTS = frozenset({"disinfo_reach", "public_trust"})
"""The public sphere: what the media and social networks show, every played actor sees as it changes."""
PUBLIC_VIA = "media monitoring (the public sphere)"
PUBLIC_DECISIONS = frozenset({"D14", "D15", "D16", "D17", "D18", "D19", "D20", "D21", "D23", "D24", "D29"})
"""Decisions that are public acts (statements, attributions, invocations, conclusions, listings): what they
change is known to every played actor when they take effect, not only to the team that took them."""

SHARED_PREFIXES = ("impact.", "capacity_exceeded.", "significant.", "outlook", "cross_border", "criminal_group",
                   "state_actor", "threat_severity", "exposure")
"""What a played actor's message carries of its team's picture besides the message's own news: the
situation as the sender holds it (a sitrep travels with every message people send; domain.md §1.5)."""

COMMON = "(common knowledge)"
"""A pseudo-actor: what every actor knows (the briefing, the public sphere, public acts). Played actors
hold it in their own pictures; the actors nobody plays read it beside theirs (:meth:`Knowledge.simulated`)."""
INITIAL_CAUSE = "initial"
"""The cause of the state changes of a scenario's ``initial`` block."""
BRIEFING = "exercise briefing (initial situation)"
REGIME_FACT = {"NIS2": "significant", "DORA": "major"}
"""The incident an entity is aware of when a clock of that regime starts for it."""

ASSESS_READS = ("impact.", "capacity_exceeded.", "significant.", "major.", "outlook", "cross_border", "threat_severity",
                "exposure", "internal_market", "public_safety")
"""What :func:`assess` reads of a picture (names and prefixes; ``cross_border`` covers ``cross_border_dependency``)."""

ASSESSED_PREFIXES = ("impact.", "capacity_exceeded.", "outlook", "cross_border", "threat_severity", "exposure")
"""Facts an assessment shares besides the ECCS level: the impact picture it rests on."""


SCALAR_EFFECTS = ("outlook", "cross_border", "threat_severity", "exposure", "internal_market", "public_safety",
                  "cross_border_dependency", "attribution", "confidence", "state_actor", "criminal_group",
                  "partner_attribution", "cyclone", "ipcr", "art222", "art427", "reserve_requested")


def effect_facts(effects: Any) -> list[tuple[str, Any]]:
    """The facts an inject states (its declared effects), whether or not they change the world.

    A second report of a cross-border link is news to its reader even when the
    world already had one; deltas (trust, cohesion, reach) are not statements.
    """
    out: list[tuple[str, Any]] = [(f"impact.{k}", c) for k, c in sorted(effects.impact.items())]
    for name in SCALAR_EFFECTS:
        value = getattr(effects, name)
        if value is not None:
            out.append((name, value))
    out += [(f"capacity_exceeded.{m}", True) for m in effects.capacity_exceeded]
    out += [(f"capacity_exceeded.{m}", False) for m in effects.capacity_restored]
    for name in ("significant", "major", "attributed_by"):
        out += [(f"{name}.{m}", True) for m in getattr(effects, name)]
    out += [(f"flag.{k}", v) for k, v in sorted(effects.flags.items())]
    return out


def _facts_of(changes: dict[str, list]) -> list[tuple[str, Any]]:
    """The facts a state change makes known, element by element for sets."""
    out: list[tuple[str, Any]] = []
    for name, (old, new) in sorted(changes.items()):
        if name in SET_FACTS:
            old_s, new_s = set(old or ()), set(new or ())
            out += [(f"{name}.{m}", True) for m in sorted(new_s - old_s)]
            out += [(f"{name}.{m}", False) for m in sorted(old_s - new_s)]
        elif name == "flags":
            for k, v in sorted((new or {}).items()):
                if (old or {}).get(k) != v:
                    out.append((f"flag.{k}", v))
        else:
            out.append((name, new))
    return out


@dataclass
class _Learners:
    """Who learns what a cause (an inject release, a decision, an option) changes at time ``t``."""

    t: int
    actors: list[tuple[str, int, str]]
    """(actor, time learned, via)."""
    source: str
    assessment: str | None = None
    """The assessor actor when the cause is an assessment."""


class Knowledge:
    """Pictures of every actor, folded from journal records in order.

    ``feed`` each record (or subscribe ``feed`` to a live journal); then
    :meth:`actor` / :meth:`team` / :meth:`truth` give the pictures now. Feeding
    stops being cheap only with the number of facts, never with time.
    """

    def __init__(self, records: Iterable[Record] = (), plan: Any = None):
        self.plan = plan
        """The scenario's plan, when known: injects then carry their declared effects, not only what they changed."""
        self.at = 0
        self.teams: dict[str, list[str]] = {}
        self.facilitators: set[str] = set()
        self.pictures: dict[str, dict[str, Fact]] = {}
        self.truth_facts: dict[str, Any] = dict(INITIAL)
        self.truth_since: dict[str, int] = {}
        self.truth_eccs = 0
        self.learned_log: list[Fact] = []
        """Every fact each actor learned, in order (for the information-flow report)."""
        self._causes: dict[str, _Learners] = {}
        self._carried: dict[str, list[tuple[str, Any, str | None, int | None, int]]] = {}
        """What each cause carries: (fact, value, assessed by, assessed at, observed at)."""
        self._reserve_team: str | None = None
        self._vias: dict[str, str] = {}
        self._team_of: dict[str, str] = {}
        """Actor -> the (first, non-facilitator) team that plays it."""
        self._learned_at: dict[str, int] = {}
        """Actor -> the length of :attr:`learned_log` when it last learned something."""
        self._grown_at: dict[str, int] = {}
        """Actor -> the length of :attr:`learned_log` when it last learned a fact it had no value for."""
        self._unions: dict[tuple[str, ...], tuple[int, Mapping[str, Fact], dict[Any, Any], dict[str, Fact]]] = {}
        """Actors -> (length of the log, merged facts, derived values) of their union, valid while none of them
        learns; what they learned since is in the log after that length."""
        self._handed: dict[str, Picture] = {}
        """Who -> the last union picture handed out (handed out again while its facts and time stand)."""
        for r in records:
            self.feed(r)

    # ------------------------------------------------------------ reading
    def actor(self, actor: str) -> Picture:
        return Picture(actor, self.at, dict(self.pictures.get(actor, {})), actors=(actor,))

    def team(self, team: str) -> Picture:
        """The union of the pictures of the actors ``team`` plays; the latest learned value of a fact wins."""
        return self.union(team, self.teams.get(team, ()))

    def simulated(self, who: str, actors: Iterable[str]) -> Picture:
        """What actors nobody plays know together: what reached them, and what everyone knows (:data:`COMMON`)."""
        return self.union(who, (COMMON, *actors))

    def union(self, who: str, actors: Iterable[str]) -> Picture:
        """What ``actors`` know together (a team, or the simulated actors exercise control acts for)."""
        key = tuple(actors)
        facts, derived = self._union(key)
        last = self._handed.get(who)
        if last is not None and last.facts is facts and last.at == self.at and last.actors == key:
            return last  # a picture is a value: the same facts at the same time are the same picture
        picture = self._handed[who] = Picture(who, self.at, facts, derived, key)
        return picture

    def _union(self, actors: tuple[str, ...]) -> tuple[Mapping[str, Fact], dict[Any, Any]]:
        """The merged facts of ``actors`` and their derived values, rebuilt only after one of them learned."""
        cached = self._unions.get(actors)
        learned_at = self._learned_at
        if cached is not None and cached[0] == len(self.learned_log):  # nobody learned anything since
            return cached[1], cached[2]
        if cached is not None and all(learned_at.get(a, 0) <= cached[0] for a in actors):
            self._unions[actors] = (len(self.learned_log), *cached[1:])  # none of them learned: still true
            return cached[1], cached[2]
        members = set(actors)
        changed = set() if cached is None else {f.name for f in self.learned_log[cached[0]:] if f.actor in members}
        merged: dict[str, Fact] = {}
        if cached is not None and all(self._grown_at.get(a, 0) <= cached[0] for a in actors):
            # only new values of facts each actor already had: every actor's facts keep their order, so the
            # union keeps its order too, and only the changed names need their latest value again
            merged = cached[3].copy()  # the dict behind the read-only facts: copied at C speed
            pictures = [self.pictures.get(a, {}) for a in actors]
            for name in changed:
                best: Fact | None = None
                for pic in pictures:
                    f = pic.get(name)
                    if f is not None and (best is None or f.learned > best.learned):
                        best = f
                assert best is not None  # an actor of the union learned it
                merged[name] = best
        else:
            for a in actors:
                for name, f in self.pictures.get(a, {}).items():
                    old = merged.get(name)
                    if old is None or f.learned > old.learned:
                        merged[name] = f
        facts: Mapping[str, Fact] = MappingProxyType(merged)
        derived: dict[Any, Any] = {} if cached is None else carry_over(cached[2], changed, facts)
        self._unions[actors] = (len(self.learned_log), facts, derived, merged)
        return facts, derived

    def truth(self) -> Truth:
        return Truth(self.at, self.truth_eccs, dict(self.truth_facts), dict(self.truth_since))

    # ------------------------------------------------------------ folding
    def feed(self, r: Record) -> None:
        self.at = r.t
        handler = _HANDLERS.get(r.kind)
        if handler is not None:
            handler(self, r)

    def _started(self, r: Record) -> None:
        for t in r.get("teams", ()):
            self.teams[t["id"]] = list(t.get("plays", ()))
            if not t.get("facilitator"):
                for a in t.get("plays", ()):
                    self._team_of.setdefault(a, t["id"])
            if t.get("facilitator"):
                self.facilitators.add(t["id"])

    def _teach(self, actor: str, name: str, value: Any, t: int, source: str, via: str,
               assessed_by: str | None = None, assessed_at: int | None = None, as_of: int | None = None) -> None:
        pic = self.pictures.setdefault(actor, {})
        old = pic.get(name)
        seen = t if as_of is None else as_of
        if old is not None and old.observed > seen:
            return  # older news relayed late does not overwrite what it already knows from later
        if old is not None and old.value == value and old.assessed_at == assessed_at:
            return  # already known: the first time it was learned stands
        f = Fact(name, value, t, source, via, actor, assessed_by, assessed_at, None if seen == t else seen)
        pic[name] = f
        self.learned_log.append(f)
        self._learned_at[actor] = len(self.learned_log)
        if old is None:
            self._grown_at[actor] = len(self.learned_log)

    def _register(self, cause: str, learners: _Learners) -> None:
        self._causes[cause] = learners
        if learners.assessment is not None:
            self._assess(cause)

    def _assess(self, cause: str) -> None:
        """An assessment carries the ECCS as computed now, by its assessor, and the impact picture behind it.

        A played assessor shares what it holds; a simulated one (the ENISA
        secretariat, the Commission writing an ISAA) what is true.
        """
        ln = self._causes[cause]
        carried = self._carried.setdefault(cause, [])
        keep = [c for c in carried if c[0] != "eccs" and c[2] is None]
        team = self._team_of.get(ln.assessment or "")
        if team is not None:  # a team assesses on what it holds, not on the world
            picture = self.team(team)
            level = assess(picture)
            basis = {n: f.value for n, f in picture.facts.items()}
        else:
            level, basis = self.truth_eccs, self.truth_facts
        shared: list[tuple[str, Any, str | None, int | None, int]] = [("eccs", level, ln.assessment, ln.t, ln.t)]
        for name, value in sorted(basis.items()):
            if name.startswith(ASSESSED_PREFIXES) and name != "eccs" and (name not in INITIAL or value != INITIAL[name]):
                shared.append((name, value, ln.assessment, ln.t, ln.t))
        carried[:] = keep + shared
        for actor, t, via in ln.actors:
            for name, value, by, when, seen in shared:
                self._teach(actor, name, value, t, cause, via, by, when, seen)

    def _released(self, r: Record) -> None:
        inj, sender, template = r["inject"], r.get("from"), r.get("template")
        label = ASSESSMENT_TEMPLATES.get(template or "")
        via = f"{inj} {label or r.get('title', '')} from {sender}".strip()
        self._carried[inj] = carried = []
        team = self._team_of.get(sender or "")
        if team is not None and not label:
            for name, f in sorted(self.team(team).facts.items()):
                if name == "eccs" or name.startswith(SHARED_PREFIXES):
                    carried.append((name, f.value, f.assessed_by, f.assessed_at, f.observed))
        spec = self.plan.injects.get(inj) if self.plan is not None else None
        if spec is not None:
            carried += [(name, value, None, None, r.t) for name, value in effect_facts(spec.effects)]
        self._register(inj, _Learners(r.t, [(sender, r.t, f"own message {inj}")] if sender else [], inj,
                                      assessment=sender if label else None))
        self._vias[inj] = via
        for name, value, by, when, seen in carried:
            self._teach(sender, name, value, r.t, inj, f"own message {inj}", by, when, seen)

    def _delivered(self, r: Record) -> None:
        inj, actor = r["inject"], r["actor"]
        via = self._vias.get(inj) or f"{inj} from {r.get('from')}"
        ln = self._causes.get(inj)
        if ln is not None and ln.t == r.t:
            ln.actors.append((actor, r.t, via))  # effects recorded after a zero-delay delivery still reach it
        for name, value, by, when, seen in self._carried.get(inj, ()):
            self._teach(actor, name, value, r.t, inj, via, by, when, seen)
        if inj.startswith("report:"):
            _kind, report, entity = inj.split(":", 2)
            self._teach(actor, f"significant.{entity}", True, r.t, inj, via)
            self._teach(actor, f"report.{report}.{entity}", True, r.t, inj, via)
            own = self.pictures.get(entity, {})  # what the filer knows of its incident, as of the delivery
            for name in sorted(own):
                if name.startswith(("impact.", "outlook", "criminal_group", "state_actor", "cross_border")):
                    self._teach(actor, name, own[name].value, r.t, inj, via, as_of=own[name].observed)

    def _changed(self, r: Record) -> None:
        facts = _facts_of(r["changes"])
        for name, value in facts:
            self.truth_facts[name] = value
            self.truth_since[name] = r.t
        cause = r.get("cause")
        if cause == INITIAL_CAUSE and cause not in self._causes:
            self._brief(r.t)
        for name, value in facts:
            for actor in MECHANISM_OWNERS.get(name, ()):
                self._teach(actor, name, value, r.t, cause or name, f"runs the mechanism ({name})")
            if name in PUBLIC_FACTS:
                for actor in self._everyone():
                    self._teach(actor, name, value, r.t, cause or "public sphere", PUBLIC_VIA)
        ln = self._causes.get(cause) if cause else None
        if ln is None or ln.t != r.t:
            return  # a change nobody was told about (an incident's own course)
        carried = self._carried.setdefault(cause, [])
        for name, value in facts:
            carried.append((name, value, None, None, r.t))
            for actor, t, via in ln.actors:
                self._teach(actor, name, value, t, cause, via, as_of=r.t)

    def _everyone(self) -> list[str]:
        """Every played actor, then :data:`COMMON` for the actors nobody plays."""
        return [*(a for team, plays in self.teams.items() if team not in self.facilitators for a in plays), COMMON]

    def _brief(self, t: int) -> None:
        """The scenario's initial situation is the exercise briefing: every actor starts from it."""
        actors = [(a, t, BRIEFING) for a in self._everyone()]
        self._register(INITIAL_CAUSE, _Learners(t, actors, INITIAL_CAUSE, assessment=BRIEFING))

    def _severity(self, r: Record) -> None:
        self.truth_eccs = int(r["to"])
        self.truth_since["eccs"] = r.t
        cause = r.get("cause")
        ln = self._causes.get(cause) if cause else None
        if ln is not None and ln.t == r.t and ln.assessment is not None:
            self._assess(cause)  # the assessment is of the state its own release produced

    def _team_learns(self, team: str, cause: str, t: int, via: str, assessment: bool = False) -> None:
        actors = self.teams.get(team, [])
        lead = actors[0] if actors else team
        self._register(cause, _Learners(t, [(a, t, via) for a in actors], cause,
                                        assessment=lead if assessment else None))

    def _effective(self, r: Record) -> None:
        d, team = r["decision"], r["team"]
        label = ASSESSMENT_DECISIONS.get(d)
        self._team_learns(team, d, r.t, f"own decision {d} ({r.get('name', '')})", assessment=label is not None)
        if d in PUBLIC_DECISIONS:
            ln = self._causes[d]
            own = {a for a, _t, _via in ln.actors}
            ln.actors += [(a, r.t, f"public {r.get('name', d)} by {team}") for a in self._everyone() if a not in own]
        for target in NOTIFIES.get(d, ()):
            via = f"{'assessment' if d in ASSESSMENT_DECISIONS else 'escalation'} {d} from {team}"
            for name, f in sorted(self.team(team).facts.items()):
                if name == "eccs" or name.startswith(SHARED_PREFIXES):
                    self._teach(target, name, f.value, r.t, d, via, f.assessed_by, f.assessed_at, f.observed)
        if d == "D09":
            for a in self.teams.get(team, []):
                self._teach(a, "reserve", "requested", r.t, d, f"own decision {d}")

    def _accepted(self, r: Record) -> None:
        if r["decision"] == "D09":
            self._reserve_team = r["team"]

    def _closed(self, r: Record) -> None:
        cause = f"{r['point']}:{r['option']}"
        self._team_learns(r["team"], cause, r.t, f"own choice {cause}")

    def _aware(self, r: Record) -> None:
        """A reporting clock starts when its entity becomes aware: from then the entity knows its own incident."""
        fact = REGIME_FACT.get(r.get("regime", ""))
        owner = r.get("owner")
        if fact and owner:
            self._teach(owner, f"{fact}.{owner}", True, r.t, r["clock"], f"own awareness ({r.get('label', '')})")

    def _reserve(self, r: Record) -> None:
        team = self._reserve_team
        if team is None:
            return
        answer = "approved" if r.get("approved") else "refused"
        answer = r.get("answer", answer)
        for a in self.teams.get(team, []):
            self._teach(a, "reserve", answer, r.t, "reserve.answered", "Commission answer on the Reserve request")


_HANDLERS = {
    "exercise.started": Knowledge._started,
    "inject.released": Knowledge._released,
    "inject.delivered": Knowledge._delivered,
    "state.changed": Knowledge._changed,
    "severity.changed": Knowledge._severity,
    "decision.effective": Knowledge._effective,
    "decision.accepted": Knowledge._accepted,
    "decision_point.closed": Knowledge._closed,
    "reserve.answered": Knowledge._reserve,
    "clock.started": Knowledge._aware,
}


@_derived(lambda: ASSESS_READS)
def assess(picture: Picture) -> int:
    """The ECCS level a team would assess from its picture alone (the published scale, domain.md §7.6)."""
    from simulator.engine import severity
    from simulator.engine.state import WorldState

    v = picture.variables()
    state = WorldState()
    for name, f in picture.facts.items():
        if name.startswith("impact."):
            ms, _, sector = name[len("impact."):].partition("/")
            state.impact[(ms, sector)] = f.value
    for name in ("outlook", "cross_border", "threat_severity", "exposure", "internal_market", "public_safety",
                 "cross_border_dependency"):
        setattr(state, name, v[name])
    state.capacity_exceeded = set(picture.members("capacity_exceeded"))
    state.significant = set(picture.members("significant"))
    state.major = set(picture.members("major"))
    return severity.compute(state).level


# ---------------------------------------------------------------- one call
def knowledge_at(records: Iterable[Record], at: int | None = None, plan: Any = None) -> Knowledge:
    """Every picture as it stood at minute ``at`` (inclusive; all records when None)."""
    k = Knowledge(plan=plan)
    for r in records:
        if at is not None and r.t > at:
            break
        k.feed(r)
    if at is not None:
        k.at = max(k.at, at)
    return k


def team_picture(records: Iterable[Record], team: str, at: int | None = None, plan: Any = None) -> Picture:
    """What ``team`` knew at minute ``at``, from a journal (or any records in order).

    The one function a seat filter needs: for a live exercise use
    ``exercise.knowledge.team(team)``, which is the same fold kept up to date. Give the
    scenario's ``plan`` when you have it (a live exercise always does): injects then carry their
    declared effects, as they do in the live fold.
    """
    return knowledge_at(records, at, plan).team(team)


# ---------------------------------------------------------------- deciding on it
def picture_context(picture: Picture, *, taken, delivered, params: dict | None = None):
    """The condition context of a decider: its picture's variables, colours and flags, not the world's."""
    from simulator.scenario.conditions import Context

    colours = picture.ms_colours()
    return Context(picture.variables(), taken=taken, delivered=delivered,
                   impact=lambda ms: colours.get(ms, "white"), flags=picture.flags(), params=params)


def not_known(team: str, picture: Picture, reads: dict[str, Any], reason: str) -> str:
    """Why a precondition that is true in the world fails for ``team``: what it holds instead, and since when.

    ``ECCS 4 not known to cyclone: last assessment ECCS 2 at T+03:10 (VS-18 ... from ENISA)``
    """
    held = []
    for name in sorted(reads):
        if name == "eccs":
            f = picture.fact("eccs")
            held.append("no assessment has reached it" if f is None else
                        f"last assessment ECCS {f.value} at {format_time(f.learned)} ({f.via})")
            continue
        facts = [f for n, f in picture.facts.items() if n == name or n.startswith(name + ".")
                 or (name.startswith("ms_") and n.startswith("impact."))]
        if not facts:
            held.append(f"nothing on {name} has reached it")
        else:
            last = max(facts, key=lambda f: f.learned)
            held.append(f"{name} as known: {reads[name]} (last news at {format_time(last.learned)}, {last.via})")
    what = reason
    if list(reads) == ["eccs"]:
        what = "ECCS " + reason.split(" is false")[0].split("eccs ", 1)[-1].lstrip(">=< ")
    return f"{what} not known to {team}: " + "; ".join(held)
