"""Archive-wide resolution: article-level keys -> entities with stable, readable ids.

* Gazetteer keys are already archive-wide and cross-language.
* People: the folded full name is the key ("Tô Lâm" = "To Lam"); romanisations of one name
  are united when every word has the same consonant skeleton and differs by at most a
  quarter of its letters ("Khamphan Pheuiyavong" = "Khamphanh Pheuyavong"). Candidates are
  found through an index on the skeleton, so the work stays linear in the archive's size.
* One person across scripts: "Tô Lâm", "То Лам", "苏林" and "ໂຕ ລຳ" meet through their
  romanised readings and phonetic keys (romanise.py), see "Cross-script identity" below.
  The entity's canonical name is a Latin form when any report wrote one, and each
  language's name is written in that language's own script where its reports have one.
* Events are keyed on kind, ordinal and subject, so "11th National Party Congress" and
  "Đại hội XI" meet when both refer to the same party.

Hand tags (handtags.py) arrive as mentions like any other and are resolved with them.

Ids are ``<type>/<slug>`` of the entity's own canonical name, never of its neighbours, so
adding unrelated articles never changes them. Two entities whose slugs collide both get a
short hash of their identity key appended.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import chain
from operator import attrgetter

from slugify import slugify

from newsforge.model import Entity, EntityType, Mention
from newsforge.tagger.extract import ArticleMentions, Found
from newsforge.tagger.romanise import EXACT_SCRIPTS, Reading, readings, script_of
from newsforge.tagger.rules import EventNaming, Lexicon, fold, fold_key

_VOWELS = re.compile(r"[aeiouyh]")
# The order of the archive's mentions (a C-level key: there are hundreds of thousands).
_MENTION_ORDER = attrgetter("article_id", "paragraph", "start", "end", "entity_id")
# A person's name this few characters after another one in its paragraph is read as its
# gloss (the same name written in another script, in brackets after it).
_GLOSS_GAP = 2
# What describing an entity reads of each of its mentions, after the mention's key.
_WRITTEN = attrgetter("key", "type", "language", "name", "text")
# A way a mention is written: (type, language, name, text).
_Form = tuple[EntityType, str, str, str]
# Keys of gazetteer entries made from the editor's aliases: "gaz:curated:person/to-lam".
CURATED = "gaz:curated:"


@dataclass(frozen=True, slots=True)
class Resolved:
    """Entities and mentions of the archive before editorial curation."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


def skeleton(word: str) -> str:
    """A romanisation-tolerant form of a folded word: consonants only, runs collapsed, a
    final "s" dropped ("Sihavongs" = "Sihavong", "Phomvihane" = "Phomvihan")."""
    consonants = _VOWELS.sub("", word)
    return re.sub(r"(.)\1+", r"\1", consonants).removesuffix("s")


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def same_romanised_name(a: str, b: str) -> bool:
    """True when two folded names look like two romanisations of one name."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b) or a == b:
        return a == b
    for x, y in zip(words_a, words_b, strict=True):
        if x == y:
            continue
        if len(x) < 5 or len(y) < 5 or x[0] != y[0] or skeleton(x) != skeleton(y):
            return False
        if _distance(x, y) > max(1, min(len(x), len(y)) // 4):
            return False
    return True


class _Union:
    """Union-find over keys; the representative is the smallest key, for determinism."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(key, key) != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def _person_groups(keys: Iterable[str]) -> _Union:
    union = _Union()
    index: dict[str, list[str]] = defaultdict(list)
    for key in sorted(keys):
        name = key.split(":", 1)[1]
        signature = " ".join(skeleton(w) if len(w) >= 5 else w for w in name.split())
        for other in index[signature]:
            if same_romanised_name(name, other.split(":", 1)[1]):
                union.union(key, other)
        index[signature].append(key)
    return union


