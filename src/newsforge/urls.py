"""The one mapping from a record to its output path and its URL.

Every page is a folder with an ``index.html`` (``en/2024/03/05/<slug>/index.html``), so the
site reads well at a domain root and under a sub-path. Links inside the site are
computed relative to the page that holds them and name ``index.html`` explicitly, so
the same files also work when opened straight from disk (``file://``), where a link to
a bare folder would show a directory listing. Absolute URLs (feeds, sitemap, hreflang)
join the configured ``base_url`` with the clean folder form (``en/2024/03/05/<slug>/``).

URL scheme (paths relative to the output folder)::

    index.html                              home page (default language)
    <lang>/index.html, <lang>/page/<n>/     articles of one language, newest first
    <lang>/<yyyy>/<mm>/<dd>/<slug>/          one article: its own date, its headline's slug
    <lang>/undated/<slug>/                  one article without a date of its own
    <lang>/articles/<old-slug>/             the article's earlier URL: a page redirecting
                                            to the one above (never listed)
    <lang>/entities/<type>/                 entity index of one type, in that language
    entities/<type>/<entity-slug>/          one entity in the default language's interface
                                            (page/<n>/ further)
    <lang>/entities/<type>/<entity-slug>/   the same entity in another language's interface
    entities/<type>/<entity-slug>/feed.xml  Atom feed of one entity (one per entity)
    archive/, archive/<yyyy>/, archive/<yyyy>/<mm>/, archive/<yyyy>/<mm>/<dd>/
    archive/undated/                        articles without a known date
    <lang>/archive/...                      the same date archive in another language
    <lang>/feed.xml, sitemap.xml, robots.txt, 404.html, static/...
    pagefind/, pagefind/shards/<part>/      the search index (pages other than articles),
                                            and one per year of articles (per month in a
                                            big year; the undated in parts)

Entity and archive pages exist once per language; the default language's copy keeps the
unprefixed folder (``prefix=""`` below), so its URLs never moved when the other
languages got theirs. A URL depends only on its own record's id (and language), so
adding an article never changes another article's URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from anyascii import anyascii
from slugify import slugify

from newsforge.config import DEFAULT_PERMALINK, PERMALINK_TOKEN
from newsforge.errors import BuildError
from newsforge.model import EntityType

INDEX = "index.html"

# Plural path segment per entity type: readable URLs (/entities/people/to-lam/).
_TYPE_SEGMENT = {
    EntityType.PERSON: "people",
    EntityType.PARTY: "parties",
    EntityType.ORGANISATION: "organisations",
    EntityType.EVENT: "events",
}


def slug_segment(text: str) -> str:
    """One readable, ASCII path segment ('Tô Lâm' -> 'to-lam'); never empty."""
    slug = slugify(text, regex_pattern=r"[^-a-z0-9_]+")
    return slug or "x"


# Headline slugs are cut near this many characters (at a word break when there is one).
HEADLINE_SLUG_CHARS = 60
# Hex digits of the hash of the article's id that end every headline slug.
ARTICLE_TAG_CHARS = 6


def article_slug(title: str, article_id: str, style: str = "unicode",
                 override: str | None = None) -> str:
    """The last segment of an article's URL: its headline's slug and its own tag.

    Two articles of one day may share a headline; numbering them in order would move
    the first one's URL when an earlier-sorting twin arrives. So every slug ends with a
    short tag hashed from the article's own id, which no other article can change. A
    front-matter ``slug`` is taken as the whole segment (its author chose it).
    ``style`` is 'unicode' (keep the headline's script) or 'ascii' (transliterate).
    """
    if override and override.strip():
        return _segment(override, style) or _tag(article_id)
    words = _segment(title, style)
    if len(words) > HEADLINE_SLUG_CHARS:
        cut = words[:HEADLINE_SLUG_CHARS]
        break_at = cut.rfind("-")
        words = (cut[:break_at] if break_at > HEADLINE_SLUG_CHARS // 3 else cut).strip("-")
    tag = _tag(article_id)
    return f"{words}-{tag}" if words else tag


def _tag(article_id: str) -> str:
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:ARTICLE_TAG_CHARS]


def _segment(text: str, style: str) -> str:
    """One path segment of lower-case words joined by '-'; '' when nothing is left."""
    if style == "ascii":
        return slugify(anyascii(text), regex_pattern=r"[^-a-z0-9_]+")
    # Letters, combining marks (Thai and Vietnamese vowels, Devanagari signs) and
    # digits of any script are kept; everything else separates words.
    normal = unicodedata.normalize("NFC", text).lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in normal)
    return "-".join(kept.split())


def article_path(day: dt.date | None, slug: str, pattern: str = DEFAULT_PERMALINK,
                 article_id: str = "") -> str:
    """An article's folder below its language, from the ``permalinks`` pattern
    ('yyyy/mm/dd/<slug>' by default); an undated article is always 'undated/<slug>'."""
    if day is None:
        return f"undated/{slug}"
    values = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
              "slug": slug, "id": legacy_article_slug(article_id)}
    return PERMALINK_TOKEN.sub(lambda match: values[match.group(1)], pattern.strip("/"))


def legacy_article_slug(article_id: str, override: str | None = None) -> str:
    """The slug of an article's earlier URL: its id (or a front-matter ``slug``), segment
    by segment; still made so the old address can redirect and feed ids stay put.

    Slashes in the id stay folder separators, so ``en/2024/visit`` keeps its shape.
    """
    source = override if override else article_id
    parts = [slug_segment(part) for part in source.split("/") if part.strip()]
    return "/".join(parts) or "x"


def entity_slug(entity_id: str, type_: EntityType) -> str:
    """The slug of an entity id, without a leading type prefix ('person:to-lam' -> 'to-lam')."""
    slug = slug_segment(entity_id.replace("/", "-").replace(":", "-"))
    for prefix in (type_.value + "-", type_segment(type_) + "-"):
        if slug.startswith(prefix) and len(slug) > len(prefix):
            return slug[len(prefix):]
    return slug


def type_segment(type_: EntityType) -> str:
    """The plural folder name of an entity type ('people', 'parties', ...)."""
    return _TYPE_SEGMENT[type_]


def paged(folder: str, page: int) -> str:
    """The folder of page ``page`` (1-based) of a paginated listing rooted at ``folder``."""
    return folder if page <= 1 else f"{folder}page/{page}/"


# Folders (always ending in '/', '' for the root) -------------------------------------

def home() -> str:
    return ""


def language_home(language: str) -> str:
    return f"{language}/"


def article(language: str, path: str) -> str:
    """One article's folder; ``path`` comes from ``article_path``."""
    return f"{language}/{path}/"


def legacy_article(language: str, slug: str) -> str:
    """The folder an article had before URLs carried dates and headlines."""
    return f"{language}/articles/{slug}/"


def entity(type_: EntityType, slug: str, prefix: str = "") -> str:
    """One entity's page; ``prefix`` is a language code, '' for the default language."""
    return f"{_prefixed(prefix)}entities/{type_segment(type_)}/{slug}/"


def entity_index(language: str, type_: EntityType) -> str:
    return f"{language}/entities/{type_segment(type_)}/"


def search(prefix: str = "") -> str:
    """The search page; ``prefix`` is a language code, '' for the default language."""
    return f"{_prefixed(prefix)}search/"


SEARCH_BUNDLE = "pagefind/"
"""The search index: the site's pages other than articles (entities above all)."""


def search_shard(part: str) -> str:
    """The search index of one part of the articles ('2024', '2024-03', 'undated-2'),
    merged into the main one by the search page; a change to an article re-indexes its
    part only."""
    return f"{SEARCH_BUNDLE}shards/{part}/"


def archive(prefix: str = "") -> str:
    """The date archive's root; ``prefix`` is a language code, '' for the default language."""
    return f"{_prefixed(prefix)}archive/"


def archive_year(year: int, prefix: str = "") -> str:
    return f"{archive(prefix)}{year:04d}/"


def archive_month(year: int, month: int, prefix: str = "") -> str:
    return f"{archive(prefix)}{year:04d}/{month:02d}/"


def archive_day(day: dt.date, prefix: str = "") -> str:
    return f"{archive(prefix)}{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def archive_undated(prefix: str = "") -> str:
    return f"{archive(prefix)}undated/"


def _prefixed(prefix: str) -> str:
    return f"{prefix}/" if prefix else ""


def static(name: str) -> str:
    return f"static/{name}"


def feed(folder: str) -> str:
    """The Atom feed beside a page folder."""
    return f"{folder}feed.xml"


# Paths, links and absolute URLs ------------------------------------------------------

def page_file(folder: str) -> str:
    """The output file of a page folder ('en/' -> 'en/index.html')."""
    return f"{folder}{INDEX}"


def relative(from_file: str, to_path: str) -> str:
    """A link from output file ``from_file`` to output path ``to_path``.

    A folder target (ending in '/' or empty) links to its ``index.html`` so that the
    link works from disk too. Both are clean relative paths (no '.' or '..'), so plain
    segment arithmetic suffices: it runs for every link of every page, so the folders
    both paths share are found in place (by ``startswith`` at a position) rather than
    by splitting and joining both.
    """
    # page_file() and _encoded() written out: a function call costs as much as the rest.
    target = to_path + INDEX if to_path == "" or to_path.endswith("/") else to_path
    folder = from_file[:from_file.rfind("/") + 1]
    shared = 0  # the length of the leading folders both share, each ending in '/'
    while (end := folder.find("/", shared) + 1) and target.startswith(folder[shared:end],
                                                                      shared):
        shared = end
    rest = target[shared:]
    return "../" * folder.count("/", shared) + (rest if rest.isascii()
                                                 else _percent_encoded(rest))


def absolute(base_url: str, path: str) -> str:
    """``path`` joined to the site's base URL ('https://example.org/archive/' + 'en/')."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + _encoded(path)


# Characters left as they are in a link: the path and query syntax and '%' itself.
_URL_SAFE = "/#?&=:@!$'()*+,;~%"


def _encoded(path: str) -> str:
    """``path`` with non-ASCII letters (slugs in their own script) percent-encoded as
    UTF-8, as sitemaps require; plain ASCII paths skip the work."""
    return path if path.isascii() else _percent_encoded(path)


@functools.lru_cache(maxsize=1 << 16)
def _percent_encoded(path: str) -> str:
    # A pure function: kept because one article's address is linked from dozens of
    # pages, and quote() costs as much as the rest of making the link.
    return quote(path, safe=_URL_SAFE)


def safe_join(root: Path, relative_path: str) -> Path:
    """``root / relative_path``, refusing any path that would leave ``root``."""
    pure = PurePosixPath(relative_path)
    if pure.is_absolute() or ".." in pure.parts or not relative_path:
        raise BuildError(f"refusing to write outside the output folder: {relative_path!r}",
                         hint="a template or record produced an unsafe path")
    target = (root / pure).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BuildError(f"refusing to write outside the output folder: {relative_path!r}",
                         hint="a symbolic link in the output folder points elsewhere")
    return target
