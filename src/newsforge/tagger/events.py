"""Events by their shapes, in every language and script, and their language-free keys.

The shapes are data (each language's ``tagger.events``); this module reads them:

* ordinals as each language writes them: "11th", "XI", "XIIe", "50 e", "47:e", "14.",
  "第十四次", "ครั้งที่ 43", "лើកទី ៣" (digits of any script, Roman numerals, ordinal words,
  numerals written as characters);
* the subject an event belongs to: a party (``subject: party``), a body the gazetteer
  knows (``subject: body``, "47th ASEAN Summit"), a concept such as a National Day
  (``subject: text``) or two or more parties meeting (``subject: parties``, "high-level
  meeting between A and B", "A与B会晤"), found by walking from the match over the parties,
  organs and countries that follow (or precede) it, with only short joining text between;
* years the event carries ("Summit 2025") or, for ``dated`` events (elections), the year
  of the article.

`resolve_events` gives every event its key ``event:<kind>:<n>:<subject>``: kind and number
are shared by all languages and the subject is a gazetteer id, a concept with its country,
or (failing both) the folded words of the subject, so "the 47th ASEAN Summit", "Hội nghị
Cấp cao ASEAN lần thứ 47" and "第47届东盟峰会" are one event.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from newsforge.model import EntityType
from newsforge.tagger.rules import EventRule, LanguageRules, Rules, fold_key

_ROMAN = re.compile(r"[IVXLC]+(?![A-Z])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_DIGITS = re.compile(r"\d+")
# Punctuation that ends the stretch of text an event's parties may stand in.
_CLAUSE_END = re.compile(r"[.;:!?。；：！？\n]")
_COMMA = re.compile(r"[,，]")
_BRACKET_ACRONYM = re.compile(r"[ ]?[(（][ ]?([A-Z][A-Z0-9]{1,9})(?![a-z])")


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event mention waiting for its subject."""

    paragraph: int
    start: int
    end: int
    text: str
    kind: str
    ordinal: int
    national: bool
    subject: str          # "party" (find one), "text" (use concept), "body" or "parties"
    party: str = ""       # explicit party or organ key (or "+"-joined parties)
    concept: str = ""
    country: str = ""
    words: str = ""       # folded subject words when no concept or body is known
    full: str = ""        # the mention with its subject ("Đại hội XIV của Đảng ...")
    year: str = ""        # a year the event's name carries ("Summit 2025")
    dated: bool = False   # one event of its kind per year and subject ("elections")
    strict: bool = False  # without its parties, not an event at all


