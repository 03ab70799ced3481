"""Whether a build has anything to do: one fingerprint of every input, against the last
published build.

Apart from build.py, and light to import, so that a rebuild with nothing to do answers
before the pipeline's stages are even loaded (importing them costs more than the check).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from newsforge.cache import CACHE_DIR, BuildCache, LastBuild, now_ns, scan
from newsforge.config import Config
from newsforge.output import SPARE_PREFIX, manifest_digest
from newsforge.report import BuildFinished, ProblemFound, Reporter
from newsforge.theme import default_theme_dir
from newsforge.workers import code_digest


@dataclass(frozen=True)
class Checked:
    """What a build learns before deciding whether it has work: its cache, the fingerprint
    of its inputs, the digest of the live output's manifest and the last build."""

    cache: BuildCache
    fingerprint: str
    live: str | None
    last: LastBuild | None
    started: float
    """``time.perf_counter()`` when the check began: the build's own start."""
    taken_ns: int
    """The wall clock then: file stamps taken later than this are not trusted."""
    inputs: int
    """How many input files there are (content, theme and editor files)."""

    @property
    def unchanged(self) -> bool:
        """The inputs are those of the last published build and its output is intact."""
        last = self.last
        return (last is not None and last.fingerprint == self.fingerprint
                and isinstance(last.report, BuildFinished) and self.live == last.manifest)


def check(config: Config, strict: bool = False, use_cache: bool = True) -> Checked:
    """Fingerprint the inputs of a build of ``config`` and read what the last one left."""
    started, taken = time.perf_counter(), now_ns()
    cache = BuildCache(config.root / CACHE_DIR, code_digest(), read=use_cache)
    digest, inputs = fingerprint(config, cache, strict)
    return Checked(cache, digest, manifest_digest(config.output),
                   cache.last_build() if use_cache else None, started, taken, inputs)


def fingerprint(config: Config, cache: BuildCache, strict: bool) -> tuple[str, int]:
    """One digest of every input of a build (content, theme (the site's and the default),
    configuration and editor files, the settings and the code), and how many files."""
    spare = config.output.parent / f"{SPARE_PREFIX}{config.output.name}"
    skip = (config.output, spare, config.root / CACHE_DIR)
    theme = default_theme_dir()
    folders = [config.content, theme / "templates", theme / "static"]
    folders.extend(p for p in (config.templates, config.static) if p is not None)
    files = list(scan(folders, skip))
    for single in (config.source_file, config.entities):
        if single is not None and single.is_file():
            files.append((str(single), single.stat()))
    return cache.fingerprint(files, repr(config), f"strict={strict}",
                             *(str(folder) for folder in folders)), len(files)


def replay(checked: Checked, reporter: Reporter) -> BuildFinished | None:
    """When nothing changed, the last build's report again (nothing is done); else None."""
    if not checked.unchanged or checked.last is None:
        return None
    report: BuildFinished = checked.last.report
    for problem in report.problems:
        reporter.emit(ProblemFound(problem))
    result = dataclasses.replace(report, written=0, unchanged=True,
                                 seconds=round(time.perf_counter() - checked.started, 3))
    reporter.emit(result)
    return result
