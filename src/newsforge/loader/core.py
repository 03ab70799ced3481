"""Reading one article file into one Article: the loader's unit of work."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from slugify import slugify

from newsforge.config import Config
from newsforge.errors import LoadError
from newsforge.langdata import Languages
from newsforge.loader.detect import LanguageDetector, model_cache
from newsforge.loader.frontmatter import (
    NotAnArticleError,
    bundle_parts,
    filename_language,
    is_section_file,
    read_markdown,
    translation_key,
)
from newsforge.loader.metadata import Metadata, parse_metadata
from newsforge.loader.rawtext import infer_date_from_body, read_raw_text, synthesise_title
from newsforge.loader.read import read_article_text
from newsforge.loader.rules import LoaderRules, rules_for, shapes_only
from newsforge.model import (
    Article,
    BodyFormat,
    DateSource,
    Evidence,
    Paragraph,
    Problem,
    Severity,
    Span,
)


@dataclass(frozen=True, slots=True)
class LoadContext:
    """What reading one file needs besides the file: built once per run."""

    site_root: Path
    languages: tuple[str, ...]
    rules: Mapping[str, LoaderRules]
    detector: LanguageDetector
    markdown: MarkdownIt
    furniture: frozenset[str] = frozenset()
    drafts: bool = False
    """Whether drafts (``draft: true``) are loaded; by default they are left out."""

    def rules_for(self, language: str, shown: str, problems: list[Problem]) -> LoaderRules:
        """The language's rules; a language without data gets the shapes alone, and a
        warning saying which file would teach it the words."""
        rules = self.rules.get(language.split("-")[0])
        if rules is not None:
            return rules
        problems.append(Problem(
            shown, None, f"no language data for '{language}': only language-independent "
            "rules and CLDR's dates were used (datelines, signatures, repeated headlines)",
            f"add src/newsforge/langdata/{language.split('-')[0]}.yaml with a 'loader' section",
            Severity.WARNING))
        return shapes_only(language)


def make_context(config: Config, languages: Languages,
                 detector: LanguageDetector | None = None) -> LoadContext:
    """A reading context for the site's languages (loads the language model unless given)."""
    return LoadContext(
        site_root=config.root,
        languages=config.languages,
        rules=rules_for(languages),
        detector=detector or LanguageDetector(model_cache()),
        markdown=MarkdownIt("commonmark"),
        drafts=config.drafts,
    )


def article_id(path: Path, root: Path) -> str:
    """A stable, URL-safe id from the path relative to its content folder."""
    relative = path.relative_to(root).with_suffix("")
    parts = bundle_parts(relative.parts, path.suffix)
    return "/".join(slugify(part) or "article" for part in parts)


def display_path(path: Path, site_root: Path) -> str:
    """The path as problems and records show it: relative to the site when inside it."""
    try:
        return path.resolve().relative_to(site_root).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(path: Path, root: Path, context: LoadContext) -> Article:
    """Read one article file; raises LoadError when it cannot become an Article."""
    shown = display_path(path, context.site_root)
    if is_section_file(path):
        raise NotAnArticleError("a section's own page (_index), not an article: left out",
                          path=shown, hint="nothing to do; articles are the other files")
    text = read_article_text(path, shown)
    digest = hashlib.sha256(text.encode("utf-8"))
    sidecar = _sidecar(path, context, digest)
    if sidecar is not None and sidecar.draft and not context.drafts:
        raise NotAnArticleError("a draft (draft: true in its sidecar): left out",
                                path=display_path(path.with_suffix(".yaml"), context.site_root),
                                line=sidecar.line_of("draft"),
                                hint="build with --drafts to include drafts, or set draft: false")
    if path.suffix.lower() == ".txt":
        article = _from_raw_text(text, shown, context, sidecar.language if sidecar else None)
    else:
        article = _from_markdown(text, shown, context, path, root)
    article = replace(article, id=article_id(path, root), content_hash=digest.hexdigest()[:16])
    return _apply(article, sidecar, shown, "sidecar", DateSource.SIDECAR)


