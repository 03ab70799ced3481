"""The build recipe, top to bottom: load -> tag -> assemble -> render -> write.

Every stage is called from here and from nowhere else. Problems from every stage are
collected and reported as ``path:line: message``. A bad content file costs that file
only: it is left out, reported, and the rest of the site is published. The site is
rendered into a temporary tree and swapped into place only when nothing site-wide failed
(configuration, theme, templates, the output folder) and, with ``strict``, when there was
no problem at all; so a failed or interrupted build leaves the previous output untouched.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from newsforge import urls
from newsforge.cache import (
    CACHE_DIR,
    BuildCache,
    Entry,
    LastBuild,
    LastPages,
    PageRecord,
    Snapshot,
    article_key,
    settings_digest,
)
from newsforge.config import Config
from newsforge.errors import BuildError, NewsforgeError
from newsforge.langdata import Languages, load_languages
from newsforge.loader import (
    LanguageDetector,
    LoadResult,
    article_paths,
    furniture_candidates,
    furniture_from,
    load_tree,
    make_context,
)
from newsforge.loader.core import LoadContext, attempt
from newsforge.loader.parallel import load_in_processes
from newsforge.model import Article, Problem, Severity, Tagging
from newsforge.output import Staging, manifest_digest
from newsforge.output import digest as output_digest
from newsforge.render import Job, Renderer, render_described, render_in_processes
from newsforge.report import (
    BuildFinished,
    NullReporter,
    ProblemFound,
    ProgressMade,
    Reporter,
    StageStarted,
)
from newsforge.search import SEARCH_MARK, Shard, index_site, search_digest
from newsforge.site import Site, assemble, resolved_by_linking, text_free, with_new_text
from newsforge.tagger import Curation, compile_lexicon, load_curation, tag_archive, unite
from newsforge.tagger import Rules as TaggerRules
from newsforge.tagger import compile_rules as compile_tagger_rules
from newsforge.tagger.curation import curated_entries
from newsforge.tagger.extract import ArticleMentions, Vocabulary, extract_or_report
from newsforge.tagger.parallel import extract_in_processes
from newsforge.tagger.rules import GazetteerEntry
from newsforge.theme import load_theme
from newsforge.uptodate import Checked, check, replay
from newsforge.workers import Beside, DaskExecutor, Executor, ExecutorSpec, worker_count

PROGRESS_EVERY = 200
# Below a few thousand pages, starting render workers (each rebuilding its Jinja
# environment from a copy of the Site) costs more than it saves.
_RENDER_PER_WORKER = 2500
# As in loader/ and tagger/: below a few hundred changed files, workers cost more.
_LOAD_PER_WORKER = 400
_TAG_PER_WORKER = 500


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole archive understood, before anything is written."""

    site: Site
    tagging: Tagging | None
    """The tagger's result, with every mention (the Site keeps only who is named where);
    None when the site is the cached analysis with new text (``patched``)."""
    problems: tuple[Problem, ...]
    left_out: tuple[str, ...] = ()
    """Content files an error kept off the site (each has its problem in ``problems``)."""
    basis: str = ""
    """The id of the cached analysis (``Snapshot.id``) this Site is, or is patched from;
    '' when it is not in the cache."""
    patched: frozenset[str] = frozenset()
    """The articles whose text differs from that cached analysis (the Site has the new)."""


@dataclass(frozen=True, slots=True)
class Toolkit:
    """Read-only tools every build needs; a long-running process (the preview server)
    prepares them once and hands them to each rebuild instead of loading them again."""

    languages: Languages
    detector: LanguageDetector
    tagger_rules: TaggerRules


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Run without Python's cycle collector, and restore it after. Our records hold no
    reference cycles (a whole build leaves a few dozen objects for it), so its passes
    over the millions of live records of a large archive were pure cost: a fifth of a
    10k-article build, and a third of reading the cache. Forked workers inherit this."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare_toolkit() -> Toolkit:
    """Load the language data, the language-identification model and the tagger's rules."""
    languages = load_languages()
    return Toolkit(languages, LanguageDetector(), compile_tagger_rules(languages))


