"""One language's loader knowledge, compiled once from its language file."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from newsforge.errors import NewsforgeError
from newsforge.langdata import LanguagePack, Languages
from newsforge.loader.cldr import DateShapes, compile_date_shapes

# Who a credit names: a few words ("Nguyễn Văn A/VNA"), never a sentence.
_CREDITED = r"(?:[^\s.!?()]+[ \t]*){1,6}"
# A colon in any script: Latin, full-width (CJK), Khmer.
_COLON = "[:：៖]"


@dataclass(frozen=True, slots=True)
class LoaderRules:
    """Everything language-specific the loader uses, compiled for one language."""

    language: str
    months: Mapping[str, int]
    weekdays: frozenset[str]
    dates: DateShapes
    timestamp_words: frozenset[str]
    navigation: re.Pattern[str]
    furniture: frozenset[str]
    tail: re.Pattern[str]
    counter: re.Pattern[str]
    source_line: re.Pattern[str]
    source_prefix_line: re.Pattern[str]
    credit_line: re.Pattern[str]
    credit_inline: re.Pattern[str]
    credit_closing: re.Pattern[str]
    """The last of ``credit_inline``'s shapes alone, which is all it can match in a line
    without brackets: found from the sentence mark before it, so only sentence ends are
    tried; the credit is group 1."""
    credit_caption: re.Pattern[str]
    credit_words: re.Pattern[str]
    byline: re.Pattern[str]
    lead_source: re.Pattern[str]
    own_outlet: frozenset[str]

    def is_weekday_word(self, word: str) -> bool:
        """Whether ``word`` is (part of) a weekday name: 'thứ' and 'ba' of 'thứ ba'."""
        return any(word in weekday.split() for weekday in self.weekdays)


def rules_for(languages: Languages) -> Mapping[str, LoaderRules]:
    """The loader rules of every language that has a ``loader`` section, each compiled
    the first time it is asked for."""
    return _RulesByLanguage(languages)


class _RulesByLanguage(Mapping[str, LoaderRules]):
    """A language's rules are compiled on first use (a tenth of a second or more each): a
    rebuild that reads one changed file compiles its language's alone."""

    def __init__(self, languages: Languages) -> None:
        self._languages = languages
        self._codes = tuple(code for code in languages.codes
                            if (pack := languages.get(code)) is not None
                            and pack.section("loader"))
        self._compiled: dict[str, LoaderRules] = {}

    def __getitem__(self, code: str) -> LoaderRules:
        rules = self._compiled.get(code)
        if rules is None:
            pack = self._languages.get(code) if code in self._codes else None
            if pack is None:
                raise KeyError(code)
            rules = self._compiled[code] = compile_rules(pack)
        return rules

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


