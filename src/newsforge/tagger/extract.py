"""Candidate mentions in one article, found by per-language rules and the gazetteer.

The extractor reads each paragraph in stages, masking what an earlier stage claimed so a
later one cannot take it again:

1. places and titles (never entities; they only qualify and delimit names);
2. gazetteer parties and organisations, by name in any language or by acronym;
3. events by their shapes ("11th National Congress", "Đại hội XI", "50-årsdagen av ...");
4. people by name shape (a Vietnamese family name and one to three syllables) or as a run
   of two to four capitalised words none of which is a title, place, stop word,
   organisation word or a word the article also writes in lower case; runs next to a
   place word ("... Canal", "chùa ...") or in a Title Case heading are not people;
5. organisations by their head words ("... Party Committee", "Ministry of ...", "Ban ...");
   a governing body next to a party ("LPRP Central Committee", "Ban Chấp hành Trung
   ương Đảng ...") is a mention of that party;
6. acronyms defined in the article ("... (LFNC)") and short references to a person named
   in full elsewhere in the article ("Quyết" after "Trịnh Văn Quyết").

Every mention gets an article-level identity key; `resolve` turns keys into entities.
Events and organs whose subject is left implicit ("the 11th National Party Congress",
"the committee's Commission for ...") take it from the nearest party, party organ or
country named before them in the same sentence, failing that from the party the article
names most often, and failing that from the language's ``default_party`` (the party an
unqualified "Đảng" means in Vietnamese-language press).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsforge.model import Article, EntityType, quick_pickle
from newsforge.tagger.events import EventMention, find_events, ordinal_of, resolve_events
from newsforge.tagger.rules import (
    CW,
    NAME_DOTS,
    CueRules,
    LanguageRules,
    Rules,
    fold,
    fold_key,
    name_key,
    stays_in_bmp,
)

_MASK = "\x00"          # a name already claimed; may stand inside a longer name
_PERSON_MASK = "\x01"   # a person already claimed; never part of another name
_TOKEN = re.compile(CW)
# Matched at a position (never on a slice: a slice copies the rest of a long paragraph).
_WORD_AFTER = re.compile(r"[ ]+(\w+)")
_NAME_AFTER = re.compile(rf"[ ]+({CW})")
_YEAR_NEXT = re.compile(r"[ ]+(?:19|20)\d{2}\b")
_BODY_GAP = re.compile(r"(?:[ ]*\([A-Z][A-Z0-9&\-]{1,9}\))?(?:’s|'s)?[ ]+")
_ACRONYM_DEF = re.compile(r"[ ]*\((?P<acr>[A-Z][A-Z0-9&\-]{1,9})\)")
_YEAR_AFTER = re.compile(r"[ ]*(?:\([A-Z][A-Z0-9&\-]{1,9}\)[ ]*)?(?P<year>(?:19|20)\d{2})(?!\d)")
_ACRONYM_USE = re.compile(r"(?<![\w\-\x00])[A-Z][A-Z0-9&]{1,9}(?![\w\-])")
# Written to open with a class of characters (not an alternation), which `re` skips to.
_SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=\n)|(?=\s|$))")
# "That Luang-torget", "Hun Sen-regeringen": a name glued to a common noun is a square or
# a government, not a person (short tails are inside names: "Chan-o-cha").
_COMPOUND_TAIL = re.compile(r"-[^\W\d_A-ZÀ-Þ]{4,}$")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
_POSSESSIVE_LAST = "s’'"  # the characters a possessive ends in
# A name in a script without capitals followed by its Latin form: "韩桑林（Heng Samrin）".
_LATIN_GLOSS = re.compile(rf"[(（][ ]*{CW}(?:[ \-]+{CW}){{0,5}}[ ]*[)）]")
_SCRIPT_MARKS = re.compile("[\ue000-\ue0ff]")
_DOT_CHARS = frozenset(NAME_DOTS)
# Any character but those the words before an organisation's head are made of (letters,
# digits, masks, apostrophes, hyphens, spaces and dashes: see `org_final` in rules.py).
_NOT_IN_ORG_WORDS = re.compile(r"[^\w\x00’'\- –—]")


def _without_possessive(token: str) -> str:
    """The token less a possessive ending ("Lam’s" -> "Lam")."""
    # Most tokens end in no such character: the regex is spared for them.
    return _POSSESSIVE.sub("", token) if token[-1:] in _POSSESSIVE_LAST else token


@dataclass(frozen=True, slots=True)
class _Cue:
    """A name read next to a cue in a script without capitals. ``certain`` tells which
    edges are certain: "both", "start" (read forwards from a cue) or "end" (backwards)."""

    paragraph: int
    start: int
    end: int
    certain: str
    spaced: bool
    gloss: tuple[int, int] = (0, 0)  # where its Latin form stands, if it has one


@quick_pickle  # the cache holds one per mention: millions at 100k articles
@dataclass(frozen=True, slots=True)
class Found:
    """A mention found in an article, keyed for resolution.

    ``key`` identifies what the mention names inside the archive: ``person:<folded name>``,
    ``gaz:<gazetteer id>``, ``org:<qualifier>:<words>``, ``event:<kind>:<n>:<subject>`` or
    ``named:<words>:<year>``. ``name`` is the fullest form of that name in the article.
    """

    paragraph: int
    start: int
    end: int
    text: str
    type: EntityType
    key: str
    name: str
    language: str
    short_form: str = ""  # people: which word a short reference repeats ("last", ...)


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Something an implicit subject can refer to: a party, party organ or country."""

    paragraph: int
    position: int
    party: str            # key of the party ("gaz:..."), or ""
    local: str = ""       # key of a local party organ, or ""
    named: bool = True    # the party itself (or an organ) is named, not just its country


@quick_pickle  # the cache holds one per mention: millions at 100k articles
@dataclass(frozen=True, slots=True)
class ArticleMentions:
    """Every mention found in one article, in reading order."""

    article_id: str
    language: str
    year: int | None
    mentions: tuple[Found, ...]
    failure: str = ""
    """What went wrong when extraction failed on this article (a newsforge bug)."""


def extract_or_report(article: Article, rules: Rules,
                      vocabulary: Vocabulary | None = None) -> ArticleMentions:
    """``extract_article``, with an unexpected failure costing this article its mentions
    only: it comes back as ``failure`` and the archive is tagged on."""
    try:
        return extract_article(article, rules, vocabulary)
    except Exception as error:  # a bug in newsforge, reported by `unite`
        year = article.published.day.year if article.published else None
        return ArticleMentions(article.id, article.language, year, (),
                               f"{type(error).__name__}: {error}")