def _sidecar(path: Path, context: LoadContext, digest: hashlib._Hash) -> Metadata | None:
    if path.suffix.lower() != ".txt":
        return None
    sidecar = path.with_suffix(".yaml")
    if not sidecar.is_file():
        return None
    shown = display_path(sidecar, context.site_root)
    try:
        text = sidecar.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"cannot read sidecar: {exc}", path=shown,
                        hint="save it as UTF-8 YAML") from None
    digest.update(text.encode("utf-8"))
    return parse_metadata(text, path=shown, first_line=1, languages=context.languages,
                          allow_unknown=False)


def _detect(text: str, shown: str, context: LoadContext) -> tuple[str, Evidence, list[Problem]]:
    detection = context.detector.detect(text, context.languages)
    evidence = Evidence("language", "detected from the text",
                        f"{detection.language} (p={detection.confidence:.2f})")
    problems = []
    confirm = "set 'language' in a sidecar or the front matter to confirm it"
    if detection.too_short:
        problems.append(Problem(
            shown, None, f"the text is too short to identify its language with confidence; "
            f"filed as '{detection.language}'", confirm, Severity.WARNING, "language"))
    if detection.also is not None:
        problems.append(Problem(
            shown, None, f"the page mixes languages: mostly '{detection.language}', with a "
            f"stretch in '{detection.also}'; filed as '{detection.language}'", confirm,
            Severity.WARNING, "language"))
    return detection.language, evidence, problems


def _from_raw_text(text: str, shown: str, context: LoadContext,
                   language: str | None = None) -> Article:
    """Read scraped text with the rules of its language (the sidecar's, else detected)."""
    if language is None:
        language, language_evidence, problems = _detect(text, shown, context)
    else:
        language_evidence, problems = Evidence("language", "set in the sidecar", language), []
    rules = context.rules_for(language, shown, problems)
    reading = read_raw_text(text, shown, rules, context.furniture)
    if not reading.paragraphs:
        raise LoadError("no article text found (only page furniture)", path=shown, line=1,
                        hint="check that the file holds an article, or convert it to Markdown")
    title = reading.title
    evidence = [language_evidence, *reading.evidence]
    if title is None:
        title = synthesise_title(reading.paragraphs, reading.dateline)
        evidence.append(Evidence("title", "synthesised from the first sentence", title))
    spans = _spans(shown, reading.paragraphs, title=reading.title_line,
                   source=reading.source_line, author=reading.author_line,
                   date=reading.date_line)
    return Article(
        id="", path=shown, content_hash="", language=language, title=title,
        title_synthesised=reading.title is None, paragraphs=reading.paragraphs,
        body_format=BodyFormat.TEXT, published=reading.published,
        date_source=reading.date_source, partial_date=reading.partial_date,
        source=reading.source, author=reading.author, dateline=reading.dateline,
        spans=spans, evidence=tuple(evidence), problems=(*problems, *reading.problems))


