"""The build recipe, top to bottom: load -> tag -> assemble (``analysis``) -> render ->
write.

Every stage is called from here and from ``analysis``, and from nowhere else. Problems
from every stage are collected and reported as ``path:line: message``. A bad content
file costs that file only: it is left out, reported, and the rest of the site is
published. The site is rendered into a temporary tree and swapped into place only when
nothing site-wide failed (configuration, theme, templates, the output folder) and, with
``strict``, when there was no problem at all; so a failed or interrupted build leaves
the previous output untouched.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from newsforge import urls
from newsforge.analysis import (
    Analysis,
    Toolkit,
    analyse,
    cached_analysis,
    cycle_collector_paused,
)
from newsforge.cache import CACHE_DIR, BuildCache, LastBuild, LastPages, PageRecord
from newsforge.config import Config
from newsforge.errors import BuildError, NewsforgeError
from newsforge.model import Problem, Severity
from newsforge.output import MANIFEST, Staging, manifest_digest, mirror_live
from newsforge.output import digest as output_digest
from newsforge.render import (
    CompiledTemplates,
    Job,
    Renderer,
    Texts,
    render_described,
    render_in_processes,
    render_order,
)
from newsforge.report import (
    BuildFinished,
    Event,
    NullReporter,
    ProblemFound,
    ProgressMade,
    Reporter,
    StageStarted,
)
from newsforge.search import SEARCH_MARK, Shard, index_site, search_digest
from newsforge.theme import load_theme
from newsforge.uptodate import Checked, check, replay
from newsforge.workers import (
    Beside,
    DaskExecutor,
    Executor,
    ExecutorSpec,
    can_fork,
    run_apart,
    worker_count,
)

PROGRESS_EVERY = 200
# Below this many output files staging links the unchanged ones itself sooner than a
# second process could start (``_spare_mirrored``); a manifest line is ~70 bytes.
_MIRROR_FROM = 5000
_MANIFEST_LINE = 70
# Below a few thousand pages, starting render workers (each rebuilding its Jinja
# environment from a copy of the Site) costs more than it saves.
_RENDER_PER_WORKER = 2500
# From this many input files on, a cold build analyses the archive in a process of its
# own: what the analysis held at its peak (3 GB at 100k articles) is then back with the
# system before the render workers start, instead of staying with this process. Handing
# the Site back costs time (5-8 s of a 125 s cold build at 10k), which a smaller archive,
# whose memory is no concern, need not pay.
_APART_FROM = 50_000


@cycle_collector_paused()
def build_site(config: Config, reporter: Reporter | None = None,
               strict: bool = False, toolkit: Toolkit | None = None, *,
               jobs: int | None = None, executor: ExecutorSpec | None = None,
               use_cache: bool = True, checked: Checked | None = None) -> BuildFinished:
    """Build the site into ``config.output``; the old output survives any failure.

    When no input changed since the last published build and that output is intact,
    its report is given again at once (``unchanged``). Otherwise unchanged content files
    come from the cache (``use_cache``), the pages whose inputs changed are rendered (the
    others are taken from the live output) and only the files whose bytes changed are
    written, into the spare tree that is then swapped with the output.
    NewsforgeErrors (a broken template, an unusable output folder) become reported
    problems and a failed result; KeyboardInterrupt propagates, with the previous output
    and a usable cache left in place. ``checked``: ``uptodate.check`` of this build, when
    the caller made it already.
    """
    reporter = reporter or NullReporter()
    checked = checked or check(config, strict, use_cache)
    unchanged = replay(checked, reporter)
    if unchanged is not None:
        return unchanged
    started, taken = checked.started, checked.taken_ns
    cache, fingerprint = checked.cache, checked.fingerprint
    problems: list[Problem] = []
    articles = entities = pages = written = 0
    published = False
    left_out: tuple[str, ...] = ()
    basis, patched, shared = "", frozenset[str](), ""
    page_digests: dict[str, PageRecord] = {}
    search_shards: dict[str, Shard] = {}
    try:
        with _open(executor, jobs) as pool, _spare_mirrored(config, checked) as mirrored:
            if toolkit is None and pool is None and can_fork() \
                    and not cache.has_snapshot() and checked.inputs >= _APART_FROM:
                analysis, notes = _analysis_apart(config, cache, jobs, use_cache, taken,
                                                  reporter.emit)
            else:
                analysis, notes = _analysis_kept(config, cache, jobs, use_cache, taken,
                                                 reporter.emit, toolkit, pool)
            mirrored()
        for note in notes:
            reporter.emit(StageStarted("cache", note))
        problems.extend(analysis.problems)
        for problem in analysis.problems:
            reporter.emit(ProblemFound(problem))
        site = analysis.site
        articles, entities = len(site.articles), len(site.entities)
        left_out, basis, patched = analysis.left_out, analysis.basis, analysis.patched
        theme = load_theme(config)
        # Nothing but the renderer holds the texts: it is let go once workers have them.
        renderer = Renderer(site, theme, config,
                            texts=Texts(site.article_by_id, packed=analysis.texts),
                            compiled=CompiledTemplates(cache.folder / "templates",
                                                       cache.environment) if use_cache else None)
        del analysis
        render_jobs = renderer.jobs()
        static = theme.static_files()
        protected = tuple(p for p in (config.content, config.root, config.templates,
                                      config.static, config.root / CACHE_DIR)
                          if p is not None)
        # Pages of the live output whose inputs are unchanged need not be rendered, when
        # the live output is the one the last build published.
        last_pages = cache.last_pages() if use_cache else None
        known = (last_pages.pages if last_pages is not None
                 and last_pages.manifest == checked.live else {})
        shared = renderer.shared_digest()
        # When the last build's pages were made from the same cached analysis, and only
        # some articles were retouched since (at that build or this one), the pages that
        # read none of those articles are the same without digesting their inputs.
        retouched = (last_pages.patched | patched if last_pages is not None and known
                    and basis and last_pages.basis == basis and last_pages.shared == shared
                    else None)
        # A first build of a large site leaves its spare ready (see ``Staging``): the
        # next build, often an edit, then starts without mirroring the whole tree.
        with Staging(config.output, protected,
                     twin=len(render_jobs) >= _MIRROR_FROM) as staging:
            todo: list[tuple[Job, tuple[str, tuple[str, ...]] | None]] = []
            if known:
                if retouched is not None:
                    unread = {job.path: before for job in render_jobs
                              if (before := known.get(job.path)) is not None
                              and retouched.isdisjoint(before.reads)}
                    missing = set(staging.keep_all(
                        {path: before.output for path, before in unread.items()}))
                    page_digests.update((path, before) for path, before in unread.items()
                                        if path not in missing)
                kept = set(page_digests)
                for job in render_jobs:
                    if job.path in kept:
                        kept.discard(job.path)  # a second page of that path is refused
                        continue
                    before = known.get(job.path)
                    record = renderer.input_record(job)
                    if before is not None and before.inputs == record[0] \
                            and staging.keep(job.path, before.output):
                        page_digests[job.path] = before
                    else:
                        todo.append((job, record))
            else:  # nothing to keep: each page's inputs are digested where it is rendered
                todo = [(job, None) for job in render_jobs]
            todo = [todo[n] for n in render_order(site, config, [job for job, _ in todo])]
            total = len(todo) + len(static)
            reporter.emit(StageStarted("render", f"{len(todo)} of {len(render_jobs)} pages "
                                       f"changed, and {len(static)} static files"))
            workers = worker_count(len(todo), _RENDER_PER_WORKER, jobs)
            jobs_todo = [job for job, _ in todo]
            describe = partial(_describe_page, search=config.search, inputs=not known)
            search_parts = site.search_parts
            if workers > 1:
                rendered = render_in_processes(renderer, workers, jobs_todo, describe)
                # The workers have the site they render from; this process keeps only the
                # texts of the pages still on their way to them, not the whole Site (at
                # 100k articles, a GB more while four processes hold their most).
                del renderer, site
            else:
                rendered = render_described(renderer, render_jobs, jobs_todo, describe)
            for done, ((path, data, failure, described), (_, recorded_here)) in enumerate(
                    zip(rendered, todo, strict=True), 1):
                output, searched, recorded = described
                staging.write(path, data, output)
                if failure is not None:
                    problems.append(failure)
                    reporter.emit(ProblemFound(failure))
                else:
                    inputs, reads = recorded_here or recorded
                    page_digests[path] = PageRecord(inputs, output, searched, reads)
                if done % PROGRESS_EVERY == 0 or done == len(todo):
                    reporter.emit(ProgressMade("render", done, total))
            for name, source in static:
                staging.write(f"static/{name}", source.read_bytes())
            if config.search:
                shards = _search_shards(search_parts, render_jobs, page_digests)
                reporter.emit(StageStarted("search", f"indexing the pages with Pagefind "
                                           f"({len(shards)} bundles)"))
                search_shards = index_site(staging, shards,
                                           last_pages.search if last_pages else {})
            pages, written = staging.files, staging.written
            if not (strict and any(p.severity is not Severity.INFO for p in problems)):
                reporter.emit(StageStarted("write", f"{written} of {pages} files changed"))
                staging.commit()
                published = True
    except NewsforgeError as error:
        problem = error.to_problem()
        problems.append(problem)
        reporter.emit(ProblemFound(problem))
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    result = BuildFinished(published, articles, entities, pages, warnings, errors,
                           round(time.perf_counter() - started, 3), str(config.output),
                           tuple(problems), left_out, written=written)
    if published and use_cache:
        manifest = manifest_digest(config.output)
        if manifest is not None:
            with contextlib.suppress(OSError):  # the next build only loses its fast path
                cache.put_last_build(LastBuild(fingerprint, manifest, result),
                                     LastPages(manifest, page_digests, search_shards,
                                               basis, patched, shared))
    reporter.emit(result)
    return result


def _analysis_kept(config: Config, cache: BuildCache, jobs: int | None, use_cache: bool,
                   taken: int, emit: Callable[[Event], None], toolkit: Toolkit | None = None,
                   pool: Executor | None = None) -> tuple[Analysis, tuple[str, ...]]:
    """``analyse``, and the cache saved with what it learned: the analysis without its
    mentions (no page needs them, and they weigh a GB at 100k), and the cache's notes."""
    analysis = replace(analyse(config, reporter=_Forwarding(emit), toolkit=toolkit,
                               cache=cache, jobs=jobs, executor=pool), tagging=None)
    if use_cache:
        cache.save(taken)
    return analysis, tuple(cache.notes)


