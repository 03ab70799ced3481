"""The archive understood: load -> tag -> assemble, from the cache where it can.

``analyse`` runs the first three stages over the content folder and gives the Site with
every problem found. Given the build cache it runs them step by step, so that each
file's loading and extraction comes from the cache while the file is unchanged. When
every file changed since the last whole analysis kept what resolution and ``assemble``
read of it (a typo fixed, a sentence that names no one, a byline), it takes that
analysis with those articles retouched instead of tagging and assembling the archive
again. The few files changed since the last build are then loaded and tagged in a
second process while this one reads the cached analysis. Tests hold every way equal to
the stages' own entry points.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsforge.cache import (
    CACHE_DIR,
    BuildCache,
    Entry,
    Snapshot,
    article_key,
    settings_digest,
)
from newsforge.config import Config
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
from newsforge.loader.detect import model_cache
from newsforge.model import Article, Problem, Severity, Tagging
from newsforge.report import NullReporter, Reporter, StageStarted
from newsforge.site import (
    PackedTexts,
    Site,
    assemble,
    assembly_input,
    resolved_by_linking,
    with_retouched,
    with_texts,
)
from newsforge.tagger import Curation, compile_lexicon, load_curation, tag_archive, unite
from newsforge.tagger import Rules as TaggerRules
from newsforge.tagger import compile_rules as compile_tagger_rules
from newsforge.tagger.curation import curated_entries
from newsforge.tagger.extract import ArticleMentions, Vocabulary, extract_or_report
from newsforge.tagger.parallel import extract_in_processes
from newsforge.tagger.resolve import resolution_input
from newsforge.tagger.rules import GazetteerEntry
from newsforge.workers import Beside, Executor, ProcessExecutor, worker_count

# As in loader/ and tagger/: below a few hundred changed files, workers cost more.
_LOAD_PER_WORKER = 400
_TAG_PER_WORKER = 500
# Files per task handed to a worker that reads and tags them.
_CHUNK = 64


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole archive understood, before anything is written."""

    site: Site
    tagging: Tagging | None
    """The tagger's result, with every mention (the Site keeps only who is named where);
    None when the site is the cached analysis with some articles retouched (``patched``)."""
    problems: tuple[Problem, ...]
    left_out: tuple[str, ...] = ()
    """Content files an error kept off the site (each has its problem in ``problems``)."""
    basis: str = ""
    """The id of the cached analysis (``Snapshot.id``) this Site is, or is patched from;
    '' when it is not in the cache."""
    patched: frozenset[str] = frozenset()
    """The articles retouched since that cached analysis: their text, source or author
    differ (the Site has the new)."""
    texts: PackedTexts = field(default_factory=PackedTexts)
    """The texts of the Site's articles that are bare in it (``site.TEXT_FIELDS``): the
    cached analysis keeps them packed, and most pages never read them."""

    def whole(self) -> Analysis:
        """This analysis with every article of its Site whole."""
        return replace(self, site=with_texts(self.site, self.texts), texts=PackedTexts())


@dataclass(frozen=True, slots=True)
class Toolkit:
    """Read-only tools every build needs; a long-running process (the preview server)
    prepares them once and hands them to each rebuild instead of loading them again."""

    languages: Languages
    detector: LanguageDetector
    tagger_rules: TaggerRules


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
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
    return Toolkit(languages, LanguageDetector(model_cache()),
                   compile_tagger_rules(languages))