@_cycle_collector_paused()
def analyse(config: Config, paths: Sequence[Path] | None = None,
            reporter: Reporter | None = None, toolkit: Toolkit | None = None, *,
            cache: BuildCache | None = None, jobs: int | None = None,
            executor: Executor | None = None) -> Analysis:
    """Load, tag and assemble the archive (or only ``paths``): the Site and every problem.

    With ``cache`` (the whole content folder only), files whose inputs are unchanged are
    neither read nor tagged again, and when every changed file kept its metadata and
    mentions the cached analysis is patched with their new text instead of tagging and
    assembling the archive again; ``jobs`` sets the worker processes (None: by size)
    and ``executor`` runs loading and extraction elsewhere (a Dask cluster)."""
    reporter = reporter or NullReporter()
    languages = toolkit.languages if toolkit else load_languages()
    reporter.emit(StageStarted("load", str(config.content)))
    if paths is not None or (cache is None and jobs is None and executor is None):
        loaded = load_tree(config, languages, paths,
                           detector=toolkit.detector if toolkit else None)
        reporter.emit(StageStarted("tag", f"{len(loaded.articles)} articles"))
        tagging = _tag(config, loaded.articles, languages,
                       toolkit.tagger_rules if toolkit else None)
        return _assembled(config, loaded, tagging, reporter)
    cache = cache or BuildCache(config.root / CACHE_DIR, "-", read=False)
    steps = _Steps(config, languages, toolkit, cache, jobs, executor)
    with steps.reader() as reader:
        survey = steps.survey()
        read_ahead = steps.read_ahead(reader, survey)
        snapshot = cache.snapshot() if cache.reading else None
        read = steps.keep_read(survey, read_ahead)
    if snapshot is not None:
        patched, more = steps.patch(survey, snapshot)
        read += more
        if patched is not None:
            reporter.emit(StageStarted("load", f"{read} of {len(survey.files)} files changed"))
            reporter.emit(StageStarted("assemble", "the last analysis, with the new text of "
                                       f"{len(patched.patched)} articles"))
            return patched
    loaded, tagging, read = steps.load_and_tag(survey, reporter, read)
    analysis = _assembled(config, loaded, tagging, reporter)
    if cache.reading:
        taken = steps.snapshot(survey, analysis)
        if taken is not None:
            cache.put_snapshot(taken)
            analysis = replace(analysis, basis=taken.id)
    return analysis


def _assembled(config: Config, loaded: LoadResult, tagging: Tagging,
               reporter: Reporter) -> Analysis:
    reporter.emit(StageStarted("assemble", f"{len(tagging.entities)} entities"))
    site = assemble(loaded.articles, tagging, config)
    by_path = {a.path: a for a in site.articles}
    problems = [p for p in loaded.problems if not resolved_by_linking(p, by_path)]
    problems.extend(tagging.problems)
    problems.extend(site.problems)
    published = {article.path for article in site.articles}
    left_out = sorted({p.path for p in (*loaded.problems, *site.problems)
                       if p.severity is Severity.ERROR and p.path not in published})
    return Analysis(site, tagging, tuple(dict.fromkeys(problems)), tuple(left_out))


@dataclass(frozen=True, slots=True)
class _Survey:
    """The content folder as the cache sees it, before any file is read."""

    files: tuple[tuple[Path, Path], ...]
    """(content file, the content folder it is under), in reading order."""
    keys: Mapping[str, str | None]
    """Content file -> the key of its loading (``article_key``); None: unreadable."""
    touched: frozenset[str]
    """The content files whose bytes, or whose sidecar's, changed since the last build."""
    furniture: frozenset[str]
    curation: Curation | None
    extra: tuple[GazetteerEntry, ...]
    """The gazetteer entries the editor's aliases add."""
    extracting: str
    """Digest of what extraction reads besides the article."""
    settings: str
    """Digest of everything the analysis reads besides the content files."""
    problems: tuple[Problem, ...]


# Files handed to the reader process, and the function that waits for what it found.
_ReadAhead = tuple[list[tuple[Path, Path]], Callable[[], list[Any] | None]]


