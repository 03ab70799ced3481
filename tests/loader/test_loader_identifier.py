"""The detector's identifier remembers its byte walk word by word: its scores must be
py3langid's own, bit for bit, whatever it has remembered (or forgotten) before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from newsforge.loader import identifier as walk_module
from newsforge.loader.identifier import WordWalkIdentifier

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = [
    *(path.read_text(encoding="utf-8")[:700] for path in sorted(FIXTURES.rglob("*.txt"))),
    "", " ", "   ", "a", "Hà Nội  —  ngày 2/12", "東京で会談した。 Tô Lâm  met   Sonexay.",
    "ພັກປະຊາຊົນປະຕິວັດລາວ ແລະ ພັກກອມມູນິດຫວຽດນາມ", "1234 5678", "\n\nline\n  two\t tabs",
]


@pytest.fixture(scope="module")
def identifiers() -> tuple[LanguageIdentifier, WordWalkIdentifier]:
    return (LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True),
            WordWalkIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


def test_scores_are_py3langids(identifiers: tuple[LanguageIdentifier, WordWalkIdentifier]
                               ) -> None:
    plain, walking = identifiers
    assert len(TEXTS) > 20
    for _ in range(2):  # the second time every walk is remembered
        for text in TEXTS:
            assert np.array_equal(walking._decide(text), plain._decide(text)), text
            assert walking.classify(text) == plain.classify(text)


def test_forgetting_changes_nothing(identifiers: tuple[LanguageIdentifier,
                                                       WordWalkIdentifier],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    plain, walking = identifiers
    monkeypatch.setattr(walk_module, "_MAX_WALKS", 3)
    for text in TEXTS:
        assert walking.rank(text) == plain.rank(text)
        assert len(walking._walks) <= 3 + len(text)