def compile_rules(pack: LanguagePack) -> LoaderRules:
    """Turn a language file's ``loader`` section into regular expressions."""
    data = pack.section("loader")
    try:
        dates = compile_date_shapes(
            pack.code,
            extra_months={str(k): int(v) for k, v in (data.get("months") or {}).items()},
            extra_weekdays=_strings(data, "weekdays"),
            extra_shapes=_strings(data, "date_patterns"),
            ordinal_suffixes=_strings(data, "ordinal_suffixes"),
            context=_strings(data, "date_context"))
        source_cues = _alternation(_strings(data, "source_cues"))
        source_prefixes = _alternation(_strings(data, "source_prefixes"))
        credit_cues = _alternation(_strings(data, "credit_cues"))
        # "Photo: VNA", "Photo - VNA", in languages that say so "Photo by VNA", and cues
        # that take the name without a colon ("图自越通社").
        joiners = _strings(data, "credit_joiners")
        prefixes = _alternation(_strings(data, "credit_prefixes"))
        credit = (rf"(?:(?:{credit_cues})\s*(?:{_COLON}|\s(?:{_alternation(joiners)})\b|\s[-–—]\s)"
                  rf"|(?:{prefixes}))")
        # Without the joiners, which also make ordinary phrases ("the photo by the lake").
        tight = rf"(?:(?:{credit_cues})\s*(?:{_COLON}|\s[-–—]\s)|(?:{prefixes}))"
        # "... the talks. Photo: VNA" closing a paragraph.
        closing = rf"\s+{credit}\s*{_CREDITED}\.?$"
        counters = _alternation(_strings(data, "counter_words"))
        bylines = _alternation(_strings(data, "byline_prefixes"))
        return LoaderRules(
            language=pack.code,
            months=dates.months,
            weekdays=dates.weekdays,
            dates=dates,
            # Compared word by word: "cập nhật" allows both "cập" and "nhật".
            timestamp_words=frozenset(word for phrase in _strings(data, "timestamp_words")
                                      for word in phrase.lower().split()),
            navigation=_starts_with(_strings(data, "navigation_markers")),
            furniture=frozenset(w.lower() for w in _strings(data, "furniture_lines")),
            tail=_starts_with(_strings(data, "tail_markers")),
            counter=re.compile(rf"^(?:{counters})\s*\(\s*\d+\s*\)$", re.IGNORECASE),
            source_line=re.compile(rf"^\s*(?:{source_cues})\s*{_COLON}\s*(?P<value>\S.*)$",
                                   re.IGNORECASE),
            source_prefix_line=re.compile(
                rf"^\s*(?:{source_prefixes})\s+(?P<value>[^\s,;:][^,;:]{{1,50}}?)\s*\.?$",
                re.IGNORECASE),
            # "Photo: VNA", "(File photo)", "Content image - Outlet": a credit on its own.
            credit_line=re.compile(
                rf"^\s*\(?{credit}\s*{_CREDITED}\)?\.?\s*$"
                rf"|^\s*\(?[^\W\d_]{{2,12}}\s{tight}\s*{_CREDITED}\)?\.?\s*$"
                rf"|^\s*\(?(?:{credit_cues})\)?\s*$", re.IGNORECASE),
            credit_inline=re.compile(
                rf"(?<=[.!?])\s*\({credit}[^()]{{1,80}}\)\.?|\s*[(（]{credit}[^()（）]{{1,80}}[)）]"
                rf"|(?<=[.!?]){closing}",
                re.IGNORECASE),
            credit_closing=re.compile(rf"[.!?]({closing})", re.IGNORECASE),
            # A caption ending in its credit with no full stop before it: "... ——图片:VNA".
            # The spacing or dashes before the credit, after anything but a sentence end or
            # spacing, are matched from their first character: an expression that starts
            # with a character class lets the engine skip from one such character to the
            # next instead of trying every position of the line.
            credit_caption=re.compile(
                rf"[\s—–-](?<![.!?。！？\s](?s:.))"
                rf"(?:(?<=\s)\s*(?:[—–-]{{1,2}}\s*)?|(?<=[—–-])[—–-]?\s*)"
                rf"{tight}\s*{_CREDITED}$",
                re.IGNORECASE),
            credit_words=re.compile(rf"^(?:{credit_cues})$", re.IGNORECASE),
            byline=re.compile(rf"^\s*(?:{bylines})\s*:?\s+(?P<name>.+)$", re.IGNORECASE),
            lead_source=_lead_source(_strings(data, "lead_source_templates")),
            own_outlet=frozenset(_strings(data, "own_outlet_words")),
        )
    except (TypeError, ValueError, AttributeError, re.error) as exc:
        raise NewsforgeError(f"the 'loader' section is malformed: {exc}", path=pack.source,
                             hint="compare it with langdata/en.yaml") from None


def _strings(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise TypeError(f"'{key}' must be a list")
    return [str(v) for v in value]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first; never matches when empty."""
    ordered = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not ordered:
        return r"(?!x)x"
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _lead_source(templates: Iterable[str]) -> re.Pattern[str]:
    """The agency named at the start of the lead: templates with an {agency} slot
    ("{agency}记者报道", "据{agency}报道") in one anchored expression, one group each."""
    agency = r"([^\s\d，,。：:（()）、]{2,12}?)"
    shapes = sorted({t.strip() for t in templates if "{agency}" in t}, key=lambda t: (-len(t), t))
    if not shapes:
        return re.compile(r"(?!x)x")
    alternatives = []
    for shape in shapes:
        before, after = shape.split("{agency}", 1)
        # "{place}" stands for a place the agency's reporter writes from, not captured.
        after = _literal(after).replace(re.escape("{place}"), r"[^\s\d，,。：:]{1,8}?")
        alternatives.append(f"{_literal(before)}{agency}{after}")
    return re.compile("^\\s*(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _starts_with(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{_alternation(words)})(?:\b|(?=\W)|$)", re.IGNORECASE)


# A language the site has no data file for is read with the language-independent shapes
# alone: ISO dates, datelines, signatures, repeated headlines, the archive's furniture.
SHAPES_ONLY = compile_rules(LanguagePack("und", "undetermined", "undetermined",
                                         {"loader": {}}, "built-in"))


@functools.lru_cache(maxsize=64)
def _literal(text: str) -> str:
    """A template's fixed text as a pattern: any run of spaces, an optional comma."""
    out = []
    for char in text:
        if char == " ":
            out.append(r"\s+")
        elif char == ",":
            out.append(",?")
        else:
            out.append(re.escape(char))
    return "".join(out)


def shapes_only(language: str) -> LoaderRules:
    """The rules for a language without a data file: the language-independent shapes, and
    its dates as CLDR writes them (month names, day-month order, digits)."""
    code = language.split("-")[0]
    return compile_rules(LanguagePack(code, code, code, {"loader": {}}, "built-in"))
