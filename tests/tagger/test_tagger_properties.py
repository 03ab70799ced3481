"""Property tests: tagging never raises, and never depends on the order of articles."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsforge.langdata import Languages
from newsforge.model import Article, Paragraph, Span
from newsforge.tagger import tag_archive
from newsforge.tagger.rules import Rules

# Words that exercise every stage: names, titles, heads, ordinals, acronyms, masks.
WORDS = ["Tô", "Lâm", "To", "Lam", "Nguyễn", "Văn", "An", "Secretary", "General", "Party",
         "Committee", "Commission", "for", "of", "the", "and", "Central", "(CPV)", "CPV",
         "LPRP", "11th", "National", "Congress", "Đại", "hội", "XI", "Ban", "Trung", "ương",
         "Lào", "Laos", "Lao", "generalsekreterare", "50-årsdagen", "av", "nationaldag",
         "högnivåmötet", "mellan", "och", "Forum", "(AMF)", "2024", "anniversary", "50th",
         "Khamphanh", "Pheuyavong", "’s", "'s", ",", ".", "\n", "—", "\x00", "\x01", "Phiên",
         "bản", "di", "động", "Vientiane", "Hà", "Nội", "kỷ", "niệm", "năm", "Quốc", "khánh"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
)
languages_codes = st.sampled_from(["en", "vi", "sv", "fr", "pt-BR"])


def _article(article_id: str, language: str, text: str) -> Article:
    paragraphs = tuple(Paragraph(p, Span(f"{article_id}.txt", i + 1))
                       for i, p in enumerate(text.split("\n")))
    return Article(id=article_id, path=f"{article_id}.txt", content_hash=article_id,
                   language=language, title="", title_synthesised=True, paragraphs=paragraphs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, language=languages_codes)
@example(text="Lào LPRP Central Committee (CPV) 11th", language="vi")
@example(text="LPRP", language="pt-BR")
def test_tagging_any_text_never_raises(text: str, language: str, languages: Languages,
                                       rules: Rules) -> None:
    tagging = tag_archive([_article("x", language, text)], languages, rules=rules)
    ids = {e.id for e in tagging.entities}
    # An acronym the gazetteer knows, standing alone, is always found.
    if any(" LPRP " in f" {line} " for line in text.split("\n")):
        assert "party/lao-peoples-revolutionary-party" in ids
    for mention in tagging.mentions:
        assert mention.entity_id in ids
        paragraph = text.split("\n")[mention.paragraph]
        assert paragraph[mention.start:mention.end] == mention.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(st.tuples(texts, languages_codes), min_size=1, max_size=5),
       order=st.randoms(use_true_random=False))
def test_result_does_not_depend_on_article_order(items: list[tuple[str, str]], order: Any,
                                                 languages: Languages, rules: Rules) -> None:
    articles = [_article(f"a{i}", lang, text) for i, (text, lang) in enumerate(items)]
    # One article every run must find something in, wherever it lands in the order.
    articles.append(_article("known", "en", "The Lao People's Revolutionary Party met."))
    shuffled = list(articles)
    order.shuffle(shuffled)
    tagging = tag_archive(articles, languages, rules=rules)
    assert "party/lao-peoples-revolutionary-party" in {e.id for e in tagging.entities}
    assert tagging == tag_archive(shuffled, languages, rules=rules)
