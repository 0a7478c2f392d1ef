"""The journal as one audience may see it: TLP label, optional team, times.

A report is written for an audience marked with a TLP label. Anything whose
own label is more restrictive than the audience's is left out of the data the
templates receive (never just hidden), and every omission is counted so the
report can say how much was left out. Injects carry their own label; free
text written for or during the exercise that has no label of its own
(storyline description, decision point prompts and options, decision
rationales, observations) carries the scenario's label, as derived products
inherit the label of their source (domain.md §8 rule 3).

A team view (``team``) keeps only what that team received or decided.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from simulator.errors import InputError
from simulator.journal.journal import Journal, Record
from simulator.report.actors import ActorDirectory
from simulator.scenario.model import TLP_ORDER
from simulator.timefmt import format_duration, format_time

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_audience(text: str | None) -> str | None:
    """``TLP:AMBER``, ``amber`` or ``AMBER+STRICT`` as a canonical label; None stays None."""
    if text is None:
        return None
    v = text.strip().upper().replace(" ", "")
    if not v.startswith("TLP:"):
        v = "TLP:" + v
    if v == "TLP:WHITE":
        v = "TLP:CLEAR"
    if v not in TLP_ORDER:
        raise InputError(f"unknown audience {text!r}: use one of {', '.join(TLP_ORDER)}")
    return v


def tlp_rank(label: str | None) -> int:
    """Position in TLP_ORDER; an unknown or missing label counts as the most restrictive."""
    try:
        return TLP_ORDER.index(str(label).upper())
    except ValueError:
        return len(TLP_ORDER) - 1


@dataclass
class Withheld:
    """What the audience filter left out, by kind."""

    counts: Counter = field(default_factory=Counter)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def total(self) -> int:
        return sum(self.counts.values())

    def as_list(self) -> list[dict[str, Any]]:
        return [{"what": k, "count": v} for k, v in sorted(self.counts.items())]


class ReportView:
    """One journal, one audience, optionally one team."""

    def __init__(self, journal: Journal, *, audience: str | None = None, team: str | None = None, plan=None):
        if not len(journal) or journal[0].kind != "exercise.started":
            raise InputError("not an exercise journal: the first record must be exercise.started")
        self.journal = journal
        self.started: dict[str, Any] = journal[0].data
        self.scenario_tlp: str = self.started.get("tlp") or "TLP:AMBER"
        self.audience = parse_audience(audience) or self.scenario_tlp
        self.actors = ActorDirectory(plan)
        self.teams: dict[str, dict[str, Any]] = {t["id"]: t for t in self.started.get("teams", [])}
        if team is not None and team not in self.teams:
            known = ", ".join(self.teams) or "none"
            raise InputError(f"unknown team {team!r} (teams in this exercise: {known})")
        self.team = team
        self.withheld = Withheld()
        self.start_dt = _parse_start(self.started.get("start"))
        self.end_t = journal[-1].t
        self.finished = bool(journal.of_kind("exercise.ended"))
        """False for a session still under way (or stopped before its end): what is open is neither met nor missed."""
        self.team_of_actor = {a: t["id"] for t in self.teams.values() for a in t.get("plays", [])}
        self._released: dict[str, Record] = {}
        for r in journal.of_kind("inject.released"):
            self._released.setdefault(r["inject"], r)

    # ------------------------------------------------------------ TLP
    def allows(self, label: str | None) -> bool:
        """May content marked ``label`` go to this audience?"""
        return tlp_rank(label) <= tlp_rank(self.audience)

    def text(self, value: str | None, what: str, label: str | None = None) -> str | None:
        """Free text: kept if its label (default: the scenario's) allows it, else counted and dropped."""
        if not value:
            return value
        if self.allows(label or self.scenario_tlp) and self.allows(self.scenario_tlp):
            return value
        self.withheld.add(what)
        return None

    def inject_tlp(self, inject: str) -> str:
        rel = self._released.get(inject)
        return rel["tlp"] if rel is not None else "TLP:AMBER"

    # ------------------------------------------------------------ team
    def team_actors(self) -> set[str]:
        return set(self.teams[self.team].get("plays", [])) if self.team else set()

    def team_ms(self) -> set[str]:
        return {ms for a in self.team_actors() if (ms := self.actors.ms(a))}

    def for_team(self, team: str | None) -> bool:
        """A record about ``team`` belongs in this view (always, without a team filter)."""
        return self.team is None or team == self.team

    def from_control(self, sender: str | None) -> bool:
        """True for exercise control's own messages (STARTEX briefings, phase changes, reminders).

        They tell players about the exercise, not about the incident, so they
        never start a response-time indicator."""
        if not sender:
            return False
        team = self.teams.get(self.team_of_actor.get(sender, ""), {})
        return self.actors.level(sender) == "control" or bool(team.get("facilitator"))

    def received(self, teams: list[str] | None) -> bool:
        return self.team is None or self.team in (teams or [])

    # ------------------------------------------------------------ time
    def when(self, t: int) -> dict[str, Any]:
        """Scenario time and calendar time of a minute since T+0."""
        return {"t": t, "time": format_time(t), "calendar": self.calendar(t)}

    def calendar(self, t: int) -> str:
        if self.start_dt is None:
            return ""
        d = self.start_dt + timedelta(minutes=t)
        return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.hour:02d}:{d.minute:02d}"

    def date(self, t: int, days_after: int = 0) -> str:
        if self.start_dt is None:
            return ""
        d = self.start_dt + timedelta(minutes=t, days=days_after)
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"

    def long_calendar(self, t: int) -> str:
        if self.start_dt is None:
            return ""
        d = self.start_dt + timedelta(minutes=t)
        off = d.strftime("%z")
        zone = f"UTC{off[:3]}:{off[3:]}" if off else "local time"
        return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year} {d.hour:02d}:{d.minute:02d} ({zone})"

    @staticmethod
    def duration(minutes: int | None) -> str:
        return "" if minutes is None else format_duration(minutes)


def observation_kind(record: Record) -> str:
    """strength, improvement, note, rating, or 'unclassified' (the record's ``category``)."""
    kind = record.get("category")
    if kind in ("strength", "improvement", "note", "rating"):
        return kind
    return "rating" if record.get("rating") else "unclassified"


def _parse_start(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