# Cross-script identity -----------------------------------------------------------------
#
# A person's forms in other scripts meet through their romanised readings (romanise.py).
# Reports of one person are usually different stories in different languages, so a match
# of sounds must be able to stand on its own; what keeps different people apart is that
# the match is telling and that it has no rival:
#
# * *strong* matches unite without further evidence:
#   - the phonetic keys of the whole name are equal (word breaks aside: Lao and Thai write
#     a name as one run, "ໂຕເລິມ" = "Tô Lâm") and carry at least three consonants, with
#     at least one of the two readings exact (Latin, Cyrillic, Sino-Vietnamese) and written
#     in two words or more;
#   - a pinyin or kana reading equals the exact one once both are cut to the consonants a
#     Mandarin or Japanese syllable can carry (`syllabic_key`: "巴速坤" = "Prak Sokhonn"),
#     with at least four of them;
#   - the keys are one letter apart in some words and the names are long (seven consonants
#     or more: "สอนไซ สีพันดอน" = "Sonexay Siphandone");
# * a *near* match of shorter names (one letter apart in some words) unites only with
#   evidence that both name one person: one article names both, or two articles report
#   one story (several other entities in common);
# * a name glossed by another in brackets right after it ("宋赛·西潘敦(Sonexay ...)") is the
#   same person when their readings are alike at all, and that written form means the same
#   person wherever else the archive uses it.
#
# Ambiguity keeps names apart: a form that matches two groups of one script joins neither;
# a group may take several forms of another script only when each of them chooses it.

# Two reports share at least this many other entities, and this share of the smaller
# report's entities, to count as one story.
_STORY_MIN_SHARED = 2
_STORY_MIN_OVERLAP = 0.3
# Work bound on the article pairs compared for one candidate match.
_STORY_MAX_PAIRS = 4000
# Consonants a whole-name key must carry to unite without evidence; a syllabic key; a
# near key.
_MIN_CONSONANTS = 3
_MIN_SYLLABIC_CONSONANTS = 4
_MIN_NEAR_CONSONANTS = 7
# Scripts whose approximate readings are syllables of Mandarin or Japanese.
_SYLLABIC_SCRIPTS = frozenset({"CJK", "KANA"})


@dataclass(frozen=True, slots=True)
class _Person:
    """What cross-script matching knows about one person key."""

    key: str
    script: str
    readings: tuple[Reading, ...]


def _consonants(keys: Sequence[str]) -> int:
    return sum(len(k) - k.count("_") for k in keys)


def _near(a: Sequence[str], b: Sequence[str]) -> bool:
    """Word keys one edit apart at most in each word, and one word the same unless every
    word is long."""
    if len(a) != len(b) or not a:
        return False
    for x, y in zip(a, b, strict=True):
        if x != y and (min(len(x), len(y)) < 3 or x[0] != y[0] or _distance(x, y) > 1):
            return False
    return any(x == y for x, y in zip(a, b, strict=True)) or min(map(len, (*a, *b))) >= 5


def _whole_key(reading: Reading) -> str:
    """The keys of a name's words as one string, without the final vowel ("k_p_nl")."""
    return "".join(reading.keys).rstrip("_")


def syllabic_key(keys: Sequence[str]) -> str:
    """The consonants of a name that Mandarin and Japanese syllables keep: an "l" after a
    word's first consonant goes ("Prak" is "巴"), so does every consonant
    closing a syllable except a nasal (only "-n" and "-ng" end a Mandarin syllable), and
    "h" and "k" are one sound ("kh" is rendered both ways)."""
    out: list[str] = []
    for key in keys:
        word = re.sub(r"^([^_])l", r"\1", key.replace("h", "k").replace("m", "n"))
        out.extend(char for char, after in zip(word, word[1:] + "#", strict=True)
                   if char != "_" and (after == "_" or char == "n"))
    return "".join(out)


