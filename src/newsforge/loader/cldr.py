"""Dates as each language writes them, derived from CLDR (Babel), never typed by hand.

For one language this module reads, from every regional variant CLDR has of it, the month
names (wide and abbreviated, in the format and stand-alone forms), the weekday names, the
date patterns (``d MMMM y``, ``y年M月d日``, ``d 'de' MMMM 'de' y``), the order in which
numeric dates put day and month, and the words that stand before a year, a month or a
day (eras, "năm", "ខែ", "ឆ្នាំ"). From the patterns it derives the shapes of a full date
and of a day named without its year, and compiles them into one regular expression.

A language file may add what CLDR lacks (month names written out in words, extra shapes,
ordinal suffixes, the words that mark a numeric day such as "sáng 29/2"), never repeat
what it has.

Shapes are written in a small language of tokens: MONTH (a month name), DD (a day, or a
range "17-19"), D (a day), M (a month number), Y (a year), YY (a two-digit year), CTX (a
word from the context words) and literal text between them; a space stands for any
spacing, including none (Thai and Khmer write "27 ต.ค.2566").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError, localedata
from babel.units import get_unit_name

# Scripts written without spaces between words: a date may touch the word before it
# ("ថ្ងៃទី០៨", "เดือนตุลาคม", "本月7日").
NO_SPACE_SCRIPTS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                    "\u4e00-\u9fff\uf900-\ufaff")
# Years as news pages write them: 1800-2099, and Buddhist Era years 2400-2699 (BE - 543).
_YEAR = r"(?:1[89]\d\d|20\d\d|2[4-6]\d\d)"
BUDDHIST_ERA_START = 2400
BUDDHIST_ERA_OFFSET = 543
_TOKENS = re.compile(r"(MONTH|DD|YY|CTX|D|M|Y)")
_CLDR_FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^'A-Za-z]+")
_SEPARATORS = ("/", ".", "-")


def _digit_table() -> dict[int, int]:
    """Every decimal digit of the Basic Multilingual Plane (Thai, Lao, Khmer, Arabic-Indic,
    full-width, ...) mapped to its ASCII digit, so one set of shapes reads them all."""
    table = {}
    for code in range(0x80, 0x10000):
        value = unicodedata.decimal(chr(code), None)
        if value is not None:
            table[code] = ord("0") + value
    return table


_DIGITS = _digit_table()
_NATIVE_DIGIT = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_DIGITS)) + "]")


def ascii_digits(text: str) -> str:
    """``text`` with native digits written as ASCII ones; every position is kept."""
    if _NATIVE_DIGIT.search(text) is None:
        return text
    return text.translate(_DIGITS)


def gregorian_year(year: int) -> int:
    """A year as written (Buddhist Era years, 2400 and later, are BE - 543)."""
    return year - BUDDHIST_ERA_OFFSET if year >= BUDDHIST_ERA_START else year


def two_digit_year(year: int) -> int:
    """'19' in '09.05.19' is 2019; '95' is 1995."""
    return 2000 + year if year < 70 else 1900 + year


@dataclass(frozen=True, slots=True)
class Branch:
    """One compiled date shape inside a language's date expression."""

    shape: str
    key: str  # the suffix of its group names
    has_year: bool
    two_digit_year: bool
    # Numeric day and month whose order another reading may swap ("10/08/2024").
    swappable: bool


@dataclass(frozen=True, slots=True)
class DateShapes:
    """A language's month and weekday names and every date shape, as one expression."""

    language: str
    months: Mapping[str, int]
    weekdays: frozenset[str]
    day_first: bool  # numeric dates put the day before the month in this language
    regex: re.Pattern[str]
    branches: Mapping[str, Branch]


@dataclass(frozen=True, slots=True)
class _Cldr:
    months: Mapping[str, int]
    weekdays: frozenset[str]
    day_first: bool
    shapes: tuple[str, ...]
    year_words: tuple[str, ...]
    month_words: tuple[str, ...]
    context: tuple[str, ...]


