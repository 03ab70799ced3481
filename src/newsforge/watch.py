"""Deciding what a file change means, and a thin debounced loop around watchdog.

``classify_changes`` is pure: it maps changed paths to the parts of a site they touch
(content, configuration, templates, static files, the entity curation file) and drops
everything a rebuild must not react to (the output folder, editor swap files, version
control and cache folders). ``watch`` only collects watchdog events, waits until a burst
has gone quiet and hands the classified batch to an injected ``rebuild`` callable.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from newsforge.config import CONFIG_NAME, Config

# Name endings and exact names that editors, downloaders and tools use for scratch files.
_SCRATCH_SUFFIXES = (
    "~", ".swp", ".swo", ".swx", ".swn", ".tmp", ".temp", ".part", ".crdownload", ".orig",
    ".rej", ".pyc",
)
# Vim writes (and deletes) a file named 4913 to probe whether a folder is writable.
_SCRATCH_NAMES = frozenset({"4913", "__pycache__", "node_modules", "Thumbs.db"})

# watchdog also reports reads ("opened", "closed_no_write"); a build reads every file,
# so reacting to those would rebuild forever.
_WRITE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed"})


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a batch of file changes touched; paths are sorted and unique."""

    content: tuple[Path, ...] = ()
    """Article files (or folders) under the content folder."""
    config: bool = False
    """The site configuration file changed, appeared or vanished."""
    templates: tuple[Path, ...] = ()
    """Template overrides under the site's templates folder."""
    static: tuple[Path, ...] = ()
    """Files under the site's static folder."""
    entities: bool = False
    """The editor's entity curation file."""

    @property
    def empty(self) -> bool:
        """True when nothing a build depends on changed."""
        return not (self.content or self.config or self.templates or self.static
                    or self.entities)

    def describe(self) -> str:
        """A short human summary such as ``2 content files, templates``."""
        parts: list[str] = []
        if self.config:
            parts.append("configuration")
        if self.entities:
            parts.append("entity curation")
        for label, paths in (("content", self.content), ("template", self.templates),
                             ("static", self.static)):
            if paths:
                noun = "file" if len(paths) == 1 else "files"
                parts.append(f"{len(paths)} {label} {noun}")
        return ", ".join(parts) or "nothing"


def classify_changes(paths: Iterable[str | Path], config: Config) -> ChangeSet:
    """Sort changed ``paths`` into the parts of the site they touch.

    Paths are taken as absolute (relative ones against the site root). Anything inside
    the output folder, hidden files and folders (``.git``, ``.newsforge-cache``, editor
    lock files), scratch files (``foo~``, ``.swp``, ``#autosave#``) and paths outside the
    site's watched parts are ignored.
    """
    config_file = config.source_file or config.root / CONFIG_NAME
    content: set[Path] = set()
    templates: set[Path] = set()
    static: set[Path] = set()
    config_changed = False
    entities_changed = False
    for raw in paths:
        path = _absolute(raw, config.root)
        if _inside(path, config.output) or _is_scratch(path, config.root):
            continue
        if path == config_file:
            config_changed = True
        elif config.entities is not None and path == config.entities:
            entities_changed = True
        elif config.templates is not None and _inside(path, config.templates):
            templates.add(path)
        elif config.static is not None and _inside(path, config.static):
            static.add(path)
        elif _inside(path, config.content):
            content.add(path)
    return ChangeSet(
        content=tuple(sorted(content)),
        config=config_changed,
        templates=tuple(sorted(templates)),
        static=tuple(sorted(static)),
        entities=entities_changed,
    )