class _Matches:
    """Candidate pairs of person groups written in different scripts, and how strong each
    pair's likeness is (see "Cross-script identity")."""

    def __init__(self, people: Sequence[_Person], root: Mapping[str, str]) -> None:
        self.script = {root[p.key]: p.script for p in people}
        self.strong: set[tuple[str, str]] = set()
        self.near: set[tuple[str, str]] = set()
        whole: dict[str, set[tuple[str, bool, int]]] = defaultdict(set)
        syllabic: dict[str, set[tuple[str, bool]]] = defaultdict(set)
        buckets: dict[tuple[int, str], dict[str, set[tuple[str, tuple[str, ...]]]]] = \
            defaultdict(lambda: defaultdict(set))
        for person in people:
            group = root[person.key]
            for reading in person.readings:
                if _consonants(reading.keys) >= _MIN_CONSONANTS:
                    whole[_whole_key(reading)].add((group, reading.exact, len(reading.keys)))
                if reading.exact or person.script in _SYLLABIC_SCRIPTS:
                    consonants = syllabic_key(reading.keys)
                    if len(consonants) >= _MIN_CONSONANTS:
                        syllabic[consonants].add((group, reading.exact))
                initials = "".join(k[0] for k in reading.keys)
                buckets[(len(reading.keys), initials)][person.script].add(
                    (group, reading.keys))
        for spelt in whole.values():
            self._pair(self.strong, ((x, y) for x, exact_x, words_x in spelt
                                     for y, exact_y, words_y in spelt
                                     if (exact_x and words_x >= 2) or (exact_y and words_y >= 2)))
        for consonants, sounded in syllabic.items():
            into = self.strong if len(consonants) >= _MIN_SYLLABIC_CONSONANTS else self.near
            self._pair(into, ((x, y) for x, exact_x in sounded for y, exact_y in sounded
                              if exact_x != exact_y))
        for by_script in buckets.values():
            scripts = sorted(by_script)
            for i, first in enumerate(scripts):
                for second in scripts[i + 1:]:
                    for x, keys_x in by_script[first]:
                        for y, keys_y in by_script[second]:
                            if _near(keys_x, keys_y):
                                long = _consonants(keys_x) >= _MIN_NEAR_CONSONANTS and \
                                    _consonants(keys_y) >= _MIN_NEAR_CONSONANTS
                                self._pair(self.strong if long else self.near, [(x, y)])
        self.candidates: dict[tuple[str, str], set[str]] = defaultdict(set)
        for x, y in sorted(self.strong | self.near):
            self.candidates[(x, self.script[y])].add(y)

    def _pair(self, into: set[tuple[str, str]], pairs: Iterable[tuple[str, str]]) -> None:
        for x, y in pairs:
            if self.script[x] != self.script[y]:
                into.update(((x, y), (y, x)))


def _cross_script(union: _Union, people: Sequence[_Person],
                  articles_of: Mapping[str, Sequence[str]],
                  context: Mapping[str, frozenset[str]],
                  glosses: Iterable[tuple[str, str]]) -> None:
    """Unite the person keys of one person written in different scripts (see above)."""
    root = {p.key: union.find(p.key) for p in people}
    articles: dict[str, set[str]] = defaultdict(set)
    for person in people:
        articles[root[person.key]].update(articles_of.get(person.key, ()))
    matches = _Matches(people, root)
    known: dict[tuple[str, str], bool] = {}

    def evidence(x: str, y: str) -> bool:
        pair = (x, y) if x < y else (y, x)
        if pair not in known:
            known[pair] = _same_story(articles[x], articles[y], context)
        return known[pair]

    def matched(group: str, script: str) -> list[str]:
        return [y for y in sorted(matches.candidates.get((group, script), ()))
                if (group, y) in matches.strong or evidence(group, y)]

    def only(group: str, script: str) -> str | None:
        """The one group of ``script`` that ``group`` matches: strongly or with evidence,
        failing that the one with evidence."""
        found = matched(group, script)
        if len(found) == 1:
            return found[0]
        supported = [y for y in found if evidence(group, y)]
        return supported[0] if len(supported) == 1 else None

    edges: list[tuple[str, str]] = []
    for group, script in sorted(matches.candidates):
        match = only(group, script)
        if match is None:
            continue
        own_script = matches.script[group]
        # Forms that only render the sound may be several spellings of one name: the
        # match may take them all when each chooses it. Two exact forms are two names.
        if only(match, own_script) == group or (own_script not in EXACT_SCRIPTS and all(
                only(other, script) == match for other in matched(match, own_script))):
            edges.append((group, match))
    readings_of = {p.key: p.readings for p in people}
    script_by_key = {p.key: p.script for p in people}
    for a, b in glosses:
        if a in readings_of and b in readings_of and script_by_key[a] != script_by_key[b] \
                and _alike(readings_of[a], readings_of[b]):
            edges.append((a, b))
    for a, b in edges:
        union.union(a, b)


