"""Language data and the bundled gazetteer, compiled once into regular expressions.

`compile_rules(languages)` reads every language's ``tagger`` section and the gazetteer and
returns one frozen `Rules` object that the extractor is given: nothing is cached at module
level, so two archives with different language data never share state.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError

from newsforge.errors import NewsforgeError
from newsforge.langdata import FastSafeLoader, LanguagePack, Languages
from newsforge.model import EntityType

# Every character of the Basic Multilingual Plane, in order: the tables below are read
# from it with string methods run over it whole (a loop per character in Python made
# importing this module a tenth of a second slower).
_PLANE = "".join(map(chr, range(0x10000)))
# Every upper- and lower-case letter of the Basic Multilingual Plane, as regex classes:
# Python's `re` has no \p{Lu}. Built once at import; immutable strings.
_UPPER = "".join(sorted({*filter(str.isupper, _PLANE), *filter(str.istitle, _PLANE)}))
_LOWER = "".join(filter(str.islower, _PLANE))
_UPPER_CLASS = re.escape(_UPPER)
UP = "[" + _UPPER_CLASS + "]"
LOW = "[" + re.escape(_LOWER) + "]"
# A capitalised word: an upper-case letter, then letters, digits, inner apostrophes/hyphens.
_CW_TAIL = r"(?:\w|[’'\-](?=\w))*"
CW = UP + _CW_TAIL
# A lower-case word.
LW = LOW + r"(?:\w|[’'\-](?=\w))*"
# Separator of the words of a multi-word name once folded.
_NAME_SEP = r"[^\w.;:()\x00\n]+"
# Dots inside transliterated names: "トー・ラム", "宋赛·西潘敦".
NAME_DOTS = "\u30fb\u00b7\u2027\uff65"
# Letters of a script stand for one private-use marker per script in a "script view" of a
# text (`Rules.script_table`), so that runs of one script are found by comparing markers.
SCRIPT_MARK = 0xE000


def _script_of(char: str) -> str:
    """The script of a letter or mark, by its Unicode name ("cjk", "katakana", "thai")."""
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if "KATAKANA" in first or name.startswith("HALFWIDTH KATAKANA"):
        return "katakana"
    return "cjk" if first == "CJK" else first.lower()


# Cached: a pure function of Unicode's data that reads every character of the BMP, asked
# for again by every text of a language that reads names by cue words.
@functools.lru_cache(maxsize=8)
def _script_table(wanted: tuple[str, ...]) -> Mapping[int, str]:
    """A str.translate table mapping each caseless letter or mark of the scripts ``wanted``
    (sorted, each once) to its script's marker (the n-th is ``SCRIPT_MARK + n``)."""
    table: dict[int, str] = {}
    if not wanted:
        return table
    for code in range(0x10000):
        char = chr(code)
        if char.isupper() or char.islower() or not (
                char.isalpha() or unicodedata.category(char) in ("Mn", "Mc")):
            continue
        script = _script_of(char)
        if script in wanted:
            table[code] = chr(SCRIPT_MARK + wanted.index(script))
    return table


def _fold_table() -> str:
    """A str.translate table folding case and diacritics, one character to one character.

    Keeping lengths equal lets offsets found in folded text be used in the original. The
    table is a string indexed by code point (the character itself where nothing changes):
    `translate` reads it more than twice as fast as a dict. Characters beyond it (outside
    the Basic Multilingual Plane) are left as they are.
    """
    table = list(_PLANE)
    for char in filter(str.isalpha, _PLANE):
        code = ord(char)
        base = unicodedata.normalize("NFD", char)[0]
        lower = base.lower()
        if len(lower) == 1 and lower != char:
            table[code] = lower
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    table[ord("’")] = "'"
    return "".join(table)


FOLD = _fold_table()


def fold(text: str) -> str:
    """Case- and diacritic-folded text of the same length ("Tô Lâm" -> "to lam")."""
    return text.translate(FOLD)


# Letters and the combining marks of scripts that write vowels and tones as marks (Thai,
# Lao, Khmer, Devanagari): a word goes on through its marks.
_MARKS = "".join(char for char, category in zip(
    _PLANE[0x0900:], map(unicodedata.category, _PLANE[0x0900:]), strict=True)
    if category in ("Mn", "Mc") and not "\u20d0" <= char < "\u2100"
    and not "\ufe00" <= char < "\ufe30")
_WORDS = re.compile(rf"[\w{re.escape(_MARKS)}]+")


@functools.lru_cache(maxsize=1 << 16)  # names repeat: most calls are for a key seen before
def fold_key(text: str) -> str:
    """A folded comparison key: punctuation and spacing collapsed to single spaces."""
    return " ".join(_WORDS.findall(fold(text).replace("_", " ")))


def key_of_folded(text: str) -> str:
    """`fold_key` of text that is already folded (a match in folded text)."""
    return " ".join(_WORDS.findall(text.replace("_", " ")))


# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK): a
# name in them may stand inside a run of letters, and a space in it is optional.
SPACELESS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff"
             "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f")
_SPACELESS_RUN = re.compile(f"[{SPACELESS}]+")
_SPACELESS_GAP = re.compile(f" (?=[{SPACELESS}])|(?<=[{SPACELESS}]) ")
# Before and after a gazetteer name: no letter of a spaced script may touch it, but a
# name may touch letters of a script written without spaces ("出席ASEAN", "越南共产党中央").
_NAME_START = rf"(?:(?<![^\W{SPACELESS}])|(?=[{SPACELESS}]))"
_NAME_END = rf"(?:(?![^\W{SPACELESS}])|(?<=[{SPACELESS}]))"
# An acronym's start is checked right after its first letter (hence the "." in the
# look-behinds): a pattern that opens with its letters lets `re` skip to where one may start.
_ACRONYM_LEAD = rf"(?:(?<![\w\-].)|(?<=[{SPACELESS}].)|(?<=[{SPACELESS}]))"
_ACRONYM_END = rf"(?:(?![\w\-])|(?=[{SPACELESS}])|(?<=[{SPACELESS}]))"