def _analysis_apart(config: Config, cache: BuildCache, jobs: int | None, use_cache: bool,
                    taken: int, emit: Callable[[Event], None]
                    ) -> tuple[Analysis, tuple[str, ...]]:
    """``_analysis_kept`` in a forked process of its own (``run_apart``), the Site handed
    back through the cache when it wrote it there."""
    handed, notes = run_apart(_analysis_handed, (config, cache, jobs, use_cache, taken),
                              emit)
    if isinstance(handed, Analysis):
        return handed, notes
    analysis = _analysis_saved(cache, handed)
    if analysis is None:  # the cache lost it meanwhile: analysed here after all
        return _analysis_kept(config, cache, jobs, use_cache, taken, emit)
    return analysis, notes


def _analysis_handed(config: Config, cache: BuildCache, jobs: int | None, use_cache: bool,
                     taken: int, emit: Callable[[Event], None]
                     ) -> tuple[Analysis | str, tuple[str, ...]]:
    """``_analysis_kept``, in the other process; when the cache holds the analysis now,
    only its id is handed back: the Site is then pickled once, not once for the cache and
    again for the hand-over."""
    analysis, notes = _analysis_kept(config, cache, jobs, use_cache, taken, emit)
    if analysis.basis and cache.saved_snapshot == analysis.basis:
        return analysis.basis, notes
    return analysis, notes


