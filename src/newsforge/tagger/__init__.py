"""The tagger: people, parties, organisations and events, one identity across languages.

``tag_archive`` runs the steps in order: `extract` (candidate mentions per article,
from per-language data), `handtags` (the entities the front matter lists), `resolve`
(archive-wide entities with stable ids, one person across scripts) and, when the site has
an editor file, `curation` (the editor's corrections win).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from newsforge.langdata import Languages
from newsforge.model import Article, Problem, Severity, Tagging
from newsforge.tagger.curation import Curation, apply_curation, curated_entries, load_curation
from newsforge.tagger.extract import ArticleMentions, Vocabulary, extract_or_report
from newsforge.tagger.handtags import DEFAULT_MAPPING, with_hand_tags
from newsforge.tagger.parallel import extract_in_processes
from newsforge.tagger.resolve import resolve
from newsforge.tagger.rules import GazetteerEntry, Lexicon, Rules, compile_lexicon, compile_rules
from newsforge.workers import worker_count

__all__ = ["Curation", "Lexicon", "Rules", "compile_lexicon", "compile_rules", "load_curation",
           "tag_archive", "unite"]

# Starting a worker (and compiling the language data in it) costs about what extracting
# a few hundred articles does.
_PARALLEL_PER_WORKER = 500


def tag_archive(articles: Iterable[Article], languages: Languages,
                curation: Curation | None = None, *, rules: Rules | None = None,
                id_language: str = "en", jobs: int | None = None,
                hand_tags: Mapping[str, str] = DEFAULT_MAPPING) -> Tagging:
    """Find and resolve the entities of a whole archive.

    The result does not depend on the order of ``articles`` (they are read in id order)
    nor on ``jobs``, the cap on worker processes for extraction in large archives.
    ``rules`` may be passed to reuse compiled language data across calls;
    ``id_language`` is the language whose name templates give event ids;
    ``hand_tags`` maps front-matter list keys beyond the fixed ``people``, ``parties``,
    ``organisations`` and ``events`` to the entity type they list, or ``auto``.
    """
    compiled = rules or compile_rules(languages)
    extra: tuple[GazetteerEntry, ...] = ()
    if curation is not None and curation.aliases:
        # The editor's aliases are found in the text like gazetteer names.
        extra = tuple(curated_entries(curation))
        compiled = compile_rules(languages, extra)
    ordered = sorted(articles, key=lambda a: a.id)
    workers = worker_count(len(ordered), _PARALLEL_PER_WORKER, jobs)
    if workers > 1:
        extracted = list(extract_in_processes(ordered, languages, extra, workers))
    else:
        vocabulary: Vocabulary = {}
        extracted = [extract_or_report(article, compiled, vocabulary) for article in ordered]
    return unite(extracted, ordered, compiled.lexicon, curation, hand_tags=hand_tags,
                 id_language=id_language)


def unite(extracted: Sequence[ArticleMentions], articles: Sequence[Article], lexicon: Lexicon,
          curation: Curation | None = None, *, hand_tags: Mapping[str, str] = DEFAULT_MAPPING,
          id_language: str = "en") -> Tagging:
    """The archive-wide half of tagging, from each article's extracted mentions (in the
    order of ``articles``): hand tags join them, resolution unites them into entities,
    and the editor's curation has the last word. ``lexicon`` is the gazetteer and event
    naming of the rules the mentions were extracted with (`compile_lexicon`)."""
    # The editor's hand tags join what the text says (cheap: read here, not in workers).
    tagged = [with_hand_tags(found, article, lexicon, hand_tags)
              for found, article in zip(extracted, articles, strict=True)]
    resolved = resolve(tagged, lexicon, id_language)
    failures = tuple(
        Problem(article.path, None, f"internal error while tagging this file: {found.failure}; "
                "it is published without its people, parties and events",
                "please report this as a newsforge bug, with the file attached",
                Severity.WARNING)
        for found, article in zip(extracted, articles, strict=True) if found.failure)
    if curation is None:
        return Tagging(resolved.entities, resolved.mentions, failures)
    entities, mentions, problems = apply_curation(resolved.entities, resolved.mentions, curation)
    return Tagging(entities, mentions, failures + tuple(problems))
