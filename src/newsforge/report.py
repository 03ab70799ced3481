"""Build progress and problems as a stream of events sent to a reporter.

A reporter is anything with ``emit(event)``: the console reporter (rich progress bar and
a closing summary), the list reporter (tests read ``events``) and the null reporter.
The build never prints; it emits.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsforge.model import Problem, Severity

# Below this many files a progress bar only flickers.
PROGRESS_THRESHOLD = 500


@dataclass(frozen=True, slots=True)
class StageStarted:
    """A stage of the build begins ('load', 'tag', 'assemble', 'render', 'write')."""

    stage: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ProgressMade:
    """``done`` of ``total`` items of the current stage are finished."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ProblemFound:
    problem: Problem


@dataclass(frozen=True, slots=True)
class BuildFinished:
    """What a build did, reported as its last event and returned by ``build_site``;
    ``ok`` is False when it failed and left the old output alone. ``left_out`` names the
    content files an error kept off a published site. ``written``: the files whose bytes
    changed; ``unchanged``: no input changed since the last build, which was kept."""

    ok: bool
    articles: int
    entities: int
    pages: int
    warnings: int
    errors: int
    seconds: float
    output: str
    problems: tuple[Problem, ...] = ()
    left_out: tuple[str, ...] = ()
    written: int = 0
    unchanged: bool = False


Event = StageStarted | ProgressMade | ProblemFound | BuildFinished


class Reporter(Protocol):
    def emit(self, event: Event) -> None: ...


class NullReporter:
    """Ignores every event."""

    def emit(self, event: Event) -> None:
        return None


@dataclass
class ListReporter:
    """Keeps every event, for tests."""

    events: list[Event] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


class ConsoleReporter:
    """Problems as ``path:line: message`` on stderr, a progress bar on long builds and a
    closing summary. ``quiet``: problems only; ``verbose``: every stage too."""

    def __init__(self, quiet: bool = False, verbose: bool = False,
                 stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self._progress: Progress | None = None
        self._task: int | None = None

    def emit(self, event: Event) -> None:
        if isinstance(event, ProblemFound):
            self._problem(event.problem)
        elif isinstance(event, StageStarted):
            self._stop_progress()
            if self.verbose:
                detail = f" ({event.detail})" if event.detail else ""
                self.console.print(f"[dim]·[/dim] {event.stage}{detail}", markup=True)
        elif isinstance(event, ProgressMade):
            self._advance(event)
        elif isinstance(event, BuildFinished):
            self._stop_progress()
            self._summary(event)

    def _problem(self, problem: Problem) -> None:
        if not self.console.is_terminal:
            # No colours to draw: plain lines, which rich took a third of a millisecond
            # each to lay out (a large archive reports thousands of warnings).
            self.stream.write(problem.format() + "\n")
            return
        style = {Severity.ERROR: "red", Severity.WARNING: "yellow"}.get(problem.severity, "dim")
        if self._progress is not None:
            self._progress.console.print(problem.format(), style=style, markup=False)
        else:
            self.console.print(problem.format(), style=style, markup=False)

    def _advance(self, event: ProgressMade) -> None:
        if self.quiet or event.total < PROGRESS_THRESHOLD or not self.console.is_terminal:
            return
        if self._progress is None:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=self.console, transient=True,
                                      auto_refresh=False)
            self._progress.start()
            self._task = self._progress.add_task(event.stage, total=event.total)
        assert self._task is not None
        # Redrawn on each event rather than by rich's refresh thread: a build with no
        # thread of its own may fork its render workers (see workers.map_in_processes).
        self._progress.update(self._task, completed=event.done,  # type: ignore[arg-type]
                              refresh=True)

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None

    def _summary(self, event: BuildFinished) -> None:
        if self.quiet and event.ok:
            return
        verdict = "[green]built[/green]" if event.ok else "[red]build failed[/red]"
        where = f" into {escape(event.output)}" if event.ok else \
            "; the previous output is unchanged"
        after = ""
        if event.unchanged:
            verdict, where = "[green]nothing changed[/green]", f" in {escape(event.output)}"
        elif event.ok:
            after = f"; {_plural(event.written, 'file')} written"
        counts = ", ".join(_plural(n, word) for n, word in (
            (event.articles, "article"), (event.entities, "entity"), (event.pages, "page"),
            (event.warnings, "warning"), (event.errors, "error")))
        self.console.print(f"{verdict}{where}: {counts} in {event.seconds:.2f} s{after}",
                           markup=True, highlight=False)
        if event.left_out:
            reasons = {p.path: p for p in event.problems if p.severity is Severity.ERROR}
            self.console.print(f"[yellow]{_plural(len(event.left_out), 'file')} left out "
                               f"of the site[/yellow] (fix them and build again):", markup=True)
            for path in event.left_out:
                self.console.print(f"  {reasons[path].format()}", markup=False,
                                   highlight=False)


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def console_reporter(quiet: bool = False, verbose: bool = False) -> ConsoleReporter:
    """The reporter of the ``newsforge build`` command."""
    return ConsoleReporter(quiet=quiet, verbose=verbose)
