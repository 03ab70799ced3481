"""Helpers and fixtures for tests/site/: imported by name from here, never from conftest
(two conftest modules would shadow each other on sys.path)."""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from newsforge.config import Config, default_config, replace
from newsforge.model import (
    Article,
    Entity,
    EntityType,
    Mention,
    Paragraph,
    PartialDate,
    Published,
    Source,
    Span,
)

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"


def article(id: str, language: str = "en", title: str = "A headline", *,
            day: dt.date | None = None, partial: tuple[int, int] | None = None,
            text: str = "Body text of the article.", dateline: str | None = None,
            source: str | None = "Desk", author: str | None = None,
            extra: tuple[tuple[str, str], ...] = ()) -> Article:
    """A hand-made Article record, as the loader would give it."""
    path = f"content/{id}.txt"
    return Article(
        id=id, path=path, content_hash=hashlib.sha256(text.encode()).hexdigest(),
        language=language, title=title, title_synthesised=False,
        paragraphs=tuple(Paragraph(p, Span(path, i + 1))
                         for i, p in enumerate(text.split("\n\n"))),
        published=Published(day) if day else None,
        partial_date=PartialDate(partial[0], partial[1], Span(path, 2)) if partial else None,
        source=Source(source) if source else None, author=author, dateline=dateline,
        extra=extra)


def entity(id: str, type_: EntityType = EntityType.PERSON, name: str | None = None,
           names: tuple[tuple[str, str], ...] = ()) -> Entity:
    return Entity(id, type_, name or id.replace("-", " ").title(), names)


def mentions(article_id: str, *entity_ids: str) -> list[Mention]:
    """One mention of each entity in the first paragraph of an article."""
    return [Mention(article_id, 0, i, i + 1, eid, EntityType.PERSON, eid)
            for i, eid in enumerate(entity_ids)]


@pytest.fixture
def site_config(tmp_path: Path) -> Callable[..., Config]:
    """A Config for a site in tmp_path (content defaults to the repo's seeds)."""
    def make(content: Path = SEEDS, **changes: Any) -> Config:
        base = default_config(tmp_path)
        return replace(base, content=content, output=tmp_path / "build",
                       templates=tmp_path / "templates", static=tmp_path / "static", **changes)
    return make


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.absolute: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "link" and (values.get("rel") == "canonical" or "hreflang" in values):
            self.absolute.append(values.get("href") or "")
            return
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name] or "")


def crawl(root: Path, base_url: str) -> list[str]:
    """Every broken internal link of a built site: 'page: link (reason)'.

    Relative href/src are resolved against the page's file; canonical and hreflang
    URLs must start with base_url and name an existing page. 404.html is skipped: a
    host serves it at any path, so its links are rooted at the base path instead.
    """
    parsed: dict[str, _Links] = {}
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.relative_to(root).as_posix()] = parser
    broken: list[str] = []
    for name, parser in parsed.items():
        if name == "404.html":
            continue
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            if parts.scheme or parts.netloc or link.startswith("/"):
                broken.append(f"{name}: {link} (not relative)")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name),
                                                       unquote(parts.path))) \
                if parts.path else name
            if target.startswith("..") or not (root / target).is_file():
                broken.append(f"{name}: {link} (no such file)")
                continue
            if parts.fragment and (target not in parsed
                                   or parts.fragment not in parsed[target].ids):
                broken.append(f"{name}: {link} (no such anchor)")
        for url in parser.absolute:
            if not url.startswith(base_url):
                broken.append(f"{name}: {url} (outside base_url)")
                continue
            target = unquote(url[len(base_url):])
            if target and not target.endswith("/") and "." not in target.rsplit("/", 1)[-1]:
                broken.append(f"{name}: {url} (folder URL without '/')")
                continue
            file = target + "index.html" if target == "" or target.endswith("/") else target
            if not (root / file).is_file():
                broken.append(f"{name}: {url} (no such page)")
    return broken


_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def redirected(path: str, text: str) -> str:
    """The output path an article's earlier address (``path``, holding ``text``) sends
    the reader to; fails when the page is no redirect."""
    match = _REFRESH.search(text)
    assert match, f"{path} is not a redirect page"
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(match[1])))


def article_text(files: Mapping[str, bytes], old_path: str) -> str:
    """The article page behind its earlier address, in a rendered ``files`` mapping."""
    return files[redirected(old_path, files[old_path].decode())].decode()