class _Hit(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def key(self) -> str: ...


class Paragraph(Protocol):
    """What the event stage reads of the extractor's paragraph worker."""

    index: int
    text: str
    masked: str
    folded: str
    lang: LanguageRules
    rules: Rules
    bare_party: list[int]

    def local_between(self, start: int, end: int) -> Sequence[_Hit]: ...
    def _party_of(self, entry_id: str) -> str: ...
    def _places_within(self, start: int, end: int) -> list[tuple[int, int, str, bool]]: ...
    def countries_in(self, start: int, end: int, limit: int = 9) -> str: ...


class Anchor(Protocol):
    """Something an implicit subject can refer to (the extractor's anchors)."""

    @property
    def paragraph(self) -> int: ...
    @property
    def position(self) -> int: ...
    @property
    def party(self) -> str: ...
    @property
    def local(self) -> str: ...


def ordinal_of(raw: str, lang: LanguageRules) -> int:
    """The number in "11th", "XI", "XIIe", "11:e", "eleventh", "十四", "๔๓" (0 when none)."""
    raw = raw.strip()
    digits = _DIGITS.search(raw)
    if digits:
        return int(digits.group())
    roman = _ROMAN.match(raw)
    if roman and not any(c.isupper() for c in raw[roman.end():]):
        total, previous = 0, 0
        for char in reversed(roman.group()):
            value = _ROMAN_VALUES[char]
            total = total - value if value < previous else total + value
            previous = max(previous, value)
        return total
    if lang.numerals and raw and all(c in lang.numerals for c in raw):
        return _numeral(raw, lang.numerals)
    return lang.ordinal_words.get(fold_key(raw), 0)


def _numeral(raw: str, values: Mapping[str, int]) -> int:
    """Numerals written as characters: "十四" = 14, "四十五" = 45, "一百零五" = 105."""
    total, current = 0, 0
    for char in raw:
        value = values[char]
        if value >= 10:
            total += (current or 1) * value
            current = 0
        else:
            current = current * 10 + value
    return total + current


def concept_of(words: str, lang: LanguageRules) -> str:
    """The concept (``event_subjects``) a subject's folded words name, or ""."""
    for phrase, concept in lang.event_subjects:
        if phrase and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", words):
            return concept
    return ""


def country_of_party(party_key: str, rules: Rules) -> str:
    for country, party in rules.gazetteer.country_party.items():
        if f"gaz:{party}" == party_key:
            return country
    return ""


def find_events(p: Paragraph) -> list[EventMention]:
    """Every event shape of the paragraph's language, in rule order; claimed spans are
    left for the caller to mask."""
    found: list[EventMention] = []
    taken: list[tuple[int, int]] = []
    # A bound method mapped over the triggers: no generator frame per rule and paragraph.
    contains = p.folded.__contains__
    for rule in p.lang.events:
        if rule.triggers and not any(map(contains, rule.triggers)):
            continue
        for m in rule.pattern.finditer(p.masked):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            event = _event(p, rule, m)
            if event is not None:
                found.append(event)
                taken.append((event.start, event.end))
    return found


def _event(p: Paragraph, rule: EventRule, m: re.Match[str]) -> EventMention | None:
    groups = m.groupdict()
    raw_ord = groups.get("ord") or groups.get("ord2") or ""
    number = ordinal_of(raw_ord, p.lang) if raw_ord else 0
    if raw_ord and not number:
        return None
    start, end = m.start(), m.end()
    if groups.get("lead"):  # context the shape needs, not part of the event's name
        start = m.end("lead")
    first = re.match(r"(\w+)[ ]+", p.text[start:end])
    if first and fold_key(first.group(1)) in p.lang.articles:
        start += first.end()
    event = EventMention(p.index, start, end, p.text[start:end], rule.kind, number,
                         bool(groups.get("national")), rule.subject,
                         year=groups.get("year") or "", dated=rule.dated, strict=rule.strict)
    if rule.subject == "text":
        return _text_subject(p, event, m)
    if rule.subject == "parties":
        return _parties_subject(p, rule, event)
    if rule.subject == "body":
        return _body_subject(p, event, m, rule.strict)
    if groups.get("claimed") or groups.get("subject"):
        group = "claimed" if groups.get("claimed") else "subject"
        for f in p.local_between(m.start(group), m.end(group)):  # it names its own party
            if f.key.startswith("gaz:"):
                return replace(event, party=p._party_of(f.key[4:]) or f.key)
    after = p.lang.subject_links.match(p.text, end) if p.lang.subject_links else None
    if after:
        at = after.end()
        for f in p.local_between(at, at + 1):
            if f.key.startswith("gaz:"):
                event = replace(event, full=p.text[start:f.end],
                                party=p._party_of(f.key[4:]) or f.key)
        if not event.party and at in p.bare_party:
            event = replace(event, party=f"gaz:{p.lang.default_party}")
    return event


def _text_subject(p: Paragraph, event: EventMention, m: re.Match[str]) -> EventMention:
    """An anniversary of a concept ("National Day") of a country, or of named words."""
    has = bool(m.groupdict().get("subject"))
    s_start, s_end = (m.start("subject"), m.end("subject")) if has else (event.end, event.end)
    subject = p.text[s_start:s_end]
    concept = concept_of(fold_key(subject), p.lang)
    country = p.countries_in(s_start, s_end)
    if not country and m.groupdict().get("country"):
        country = p.countries_in(m.start("country"), m.end("country"))
    for f in p.local_between(s_start, s_end):  # a party named in it
        if f.key.startswith("gaz:"):
            country = country or country_of_party(p._party_of(f.key[4:]), p.rules)
    # "... diplomatic relations between Laos and Vietnam": both countries.
    # "... diplomatic relations (between) Laos and Vietnam": both countries.
    full = ""
    pair = p.lang.between_words.match(p.text, event.end) if p.lang.between_words else None
    at = pair.end() if pair else event.end
    places = [pl for pl in p._places_within(at, at + 60) if pl[3]][:2]
    if len(places) == 2 and re.fullmatch(r"[ ]?", p.text[at:places[0][0]]) and \
            _joins(p.text[places[0][1]:places[1][0]], p.lang):
        full = p.text[event.start:places[1][1]]
        country = country or "+".join(sorted({pl[2] for pl in places}))
    words = " ".join(w for w in fold_key(subject).split()
                     if w not in p.rules.gazetteer.place_countries)
    return replace(event, concept=concept, country=country, words="" if concept else words,
                   full=full)


def _joins(gap: str, lang: LanguageRules) -> bool:
    """The text between two names of one pair: "and", a dash or a comma."""
    word = gap.strip(" ,–—-")
    return len(gap) < 8 and (not word or fold_key(word) in lang.and_words)


def _body_subject(p: Paragraph, event: EventMention, m: re.Match[str],
                  strict: bool = False) -> EventMention | None:
    """"47:e Asean-toppmötet", "第47届东盟峰会": a numbered event of a body; the body is a
    gazetteer id when known, else the event is keyed on its words."""
    name = m.group("subject") if m.groupdict().get("subject") else ""
    gaz = p.rules.gazetteer
    body = ""
    if name:
        for f in p.local_between(m.start("subject"), m.end("subject")):
            if f.key.startswith("gaz:"):
                body = f.key[4:]
                break
        body = body or gaz.acronym_ids.get(name) or gaz.acronym_ids.get(name.upper()) or \
            gaz.name_ids.get(fold_key(name), "")
    if not body:  # "第45届…大会(AIPA 45)": the body's acronym in brackets right after
        for f in p.local_between(event.end, event.end + 4):
            if f.key.startswith("gaz:") and re.fullmatch(r"[ ]?[(（][ ]?",
                                                          p.text[event.end:f.start]):
                body = f.key[4:]
                break
    if not body:  # "(AIPA-45)", "(JCBC)": an acronym the gazetteer knows, in brackets after
        bracket = _BRACKET_ACRONYM.match(p.text, event.end)
        body = gaz.acronym_ids.get(bracket.group(1), "") if bracket else ""
    if not body and strict:
        return None
    words = fold_key(p.text[m.start("subject"):m.end("subject")]) if name else ""
    if not body and not words:
        words = fold_key(event.text)
    return replace(event, party=f"gaz:{body}" if body else "", words="" if body else words)


def _parties_subject(p: Paragraph, rule: EventRule, event: EventMention) -> EventMention | None:
    """"high-level meeting between A and B", "A与B会晤": the parties (or the ruling parties
    of the countries, after a "party" word) next to the match."""
    parties, edge = _walk_parties(p, event.start if rule.parties == "before" else event.end,
                                  rule.parties == "before")
    if len(parties) >= 2:
        full = p.text[edge:event.end] if rule.parties == "before" else p.text[event.start:edge]
        return replace(event, party="+".join(sorted(parties)), full=full)
    if rule.strict:
        return None
    return replace(event, words=fold_key(event.text))


def _walk_parties(p: Paragraph, at: int, backwards: bool) -> tuple[set[str], int]:
    """The parties standing next to ``at``, each separated from the last by a short gap
    without clause punctuation; and where the last one ends (or the first begins)."""
    gaz = p.rules.gazetteer
    items: list[tuple[int, int, str, bool]] = []  # start, end, party key, named by a country
    low, high = (max(0, at - 240), at) if backwards else (at, min(len(p.text), at + 240))
    for f in p.local_between(low, high):
        if f.key.startswith("gaz:") and f.end <= high:
            party = p._party_of(f.key[4:])
            if party:
                items.append((f.start, f.end, party, False))
    cue = _cue_near(p, at, backwards)
    if cue:
        for start, end, code, whole in p._places_within(low, high):
            if whole and code:  # a country without a known ruling party stays itself
                party = gaz.country_party.get(code, "")
                items.append((start, end, f"gaz:{party}" if party else f"country:{code}", True))
    items.sort(reverse=backwards)
    parties: set[str] = set()
    edge = at
    for start, end, party, country in items:
        if backwards and end > edge:  # nested in one already taken
            continue
        if not backwards and start < edge:
            continue
        gap = p.text[end:edge] if backwards else p.text[edge:start]
        if len(gap) > p.lang.event_gap or _CLAUSE_END.search(gap) or (
                parties and _COMMA.search(gap) and len(gap.strip(" ,，、")) > 12) or (
                parties and country and not _joins(gap, p.lang)):  # "... - Lào tại Campuchia"
            break
        parties.add(party)
        edge = start if backwards else end
    return parties, edge


def _cue_near(p: Paragraph, at: int, backwards: bool) -> bool:
    """A "party" word within reach: country names then stand for their ruling parties."""
    if not p.lang.party_cues:
        return False
    window = p.folded[max(0, at - p.lang.event_gap):at] if backwards else \
        p.folded[at:at + p.lang.event_gap]
    return any(c in window for c in p.lang.party_cues)


# -- keys -----------------------------------------------------------------------------------
def _sentence_of(paragraph: int, position: int,
                 sentence_starts: list[list[int]]) -> tuple[int, int]:
    return paragraph, bisect.bisect_right(sentence_starts[paragraph], position) - 1


def resolve_events(year: int | None, lang: LanguageRules, rules: Rules,
                   events: Sequence[EventMention], anchors: Sequence[Anchor],
                   countries: list[tuple[int, int, str]], sentence_starts: list[list[int]],
                   party_counts: Counter[str]) -> list[tuple[EventMention, str]]:
    """Give every event its subject and key; events without one join the one keyed event
    of their kind (and subject) in the article, or are dropped."""
    by_sentence: dict[tuple[int, int], list[Anchor]] = {}
    for anchor in sorted(anchors, key=lambda a: (a.paragraph, a.position)):
        by_sentence.setdefault(_sentence_of(anchor.paragraph, anchor.position, sentence_starts),
                               []).append(anchor)
    countries_by_sentence: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for paragraph, position, code in sorted(countries):
        countries_by_sentence.setdefault(_sentence_of(paragraph, position, sentence_starts),
                                         []).append((position, code))
    # Failing any party in the article, the party the language's press means by an
    # unqualified "the Party" (Vietnamese "Đảng"), when the language data names one.
    counts = party_counts
    top_party = min(counts, key=lambda k: (-counts[k], k)) if counts else (
        f"gaz:{lang.default_party}" if lang.default_party else "")
    when = str(year) if year else ""
    complete: list[tuple[EventMention, str]] = []
    incomplete: list[EventMention] = []
    for event in events:
        if "country:" in event.party:
            event = replace(event, party=_parties_of_countries(event.party, counts, rules))
        if event.subject == "party":
            subject = event.party or _anchor_before(event, by_sentence, sentence_starts)
            complete.append((event, subject or top_party))
        elif event.subject == "body":
            # A numbered event is one by its number; an unnumbered one ("the ASEAN Summit")
            # is its body's event of the year it carries, or of the article's year.
            subject = event.party or event.words
            if not event.ordinal and (event.year or when):
                subject = f"{subject}#{event.year or when}"
            complete.append((event, subject))
        elif event.subject == "parties":
            if event.party:
                complete.append((event, f"{event.party}@{when}"))
            elif event.words:
                complete.append((event, f"{event.words}#{when}"))
        else:
            # "the National Day" of which country: the one named nearest before it in the
            # sentence (or the country of the party named there), else the first after it.
            country = event.country
            if event.concept and not country:
                party = _anchor_before(event, by_sentence, sentence_starts, national=True)
                country = _country_near(event, countries_by_sentence, sentence_starts) or \
                    country_of_party(party, rules)
            if event.concept:
                complete.append((event, f"{event.concept}@{country}"))
            elif event.words:
                carried = event.year or (when if event.dated and not event.ordinal else "")
                complete.append((event, event.words + (f"#{carried}" if carried else "")))
            else:
                incomplete.append(event)
    keyed: list[tuple[EventMention, str]] = []
    numbered: dict[tuple[str, str], set[str]] = {}
    for event, subject in complete:
        kind = event.kind
        if event.kind == "congress" and subject.startswith("local:"):
            kind = "local-congress"
        subject = subject.removeprefix("local:")
        if event.ordinal:
            numbered.setdefault((kind, subject.partition("#")[0]), set()).add(
                f"event:{kind}:{event.ordinal}:{subject}")
        keyed.append((event, f"event:{kind}:{event.ordinal}:{subject}"))
    result: list[tuple[EventMention, str]] = []
    for event, key in keyed:
        _, kind, number, subject = key.split(":", 3)
        same = numbered.get((kind, subject.partition("#")[0]), set())
        if number == "0" and len(same) == 1:  # "the Congress" after "the 14th Congress"
            key = next(iter(same))
        result.append((event, key))
    for event in incomplete:
        # "50-årsjubileum", "högnivåmötet": the one complete event of its kind and number.
        same_kind = sorted({k for e, k in result if e.kind == event.kind
                            and (e.ordinal == event.ordinal or not event.ordinal)
                            and (not event.concept or e.concept == event.concept)})
        if len(same_kind) == 1:
            result.append((event, same_kind[0]))
    return result


def _parties_of_countries(parties: str, party_counts: Counter[str], rules: Rules) -> str:
    """"The three parties of Vietnam, Cambodia and Laos": a country without a ruling party
    in the gazetteer stands for the one party of that country the article names."""
    entries = rules.gazetteer.entries
    named: dict[str, list[str]] = {}
    for key in sorted(party_counts):
        entry = entries.get(key.removeprefix("gaz:"))
        if entry is not None and entry.country and entry.type is EntityType.PARTY:
            named.setdefault(entry.country, []).append(key)
    resolved = set()
    for party in parties.split("+"):
        code = party.removeprefix("country:")
        found = named.get(code, []) if party.startswith("country:") else []
        resolved.add(found[0] if len(found) == 1 else party)
    return "+".join(sorted(resolved))


def _country_near(event: EventMention, countries: dict[tuple[int, int], list[tuple[int, str]]],
                  sentence_starts: list[list[int]]) -> str:
    same = countries.get(_sentence_of(event.paragraph, event.start, sentence_starts), [])
    before = [c for pos, c in same if pos < event.start]
    after = [c for pos, c in same if event.end <= pos]
    return before[-1] if before else after[0] if after else ""


def _anchor_before(event: EventMention, anchors: dict[tuple[int, int], list[Anchor]],
                   sentence_starts: list[list[int]], national: bool = False) -> str:
    """The nearest party (or local organ) named before the event in its sentence."""
    best: Anchor | None = None
    for anchor in anchors.get(_sentence_of(event.paragraph, event.start, sentence_starts), ()):
        if anchor.position < event.start and (best is None or anchor.position >= best.position):
            best = anchor
    if best is None:
        return ""
    if best.local and not event.national and not national and event.kind == "congress":
        return f"local:{best.local}"
    return best.party
