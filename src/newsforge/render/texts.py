"""Article texts, kept apart from the Site the pages are rendered from.

An article's paragraphs are read by one page, its own; every other page showing the
article needs an excerpt of them at most. At 100k articles the texts (paragraphs with
their spans, and the loader's evidence) are two thirds of the archive's memory, and each
render process held a copy. So the renderer works on the site without them
(``split_texts``) and on ``Texts``: each article's excerpt and a digest of its text,
which stands for the text in the page's input digests. The paragraphs themselves go to
the process rendering the article's page, with that page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from newsforge.model import Article, BodyFormat
from newsforge.site import Site

EXCERPT_CHARS = 240
# Markdown syntax left out of plain-text excerpts: links keep their text, emphasis,
# code and quote marks go.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(^|\s)[>*+-]\s|[*_`]+")

Paragraphs = tuple[str, ...]
"""An article's paragraphs as text, in order."""


@dataclass(frozen=True, slots=True)
class Texts:
    """What pages other than its own read of each article's text, by article id."""

    excerpts: Mapping[str, str]
    digests: Mapping[str, str]
    """A digest of the paragraphs: equal digests, equal text."""


def split_texts(site: Site) -> tuple[Site, Texts, dict[str, Paragraphs]]:
    """The site with its articles bare (no paragraphs, spans, evidence or problems: no
    page shows the last three), their ``Texts``, and their paragraphs by id."""
    bare: list[Article] = []
    excerpts: dict[str, str] = {}
    digests: dict[str, str] = {}
    bodies: dict[str, Paragraphs] = {}
    for article in site.articles:
        paragraphs = bodies[article.id] = tuple(p.text for p in article.paragraphs)
        excerpts[article.id] = excerpt(paragraphs, article.body_format)
        digests[article.id] = hashlib.blake2b(
            "\x1f".join(paragraphs).encode("utf-8", "surrogateescape"),
            digest_size=16).hexdigest()
        bare.append(dataclasses.replace(article, paragraphs=(), spans=(), evidence=(),
                                        problems=()))
    by_id = {article.id: article for article in bare}
    site = dataclasses.replace(site, articles=tuple(bare),
                               article_by_id={aid: by_id[aid] for aid in site.article_by_id})
    return site, Texts(excerpts, digests), bodies


def excerpt(paragraphs: Paragraphs, body_format: BodyFormat) -> str:
    """The first words of the body as plain text."""
    for text in paragraphs:
        if body_format is BodyFormat.MARKDOWN:
            if text.lstrip().startswith(("#", "```", "|", "<")):
                continue
            text = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", text))
        text = " ".join(text.split())
        if text:
            if len(text) <= EXCERPT_CHARS:
                return text
            return text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""
