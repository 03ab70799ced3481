"""Hand tags: the entities an editor listed in an article's front matter.

``people``, ``parties``, ``organisations`` and ``events`` are always read; other list keys
(Hugo's ``tags`` and ``categories``) are read as the site's configuration maps them, to an
entity type or to ``auto``. A hand tag joins what the tagger found: the same name found in
the article's text, else the gazetteer's party or organisation of that name or acronym,
else a new entity of the tag's type. An ``auto`` tag that names nothing known (a topic such
as "diplomacy") is not an entity.

A hand tag the text does not contain becomes a mention with paragraph -1 and an empty span:
the article names the entity, but nowhere in its body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from newsforge.config import DEFAULT_HAND_TAGS
from newsforge.model import Article, EntityType
from newsforge.tagger.extract import ArticleMentions, Found
from newsforge.tagger.rules import Lexicon, fold_key

AUTO = "auto"
# Front-matter keys that always list entities, and the type they list.
FIXED_KEYS: Mapping[str, str] = MappingProxyType({
    "people": "person", "parties": "party", "organisations": "organisation", "events": "event"})
# What a site without a ``hand_tags`` setting does with Hugo's taxonomies.
DEFAULT_MAPPING: Mapping[str, str] = MappingProxyType(dict(DEFAULT_HAND_TAGS))
# The paragraph of a mention that only the front matter makes.
FRONT_MATTER = -1


def hand_tags(article: Article, mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    """(kind, name) of every hand tag of an article, in front-matter order."""
    kinds = {**mapping, **FIXED_KEYS}
    tags: list[tuple[str, str]] = []
    for key, value in article.extra:
        kind = kinds.get(key.lower())
        if kind is None:
            continue
        for name in value.split(","):
            name = name.strip()
            if name and not name.startswith(("{", "[")) and (kind, name) not in tags:
                tags.append((kind, name))
    return tags


def with_hand_tags(found: ArticleMentions, article: Article, lexicon: Lexicon,
                   mapping: Mapping[str, str]) -> ArticleMentions:
    """``found`` with a mention for each hand tag the tagger did not find in the text."""
    tags = hand_tags(article, mapping)
    if not tags:
        return found
    by_name: dict[str, Found] = {}
    for mention in found.mentions:
        for form in (mention.name, mention.text):
            by_name.setdefault(fold_key(form), mention)
    keys = {m.key for m in found.mentions}
    added: list[Found] = []
    for kind, name in tags:
        key, entity_type = _identity(kind, name, by_name, lexicon)
        if not key or key in keys:
            continue
        keys.add(key)
        added.append(Found(FRONT_MATTER, 0, 0, name, entity_type, key, name, article.language))
    return replace(found, mentions=(*added, *found.mentions)) if added else found


def _identity(kind: str, name: str, by_name: Mapping[str, Found],
              lexicon: Lexicon) -> tuple[str, EntityType]:
    """The key and type a hand tag names: ("", ...) for an ``auto`` tag naming nothing."""
    folded = fold_key(name)
    wanted = None if kind == AUTO else EntityType(kind)
    in_text = by_name.get(folded)
    if in_text is not None and (wanted is None or in_text.type is wanted):
        return in_text.key, in_text.type
    entry_id = lexicon.name_ids.get(folded) or lexicon.acronym_ids.get(name)
    if entry_id and entry_id in lexicon.entries and wanted is not EntityType.PERSON \
            and wanted is not EntityType.EVENT:
        return f"gaz:{entry_id}", lexicon.entries[entry_id].type
    if wanted is None or not folded:
        return "", EntityType.PERSON
    if wanted is EntityType.PERSON:
        return f"person:{folded}", wanted
    return f"hand:{wanted.value}:{folded}", wanted
