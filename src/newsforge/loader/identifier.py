"""py3langid's identifier with its byte walk remembered word by word.

Imported only when a detector is built: py3langid brings numpy (see `detect`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from py3langid.langid import LanguageIdentifier

# A word with the space after it, or a space alone: the pieces a sample is walked in.
_PIECE = re.compile(rb"[^ ]+ ?| ")
# Walks remembered per process before they are forgotten: about 300 bytes each, so 20 MB
# at most; a build's first thousand articles teach most of the walks it will need.
_MAX_WALKS = 1 << 16


class WordWalkIdentifier(LanguageIdentifier):  # type: ignore[misc]
    """The model walks a sample's bytes through its automaton, one Python step per byte,
    and counts the features it passes: most of an identification's time. The automaton is
    deterministic, so a word read from a given state always ends in the same state having
    passed the same features, in the same order; and the same few thousand words, from
    the same states, fill every article. Remembered, each such word costs one look-up.
    The counts come out equal, in the same order, hence the same scores bit for bit."""

    __slots__ = ("_walks",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._walks: dict[tuple[int, bytes], tuple[int, tuple[int, ...]]] = {}

    def _raw_score(self, text: bytes) -> Any:
        visits = self._visits(text)
        if visits is None:  # no feature at all: the model's own score for that
            return super()._raw_score(text)
        return self._sparse_score(visits, self.nb_ptc)

    def _visits(self, text: bytes) -> Counter[int] | None:
        """The features passed walking ``text``, counted (py3langid's `visit_counts`)."""
        walks = self._walks
        if len(walks) > _MAX_WALKS:
            walks.clear()
        state = 0
        features: list[int] = []
        for piece in _PIECE.findall(text):
            walk = walks.get((state, piece))
            if walk is None:
                walk = walks[(state, piece)] = self._walk(state, piece)
            state = walk[0]
            features.extend(walk[1])
        return Counter(features) if features else None

    def _walk(self, state: int, piece: bytes) -> tuple[int, tuple[int, ...]]:
        """The state after ``piece`` read from ``state``, and the features passed."""
        moves, rows, outputs = self.tk_nextmove, self._rowbase, self.tk_output
        passed: list[int] = []
        for byte in piece:
            state = moves[rows[state] + byte]
            feature = outputs[state]
            if feature >= 0:
                passed.append(feature)
        return state, tuple(passed)