def _from_markdown(text: str, shown: str, context: LoadContext, path: Path,
                   root: Path) -> Article:
    reading = read_markdown(text, shown, context.languages, context.markdown)
    meta = reading.metadata
    if meta.draft and not context.drafts:
        raise NotAnArticleError("a draft (draft: true): left out", path=shown,
                          line=meta.line_of("draft"),
                          hint="build with --drafts to include drafts, or set draft: false")
    if not reading.blocks and reading.front_matter is not None:
        raise NotAnArticleError("front matter but no text: a section or list page, not an article; "
                          "left out", path=shown,
                          hint="write the article's text after the front matter if it is one")
    if not reading.blocks:
        raise LoadError("the article has no body", path=shown,
                        hint="write the article's text after the front matter")
    evidence: list[Evidence] = []
    problems: list[Problem] = []
    body_text = "\n\n".join(block.text for block in reading.blocks)
    suffix = filename_language(path, context.languages)
    language = meta.language
    if language is None and suffix is not None:
        language = suffix
        evidence.append(Evidence("language", "the file name's language suffix",
                                 f"{path.name} -> {suffix}"))
    if language is None:
        language, found, problems = _detect(
            f"{reading.heading or ''}\n{body_text}", shown, context)
        evidence.append(found)
    title, synthesised, title_line = meta.title, False, meta.line_of("title")
    if title is None and reading.heading:
        title, title_line = reading.heading, reading.heading_line
        evidence.append(Evidence("title", "first-level heading", title, title_line))
    if title is None:
        title, synthesised = synthesise_title(reading.blocks, meta.dateline), True
        evidence.append(Evidence("title", "synthesised from the first sentence", title))
    published, date_source, partial = None, DateSource.UNKNOWN, None
    if meta.published is None:
        # No date by hand: the text's own dates, by the same rules as for scraped pages.
        rules = context.rules_for(language, shown, problems)
        published, date_source, _, partial = infer_date_from_body(
            reading.blocks, rules, evidence, problems, shown)
    article = Article(
        id="", path=shown, content_hash="", language=language, title=title,
        title_synthesised=synthesised, paragraphs=reading.blocks,
        body_format=BodyFormat.MARKDOWN, published=published, date_source=date_source,
        partial_date=partial, spans=_spans(shown, reading.blocks, title=title_line),
        evidence=tuple(evidence), problems=tuple(problems), extra=meta.extra,
        modified=meta.modified,
        translation_key=translation_key(
            meta, bundle_parts(path.relative_to(root).with_suffix("").parts, path.suffix),
            suffix))
    return _apply(article, meta, shown, "front matter", DateSource.FRONT_MATTER)


def _apply(article: Article, meta: Metadata | None, shown: str, origin: str,
           date_source: DateSource) -> Article:
    """Fields set by hand replace inferred ones; the evidence says so."""
    if meta is None:
        return article
    changes: dict[str, object] = {}
    evidence = list(article.evidence)
    spans = dict(article.spans)
    for name in ("title", "language", "source", "author", "dateline"):
        value = getattr(meta, name)
        if value is not None:
            changes[name] = value
            line = meta.line_of(name) or (meta.line_of("lang") if name == "language" else None)
            evidence.append(Evidence(name, f"set in the {origin}", str(value), line))
            if line:
                spans[name] = Span(shown, line)
    if meta.title is not None:
        changes["title_synthesised"] = False
    if meta.published is not None:
        changes.update(published=meta.published, date_source=date_source, partial_date=None)
        evidence.append(Evidence("date", f"set in the {origin}"
                                 + ("" if meta.date_key == "date" else f" ({meta.date_key})"),
                                 meta.published.isoformat(), meta.line_of(meta.date_key)))
        changes["problems"] = tuple(p for p in article.problems if p.field != "date")
    if meta.extra:
        changes["extra"] = meta.extra
    if meta.modified is not None:
        changes["modified"] = meta.modified
    if meta.translation_key is not None:
        changes["translation_key"] = meta.translation_key
    changes["evidence"] = tuple(evidence)
    changes["spans"] = tuple(sorted(spans.items()))
    return replace(article, **changes)  # type: ignore[arg-type]


def _spans(shown: str, paragraphs: Sequence[Paragraph], **lines: int | None
           ) -> tuple[tuple[str, Span], ...]:
    spans = {name: Span(shown, line) for name, line in lines.items() if line}
    if paragraphs:
        spans["body"] = Span(shown, paragraphs[0].span.line,
                             paragraphs[-1].span.end_line or paragraphs[-1].span.line)
    return tuple(sorted(spans.items()))


def attempt(path: Path, root: Path, context: LoadContext) -> Article | Problem:
    """``load_file``, with a failure returned as its Problem instead of raised.

    An unexpected exception is a bug in newsforge, but it still costs this file only:
    it becomes the file's problem, so one strange file never stops a whole archive.
    """
    try:
        return load_file(path, root, context)
    except NotAnArticleError as skipped:
        return skipped.to_problem(Severity.INFO)
    except LoadError as error:
        return error.to_problem()
    except Exception as error:  # reported as this file's problem, never swallowed
        return Problem(display_path(path, context.site_root), None,
                       f"internal error while reading this file: {type(error).__name__}: "
                       f"{error}; the file was left out",
                       "please report this as a newsforge bug, with the file attached")
