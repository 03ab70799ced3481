"""Extraction in worker processes gives exactly what extraction in this process gives."""

from __future__ import annotations

from typing import Any

from newsforge.langdata import Languages
from newsforge.tagger.extract import extract_article
from newsforge.tagger.parallel import extract_in_processes
from newsforge.tagger.rules import Rules

TEXTS = [
    ("en", "General Secretary To Lam received Lao Prime Minister Sonexay Siphandone."),
    ("vi", "Chiều 3/4, Thủ tướng Phạm Minh Chính tiếp Bộ trưởng Ngoại giao Lào."),
    ("sv", "Premiärminister Pham Minh Chinh mötte Laos president Thongloun Sisoulith."),
    ("en", "The Communist Party of Vietnam (CPV) will hold its 14th National Congress."),
    ("vi", "Đại hội XIV của Đảng Cộng sản Việt Nam thành công tốt đẹp."),
]


def test_workers_extract_the_same_mentions(languages: Languages, rules: Rules,
                                           make_article: Any) -> None:
    articles = [make_article(f"a{i}", lang, text) for i, (lang, text) in enumerate(TEXTS)]
    serial = [extract_article(article, rules) for article in articles]
    parallel = list(extract_in_processes(articles, languages, (), workers=2))
    assert parallel == serial
    assert sum(len(found.mentions) for found in parallel) >= len(TEXTS)