def _analysis_saved(cache: BuildCache, basis: str) -> Analysis | None:
    """The analysis ``basis`` as the cache holds it (None when it cannot be read back)."""
    snapshot = cache.snapshot()
    if snapshot is None or snapshot.id != basis:
        return None
    return cached_analysis(snapshot)


@dataclass(frozen=True, slots=True)
class _Forwarding:
    """A reporter handing every event to one function (the build's reporter, here or in
    the process the analysis runs in)."""

    forward: Callable[[Event], None]

    def emit(self, event: Event) -> None:
        self.forward(event)


def _describe_page(renderer: Renderer, job: Job, data: bytes, *, search: bool,
                   inputs: bool) -> tuple[str, str, tuple[str, tuple[str, ...]]]:
    """A rendered file's digest, the digest of what the search index reads from it ('' when
    it is not indexed or the site has no search) and, when ``inputs``, its
    ``input_record`` (('', ()) otherwise). Run in the render workers: at 10k articles
    these cost the one process writing the files tens of seconds."""
    return (output_digest(data),
            search_digest(data) if search and SEARCH_MARK in data else "",
            renderer.input_record(job) if inputs else ("", ()))


def _search_shards(search_parts: Mapping[str, str], jobs: Sequence[Job],
                   pages: Mapping[str, PageRecord]) -> dict[str, dict[str, str]]:
    """The HTML pages each search bundle indexes, with the digest of what Pagefind reads
    from each: an article in its part's bundle, every other page in the main one. Only
    pages that mark content for Pagefind are handed to it (it reads and skips the others:
    most of a large site); when no page is marked, Pagefind indexes every page, so all
    of them (redirects aside)."""
    marked = any(record.search for record in pages.values())
    shards: dict[str, dict[str, str]] = {}
    for job in jobs:
        record = pages.get(job.path)
        if job.kind == "redirect" or not job.path.endswith(".html") or record is None \
                or (marked and not record.search):
            continue
        folder = urls.SEARCH_BUNDLE
        if job.kind == "article":
            folder = urls.search_shard(search_parts[job.key[0]])
        shards.setdefault(folder, {})[job.path] = record.search or record.output
    return shards