@dataclass(frozen=True, slots=True)
class _Steps:
    """``load_tree``, ``tag_archive`` and ``assemble`` over the content folder, step by step,
    so that each file's loading and extraction, and the whole analysis, can come from the
    cache (the same steps, in the same order: tests hold the ways equal)."""

    config: Config
    languages: Languages
    toolkit: Toolkit | None
    cache: BuildCache
    jobs: int | None
    executor: Executor | None

    def survey(self) -> _Survey:
        config, cache = self.config, self.cache
        language_data = settings_digest(repr(self.languages))
        problems: list[Problem] = []
        if not config.content.exists():
            problems.append(Problem(str(config.content), None, "no such file or folder",
                                    "check the 'content' setting or the path given"))
        files = article_paths([config.content] if config.content.exists() else [])
        contents = {str(path): cache.file_digest(str(path)) for path, _ in files}
        sidecars = {str(path): cache.file_digest(str(path.with_suffix(".yaml")))
                    for path, _ in files if path.suffix.lower() == ".txt"}
        furniture = _furniture(files, contents, cache)
        # Everything in the configuration the loader reads: its answers depend on these.
        reading = settings_digest((language_data, str(config.root), config.languages,
                                   config.drafts, sorted(furniture)))
        keys = {str(path): None if contents[str(path)] is None else article_key(
                    reading, "", str(path), str(root), contents[str(path)] or "",
                    sidecars.get(str(path)))
                for path, root in files}
        curation = None
        if config.entities is not None and config.entities.is_file():
            curation = load_curation(config.entities)
        extra: tuple[GazetteerEntry, ...] = ()
        if curation is not None and curation.aliases:
            extra = tuple(curated_entries(curation))
        extracting = settings_digest((language_data, repr(extra)))
        curated = cache.file_digest(str(config.entities)) if config.entities else None
        settings = settings_digest((reading, extracting, repr(config), curated or "-"))
        touched = frozenset(str(path) for path, _ in files if cache.changed(str(path)) or (
            str(path) in sidecars and cache.changed(str(path.with_suffix(".yaml")))))
        return _Survey(tuple(files), keys, touched, furniture, curation, extra, extracting,
                       settings, tuple(problems))

    @contextlib.contextmanager
    def reader(self) -> Iterator[Beside | None]:
        """When the cache holds an analysis to patch, a second process that loads the
        language model and compiles the tagger's rules at once, and then loads and tags
        the few files changed since the last build, while this one surveys the content
        and reads the cached analysis (the model and the rules took as long as that).
        A toolkit has them ready; many changed files are left to the parallel steps."""
        if (self.toolkit is not None or self.executor is not None or self.jobs == 1
                or not self.cache.has_snapshot()):
            yield None
            return
        with Beside(_reader, (self.config, self.languages)) as reader:
            yield reader

    def read_ahead(self, reader: Beside | None, survey: _Survey
                   ) -> _ReadAhead:
        """Hand ``reader`` the files changed since the last build that the cache does not
        hold, when they are few."""
        files = [(path, root) for path, root in survey.files if str(path) in survey.touched
                 and survey.keys[str(path)] is not None
                 and not self._known(survey, str(path))]
        if reader is None or not files or len(files) > _LOAD_PER_WORKER \
                or survey.extra:
            return [], lambda: None
        return files, reader.run(_read_files, [(survey.furniture, files)])

    def keep_read(self, survey: _Survey, read_ahead: _ReadAhead) -> int:
        """Put what the reader found in the cache (where the steps find it); how many
        files it read."""
        files, result = read_ahead
        found = result()
        if not files or found is None:
            return 0
        for (path, _), (outcome, mentions) in zip(files, found, strict=True):
            name = str(path)
            key = survey.keys[name] or ""
            self.cache.put(name, Entry(key, outcome) if mentions is None else Entry(
                key, outcome, survey.extracting, mentions, _shape(outcome, mentions)))
        return len(files)

    def _known(self, survey: _Survey, name: str) -> bool:
        entry = self.cache.entry(name)
        return entry is not None and entry.key == survey.keys[name]

    def outcomes(self, survey: _Survey, files: Sequence[tuple[Path, Path]]
                 ) -> tuple[dict[str, Article | Problem], int]:
        """Each file's Article or Problem (from the cache where its key is unchanged), and
        how many files had to be read."""
        cache = self.cache
        outcomes: dict[str, Article | Problem] = {}
        misses: list[tuple[Path, Path]] = []
        for path, root in files:
            name = str(path)
            entry = cache.entry(name)
            if entry is not None and survey.keys[name] is not None \
                    and entry.key == survey.keys[name]:
                outcomes[name] = entry.outcome
            else:
                misses.append((path, root))
        if not misses:
            return outcomes, 0
        workers = self.jobs if self.jobs is not None else worker_count(
            len(misses), _LOAD_PER_WORKER, None)
        found: Iterable[Article | Problem]
        if self.executor is not None or workers > 1:
            found = load_in_processes(misses, self.config, self.languages, survey.furniture,
                                      workers, self.executor)
        else:
            context = replace(make_context(self.config, self.languages,
                                           self.toolkit.detector if self.toolkit else None),
                              furniture=survey.furniture)
            found = (attempt(path, root, context) for path, root in misses)
        for (path, _), outcome in zip(misses, found, strict=True):
            name = str(path)
            outcomes[name] = outcome
            key = survey.keys[name]
            if key is not None:
                cache.put(name, Entry(key, outcome))
        return outcomes, len(misses)

    def mentions(self, survey: _Survey, articles: Sequence[Article],
                 file_of: Mapping[str, str]) -> dict[str, ArticleMentions]:
        """Each article's extracted mentions (from the cache where the article and what
        extraction reads are unchanged), by article id."""
        cache = self.cache
        extracted: dict[str, ArticleMentions] = {}
        todo: list[Article] = []
        for article in articles:
            entry = cache.entry(file_of[article.id])
            if (entry is not None and entry.extraction == survey.extracting
                    and entry.mentions is not None and entry.outcome == article):
                extracted[article.id] = entry.mentions
            else:
                todo.append(article)
        if not todo:
            return extracted
        workers = self.jobs if self.jobs is not None else worker_count(
            len(todo), _TAG_PER_WORKER, None)
        mentions: Iterable[ArticleMentions]
        if self.executor is not None or workers > 1:
            mentions = extract_in_processes(todo, self.languages, survey.extra, workers,
                                            self.executor)
        else:
            compiled = self._ready(survey) or compile_tagger_rules(self.languages,
                                                                   survey.extra)
            vocabulary: Vocabulary = {}
            mentions = (extract_or_report(article, compiled, vocabulary) for article in todo)
        for article, found in zip(todo, mentions, strict=True):
            extracted[article.id] = found
            entry = cache.entry(file_of[article.id])
            if entry is not None and entry.outcome == article:
                cache.put(file_of[article.id], Entry(
                    entry.key, entry.outcome, survey.extracting, found, _shape(article, found)))
        return extracted

    def _ready(self, survey: _Survey) -> TaggerRules | None:
        """The toolkit's compiled rules, unless the editor's aliases add gazetteer entries.
        Rules are compiled only to extract in this process: resolution reads a lexicon, a
        small part of their cost, so a build whose mentions all come from the cache
        compiles none."""
        return self.toolkit.tagger_rules if self.toolkit is not None and not survey.extra \
            else None

    def load_and_tag(self, survey: _Survey, reporter: Reporter, read_before: int = 0
                     ) -> tuple[LoadResult, Tagging, int]:
        """Every file loaded and tagged, the archive resolved; and how many files were read
        (``read_before``: by an attempt to patch the last analysis)."""
        outcomes, read = self.outcomes(survey, survey.files)
        read += read_before
        reporter.emit(StageStarted("load", f"{read} of {len(survey.files)} files changed"))
        problems = list(survey.problems)
        articles: list[Article] = []
        file_of: dict[str, str] = {}
        for path, _ in survey.files:
            outcome = outcomes[str(path)]
            if isinstance(outcome, Problem):
                problems.append(outcome)
            else:
                articles.append(outcome)
                file_of[outcome.id] = str(path)
                problems.extend(outcome.problems)
        articles.sort(key=lambda a: a.id)
        reporter.emit(StageStarted("tag", f"{len(articles)} articles"))
        extracted = self.mentions(survey, articles, file_of)
        self.cache.keep_only(str(path) for path, _ in survey.files)
        ready = self._ready(survey)
        lexicon = ready.lexicon if ready is not None else compile_lexicon(self.languages,
                                                                          survey.extra)
        tagging = unite([extracted[article.id] for article in articles], articles, lexicon,
                        survey.curation, hand_tags=dict(self.config.hand_tags))
        return LoadResult(tuple(articles), tuple(problems)), tagging, read

    def patch(self, survey: _Survey, snapshot: Snapshot) -> tuple[Analysis | None, int]:
        """The cached analysis with the new text of the files changed since, when every
        one of them kept its shape (``_shape``); None when the archive must be analysed
        again. Also: how many files were read."""
        if snapshot.settings != survey.settings or snapshot.keys.keys() != survey.keys.keys():
            return None, 0
        # Those changed since the cached analysis, and since the last build (a file whose
        # text went back to the cached analysis's has its cache entry brought back too).
        changed = [(path, root) for path, root in survey.files
                   if survey.keys[str(path)] != snapshot.keys[str(path)]
                   or str(path) in survey.touched]
        if any(survey.keys[str(path)] is None for path, _ in changed):
            return None, 0
        outcomes, read = self.outcomes(survey, changed)
        articles = sorted((o for o in outcomes.values() if isinstance(o, Article)),
                          key=lambda a: a.id)
        file_of = {outcome.id: name for name, outcome in outcomes.items()
                   if isinstance(outcome, Article)}
        self.mentions(survey, articles, file_of)
        for path, _ in changed:
            entry = self.cache.entry(str(path))
            if entry is None or _entry_shape(entry) != snapshot.shapes[str(path)]:
                return None, read
        return Analysis(with_new_text(snapshot.site, articles), None, snapshot.problems,
                        snapshot.left_out, snapshot.id,
                        frozenset(a.id for a in articles)), read

    def snapshot(self, survey: _Survey, analysis: Analysis) -> Snapshot | None:
        """The analysis as the cache keeps it (None when a file has no cache entry)."""
        keys: dict[str, str] = {}
        shapes: dict[str, str] = {}
        for path, _ in survey.files:
            name = str(path)
            key, entry = survey.keys[name], self.cache.entry(name)
            if key is None or entry is None or entry.key != key:
                return None
            shape = _entry_shape(entry)
            if shape is None:
                return None
            keys[name], shapes[name] = key, shape
        return Snapshot.of(survey.settings, keys, shapes, analysis.site, analysis.problems,
                           analysis.left_out)