def _same_story(mine: set[str], theirs: set[str],
                context: Mapping[str, frozenset[str]]) -> bool:
    """True when one article names both, or two articles share enough other entities to
    report one story (within a bounded number of comparisons)."""
    if mine & theirs:
        return True
    budget = _STORY_MAX_PAIRS
    for a in sorted(mine):
        for b in sorted(theirs):
            budget -= 1
            if budget < 0:
                return False
            shared = len(context[a] & context[b])
            if shared >= _STORY_MIN_SHARED and \
                    shared >= _STORY_MIN_OVERLAP * min(len(context[a]), len(context[b])):
                return True
    return False


def _alike(a: Sequence[Reading], b: Sequence[Reading]) -> bool:
    """Loose likeness of two names' readings: the same first sound, and whole keys no
    further apart than half the shorter one."""
    for x in a:
        for y in b:
            joined_x, joined_y = "".join(x.keys), "".join(y.keys)
            if joined_x[:1] == joined_y[:1] and \
                    _distance(joined_x, joined_y) <= min(len(joined_x), len(joined_y)) // 2:
                return True
    return False


def _same_written_form(union: _Union, names: Mapping[str, Counter[str]]) -> None:
    """A name in another script that one article glossed ("洪森 (Hun Sen)", keyed on the
    gloss) means the same person where another article writes it alone (keyed on
    itself), unless the archive glosses it two ways."""
    keys_of: dict[str, set[str]] = defaultdict(set)
    for key, counts in names.items():
        for name in counts:
            if script_of(name) != "LATIN":
                keys_of[name].add(key)
    for name, keys in sorted(keys_of.items()):
        own = f"person:{fold_key(name)}"
        glossed = sorted(keys - {own})
        if own in keys and len(glossed) == 1:
            union.union(own, glossed[0])


