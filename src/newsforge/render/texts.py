"""Article texts, apart from the records pages are rendered from.

An article's paragraphs are read by one page, its own; every other page showing the
article needs an excerpt of them at most. At 100k articles the texts (paragraphs with
their spans, and the loader's evidence) are two thirds of the archive's memory, and each
render process held a copy. So pages read texts through ``Texts``: each article's
paragraphs, its excerpt, and a digest of its text, which stands for the text in the
page's input digests (with ``shown``, the digest of what pages show of the record).
Render workers get the site with its articles bare (``site.without_texts``), every excerpt
and digest, and the paragraphs of an article with the page that shows them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping

from newsforge.model import Article, BodyFormat
from newsforge.site import TEXT_FIELDS, PackedTexts

EXCERPT_CHARS = 240
# Markdown syntax left out of plain-text excerpts: links keep their text, emphasis,
# code and quote marks go.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(^|\s)[>*+-]\s|[*_`]+")
# Fields of an article no page shows, or shows through ``Texts`` (the paragraphs).
_SHOWN = tuple(f.name for f in dataclasses.fields(Article) if f.name not in TEXT_FIELDS)

Paragraphs = tuple[str, ...]
"""An article's paragraphs as text, in order."""


class Texts:
    """Each article's paragraphs, excerpt and text digest, by article id: worked out from
    ``articles`` (or ``packed``, for the articles bare there) when first asked for; a
    render worker's come whole (``for_workers``), with the paragraphs of the articles
    whose pages it renders in ``bodies``."""

    def __init__(self, articles: Mapping[str, Article] | None,
                 excerpts: dict[str, str] | None = None,
                 digests: dict[str, str] | None = None,
                 packed: PackedTexts | None = None) -> None:
        self._articles = articles
        self._excerpts = excerpts if excerpts is not None else {}
        self._digests = digests if digests is not None else {}
        self._packed = packed if packed is not None else PackedTexts()
        self.bodies: Mapping[str, Paragraphs] = {}

    def paragraphs(self, article_id: str) -> Paragraphs:
        found = self.bodies.get(article_id)
        if found is None:
            paragraphs = (self._packed.paragraphs(article_id) if article_id in self._packed
                          else self._article(article_id).paragraphs)
            found = tuple(p.text for p in paragraphs)
        return found

    def excerpt(self, article_id: str) -> str:
        """The first words of the body as plain text."""
        found = self._excerpts.get(article_id)
        if found is None:
            found = self._work_out(article_id)[0]
        return found

    def digest(self, article_id: str) -> str:
        """A digest of the paragraphs: equal digests, equal text."""
        found = self._digests.get(article_id)
        if found is None:
            found = self._work_out(article_id)[1]
        return found

    def _work_out(self, article_id: str) -> tuple[str, str]:
        """The excerpt and the digest of an article, kept, from one reading of its
        paragraphs (packed ones are unpickled to be read)."""
        paragraphs = self.paragraphs(article_id)
        found = (excerpt(paragraphs, self._article(article_id).body_format),
                 hashlib.blake2b("\x1f".join(paragraphs).encode("utf-8", "surrogateescape"),
                                 digest_size=16).hexdigest())
        self._excerpts[article_id], self._digests[article_id] = found
        return found

    def for_workers(self) -> Texts:
        """Every excerpt and digest, worked out, without the articles (a worker asking
        for another article's text fails instead of finding it empty)."""
        if self._articles is None:
            return self
        for article_id in self._articles:
            if article_id not in self._excerpts or article_id not in self._digests:
                self._work_out(article_id)
        return Texts(None, self._excerpts, self._digests)

    def _article(self, article_id: str) -> Article:
        if self._articles is None:
            raise KeyError(f"the text of {article_id!r} was not handed to this worker")
        return self._articles[article_id]


def shown(article: Article) -> str:
    """What pages show of an article besides its text, as text: equal for the article
    whole and bare."""
    return repr(tuple(getattr(article, name) for name in _SHOWN))


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