@functools.lru_cache(maxsize=1 << 14)  # a matched name: the same few recur in every text
def name_key(folded: str) -> str:
    """The gazetteer's key of folded text: `key_of_folded`, spaces next to spaceless scripts
    dropped ("ພັກ ປະຊາຊົນ" and "ພັກປະຊາຊົນ" are one name)."""
    return _SPACELESS_GAP.sub("", key_of_folded(folded))


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One party, organ or organisation of the bundled gazetteer."""

    id: str
    type: EntityType
    names: tuple[tuple[str, tuple[str, ...]], ...]
    acronyms: tuple[str, ...]
    parent: str | None = None
    country: str | None = None
    # A governing body (central committee, politburo): where a language's rules name such
    # bodies ("CPV Central Committee", "Bộ Chính trị ..."), a mention of its party instead.
    body: bool = False


@dataclass(frozen=True, slots=True)
class WordStarts:
    """Phrases that must start where a word may (after a character of ``before``, or at
    the start of the text), found by a pattern whose group 1 is the phrase.

    Checking the character before a phrase with a look-behind makes `re` try the pattern
    at every letter of the text. When no phrase can end in such a character, the pattern
    consumes it instead (``padded``: the text is searched with a space in front), and
    `re` skips from one to the next: the same matches, found in a fraction of the time.
    """

    source: str
    """The pattern as written (with ``\\W``): compiled only for a text with a character
    beyond the Basic Multilingual Plane, which few archives hold (compiling the gazetteer's
    patterns a second time was a third of a second in every process that tags)."""
    padded: bool
    # The same pattern with the characters of ``\W`` listed, for a text within the Basic
    # Multilingual Plane (see `_BMP_NON_WORD`).
    within_bmp: re.Pattern[str]

    def spans(self, text: str, bmp_only: bool) -> list[tuple[int, int]]:
        """Where the phrases stand in ``text``, left to right, not overlapping;
        ``bmp_only``: ``text`` lies within the Basic Multilingual Plane (see
        `stays_in_bmp`; False is always right, True is faster)."""
        # `re` keeps what it compiled: the source is compiled once, at its first use.
        pattern = self.within_bmp if bmp_only else re.compile(self.source)
        if not self.padded:
            return [m.span(1) for m in pattern.finditer(text)]
        return [(m.start(1) - 1, m.end(1) - 1) for m in pattern.finditer(" " + text)]


def _ranges(codes: Iterable[int]) -> str:
    """Code points (ascending) as the inside of a regex class, runs written as ranges."""
    parts: list[str] = []
    run: list[int] = []
    for code in [*codes, -1]:
        if run and code == run[-1] + 1:
            run.append(code)
            continue
        if run:
            first, last = re.escape(chr(run[0])), re.escape(chr(run[-1]))
            parts.append(first if len(run) == 1 else f"{first}-{last}")
        run = [code]
    return "".join(parts)


# `re` tests a class holding \W by asking Unicode's database about each character, and a
# pattern opening with such a class is tried after every character it holds (every space).
# Listed, the characters of the Basic Multilingual Plane become a table `re` reads at a
# glance: the same matches in about half the time. The list is exact only within that
# plane; a text with a character beyond it is searched with ``\W`` as written.
_BMP_NON_WORD = _ranges(ord(char) for run in re.findall(r"\W+", _PLANE) for char in run)
_BEYOND_BMP = re.compile(r"[^\x00-\uffff]")


def stays_in_bmp(text: str) -> bool:
    """Whether ``text`` lies within the Basic Multilingual Plane. Asked once of a whole
    article, not of each paragraph by each pattern: the question reads every character."""
    return _BEYOND_BMP.search(text) is None


def _word_starts(phrases_re: str, before: str, *, ends_elsewhere: bool) -> WordStarts:
    """`WordStarts` of a pattern for phrases that follow a character of ``before`` (the
    inside of a regex class, non-word characters written as ``\\W``) or the text's start;
    ``ends_elsewhere``: some phrase may end in such a character, so it is checked with a
    look-behind."""
    listed = before.replace(r"\W", _BMP_NON_WORD)
    if ends_elsewhere:
        return WordStarts(rf"(?<![^{before}])({phrases_re})", False,
                          re.compile(rf"(?<![^{listed}])({phrases_re})"))
    return WordStarts(rf"[{before}]({phrases_re})", True,
                      re.compile(rf"[{listed}]({phrases_re})"))


def _ends_in_letter(phrases: Iterable[str]) -> bool:
    """Whether every phrase (folded) ends in a letter of a script written with spaces."""
    return all(re.search(rf"[^\W_{SPACELESS}]$", word) for phrase in phrases
               for word in _words(fold(phrase))[-1:])


@dataclass(frozen=True, slots=True)
class NameMatcher:
    """Names in folded text: those of spaced scripts as whole words, those of spaceless
    scripts anywhere. Two patterns, because one opening with every script's letters would
    try them all at every word of every text."""

    spaced: WordStarts | None
    spaceless: re.Pattern[str] | None

    def finditer(self, text: str, bmp_only: bool) -> list[tuple[int, int]]:
        """The spans of both patterns' matches by position; the longer one where two
        overlap (``bmp_only`` as for `WordStarts.spans`)."""
        found = self.spaced.spans(text, bmp_only) if self.spaced is not None else []
        if self.spaceless is None:
            return found
        found.extend(m.span() for m in self.spaceless.finditer(text))
        if self.spaced is None:
            return found
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in found:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


# Vowel signs, tone marks and subscripts of the spaceless Southeast Asian scripts: a name
# never ends right before one, since the letter before it belongs to the next syllable
# (Khmer "ចិន" is not inside "ចិន្តា").
_JOINING_MARKS = "".join(chr(c) for start, end in ((0x0E00, 0x0EFF), (0x1000, 0x109F),
                                                     (0x1780, 0x17FF))
                         for c in range(start, end + 1)
                         if unicodedata.category(chr(c)).startswith("M"))


def _name_matcher(names: Iterable[str], ending: str, ending_in_letter: bool
                  ) -> NameMatcher | None:
    spaced: list[str] = []
    spaceless: list[str] = []
    for name in names:
        (spaceless if _SPACELESS_RUN.match(name) else spaced).append(name)
    spaced_re = _alternation(spaced, folded=True)
    spaceless_re = _alternation(spaceless, folded=True)
    if not spaced_re and not spaceless_re:
        return None
    return NameMatcher(
        _word_starts(rf"(?:{spaced_re}){ending}(?![^\W{SPACELESS}])", rf"\W{SPACELESS}",
                     ends_elsewhere=not (ending_in_letter and _ends_in_letter(spaced)))
        if spaced_re else None,
        re.compile(rf"(?:{spaceless_re})(?![{_JOINING_MARKS}])") if spaceless_re else None)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Matchers over the gazetteer's names, acronyms and places."""

    entries: Mapping[str, GazetteerEntry]
    names: NameMatcher | None            # over folded text
    name_ids: Mapping[str, str]           # fold_key(name) -> entry id
    acronyms: re.Pattern[str] | None      # over the original text, case-sensitive
    acronym_ids: Mapping[str, str]
    places: NameMatcher | None            # over folded text
    place_countries: Mapping[str, str]    # fold_key(place) -> country code
    adjectives: frozenset[str]            # fold_key of country adjectives ("lao")
    country_level: frozenset[str]         # fold_key of country names and adjectives
    country_names: Mapping[str, str]      # country code -> its first name
    country_party: Mapping[str, str]      # country code -> its ruling party's entry id
    # party id -> its names and acronyms (over folded text), found inside its organs' names
    party_names: Mapping[str, re.Pattern[str]]
    # entry id -> the key of the party it is or belongs to, for entries that have one
    parties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NameShape:
    """A family of personal names recognised by shape in every language's text."""

    surnames: frozenset[str]
    syllable: re.Pattern[str]
    min_tokens: int
    max_tokens: int
    short_form: str  # "last" or "first-last"
    language: str    # the language whose stop words may also be given names
    # That language's capitalised common words as written (lower case, diacritics kept):
    # "Đảng" (party) folds like the family name "Đặng" but is never one.
    not_surnames: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventRule:
    """One event shape of one language."""

    kind: str
    subject: str  # "party", "text" or "parties"
    pattern: re.Pattern[str]
    triggers: tuple[str, ...] = ()  # folded words, one of which the paragraph must contain
    # `subject: parties`: on which side of the match the parties stand ("after" for
    # "meeting between A and B", "before" for "A与B会晤"); `strict`: no event without two.
    parties: str = "after"
    strict: bool = False
    dated: bool = False  # the event is one of its year ("elections"): keyed on the year