def compile_date_shapes(language: str, *, extra_months: Mapping[str, int] | None = None,
                        extra_weekdays: Iterable[str] = (), extra_shapes: Iterable[str] = (),
                        ordinal_suffixes: Iterable[str] = (),
                        context: Iterable[str] = ()) -> DateShapes:
    """The date shapes of ``language``: CLDR's, plus what its language file adds."""
    cldr = _cldr(language.split("-")[0].replace("-", "_"))
    months = dict(cldr.months)
    for name, number in (extra_months or {}).items():
        if not 1 <= number <= 12:
            raise ValueError(f"month '{name}' has number {number}, not 1-12")
        months[name.lower()] = number
    weekdays = cldr.weekdays | {w.lower() for w in extra_weekdays}
    shapes = list(dict.fromkeys([*cldr.shapes, *extra_shapes]))
    words = _Words(months=months, suffixes=tuple(ordinal_suffixes),
                   context=tuple(dict.fromkeys([*cldr.context, *context])),
                   year_words=cldr.year_words, month_words=cldr.month_words)
    return _compile(language, shapes, words, months, weekdays, cldr.day_first)


# --- CLDR -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _cldr(language: str) -> _Cldr:
    """What CLDR knows about writing dates in ``language`` (empty when it knows nothing)."""
    try:
        base = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        base = None
    if base is None or base.language != language:  # 'und' parses as en_US
        return _Cldr({}, frozenset(), True, ("Y-M-D", *_numeric_shapes(True)), (), (), ())
    # Regional variants in the language's own script ("en_GB", not "en_Dsrt").
    variants = [base] + [locale for locale in (
        Locale.parse(i) for i in localedata.locale_identifiers()
        if i.split("_")[0] == language and i != language) if locale.script is None]
    months: dict[str, int] = {}
    patterns: list[str] = []
    for locale in variants:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months.get(context, {}).get(width, {}).items():
                    for form in _name_forms(name):
                        months.setdefault(form, int(number))
        found = [locale.date_formats[k].pattern for k in ("long", "medium", "short")]
        found += [locale.datetime_skeletons[k].pattern
                  for k in ("yMMMMd", "yMMMd", "yMd", "MMMMd", "MMMd", "Md")
                  if k in locale.datetime_skeletons]
        # Regional variants add their month-name shapes ("d MMMM y" beside "MMMM d, y");
        # numeric dates keep the language's own order.
        patterns += [p for p in found if locale is base or "MMM" in p or "LLL" in p]
    weekdays = {form for context in ("format", "stand-alone")
                for width in ("wide", "abbreviated")
                for name in base.days.get(context, {}).get(width, {}).values()
                for form in _name_forms(name)}
    numeric = base.datetime_skeletons.get("yMd")
    day_first = not (numeric is not None and numeric.pattern.lstrip("'").startswith("M"))
    shapes = ["Y-M-D"]
    for pattern in dict.fromkeys(patterns):
        shapes += _shapes_from_pattern(pattern)
    shapes += _numeric_shapes(day_first)
    periods = [name for context in ("format", "stand-alone")
               for width in ("wide", "abbreviated")
               for period, name in base.day_periods.get(context, {}).get(width, {}).items()
               if period not in ("am", "pm")]
    return _Cldr(
        months=months,
        weekdays=frozenset(weekdays),
        day_first=day_first,
        shapes=tuple(dict.fromkeys(shapes)),
        year_words=tuple(_words([*_unit_names("year", language), *base.eras.get("abbreviated",
                                                                           {}).values(),
                                 *base.eras.get("wide", {}).values()])),
        month_words=tuple(_words(_unit_names("month", language))),
        context=tuple(_words([*periods, *_unit_names("day", language)])),
    )


def _name_forms(name: str) -> list[str]:
    """'janv.' is also written 'janv'; 'Thứ Hai' is compared in lower case."""
    lowered = " ".join(name.replace("\u200b", "").lower().split())
    if not lowered or lowered.isdigit():
        return []
    return list(dict.fromkeys([lowered, lowered.rstrip(".")]))


def _unit_names(unit: str, language: str) -> list[str]:
    names = []
    for length in ("long", "short", "narrow"):
        try:
            name = get_unit_name(f"duration-{unit}", length=length, locale=language)
        except (UnknownLocaleError, ValueError, KeyError):
            name = None
        if name:
            names.append(name)
    return names


def _words(names: Iterable[str]) -> list[str]:
    """Cue words of two characters or more ("năm", "ឆ្នាំ", "B.E."), never "a" or "J"."""
    return [w for w in dict.fromkeys(" ".join(n.replace("\u200b", "").split()) for n in names)
            if len(w) >= 2 and not w.isdigit()]


def _numeric_shapes(day_first: bool) -> list[str]:
    """Numeric dates in the language's order, with any of the usual separators; a day
    without its year only after a context word ("sáng 29/2", "ngày 2-12")."""
    first, second = ("D", "M") if day_first else ("M", "D")
    shapes = [f"{first}{sep}{second}{sep}Y" for sep in _SEPARATORS]
    shapes += [f"{first}{sep}{second}{sep}YY" for sep in ("/", ".")]
    shapes += [f"CTX {first}{sep}{second}" for sep in ("/", "-")]
    return shapes


