"""Pages from a Site: every output file, its bytes, and what it is made from. No file I/O.

The site's files are listed first (``plan``: one small Job per file, cheap, so a 100k-
article build knows its total up front). Each page kind is a view in ``render/views/``:
a function making the page's template context from the shared ``Kit``, and a function
naming the records the page is made from, as digests (``Inputs``): that is the site's
dependency graph, which lets a build skip every page whose inputs did not change.
``Renderer`` ties them together; ``render_in_processes`` renders in worker processes.

Everything from content reaches templates as plain text and is escaped by Jinja's
autoescape; the only markup built here is the article body (text paragraphs escaped
with ``markupsafe.escape``; Markdown rendered by markdown-it-py with raw HTML off).
Dates and month names come from CLDR via Babel, interface strings from the theme's
``i18n/<lang>.yaml``; nothing reads the process locale.
"""

from __future__ import annotations

import html
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import jinja2
import jinja2.meta

from newsforge.config import Config
from newsforge.errors import BuildError, NewsforgeError
from newsforge.model import Problem, Severity
from newsforge.render.collation import Collator
from newsforge.render.inputs import Inputs, digest_of, theme_digest
from newsforge.render.kit import INDEX_PAGE_SIZE, CompiledTemplates, Job, Kit, View
from newsforge.render.plan import plan, render_order
from newsforge.render.texts import Paragraphs, Texts
from newsforge.render.views import archive, article, entity, feeds, front, sitemaps
from newsforge.site import Site, without_texts
from newsforge.theme import Theme
from newsforge.workers import map_in_processes

__all__ = ["INDEX_PAGE_SIZE", "Collator", "CompiledTemplates", "Job", "Renderer", "Texts",
           "render_described", "render_in_processes", "render_mapping", "render_order",
           "render_pages"]

VIEWS: Mapping[str, View] = {view.kind: view for view in (
    *front.VIEWS, *article.VIEWS, *entity.VIEWS, *archive.VIEWS, *feeds.VIEWS,
    *sitemaps.VIEWS)}


class Renderer:
    """Renders one Site with one Theme: its files, each file's bytes and input digest."""

    def __init__(self, site: Site, theme: Theme, config: Config,
                 jobs: tuple[Job, ...] | None = None, texts: Texts | None = None,
                 compiled: CompiledTemplates | None = None) -> None:
        """``jobs``: the site's files when ``jobs()`` was planned already; ``texts``: the
        articles' texts when ``site`` has its articles bare; ``compiled``: templates kept
        compiled by earlier builds."""
        self.site = site
        self.texts = texts or Texts(site.article_by_id)
        self.config = config
        self.kit = Kit(site, theme, config, self.texts, compiled)
        self._theme = theme
        self._inputs: Inputs | None = None
        self._jobs = jobs
        self._templates: dict[str, str] = {}

    def jobs(self) -> tuple[Job, ...]:
        """Every file of the site, in a fixed order."""
        if self._jobs is None:
            self._jobs = plan(self.site, self.config)
        return self._jobs

    def input_digest(self, job: Job) -> str:
        """A digest of everything the file reads: equal digests, equal bytes."""
        return self.input_record(job)[0]

    def input_record(self, job: Job) -> tuple[str, tuple[str, ...]]:
        """``input_digest``, and the ids of the articles whose records it covers."""
        view = VIEWS[job.kind]
        inputs = self._prepared_inputs()
        try:
            template = self._template_digest(view.template)
        except jinja2.TemplateError as error:  # a broken or missing template, named
            raise _template_error(error, view.template, job.path) from None
        inputs.read.clear()
        names = (template, *view.inputs(inputs, job))
        return (inputs.page(job.kind, repr((job.key, job.page, job.pages)), names),
                tuple(dict.fromkeys(inputs.read)))

    def shared_digest(self) -> str:
        """A digest of what every page reads besides its records: the configuration, the
        interface strings, the site's title and languages, and every template."""
        return digest_of((self._prepared_inputs().common, theme_digest(self._theme)))

    def _prepared_inputs(self) -> Inputs:
        if self._inputs is None:
            self._inputs = Inputs(self.site, self.texts, self.config, self._theme,
                                  self.jobs())
        return self._inputs

    def _template_digest(self, name: str) -> str:
        """A digest of a template and of every template it extends, includes or imports
        (the theme's and the site's, as Jinja finds them); of every template when one of
        them names another by an expression."""
        found = self._templates.get(name)
        if found is None:
            env = self.kit.env
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            named = list(jinja2.meta.find_referenced_templates(
                env.parse(source, name, filename)))
            parts = [repr(name), repr(source)]
            if None in named:
                parts.append(theme_digest(self._theme))
            else:
                self._templates[name] = ""  # a template that includes itself ends here
                parts.extend(self._template_digest(other) for other in sorted(
                    {str(other) for other in named} - {name}))
            found = self._templates[name] = digest_of(parts)
        return found

    def render(self, job: Job, jobs: Sequence[Job] = ()) -> tuple[str, bytes]:
        """One file: ``(path, bytes)``. ``jobs`` is needed by the sitemap only."""
        view = VIEWS[job.kind]
        template = view.template
        context, page = view.context(self.kit, job, jobs)
        if page is not None:
            context = {**self.kit.common(page), **context}
        try:
            text = self.kit.env.get_template(template).render(context)
        except jinja2.TemplateError as error:
            raise _template_error(error, template, job.path) from None
        return job.path, text.encode("utf-8")

    def render_or_report(self, job: Job, jobs: Sequence[Job] = ()
                         ) -> tuple[str, bytes, Problem | None]:
        """``render``, except that an unexpected failure costs this page only: a plain
        page stands in (so no link breaks) and the failure comes back as the problem of
        the content file behind the page. Template and other user errors still raise."""
        try:
            return (*self.render(job, jobs), None)
        except (NewsforgeError, jinja2.TemplateError):
            raise
        except Exception as error:  # a bug in newsforge, reported and contained
            found = self.site.article_by_id.get(job.key[0]) \
                if job.kind == "article" and job.key else None
            problem = Problem(
                found.path if found else job.path, None,
                f"internal error while rendering {job.path}: {type(error).__name__}: "
                f"{error}; a plain stand-in page was written",
                "please report this as a newsforge bug, with the file attached",
                Severity.WARNING)
            title = html.escape(found.title if found else job.path)
            page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    f"<title>{title}</title></head><body><h1>{title}</h1>"
                    "<p>This page could not be rendered; the build report says why.</p>"
                    "</body></html>\n")
            return job.path, page.encode("utf-8"), problem