@dataclass(frozen=True, slots=True)
class CueRules:
    """How one language writes people's names in a script without capital letters.

    Such a name is found next to a cue: a title or honorific before or after it, a
    transliterated name in parentheses after it, or a name dot inside it ("トー・ラム").
    It is the run of its script's letters up to a delimiter: punctuation, another script,
    a title, a place, a stop word, or (``spaced`` scripts) a space after ``max_parts``
    parts. A run longer than its script allows has no certain edge; it is kept only when
    the article names the same person with certain edges elsewhere.
    """

    cues: re.Pattern[str]              # titles and honorifics, as written
    before_only: frozenset[str]        # cues that only precede a name ("นาย", "ທ່ານ")
    after_only: frozenset[str]         # cues that only follow a name ("氏", "夫人")
    stops: re.Pattern[str] | None      # words that end a name (particles, verbs)
    stop_end: re.Pattern[str] | None   # a stop word ending a token (spaced scripts)
    places: re.Pattern[str] | None     # country names in the language (from CLDR)
    scripts: Mapping[str, int]         # script marker -> most letters in one part
    spaced: bool                       # parts of a name are separated by spaces
    max_parts: int
    ideographs: str = ""               # the marker of Han ideographs, whose runs have no edges


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """The compiled tagger data of one language."""

    code: str
    stopwords: frozenset[str]
    titles: WordStarts | None              # over folded text
    chunks: re.Pattern[str]
    org_final: re.Pattern[str] | None
    org_initial: re.Pattern[str] | None
    # Any head of `org_final`: a text without one has no match, and this cheap search
    # spares the costly one, which tries runs of capitalised words at every word.
    org_final_heads: re.Pattern[str] | None
    head_types: Mapping[str, EntityType]   # fold_key(head) -> type
    organ_heads: frozenset[str]
    generic_heads: frozenset[str]
    bodies: re.Pattern[str] | None         # a body phrase at the start of folded text
    # A body phrase, then spaces and maybe one of the language's `body_links`, ending the
    # text: "Central Committee of the " before a name (group 1: the body).
    body_before: re.Pattern[str] | None
    connectors: frozenset[str]
    events: tuple[EventRule, ...]
    ordinal_words: Mapping[str, int]
    between_words: re.Pattern[str] | None  # "between", "mellan": two subjects follow
    event_subjects: tuple[tuple[str, str], ...]  # (folded phrase, concept), longest first
    ordinal_re: str
    ordinal_after: re.Pattern[str] | None  # "lần thứ XII" after an event's name
    place_after: frozenset[str]      # "Lake", "Canal": the capitalised words before are a place
    place_before: re.Pattern[str] | None  # "tỉnh", "Mount": the words after are a place
    determiners: frozenset[str]      # "the": a name right after one is not a person's
    lower_case_evidence: bool        # a word also seen in lower case is a common word
    org_words: frozenset[str]        # words found inside organisation names
    default_party: str               # gazetteer id of the party "the Party" means, or ""
    party_word: re.Pattern[str] | None  # "Đảng" standing alone: the default party
    genitive_suffixes: tuple[str, ...]  # "s" in Swedish "To Lams"
    articles: frozenset[str]         # "the": never part of a name's identity
    subject_links: re.Pattern[str] | None  # " of the " between an event and its party
    event_kinds: Mapping[str, str]   # folded event head -> kind shared by all languages
    numerals: Mapping[str, int]      # "十" -> 10: numerals written as characters
    event_gap: int                   # most characters between two parties of one event
    and_words: frozenset[str]        # folded "and" words joining two names of a pair
    party_cues: tuple[str, ...]      # folded "party" words: countries then name their parties
    cue: CueRules | None = None      # names in scripts without capital letters
    noun_endings: re.Pattern[str] | None = None  # German "-ung": a capitalised common noun
    noun_markers: re.Pattern[str] | None = None  # "die X": X is a noun (group 1)
    territories: frozenset[str] = frozenset()  # folded country names of the language (CLDR)
    country_cases: bool = False      # country names decline: their stems are never names
    territory_stems: tuple[str, ...] = ()  # the names less their last letter, when longer


