"""The build recipe, top to bottom: load -> tag -> assemble -> render -> write.

Every stage is called from here and from nowhere else. Problems from every stage are
collected and reported as ``path:line: message``. A bad content file costs that file
only: it is left out, reported, and the rest of the site is published. The site is
rendered into a temporary tree and swapped into place only when nothing site-wide failed
(configuration, theme, templates, the output folder) and, with ``strict``, when there was
no problem at all; so a failed or interrupted build leaves the previous output untouched.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsforge.config import Config
from newsforge.errors import NewsforgeError
from newsforge.langdata import Languages, load_languages
from newsforge.loader import LanguageDetector, load_tree
from newsforge.model import Article, Problem, Severity, Tagging
from newsforge.output import Staging
from newsforge.render import Renderer, render_in_processes
from newsforge.report import (
    BuildFinished,
    NullReporter,
    ProblemFound,
    ProgressMade,
    Reporter,
    StageStarted,
)
from newsforge.site import Site, assemble, resolved_by_linking
from newsforge.tagger import Rules as TaggerRules
from newsforge.tagger import compile_rules as compile_tagger_rules
from newsforge.tagger import load_curation, tag_archive
from newsforge.theme import load_theme
from newsforge.workers import worker_count

PROGRESS_EVERY = 200
# Below a few thousand pages, starting render workers (each rebuilding its Jinja
# environment from a copy of the Site) costs more than it saves.
_RENDER_PER_WORKER = 2500


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole archive understood, before anything is written."""

    site: Site
    problems: tuple[Problem, ...]
    left_out: tuple[str, ...] = ()
    """Content files an error kept off the site (each has its problem in ``problems``)."""


@dataclass(frozen=True, slots=True)
class Toolkit:
    """Read-only tools every build needs; a long-running process (the preview server)
    prepares them once and hands them to each rebuild instead of loading them again."""

    languages: Languages
    detector: LanguageDetector
    tagger_rules: TaggerRules


def prepare_toolkit() -> Toolkit:
    """Load the language data, the language-identification model and the tagger's rules."""
    languages = load_languages()
    return Toolkit(languages, LanguageDetector(), compile_tagger_rules(languages))


def analyse(config: Config, paths: Sequence[Path] | None = None,
            reporter: Reporter | None = None, toolkit: Toolkit | None = None) -> Analysis:
    """Load, tag and assemble the archive (or only ``paths``): the Site and every problem."""
    reporter = reporter or NullReporter()
    languages = toolkit.languages if toolkit else load_languages()
    reporter.emit(StageStarted("load", str(config.content)))
    loaded = load_tree(config, languages, paths,
                       detector=toolkit.detector if toolkit else None)
    reporter.emit(StageStarted("tag", f"{len(loaded.articles)} articles"))
    tagging = _tag(config, loaded.articles, languages,
                   toolkit.tagger_rules if toolkit else None)
    reporter.emit(StageStarted("assemble", f"{len(tagging.entities)} entities"))
    site = assemble(loaded.articles, tagging, config)
    by_path = {a.path: a for a in site.articles}
    problems = [p for p in loaded.problems if not resolved_by_linking(p, by_path)]
    problems.extend(tagging.problems)
    problems.extend(site.problems)
    published = {article.path for article in site.articles}
    left_out = sorted({p.path for p in (*loaded.problems, *site.problems)
                       if p.severity is Severity.ERROR and p.path not in published})
    return Analysis(site, tuple(dict.fromkeys(problems)), tuple(left_out))


def _tag(config: Config, articles: Sequence[Article], languages: Languages,
         rules: TaggerRules | None) -> Tagging:
    curation = None
    if config.entities is not None and config.entities.is_file():
        curation = load_curation(config.entities)
    return tag_archive(articles, languages, curation, rules=rules,
                       hand_tags=dict(config.hand_tags))


def build_site(config: Config, reporter: Reporter | None = None,
               strict: bool = False, toolkit: Toolkit | None = None) -> BuildFinished:
    """Build the site into ``config.output``; the old output survives any failure.

    NewsforgeErrors (a broken template, an unusable output folder) become reported
    problems and a failed result; KeyboardInterrupt propagates after the temporary tree
    is removed.
    """
    reporter = reporter or NullReporter()
    started = time.perf_counter()
    problems: list[Problem] = []
    articles = entities = pages = 0
    written = False
    left_out: tuple[str, ...] = ()
    try:
        analysis = analyse(config, reporter=reporter, toolkit=toolkit)
        problems.extend(analysis.problems)
        for problem in analysis.problems:
            reporter.emit(ProblemFound(problem))
        site = analysis.site
        articles, entities = len(site.articles), len(site.entities)
        left_out = analysis.left_out
        theme = load_theme(config)
        renderer = Renderer(site, theme, config)
        jobs = renderer.jobs()
        static = theme.static_files()
        total = len(jobs) + len(static)
        reporter.emit(StageStarted("render", f"{total} files"))
        protected = tuple(p for p in (config.content, config.root, config.templates,
                                      config.static) if p is not None)
        workers = worker_count(len(jobs), _RENDER_PER_WORKER, None)
        rendered = (render_in_processes(site, theme, config, jobs, workers) if workers > 1
                    else (renderer.render(job, jobs) for job in jobs))
        with Staging(config.output, protected) as staging:
            for done, (path, data) in enumerate(rendered, 1):
                staging.write(path, data)
                if done % PROGRESS_EVERY == 0 or done == len(jobs):
                    reporter.emit(ProgressMade("render", done, total))
            for name, source in static:
                staging.write(f"static/{name}", source.read_bytes())
            pages = staging.files
            if not (strict and any(p.severity is not Severity.INFO for p in problems)):
                reporter.emit(StageStarted("write", str(config.output)))
                staging.commit()
                written = True
    except NewsforgeError as error:
        problem = error.to_problem()
        problems.append(problem)
        reporter.emit(ProblemFound(problem))
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    result = BuildFinished(written, articles, entities, pages, warnings, errors,
                           round(time.perf_counter() - started, 3), str(config.output),
                           tuple(problems), left_out)
    reporter.emit(result)
    return result