Rendered = tuple[str, bytes, "Problem | None", Any]
"""A rendered file: its path, its bytes, the problem it had (None) and what the caller's
``describe`` made of it (None without one)."""

Describe = Callable[["Renderer", Job, bytes], Any]
"""What a caller wants to know of each rendered file besides its bytes, worked out where
it was rendered (a module-level function, or a partial of one, to reach a worker)."""


_RENDER_CHUNK = 128
# Each render worker builds its Renderer once (a Jinja environment cannot be sent to it)
# and keeps it here, with the full job list the sitemap needs; never set in the parent.
_worker_renderer: list[tuple[Renderer, tuple[Job, ...], Describe | None]] = []


def render_in_processes(renderer: Renderer, workers: int, todo: Sequence[Job] | None = None,
                        describe: Describe | None = None) -> Iterator[Rendered]:
    """``render_or_report`` of every job of ``todo`` (default: all of ``renderer``'s),
    rendered in ``workers`` fresh processes, in order; ``describe(renderer, job, bytes)``
    runs in the worker too, so that its cost (digests of every page) is spread over the
    workers instead of falling on the caller.

    Each worker is handed the site with its articles bare, pickled once, and each
    article's paragraphs with the chunk holding its page: it holds no copy of the texts
    and none of this process's memory (a forked worker soon owned a copy of every page of
    it that held a record it read). Each page depends only on the Site and its job, so the
    bytes are the same as when rendered here; the caller still writes them, through its
    one checked writer."""
    jobs = renderer.jobs()
    texts = renderer.texts
    payload = pickle.dumps((without_texts(renderer.site), texts.for_workers(),
                            renderer.kit.theme, renderer.config, jobs, describe,
                            renderer.kit.env.bytecode_cache), protocol=pickle.HIGHEST_PROTOCOL)
    items = [(job, texts.paragraphs(job.key[0]) if VIEWS[job.kind].shows_text else None)
             for job in (jobs if todo is None else todo)]
    return map_in_processes(_render_chunk, items, workers=workers, chunk=_RENDER_CHUNK,
                            initializer=_start_render_worker, initargs=(payload,),
                            fresh=True)


def render_described(renderer: Renderer, jobs: Sequence[Job], todo: Iterable[Job],
                     describe: Describe | None = None) -> Iterator[Rendered]:
    """``render_in_processes`` in this process."""
    for job in todo:
        path, data, problem = renderer.render_or_report(job, jobs)
        yield path, data, problem, describe(renderer, job, data) if describe else None


def _start_render_worker(payload: bytes) -> None:
    site, texts, theme, config, jobs, describe, compiled = pickle.loads(payload)
    _worker_renderer.append((Renderer(site, theme, config, jobs, texts, compiled), jobs,
                             describe))


def _render_chunk(chunk: list[tuple[Job, Paragraphs | None]]) -> list[Rendered]:
    renderer, jobs, describe = _worker_renderer[0]
    renderer.texts.bodies = {job.key[0]: body for job, body in chunk if body is not None}
    return list(render_described(renderer, jobs, (job for job, _ in chunk), describe))


def render_pages(site: Site, theme: Theme, config: Config) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as ``(path, bytes)``, one at a time, in a fixed order."""
    renderer = Renderer(site, theme, config)
    jobs = renderer.jobs()
    for job in jobs:
        yield renderer.render(job, jobs)


def render_mapping(site: Site, theme: Theme, config: Config) -> Mapping[str, bytes]:
    """All files in one dict; fine for tests and small sites (builds stream instead)."""
    return dict(render_pages(site, theme, config))


def _template_error(error: jinja2.TemplateError, template: str, output: str) -> BuildError:
    """A template error as ``template:line: message``, found in Jinja's traceback."""
    path: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if path is None:
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")):
                path, line = name, tb.tb_lineno
            tb = tb.tb_next
    return BuildError(f"template error while rendering {output}: {error.message or error}",
                      path=path or template, line=line,
                      hint="fix the template (a site override in templates/ or the theme)")