def _absolute(raw: str | Path, root: Path) -> Path:
    # abspath, not resolve(): a deleted file cannot be resolved, and the watched folders
    # were resolved when the configuration was loaded.
    path = Path(raw)
    return Path(os.path.abspath(path if path.is_absolute() else root / path))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _is_scratch(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts if path.is_relative_to(root) else (path.name,)
    for part in parts:
        if part.startswith(".") or part in _SCRATCH_NAMES:
            return True
    name = path.name
    return (name.endswith(_SCRATCH_SUFFIXES) or name.startswith(("#", "~$"))
            or name.endswith("#"))


class ChangeBatcher:
    """Collects changed paths and releases them once no change came for ``quiet`` seconds.

    Editors save in bursts (write a temp file, rename, touch the folder); one batch per
    burst means one rebuild per save. The clock is injected so tests need not sleep.
    """

    def __init__(self, quiet: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._quiet = quiet
        self._clock = clock
        self._pending: set[str] = set()
        self._last = 0.0

    def add(self, paths: Iterable[str]) -> None:
        """Record changed paths; restarts the quiet period."""
        self._pending.update(paths)
        self._last = self._clock()

    def remaining(self) -> float | None:
        """Seconds until the pending batch is due, or None when nothing is pending."""
        if not self._pending:
            return None
        return max(0.0, self._quiet - (self._clock() - self._last))

    def take(self) -> tuple[str, ...]:
        """The pending paths (sorted) once the quiet period has passed, else ``()``."""
        if not self._pending or self._clock() - self._last < self._quiet:
            return ()
        batch = tuple(sorted(self._pending))
        self._pending.clear()
        return batch


class _Forward(FileSystemEventHandler):
    """Puts the paths of write events on a queue; the watch loop does the rest."""

    def __init__(self, sink: queue.Queue[str]) -> None:
        self._sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WRITE_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's entries changed: those entries report themselves
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self._sink.put(os.fsdecode(raw))


def watch_targets(config: Config) -> tuple[tuple[Path, bool], ...]:
    """The existing folders to watch as ``(folder, recursive)``, sorted.

    The content, templates and static folders are watched recursively; the folders
    holding the configuration and curation files only one level deep, so that the output
    folder (usually next to them) does not flood the watcher during a build.
    """
    deep = {folder for folder in (config.content, config.templates, config.static)
            if folder is not None and folder.is_dir()}
    shallow = {file.parent for file in (config.source_file or config.root / CONFIG_NAME,
                                        config.entities)
               if file is not None and file.parent.is_dir()}
    shallow = {folder for folder in shallow if not any(_inside(folder, d) for d in deep)}
    return tuple(sorted([(folder, True) for folder in deep]
                        + [(folder, False) for folder in shallow]))


def watch(
    config: Config,
    rebuild: Callable[[ChangeSet], Config],
    stop: threading.Event,
    *,
    quiet: float = 0.2,
    clock: Callable[[], float] = time.monotonic,
    ready: threading.Event | None = None,
) -> None:
    """Call ``rebuild(changes)`` after each burst of relevant changes until ``stop`` is set.

    ``rebuild`` returns the configuration in effect afterwards (a changed configuration
    file may move the content folder), so the loop watches the right folders. ``ready`` is
    set once the watcher runs, so a caller can edit files knowing they will be seen.
    """
    events: queue.Queue[str] = queue.Queue()
    handler = _Forward(events)
    observer = Observer()
    scheduled: dict[tuple[Path, bool], ObservedWatch] = {}

    def reschedule(current: Config, touched: tuple[str, ...] = ()) -> None:
        wanted = set(watch_targets(current))
        # A watched folder itself deleted, re-created or moved (a branch switch) took
        # its watch with it: watch it afresh. Other watches are left alone, since
        # stopping a watch while it reports is what watchdog handles worst.
        paths = {Path(path) for path in touched}
        for target in sorted(scheduled):
            if target not in wanted or target[0] in paths:
                observer.unschedule(scheduled.pop(target))
        for folder, recursive in sorted(wanted - scheduled.keys()):
            scheduled[folder, recursive] = observer.schedule(handler, str(folder),
                                                             recursive=recursive)

    reschedule(config)
    observer.start()
    if ready is not None:
        ready.set()
    batcher = ChangeBatcher(quiet, clock)
    try:
        while not stop.is_set():
            wait = batcher.remaining()
            try:
                batcher.add([events.get(timeout=0.1 if wait is None else max(wait, 0.01))])
                while True:
                    batcher.add([events.get_nowait()])
            except queue.Empty:
                pass
            batch = batcher.take()
            if not batch:
                continue
            changes = classify_changes(batch, config)
            if not changes.empty:
                config = rebuild(changes)
            # A folder created since the last batch (say, templates/) is watched from now on.
            reschedule(config, batch)
    finally:
        observer.stop()
        observer.join()
