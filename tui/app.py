"""The cyclesim Textual app: a facilitated session on one exercise.

The app is a client of the engine only. It reads the journal incrementally
(``journal.since(view.next_seq)``) into a :class:`JournalView`, paces the
engine with a :class:`SimDriver` from a Textual timer, and sends every
decision and facilitator action through the engine's public API
(``submit``, ``fire``, ``hold``, ``release``, ``add_inject``, ``note``).

Entry point: :func:`run_tui`, for ``cyclesim play`` and ``cyclesim resume``.
"""

from __future__ import annotations

import os
import sqlite3
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from simulator.engine.exercise import Exercise
from simulator.errors import InputError
from simulator.forecast_child import ForecastFailed, new_folder, run_forecast
from simulator.scenario.msel import write_msel
from simulator.scenario.msel.actuals import actuals_from_records
from simulator.text import printable
from simulator.timefmt import format_time
from tui.choices import Choice, Submission
from tui.commands import ExerciseCommands
from tui.driver import SimDriver, TickResult
from tui.gctune import GC_THRESHOLDS, tune_gc, untune_gc
from tui.journal_view import JournalView
from tui.messages import ExerciseAction, PlayReady
from tui.screens.briefing import BriefingScreen
from tui.screens.decision import DecisionScreen
from tui.screens.dialogs import ConfirmScreen, HelpScreen, TooSmallScreen
from tui.screens.forecast import ForecastRequestScreen, ForecastResultScreen
from tui.screens.forms import AdHocInjectScreen, ObservationScreen
from tui.screens.play import PlayScreen

__all__ = ["GC_THRESHOLDS", "CyclesimApp", "run_tui", "tune_gc", "untune_gc"]

TICK_HZ = 20
"""Driver ticks per second (tech-notes §3: 20 Hz keeps the UI smooth and the engine cheap)."""
MAX_TOASTS = 2
"""Alerts shown per tick; the feed and the journal keep the rest."""
ENGINE_LOG = "engine-error.log"
"""File in the session folder that keeps the traceback of an engine or store failure."""
MIN_SIZE = (80, 24)
"""The smallest terminal the layout is drawn for (columns, lines); below it a notice covers the screen."""
BRIEFING = "briefing"
"""Name the briefing screen is installed under."""