def _shapes_from_pattern(pattern: str) -> list[str]:
    """A CLDR pattern as shapes: itself, and without its year when the year ends or opens it.

    'd MMMM y' gives 'DD MONTH Y' and 'DD MONTH'; 'y年M月d日' gives 'Y年M月D日' and 'M月D日'.
    A pattern with a weekday or a time is not a date shape.
    """
    pieces: list[tuple[str, str]] = []  # (kind, text): kind is a token or "" for literal
    for match in _CLDR_FIELD.finditer(pattern):
        text = match.group(0)
        if text.startswith("'"):
            pieces.append(("", text[1:-1].replace("''", "'") or "'"))
        elif match.group(1):
            letter, width = text[0], len(text)
            if letter == "d":
                pieces.append(("D", ""))
            elif letter in "ML":
                pieces.append(("MONTH" if width >= 3 else "M", ""))
            elif letter in "yu":
                pieces.append(("YY" if width == 2 else "Y", ""))
            elif letter == "G":
                continue  # eras are read as the year's optional cue word
            else:
                return []
        else:
            pieces.append(("", text))
    fields = [i for i, (kind, _) in enumerate(pieces) if kind]
    if not fields:
        return []
    pieces = pieces[fields[0]:fields[-1] + 1]  # "y 'г'." is also written without "г."
    named = any(kind == "MONTH" for kind, _ in pieces)
    if not named and not any(kind == "D" for kind, _ in pieces):
        return []
    shapes = [_shape_text(pieces, named)]
    kinds = [kind for kind, _ in pieces if kind]
    year = next((k for k in kinds if k in ("Y", "YY")), None)
    if year is not None and kinds[-1] == year:
        cut = max(i for i, (k, _) in enumerate(pieces) if k and k != year)
        shapes.append(_shape_text(pieces[:cut + 1], named))
    elif year is not None and kinds[0] == year:
        cut = min(i for i, (k, _) in enumerate(pieces) if k and k != year)
        shapes.append(_shape_text(pieces[cut:], named))
    return [s for s in shapes if _usable(s)]


def _shape_text(pieces: Sequence[tuple[str, str]], named: bool) -> str:
    out = []
    for kind, text in pieces:
        if kind == "D":
            out.append("DD" if named else "D")
        elif kind:
            out.append(kind)
        else:
            out.append(re.sub(r"\s+", " ", text))
    return "".join(out)


def _usable(shape: str) -> bool:
    """A day without its year in digits alone ("d/M") needs a context word; digits with
    letters between them ("M月d日") do not."""
    tokens = [t for t in _TOKENS.split(shape) if t]
    has = set(tokens)
    if "MONTH" in has or "Y" in has or "YY" in has:
        return True
    literals = "".join(t for t in tokens if t not in ("D", "DD", "M", "CTX"))
    return "CTX" in has or any(c.isalpha() for c in literals)


