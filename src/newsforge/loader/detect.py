"""Language identification with py3langid, whose model ships inside the package.

The detector chooses among every language its model knows (and CLDR can name), never
only among a site's configured languages: an article must never carry a wrong label.
Texts too short to judge and pages that mix languages are labelled with the best guess
and reported, so an editor can confirm them with a sidecar or front matter.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# A few hundred characters identify a language as well as the whole text, much faster;
# they are taken from the middle, away from the navigation at the top of scraped pages.
_SAMPLE = 700
# Below this many letters an identification is a guess (a CJK character counts as three:
# one carries about as much as a short word).
_SHORT_TEXT_LETTERS = 60
# A stretch of the text that another language wins this clearly makes the page mixed.
_MIXED_CONFIDENCE = 0.95
_MIXED_SAMPLE = 250


def model_cache() -> Path:
    """Where the prepared language model is kept for every site and build of this user:
    ``$XDG_CACHE_HOME/newsforge`` (by default ``~/.cache/newsforge``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsforge"


@dataclass(frozen=True, slots=True)
class Detection:
    """The identified language, how sure the model is, and what should be reported."""

    language: str
    confidence: float
    too_short: bool = False
    also: str | None = None
    """Another language that clearly holds a stretch of the text (a mixed page)."""


def _has_letters(text: str, needed: int) -> bool:
    """Whether ``text`` holds at least ``needed`` letters' worth (a CJK or Hangul character
    counts as three: one carries about as much as a short word). Stops once it knows."""
    weight = 0
    for char in text:
        if char.isalpha():
            weight += 3 if "\u2e80" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" else 1
            if weight >= needed:
                return True
    return False


class LanguageDetector:
    """Wraps one loaded model; build it once per process and pass it in."""

    def __init__(self, model_cache: Path | None = None) -> None:
        """``model_cache``: a folder where the prepared model is kept between processes
        (`model_cache` for the user's), or None to prepare it afresh."""
        # Imported here: py3langid brings numpy (a tenth of a second), and a rebuild that
        # reads no file never needs it.
        from newsforge.loader.langmodel import load_identifier

        self._identifier = load_identifier(model_cache)

    @property
    def known(self) -> tuple[str, ...]:
        """Every language code the detector may answer."""
        return tuple(sorted(self._identifier.nb_classes))

    def detect(self, text: str, expected: Sequence[str] = ()) -> Detection:
        """The most likely language of ``text``, with warnings for short or mixed texts.

        ``expected`` (the site's languages) only breaks the tie a too-short text leaves:
        then the best-ranked expected language is the likeliest label.
        """
        start = max(0, len(text) // 2 - _SAMPLE // 2)
        sample = text[start:start + _SAMPLE]
        if not _has_letters(text, _SHORT_TEXT_LETTERS):
            primary = {code.split("-")[0] for code in expected}
            ranking = [(str(code), float(p)) for code, p in self._identifier.rank(sample)]
            likely = [(code, p) for code, p in ranking if code in primary] or ranking
            return Detection(likely[0][0], likely[0][1], too_short=True)
        language, confidence = self._best(sample)
        return Detection(language, confidence, also=self._other_language(text, language))

    def _best(self, sample: str) -> tuple[str, float]:
        """The top of the model's ranking (its first label among equal scores), without
        sorting every language it knows."""
        code, p = self._identifier.classify(sample)
        return str(code), float(p)

    def _other_language(self, text: str, language: str) -> str | None:
        """A language other than ``language`` that clearly wins another stretch of the text.

        One sample, three quarters in: away from the middle the label came from, and from
        the navigation at the top and the footer at the bottom of a scraped page (one more
        model call per article is what the loader's speed allows)."""
        if len(text) < 3 * _MIXED_SAMPLE:
            return None
        start = 3 * len(text) // 4 - _MIXED_SAMPLE // 2
        sample = text[start:start + _MIXED_SAMPLE]
        if not _has_letters(sample, _MIXED_SAMPLE // 2):
            return None
        other, confidence = self._best(sample)
        return other if other != language and confidence >= _MIXED_CONFIDENCE else None
