"""The tagger: people, parties, organisations and events, one identity across languages.

``tag_archive`` runs the three steps in order: `extract` (candidate mentions per article,
from per-language data), `resolve` (archive-wide entities with stable ids) and, when the
site has an editor file, `curation` (the editor's corrections win).
"""

from __future__ import annotations

from collections.abc import Iterable

from newsforge.langdata import Languages
from newsforge.model import Article, Tagging
from newsforge.tagger.curation import Curation, apply_curation, curated_entries, load_curation
from newsforge.tagger.extract import Vocabulary, extract_article
from newsforge.tagger.resolve import resolve
from newsforge.tagger.rules import Rules, compile_rules

__all__ = ["Curation", "Rules", "compile_rules", "load_curation", "tag_archive"]


def tag_archive(articles: Iterable[Article], languages: Languages,
                curation: Curation | None = None, *, rules: Rules | None = None,
                id_language: str = "en") -> Tagging:
    """Find and resolve the entities of a whole archive.

    The result does not depend on the order of ``articles``: articles are read in id
    order. ``rules`` may be passed to reuse compiled language data across calls;
    ``id_language`` is the language whose name templates give event ids.
    """
    compiled = rules or compile_rules(languages)
    if curation is not None and curation.aliases:
        # The editor's aliases are found in the text like gazetteer names.
        compiled = compile_rules(languages, curated_entries(curation))
    ordered = sorted(articles, key=lambda a: a.id)
    vocabulary: Vocabulary = {}
    extracted = [extract_article(article, compiled, vocabulary) for article in ordered]
    resolved = resolve(extracted, compiled, id_language)
    if curation is None:
        return Tagging(resolved.entities, resolved.mentions)
    entities, mentions, problems = apply_curation(resolved.entities, resolved.mentions, curation)
    return Tagging(entities, mentions, problems)