def _people(extracted: Sequence[ArticleMentions]) -> tuple[_Union, dict[str, str]]:
    """Person keys united across romanisations and scripts; also each key's written name."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    articles_of: dict[str, list[str]] = defaultdict(list)
    person = EntityType.PERSON
    for article in extracted:
        article_id = article.article_id
        for found in article.mentions:
            key = found.key
            if found.type is person and key.startswith("person:"):
                names[key][found.name] += 1
                seen_in = articles_of[key]
                if not seen_in or seen_in[-1] != article_id:
                    seen_in.append(article_id)
    union = _person_groups(names)
    _same_written_form(union, names)
    written = {key: min(counts, key=lambda n: (-counts[n], n)) for key, counts in names.items()}
    people = []
    for key in sorted(written):
        person_readings = readings(written[key])
        if person_readings:
            people.append(_Person(key, script_of(written[key]), person_readings))
    if len({p.script for p in people}) >= 2:  # else no two forms to meet across scripts
        # Each person's group as united so far, looked up once per key, not once per mention.
        context, glosses = _contexts(extracted, {key: union.find(key) for key in names})
        _cross_script(union, people, articles_of, context, glosses)
    return union, written


def _contexts(extracted: Sequence[ArticleMentions], groups: Mapping[str, str]
              ) -> tuple[dict[str, frozenset[str]], list[tuple[str, str]]]:
    """The entities each article names (people by their ``groups``), and the pairs of
    person keys where a name is glossed by another right after it."""
    context: dict[str, frozenset[str]] = {}
    glosses: list[tuple[str, str]] = []
    person = EntityType.PERSON
    for article in extracted:
        ids = set()
        previous: Found | None = None
        for found in article.mentions:
            key = found.key
            if found.type is not person or key not in groups:
                ids.add(key)
                previous = None
                continue
            ids.add(groups[key])
            if previous is not None and previous.paragraph == found.paragraph \
                    and found.paragraph >= 0 and 0 <= found.start - previous.end <= _GLOSS_GAP:
                glosses.append((previous.key, key))
            previous = found
        context[article.article_id] = frozenset(ids)
    return context, glosses


def resolution_input(found: ArticleMentions) -> tuple[object, ...]:
    """What resolution reads of one article's mentions: each mention without its offsets,
    in order, with the gap to the mention before it when that is close enough to gloss
    it. Two versions of an article equal in this (an edit that only moves names along
    their lines) are resolved alike; only the offsets of their mentions differ."""
    placed: list[object] = [_ARTICLE_FIELDS(found)]
    previous: Found | None = None
    for mention in found.mentions:
        gap = -1
        if previous is not None and previous.paragraph == mention.paragraph \
                and 0 <= mention.start - previous.end <= _GLOSS_GAP:
            gap = mention.start - previous.end
        placed.append((_PLACELESS_FIELDS(mention), gap))
        previous = mention
    return tuple(placed)


# Every field of a mention but its offsets, and of the article's mentions but the list
# (read with one attrgetter each: copies made with ``replace`` took a third of a
# millisecond per article, for every article of a cold build).
_PLACELESS_FIELDS = attrgetter(*(f.name for f in fields(Found) if f.name not in ("start", "end")))
_ARTICLE_FIELDS = attrgetter(*(f.name for f in fields(ArticleMentions) if f.name != "mentions"))


def resolve(extracted: Sequence[ArticleMentions], lexicon: Lexicon,
            id_language: str = "en") -> Resolved:
    """Turn every article's keyed mentions into archive-wide entities and mentions."""
    union, written = _people(extracted)
    # Each person key's final group, found once per key rather than once per mention (the
    # union holds person keys only: any other key is its own group).
    person_groups = {key: union.find(key) for key in written}
    person = EntityType.PERSON
    # An entity has thousands of mentions written a few ways: each way is counted once
    # over the whole archive, and entities are described from these counts.
    groups: dict[str, Counter[_Form]] = defaultdict(Counter)
    for (key, *form), count in Counter(
            map(_WRITTEN, chain.from_iterable(a.mentions for a in extracted))).items():
        if form[0] is person:
            key = person_groups.get(key, key)
        groups[key][tuple(form)] += count
    drafts: dict[str, tuple[EntityType, str, tuple[tuple[str, str], ...], tuple[str, ...]]] = {}
    # Events last: a local congress is named after its party organ's canonical name.
    known: dict[str, str] = {}
    scripts = _Scripts(extracted)
    for key in sorted(groups, key=lambda k: (k.startswith("event:"), k)):
        drafts[key] = _describe(key, groups[key], lexicon, id_language, known, scripts)
        known[key] = drafts[key][1]
    ids = _assign_ids({k: (d[0], d[1]) for k, d in drafts.items()}, lexicon)
    # An editor's alias found in the text joins the entity the editor named: its group and
    # the automatic group with that id are one entity, described by the automatic one.
    by_id: dict[str, list[str]] = defaultdict(list)
    for key in sorted(drafts, key=lambda k: (k.startswith(CURATED), k)):
        by_id[ids[key]].append(key)
    entities = tuple(sorted((_entity(entity_id, [drafts[k] for k in keys])
                             for entity_id, keys in by_id.items()), key=lambda e: e.id))
    # Sorted article by article: the same order as sorting all mentions at once, without
    # a sort key for each of them alive at one time.
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for article in extracted:
        article_id = article.article_id
        found_in = by_article[article_id]
        for found in article.mentions:
            key = found.key
            if found.type is person:
                key = person_groups.get(key, key)
            found_in.append(Mention(article_id, found.paragraph, found.start, found.end,
                                    found.text, drafts[key][0], ids[key]))
    mentions: list[Mention] = []
    for article_id in sorted(by_article):
        mentions.extend(sorted(by_article[article_id], key=_MENTION_ORDER))
    return Resolved(entities, tuple(mentions))