def _reader(config: Config, languages: Languages) -> tuple[LoadContext, TaggerRules]:
    return make_context(config, languages), compile_tagger_rules(languages)


def _read_files(reader: tuple[LoadContext, TaggerRules],
                work: list[tuple[frozenset[str], list[tuple[Path, Path]]]]
                ) -> list[tuple[Article | Problem, ArticleMentions | None]]:
    """Each file loaded (with the archive's furniture) and, when it is an article, its
    mentions extracted."""
    context, rules = reader
    ((furniture, files),) = work
    context = replace(context, furniture=furniture)
    vocabulary: Vocabulary = {}
    read: list[tuple[Article | Problem, ArticleMentions | None]] = []
    for path, root in files:
        outcome = attempt(path, root, context)
        read.append((outcome, None if isinstance(outcome, Problem)
                     else extract_or_report(outcome, rules, vocabulary)))
    return read


def _shape(article: Article, mentions: ArticleMentions) -> str:
    """A digest of everything the analysis reads of one article beyond its text."""
    return settings_digest((repr(text_free(article)), repr(mentions)))


def _entry_shape(entry: Entry) -> str | None:
    """The shape of a cached file: its Problem, or its article's ``_shape`` (None when its
    mentions are not known)."""
    if isinstance(entry.outcome, Problem):
        return settings_digest((repr(entry.outcome),))
    return entry.shape or None