@contextlib.contextmanager
def _spare_mirrored(config: Config, checked: Checked) -> Iterator[Callable[[], object]]:
    """``output.mirror_live`` in a second process, while this one analyses the archive;
    the function given waits for it to finish (it must, before staging begins)."""
    if checked.live is None or not can_fork() or _listed(config.output) < _MIRROR_FROM:
        yield lambda: None  # nothing to mirror, or less than starting a process costs
        return
    with Beside(mirror_live, (config.output,)) as side:
        yield side.run(_mirror_done, [])


def _listed(output: Path) -> int:
    """About how many files the output's manifest lists (by its size)."""
    try:
        return (output / MANIFEST).stat().st_size // _MANIFEST_LINE
    except OSError:
        return 0


def _mirror_done(linked: int, items: list[object]) -> list[object]:
    return [linked]


@contextlib.contextmanager
def _open(spec: ExecutorSpec | None, jobs: int | None) -> Iterator[Executor | None]:
    """The Dask executor for the analysis when asked for one (local processes are started
    per stage, sized by its work)."""
    if spec is None or spec.kind != "dask":
        yield None
        return
    try:
        pool = DaskExecutor(spec.address, spec.jobs or jobs)
    except (RuntimeError, OSError) as error:
        raise BuildError(f"cannot use the Dask cluster: {error}",
                         hint="check the scheduler address, or build without --executor"
                         ) from None
    with pool:
        yield pool