def _entity(entity_id: str, drafts: list[tuple[EntityType, str, tuple[tuple[str, str], ...],
                                              tuple[str, ...]]]) -> Entity:
    entity_type, name, names, _ = drafts[0]
    merged_names = dict(names)
    aliases: set[str] = set()
    for _, other_name, other_names, other_aliases in drafts:
        for lang, value in other_names:
            merged_names.setdefault(lang, value)
        aliases.update(other_aliases, {other_name})
    return Entity(id=entity_id, type=entity_type, name=name,
                  names=tuple(sorted(merged_names.items())),
                  aliases=tuple(sorted(aliases - {name})))


def _most_frequent(counts: Mapping[str, int]) -> str:
    """The most frequent form; ties go to the fullest spelling (diacritics), then order."""
    return min(counts, key=lambda f: (-counts[f], -sum(ord(c) > 127 for c in f), -len(f), f))


def _fullest_spelling(counts: Mapping[str, int]) -> str:
    """A person's display name: the most used name, written with its diacritics when any
    report wrote them ("Tô Lâm" over a more frequent "To Lam"): they carry more."""
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    for form, count in counts.items():
        spellings[fold(form)][form] = count
    _, most_used = max(spellings.items(), key=lambda item: (sum(item[1].values()), item[0]))
    return min(most_used, key=lambda f: (-sum(ord(c) > 127 for c in f), -most_used[f], f))


class _Scripts:
    """The script of each distinct name, worked out once, and each language's own script:
    the one most of its person names are written in."""

    def __init__(self, extracted: Sequence[ArticleMentions]) -> None:
        person = EntityType.PERSON
        self.of = {name: script_of(name) for name in
                   {found.name for article in extracted for found in article.mentions}}
        people = Counter((article.language, found.name) for article in extracted
                         for found in article.mentions if found.type is person)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (language, name), count in people.items():
            counts[language][self.of[name]] += count
        self.language = {lang: min(c, key=lambda s: (-c[s], s)) for lang, c in counts.items()}

    def own(self, forms: Mapping[str, int], script: str | None) -> Mapping[str, int]:
        """The forms (with their counts) written in ``script``, when any of them is."""
        own = {form: count for form, count in forms.items() if self.of[form] == script}
        return own or forms