def _furniture(files: Sequence[tuple[Path, Path]], contents: Mapping[str, str | None],
               cache: BuildCache) -> frozenset[str]:
    """``learn_furniture`` over the raw-text files, reading only those the cache has not
    seen (by the digest of their bytes)."""
    known = cache.furniture_candidates()
    seen: dict[str, frozenset[str]] = {}
    candidates = []
    for path, _ in files:
        if path.suffix.lower() != ".txt":
            continue
        hexdigest = contents[str(path)]
        found = known.get(hexdigest) if hexdigest is not None else None
        if found is None:
            found = furniture_candidates(path)
        if hexdigest is not None:
            seen[hexdigest] = found
        candidates.append(found)
    if seen != known:
        cache.put_furniture_candidates(seen)
    return furniture_from(candidates, len(candidates))


def _tag(config: Config, articles: Sequence[Article], languages: Languages,
         rules: TaggerRules | None) -> Tagging:
    curation = None
    if config.entities is not None and config.entities.is_file():
        curation = load_curation(config.entities)
    return tag_archive(articles, languages, curation, rules=rules,
                       hand_tags=dict(config.hand_tags))


@_cycle_collector_paused()
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
        with _open(executor, jobs) as pool:
            analysis = analyse(config, reporter=reporter, toolkit=toolkit, cache=cache,
                               jobs=jobs, executor=pool)
        if use_cache:
            cache.save(taken)
        for note in cache.notes:
            reporter.emit(StageStarted("cache", note))
        problems.extend(analysis.problems)
        for problem in analysis.problems:
            reporter.emit(ProblemFound(problem))
        site = analysis.site
        articles, entities = len(site.articles), len(site.entities)
        left_out, basis, patched = analysis.left_out, analysis.basis, analysis.patched
        del analysis  # frees the mentions: no page needs them, and they weigh a GB at 100k
        theme = load_theme(config)
        renderer = Renderer(site, theme, config)
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
        # the text of some articles differs from what they were made from, the pages that
        # read none of those articles are the same without digesting their inputs.
        retexted = (last_pages.patched | patched if last_pages is not None and known
                    and basis and last_pages.basis == basis and last_pages.shared == shared
                    else None)
        with Staging(config.output, protected) as staging:
            todo: list[tuple[Job, tuple[str, tuple[str, ...]] | None]] = []
            if known:
                for job in render_jobs:
                    before = known.get(job.path)
                    if before is not None and retexted is not None \
                            and retexted.isdisjoint(before.reads) \
                            and staging.keep(job.path, before.output):
                        page_digests[job.path] = before
                        continue
                    record = renderer.input_record(job)
                    if before is not None and before.inputs == record[0] \
                            and staging.keep(job.path, before.output):
                        page_digests[job.path] = before
                    else:
                        todo.append((job, record))
            else:  # nothing to keep: each page's inputs are digested where it is rendered
                todo = [(job, None) for job in render_jobs]
            total = len(todo) + len(static)
            reporter.emit(StageStarted("render", f"{len(todo)} of {len(render_jobs)} pages "
                                       f"changed, and {len(static)} static files"))
            workers = worker_count(len(todo), _RENDER_PER_WORKER, jobs)
            jobs_todo = [job for job, _ in todo]
            describe = partial(_describe_page, search=config.search, inputs=not known)
            rendered = (render_in_processes(site, theme, config, render_jobs, workers,
                                            jobs_todo, describe)
                        if workers > 1 else render_described(renderer, render_jobs, jobs_todo,
                                                             describe))
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
                shards = _search_shards(site, render_jobs, page_digests)
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


def _describe_page(renderer: Renderer, job: Job, data: bytes, *, search: bool,
                   inputs: bool) -> tuple[str, str, tuple[str, tuple[str, ...]]]:
    """A rendered file's digest, the digest of what the search index reads from it ('' when
    it is not indexed or the site has no search) and, when ``inputs``, its
    ``input_record`` (('', ()) otherwise). Run in the render workers: at 10k articles
    these cost the one process writing the files tens of seconds."""
    return (output_digest(data),
            search_digest(data) if search and SEARCH_MARK in data else "",
            renderer.input_record(job) if inputs else ("", ()))


def _search_shards(site: Site, jobs: Sequence[Job], pages: Mapping[str, PageRecord]
                   ) -> dict[str, dict[str, str]]:
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
            folder = urls.search_shard(site.search_parts[job.key[0]])
        shards.setdefault(folder, {})[job.path] = record.search or record.output
    return shards


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