def extract_article(article: Article, rules: Rules,
                    vocabulary: Vocabulary | None = None) -> ArticleMentions:
    """Find every candidate mention in one article's clean paragraphs.

    ``vocabulary`` may be shared by the calls of one run to remember what each word is.
    """
    lang = rules.for_language(article.language)
    words = _ArticleWords("\n".join(p.text for p in article.paragraphs), rules, lang,
                          {} if vocabulary is None else vocabulary)
    found: list[Found] = []
    events: list[EventMention] = []
    anchors: list[_Anchor] = []
    acronyms: dict[str, tuple[str, EntityType, str]] = {}
    pending_bodies: list[tuple[int, int, int, str, str]] = []  # (para, start, end, text, acr)
    singles: list[tuple[int, int, int, str, bool]] = []
    countries: list[tuple[int, int, str]] = []  # (paragraph, position, country code)
    sentence_starts: list[list[int]] = []
    cues: list[_Cue] = []
    for index, paragraph in enumerate(article.paragraphs):
        text = paragraph.text.replace(_MASK, " ").replace(_PERSON_MASK, " ")
        worker = _Paragraph(article.language, index, text, lang, rules, words, found, events,
                            anchors, acronyms, pending_bodies, singles, countries, cues)
        worker.run()
        sentence_starts.append(worker.sentences)
    if cues:
        found.extend(_cue_people(article, cues, found))
    found.extend(_acronym_uses(article, lang, acronyms, found))
    for para, start, end, text, acr in pending_bodies:
        if acr in acronyms:
            key, type_, name = acronyms[acr]
            found.append(Found(para, start, end, text, type_, key, name, article.language))
    found[:] = _genitives(found, lang.genitive_suffixes)
    found.extend(_short_references(article, singles, found, lang.genitive_suffixes))
    found.extend(_resolve_events(article, rules, events, anchors, countries, sentence_starts,
                                 found))
    # Texts are cut from the paragraph as given (control characters were blanked above).
    found = [_finished(f, article.paragraphs[f.paragraph].text[f.start:f.end]) for f in found]
    found.sort(key=lambda f: (f.paragraph, f.start, f.end, f.key))
    year = article.published.day.year if article.published else None
    return ArticleMentions(article.id, article.language, year, tuple(_dedupe(found)))


def _finished(found: Found, text: str) -> Found:
    return found if text == found.text else replace(found, text=text)


def _dedupe(found: Sequence[Found]) -> list[Found]:
    """Drop exact duplicates and mentions nested in a longer one of the same key."""
    result: list[Found] = []
    for item in found:
        if any(o.paragraph == item.paragraph and o.key == item.key and o.start <= item.start
               and item.end <= o.end for o in result[-4:]):
            continue
        result.append(item)
    return result


Vocabulary = dict[tuple[str, str], tuple[str, str]]
"""What a tagging run learnt about capitalised words, article-independently: (language,
word) -> (folded word, "A"cronym / "K"nown / "U"nknown). Owned by the caller (one per
`tag_archive` call), so nothing is shared between runs."""


class _ArticleWords:
    """What the extractor knows about each distinct capitalised word of one article: its
    folded form and whether it is an acronym (A), a known word (K) or unknown (U). A word
    that also occurs in lower case in the article is a common word ("Mobilisation" beside
    "mass mobilisation"), not part of a name."""

    def __init__(self, text: str, rules: Rules, lang: LanguageRules,
                 vocabulary: Vocabulary) -> None:
        self.text = text
        self.rules = rules
        self.lang = lang
        self.vocabulary = vocabulary
        self.memo: dict[str, tuple[str, str]] = {}
        self.nouns: set[str] | None = None  # words written after an article ("die X")
        # Then so is each paragraph, for the patterns that read faster knowing it.
        self.bmp_only = stays_in_bmp(text)

    def describe(self, token: str) -> tuple[str, str]:
        found = self.memo.get(token)
        if found is None:
            static = self.vocabulary.get((self.lang.code, token))
            if static is None:
                static = (fold_key(token), self._static_status(token))
                self.vocabulary[(self.lang.code, token)] = static
            found = static
            if static[1] == "U" and self.lang.lower_case_evidence and self._lower_case(token):
                found = (static[0], "K")
            elif static[1] == "U" and self.lang.noun_markers is not None:
                if self.nouns is None:
                    self.nouns = {m.group(1) for m in self.lang.noun_markers.finditer(self.text)}
                if token in self.nouns:
                    found = (static[0], "K")
            self.memo[token] = found
        return found

    def _static_status(self, token: str) -> str:
        if len(token) > 1 and token.isupper():
            return "A"
        if len(token) < 2 or token.lower() == token or any(c.isdigit() for c in token):
            return "K"
        known = self.rules.known_words
        places = self.rules.gazetteer.place_countries
        stopwords = self.lang.stopwords
        parts = fold_key(token).split()
        if len(parts) > 1:
            # "Xỏn-xay", "Thoong-lun": syllables of a transliterated name may be common
            # words; only a place inside ("Hanoi-Vientiane") makes it a known word.
            return "K" if any(p in places for p in parts) or " ".join(parts) in known else "U"
        if any(p in known or p in places or p in stopwords for p in parts):
            return "K"
        # Russian "Вьетнама", "Малайзии": a country's name in another case.
        if self.lang.country_cases and any(
                parts[0].startswith(stem) and len(parts[0]) <= len(stem) + 2
                for stem in self.lang.territory_stems):
            return "K"
        # German "Regierung", "Wahlkommission": a common noun by its ending.
        ending = self.lang.noun_endings.search(parts[0]) if self.lang.noun_endings else None
        if ending is not None and len(parts[0]) >= len(ending.group()) + 3:
            return "K"
        return "U"

    def _lower_case(self, token: str) -> bool:
        lower = token.lower()
        return any(not self.text[i - 1:i].isalnum()
                   and not self.text[i + len(lower):i + len(lower) + 1].isalnum()
                   for i in _find_all(self.text, lower))


def _find_all(text: str, word: str) -> list[int]:
    found, index = [], text.find(word)
    while index >= 0:
        found.append(index)
        index = text.find(word, index + 1)
    return found