@cycle_collector_paused()
def analyse(config: Config, paths: Sequence[Path] | None = None,
            reporter: Reporter | None = None, toolkit: Toolkit | None = None, *,
            cache: BuildCache | None = None, jobs: int | None = None,
            executor: Executor | None = None) -> Analysis:
    """Load, tag and assemble the archive (or only ``paths``): the Site and every problem.

    With ``cache`` (the whole content folder only), files whose inputs are unchanged are
    neither read nor tagged again, and when every changed file kept what resolution and
    ``assemble`` read of it the cached analysis is taken with those articles retouched
    instead of tagging and assembling the archive again; ``jobs`` sets the worker
    processes (None: by size) and ``executor`` runs loading and extraction elsewhere
    (a Dask cluster)."""
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
        snapshot = cache.snapshot()
        read = steps.keep_read(survey, read_ahead)
    if snapshot is not None:
        patched, more = steps.patch(survey, snapshot)
        read += more
        if patched is not None:
            reporter.emit(StageStarted("load", f"{read} of {len(survey.files)} files changed"))
            reporter.emit(StageStarted("assemble", "the last analysis, with "
                                       f"{len(patched.patched)} articles retouched"))
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
        # As strings, once: at 100k files, Path operations were a rebuild's first cost.
        names = [str(path) for path, _ in files]
        contents = {name: cache.file_digest(name) for name in names}
        sidecar_of = {name: f"{name[:-len(path.suffix)]}.yaml"
                      for name, (path, _) in zip(names, files, strict=True)
                      if path.suffix.lower() == ".txt"}
        sidecars = {name: cache.file_digest(sidecar) for name, sidecar in sidecar_of.items()}
        furniture = _furniture(list(sidecar_of), contents, cache)  # the raw-text files
        # Everything in the configuration the loader reads: its answers depend on these.
        reading = settings_digest((language_data, str(config.root), config.languages,
                                   config.drafts, sorted(furniture)))
        keys = {name: None if contents[name] is None else article_key(
                    reading, "", name, str(root), contents[name] or "", sidecars.get(name))
                for name, (_, root) in zip(names, files, strict=True)}
        curation = None
        if config.entities is not None and config.entities.is_file():
            curation = load_curation(config.entities)
        extra: tuple[GazetteerEntry, ...] = ()
        if curation is not None and curation.aliases:
            extra = tuple(curated_entries(curation))
        extracting = settings_digest((language_data, repr(extra)))
        curated = cache.file_digest(str(config.entities)) if config.entities else None
        settings = settings_digest((reading, extracting, repr(config), curated or "-"))
        touched = frozenset(name for name in names if cache.changed(name) or (
            name in sidecar_of and cache.changed(sidecar_of[name])))
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
                 and self._loaded(survey, str(path)) is None]
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
            self.cache.put(name, Entry(key, outcome) if mentions is None
                           else _tagged(key, outcome, survey.extracting, mentions))
        return len(files)

    def _loaded(self, survey: _Survey, name: str) -> Entry | None:
        """The cache's entry for a content file, when it was made from the file as it is."""
        entry = self.cache.entry(name)
        key = survey.keys[name]
        return entry if entry is not None and key is not None and entry.key == key else None

    def outcomes(self, survey: _Survey, files: Sequence[tuple[Path, Path]]
                 ) -> tuple[dict[str, Article | Problem], int]:
        """Each file's Article or Problem (from the cache where its key is unchanged), and
        how many files had to be read. A file read is tagged at once, by the process that
        read it (its mentions go to the cache, where ``mentions`` finds them): an article
        then crosses between processes once, and one set of workers does both."""
        cache = self.cache
        outcomes: dict[str, Article | Problem] = {}
        misses: list[tuple[Path, Path]] = []
        for path, root in files:
            entry = self._loaded(survey, str(path))
            if entry is not None:
                outcomes[str(path)] = entry.outcome
            else:
                misses.append((path, root))
        if not misses:
            return outcomes, 0
        # Read shard by shard, so that each shard can be written once its last file is in.
        misses.sort(key=lambda file: cache.shard_of(str(file[0])))
        unread = Counter(cache.shard_of(str(path)) for path, _ in misses)
        workers = self.jobs if self.jobs is not None else worker_count(
            len(misses), _LOAD_PER_WORKER, None)
        found: Iterable[tuple[Article | Problem, ArticleMentions | None]]
        if self.executor is not None or workers > 1:
            found = (self.executor or ProcessExecutor(workers)).map(
                _reading_state, _read_chunk, misses,
                (self.config, self.languages, survey.furniture, survey.extra), chunk=_CHUNK)
        else:
            context = replace(make_context(self.config, self.languages,
                                           self.toolkit.detector if self.toolkit else None),
                              furniture=survey.furniture)
            rules = self._ready(survey) or compile_tagger_rules(self.languages, survey.extra)
            found = _read((context, rules, {}), misses)
        for (path, _), (outcome, mentions) in zip(misses, found, strict=True):
            name = str(path)
            outcomes[name] = outcome
            key = survey.keys[name]
            if key is not None:
                cache.put(name, Entry(key, outcome) if mentions is None
                          else _tagged(key, outcome, survey.extracting, mentions))
            shard = cache.shard_of(name)
            unread[shard] -= 1
            if not unread[shard]:
                cache.save_shard(shard)
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
                cache.put(file_of[article.id],
                          _tagged(entry.key, article, survey.extracting, found))
        return extracted

    def _ready(self, survey: _Survey) -> TaggerRules | None:
        """The toolkit's compiled rules, unless the editor's aliases add gazetteer entries.
        Rules are compiled only to extract in this process: resolution reads a lexicon, a
        small part of their cost, so a build whose mentions all come from the cache
        compiles none."""
        return self.toolkit.tagger_rules if self.toolkit is not None and not survey.extra \
            else None

    def load_and_tag(self, survey: _Survey, reporter: Reporter, read_before: int
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
        """The cached analysis with the files changed since retouched, when every
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
        cached = cached_analysis(snapshot)
        retouched = frozenset(a.id for a in articles)
        return replace(cached, site=with_retouched(cached.site, articles, cached.texts),
                       patched=retouched, texts=cached.texts.without(retouched)), read

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


def cached_analysis(snapshot: Snapshot) -> Analysis:
    """The analysis ``snapshot`` keeps, as it is."""
    return Analysis(snapshot.site, None, snapshot.problems, snapshot.left_out, snapshot.id,
                    texts=snapshot.texts if snapshot.texts is not None else PackedTexts())


_Reading = tuple[LoadContext, TaggerRules, Vocabulary]
"""What a process reads and tags with: the loader's context (with the archive's furniture),
the compiled tagger rules, and its memo of words."""


def _reader(config: Config, languages: Languages) -> tuple[LoadContext, TaggerRules]:
    return make_context(config, languages), compile_tagger_rules(languages)


def _read_files(reader: tuple[LoadContext, TaggerRules],
                work: list[tuple[frozenset[str], list[tuple[Path, Path]]]]
                ) -> list[tuple[Article | Problem, ArticleMentions | None]]:
    """``_read`` of the files of the one piece of ``work``, with its furniture."""
    context, rules = reader
    ((furniture, files),) = work
    return list(_read((replace(context, furniture=furniture), rules, {}), files))


def _reading_state(config: Config, languages: Languages, furniture: frozenset[str],
                   extra: tuple[GazetteerEntry, ...]) -> _Reading:
    # Built once per worker: the language model and the rules take a second or two.
    return (replace(make_context(config, languages), furniture=furniture),
            compile_tagger_rules(languages, extra), {})


def _read_chunk(reading: _Reading, chunk: list[tuple[Path, Path]]
                ) -> list[tuple[Article | Problem, ArticleMentions | None]]:
    return list(_read(reading, chunk))


def _read(reading: _Reading, files: Iterable[tuple[Path, Path]]
          ) -> Iterator[tuple[Article | Problem, ArticleMentions | None]]:
    """Each file loaded and, when it is an article, its mentions extracted."""
    context, rules, vocabulary = reading
    for path, root in files:
        outcome = attempt(path, root, context)
        yield outcome, (None if isinstance(outcome, Problem)
                        else extract_or_report(outcome, rules, vocabulary))


def _tagged(key: str, article: Article, extracting: str, mentions: ArticleMentions) -> Entry:
    """The cache entry of a file loaded into ``article`` and tagged with ``mentions``."""
    return Entry(key, article, extracting, mentions, _shape(article, mentions))


def _shape(article: Article, mentions: ArticleMentions) -> str:
    """A digest of everything the analysis reads of one article: what ``assemble`` reads
    of it, and what resolution reads of its mentions."""
    return settings_digest((repr(assembly_input(article)), repr(resolution_input(mentions))))


def _entry_shape(entry: Entry) -> str | None:
    """The shape of a cached file: its Problem, or its article's ``_shape`` (None when its
    mentions are not known)."""
    if isinstance(entry.outcome, Problem):
        return settings_digest((repr(entry.outcome),))
    return entry.shape or None


def _furniture(texts: Iterable[str], contents: Mapping[str, str | None],
               cache: BuildCache) -> frozenset[str]:
    """``learn_furniture`` over the raw-text files ``texts``, reading only those the cache
    has not seen (by the digest of their bytes)."""
    known = cache.furniture_candidates()
    seen: dict[str, frozenset[str]] = {}
    candidates = []
    for name in texts:
        hexdigest = contents[name]
        found = known.get(hexdigest) if hexdigest is not None else None
        if found is None:
            found = furniture_candidates(Path(name))
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
