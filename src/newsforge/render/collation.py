"""Alphabetical order for any language: the entity indexes sort and letter names by it."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyuca  # type: ignore[import-untyped]

# An entry of the table: its first character, then the whole line (comment included).
_TABLE_ENTRY = re.compile(r"^([0-9A-F]{4,6})\b[^\n]*", re.MULTILINE)
_IMPLICIT_WEIGHTS = re.compile(r"^@implicitweights\s+([0-9A-F]+)\.\.([0-9A-F]+);\s*([0-9A-F]+)",
                               re.MULTILINE)


class _TableByFirst:
    """pyuca's table, each entry parsed when a text first looks up its first character:
    parsing all 31k entries took a quarter of a second in every process that sorts (the
    one that re-renders an edited article's pages among them), and the names of an
    archive use a few hundred characters."""

    def __init__(self, text: str) -> None:
        self._trie = pyuca.trie.Trie()
        self._waiting: dict[int, list[str]] = {}
        for match in _TABLE_ENTRY.finditer(text):
            self._waiting.setdefault(int(match[1], 16), []).append(match[0])

    def find_prefix(self, key: list[int]) -> tuple[list[int], Any, list[int]]:
        for line in self._waiting.pop(key[0], ()):
            # As pyuca reads a line of its table.
            characters, _, weights = line.split("#", 1)[0].partition(";")
            self._trie.add([int(code, 16) for code in characters.split()],
                           [[int(weight, 16) for weight in element.groups()] for element
                            in pyuca.collator.COLL_ELEMENT_PATTERN.finditer(weights.strip())])
        return self._trie.find_prefix(key)  # type: ignore[no-any-return]


class _RootCollation(pyuca.collator.Collator_10_0_0):  # type: ignore[misc]
    def load(self, filename: str) -> None:
        text = Path(filename).read_text(encoding="utf-8")
        self.table = _TableByFirst(text)
        self.implicit_weights = [[int(start, 16), int(end, 16), int(base, 16)]
                                 for start, end, base in _IMPLICIT_WEIGHTS.findall(text)]


@functools.cache
def _root_collation() -> Any:
    """The Unicode Collation Algorithm with its default table (DUCET), loaded once."""
    return _RootCollation()


# Root weights kept per text, whichever language asks: they do not depend on the language,
# and an entity index sorts the same names in every language (the root order's elements
# are most of a sort key's cost).
_ROOT_KEPT = 1 << 16


@functools.lru_cache(maxsize=_ROOT_KEPT)
def _root_elements(text: str) -> tuple[tuple[int, ...], ...]:
    """The root order's collation elements of ``text`` (decomposed first, as pyuca's
    ``sort_key`` does)."""
    elements = _root_collation().collation_elements(unicodedata.normalize("NFD", text))
    return tuple(tuple(element) for element in elements)


@functools.lru_cache(maxsize=_ROOT_KEPT)
def _root_sort_key(text: str) -> tuple[int, ...]:
    """The root order's full key of ``text`` (pyuca's ``sort_key``)."""
    return tuple(_root_collation().sort_key_from_collation_elements(_root_elements(text)))


class Collator:
    """Sort names the way a reader of one language expects.

    PyICU needs a compiler and the system's ICU, and Babel has no collation, so this is
    the Unicode Collation Algorithm's root order (pyuca with the DUCET it ships: Cyrillic,
    Greek, Thai and Lao with their pre-vowels, Khmer, kana rows, ideographs by radical and
    stroke, accents as secondary differences) tailored by the language's alphabet when
    the theme has one. Each letter of the alphabet sorts where the alphabet puts it: a
    letter the root order files before the letter listed ahead of it (Swedish 'å' after
    'z', Vietnamese 'ă' after 'a') sorts right after that one. The key is the primary
    weights, then the root order's full key (accents, case), then the text, so the order
    is total.
    """

    def __init__(self, alphabet: Sequence[str]) -> None:
        letters = [unicodedata.normalize("NFC", a.casefold()) for a in alphabet if a]
        self._anchor: dict[str, tuple[int, int]] = {}
        previous: tuple[int, int] | None = None
        for letter in letters:
            primaries = self._primaries(letter)
            if not primaries or letter in self._anchor:
                continue
            if previous is None or primaries[0] > previous[0]:
                anchor = (primaries[0], 0)
            else:
                anchor = (previous[0], previous[1] + 1)
            self._anchor[letter] = previous = anchor
        self._letter_of = {anchor: letter for letter, anchor in self._anchor.items()}
        self._longest = max((len(letter) for letter in self._anchor), default=1)
        self._keys: dict[str, tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]] = {}
        self._chars: dict[str, tuple[str, tuple[int, int]] | None] = {}

    def key(self, text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
        found = self._keys.get(text)
        if found is None:
            folded = unicodedata.normalize("NFC", text.casefold())
            found = (self._tailored(folded), _root_sort_key(folded), text)
            self._keys[text] = found
        return found

    def initial(self, text: str) -> str:
        """The index letter a name is filed under: a letter of the alphabet ('Ấn' -> 'Â'
        in Vietnamese), else the first letter of the name without its accents ('É' -> 'E',
        'Ё' -> 'Е', 'ガ' -> 'か'), '#' for digits and signs."""
        primary = self.key(text)[0]
        if not primary:
            return "#"
        if primary[0] in self._letter_of:
            return self._letter_of[primary[0]].upper()
        for char in unicodedata.normalize("NFKC", text.casefold()):
            weights = self._primaries(char)
            if weights and (weights[0], 0) == primary[0]:
                return "#" if not char.isalpha() else _fold_letter(char, weights[0]).upper()
        return "#"

    def _primaries(self, text: str) -> tuple[int, ...]:
        return tuple(int(e[0]) for e in _root_elements(text) if e[0])

    def _tailored(self, text: str) -> tuple[tuple[int, int], ...]:
        """Primary weights: the alphabet's for its letters, the root order's elsewhere."""
        if not self._anchor:
            return tuple((p, 0) for p in self._primaries(text))
        primary: list[tuple[int, int]] = []
        run: list[str] = []
        at = 0
        while at < len(text):
            match = self._match(text, at)
            if match is None:
                run.append(text[at])
                at += 1
                continue
            if run:
                primary.extend((p, 0) for p in self._primaries("".join(run)))
                run = []
            letter, anchor = match
            primary.append(anchor)
            at += len(letter)
        if run:
            primary.extend((p, 0) for p in self._primaries("".join(run)))
        return tuple(primary)

    def _match(self, text: str, at: int) -> tuple[str, tuple[int, int]] | None:
        """The alphabet letter at ``text[at:]``: the longest one, or a single character that
        is a letter with more accents ('ặ' is 'ă' with a dot below)."""
        if self._longest > 1:  # most alphabets have single letters only: no slicing
            for size in range(min(self._longest, len(text) - at), 1, -1):
                if text[at:at + size] in self._anchor:
                    return text[at:at + size], self._anchor[text[at:at + size]]
        char = text[at]
        if char not in self._chars:
            self._chars[char] = self._letter_in(char)
        found = self._chars[char]
        return None if found is None else (char, found[1])

    def _letter_in(self, char: str) -> tuple[str, tuple[int, int]] | None:
        if char in self._anchor:
            return char, self._anchor[char]
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        for size in range(len(marks) - 1, 0, -1):
            for chosen in itertools.combinations(marks, size):
                letter = unicodedata.normalize("NFC", base + "".join(chosen))
                if letter in self._anchor:
                    return letter, self._anchor[letter]
        return None

def _fold_letter(char: str, primary: int) -> str:
    """The plain form of a letter with the same primary weight: without accents, kana as
    hiragana, small kana as full-size ('É' -> 'É' is kept only when 'E' weighs otherwise)."""
    root = _root_collation()

    def weighs_same(other: str) -> bool:
        elements = root.collation_elements(unicodedata.normalize("NFD", other))
        return bool(elements) and int(elements[0][0]) == primary

    base = unicodedata.normalize("NFD", char)[0]
    if base != char and weighs_same(base):
        char = base
    name = unicodedata.name(char, "")
    for script in ("KATAKANA", "HIRAGANA"):
        if name.startswith(script):
            plain = name.replace("KATAKANA", "HIRAGANA").replace("SMALL ", "")
            try:
                other = unicodedata.lookup(plain)
            except KeyError:
                break
            if weighs_same(other):
                char = other
            break
    return char