class _Paragraph:
    """The stages run over one paragraph (a short-lived worker, not shared state)."""

    def __init__(self, language: str, index: int, text: str, lang: LanguageRules, rules: Rules,
                 words: _ArticleWords, found: list[Found], events: list[EventMention],
                 anchors: list[_Anchor], acronyms: dict[str, tuple[str, EntityType, str]],
                 pending_bodies: list[tuple[int, int, int, str, str]],
                 singles: list[tuple[int, int, int, str, bool]],
                 countries: list[tuple[int, int, str]], cues: list[_Cue]) -> None:
        self.cues = cues
        self.scripts = ""  # the text's script view, when the language reads names by cues
        self.stop_flags = bytearray()
        self.cue_marks: list[tuple[int, int, str]] = []
        self.language = language
        self.index = index
        self.text = text
        self.folded = fold(text)
        self.lang = lang
        self.rules = rules
        self.words = words
        self.found = found
        self.events = events
        self.anchors = anchors
        self.acronyms = acronyms
        self.pending_bodies = pending_bodies
        self.singles = singles
        self.masked = text
        self.heading = False
        self.countries = countries
        self.places: list[tuple[int, int, str, bool]] = []  # start, end, country, whole country
        self.bare_party: list[int] = []  # where "the Party" stands alone
        self.place_starts: list[int] = []
        self.sentences = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
        self.sentence_anchors: dict[int, list[_Anchor]] = {}
        # Per character: 1 inside a title, 2 inside a place name, else 0.
        self.flags = bytearray(len(text))
        self.local: list[Found] = []
        self.local_sorted: list[Found] = []
        self.local_starts: list[int] = []

    # -- helpers -------------------------------------------------------------------------
    def mask(self, spans: Sequence[tuple[int, int]], char: str = _MASK) -> None:
        if not spans:
            return
        pieces: list[str] = []
        at = 0
        for start, end in sorted(spans):
            start = max(start, at)
            if end > start:
                pieces.extend((self.masked[at:start], char * (end - start)))
                at = end
        pieces.append(self.masked[at:])
        self.masked = "".join(pieces)

    def add(self, start: int, end: int, type_: EntityType, key: str, name: str = "",
            short_form: str = "") -> Found:
        text = self.text[start:end]
        item = Found(self.index, start, end, text, type_, key, name or text, self.language,
                     short_form)
        self.found.append(item)
        self.local.append(item)
        return item

    def local_between(self, start: int, end: int) -> list[Found]:
        """This paragraph's mentions starting in [start, end), by position."""
        if len(self.local_sorted) != len(self.local):
            self.local_sorted = sorted(self.local, key=lambda f: (f.start, f.end))
            self.local_starts = [f.start for f in self.local_sorted]
        low = bisect.bisect_left(self.local_starts, start)
        high = bisect.bisect_left(self.local_starts, end)
        return self.local_sorted[low:high]

    def anchor(self, anchor: _Anchor) -> None:
        """Note something an implicit subject may refer to, by sentence."""
        self.anchors.append(anchor)
        sentence = bisect.bisect_right(self.sentences, anchor.position) - 1
        self.sentence_anchors.setdefault(sentence, []).append(anchor)

    def _place_around(self, start: int, end: int) -> tuple[int, int, str, bool] | None:
        """The place name containing the span, if any (places are sorted, disjoint)."""
        k = bisect.bisect_right(self.place_starts, start) - 1
        return self.places[k] if k >= 0 and self.places[k][1] >= end else None

    def _places_within(self, start: int, end: int) -> list[tuple[int, int, str, bool]]:
        low = bisect.bisect_left(self.place_starts, start)
        high = bisect.bisect_left(self.place_starts, end)
        return [p for p in self.places[low:high] if p[1] <= end]

    def country_at(self, start: int, end: int) -> str:
        place = self._place_around(start, end)
        return place[2] if place else ""

    def place_at(self, start: int, end: int) -> str:
        """"country" or "city" when the span lies in a place name, else ""."""
        place = self._place_around(start, end)
        return "" if place is None else "country" if place[3] else "city"

    def in_title(self, position: int) -> bool:
        return 0 <= position < len(self.flags) and self.flags[position] == 1

    # -- stages --------------------------------------------------------------------------
    def run(self) -> None:
        gaz = self.rules.gazetteer
        if gaz.places is not None:
            for at, stop in gaz.places.finditer(self.folded, self.words.bmp_only):
                name = name_key(self.folded[at:stop])
                for suffix in self.lang.genitive_suffixes or self.rules.genitive_suffixes:
                    if name not in gaz.place_countries and name.endswith(suffix):
                        name = name[:-len(suffix)]  # a genitive: "Vietnams"
                country = gaz.place_countries.get(name, "")
                self.places.append((at, stop, country, name in gaz.country_level))
                self.place_starts.append(at)
                party = gaz.country_party.get(country)
                if party:
                    self.anchor(_Anchor(self.index, at, f"gaz:{party}", named=False))
                if country and name in gaz.country_level:
                    self.countries.append((self.index, at, country))
        for p_start, p_end, _, _ in self.places:
            self.flags[p_start:p_end] = b"\x02" * (p_end - p_start)
        if self.lang.titles is not None:
            for start, end in self.lang.titles.spans(self.folded, self.words.bmp_only):
                self.flags[start:end] = b"\x01" * (end - start)
        if self.lang.cue is not None:
            self.scripts = self.text.translate(self.rules.script_table)
            if _SCRIPT_MARKS.search(self.scripts):
                self._cue_flags(self.lang.cue)
            else:
                self.scripts = ""
        # A short line in Title Case without a full stop is a heading: its capitalised
        # words say nothing about names.
        words = self.text.split() if len(self.text) < 120 and \
            not self.text.rstrip().endswith((".", "!", "?", ":", ";")) else []
        capitals = sum(1 for w in words if w[:1].isupper())
        self.heading = len(words) >= 3 and capitals >= 0.7 * len(words)
        self.gazetteer()
        self.party_words()
        self.event_shapes()
        if self.scripts:
            self.cue_people()
        self.people()
        self.organisations()

    def gazetteer(self) -> None:
        gaz = self.rules.gazetteer
        spans: list[tuple[int, int]] = []
        hits: list[tuple[int, int, int, str]] = []  # start, end, end with genitive, id
        if gaz.names is not None:
            for at, stop in gaz.names.finditer(self.folded, self.words.bmp_only):
                key = name_key(self.folded[at:stop])
                found_id, end = gaz.name_ids.get(key), stop
                # A genitive "partis": the name is "parti", the ending goes with it.
                for suffix in self.rules.genitive_suffixes:
                    if not found_id and key.endswith(suffix):
                        found_id = gaz.name_ids.get(key[:-len(suffix)])
                        end = stop - len(suffix)
                if found_id:
                    hits.append((at, end, stop, found_id))
        if gaz.acronyms is not None:
            # The names found are disjoint and in order, so only the last one starting at
            # or before an acronym may hold it (acronyms, matched in turn, hold no other).
            name_starts = [start for start, _, _, _ in hits]
            for m in gaz.acronyms.finditer(self.text):
                acronym_id = gaz.acronym_ids.get(m.group())
                k = bisect.bisect_right(name_starts, m.start()) - 1
                if acronym_id and (k < 0 or hits[k][2] <= m.start()):
                    hits.append((m.start(), m.end(), m.end(), acronym_id))
        for start, end, whole_end, entry_id in sorted(hits):
            entry = gaz.entries[entry_id]
            party = self._party_of(entry_id)
            key, type_ = f"gaz:{entry_id}", entry.type
            if entry.body and party and self.lang.bodies is not None:
                key, type_ = party, EntityType.PARTY  # "CPV Central Committee" names the CPV
            self.add(start, end, type_, key, "")
            inner = gaz.party_names.get(party[4:]) if party and party != key else None
            named = inner.search(self.folded, start, end) if inner is not None else None
            if named:  # "越南共产党中央委员会": the organ, and inside it its party
                self.add(named.start(), named.end(), EntityType.PARTY, party)
            spans.append((start, whole_end))
            if party:
                self.anchor(_Anchor(self.index, start, party))
            self._body_after(whole_end, key, type_)
            self._body_before(start, key, type_)
        self.mask(spans)

    def _party_of(self, entry_id: str) -> str:
        """The party a gazetteer entry is or belongs to, as a key ("" for none)."""
        return self.rules.gazetteer.parties.get(entry_id, "")

    def _body_after(self, end: int, key: str, type_: EntityType) -> None:
        """"LPRP Central Committee", "X (CPV) Central Committee's": the body names X."""
        bodies = self.lang.bodies
        if bodies is None:
            return
        gap = _BODY_GAP.match(self.text, end)
        if not gap:
            return
        start = gap.end()
        m = bodies.match(self.folded, start)
        if m:
            self.add(start, m.end(), type_, key)
            self.mask([(start, m.end())])

    def _body_before(self, start: int, key: str, type_: EntityType) -> None:
        """"Central Committee of the X", "Ban Chấp hành Trung ương Đảng ...": names X."""
        if self.lang.body_before is None:
            return
        before = self.folded[max(0, start - 60):start]
        body = self.lang.body_before.search(before)
        if body is not None:
            offset = start - len(before)
            self.add(offset + body.start(), offset + body.end(1), type_, key)
            self.mask([(offset + body.start(), offset + body.end(1))])

    def party_words(self) -> None:
        """'Đảng' alone means the language's default party: an anchor for event subjects."""
        if self.lang.party_word is None:
            return
        for m in self.lang.party_word.finditer(self.masked):
            self.anchor(_Anchor(self.index, m.start(), f"gaz:{self.lang.default_party}"))
            self.bare_party.append(m.start())

    def event_shapes(self) -> None:
        found = find_events(self)
        self.events.extend(found)
        self.mask([(e.start, e.end) for e in found])

    def countries_in(self, start: int, end: int, limit: int = 9) -> str:
        """The countries named in a span, sorted and joined with "+" ("la+vn")."""
        codes = [c for _, _, c, whole in self._places_within(start, end) if c and whole][:limit]
        return "+".join(sorted(set(codes)))

    def country_in(self, start: int, end: int) -> str:
        return next((c for _, _, c, _ in self._places_within(start, end) if c), "")

    # -- names in scripts without capitals --------------------------------------------
    def _cue_flags(self, cue: CueRules) -> None:
        """Mark titles, places and stop words of the language in the text."""
        text, scripts, flags = self.text, self.scripts, self.flags
        for m in cue.cues.finditer(text):
            start, end = m.span()
            # In a spaced script a title opens a word; an honorific may be glued to the
            # word before it ("ของนายสอนไซ").
            if cue.spaced and start and scripts[start - 1] == scripts[start] and \
                    flags[start - 1] != 1 and m.group() not in cue.before_only:
                continue
            self.cue_marks.append((start, end, m.group()))
            for k in range(start, end):
                if not flags[k]:
                    flags[k] = 1
        if cue.places is not None:
            for m in cue.places.finditer(text):
                start, end = m.span()
                # A place starts a word or ends a title, and ends a syllable ("ลาวและ",
                # not "ลาวัลย์"); in katakana it is a whole run ("タイ", not "タイン");
                # ideographs have no word edges to look at.
                glued = start and scripts[start - 1] == scripts[start] and flags[start - 1] != 1
                inside = scripts[start] != cue.ideographs and (
                    (cue.spaced and glued)
                    or unicodedata.category(text[end:end + 1] or " ") in ("Mn", "Mc")
                    or (not cue.spaced and (glued or text[end:end + 1] in _DOT_CHARS or (
                        end < len(text) and scripts[end] == scripts[start]
                        and not cue.cues.match(text, end)))))
                if not inside and not any(flags[start:end]):
                    flags[start:end] = b"\x02" * (end - start)
        self.stop_flags = bytearray(len(text))
        if cue.stops is not None and not cue.spaced:  # spaced scripts: at word starts only
            for m in cue.stops.finditer(text):
                if not any(flags[m.start():m.end()]):
                    self.stop_flags[m.start():m.end()] = b"\x01" * (m.end() - m.start())

    def cue_people(self) -> None:
        """Read names next to cues; `_cue_people` settles them for the whole article."""
        cue = self.lang.cue
        if cue is None:
            return
        text = self.text
        for start, end, word in self.cue_marks:
            # A title stands by one name: after it only when none stands before it.
            if (word in cue.before_only or not self._cue_read(cue, start, -1)) and \
                    word not in cue.after_only:
                self._cue_read(cue, end, 1, skip_places=True)
        for m in _LATIN_GLOSS.finditer(text):
            # "洪森亲王（Samdech Techo Hun Sen）": the gloss may follow a title after the name.
            at = m.start()
            while at and self.flags[at - 1] == 1:
                at -= 1
            self._cue_read(cue, at, -1, gloss=m.span())
        if not cue.spaced:
            last = -1
            for k, char in enumerate(text):
                if char in _DOT_CHARS and k > last:
                    before = self._read_run(cue, k, -1)
                    after = self._read_run(cue, k + 1, 1)
                    if before and after and before[0] < k < after[1]:
                        strong = before[2] and after[2]
                        self.cues.append(_Cue(self.index, before[0], after[1],
                                              "both" if strong else "none", False))
                        last = after[1]

    def _cue_read(self, cue: CueRules, at: int, step: int, skip_places: bool = False,
                  gloss: tuple[int, int] = (0, 0)) -> bool:
        """Read a name from a cue; whether one with a certain far edge was read."""
        text, flags = self.text, self.flags
        i = at if step > 0 else at - 1
        if cue.spaced and step < 0 and i >= 0 and self.scripts[i] == self.scripts[at]:
            return False  # glued to the word before: the cue ends a longer word
        # Spaces separate a cue from a name only in spaced scripts; there the title's own
        # complement, a country or an organisation already found, may stand between them
        # ("ປະທານປະເທດ ລາວ ທອງລຸນ ...").
        while 0 <= i < len(text) and ((cue.spaced and text[i] == " ") or (skip_places and (
                flags[i] == 2 or (cue.spaced and self.masked[i] == _MASK)))):
            i += step
        run = self._read_run(cue, i if step > 0 else i + 1, step)
        if not run:
            return False
        start, end, strong = run
        certain = "both" if strong else "start" if step > 0 else "end"
        self.cues.append(_Cue(self.index, start, end, certain, cue.spaced, gloss))
        return strong

    def _free(self, k: int) -> bool:
        return not self.flags[k] and not self.stop_flags[k] and self.masked[k] == self.text[k]

    def _read_run(self, cue: CueRules, at: int, step: int) -> tuple[int, int, bool] | None:
        """The name run starting at ``at`` (forwards) or ending there (backwards):
        (start, end, whether its far edge is certain)."""
        text, scripts = self.text, self.scripts
        n = len(text)
        i = at if step > 0 else at - 1
        if not 0 <= i < n:
            return None
        mark = scripts[i]
        limit = cue.scripts.get(mark)
        if limit is None or not self._free(i):
            return None
        if cue.spaced:
            return self._read_spaced(cue, i, step, mark, limit)
        parts, length, strong, k = 1, 0, True, i
        while 0 <= k < n:
            if scripts[k] == mark and self._free(k):
                length += 1
                if length > limit:
                    strong = False
                    break
                k += step
            elif text[k] in _DOT_CHARS and parts < cue.max_parts and length and \
                    0 <= k + step < n and scripts[k + step] == mark and self._free(k + step):
                parts, length = parts + 1, 0
                k += step
            else:
                break
        start, end = (i, k) if step > 0 else (k + 1, i + 1)
        return (start, end, strong) if end - start >= 2 else None

    def _read_spaced(self, cue: CueRules, i: int, step: int, mark: str,
                     limit: int) -> tuple[int, int, bool] | None:
        """A run of up to ``max_parts`` words of one script separated by single spaces."""
        text, scripts = self.text, self.scripts
        n = len(text)
        words: list[tuple[int, int]] = []
        strong = True
        while 0 <= i < n and scripts[i] == mark:
            j = i
            while 0 <= j + step < n and scripts[j + step] == mark:
                j += step
            start, end = (i, j + 1) if step > 0 else (j, i + 1)
            # A title glued to the end of a word ends the name there ("มาเนตนายก..."); one
            # glued to its start, read backwards, begins it ("...คารวะนายทองลุน").
            cut = next((k for k in range(start, end) if self.flags[k] == 1), end)
            if cut < end and step > 0 and cut > start:
                end = cut
            if step < 0 and cut < end:
                start = max(k for k in range(start, end) if self.flags[k] == 1) + 1
                cut = -1
                if start >= end:
                    break
            elif step < 0:
                cut = end
            # A short stop word opening a longer word may be the name's first syllable
            # (Khmer "ថា" in "ថាញ់..."): it stops the name only standing alone.
            stop_match = cue.stops.match(text, start) if cue.stops is not None else None
            stop = stop_match is not None and (stop_match.end() == end or
                                               stop_match.end() - start >= 3)
            if step < 0 and cue.stop_end is not None:
                stop = stop or cue.stop_end.search(text, start, end) is not None
            # A short word before a full stop is an abbreviation ("สปป."), not a name.
            if stop or not self._free(start) or end - start > limit or \
                    (text[end:end + 1] == "." and end - start <= 3) \
                    or any(self.masked[k] != text[k] for k in range(start, end)):
                break
            if len(words) == cue.max_parts:
                strong = False  # more name-like words than a name has: no certain edge
                break
            words.append((start, end))
            if (step > 0 and end < cut) or cut < 0:
                break
            gap = end if step > 0 else start - 1
            nxt = gap + step
            if not (0 <= gap < n and text[gap] == " " and 0 <= nxt < n):
                break
            i = nxt
        if not words:
            return None
        start = min(w[0] for w in words)
        end = max(w[1] for w in words)
        return (start, end, strong) if end - start >= 2 else None

    def people(self) -> None:
        spans: list[tuple[int, int]] = []
        for chunk in self.lang.chunks.finditer(self.masked):
            text, at = chunk.group(), chunk.start()
            if "-" in text and _COMPOUND_TAIL.search(text):
                continue
            if " " not in text and "\u00a0" not in text:  # one word: the common case
                self._single(at, chunk.end())
                continue
            tokens = [(at + m.start(), at + m.end()) for m in _TOKEN.finditer(text)]
            spans.extend(self._people_in(tokens))
        self.mask(spans, _PERSON_MASK)

    def _status(self, start: int, end: int) -> tuple[str, str]:
        """The folded word and its status: T(itle), P(lace), A(cronym or numeral),
        K(nown word) or U(nknown)."""
        flag = self.flags[start]
        token = self.text[start:end]
        token = _without_possessive(token)
        key, status = self.words.describe(token)
        return key, ("T" if flag == 1 else "P" if flag == 2 else status)

    def _single(self, start: int, end: int) -> None:
        """A lone capitalised word (most chunks: a sentence start, a place, an acronym):
        a short reference or a titled name, unless it is a title, place or acronym."""
        word, status = self._status(start, end)
        if status not in "TPA":
            token = _without_possessive(self.text[start:end])
            self.singles.append((self.index, start, start + len(token), word,
                                 status == "U" and self._titled(start, end, word)))

    def _people_in(self, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if len(tokens) == 1:
            self._single(*tokens[0])
            return []
        described = [self._status(s, e) for s, e in tokens]
        folded = [d[0] for d in described]
        statuses = [d[1] for d in described]
        taken = [False] * len(tokens)
        spans: list[tuple[int, int]] = []
        for shape in self.rules.shapes:
            i = 0
            while i < len(tokens):
                # A family name right after an unknown capitalised word is inside a name
                # of another shape ("Men Sam An"), not the start of one.
                if taken[i] or statuses[i] in "TPA" or folded[i] not in shape.surnames or (
                        i and not taken[i - 1] and statuses[i - 1] == "U") or (
                        shape.language == self.lang.code
                        and self.text[tokens[i][0]:tokens[i][1]].lower() in shape.not_surnames):
                    i += 1
                    continue
                j = i + 1
                while (j < len(tokens) and j - i < shape.max_tokens and not taken[j]
                       and (statuses[j] not in "TPA" or (
                           # "Hà Thị Nga": a given name may also be a one-word place name
                           statuses[j] == "P" and j - i >= 2 and self._one_word_place(tokens[j])))
                       and shape.syllable.match(folded[j])
                       and folded[j] not in self.lang.place_after
                       and folded[j] not in self.lang.head_types
                       and (shape.language == self.lang.code
                            or folded[j] not in self.lang.stopwords)):
                    j += 1
                if j - i >= shape.min_tokens:
                    if not self._is_place(tokens, i, j, False):
                        spans.append(self._person(tokens[i][0], tokens[j - 1][1],
                                                  shape.short_form))
                    for k in range(i, j):  # a place's words are no short references either
                        taken[k] = True
                    i = j
                else:
                    i += 1
        run: list[int] = []
        for k in [*range(len(tokens)), -1]:
            if k >= 0 and not taken[k] and statuses[k] == "U":
                run.append(k)
                continue
            if 2 <= len(run) <= 4 and (not self.heading or self.in_title(tokens[run[0]][0] - 2)):
                if not self._is_place(tokens, run[0], run[-1] + 1, True):
                    spans.append(self._person(tokens[run[0]][0], tokens[run[-1]][1],
                                              "first-last"))
                for r in run:
                    taken[r] = True
            run = []
        for k, (s, e) in enumerate(tokens):
            if not taken[k] and statuses[k] not in "TPA":
                token = _without_possessive(self.text[s:e])
                self.singles.append((self.index, s, s + len(token), fold_key(token),
                                     statuses[k] == "U" and self._titled(s, e, folded[k])))
        return spans

    def _titled(self, start: int, end: int, word: str) -> bool:
        """A lone word right after a title that may name a person: not a title going on
        ("Ambassador Extraordinary and ...") nor a country in an inflected form
        ("президента Лаоса")."""
        title_end = start - 3 if self.text[start - 2:start - 1] == "." else start - 2  # "M. X"
        if not self.in_title(title_end) or len(word) < 3:
            return False
        after = _WORD_AFTER.match(self.text, end)
        if after and (fold_key(after.group(1)) in self.lang.connectors
                      or after.group(1)[:1].isupper()):
            return False
        return not any(word.startswith(t) for t in self.lang.territories)

    def _one_word_place(self, token: tuple[int, int]) -> bool:
        place = self._place_around(*token)
        return place is not None and place[0] == token[0] and place[1] == token[1]

    def _is_place(self, tokens: list[tuple[int, int]], i: int, j: int, generic: bool) -> bool:
        """A name shape that is a place or a thing by its neighbours: "Sơn Đoòng Cave",
        "chùa Phật Tích", "the Funan Techo Canal"."""
        lang = self.lang
        after = _WORD_AFTER.match(self.text, tokens[j - 1][1])
        if after and fold_key(after.group(1)) in lang.place_after:
            return True
        before = self.folded[max(0, tokens[i][0] - 24):tokens[i][0]]
        if lang.place_before is not None and lang.place_before.search(before) \
                and not self.in_title(tokens[i][0] - 2):
            return True
        if generic and lang.determiners and not self.in_title(max(0, tokens[i][0] - 2)):
            word = re.search(r"(\w+)[ ]+$", before)
            if word and word.group(1) in lang.determiners:
                return True
        return False

    def _person(self, start: int, end: int, short_form: str) -> tuple[int, int]:
        text = _without_possessive(self.text[start:end])
        end = start + len(text)
        self.add(start, end, EntityType.PERSON, f"person:{fold_key(text)}", short_form=short_form)
        return start, end

    def organisations(self) -> None:
        if self.heading:  # "Vietnam Hosts Regional Security Forum" is a headline
            return
        for pattern, initial in ((self.lang.org_final, False), (self.lang.org_initial, True)):
            if pattern is None:
                continue
            at = 0
            heads = self.lang.org_final_heads
            if not initial and heads is not None:
                first = heads.search(self.masked)
                if first is None:
                    continue
                # The words before a head never reach back past a character of no word
                # (a comma, a bracket): the search starts after the last one before it.
                other = _NOT_IN_ORG_WORDS.search(self.masked[:first.start()][::-1])
                at = first.start() - other.start() if other else 0
            spans = []
            for m in pattern.finditer(self.masked, at):
                span = self._organisation(m.start(), m.end(), initial)
                if span:
                    spans.append(span)
            self.mask(spans)

    def _organisation(self, start: int, end: int, initial: bool) -> tuple[int, int] | None:
        text = self.text
        # Trim: leading stop words and titles, trailing connectors, a verb after a place.
        tokens = [(start + m.start(), start + m.end())
                  for m in re.finditer(r"\x00+|[^\W_](?:[\w’'\-]*\w)?", self.masked[start:end])]
        # A name found earlier, then a body: "CPV Central Committee's Commission for ...".
        if tokens and self.masked[tokens[0][0]] == _MASK and self.lang.bodies is not None:
            before = next((f for f in self.local_between(tokens[0][0] - 200, tokens[0][0] + 1)
                           if f.start <= tokens[0][0] < f.end), None)
            body = self.lang.bodies.match(self.folded, tokens[1][0]) if len(tokens) > 1 else None
            if before is not None and body is not None and body.end() <= end:
                self.add(tokens[1][0], body.end(), before.type, before.key)
                rest = re.match(r"(?:’s|'s)?[ ]*", text[body.end():end])
                start = body.end() + (rest.end() if rest else 0)
                if start >= end or not text[start:start + 1].isupper():
                    return tokens[0][0], body.end()
                tokens = [t for t in tokens if t[0] >= start]
        adjectives = self.rules.gazetteer.adjectives
        while tokens and not initial:  # an initial-head name starts at its head
            word = fold_key(_without_possessive(text[tokens[0][0]:tokens[0][1]]))
            if word in self.lang.stopwords and word not in adjectives \
                    and word not in self.lang.head_types and word not in self.lang.org_words:
                tokens.pop(0)
            else:
                break
        # A connector before a calendar or function word ends the name: "Commission for
        # Propaganda and Training on December 1".
        gaz = self.rules.gazetteer
        for k in range(1, len(tokens) - 1 if not initial else 0):
            word = fold_key(text[tokens[k + 1][0]:tokens[k + 1][1]])
            if fold_key(text[tokens[k][0]:tokens[k][1]]) in self.lang.connectors \
                    and word in self.lang.stopwords and word not in gaz.adjectives \
                    and word not in self.lang.head_types and word not in gaz.place_countries:
                tokens = tokens[:k]
                break
        while tokens and fold_key(text[tokens[-1][0]:tokens[-1][1]]) in self.lang.connectors:
            tokens.pop()
        # After a place name, lower-case words are the sentence going on, not the name:
        # "Ngân hàng Nhà nước Việt Nam công bố ...".
        while initial and len(tokens) >= 2 and text[tokens[-1][0]:tokens[-1][0] + 1].islower():
            last_upper = max(k for k, t in enumerate(tokens) if text[t[0]:t[0] + 1].isupper())
            if not self.place_at(*tokens[last_upper]):
                break
            tokens.pop()
        if not tokens:
            return None
        start, end = tokens[0][0], tokens[-1][1]
        # A body phrase ("Central Committee's", "Central Committee of the") at the start
        # names the mention next to it, not an organisation of its own.
        if self.lang.bodies is not None:
            body = self.lang.bodies.match(self.folded, start)
            if body is not None and body.end() <= end:
                rest = re.match(r"(?:’s|'s)?[ ]*", text[body.end():end])
                after = body.end() + (rest.end() if rest else 0)
                self._pending_body(start, body.end())
                if after >= end:
                    return start, end
                start = after
                if not text[start:start + 1].isupper():
                    return None
        words = fold_key(text[start:end])
        head = self._head(words, initial)
        if not head:
            return None
        type_ = self.lang.head_types[head]
        is_event = type_ is EntityType.EVENT
        # Place words qualify the name: a country (or its adjective) names its party for
        # organs and is left out of the key; a city stays part of the name.
        country = self.country_in(start, end)
        head_words = set(head.split())
        name_words: list[str] = []
        distinct: list[str] = []
        cities: list[str] = []
        country_words: list[str] = []
        for m in re.finditer(r"[^\W_]+", text[start:end]):
            word = fold_key(m.group())
            if word in self.lang.connectors or word == "s":
                continue
            place = self.place_at(start + m.start(), start + m.end())
            if word in head_words:
                name_words.append(word)
            elif place == "country" or word in self.rules.gazetteer.adjectives:
                country_words.append(word)
            elif place == "city":
                cities.append(word)
                name_words.append(word)
            else:
                distinct.append(word)
                name_words.append(word)
        if not distinct and not cities and (head in self.lang.generic_heads or " " not in head) \
                and head not in self.lang.organ_heads:
            # "the Lao Party": points at the country's party, names nothing new.
            party = self.rules.gazetteer.country_party.get(country)
            if party:
                self.anchor(_Anchor(self.index, start, f"gaz:{party}", named=False))
            return None
        if not distinct and not cities and not country_words:
            return None
        next_word = _NAME_AFTER.match(self.masked, end)
        if next_word and not self.in_title(next_word.start(1)) and not initial \
                and not _YEAR_NEXT.match(text, end):
            return None
        if is_event:
            return self._named_event(start, end, words, head)
        # An organ belongs to a party: the ruling party of the country its name names
        # ("Lao Commission for ..."; "Vientiane Party Committee" through its city), else
        # the party named last before it in the sentence ("the CPV's Commission for ...").
        parent = ""
        if head in self.lang.organ_heads:
            named = {c for _, _, c, _ in self._places_within(start, end) if c}
            party = self.rules.gazetteer.country_party.get(country, "") if len(named) == 1 else ""
            if party and (country_words or type_ is EntityType.PARTY):
                parent = f"gaz:{party}"
            elif not country_words and not cities:  # a city's committee is its government
                parent = self._nearest_party(start)
            if parent:
                type_ = EntityType.PARTY
        core = " ".join(sorted(set(name_words)))
        key = f"org:{parent or country}:{core}"
        item = self.add(start, end, type_, key)
        if type_ is EntityType.PARTY and cities:
            self.anchor(_Anchor(self.index, start, parent, local=key))
        elif type_ is EntityType.PARTY and parent:
            self.anchor(_Anchor(self.index, start, parent))
        self._acronym_after(item)
        return start, end

    def _head(self, words: str, initial: bool) -> str:
        """The head phrase of a name: the longest known head ending the name's core."""
        tokens = words.replace("'", " ").split()
        heads = self.lang.head_types
        if initial:
            for n in (4, 3, 2, 1):
                if " ".join(tokens[:n]) in heads:
                    return " ".join(tokens[:n])
            return ""
        best = ""
        for i in range(len(tokens)):
            for n in (4, 3, 2, 1):
                if i + n > len(tokens):
                    continue
                phrase = " ".join(tokens[i:i + n])
                if phrase in heads and (i + n == len(tokens) or tokens[i + n] in
                                        self.lang.connectors) and len(phrase) > len(best):
                    best = phrase
            if best:
                return best
        return best

    def _nearest_party(self, position: int) -> str:
        """The party named closest before ``position`` in the same sentence, if any."""
        sentence = bisect.bisect_right(self.sentences, position) - 1
        best, best_position = "", -1
        for anchor in self.sentence_anchors.get(sentence, ()):
            if best_position < anchor.position < position and anchor.party and anchor.named:
                best, best_position = anchor.party, anchor.position
        return best

    def _pending_body(self, start: int, end: int) -> None:
        """A body right after an acronym or a gazetteer mention names that mention."""
        before = self.text[max(0, start - 24):start]
        gap = re.search(r"(?:\((?P<p>[A-Z][A-Z0-9&\-]{1,9})\)|(?P<a>[A-Z][A-Z0-9&\-]{1,9}))"
                        r"(?:’s|'s)?[ ]*$", before)
        if gap:
            acr = gap.group("p") or gap.group("a")
            self.pending_bodies.append((self.index, start, end, self.text[start:end], acr))

    def _named_event(self, start: int, end: int, words: str, head: str) -> tuple[int, int]:
        year_match = _YEAR_AFTER.match(self.text, end)
        year = year_match.group("year") if year_match else ""
        # "the 46th ASEAN Summit": the ordinal before the name is part of its identity.
        ordinal = 0
        before = re.search(rf"(?:{self.lang.ordinal_re})[ ]+$", self.text[max(0, start - 16):start])
        if before:
            ordinal = ordinal_of(before.group().strip(), self.lang)
            if ordinal:
                start -= len(before.group())
        after = self.lang.ordinal_after.match(self.text, end) if self.lang.ordinal_after else None
        if after and not ordinal:
            ordinal = ordinal_of(after.group("ord"), self.lang)
            if ordinal:
                end = after.end()
        core = " ".join(w for w in words.split() if w not in self.lang.articles)
        name = self.text[start:end] + (f" {year}" if year else "")
        key = f"named:{core}:{year}:{ordinal or ''}"
        # "the 47th ASEAN Summit" = "Hội nghị Cấp cao ASEAN lần thứ 47": a numbered event
        # of a body the gazetteer knows is keyed on its kind, number and that body.
        body = next((f.key for f in self.local_between(start, end) if f.key.startswith("gaz:")),
                    "")
        kind = self.lang.event_kinds.get(head, "")
        if ordinal and body and kind:
            key = f"event:{kind}:{ordinal}:{body}"
        item = self.add(start, end, EntityType.EVENT, key, name)
        self._acronym_after(item)
        return start, end

    def _acronym_after(self, item: Found) -> None:
        m = _ACRONYM_DEF.match(self.text, item.end)
        if not m:
            return
        acr = m.group("acr")
        self.acronyms.setdefault(acr, (item.key, item.type, item.name))
        self.add(m.start("acr"), m.end("acr"), item.type, item.key, item.name)
        self.mask([(m.start("acr"), m.end("acr"))])


def _cue_people(article: Article, cues: list[_Cue], found: list[Found]) -> list[Found]:
    """The names read next to cues, settled for the whole article: a run without a
    certain edge keeps the part another run of the article named with certain edges
    ("征求洪森" -> "洪森"), else it goes; every name is then found wherever it recurs."""
    paragraphs = [p.text for p in article.paragraphs]
    certain = {paragraphs[c.paragraph][c.start:c.end] for c in cues if c.certain == "both"}
    spans: set[tuple[int, int, int]] = set()
    for c in cues:
        text = paragraphs[c.paragraph][c.start:c.end]
        start, end = c.start, c.end
        if not c.spaced and (c.certain != "both" or not any(d in text for d in NAME_DOTS)):
            # The longest other certain name at a certain edge: "出席洪森" is "洪森".
            tails = [n for n in certain if len(n) < len(text) and text.endswith(n)]
            heads = [n for n in certain if len(n) < len(text) and text.startswith(n)]
            if tails and c.certain in ("end", "both"):
                start = end - max(len(n) for n in tails)
            elif heads and c.certain in ("start", "both"):
                end = start + max(len(n) for n in heads)
            elif c.certain != "both":
                continue
        elif c.certain != "both":
            continue
        spans.add((c.paragraph, start, end))
    names = sorted({paragraphs[p][s:e] for p, s, e in spans}, key=lambda n: (-len(n), n))
    # A name glossed with its Latin form is the person that form names: "韩桑林（Heng Samrin）".
    keys: dict[str, str] = {}
    for c in cues:
        if c.gloss[1] and c.certain == "both":
            latin = next((f for f in found if f.paragraph == c.paragraph and f.type is
                          EntityType.PERSON and c.gloss[0] < f.start < c.gloss[1]), None)
            if latin is not None:
                keys.setdefault(paragraphs[c.paragraph][c.start:c.end], latin.key)
    result = []
    for index, text in enumerate(paragraphs):
        busy = [(f.start, f.end) for f in found if f.paragraph == index]
        for name in names:
            for at in _find_all(text, name):
                end = at + len(name)
                if any(s < end and at < e for s, e in busy):
                    continue
                if (index, at, end) not in spans and _inside_word(text, at, end):
                    continue
                busy.append((at, end))
                key = keys.get(name) or f"person:{fold_key(name)}"
                result.append(Found(index, at, end, name, EntityType.PERSON, key, name,
                                    article.language))
    return result


def _inside_word(text: str, start: int, end: int) -> bool:
    """A recurrence glued to letters of its own word in a spaced script ("ลาวX")."""
    before = text[start - 1:start]
    after = text[end:end + 1]
    return bool(before and before.isalpha() and not _cjk(before)) or \
        bool(after and after.isalpha() and not _cjk(after))


def _cjk(char: str) -> bool:
    return "\u3040" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _acronym_uses(article: Article, lang: LanguageRules,
                  acronyms: dict[str, tuple[str, EntityType, str]],
                  found: list[Found]) -> list[Found]:
    """Later uses of acronyms the article defined ("LFNC" after "... (LFNC)")."""
    if not acronyms:
        return []
    taken = {(f.paragraph, f.start) for f in found}
    result = []
    for index, paragraph in enumerate(article.paragraphs):
        for m in _ACRONYM_USE.finditer(paragraph.text):
            entry = acronyms.get(m.group())
            if entry and (index, m.start()) not in taken:
                key, type_, name = entry
                result.append(Found(index, m.start(), m.end(), m.group(), type_, key, name,
                                    article.language))
    return result


def _genitives(found: list[Found], suffixes: tuple[str, ...]) -> list[Found]:
    """"To Lams besök": a person's name with a genitive ending is the name the article
    also writes without it."""
    if not suffixes:
        return found
    names = {f.key for f in found if f.type is EntityType.PERSON}
    result = []
    for f in found:
        for suffix in suffixes:
            if f.type is EntityType.PERSON and f.key.endswith(suffix) and \
                    f.key[:-len(suffix)] in names and f.text.endswith(suffix):
                f = replace(f, key=f.key[:-len(suffix)], end=f.end - len(suffix),
                            text=f.text[:-len(suffix)], name=f.name[:-len(suffix)])
                break
        result.append(f)
    return result


def _short_references(article: Article, singles: list[tuple[int, int, int, str, bool]],
                      found: list[Found], suffixes: tuple[str, ...] = ()) -> list[Found]:
    """Single names that repeat part of a full name of the same article ("Quyết"), also
    with a genitive ending ("Thonglouns"); a single name after a title that repeats none
    is a person of its own ("President Prabowo")."""
    parts: dict[str, list[tuple[int, int, str]]] = {}
    for f in found:
        if f.type is not EntityType.PERSON:
            continue
        words = [fold_key(w) for w in f.text.split()]  # "Thoong-lun" is one word
        shape = f.short_form
        short = [words[-1]] if shape == "last" else [words[0], words[-1]]
        for word in short:
            parts.setdefault(word, []).append((f.paragraph, f.start, f.key))
    names = {f.key: f.name for f in reversed(found) if f.type is EntityType.PERSON}
    for listed in parts.values():
        listed.sort()
    positions = {word: [(c[0], c[1]) for c in cands] for word, cands in parts.items()}
    distinct = {word: len({c[2] for c in cands}) for word, cands in parts.items()}
    result = []
    for para, start, end, word, titled in singles:
        candidates = parts.get(word)
        for suffix in suffixes:
            if not candidates and word.endswith(suffix) and word[:-len(suffix)] in parts:
                word = word[:-len(suffix)]
                candidates = parts[word]
                end -= len(suffix)
        if not candidates:
            # "Presiden Prabowo": one unknown word right after a title names a person.
            if titled:
                text = article.paragraphs[para].text[start:end]
                result.append(Found(para, start, end, text, EntityType.PERSON,
                                    f"person:{word}", text, article.language))
            continue
        # Prefer the nearest full name introduced before; else the first one after.
        before = bisect.bisect_left(positions[word], (para, start))
        key = candidates[before - 1 if before else 0][2]
        if distinct[word] > 1 and not before:
            continue
        text = article.paragraphs[para].text[start:end]
        name = names[key]
        result.append(Found(para, start, end, text, EntityType.PERSON, key, name,
                            article.language))
    return result


def _resolve_events(article: Article, rules: Rules, events: list[EventMention],
                    anchors: list[_Anchor], countries: list[tuple[int, int, str]],
                    sentence_starts: list[list[int]], found: list[Found]) -> list[Found]:
    """Key every event (see `events.resolve_events`) and make it a mention."""
    counts: Counter[str] = Counter(a.party for a in anchors if a.party)
    for f in found:
        if f.key.startswith("gaz:"):
            entry = rules.gazetteer.entries.get(f.key[4:])
            if entry and entry.type is EntityType.PARTY:
                counts[f.key] += 1
    year = article.published.day.year if article.published else None
    keyed = resolve_events(year, rules.for_language(article.language), rules, events, anchors,
                           countries, sentence_starts, counts)
    # The mention is what names the event; its name keeps the subject that followed.
    return [Found(e.paragraph, e.start, e.end, e.text, EntityType.EVENT, key, e.full or e.text,
                  article.language) for e, key in keyed]