def _describe(key: str, forms: Mapping[_Form, int], lexicon: Lexicon, id_language: str,
              known: Mapping[str, str], scripts: _Scripts
              ) -> tuple[EntityType, str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Type, canonical name, names per language and aliases of one group of mentions,
    from the ways they are written and how often.

    Each language gets the name in its own script where one of its reports wrote it so;
    a person's canonical name (and so its id) is Latin when any report wrote it in Latin.
    """
    types: Counter[EntityType] = Counter()
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    full: Counter[str] = Counter()
    for (found_type, language, name, _), count in forms.items():
        types[found_type] += count
        by_language[language][name] += count
        full[name] += count
    entity_type = min(types, key=lambda t: (-types[t], t.value))
    names = {lang: _most_frequent(scripts.own(forms, scripts.language.get(lang)))
             for lang, forms in by_language.items()}
    if key.startswith("gaz:") and key[4:] in lexicon.entries:
        entry = lexicon.entries[key[4:]]
        entity_type = entry.type
        # The gazetteer knows the name in every language, mentioned there or not.
        for lang, listed in entry.names:
            if listed and not key.startswith(CURATED):
                names[lang] = listed[0]
        listed_names = dict(entry.names)
        canonical = (listed_names.get(id_language) or (*(n for _, v in entry.names for n in v),
                                                       *entry.acronyms, entry.id))[0]
    elif key.startswith("event:"):
        canonical = _event_name(key, lexicon, id_language, known) or _most_frequent(
            by_language.get(id_language) or full)
        # Languages that never mention the event still get its name, from their templates
        # (the subject in that language's own words, so no canonical name is reused).
        for language in sorted(lexicon.naming):
            if language not in names and language != id_language:
                localised = _event_name(key, lexicon, language, {})
                if localised:
                    names[language] = localised
    else:
        canonical = _most_frequent(by_language.get(id_language) or full)
        if entity_type is EntityType.PERSON:
            canonical = _fullest_spelling(scripts.own(full, "LATIN"))
    aliases = sorted({text for _, _, _, text in forms} | set(full)
                     | set(names.values()) - {canonical})
    return (entity_type, canonical, tuple(sorted(names.items())),
            tuple(a for a in aliases if a and a != canonical))


def _event_name(key: str, lexicon: Lexicon, language: str, known: Mapping[str, str]) -> str:
    """A canonical event name from the id language's templates ('' when none fits)."""
    lang = lexicon.naming.get(language)
    if lang is None:
        return ""
    _, kind, ordinal, subject = key.split(":", 3)
    subject, _, year = subject.partition("#")  # "gaz:sco#2025": the SCO's summit of 2025
    if ":" not in subject and "@" not in subject:
        return ""  # keyed on the words of one language: its mentions name it best
    template = lang.event_names.get(f"{kind}-year" if year and ordinal == "0" else kind)
    if not template:
        return ""
    subject_name = known.get(subject) or _subject_name(subject, lexicon, lang, language)
    if not subject_name:
        return ""
    body = subject_name
    if subject.startswith("gaz:") and subject[4:] in lexicon.entries:
        body = (lexicon.entries[subject[4:]].acronyms or (subject_name,))[0]
    return template.format(nth=_nth(int(ordinal), lang), n=int(ordinal),
                           roman=_roman(int(ordinal)), subject=subject_name, body=body,
                           year=year).strip()


def _roman(number: int) -> str:
    """12 -> 'XII': Vietnamese numbers congresses and terms in Roman numerals."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in numerals:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _subject_name(subject: str, lexicon: Lexicon, lang: EventNaming, language: str) -> str:
    if "@" in subject:
        left, _, right = subject.partition("@")
        if left in lang.subject_names:
            country = "–".join(lexicon.country_names.get(c, c) for c in right.split("+"))
            party_id = lexicon.country_party.get(right, "")
            party = _subject_name(f"gaz:{party_id}", lexicon, lang, language) if party_id else ""
            template = lang.subject_names[left]
            return template.format(country=country, party=party or f"{country} party")
        parties = [_subject_name(p, lexicon, lang, language) for p in left.split("+") if p]
        return " and ".join(p for p in parties if p) if parties else ""
    if subject.startswith("gaz:") and subject[4:] in lexicon.entries:
        entry = lexicon.entries[subject[4:]]
        listed = dict(entry.names).get(language)
        return listed[0] if listed else (entry.acronyms or (entry.id,))[0]
    if subject.startswith("org:"):
        return ""
    return subject


def _nth(number: int, lang: EventNaming) -> str:
    if number <= 0:
        return ""
    suffixes = lang.ordinal_suffixes
    suffix = suffixes.get(str(number % 100)) or suffixes.get(str(number % 10)) \
        or suffixes.get("other", "")
    return f"{number}{suffix}"


def _assign_ids(drafts: Mapping[str, tuple[EntityType, str]], lexicon: Lexicon
                ) -> dict[str, str]:
    """``type/slug`` for every group; colliding slugs all get a hash of their key."""
    proposed: dict[str, str] = {}
    curated = {key[len(CURATED):] for key in drafts if key.startswith(CURATED)}
    for key, (entity_type, name) in drafts.items():
        if key.startswith(CURATED):
            proposed[key] = key[len(CURATED):]
            continue
        if key.startswith("gaz:") and key[4:] in lexicon.entries:
            slug = key[4:]
        else:
            plain = re.sub(r"[’']", "", name.replace("đ", "d").replace("Đ", "D"))
            # The backend named: "auto" looks for Unidecode on every call (an import that
            # fails, searching the whole path, where only text-unidecode is installed) and
            # would change ids on a machine that has it.
            slug = slugify(plain, max_length=80, backend="text-unidecode") or "unnamed"
        proposed[key] = f"{entity_type.value}/{slug}"
    owners: dict[str, list[str]] = defaultdict(list)
    for key, entity_id in proposed.items():
        owners[entity_id].append(key)
    ids = {}
    for entity_id, keys in owners.items():
        for key in keys:
            if len(keys) == 1 or entity_id in curated:
                ids[key] = entity_id
            else:
                digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
                ids[key] = f"{entity_id}-{digest}"
    return ids