class CyclesimApp(App[int]):
    """One facilitated session: briefing, then live play on a single terminal."""

    CSS_PATH = "cyclesim.tcss"
    TITLE = "cyclesim"
    COMMANDS = App.COMMANDS | {ExerciseCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide"), (160, "-xwide")]
    """Stacked panes below 120 columns; side by side from 120; the console's situation panel
    beside the timeline only from 160 (at 120 the timeline needs the whole width to be read)."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """Below 32 lines (80x24) the forms drop their blank lines so a field and the next stay in view."""
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, exercise: Exercise, *, session: Any = None, clock: Callable[[], float] = time.monotonic,
                 autotick: bool = True, budget: float = 0.02):
        """Args:
            exercise: a built exercise, new or rebuilt from a session (it may be part-way).
            session: the session it journals into (shown in the briefing); the caller closes it.
            clock: wall clock for the driver; tests pass a fake one.
            autotick: drive the engine from a 20 Hz timer; tests turn it off and call :meth:`tick`.
            budget: CPU seconds per tick the engine may use.
        """
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"  # keys answer at once; no CPU spent on sliding tab underlines
        self.ex = exercise
        self.session = session
        self.view = JournalView(exercise.plan)
        self.view.feed_records(exercise.journal.since(0))
        self.driver = SimDriver(exercise, clock=clock, budget=budget, on_error=self._engine_error)
        self.autotick = autotick
        self.playing = False
        self._play: PlayScreen | None = None
        self._play_mounted = False
        self._start_asked = False
        self._shown_now = exercise.now
        self._forecasting = False
        self._next_cache: tuple[tuple[int, int], str] | None = None
        self._too_small: TooSmallScreen | None = None
        self._after_small: tuple[Any, Any] | None = None
        """A screen that came while the too-small notice was up (a forecast's result), and its callback."""

    # ------------------------------------------------------------ lifecycle
    def on_mount(self) -> None:
        # The play screen is built under the briefing while the facilitator reads it: the start key uncovers it.
        self._play = PlayScreen(self.ex, self.view, self.driver, self.next_inject)
        self.push_screen(self._play)
        # installed, the briefing is not taken apart widget by widget as the start key uncovers play (a frame later)
        self.install_screen(BriefingScreen(), BRIEFING)
        self.push_screen(BRIEFING)
        if self.autotick:
            self.set_interval(1 / TICK_HZ, self.tick)
        self.call_after_refresh(self._check_size)

    def on_resize(self, event) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        """Cover the screen with a notice while the terminal is too small; take it away once it fits.

        A running clock is paused while nobody can read the screen, and runs on when it comes back.
        """
        size = (self.size.width, self.size.height)
        small = size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]
        notice = self._too_small
        if small and notice is None:
            was_running = self.playing and not self.driver.paused and not self.ex.ended
            if was_running:
                self.driver.pause()
            self._too_small = TooSmallScreen(size, MIN_SIZE, paused=was_running)
            self.push_screen(self._too_small)
        elif small and notice is not None:
            notice.show_size(size)
        elif not small and notice is not None:
            self._too_small = None
            if self.screen is notice:
                self.pop_screen()
            if notice.paused and self.driver.paused:
                self.driver.resume()
            if self._play is not None and self.playing:
                self.play.refresh_status()
            waiting, self._after_small = self._after_small, None
            if waiting is not None:
                self.push_screen(*waiting)

    def start_exercise(self) -> None:
        """The facilitator's start key: uncover the play screen; the clock starts once it is up."""
        if self._start_asked:
            return
        self._start_asked = True
        if self._play_mounted:
            self.play_ready()  # under the briefing: the status bar's new state is drawn with the screen
        self.pop_screen()  # the briefing; the play screen below was built while it showed

    def on_play_ready(self, _message: PlayReady) -> None:
        self._play_mounted = True
        if self._start_asked:
            self.play_ready()

    def on_exercise_action(self, message: ExerciseAction) -> None:
        """A key on the play screen: act on the exercise or open the dialog it asks for."""
        handlers: dict[str, Callable[..., Any]] = {
            "toggle_run": self.toggle_run, "jump_to_next_inject": self.jump_to_next_inject,
            "open_decision": self.open_decision, "fire": self.fire, "hold_or_release": self.hold_or_release,
            "open_adhoc": self.open_adhoc, "open_observation": self.open_observation,
            "open_help": self.open_help, "request_quit": self.request_quit, "export_msel": self.export_msel,
            "open_forecast": self.open_forecast,
        }
        handler = handlers[message.action]
        if message.argument is None:
            handler()
        else:
            handler(message.argument)

    def play_ready(self) -> None:
        """The play screen is up, and the start key was pressed: views may now be updated, and the clock runs."""
        self.playing = True
        if not self.ex.ended:
            self.driver.resume()
        self.sync()
        self.play.refresh_status()

    @property
    def play(self) -> PlayScreen:
        assert self._play is not None, "the play screen is made when the app is mounted"
        return self._play

    # ------------------------------------------------------------ the loop
    def tick(self) -> TickResult:
        """One driver step plus a view update; the timer calls it, tests call it directly."""
        if not self.playing or not self.is_running:  # not yet started, or closing down
            return TickResult()
        result = self.driver.tick()
        self.sync()
        if result.stopped:
            self.play.refresh_status()
        if result.stopped == "event":
            self.notify("Paused at the next event (space runs to the one after).", timeout=3)
        elif result.stopped == "inject":
            self.notify(f"Jumped to {format_time(self.ex.now)}; the clock is paused (space runs on).", timeout=4)
        elif result.stopped == "point":
            opened = [p for p in self.view.open_points() if p.opened == self.ex.now]
            which = ", ".join(f"{p.point} for team {p.team}" for p in opened) or "a decision point"
            self.notify(f"Stopped at {format_time(self.ex.now)}: {which} opened. The clock is paused "
                        "(space runs on, n jumps again).", timeout=6)
        elif result.stopped == "end" and not self.ex.ended:
            self.notify("Nothing more happens before the end: the clock is at the end.", timeout=4)
        return result

    def sync(self) -> None:
        """Fold new journal records into the view and push them to the screen."""
        records = self.ex.journal.since(self.view.next_seq)
        if not self.playing or self._play is None:
            if records:
                self.view.feed_records(records)
            return
        if records:
            changes = self.view.feed_records(records)
            self.play.apply(changes)
            for screen in self.screen_stack:
                if isinstance(screen, DecisionScreen):  # an open form checks again what the exercise allows
                    screen.journal_seq = self.view.next_seq
            for message, severity in changes.alerts[-MAX_TOASTS:]:
                self.notify(message, severity=severity, timeout=4)  # type: ignore[arg-type]
            if changes.ended:
                self.play.refresh_bindings()
                self.notify("The exercise has ended. Press q to leave; the session is saved.", timeout=8)
        if self.ex.now != self._shown_now:
            self._shown_now = self.ex.now
            self.play.clock()
            mark = getattr(self.session, "mark_clock", None)
            if mark is not None and not isinstance(self.driver.error, sqlite3.Error):
                try:  # resume continues where the clock got to, not at the last record
                    mark(self.ex.now)
                except sqlite3.Error as e:
                    self._engine_error(e)

    def next_inject(self) -> str:
        """The next inject due by the timeline, for the status bar ("TUT-05 at T+06:00")."""
        key = (self.ex.now, self.view.next_seq)
        if self._next_cache is not None and self._next_cache[0] == key:
            return self._next_cache[1]
        best, best_t = None, None
        for row in self.view.msel.values():
            due = row.planned_t if row.planned_t is not None else self._chained_due(row.inject)
            if row.released_t is None and due is not None and due >= self.ex.now:
                if best_t is None or due < best_t:
                    if self.ex.inject_status(row.inject) == "scheduled":
                        best, best_t = row, due
        text = f"{best.inject} at {format_time(best_t)}" if best is not None and best_t is not None else ""
        self._next_cache = (key, text)
        return text

    def _chained_due(self, inject: str) -> int | None:
        """When an inject chained 'after' another is due, once that one has been released."""
        spec = self.ex.plan.injects.get(inject)
        if spec is None or spec.after is None:
            return None
        before = self.view.msel.get(spec.after.inject)
        if before is None or before.released_t is None:
            return None
        return before.released_t + spec.after.delay

    def _engine_error(self, error: BaseException) -> None:
        """The engine or the session store failed: stop the clock, keep what is saved, say what happened.

        The traceback goes to ``engine-error.log`` in the session folder, with
        the session's name, so it can be reported; the notice names that file.
        A store that cannot write (a full disk) stops the session: the clock
        will not run again, and every record committed before stays in the store.
        """
        self.driver.pause()
        self.driver.error = error
        log = self._log_failure(error)
        # a path or a command ends its line, with nothing stuck to it: it is copied and pasted as it stands
        where = f"\nDetails in:\n{log}" if log else ""
        if isinstance(error, sqlite3.Error):
            path = getattr(self.session, "path", None)
            resume = f"\nFree some space, then continue with:\n  cyclesim resume {path}" if path else ""
            message = (f"The session could not be saved ({printable(error, one_line=True)}). The clock is stopped; "
                       f"everything recorded before is kept. Press q to leave.{resume}{where}")
        else:
            message = (f"The engine stopped on an error and the clock is paused: "
                       f"{printable(error, one_line=True)}.{where}")
        if self._play is not None and self.playing:
            self.play.refresh_status()
        self.notify(message, severity="error", timeout=30)

    def _log_failure(self, error: BaseException) -> Path | None:
        """Append the traceback to the session folder's engine-error.log; None without a session or room."""
        folder = getattr(self.session, "path", None)
        if folder is None:
            return None
        log = Path(folder) / ENGINE_LOG
        name = Path(folder).name
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        try:
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"session {name} at {format_time(self.ex.now)} (step {self.ex.steps}):\n{trace}\n")
        except OSError:
            return None  # a full disk may refuse this too: the notice still says what happened
        return log

    def _stopped_for_good(self) -> bool:
        if isinstance(self.driver.error, sqlite3.Error):
            self.notify("The session can no longer be saved, so the clock stays stopped. Press q to leave; "
                        "the records saved so far are kept.", severity="error", timeout=10)
            return True
        return False

    def _after_input(self) -> None:
        """An input changed the engine: play out the current instant, then show it."""
        self.driver.drain()
        self.sync()

    # ------------------------------------------------------------ clock controls
    def toggle_run(self) -> None:
        if self.ex.ended:
            self.notify("The exercise has ended.")
            return
        if self._stopped_for_good():
            return
        if self.driver.jumping:
            self.driver.cancel_jump()
        self.driver.toggle()
        self.play.refresh_status()

    def jump_to_next_inject(self) -> None:
        if self._stopped_for_good():
            return
        self.driver.jump_to_next_inject()
        self.play.refresh_status()

    def jump_to_inject(self, inject: str) -> None:
        self.play.show_facilitator()
        self.driver.jump_until(lambda r: r.kind == "inject.released" and r.get("inject") == inject)
        self.play.refresh_status()

    # ------------------------------------------------------------ facilitator actions
    def fire(self, inject: str) -> None:
        status = self.ex.inject_status(inject)
        if status in ("released", "cancelled"):
            self.notify(f"{inject} is already {status}.", severity="warning")
            return
        try:
            self.ex.fire(inject)
        except InputError as e:
            self.notify(str(e), severity="error")
            return
        except Exception as e:
            self._engine_error(e)
            return
        self._after_input()
        self.notify(f"{inject} fired at {format_time(self.ex.now)}.")

    def hold_or_release(self, inject: str) -> None:
        status = self.ex.inject_status(inject)
        try:
            if status == "held":
                self.ex.release(inject)
                verb = "released"
            elif status in ("scheduled", "dormant"):
                self.ex.hold(inject)
                verb = "held"
            else:
                self.notify(f"{inject} is {status}: nothing to hold.", severity="warning")
                return
        except InputError as e:
            self.notify(str(e), severity="error")
            return
        self._after_input()
        self.play.facilitator.msel.refresh_rows({inject}, False)
        self.notify(f"{inject} {verb}.")

    async def show_inject(self, inject: str) -> None:
        self.play.show_facilitator()
        await self.play.facilitator.show_tab(0)
        self.play.facilitator.msel.select_inject(inject)

    def open_adhoc(self) -> None:
        self.clear_notifications()  # toasts would cover the dialog
        self.push_screen(AdHocInjectScreen(self.ex), self._adhoc_done)

    def _adhoc_done(self, values: dict[str, Any] | None) -> None:
        """The ad-hoc inject form was sent (or cancelled): hand the inject to the engine."""
        if values is None:
            return
        try:
            ident = self.ex.add_inject(**values)
        except InputError as e:
            self.notify(str(e), severity="error")
            return
        self._after_input()
        self.notify(f"Ad-hoc inject {ident} sent.")

    def open_observation(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.ex.note(**values)
            except InputError as e:
                self.notify(str(e), severity="error")
                return
            self._after_input()
            if values.get("rating"):
                self.notify(f"Rating {values['rating']} noted for {values.get('objective')}.")
            else:
                self.notify("Observation noted.")

        self.clear_notifications()  # toasts would cover the dialog
        self.push_screen(ObservationScreen(self.ex, team=self.play.active_team), done)

    # ------------------------------------------------------------ team actions
    async def switch_team(self, team: str | None) -> None:
        """Show a team's view (None: the facilitator console); a team's view is built on first use."""
        await self.play.show_team(team)

    def open_decision(self, choice: Choice) -> None:
        self.clear_notifications()  # toasts would cover the dialog
        self.push_screen(DecisionScreen(self.ex, choice), self.submit)

    def submit(self, submission: Submission | None) -> None:
        """Hand a decision to the engine and say what it made of it."""
        if submission is None:
            return
        if self._stopped_for_good():
            return
        try:
            outcome = submission.submit(self.ex)
        except InputError as e:
            self.notify(str(e), severity="error")
            return
        except Exception as e:  # the store could not write it, or an engine bug: the session must not die
            self._engine_error(e)
            return
        self._after_input()
        what = submission.decision or f"{submission.point}:{submission.option}"
        if outcome.accepted:
            self.notify(f"{what} accepted for team {submission.team}." + (f" ({outcome.reason})" if outcome.reason else ""))
        else:
            self.notify(f"{what} refused: {outcome.reason}", severity="error", timeout=8)

    async def decide_by_key(self, team: str, key: str) -> None:
        """Palette: show the team's Decide tab on that row and open the form."""
        await self.switch_team(team)
        view = self.play.team_view(team)
        await view.show_tab(1)
        if not view.choices.select(key):
            self.notify("That decision is not open to the team now.", severity="warning")
            return
        choice = view.choices.selected()
        if choice is not None:
            self.open_decision(choice)

    # ------------------------------------------------------------ help and quitting
    def export_msel(self) -> Path:
        """Write the MSEL with planned and actual times so far, into the session folder (else the working folder).

        The actual times are read from the journal here, at once; the workbook is
        written by a thread worker from that snapshot and the immutable scenario,
        so a large MSEL never holds up the clock or the keys.
        """
        folder = Path(self.session.path) if self.session is not None else Path.cwd()
        now = self.ex.now
        path = folder / f"msel-{self.ex.scenario.id}-T{now // 60:02d}{now % 60:02d}.xlsx"
        scenario, actuals = self.ex.scenario, actuals_from_records(self.ex.journal)

        def write() -> None:
            try:
                write_msel(scenario, path, actuals=actuals)
            except (InputError, OSError) as e:
                self.call_from_thread(self.notify, f"MSEL not written: {e}", severity="error")
                return
            self.call_from_thread(self.notify, f"MSEL with actual times written to {path}.")

        self.run_worker(write, thread=True, group="msel-export", name=f"MSEL {path.name}")
        return path

    def open_forecast(self) -> None:
        """Ask how many futures and how far; play them beside the exercise; show them; offer the annex."""
        if self.session is None or getattr(self.session, "path", None) is None:
            self.notify("A forecast forks the saved session: play with a session to forecast.", severity="warning")
            return
        if self._forecasting:
            self.notify("A forecast is already playing; it opens here when ready.", severity="warning")
            return

        def asked(values: dict[str, Any] | None) -> None:
            if values and not self._forecasting:
                self._forecasting = True  # at once: a second form sent before the worker starts is refused
                self.run_worker(self._forecast(**values), group="forecast", name="forecast")

        self.clear_notifications()
        self.push_screen(ForecastRequestScreen(), asked)

    async def _forecast(self, runs: int, horizon: int, policy: str) -> None:
        now = self.ex.now
        self.session.mark_clock(now)  # the fork is where the clock stands
        try:
            folder = new_folder(Path(self.session.path), now)
            self.notify(f"Forecast: playing {runs} futures from {format_time(now)}; the exercise goes on.")
            result = await run_forecast(Path(self.session.path), folder, runs, horizon, policy)
        except ForecastFailed as e:
            self.notify(f"Forecast failed: {e}", severity="error", timeout=10)
            return
        finally:
            self._forecasting = False
        where = str(folder.relative_to(Path(self.session.path)))
        title = f"Annex: possible evolution scenarios from {result['fork_at']} to {result['until']}"

        def chosen(send_it: bool | None) -> None:
            if send_it:
                self.push_screen(AdHocInjectScreen(self.ex, title=title, body=result["annex"], sender="CYCLONE"),
                                 self._adhoc_done)

        self.clear_notifications()
        shown = ForecastResultScreen(result["table"], result["annex"], f"the session folder, {where}")
        if self._too_small is not None:  # on top of the notice, the notice could not be taken away when it fits
            self._after_small = (shown, chosen)
        else:
            self.push_screen(shown, chosen)

    def open_help(self) -> None:
        self.clear_notifications()  # toasts would cover the dialog
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.request_quit()

    def request_quit(self) -> None:
        """Leave at once when nothing runs; otherwise pause and ask first."""
        if not self.playing or self.ex.ended:
            self.exit(0)
            return
        was_running = not self.driver.paused
        self.driver.pause()
        self.play.refresh_status()
        detail = f"The clock is paused at {format_time(self.ex.now)}. Everything so far is saved"
        if self.session is not None:
            # the command on a line of its own, with nothing after it: it is copied and pasted as it stands
            detail += f" in the session folder. Resume later with:\n\n  cyclesim resume {self.session.path}"
        else:
            detail += "."

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit(0)
            elif was_running:
                self.driver.resume()
                self.play.refresh_status()

        self.clear_notifications()  # toasts would cover the dialog
        self.push_screen(ConfirmScreen("Quit while the exercise is running?", detail), answer)


def run_tui(exercise: Exercise, *, session: Any = None) -> int:
    """Open the TUI on a built exercise (new or resumed); the briefing shows first.

    The caller owns ``session`` (its journal is the exercise's journal) and
    closes it after this returns. Returns the exit code, 0.
    """
    app = CyclesimApp(exercise, session=session)
    thresholds = tune_gc()
    try:
        app.run()
    finally:
        untune_gc(thresholds)
    return int(app.return_code or 0)
