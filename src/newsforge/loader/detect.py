"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# A few hundred characters identify a language as well as the whole text, much faster;
# they are taken from the middle, away from the navigation at the top of scraped pages.
_SAMPLE = 700


@dataclass(frozen=True, slots=True)
class Detection:
    """The chosen language among the site's, and what the detector itself preferred."""

    language: str
    confidence: float
    best_overall: str


class LanguageDetector:
    """Wraps one loaded model; build it once per run and pass it in (loading takes ~0.7 s)."""

    def __init__(self) -> None:
        self._identifier: Any = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str, candidates: Sequence[str]) -> Detection:
        """The most likely of ``candidates`` for ``text`` (candidates are BCP 47 codes)."""
        start = max(0, len(text) // 2 - _SAMPLE // 2)
        ranking = self._identifier.rank(text[start:start + _SAMPLE])
        best_overall = ranking[0][0] if ranking else candidates[0]
        primary = {code.split("-")[0]: code for code in candidates}
        for code, probability in ranking:
            if code in primary:
                return Detection(primary[code], float(probability), best_overall)
        return Detection(candidates[0], 0.0, best_overall)
