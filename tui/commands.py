"""Command-palette entries: jump to an inject, fire one, take a decision, switch team.

The hits are built from the engine's plan and the journal-derived view each
time the palette searches, so they always match the exercise as it stands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from simulator.engine.exercise import Exercise
    from tui.journal_view import JournalView


class PaletteActions(Protocol):
    """What the palette needs from the app that registers it (the app provides it)."""

    playing: bool
    ex: Exercise
    view: JournalView

    def switch_team(self, team: str | None) -> Any: ...

    def jump_to_inject(self, inject: str) -> None: ...

    def jump_to_next_inject(self) -> None: ...

    def show_inject(self, inject: str) -> Any: ...

    def fire(self, inject: str) -> None: ...

    def decide_by_key(self, team: str, key: str) -> Any: ...


class ExerciseCommands(Provider):
    """Exercise actions as palette commands (only while the play screen is up)."""

    @property
    def sim(self) -> PaletteActions:
        """The app, as the palette sees it (Textual gives every provider its app)."""
        app: Any = self.app
        return app

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = self.sim
        if not app.playing:
            return
        plan = app.ex.plan
        yield "Switch to the facilitator console", "show MSEL, situation, feed and notes", partial(app.switch_team, None)
        for team in plan.teams.values():
            yield f"Switch to team {team.id}", team.name, partial(app.switch_team, team.id)
        for row in app.view.msel.values():
            status = app.view.msel_status(row, app.ex.inject_status(row.inject))
            if status == "upcoming":
                yield (f"Jump to inject {row.inject}", f"run the clock until it goes out ({row.planned}): {row.title}",
                       partial(app.jump_to_inject, row.inject))
            else:
                yield (f"Show inject {row.inject}", f"{status}: {row.title}", partial(app.show_inject, row.inject))
            if status not in ("delivered", "in transit", "cancelled"):
                yield (f"Fire inject {row.inject} now", f"{status}: {row.title}", partial(app.fire, row.inject))
        for team_id in plan.teams:
            for ident, d in plan.catalogue.items():
                if plan.may_take(team_id, d):
                    yield (f"Take decision {ident} as team {team_id}", d.name,
                           partial(app.decide_by_key, team_id, f"D:{ident}"))
            for p in app.view.open_points(team_id):
                for opt in p.options:
                    yield (f"Answer {p.point} with {opt['id']} as team {team_id}", opt["label"],
                           partial(app.decide_by_key, team_id, f"P:{p.point}:{opt['id']}"))

    async def discover(self) -> Hits:
        app = self.sim
        if not app.playing:
            return
        yield DiscoveryHit("Switch to the facilitator console", partial(app.switch_team, None))
        for team in app.ex.plan.teams.values():
            yield DiscoveryHit(f"Switch to team {team.id}", partial(app.switch_team, team.id), help=team.name)
        yield DiscoveryHit("Jump to the next inject", app.jump_to_next_inject)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)