# --- compiling --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Words:
    months: Mapping[str, int]
    suffixes: tuple[str, ...]
    context: tuple[str, ...]
    year_words: tuple[str, ...]
    month_words: tuple[str, ...]


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (longest first), as a trie of their lower-case
    letters so that a position where no word starts fails at its first character; never
    matches when empty. Spaces inside a word match any spacing."""
    ordered = {" ".join(w.lower().split()) for w in words if w.strip()}
    if not ordered:
        return r"(?!x)x"
    trie: dict[str, Any] = {}
    for word in ordered:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: Mapping[str, Any]) -> str:
    ends = "" in node
    branches = []
    for char in sorted((c for c in node if c), key=lambda c: (-_depth(node[c]), c)):
        head = r"\s+" if char == " " else re.escape(char)
        branches.append(head + _trie_regex(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _depth(node: Mapping[str, Any]) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0)


def _compile(language: str, shapes: Sequence[str], words: _Words, months: Mapping[str, int],
             weekdays: frozenset[str], day_first: bool) -> DateShapes:
    ordinal = f"(?:{_alternation(words.suffixes)})?" if words.suffixes else ""
    month_names = _alternation(months)
    # A year may follow its cue word or era: "năm 2025", "ឆ្នាំ២០២២", "พ.ศ. 2566", "A.D. 2024".
    year_cue = (rf"(?:(?:{_alternation(words.year_words)}|[^\W\d_]{{1,3}}\.\s?[^\W\d_]{{1,3}}\.)"
                r"\s*)?")
    month_cue = rf"(?:(?:{_alternation(words.month_words)})\s*)?" if words.month_words else ""
    context = _alternation(words.context)

    def token(name: str, key: str, named: bool) -> str:
        return {
            "MONTH": rf"{month_cue}(?P<month{key}>{month_names})\.?",
            "DD": (rf"(?P<d{key}>\d{{1,2}}){ordinal}(?!\d)"
                   rf"(?:\s*[-–]\s*(?P<e{key}>\d{{1,2}}){ordinal}(?!\d))?"),
            "D": rf"(?P<d{key}>\d{{1,2}}){ordinal if named else ''}(?!\d)",
            "M": rf"(?P<m{key}>\d{{1,2}})(?!\d)",
            "Y": rf"{year_cue if named else ''}(?P<y{key}>{_YEAR})(?!\d)",
            "YY": rf"(?P<yy{key}>\d{{2}})(?!\d)",
            "CTX": rf"(?:{context})",
        }[name]

    ordered = sorted(dict.fromkeys(shapes), key=_priority)
    branches: dict[str, Branch] = {}
    parts = []
    seen: set[str] = set()
    for shape in ordered:
        tokens = [t for t in _TOKENS.split(shape) if t]
        named = "MONTH" in tokens
        plain = "".join(token(t, "", named) if _TOKENS.fullmatch(t) else _literal(t, named)
                        for t in tokens)
        if plain in seen:  # "DD MONTH, Y" and "DD MONTH,Y" read the same
            continue
        seen.add(plain)
        key = f"_{len(seen) - 1}"
        regex = "".join(token(t, key, named) if _TOKENS.fullmatch(t) else _literal(t, named)
                        for t in tokens)
        numeric_pair = {"D", "M"} <= set(tokens) and not named
        year_first = tokens[0] in ("Y", "YY")
        letters = any(c.isalpha() for t in tokens if not _TOKENS.fullmatch(t) for c in t)
        branches[f"b{key}"] = Branch(
            shape=shape, key=key, has_year="Y" in tokens or "YY" in tokens,
            two_digit_year="YY" in tokens,
            swappable=numeric_pair and not year_first and not letters)
        parts.append((_first_chars(tokens[0], words, months), f"(?P<b{key}>{regex})"))
    before = rf"(?:(?<![\w/.-])|(?<=[{NO_SPACE_SCRIPTS}]))"
    after = rf"(?:(?![\w/]|\.\d)|(?=[{NO_SPACE_SCRIPTS}]))"
    # Branches are grouped by the characters they can start with, behind one look-ahead per
    # group, so that most positions of a text are rejected at their first character.
    groups: dict[str, list[str]] = {}
    for first, part in parts:
        groups.setdefault(first, []).append(part)
    guarded = "|".join(f"(?=[{first}])(?:{'|'.join(group)})" for first, group in groups.items())
    pattern = rf"{before}(?:{guarded}){after}"
    return DateShapes(language, dict(months), weekdays, day_first,
                      re.compile(pattern, re.IGNORECASE), branches)


def _first_chars(token: str, words: _Words, months: Mapping[str, int]) -> str:
    """A character class body of the characters a shape starting with ``token`` starts with."""
    if token in ("D", "DD", "M", "Y", "YY"):
        return r"\d"
    if token == "MONTH":
        starts = {w[0] for w in [*months, *words.month_words] if w}
    elif token == "CTX":
        starts = {w[0] for w in words.context if w}
    else:
        starts = {token[0]} if not token[0].isspace() else {" "}
    chars = {c for s in starts for c in (s.lower(), s.upper()) if len(c) == 1}
    return "".join(re.escape(c) for c in sorted(chars)) or r"\d"


def _priority(shape: str) -> tuple[int, int]:
    """Full dates before two-digit years before days without a year; longer shapes first."""
    tokens = [t for t in _TOKENS.split(shape) if t]
    rank = 0 if "Y" in tokens else 1 if "YY" in tokens else 2
    return rank, -len([t for t in tokens if _TOKENS.fullmatch(t)])


def _literal(text: str, named: bool) -> str:
    out = []
    for char in text:
        if char.isspace():
            out.append(r"\s*")
        elif char == ",":
            out.append(r",?")
        elif char == "." and named:
            out.append(r"\.?")
        else:
            out.append(re.escape(char))
    return "".join(out)