@dataclass(frozen=True, slots=True)
class EventNaming:
    """How one language writes an event's full name, from its templates. Kept apart from
    `LanguageRules`: resolution names events in every language, and needs none of their
    patterns compiled for that."""

    event_names: Mapping[str, str]       # event kind -> template ("{nth} Congress of ...")
    subject_names: Mapping[str, str]     # subject concept -> template
    ordinal_suffixes: Mapping[str, str]  # last digits -> suffix ("1" -> "st")


def _event_naming(data: Mapping[str, Any]) -> EventNaming:
    def strings(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (data.get(key) or {}).items()}

    return EventNaming(event_names=strings("event_names"),
                       subject_names=strings("subject_names"),
                       ordinal_suffixes=strings("ordinal_suffixes"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What resolution reads of the language data: the gazetteer's entries and lookups and
    each language's event-name templates. None of it is a compiled pattern, so a build
    whose mentions all come from the cache gets it for a small part of `compile_rules`."""

    entries: Mapping[str, GazetteerEntry]
    name_ids: Mapping[str, str]           # key of a folded name -> entry id
    acronym_ids: Mapping[str, str]
    country_names: Mapping[str, str]      # country code -> its first name
    country_party: Mapping[str, str]      # country code -> its ruling party's entry id
    naming: Mapping[str, EventNaming]     # by language code


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the extractor needs, for every language, compiled once per archive."""

    languages: Mapping[str, LanguageRules]
    fallback: LanguageRules
    gazetteer: Gazetteer
    known_words: frozenset[str]
    shapes: tuple[NameShape, ...]
    genitive_suffixes: tuple[str, ...] = ()  # of every language, folded
    scripts: tuple[str, ...] = ()
    """The scripts named in the languages' ``name_scripts``, sorted."""
    naming: Mapping[str, EventNaming] = field(default_factory=dict)  # by language code

    @property
    def script_table(self) -> Mapping[int, str]:
        """Caseless letters of ``scripts`` -> their script marker. Made when a text first
        needs it: reading the whole plane took a tenth of a second in every process that
        compiles the rules, and only the languages that name those scripts read it."""
        return _script_table(self.scripts)

    @property
    def lexicon(self) -> Lexicon:
        """The part of these rules that resolution reads."""
        gaz = self.gazetteer
        return Lexicon(gaz.entries, gaz.name_ids, gaz.acronym_ids, gaz.country_names,
                       gaz.country_party, self.naming)

    def for_language(self, code: str) -> LanguageRules:
        """The rules of ``code`` (or its primary subtag); language-neutral rules otherwise."""
        return self.languages.get(code) or self.languages.get(code.split("-")[0]) or self.fallback


def _strings(value: Any) -> tuple[str, ...]:
    """A list of words or phrases from language data."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        for item in value:
            if isinstance(item, bool):
                # YAML reads a bare On/No/Yes as a boolean, silently losing the word.
                raise NewsforgeError(f"tagger data has {item!r} where a word was expected",
                                     hint="quote words such as \"On\", \"No\" and \"Yes\"")
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    return ()


def _alternation(phrases: Iterable[str], *, folded: bool, lead: str = "") -> str:
    """A regex matching any of the phrases, tolerant about inner spacing.

    ``lead`` is a check made right after the first letter. The phrases are merged into a
    trie ("lao", "laos" -> "lao(?:s)?") so that Python's
    backtracking engine branches once per character instead of trying every phrase at
    every position: with hundreds of names this is what keeps tagging fast. Greedy
    optional tails make the longest phrase win.
    """
    trie: dict[str, Any] = {}
    for phrase in {p for p in phrases if p}:
        atoms: list[str] = []
        # A run of a spaceless script is one word, its combining vowels and tones included;
        # next to such a run a space is optional ("ພັກ ປະຊາຊົນ" = "ພັກປະຊາຊົນ").
        # A full stop inside a name stays one ("T.Ư", "TP.HCM").
        words = _words(fold(phrase) if folded else phrase)
        for i, word in enumerate(words):
            if word == ".":
                atoms.append(_DOT)
                continue
            if word in "’'-":
                atoms.append(_APOSTROPHE)
                continue
            if i and words[i - 1] not in "’'-.":
                spaceless = _SPACELESS_RUN.match(word) or _SPACELESS_RUN.match(words[i - 1])
                atoms.append(_GAP if spaceless else _SEPARATOR)
            atoms.extend(word)
        if not atoms:
            continue
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _emit(trie, lead)


def _words(phrase: str) -> list[str]:
    """The parts `_alternation` reads a phrase as: words of spaceless and of spaced
    scripts, apostrophes and hyphens, and full stops inside a name."""
    return re.findall(rf"[{SPACELESS}]+|[^\W_{SPACELESS}]+|[’'\-]|\.(?=\w)", phrase)


# Letters per group in a branch on the first letter behind a lead (see `_emit`).
_LETTER_GROUP = 6
_END, _SEPARATOR, _APOSTROPHE, _GAP, _DOT = "\x01end", "\x01sep", "\x01apos", "\x01gap", "\x01dot"


def _emit(node: dict[str, Any], lead: str = "") -> str:
    atoms = sorted(a for a in node if a != _END)
    if lead and len(atoms) > 1 and all(len(atom) == 1 for atom in atoms):
        # The first letter read by one class and the lead checked once after it; then
        # the letter's branch, found by its group and then by the letter (each a look
        # back at it). The same matches as the lead written in every branch, whose
        # character classes took `re` a sixth of a second to compile, in every process.
        groups = [atoms[n:n + _LETTER_GROUP] for n in range(0, len(atoms), _LETTER_GROUP)]
        rests = "|".join(
            f"(?<=[{''.join(map(re.escape, group))}])(?:" + "|".join(
                rf"(?<={re.escape(atom)}){_emit(node[atom])}" for atom in group) + ")"
            for group in groups)
        body = f"[{''.join(map(re.escape, atoms))}]{lead}(?:{rests})"
        return f"(?:{body})?" if _END in node else body
    branches = []
    for atom in atoms:
        if atom == _SEPARATOR:
            head = _NAME_SEP
        elif atom == _APOSTROPHE:
            head = r"(?:[ ]?[’'\-–][ ]?|\s)?"  # "Á-Thái", "Á - Thái", "Á Thái"
        elif atom == _DOT:
            head = r"\.[ ]?"
        elif atom == _GAP:
            head = "[ \u00a0\u200b]*"
        else:
            head = re.escape(atom)
        branches.append(head + lead + _emit(node[atom]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


def _literal_alternation(phrases: Iterable[str], lead: str = "") -> str:
    """Phrases as written, longest first, as one regex alternation; ``lead`` is a check
    made right after each phrase's first character (see `_ACRONYM_LEAD`)."""
    return "|".join(re.escape(p[:1]) + lead + re.escape(p[1:])
                    for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def _after_first(phrases: Iterable[str]) -> str:
    """`_literal_alternation` of phrases whose first character was read already: each
    phrase's rest, after a check that it was that character."""
    return "|".join(rf"(?<={re.escape(p[:1])}){re.escape(p[1:])}"
                    for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def _first_any_case(phrase: str) -> tuple[str, ...]:
    """A phrase as written and with its first letter in the other case."""
    if not phrase:
        return ()
    other = phrase[0].swapcase() + phrase[1:]
    return (phrase, other) if other != phrase else (phrase,)


def load_gazetteer() -> Mapping[str, Any]:
    """The bundled gazetteer's raw data."""
    text = resources.files(__package__).joinpath("gazetteer.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=FastSafeLoader)
    return data if isinstance(data, dict) else {}


def _entries(data: Mapping[str, Any], extra: Iterable[GazetteerEntry]
             ) -> dict[str, GazetteerEntry]:
    entries: dict[str, GazetteerEntry] = {}
    for raw in data.get("entities") or ():
        names = raw.get("names") or {}
        entry = GazetteerEntry(
            id=str(raw["id"]), type=EntityType(raw.get("type", "organisation")),
            names=tuple(sorted((str(lang), _strings(v)) for lang, v in names.items())),
            acronyms=_strings(raw.get("acronyms")), parent=raw.get("parent"),
            country=raw.get("country"), body=bool(raw.get("body")))
        entries[entry.id] = entry
    for entry in extra:
        entries[entry.id] = entry
    return entries


def _entry_ids(entries: Mapping[str, GazetteerEntry]
               ) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The entry id of each name's key and of each acronym (one-word names are matched as
    written, like acronyms), and the names matched by their key."""
    name_ids: dict[str, str] = {}
    acronym_ids: dict[str, str] = {}
    # The names as written: their keys drop the vowel signs and spaces of spaceless scripts.
    written: list[str] = []
    for entry in sorted(entries.values(), key=lambda e: e.id):
        for _lang, names in entry.names:
            for name in names:
                if " " in name.strip() or not name[:1].isupper():
                    name_ids.setdefault(name_key(fold(name)), entry.id)
                    written.append(name)
                else:  # a one-word name is as specific as an acronym: match it as written
                    acronym_ids.setdefault(name, entry.id)
        for acronym in entry.acronyms:
            acronym_ids.setdefault(acronym, entry.id)
    return name_ids, acronym_ids, written


def _country_names(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Each country's first name and its ruling party's entry id, by country code."""
    country_names: dict[str, str] = {}
    country_party: dict[str, str] = {}
    for raw in data.get("countries") or ():
        code = str(raw["code"])
        names = _strings(raw.get("names"))
        if names:
            country_names[code] = names[0]
        if raw.get("party"):
            country_party[code] = str(raw["party"])
    return country_names, country_party


def compile_lexicon(languages: Languages, extra: Iterable[GazetteerEntry] = ()) -> Lexicon:
    """What `compile_rules(languages, extra).lexicon` is, without compiling any pattern."""
    data = load_gazetteer()
    entries = _entries(data, extra)
    name_ids, acronym_ids, _ = _entry_ids(entries)
    return Lexicon(entries, name_ids, acronym_ids, *_country_names(data),
                   _event_namings(languages))


def compile_gazetteer(data: Mapping[str, Any], extra: Iterable[GazetteerEntry] = (),
                      suffixes: Iterable[str] = ()) -> Gazetteer:
    """Compile gazetteer data (plus curated entries) into matchers."""
    entries = _entries(data, extra)
    name_ids, acronym_ids, written = _entry_ids(entries)
    country_names, country_party = _country_names(data)
    places_written: list[str] = []
    place_countries: dict[str, str] = {}
    adjectives: set[str] = set()
    country_level: set[str] = set()
    for raw in data.get("countries") or ():
        code = str(raw["code"])
        names = _strings(raw.get("names"))
        for place in (*names, *_strings(raw.get("places")), *_strings(raw.get("adjectives"))):
            place_countries.setdefault(name_key(fold(place)), code)
            places_written.append(place)
        adjectives.update(name_key(fold(a)) for a in _strings(raw.get("adjectives")))
        country_level.update(name_key(fold(n)) for n in names)
    # Genitive endings of any language ("Vietnams kommunistiska partis") may follow a name.
    endings = _literal_alternation(fold(x) for x in suffixes)
    ending = f"(?:{endings})?" if endings else ""
    ending_in_letter = _ends_in_letter(suffixes)
    party_names: dict[str, re.Pattern[str]] = {}
    for party_id in sorted({e.parent for e in entries.values()
                            if e.parent in entries and e.type is EntityType.PARTY}):
        party = entries[str(party_id)]
        inner = _alternation([*(n for _, names in party.names for n in names), *party.acronyms],
                             folded=True)
        if inner:
            party_names[party.id] = re.compile(rf"{_NAME_START}(?:{inner}){_NAME_END}")
    acronyms_re = _alternation(acronym_ids, folded=False, lead=_ACRONYM_LEAD)
    return Gazetteer(
        entries=entries,
        names=_name_matcher(written, ending, ending_in_letter),
        name_ids=name_ids,
        acronyms=re.compile(rf"(?:{acronyms_re}){_ACRONYM_END}")
        if acronyms_re else None,
        acronym_ids=acronym_ids,
        places=_name_matcher(places_written, ending, ending_in_letter),
        place_countries=place_countries, adjectives=frozenset(adjectives),
        country_level=frozenset(country_level | adjectives),
        country_names=country_names, country_party=country_party, party_names=party_names,
        parties={entry_id: party_key for entry_id in entries
                 if (party_key := _party_of(entry_id, entries))})


def _party_of(entry_id: str, entries: Mapping[str, GazetteerEntry]) -> str:
    """The party a gazetteer entry is or belongs to, as a key ("" for none)."""
    seen = set()
    while entry_id in entries and entry_id not in seen:
        seen.add(entry_id)
        entry = entries[entry_id]
        if entry.type is EntityType.PARTY and not entry.parent:
            return f"gaz:{entry_id}"
        entry_id = entry.parent or ""
    return ""


def _caseless(phrase: str) -> bool:
    first = phrase[:1]
    return bool(first) and first.isalpha() and not first.isupper() and not first.islower()


@functools.lru_cache(maxsize=64)  # CLDR's data does not change while we run
def _territories(code: str) -> tuple[str, ...]:
    """Country names in the language, from CLDR (empty when CLDR has no such locale)."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return ()
    return tuple(sorted({str(n) for n in locale.territories.values() if len(str(n)) > 1}))


def _compile_cues(data: Mapping[str, Any], titles: tuple[str, ...], countries: tuple[str, ...],
                  markers: Mapping[str, str]) -> CueRules | None:
    """The cue rules of a language whose data names the scripts it writes names in."""
    raw_scripts = data.get("name_scripts")
    if not isinstance(raw_scripts, Mapping) or not raw_scripts:
        return None
    before = _strings(data.get("names_before"))
    after = _strings(data.get("names_after"))
    cues = [t for t in (*titles, *before, *after) if _caseless(t)]
    if not cues:
        return None
    stops = _strings(data.get("name_stops"))
    stop_re = _literal_alternation(stops)
    places = _literal_alternation(countries)
    scripts = {markers[str(k)]: int(v) for k, v in raw_scripts.items() if str(k) in markers}
    return CueRules(
        cues=re.compile(_literal_alternation(cues)), before_only=frozenset(before) - set(titles),
        after_only=frozenset(after) - set(titles),
        stops=re.compile(stop_re) if stop_re else None,
        stop_end=re.compile(f"(?:{stop_re})$") if stop_re else None,
        places=re.compile(places) if places else None, scripts=scripts,
        spaced=str(data.get("name_parts", "")) == "spaced", ideographs=markers.get("cjk", ""),
        max_parts=int(data.get("max_name_parts", 3)))


def _compile_language(code: str, data: Mapping[str, Any],
                      markers: Mapping[str, str] | None = None) -> LanguageRules:
    titles = _strings(data.get("titles"))
    particles = _strings(data.get("name_particles"))
    particle_re = "|".join(re.escape(p) for p in particles)
    joiner = rf"[ \u00a0]+(?:(?:{particle_re})[ \u00a0]+)?" if particle_re else r"[ \u00a0]+"
    # The word's start is checked after its capital (the look-behind spans it): a pattern
    # opening with the capital lets `re` skip straight to the next one.
    chunks = re.compile(rf"{UP}(?<![\w\x00’'\-].){_CW_TAIL}(?:{joiner}{CW})*")

    head_types: dict[str, EntityType] = {}
    final_heads: list[str] = []
    for type_name, heads in (data.get("org_heads") or {}).items():
        for head in _strings(heads):
            head_types.setdefault(fold_key(head), EntityType(type_name))
            final_heads.append(head)
    initial_heads: list[str] = []
    any_case = set(_strings(data.get("head_any_case")))
    for type_name, heads in (data.get("org_initial_heads") or {}).items():
        for head in _strings(heads):
            head_types.setdefault(fold_key(head), EntityType(type_name))
            initial_heads.extend(_first_any_case(head) if head in any_case else (head,))
    connectors = _strings(data.get("connectors"))
    and_words = _strings(data.get("and_words"))
    articles = _strings(data.get("articles"))
    conn_re = _literal_alternation(c for c in connectors if c not in and_words)
    and_re = _literal_alternation(and_words) or "(?!)"
    article = rf"(?:(?:{_literal_alternation(articles)})[ ]+)?" if articles else ""
    org_final = org_final_heads = None
    if final_heads:
        heads_re = _literal_alternation(final_heads)
        org_final_heads = re.compile(heads_re)
        link = rf"[ ]+(?:{conn_re})[ ]+{article}" if conn_re else "(?!)"
        # A masked stretch (a gazetteer name already found) may stand inside a longer
        # name: "Meeting of Governors and Mayors of ASEAN Capitals".
        word = rf"(?:{CW}|\x00+)"
        comp = (rf"(?:{link}{word}(?:(?:[ ]+|,[ ]+|[ ]+(?:{and_re})[ ]+|,[ ]+(?:{and_re})[ ]+|"
                rf"{link}){word})*)")
        # Up to six words, then a head. The first character (of the first word, or of
        # the head) is read by a class and its start checked after it, so `re` skips to
        # where a name may start; the rest is tried as before, words first.
        firsts = "".join(sorted({head[0] for head in final_heads}))
        head_end = rf"(?:’s|'s)?(?![\w\-])(?:{comp})?"
        more = rf"(?:’s|'s)?(?:[ ]+|[–—])(?:{word}(?:’s|'s)?(?:[ ]+|[–—])){{0,5}}"
        org_final = re.compile(
            rf"[{_UPPER_CLASS}\x00{re.escape(firsts)}](?<![\w\x00’'\-].)"
            rf"(?:(?:(?<={UP}){_CW_TAIL}|(?<=\x00)\x00*){more}(?P<head>{heads_re}){head_end}"
            rf"|(?:{_after_first(final_heads)}){head_end})")
    org_initial = None
    segment_lower = int(data.get("segment_lower", 1))
    if initial_heads:
        heads_re = _literal_alternation(initial_heads)
        stops = _literal_alternation([*_strings(data.get("segment_stop")), *connectors])
        seg = rf"(?:{CW}|\x00+)(?:[ ]+(?!(?:{stops})(?!\w)){LW}){{0,{segment_lower}}}"
        # "và" joins the parts of one name ("Kế hoạch và Đầu tư"), not two organisations.
        # After a comma only a capitalised word goes on ("Ban Chính sách, Chiến lược ..."),
        # not an acronym opening the next clause ("Cục Thống kê, GDP ...").
        sep = (rf"(?:[ ]+|,[ ]+(?={UP}{LOW})|[ ]+(?:{and_re})[ ]+(?!(?:{heads_re})(?!\w))"
               rf"|[ ]*[-–][ ]*)")
        # Lower-case words that may come between the head and the capitalised parts:
        # "Đảng bộ tỉnh Champasak", "Ủy ban nhân dân thành phố Hải Phòng".
        leads = _literal_alternation(_strings(data.get("segment_lead")))
        lead = rf"(?:[ ]+(?:{leads}))*" if leads else ""
        # The start is checked after the head's first letter, so `re` skips to heads.
        led_heads = _literal_alternation(initial_heads, lead=r"(?<![\w\x00].)")
        org_initial = re.compile(rf"(?:{led_heads}){lead}[ ]+{seg}(?:{sep}{seg})*")
    bodies_list = _strings(data.get("bodies"))
    body_re = rf"(?:{_alternation(bodies_list, folded=True)})(?!\w)"
    bodies = re.compile(body_re) if bodies_list else None
    links = "|".join(re.escape(fold_key(b)) for b in _strings(data.get("body_links")))
    link = rf"(?:(?:{links})[ ]+)?" if links else ""
    # The body is read at a word start as `bodies` reads it there, and kept (the atomic
    # group): a shorter reading is never tried instead, so one search finds what trying
    # `bodies` and then the link at each word start in turn would.
    body_before = (re.compile(rf"(?<!\w)(?=\w)(?>({body_re}))[ ]+{link}$")
                   if bodies_list else None)

    ordinal = str(data.get("ordinal") or r"\d{1,3}")
    name_run = rf"{CW}(?:[ ]+{CW})*"
    subject_phrases = [phrase for phrases in (data.get("event_subjects") or {}).values()
                       for phrase in _strings(phrases)]
    subjects_re = _literal_alternation(
        variant for phrase in subject_phrases for variant in _first_any_case(phrase)) or "(?!)"
    events = []
    for raw in data.get("events") or ():
        pattern = str(raw["pattern"]).replace("(?P<ord>{ord})", "{ord}")
        pattern = pattern.replace("{ord}", f"(?P<ord>{ordinal})")
        pattern = pattern.replace("{name}", name_run).replace("{cw}", CW)
        # {claimed}: a name the gazetteer already claimed ("12th LPRP Congress"), seen masked.
        pattern = pattern.replace("{claimed}", "(?P<claimed>\\x00+)")
        pattern = pattern.replace("{subjects}", f"(?:{subjects_re})")
        pattern = pattern.replace("{year}", r"(?P<year>(?:19|20)\d{2})(?!\d)")
        if "{ord2}" in pattern:
            pattern = pattern.replace("{ord2}", f"(?P<ord2>{ordinal})")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise NewsforgeError(f"event pattern of language {code!r} does not compile: {exc}",
                                 hint="check the `events:` entry in its tagger section") from exc
        events.append(EventRule(kind=str(raw["kind"]), subject=str(raw.get("subject", "text")),
                                pattern=compiled,
                                triggers=tuple(fold(t) for t in _strings(raw.get("trigger"))),
                                parties=str(raw.get("parties", "after")),
                                strict=bool(raw.get("strict")), dated=bool(raw.get("dated"))))
    between_words = _strings(data.get("between_words"))
    subjects: list[tuple[str, str]] = []
    for concept, phrases in (data.get("event_subjects") or {}).items():
        subjects.extend((fold_key(p), str(concept)) for p in _strings(phrases))
    subjects.sort(key=lambda s: (-len(s[0]), s))
    title_re = _alternation(titles, folded=True)
    countries = _territories(code)
    endings = _literal_alternation(fold(e) for e in _strings(data.get("noun_endings")))
    articles_re = _literal_alternation(
        v for m in _strings(data.get("noun_markers")) for v in _first_any_case(m))
    before_re = _alternation(_strings(data.get("place_before")), folded=True)
    # The start is checked after the word's first letter, so `re` skips to the words.
    party_words_re = _literal_alternation(_strings(data.get("party_words")), lead=r"(?<!\w.)")
    return LanguageRules(
        code=code,
        stopwords=frozenset(fold_key(w) for w in _strings(data.get("stopwords"))),
        titles=_word_starts(rf"(?:{title_re})(?!\w)", r"\W",
                            ends_elsewhere=not _ends_in_letter(titles)) if title_re else None,
        chunks=chunks, org_final=org_final, org_initial=org_initial,
        org_final_heads=org_final_heads,
        head_types=head_types,
        organ_heads=frozenset(fold_key(h) for h in _strings(data.get("organ_heads"))),
        generic_heads=frozenset(fold_key(h) for h in _strings(data.get("generic_heads"))),
        bodies=bodies, body_before=body_before,
        connectors=frozenset(fold_key(c) for c in (*connectors, *articles)),
        articles=frozenset(fold_key(a) for a in articles),
        subject_links=re.compile(
            rf"[ ]+(?:{_literal_alternation(_strings(data.get('subject_links')))})[ ]+{article}")
        if data.get("subject_links") else None,
        event_kinds={fold_key(str(k)): str(v) for k, v in (data.get("event_kinds") or {}).items()},
        events=tuple(events),
        ordinal_words={fold_key(str(k)): int(v)
                       for k, v in (data.get("ordinal_words") or {}).items()},
        event_subjects=tuple(subjects),
        between_words=re.compile(rf"[ ]+(?:{_literal_alternation(between_words)})[ ]+")
        if between_words else None,
        ordinal_re=ordinal,
        ordinal_after=(re.compile(str(data["ordinal_after"]).replace(
            "{ord}", f"(?P<ord>{ordinal})")) if data.get("ordinal_after") else None),
        place_after=frozenset(fold_key(w) for w in _strings(data.get("place_after"))),
        place_before=re.compile(rf"(?<!\w)(?:{before_re})[ ]+$") if before_re else None,
        determiners=frozenset(fold_key(w) for w in _strings(data.get("determiners"))),
        lower_case_evidence=bool(data.get("lower_case_evidence", True)),
        org_words=frozenset(fold_key(w) for w in _strings(data.get("org_words"))),
        default_party=str(data.get("default_party") or ""),
        party_word=(re.compile(rf"(?:{party_words_re})(?![\w\x00])(?!\s+[^\W\d_]*[A-ZÀ-Ỹ\x00])")
                    if data.get("party_words") and data.get("default_party") else None),
        genitive_suffixes=tuple(fold(x) for x in _strings(data.get("genitive_suffixes"))),
        numerals={str(k): int(v) for k, v in (data.get("numerals") or {}).items()},
        event_gap=int(data.get("event_gap", 40)),
        party_cues=tuple(fold(w) for w in _strings(data.get("party_cues"))),
        and_words=frozenset(fold_key(w) for w in and_words),
        cue=_compile_cues(data, titles, countries, markers or {}),
        noun_endings=re.compile(rf"(?:{endings})$") if endings else None,
        territories=frozenset(fold_key(t) for t in countries if len(t) >= 4),
        country_cases=bool(data.get("country_cases")),
        territory_stems=tuple(sorted({t[:-1] if len(t) >= 5 else t for t in (
            fold_key(n) for n in countries) if len(t) >= 4 and " " not in t}))
        if data.get("country_cases") else (),
        noun_markers=re.compile(rf"(?<!\w)(?:{articles_re})[ ]+({CW})") if articles_re else None)


_EMPTY = LanguagePack("und", "", "", {}, "")


# The language institutions' names are borrowed from in every other language's press.
_LINGUA_FRANCA = "en"


# Where the bundled language files say they come from (`load_languages`).
_BUNDLED = "langdata/"


class _LanguageTable(Mapping[str, "LanguageRules"]):
    """Each language's rules, compiled the first time they are asked for.

    Most of `compile_rules`' time goes to `re` compiling each language's patterns, and an
    archive is usually written in a few of the languages newsforge knows: an extraction
    worker then never compiles the others. What a language compiles to does not depend
    on when, so the table reads like a plain mapping. The bundled data is checked by the
    tests; a site's own language files are compiled up front (see `compile_rules`).
    """

    def __init__(self, sources: Mapping[str, Callable[[], LanguageRules]],
                 ready: Mapping[str, LanguageRules]) -> None:
        self._sources = sources
        self._compiled = dict(ready)

    def __getitem__(self, code: str) -> LanguageRules:
        compiled = self._compiled.get(code)
        if compiled is None:
            compiled = self._compiled[code] = self._sources[code]()
        return compiled

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def compile_rules(languages: Languages, extra: Iterable[GazetteerEntry] = ()) -> Rules:
    """Compile every language's ``tagger`` section and the gazetteer (plus curated entries)."""
    suffixes = [x for code in languages.codes
                for x in _strings((languages.get(code) or _EMPTY).section("tagger")
                                  .get("genitive_suffixes"))]
    gazetteer = compile_gazetteer(load_gazetteer(), extra, suffixes)
    sources: dict[str, Callable[[], LanguageRules]] = {}
    ready: dict[str, LanguageRules] = {}
    known: set[str] = set()
    shapes: list[NameShape] = []
    scripts = sorted({str(script) for code in languages.codes
                      for script in (_section(languages, code).get("name_scripts") or {})})
    markers = {script: chr(SCRIPT_MARK + n) for n, script in enumerate(scripts)}
    for code in languages.codes:
        pack = languages.get(code)
        if pack is None:
            continue
        data = _with_borrowed_names(pack.section("tagger"), _section(languages, _LINGUA_FRANCA))
        sources[code] = functools.partial(_compile_language, code, data, markers)
        if not pack.source.startswith(_BUNDLED):  # a site's own: its mistakes are reported now
            ready[code] = sources[code]()
        # Stop words stay with their own language ("Men" is a Swedish word and a
        # Cambodian name); capitalised words of titles, organisation names and heads are
        # shared: they are never part of a person's name in any language's text.
        phrases = [p for key in ("titles", "org_words", "bodies", "place_after")
                   for p in _strings(data.get(key))]
        for heads in (*(data.get("org_heads") or {}).values(),
                      *(data.get("org_initial_heads") or {}).values()):
            phrases.extend(_strings(heads))
        for phrase in phrases:
            known.update(fold_key(w) for w in phrase.split() if w[:1].isupper())
        shape = data.get("name_shape")
        if isinstance(shape, Mapping):
            shapes.append(NameShape(
                surnames=frozenset(fold_key(s) for s in _strings(shape.get("surnames"))),
                syllable=re.compile(str(shape.get("syllable", r"^[a-z]{1,7}$"))),
                min_tokens=int(shape.get("min_tokens", 2)),
                max_tokens=int(shape.get("max_tokens", 4)),
                short_form=str(shape.get("short_form", "last")), language=code,
                not_surnames=frozenset(w.lower() for w in _strings(data.get("stopwords")))))
    return Rules(languages=_LanguageTable(sources, ready), fallback=_compile_language("und", {}),
                 gazetteer=gazetteer, known_words=frozenset(known), shapes=tuple(shapes),
                 genitive_suffixes=tuple(sorted({fold(x) for x in suffixes})),
                 scripts=tuple(scripts), naming=_event_namings(languages))


def _with_borrowed_names(data: Mapping[str, Any], lingua_franca: Mapping[str, Any]
                         ) -> Mapping[str, Any]:
    """A language's tagger data with the organisation heads and words of the language
    institutions are quoted in everywhere: a Swedish report writes "Wattay International
    Airport" as the airport calls itself."""
    if data is lingua_franca or not lingua_franca:
        return data
    borrowed = dict(data)
    heads = dict(data.get("org_heads") or {})
    foreign = (lingua_franca.get("org_heads") or {}).get("organisation")
    heads["organisation"] = [*_strings(heads.get("organisation")), *_strings(foreign)]
    borrowed["org_heads"] = heads
    borrowed["org_words"] = [*_strings(data.get("org_words")),
                             *_strings(lingua_franca.get("org_words"))]
    return borrowed


def _event_namings(languages: Languages) -> dict[str, EventNaming]:
    """Each language's event-name templates (none of them borrowed from another)."""
    return {code: _event_naming(pack.section("tagger")) for code in languages.codes
            if (pack := languages.get(code)) is not None}


def _section(languages: Languages, code: str) -> Mapping[str, Any]:
    pack = languages.get(code)
    return pack.section("tagger") if pack is not None else {}
